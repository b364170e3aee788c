"""Plotly figure builders: pure functions of DataFrames, each figure carrying title and source.

Every figure uses its language's separators (in French: decimal comma, non-breaking space for
thousands), a
restrained palette close to the French State design system's colours (colour-blind safe:
blue against ochre, single-hue blue scales) and a source line at the bottom.

Figures are written as plain Plotly specs (dicts) and wrapped once without Plotly's per-call
validation, which cost 15-40 ms a chart (deep copies of every coordinate for maps). The tests
put every builder's output through Plotly's validating constructor instead.
"""
import math

import pandas as pd
import plotly.graph_objects as go

from ess_data import fmt
from ess_data.i18n import t
from ess_data.registry import Indicator

FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif"  # no proprietary font
BLUE = "#000091"      # bleu France
OCHRE = "#C08C00"     # warm counterpart, distinct from blue for every colour vision
GREY = "#929292"
NO_DATA = "#E5E5E5"
BLUES = [[0.0, "#E3E3FD"], [0.25, "#CACAFB"], [0.5, "#8585F6"], [0.75, "#3A3AD5"], [1.0, BLUE]]
# ColorBrewer PuOr (diverging, colour-blind safe): orange for falls, purple for rises.
DIVERGING = [[0.0, "#b35806"], [0.25, "#f1a340"], [0.5, "#f7f7f7"], [0.75, "#998ec3"],
             [1.0, "#542788"]]
SERIES = [BLUE, OCHRE, "#6A6A6A", "#8585F6"]
TOP_LEGEND = {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0}


def level_name(level: str, lang: str = "fr") -> str:
    """A bar of the rural comparison: `Territoires ruraux`, `Reste du territoire`, ..."""
    names = {"rural": t("Territoires ruraux", lang), "hors_rural": t("Reste du territoire", lang),
             "france": t("France entière", lang)}
    return names.get(level, level)


def source_line(rows: pd.DataFrame, lang: str = "fr") -> str:
    """`Source : INSEE, title (2017) ; données 2014.` (`Source: INSEE, title (2017); 2014 data.`)
    from rows with source and period columns."""
    parts = []
    cited = rows[["source_publisher", "source_title", "source_published"]].drop_duplicates()
    for publisher, title, published in cited.itertuples(index=False):
        year = f" ({str(published)[:4]})" if isinstance(published, str) and published else ""
        part = f"{publisher}, {title}{year}"
        if part not in parts:
            parts.append(part)
    periods = sorted({t("non datées", lang) if p == "nd" else fmt.period(p, lang)
                      for p in rows["period"].dropna().unique()})  # « données non datées »
    sources = fmt.semicolon(lang).join(parts)
    if len(parts) == 1:
        return (t("Source : {sources} ; données {periods}.", lang, sources=sources,
                  periods=", ".join(periods)) if periods
                else t("Source : {sources}.", lang, sources=sources))
    return (t("Sources : {sources} ; données {periods}.", lang, sources=sources,
              periods=", ".join(periods)) if periods
            else t("Sources : {sources}.", lang, sources=sources))


def figure(data: list[dict], layout: dict, title: str, source: str, lang: str = "fr",
           height: int = 420, summary: str = "") -> go.Figure:
    """Assemble a figure with the house layout: title, separators, font, source note."""
    note = _wrap(source, 130)
    n_lines = note.count("<br>") + 1
    layout = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        "separators": fmt.PLOTLY_SEPARATORS[lang],
        "font": {"family": FONT, "size": 13, "color": "#161616"},
        "paper_bgcolor": "white", "plot_bgcolor": "white",
        "margin": {"l": 10, "r": 10, "t": 70, "b": 60 + 15 * n_lines},
        "height": height + 15 * n_lines, "meta": {"source": source, "summary": summary},
        **layout,
    }
    # Below the axis labels (about 45 px), inside the bottom margin sized for the note.
    layout["annotations"] = [*layout.get("annotations", []), {
        "text": note, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "yshift": -48,
        "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left",
        "font": {"size": 11, "color": "#3A3A3A"}}]
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(" "), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "<br>".join(lines)


def _texts(values, ind: Indicator, lang: str, qualifiers=None) -> list[str]:
    qualifiers = [""] * len(values) if qualifiers is None else qualifiers
    return [fmt.value(v, ind.unit, ind.decimals, lang, q if isinstance(q, str) else "")
            for v, q in zip(values, qualifiers)]


