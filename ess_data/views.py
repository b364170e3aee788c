"""Tables the pages show, as plain functions of query results (tested directly)."""
import pandas as pd

from ess_data import fmt


def table(obs: pd.DataFrame, lang: str = "fr", with_territory: bool = True) -> pd.DataFrame:
    """Observations as a display table: formatted value, period, source (French by default)."""
    fr = lang == "fr"
    rows = pd.DataFrame({
        "Indicateur" if fr else "Indicator": obs[f"label_{lang}"],
    })
    if with_territory:
        rows["Territoire" if fr else "Territory"] = obs[f"territory_name_{lang}"].fillna(
            obs["territory_code"])
    breakdown = obs[f"breakdown_label_{lang}"].fillna("")
    if breakdown.astype(bool).any():
        rows["Détail" if fr else "Breakdown"] = breakdown
    rows["Valeur" if fr else "Value"] = [
        fmt.value(v, u, d, lang, q if isinstance(q, str) else "")
        for v, u, d, q in zip(obs["value"], obs["unit"], obs["decimals"], obs["qualifier"])]
    rows["Période" if fr else "Period"] = [fmt.period(p, lang) for p in obs["period"]]
    rows["Source"] = [f"{p}, {t}" + (f" ({str(y)[:4]})" if isinstance(y, str) and y else "")
                      for p, t, y in zip(obs["source_publisher"], obs["source_title"],
                                         obs["source_published"])]
    rows["Note"] = obs["note"].fillna("")
    return rows.reset_index(drop=True)


def rurality_table(split: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """territory_rurality rows as a display table (classes, communes, population, shares)."""
    unclassified = "Non classée (superficie inconnue)" if lang == "fr" else "Unclassified"
    return pd.DataFrame({
        "Classe": split[f"label_{lang}"].fillna(unclassified),
        "Rurale": ["oui" if r is True else ("non" if r is False else "")
                   for r in split["is_rural"]],
        "Communes": [fmt.number(v, 0, lang) for v in split["n_communes"]],
        "Part des communes": [fmt.value(v, "percent", 1, lang) for v in split["share_communes"]],
        "Habitants": [fmt.number(v, 0, lang) for v in split["population"]],
        "Part des habitants": [fmt.value(v, "percent", 1, lang)
                               for v in split["share_population"]],
    })


def metrics_table(rows: pd.DataFrame, lang: str = "fr", ess: pd.DataFrame | None = None,
                  period: str | None = None) -> pd.DataFrame:
    """territory_metrics rows (with a `level` column) side by side as a display table; with
    `ess` (observations of one indicator, one source) a column of its value for `period`."""
    from ess_data.territory import SHORT_LEVELS
    table = pd.DataFrame({
        "Territoire": [f"{n} ({SHORT_LEVELS.get(lvl, lvl)})"
                       for n, lvl in zip(rows["name"], rows["level"])],
        "Habitants": [fmt.number(v, 0, lang) for v in rows["population"]],
        "Densité": [fmt.value(v, "density", 1, lang) for v in rows["density"]],
        "Communes": [fmt.number(v, 0, lang) for v in rows["n_communes"]],
        "Communes rurales": [fmt.number(v, 0, lang) for v in rows["n_rural_communes"]],
        "Habitants en commune rurale": [fmt.value(v, "percent", 1, lang)
                                        for v in rows["rural_population_share"]],
    })
    if ess is not None and period:
        part = ess[ess["period"] == period]
        if len(part):
            values = {(lvl, code): v for lvl, code, v in part[
                ["territory_level", "territory_code", "value"]].itertuples(index=False)}
            unit, decimals = part["unit"].iloc[0], int(part["decimals"].iloc[0])
            texts = {k: fmt.value(v, unit, decimals, lang) for k, v in values.items()}
            france = part.loc[part["territory_level"] == "france"].sort_values(
                "territory_code", key=lambda c: c != "FR")
            if len(france):  # France's figure may be published for "France hors Mayotte"
                f = france.iloc[0]
                texts[("france", "FR")] = fmt.value(f["value"], unit, decimals, lang) + (
                    "" if f["territory_code"] == "FR" else f" ({f[f'territory_name_{lang}']})")
            table[f"{part['label_fr'].iloc[0]} ({period})"] = [
                texts.get((lvl, c), "") for lvl, c in zip(rows["level"], rows["code"])]
    return table
