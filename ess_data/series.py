"""Charts of a territory's published figures, one series each (the page and the deck share it).

A series is one indicator x one source x one breakdown value. Which source is shown for a
territory is decided in the warehouse (`displayed` in observations_labelled, the registry's
precedence); this module only cuts the rows the warehouse marked into charts, and never puts two
series on one line or one bar group.
"""
import pandas as pd

MAX_BREAKDOWN_PERIODS = 2  # breakdown charts: the newest dated periods of the shown source


def _ordered(rows: pd.DataFrame) -> pd.DataFrame:
    order = sorted(range(len(rows)), key=lambda i: (rows["period"].iloc[i] == "nd",
                                                    rows["period"].iloc[i]))
    return rows.iloc[order].reset_index(drop=True)


def shown_series(part: pd.DataFrame) -> pd.DataFrame:
    """territory_profile rows of one indicator -> the shown series without breakdown (one
    source, one row per period, oldest first); empty if the indicator has a breakdown."""
    rows = part[part["displayed"].astype(bool) & (part["breakdown_value"].fillna("") == "")]
    if rows["series_id"].nunique() > 1:  # the warehouse marks one source: a broken build
        raise ValueError(f"plusieurs séries affichées : {sorted(rows['series_id'].unique())}")
    return _ordered(rows)


def profile_charts(part: pd.DataFrame) -> list[tuple[str, pd.DataFrame, str]]:
    """(widget key, rows, kind) of the charts of one indicator's territory_profile rows: for the
    shown series, bars by period against the region and France ("bars"; "number" when that
    would be one bar: one period and no region or France value in the series, shown as a
    figure with its source instead of a one-bar chart) and, with two dated periods or more, a
    slope between the first and the last ("slope"); for an indicator with a
    breakdown, the shown source's breakdown for each of its newest dated periods ("breakdown":
    rows with a `value` column, one bar per breakdown value, one period, one source)."""
    ind_id = part["indicator_id"].iloc[0]
    rows = shown_series(part)
    out = []
    if len(rows):
        lone = len(rows) == 1 and rows[["value_region", "value_france"]].isna().all(axis=None)
        out.append((f"compare_{ind_id}", rows, "number" if lone else "bars"))
        dated = rows[rows["period"] != "nd"]
        if dated["period"].nunique() >= 2:
            out.append((f"slope_{ind_id}", dated.reset_index(drop=True), "slope"))
        return out
    split = part[part["displayed"].astype(bool) & (part["breakdown_value"].fillna("") != "")]
    periods = sorted({p for p in split["period"] if p != "nd"}, reverse=True)
    for period in periods[:MAX_BREAKDOWN_PERIODS]:
        grp = split[split["period"] == period].rename(columns={"value_territory": "value"})
        out.append((f"breakdown_{ind_id}_{period}", grp.reset_index(drop=True), "breakdown"))
    return out
