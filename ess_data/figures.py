"""Plotly figure builders: pure functions of DataFrames, each figure carrying title and source.

Every figure uses French separators (decimal comma, non-breaking space for thousands), a
restrained palette close to the French State design system's colours (colour-blind safe:
blue against ochre, single-hue blue scales) and a source line at the bottom.
"""
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ess_data import fmt
from ess_data.geo import bounds, fit_view
from ess_data.registry import Indicator

FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif"  # no proprietary font
BLUE = "#000091"      # bleu France
OCHRE = "#C08C00"     # warm counterpart, distinct from blue for every colour vision
GREY = "#929292"
NO_DATA = "#E5E5E5"
BLUES = [[0.0, "#E3E3FD"], [0.25, "#CACAFB"], [0.5, "#8585F6"], [0.75, "#3A3AD5"], [1.0, BLUE]]
SERIES = [BLUE, OCHRE, "#6A6A6A", "#8585F6"]
LEVEL_NAMES = {
    "fr": {"rural": "Territoires ruraux", "hors_rural": "Reste du territoire",
           "france": "France entière"},
    "en": {"rural": "Rural areas", "hors_rural": "Rest of the country", "france": "All France"},
}


def source_line(rows: pd.DataFrame, lang: str = "fr") -> str:
    """`Source : INSEE, title (2017) ; données 2014.` from rows with source and period columns."""
    parts = []
    for (publisher, title, published), _ in rows.groupby(
            ["source_publisher", "source_title", "source_published"], dropna=False, sort=False):
        year = f" ({str(published)[:4]})" if isinstance(published, str) and published else ""
        parts.append(f"{publisher}, {title}{year}")
    label = ("Source" if len(parts) == 1 else "Sources") if lang == "fr" else (
        "Source" if len(parts) == 1 else "Sources")
    periods = sorted({fmt.period(p, lang) for p in rows["period"].dropna().unique()})
    data_word = "données" if lang == "fr" else "data"
    tail = f" ; {data_word} {', '.join(periods)}." if periods else "."
    sep = " : " if lang == "fr" else ": "
    return f"{label}{sep}{' ; '.join(parts)}{tail}"


def finish(fig: go.Figure, title: str, source: str, lang: str = "fr",
           height: int = 420) -> go.Figure:
    """Apply the house layout: title, separators, font, source note under the plot."""
    note = _wrap(source, 130)
    n_lines = note.count("<br>") + 1
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        separators=fmt.PLOTLY_SEPARATORS[lang],
        font={"family": FONT, "size": 13, "color": "#161616"},
        paper_bgcolor="white", plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 70, "b": 60 + 15 * n_lines},
        height=height + 15 * n_lines, meta={"source": source},
    )
    # Below the axis labels (about 45 px), inside the bottom margin sized for the note.
    fig.add_annotation(text=note, xref="paper", yref="paper", x=0, y=0, yshift=-48,
                       xanchor="left", yanchor="top", showarrow=False, align="left",
                       font={"size": 11, "color": "#3A3A3A"})
    return fig


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


def rural_comparison(df: pd.DataFrame, indicators: list[Indicator], definitions: dict[str, str],
                     lang: str = "fr") -> go.Figure:
    """Side-by-side bars, one panel per indicator (two kinds of share never share an axis).

    `df`: observations_labelled rows of these indicators at territory levels rural, hors_rural
    or france (one row per bar, already chosen). `definitions`: rural definition id -> label,
    named in the note so every figure says which "rural" it uses.
    """
    fig = make_subplots(rows=1, cols=len(indicators), horizontal_spacing=0.08,
                        subplot_titles=[_wrap(i.label(lang), 38) for i in indicators])
    for col, ind in enumerate(indicators, start=1):
        part = df[df["indicator_id"] == ind.indicator_id]
        names = [LEVEL_NAMES[lang].get(lvl, lvl) for lvl in part["territory_level"]]
        fig.add_bar(
            x=names, y=part["value"],
            marker_color=[BLUE if lvl == "rural" else OCHRE for lvl in part["territory_level"]],
            text=[fmt.value(v, ind.unit, ind.decimals, lang, q or "")
                  for v, q in zip(part["value"], part["qualifier"].fillna(""))],
            textposition="outside", cliponaxis=False, showlegend=False,
            hovertemplate="%{x}<br>%{text}<extra></extra>", row=1, col=col)
        fig.update_yaxes(visible=False, range=[0, max(part["value"].max() * 1.25, 1)],
                         row=1, col=col)
    for ann in fig.layout.annotations:
        ann.font = {"size": 13}
    title = ("L'ESS pèse plus dans l'emploi des territoires ruraux" if lang == "fr"
             else "The social economy weighs more in rural employment")
    used = df.loc[df["territory_level"] == "rural", "territory_code"].unique()
    rural = "; ".join(definitions.get(d, d) for d in used)
    note = f"{source_line(df, lang)} Rural{' : ' if lang == 'fr' else ': '}{rural}."
    return finish(fig, title, note, lang, height=430)