def rural_comparison(df: pd.DataFrame, indicators: list[Indicator], definitions: dict[str, str],
                     lang: str = "fr") -> go.Figure:
    """Side-by-side bars, one panel per indicator (two kinds of share never share an axis).

    `df`: observations_labelled rows of these indicators at territory levels rural, hors_rural
    or france (one row per bar, already chosen). `definitions`: rural definition id -> label,
    named in the note so every figure says which "rural" it uses.
    """
    n, gap = len(indicators), 0.08
    width = (1 - gap * (n - 1)) / n
    data, layout, titles = [], {"showlegend": False}, []
    for i, ind in enumerate(indicators):
        part = df[df["indicator_id"] == ind.indicator_id]
        suffix = "" if i == 0 else str(i + 1)
        start = i * (width + gap)
        data.append({
            "type": "bar", "name": ind.label(lang),
            "x": [level_name(lvl, lang) for lvl in part["territory_level"]],
            "y": part["value"].tolist(),
            "marker": {"color": [BLUE if lvl == "rural" else OCHRE
                                 for lvl in part["territory_level"]]},
            "text": _texts(part["value"], ind, lang, part["qualifier"].tolist()),
            "textposition": "outside", "cliponaxis": False,
            "hovertemplate": "%{x}<br>%{text}<extra></extra>",
            "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"})
        layout[f"xaxis{suffix}"] = {"domain": [start, start + width], "anchor": f"y{suffix}"}
        layout[f"yaxis{suffix}"] = {"visible": False, "anchor": f"x{suffix}",
                                    "range": [0, max(part["value"].max() * 1.25, 1)]}
        titles.append({"text": _wrap(ind.label(lang), 38), "x": start + width / 2, "y": 1.0,
                       "xref": "paper", "yref": "paper", "xanchor": "center",
                       "yanchor": "bottom", "showarrow": False, "font": {"size": 13}})
    layout["annotations"] = titles
    layout["margin"] = {"l": 10, "r": 10, "t": 110}
    title = t("L'ESS pèse plus dans l'emploi des territoires ruraux", lang)
    used = df.loc[df["territory_level"] == "rural", "territory_code"].unique()
    rural = "; ".join(definitions.get(d, d) for d in used)
    note = f"{source_line(df, lang)} {t('Rural : {definitions}.', lang, definitions=rural)}"
    return figure(data, layout, title, note, lang, height=460)


def choropleth(geojson: dict, values: pd.DataFrame, indicator: Indicator, period: str,
               lang: str = "fr", edges: list[float] | None = None,
               outline: list[str] | None = None, place: str = "",
               rural_label: str = "", symbols: pd.DataFrame | None = None,
               symbol_indicator: Indicator | None = None,
               highlight: tuple[str, str] | None = None) -> go.Figure:
    """A choropleth of one series: described once (ess_data.mapspec.build, which documents
    the arguments) and drawn as Plotly geo traces, vector in SVG and PDF
    (ess_data.mapfigure). The figure keeps its description (`.spec`), which the in-app map
    (ess_data.mapview), the data table and the text alternative read."""
    from ess_data import mapfigure, mapspec  # they build on this module's house layout
    return mapfigure.figure(mapspec.build(
        geojson, values, indicator, period, lang, edges=edges, outline=outline, place=place,
        rural_label=rural_label, symbols=symbols, symbol_indicator=symbol_indicator,
        highlight=highlight))


def entity_name(profile: pd.DataFrame, col: str, lang: str = "fr") -> str:
    """The name of the region or France next to a territory in territory_profile rows
    (`col`: value_region or value_france), in `lang` where the warehouse has it."""
    base = "region_name" if col == "value_region" else "france_name"
    names = profile[base]
    if lang != "fr" and f"{base}_{lang}" in profile:
        names = profile[f"{base}_{lang}"].fillna(names)
    return names.dropna().iloc[0]


