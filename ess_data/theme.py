"""What the theme pages (/dla, /ptce) draw and list, as plain functions of theme_observations.

The project's rule: a *series* is one indicator x one source x one breakdown value, for one
territory (its scope). A time axis draws one series only, and only its points in time: single
years (or single dates, never mixed with years). Ranges (`2004-2006`), open periods (`2021-`)
and undated figures (`nd`) are not points on a time axis; they stay in the tables, as do the
figures of other sources or scopes.

An *implied* year is a year the source does not print but that we inferred from its text. The
seed marks it in the observation's note, which then begins with « Année implicite » (see
docs/data-log.md, "56 lauréats PTCE"); the qualifier column holds only wording such as
`environ`. Such a year is written « 2021 (année déduite) » on charts and in tables.
"""
import re

import pandas as pd
import plotly.graph_objects as go

from ess_data import figures, fmt, views
from ess_data.i18n import t
from ess_data.registry import Indicator

NATIONAL = ("france", "FR")  # the whole country; any other territory is named in tables
# What a series is made of, for one territory (see the module docstring).
SERIES = ["indicator_id", "source_id", "breakdown_value", "territory_level", "territory_code"]
# A cross-section: one indicator's breakdown values at one period, one source, one territory.
CROSS_SECTION = ["indicator_id", "territory_level", "territory_code", "period", "source_id"]
IMPLIED = re.compile(r"\s*année (implicite|déduite)", re.IGNORECASE)
_KINDS = [("year", re.compile(r"\d{4}")), ("date", re.compile(r"\d{4}-\d{2}-\d{2}")),
          ("range", re.compile(r"\d{4}-\d{4}")), ("open", re.compile(r"\d{4}-"))]


def period_kind(period: str) -> str:
    """`year`, `date`, `range` (`2004-2006`), `open` (`2021-`) or `nd` (anything else)."""
    for kind, pattern in _KINDS:
        if isinstance(period, str) and pattern.fullmatch(period):
            return kind
    return "nd"


def is_implied(obs: pd.DataFrame) -> pd.Series:
    """Whether each observation's period is a year inferred by us, not printed by the source
    (its note begins with « Année implicite »)."""
    return obs["note"].fillna("").astype(str).str.match(IMPLIED)


def period_labels(obs: pd.DataFrame, lang: str = "fr") -> list[str]:
    """Each observation's period as written on screen, an implied year said as such:
    `2024`, `2021 (année déduite)`, `non daté`."""
    return [t("{period} (année déduite)", lang, period=fmt.period(p, lang)) if implied
            else fmt.period(p, lang) for p, implied in zip(obs["period"], is_implied(obs))]


