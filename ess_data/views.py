"""Tables the pages show, as plain functions of query results (tested directly)."""
import re

import pandas as pd

from ess_data import fmt
from ess_data.i18n import t


def table(obs: pd.DataFrame, lang: str = "fr", with_territory: bool = True) -> pd.DataFrame:
    """Observations as a display table: formatted value, period, source (French by default)."""
    rows = pd.DataFrame({
        t("Indicateur", lang): obs[f"label_{lang}"],
    })
    if with_territory:
        rows[t("Territoire", lang)] = obs[f"territory_name_{lang}"].fillna(obs["territory_code"])
    breakdown = obs[f"breakdown_label_{lang}"].fillna("")
    if breakdown.astype(bool).any():
        rows[t("Détail", lang)] = breakdown
    rows[t("Valeur", lang)] = [
        fmt.value(v, u, d, lang, q if isinstance(q, str) else "")
        for v, u, d, q in zip(obs["value"], obs["unit"], obs["decimals"], obs["qualifier"])]
    rows[t("Période", lang)] = [fmt.period(p, lang) for p in obs["period"]]
    rows[t("Source", lang)] = [
        f"{p}, {title}" + (f" ({str(y)[:4]})" if isinstance(y, str) and y else "")
        for p, title, y in zip(obs["source_publisher"], obs["source_title"],
                               obs["source_published"])]
    rows[t("Note", lang)] = obs["note"].fillna("")  # notes are published in French only
    return rows.reset_index(drop=True)


def _yes_no(value, lang: str) -> str:
    return t("oui", lang) if value is True else (t("non", lang) if value is False else "")


def rurality_table(split: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """territory_rurality rows as a display table (classes, communes, population, shares)."""
    return pd.DataFrame({
        t("Classe", lang): split[f"label_{lang}"].fillna(
            t("Non classée (superficie inconnue)", lang)),
        t("Rurale", lang): [_yes_no(r, lang) for r in split["is_rural"]],
        t("Communes", lang): [fmt.number(v, 0, lang) for v in split["n_communes"]],
        t("Part des communes", lang): [fmt.value(v, "percent", 1, lang)
                                       for v in split["share_communes"]],
        t("Habitants", lang): [fmt.number(v, 0, lang) for v in split["population"]],
        t("Part des habitants", lang): [fmt.value(v, "percent", 1, lang)
                                        for v in split["share_population"]],
    })


def metrics_table(rows: pd.DataFrame, lang: str = "fr", ess: pd.DataFrame | None = None,
                  period: str | None = None) -> pd.DataFrame:
    """territory_metrics rows (with a `level` column) side by side as a display table; with
    `ess` (observations of one indicator, one source) a column of its value for `period`."""
    from ess_data.territory import short_level
    table = pd.DataFrame({
        t("Territoire", lang): [f"{n} ({short_level(lvl, lang)})"
                                for n, lvl in zip(rows["name"], rows["level"])],
        t("Habitants", lang): [fmt.number(v, 0, lang) for v in rows["population"]],
        t("Densité", lang): [fmt.value(v, "density", 1, lang) for v in rows["density"]],
        t("Communes", lang): [fmt.number(v, 0, lang) for v in rows["n_communes"]],
        t("Communes rurales", lang): [fmt.number(v, 0, lang) for v in rows["n_rural_communes"]],
        t("Habitants en commune rurale", lang): [fmt.value(v, "percent", 1, lang)
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
            table[f"{part[f'label_{lang}'].iloc[0]} ({period})"] = [
                texts.get((lvl, c), "") for lvl, c in zip(rows["level"], rows["code"])]
    return table


def dated(published, notes, lang: str = "fr") -> str:
    """A source's publication date, else the day its page was read (written in its notes as
    `lu le YYYY-MM-DD`), else « non daté »."""
    if isinstance(published, str) and published:
        return published
    read = re.search(r"\blue? le (\d{4}-\d{2}-\d{2})", notes if isinstance(notes, str) else "")
    return (t("non daté, lu le {day}", lang, day=read.group(1)) if read
            else t("non daté", lang))


def source_text(row, short: bool = True, lang: str = "fr") -> str:
    """`Publisher, « title », date` of a row's source (undated sources say so); a `short` one
    cuts a long title (the full one is in the list of sources and the CSV)."""
    if not isinstance(row["source_publisher"], str):
        return ""
    when = dated(row["source_published"], row["source_notes"], lang)
    title = row["source_title"]
    if short and len(title) > 100:
        title = title[:99].rsplit(" ", 1)[0] + " …"
    return f"{row['source_publisher']}, « {title} », {when}"