def compare_bars(profile: pd.DataFrame, indicator: Indicator, territory_name: str,
                 lang: str = "fr") -> go.Figure:
    """One indicator for a territory against its region and France, grouped by period.

    `profile`: territory_profile rows of this indicator (one per period, default source).
    """
    periods = [fmt.period(p, lang) for p in profile["period"]]
    data = []
    entities = [("value_territory", territory_name), ("value_region", None),
                ("value_france", None)]
    for (col, name), colour in zip(entities, [BLUE, OCHRE, GREY]):
        if profile[col].isna().all():
            continue
        if name is None:
            name = entity_name(profile, col, lang)
        data.append({
            "type": "bar", "name": name, "x": periods, "y": profile[col].tolist(),
            "marker": {"color": colour}, "text": _texts(profile[col], indicator, lang),
            "textposition": "outside", "cliponaxis": False,
            "hovertemplate": f"{name}<br>%{{x}}{fmt.colon(lang)}%{{text}}<extra></extra>"})
    layout = {"barmode": "group", "yaxis": {"visible": False}, "legend": TOP_LEGEND,
              "xaxis": {"type": "category"}}
    return figure(data, layout, indicator.label(lang), source_line(profile, lang), lang,
                  height=400)


def compare_territories(rows: pd.DataFrame, indicator: Indicator, lang: str = "fr",
                        note: str = "") -> go.Figure:
    """One indicator for the territories of a profile's comparison, side by side: one
    horizontal bar per territory in the order given (top to bottom), the profiled territory
    (the first row) in blue, the others in grey; a territory the series does not cover keeps
    its place, marked « non publié ».

    `rows`: one row per territory, columns `territory` (its label), `value`, and the one series'
    `period`, `source_publisher`, `source_title`, `source_published` (never two sources: a
    chart draws one series). `note`: what the source line adds, e.g. the rural definition.
    """
    have = rows[rows["value"].notna()]
    period = fmt.period(have["period"].iloc[0], lang) if len(have) else ""
    values = rows["value"].astype(float)
    texts = [t("non publié", lang) if math.isnan(v) else text
             for v, text in zip(values, _texts(values, indicator, lang))]
    data = [{
        "type": "bar", "orientation": "h", "name": indicator.label(lang),
        "x": [0.0 if math.isnan(v) else v for v in values], "y": rows["territory"].tolist(),
        "marker": {"color": [BLUE] + [GREY] * (len(rows) - 1)},
        "text": texts, "textposition": "outside", "cliponaxis": False,
        "hovertemplate": f"%{{y}}{fmt.colon(lang)}%{{text}}<extra></extra>"}]
    top = values.max() if len(have) else 1.0
    layout = {"showlegend": False,
              "xaxis": {"visible": False, "range": [0, top * 1.25]},
              "yaxis": {"automargin": True, "autorange": "reversed", "type": "category"}}
    title = f"{indicator.label(lang)}, {period}" if period else indicator.label(lang)
    source = source_line(have if len(have) else rows, lang) + (f" {note}" if note else "")
    return figure(data, layout, title, source, lang, height=130 + 36 * len(rows))


def breakdown_bars(df: pd.DataFrame, indicator: Indicator, lang: str = "fr") -> go.Figure:
    """Horizontal bars of one indicator's breakdown (e.g. DLA sectors), one period and source."""
    part = df.sort_values("value")
    labels = part[f"breakdown_label_{lang}"].fillna(part["breakdown_value"])
    data = [{"type": "bar", "orientation": "h", "x": part["value"].tolist(),
             "y": labels.tolist(), "marker": {"color": BLUE},
             "text": _texts(part["value"], indicator, lang), "textposition": "outside",
             "cliponaxis": False,
             "hovertemplate": f"%{{y}}{fmt.colon(lang)}%{{text}}<extra></extra>"}]
    layout = {"xaxis": {"visible": False, "range": [0, part["value"].max() * 1.2]},
              "yaxis": {"automargin": True}}
    title = f"{indicator.label(lang)}, {fmt.period(part['period'].iloc[0], lang)}"
    return figure(data, layout, title, source_line(part, lang), lang,
                  height=120 + 38 * len(part))


def period_bars(df: pd.DataFrame, indicator: Indicator, lang: str = "fr") -> go.Figure:
    """One indicator over periods (e.g. PTCE laureates), one bar colour per source."""
    data = []
    for i, (source, part) in enumerate(df.groupby("source_publisher", sort=False)):
        data.append({
            "type": "bar", "name": source,
            "x": [fmt.period(p, lang) for p in part["period"]], "y": part["value"].tolist(),
            "marker": {"color": SERIES[i % len(SERIES)]},
            "text": _texts(part["value"], indicator, lang, part["qualifier"].tolist()),
            "textposition": "outside", "cliponaxis": False,
            "hovertemplate": f"{source}<br>%{{x}}{fmt.colon(lang)}%{{text}}<extra></extra>"})
    layout = {"barmode": "group", "yaxis": {"visible": False}, "xaxis": {"type": "category"},
              "showlegend": df["source_publisher"].nunique() > 1, "legend": TOP_LEGEND}
    return figure(data, layout, indicator.label(lang), source_line(df, lang), lang, height=380)