def _with_period_labels(obs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy whose `period` holds the periods as written (implied years said as such), for
    the figure builders, which write periods through fmt.period (a label passes unchanged)."""
    return obs.assign(period=period_labels(obs, lang))


def is_national(obs: pd.DataFrame) -> pd.Series:
    """Whether each observation is about the whole country (France, code FR)."""
    return (obs["territory_level"] == NATIONAL[0]) & (obs["territory_code"] == NATIONAL[1])


def table(obs: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """views.table of these observations with a territory column whenever one row is not
    national, and implied years said as such."""
    rows = views.table(obs, lang=lang, with_territory=not is_national(obs).all())
    rows[t("Période", lang)] = period_labels(obs, lang)
    return rows


def time_series(obs: pd.DataFrame, min_periods: int = 2) -> list[pd.DataFrame]:
    """The series that can be drawn on a time axis: for each indicator x source x breakdown
    value x territory, its rows at single years (or at single dates, apart), sorted by period,
    when there are at least `min_periods` of them. Other rows are left out."""
    kinds = obs["period"].map(period_kind)
    points = obs[kinds.isin(["year", "date"])].assign(_kind=kinds)
    found = []
    for _, part in points.groupby([*SERIES, "_kind"], sort=False, dropna=False):
        if part["period"].nunique() >= min_periods:
            found.append(part.drop(columns="_kind").sort_values("period"))
    return found


def cross_sections(obs: pd.DataFrame) -> list[pd.DataFrame]:
    """The observations with a breakdown, one frame per indicator x territory x period x
    source (what one breakdown chart draws)."""
    broken = obs[obs["breakdown_value"].fillna("") != ""]
    return [part for _, part in broken.groupby(CROSS_SECTION, sort=False, dropna=False)]


def _one(rows: pd.DataFrame, columns: list[str], what: str) -> None:
    if len(rows) == 0 or len(rows[columns].drop_duplicates()) != 1:
        raise ValueError(f"{what} : une seule valeur de {', '.join(columns)} attendue")


def _scope(rows: pd.DataFrame, lang: str) -> str:
    """`, Occitanie` for a series that is not national, `, Culture` for a breakdown value."""
    first = rows.iloc[0]
    parts = []
    if not is_national(rows.iloc[:1]).iloc[0]:
        name = first.get(f"territory_name_{lang}")
        parts.append(name if isinstance(name, str) and name else first["territory_code"])
    if first["breakdown_value"]:
        label = first.get(f"breakdown_label_{lang}")
        parts.append(label if isinstance(label, str) and label else first["breakdown_value"])
    return "".join(f", {p}" for p in parts)


def series_bars(rows: pd.DataFrame, indicator: Indicator, lang: str = "fr") -> go.Figure:
    """One series over its years (rows of one item of time_series): figures.period_bars, with
    implied years said as such on the axis and in the source line, and the territory or the
    breakdown value in the title when the series has one. Refuses rows of several series or
    rows that are not single years (or not single dates)."""
    _one(rows, SERIES, "series_bars")
    kinds = set(rows["period"].map(period_kind))
    if kinds not in ({"year"}, {"date"}):
        raise ValueError(f"series_bars : périodes {sorted(set(rows['period']))} sur un axe")
    fig = figures.period_bars(_with_period_labels(rows.sort_values("period"), lang),
                              indicator, lang=lang)
    fig.layout.title.text = indicator.label(lang) + _scope(rows, lang)
    return fig


def breakdown_bars(rows: pd.DataFrame, indicator: Indicator, lang: str = "fr") -> go.Figure:
    """One cross-section (an item of cross_sections): figures.breakdown_bars, an implied year
    said as such, the territory named in the title when it is not national."""
    _one(rows, CROSS_SECTION, "breakdown_bars")
    fig = figures.breakdown_bars(_with_period_labels(rows, lang), indicator, lang=lang)
    first = rows.iloc[:1]
    if not is_national(first).all():
        fig.layout.title.text += _scope(first.assign(breakdown_value=""), lang)
    return fig


def chart_key(prefix: str, rows: pd.DataFrame) -> str:
    """A widget key for the chart of these rows, stable across runs and unique on a page:
    the prefix and the values the rows share (with the kind of periods of a series)."""
    parts = [prefix]
    for col in [*SERIES, "period"]:
        values = rows[col].unique()
        if len(values) == 1 and values[0]:
            parts.append(str(values[0]))
    if rows["period"].nunique() > 1:
        parts.append(period_kind(rows["period"].iloc[0]))
    return "_".join(parts)


def series_note(lang: str = "fr") -> str:
    """What a time axis of these pages holds, and where the other figures are."""
    return t("Un graphique dans le temps ne montre qu'une série : un indicateur, une source et "
             "un même champ (territoire, détail), à des années précises. Les périodes (comme "
             "2004-2006), les chiffres non datés et ceux d'autres sources ou d'un autre champ "
             "sont dans les tableaux.", lang)


def implied_note(obs: pd.DataFrame, lang: str = "fr") -> str:
    """A sentence on « année déduite » when one of these observations has an implied year,
    else ''."""
    if not is_implied(obs).any():
        return ""
    return t("« Année déduite » : la source ne date pas ce chiffre ; l'année vient de son "
             "texte (voir la note du chiffre).", lang)
