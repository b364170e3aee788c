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