def slope(profile: pd.DataFrame, indicator: Indicator, territory_name: str,
          lang: str = "fr") -> go.Figure:
    """Slope chart of one indicator between its first and last period: the territory, its
    region and France (territory_profile rows, one source, sorted by period)."""
    ends = profile.iloc[[0, -1]]
    periods = [fmt.period(p, lang) for p in ends["period"]]
    data = []
    entities = [("value_territory", territory_name, BLUE), ("value_region", None, OCHRE),
                ("value_france", None, GREY)]
    for col, name, colour in entities:
        if ends[col].isna().any():
            continue
        if name is None:
            name = entity_name(ends, col, lang)
        texts = _texts(ends[col], indicator, lang)
        data.append({
            "type": "scatter", "mode": "lines+markers+text", "name": name, "x": periods,
            "y": ends[col].tolist(), "line": {"color": colour, "width": 3},
            "marker": {"size": 9, "color": colour},
            "text": [f"{texts[0]}  ", f"  {texts[1]} {name}"],
            "textposition": ["middle left", "middle right"], "cliponaxis": False,
            "hovertemplate": f"{name}<br>%{{x}}{fmt.colon(lang)}%{{y}}<extra></extra>"})
    # a value axis starting at zero, so that the slope is not magnified by a cut axis
    top = max((max(trace["y"]) for trace in data), default=0)
    layout = {"showlegend": False,
              "yaxis": {"visible": True, "rangemode": "tozero", "range": [0, top * 1.15],
                        "ticksuffix": f"{fmt.NBSP}%" if indicator.unit == "percent" else "",
                        "showgrid": True, "gridcolor": "#E5E5E5", "zeroline": True},
              "xaxis": {"type": "category", "range": [-0.6, 2.2]},
              "margin": {"l": 80, "r": 10, "t": 70}}
    title = f"{indicator.label(lang)}{fmt.colon(lang)}{periods[0]} → {periods[1]}"
    return figure(data, layout, title, source_line(ends, lang), lang, height=380)


def _table_rows(fig: go.Figure) -> list[tuple[str, str, str]]:
    """(series, category, value as written) of every point of the figure."""
    spec = getattr(fig, "spec", None)  # a map: its description (ess_data.mapspec)
    if spec is not None:
        return spec.table_rows()
    rows = []
    for trace in fig.data:
        name = trace.name or ""
        if trace.type in ("bar", "scatter"):
            horizontal = getattr(trace, "orientation", None) == "h"
            cats = trace.y if horizontal else trace.x
            texts = trace.text if trace.text is not None else (trace.x if horizontal
                                                               else trace.y)
            rows += [(name, str(c), str(v).strip().removesuffix(" " + name).strip())
                     for c, v in zip(cats, texts)]
    return rows


def data_table(fig: go.Figure, lang: str = "fr") -> pd.DataFrame:
    """The figure's data as a table (the chart's accessible data view): one row per point,
    with its series, its category (a territory, a period, a sector) and the value as the chart
    writes it. Columns `Série`, `Catégorie`, `Valeur` (`Series`, `Category`, `Value`)."""
    return pd.DataFrame(_table_rows(fig), columns=[
        t("Série", lang), t("Catégorie", lang), t("Valeur", lang)])


def describe(fig: go.Figure, lang: str = "fr") -> str:
    """A short text alternative in `lang`: the title, what is drawn, extremes, and the source."""
    title = (fig.layout.title.text or "").replace("<br>", " ")
    rows = _table_rows(fig)
    kinds = {tr.type for tr in fig.data}
    if getattr(fig, "spec", None) is not None:
        kind = t("Carte de {n} territoires", lang, n=len(rows))
    elif "scatter" in kinds:
        kind = t("Graphique en pente", lang)
    else:
        kind = t("Graphique en barres", lang)
    text = f"{kind}{fmt.colon(lang)}{title}."
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    if meta.get("summary"):
        text += " " + meta["summary"]
    elif len(rows) <= 12:
        text += " " + fmt.semicolon(lang).join(
            f"{series + ', ' if series else ''}{category}{fmt.colon(lang)}{value}"
            for series, category, value in rows) + "."
    return f"{text} {meta.get('source', '')}".strip()