def choropleth(geojson: dict, values: pd.DataFrame, indicator: Indicator, period: str,
               lang: str = "fr") -> go.Figure:
    """Offline choropleth (MapLibre, white background, no tiles) with a 'no data' layer.

    `values`: map_values rows (code, name, value, source_title, source_publisher, ...).
    """
    have = values[values["value"].notna()]
    missing = values[values["value"].isna()]
    no_data = "Aucune valeur publiée" if lang == "fr" else "No published value"
    unit_suffix = fmt.NBSP + "%" if indicator.unit == "percent" else ""
    fig = go.Figure()
    if len(missing):
        fig.add_trace(go.Choroplethmap(
            geojson=geojson, featureidkey="properties.code", locations=missing["code"],
            z=[0] * len(missing), colorscale=[[0, NO_DATA], [1, NO_DATA]], showscale=False,
            marker_line_color="white", marker_line_width=0.6, name=no_data,
            customdata=missing[["name"]],
            hovertemplate=f"<b>%{{customdata[0]}}</b><br>{no_data}<extra></extra>"))
    custom = pd.DataFrame({
        "name": have["name"],
        "value": [fmt.value(v, indicator.unit, indicator.decimals, lang) for v in have["value"]],
        "period": fmt.period(period, lang),
        "source": [f"{p}, {t}" for p, t in zip(have["source_publisher"], have["source_title"])],
    })
    period_word = "Année" if lang == "fr" else "Year"
    fig.add_trace(go.Choroplethmap(
        geojson=geojson, featureidkey="properties.code", locations=have["code"], z=have["value"],
        colorscale=BLUES, marker_line_color="white", marker_line_width=0.6,
        colorbar={"title": {"text": ""}, "ticksuffix": unit_suffix, "thickness": 14, "len": 0.7},
        customdata=custom.to_numpy(),
        hovertemplate=("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                       f"{period_word} : %{{customdata[2]}}<br>%{{customdata[3]}}<extra></extra>")))
    centre, zoom = fit_view(bounds(geojson))
    fig.update_layout(map={"style": "white-bg", "center": centre, "zoom": zoom})
    title = f"{indicator.label(lang)}, {fmt.period(period, lang)}"
    return finish(fig, title, source_line(have.assign(period=period), lang), lang, height=680)


def compare_bars(profile: pd.DataFrame, indicator: Indicator, territory_name: str,
                 lang: str = "fr") -> go.Figure:
    """One indicator for a territory against its region and France, grouped by period.

    `profile`: territory_profile rows of this indicator (one per period, default source).
    """
    fig = go.Figure()
    entities = [("value_territory", territory_name), ("value_region", None),
                ("value_france", None)]
    periods = [fmt.period(p, lang) for p in profile["period"]]
    for (col, name), colour in zip(entities, [BLUE, OCHRE, GREY]):
        if profile[col].isna().all():
            continue
        if name is None:
            name_col = "region_name" if col == "value_region" else "france_name"
            name = profile[name_col].dropna().iloc[0]
        fig.add_bar(name=name, x=periods, y=profile[col], marker_color=colour,
                    text=[fmt.value(v, indicator.unit, indicator.decimals, lang)
                          for v in profile[col]],
                    textposition="outside", cliponaxis=False,
                    hovertemplate=f"{name}<br>%{{x}} : %{{text}}<extra></extra>")
    fig.update_layout(barmode="group", yaxis={"visible": False},
                      legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0})
    fig.update_xaxes(type="category")
    return finish(fig, indicator.label(lang), source_line(profile, lang), lang, height=400)


def breakdown_bars(df: pd.DataFrame, indicator: Indicator, lang: str = "fr") -> go.Figure:
    """Horizontal bars of one indicator's breakdown (e.g. DLA sectors), one period and source."""
    part = df.sort_values("value")
    labels = part[f"breakdown_label_{lang}"].fillna(part["breakdown_value"])
    fig = go.Figure(go.Bar(
        x=part["value"], y=labels, orientation="h", marker_color=BLUE,
        text=[fmt.value(v, indicator.unit, indicator.decimals, lang) for v in part["value"]],
        textposition="outside", cliponaxis=False, hovertemplate="%{y} : %{text}<extra></extra>"))
    fig.update_xaxes(visible=False, range=[0, part["value"].max() * 1.2])
    title = f"{indicator.label(lang)}, {fmt.period(part['period'].iloc[0], lang)}"
    return finish(fig, title, source_line(part, lang), lang, height=120 + 38 * len(part))


def period_bars(df: pd.DataFrame, indicator: Indicator, lang: str = "fr") -> go.Figure:
    """One indicator over periods (e.g. PTCE laureates), one bar colour per source."""
    fig = go.Figure()
    for i, (source, part) in enumerate(df.groupby("source_publisher", sort=False)):
        fig.add_bar(name=source, x=[fmt.period(p, lang) for p in part["period"]], y=part["value"],
                    marker_color=SERIES[i % len(SERIES)],
                    text=[fmt.value(v, indicator.unit, indicator.decimals, lang, q or "")
                          for v, q in zip(part["value"], part["qualifier"].fillna(""))],
                    textposition="outside", cliponaxis=False,
                    hovertemplate=f"{source}<br>%{{x}} : %{{text}}<extra></extra>")
    fig.update_layout(barmode="group", yaxis={"visible": False},
                      showlegend=df["source_publisher"].nunique() > 1,
                      legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0})
    fig.update_xaxes(type="category")
    return finish(fig, indicator.label(lang), source_line(df, lang), lang, height=380)
