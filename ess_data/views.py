"""Choices and tables the pages show, as plain functions of query results (tested directly)."""
import pandas as pd

from ess_data import fmt
from ess_data.registry import Registry

COMPARISON_LEVELS = ["rural", "hors_rural", "france"]
PREFERRED_RURAL_DEFINITION = "cget_2019"  # the definition of the 2019 study's comparison


def rural_pairs(obs: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """For each indicator, the 'rural' row and its comparison row from one same source.

    Among sources giving both, prefer the 2019 study's rural definition, the indicator's default
    source, then a dated figure over an undated one. Figures are never mixed across sources.
    Returns observations_labelled rows (rural first, then the comparison), in registry order.
    """
    chosen = []
    for ind_id, part in obs.groupby("indicator_id", sort=False):
        rural = part[part["territory_level"] == "rural"]
        candidates = []
        for _, r in rural.iterrows():
            same = part[(part["source_id"] == r["source_id"]) & (part["period"] == r["period"])]
            other = same[(same["territory_level"] == "hors_rural")
                         & (same["territory_code"] == r["territory_code"])]
            if other.empty:
                other = same[same["territory_level"] == "france"]
            if other.empty:
                continue
            default = registry.get(ind_id).default_source_id if ind_id in registry else None
            score = (r["territory_code"] == PREFERRED_RURAL_DEFINITION,
                     r["source_id"] == default, r["period"] != "nd", r["source_id"])
            candidates.append((score, r, other.iloc[0]))
        if candidates:
            _, r, o = max(candidates, key=lambda c: c[0][:3])
            chosen += [r, o]
    if not chosen:
        return obs.iloc[0:0]
    return pd.DataFrame(chosen).reset_index(drop=True)


KEY = ["indicator_id", "territory_level", "territory_code", "period", "breakdown_value",
       "source_id"]


def not_in(obs: pd.DataFrame, shown: pd.DataFrame) -> pd.DataFrame:
    """Observations of `obs` that are not already in `shown` (same observation key)."""
    if shown.empty:
        return obs
    return obs[~obs.set_index(KEY).index.isin(shown.set_index(KEY).index)]


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
