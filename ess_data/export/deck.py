"""A territory's meeting deck: PowerPoint (native charts), the same slides as PDF, and XLSX.

`load()` gathers everything from the warehouse once (named queries only); `to_pptx`, `to_pdf`
and `to_xlsx` lay the same content out. Slides: title; key figures; one comparison chart per
indicator published for the territory (one source, no breakdown: figures are never mixed
across sources); the map; key points; definitions; sources. `load(..., lang=)` chooses the
language of every word of the deck (French by default); the Deck carries it to the writers.
"""
import io
import math
import textwrap
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.util import Inches, Pt
from pypdf import PdfReader, PdfWriter

from ess_data import figures, fmt, geo, series
from ess_data.db import run_query
from ess_data.export import charts, extraction_line, slug, tables
from ess_data.i18n import t
from ess_data.profile import key_messages
from ess_data.registry import ESS_SHARE, LEVELS, Indicator, level_label, load_registry
from ess_data.territory import map_values, metrics, offers, parse_zone

APPROX = "approx_densite_communale"     # our rural approximation (commune density)
# Sources of the territory figures that no observation row names (populations, our sums).
TERRITORY_SOURCES = ("insee_populations_legales_2023", "calcul_projet_territoires")
SLIDE_W, SLIDE_H = 1280, 720            # PDF slides in CSS pixels (960 x 540 pt, 16:9)
COLOURS = [figures.BLUE, figures.OCHRE, figures.GREY]
LINES_PER_SLIDE = 22                    # wrapped lines of text on a definitions/sources slide
WRAP = 125                              # characters per line at 12 pt across the slide


class UnknownTerritory(ValueError):
    """No territory with this level and code (the message is in the language asked)."""


@dataclass(frozen=True)
class Chart:
    """One comparison chart: an indicator's figures for the territory, its region and France."""

    indicator: Indicator
    rows: pd.DataFrame                 # territory_profile rows: one source, sorted by period
    categories: list[str]              # periods as they read
    series: list[tuple[str, list]]     # (name, values; None where not published)
    note: str                          # the source line


@dataclass(frozen=True)
class Deck:
    """Everything a territory's deck shows, read from the warehouse once."""

    niveau: str
    code: str
    name: str
    territory: dict
    extracted: date
    rurality: pd.DataFrame
    rural_share: float                 # % of the population in rural communes (approximation)
    rural_communes: int
    rural_definition: dict
    charts: list[Chart]
    map_figure: object | None          # plotly Figure of the level's map, territory outlined
    profile: pd.DataFrame              # every territory_profile row
    sources: pd.DataFrame              # tables.sources_frame of every source used
    messages: list[str]                # the profile page's key messages (ess_data.profile)
    lang: str = "fr"                   # the language of every text above and of the files

    @property
    def title(self) -> str:
        """`Bretagne` or `Lozère (48)` for titles."""
        return self.name if self.niveau == "region" else f"{self.name} ({self.code})"

    @property
    def subtitle(self) -> str:
        """`Région (code 53) · L'ESS dans l'emploi, ... · extrait le 27/11/2026` (in the deck's
        language)."""
        lang = self.lang
        region = (t(" · région {name}", lang, name=self.territory["region_name"])
                  if self.niveau == "departement" else "")
        return t("{level} (code {code}){region} · L'ESS dans l'emploi, chiffres publiés et "
                 "sourcés · extrait le {date}", lang, level=level_label(self.niveau, lang),
                 code=self.code, region=region, date=fmt.day(self.extracted, lang))

    def ess_share(self) -> Chart | None:
        """The chart of the ESS share of salaried jobs, if published for the territory."""
        return next((c for c in self.charts if c.indicator.indicator_id == ESS_SHARE), None)


def _chart(rows: pd.DataFrame, ind: Indicator, name: str, lang: str = "fr") -> Chart:
    def values(col):
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
                for v in rows[col]]
    series = [(name, values("value_territory"))]
    for col in ("value_region", "value_france"):
        if rows[col].notna().any():
            series.append((figures.entity_name(rows, col, lang), values(col)))
    return Chart(ind, rows, [fmt.period(p, lang) for p in rows["period"]], series,
                 figures.source_line(rows, lang))


def _map(con, registry, niveau: str, code: str, name: str, lang: str = "fr"):
    """The ESS share on a map, one series (the fullest period and source): a region's
    departments for a region; France's departments for a department, outlined in ochre."""
    if ESS_SHARE not in registry:
        return None
    ind = registry.get(ESS_SHARE)
    _, best = offers(con, ind, "departement")
    if best is None:
        return None
    period, source_id = best
    if niveau == "region":
        zone = parse_zone(f"region-{code}")
        values = map_values(con, ind, "departement", period, zone, source_id=source_id)
        shapes = geo.to_geojson(run_query(con, "geometries", level="departement",
                                          region_code=code, departement_code=None))
        return figures.choropleth(shapes, values, ind, period, lang, place=name,
                                  glyphs=figures.GLYPHS_PATH)
    everywhere = {"region_code": None, "departement_code": None}  # the map of all France
    values = map_values(con, ind, "departement", period, source_id=source_id)
    shapes = geo.to_geojson(run_query(con, "geometries", level="departement", **everywhere))
    # labels; the glyph URL is set where the map is drawn (charts.for_export, widgets.chart)
    fig = figures.choropleth(shapes, values, ind, period, lang, glyphs=figures.GLYPHS_PATH)
    clear = "rgba(0,0,0,0)"
    fig.add_trace({
        "type": "choroplethmap", "geojson": geo.subset(shapes, [code]),
        "featureidkey": "properties.code", "locations": [code], "z": [1],
        "colorscale": [[0, clear], [1, clear]], "showscale": False, "hoverinfo": "skip",
        "marker": {"line": {"color": figures.OCHRE, "width": 4}}, "name": name})
    fig.layout.title.text = t("{title} — {name} entouré en ocre", lang,
                              title=fig.layout.title.text, name=name)
    return fig


def load(con: duckdb.DuckDBPyConnection, niveau: str, code: str,
         extracted: date | None = None, lang: str = "fr") -> Deck:
    """Read a territory's deck content, its texts in `lang`; UnknownTerritory for an unknown
    level or code."""
    if niveau not in LEVELS:
        raise UnknownTerritory(t("Niveau inconnu : « {level} » (attendu : region ou "
                                 "departement).", lang, level=niveau))
    terr = run_query(con, "territory", level=niveau, code=code)
    if terr.empty:
        raise UnknownTerritory(t("Aucun territoire de niveau « {level} » n'a le code "
                                 "« {code} ».", lang, level=niveau, code=code))
    territory = terr.iloc[0].to_dict()
    registry = load_registry(con)
    rurality = run_query(con, "territory_rurality", level=niveau, code=code,
                         rural_definition_id=APPROX)
    rural = rurality[rurality["is_rural"].fillna(False).astype(bool)]
    profile = run_query(con, "territory_profile", level=niveau, code=code)
    charts_ = []
    for ind_id, part in profile.groupby("indicator_id", sort=False):
        ind = registry.get(ind_id)
        rows = series.shown_series(part)  # the one series the warehouse shows
        if len(rows):
            charts_.append(_chart(rows, ind, territory["name"], lang))
    charts_.sort(key=lambda c: (c.indicator.indicator_id != ESS_SHARE,
                                c.indicator.indicator_id))
    definitions = run_query(con, "rural_definitions")
    definition = definitions[definitions["rural_definition_id"] == APPROX].iloc[0].to_dict()
    all_sources = run_query(con, "sources")
    used = [*profile["source_id"], definition["source_id"],
            *[s for s in TERRITORY_SOURCES if s in set(all_sources["source_id"])]]
    ess = series.shown_series(profile[profile["indicator_id"] == ESS_SHARE])
    messages = key_messages(
        territory["name"], niveau, metrics(con, niveau, code=code, rural=APPROX).iloc[0].to_dict(),
        metrics(con, "france", rural=APPROX).iloc[0].to_dict(), definition[f"label_{lang}"],
        ess if len(ess) else None,
        territory["region_name"] if niveau == "departement" else None, lang=lang)
    return Deck(
        messages=messages, lang=lang,
        niveau=niveau, code=code, name=territory["name"], territory=territory,
        extracted=extracted or date.today(), rurality=rurality,
        rural_share=float(rural["share_population"].sum()),
        rural_communes=int(rural["n_communes"].sum()), rural_definition=definition,
        charts=charts_, map_figure=_map(con, registry, niveau, code, territory["name"], lang),
        profile=profile, sources=tables.sources_frame(all_sources, used, lang))


# --- what the slides say (shared by PPTX and PDF) ------------------------------------------

def key_figures(deck: Deck, lang: str | None = None) -> list[tuple[str, str]]:
    """(value, label) of the key figures boxes (`lang`: the deck's language if not given)."""
    lang = lang or deck.lang
    terr = deck.territory
    return [
        (fmt.number(terr["population"], 0, lang),
         t("habitants (population municipale {year})", lang, year=terr["population_year"])),
        (fmt.number(terr["density"], 1, lang), t("habitants par km²", lang)),
        (fmt.value(deck.rural_share, "percent", 1, lang),
         t("de la population en commune rurale (approximation)", lang)),
        (t("{n} sur {total}", lang, n=fmt.number(deck.rural_communes, 0, lang),
           total=fmt.number(terr["n_communes"], 0, lang)),
         t("communes rurales (approximation)", lang)),
    ]


def ess_share_table(deck: Deck, lang: str | None = None) -> list[list[str]] | None:
    """Header row then one row per entity: the published ESS share of salaried jobs."""
    lang = lang or deck.lang
    chart = deck.ess_share()
    if chart is None:
        return None
    ind = chart.indicator
    rows = [["", *chart.categories]]
    for name, values in chart.series:
        rows.append([name, *[fmt.value(v, ind.unit, ind.decimals, lang) for v in values]])
    return rows


def key_figures_note(deck: Deck, lang: str | None = None) -> str:
    """Where the key figures come from."""
    lang = lang or deck.lang
    parts = [t("Population légale {year} (Insee, recensement) ; superficie, densité et part "
               "rurale calculées par le projet à partir des communes. « Rural » : {rural}, pas "
               "la grille officielle de l'Insee.", lang,
               year=deck.territory["population_year"],
               rural=deck.rural_definition[f"label_{lang}"])]
    chart = deck.ess_share()
    if chart is not None:
        parts.append(f"{chart.indicator.label(lang)} — {chart.note}")
    parts.append(extraction_line(deck.extracted, lang))
    return " ".join(parts)


def _unit_format(ind: Indicator, lang: str = "fr") -> str:
    """PowerPoint number format of an indicator (Office shows it with its own separators)."""
    base = tables.number_format(ind.decimals)
    suffix = {"percent": "\u00a0%", "euros": "\u00a0€",
              "count_fte": "\u00a0" + t("ETP", lang)}.get(ind.unit)
    return f'{base}"{suffix}"' if suffix else base


def definition_lines(deck: Deck, lang: str | None = None) -> list[str]:
    """Definitions of the indicators shown and of 'rural', one paragraph each."""
    lang = lang or deck.lang
    colon = fmt.colon(lang)
    lines = [f"{c.indicator.label(lang)}{colon}{c.indicator.definition(lang)}"
             for c in deck.charts]
    d = deck.rural_definition
    # The warehouse has the method in French only (no `method_en` column yet): French then.
    method = d.get(f"method_{lang}") or d["method_fr"]
    lines.append(t("Rural ({label}) : {method}", lang, label=d[f"label_{lang}"], method=method))
    lines.append(t("Population municipale : population légale du recensement (Insee) ; "
                   "densité : population des communes de superficie connue rapportée à leur "
                   "superficie.", lang))
    return lines


def source_lines(deck: Deck, lang: str | None = None) -> list[str]:
    """One paragraph per source: publisher, title, date, address, licence (as published)."""
    lang = lang or deck.lang
    lines = []
    for row in deck.sources.itertuples(index=False):
        text = f"{row[1]}, {row[0]}"
        if row[2]:
            text += f" ({row[2]})"
        if row[3]:
            text += f" — {row[3]}"
        if row[4]:
            text += t(" — licence : {licence}", lang, licence=row[4])
        lines.append(text)
    lines.append(extraction_line(deck.extracted, lang))
    return lines


def _pages(lines: list[str]) -> list[list[str]]:
    """Paragraphs split into slides of at most LINES_PER_SLIDE wrapped lines."""
    pages, page, used = [], [], 0
    for line in lines:
        n = len(textwrap.wrap(line, WRAP)) or 1
        if page and used + n > LINES_PER_SLIDE:
            pages.append(page)
            page, used = [], 0
        page.append(line)
        used += n
    return [*pages, page] if page else pages


def text_slides(deck: Deck, lang: str | None = None) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of the key points, definitions and sources slides, continued where
    long. The key points are written once, in the deck's language, by `load`."""
    lang = lang or deck.lang
    out = []
    for title, lines in ((t("À retenir — {territory}", lang, territory=deck.title),
                          deck.messages),
                         (t("Définitions", lang), definition_lines(deck, lang)),
                         (t("Sources", lang), source_lines(deck, lang))):
        for i, page in enumerate(_pages(lines)):
            out.append((title if i == 0 else t("{title} (suite)", lang, title=title), page))
    return out


def key_figures_title(deck: Deck, lang: str | None = None) -> str:
    """`Chiffres clés — Lozère (48)`."""
    return t("Chiffres clés — {territory}", lang or deck.lang, territory=deck.title)


def map_title(deck: Deck, lang: str | None = None) -> str:
    """`Carte — Départements` (a department among France's), `Carte — Départements de
    Bretagne` (a region's own)."""
    lang = lang or deck.lang
    return (t("Carte — Départements de {name}", lang, name=deck.name)
            if deck.niveau == "region" else t("Carte — Départements", lang))


def slide_titles(deck: Deck, lang: str | None = None) -> list[str]:
    """Titles of every slide, in order (the same in PPTX and PDF)."""
    lang = lang or deck.lang
    titles = [deck.title, key_figures_title(deck, lang)]
    titles += [c.indicator.label(lang) for c in deck.charts]
    if deck.map_figure is not None:
        titles.append(map_title(deck, lang))
    return titles + [title for title, _ in text_slides(deck, lang)]


# --- PowerPoint -------------------------------------------------------------------------------

def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#"))


def _text(slide, left, top, width, height, paragraphs, size=12, colour="#3A3A3A", bold=False):
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    for i, text in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.text = text
        p.space_after = Pt(4)
        for run in p.runs:
            run.font.size = Pt(size)
            run.font.name = "Arial"
            run.font.bold = bold
            run.font.color.rgb = _rgb(colour)
    return box


def _title(slide, text: str, size: int = 28) -> None:
    slide.shapes.title.text = text
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = (Inches(0.6), Inches(0.3), Inches(12.1),
                                                        Inches(0.9))
    for p in title.text_frame.paragraphs:
        for run in p.runs:
            run.font.size, run.font.name, run.font.bold = Pt(size), "Arial", True
            run.font.color.rgb = _rgb(figures.BLUE)


def _native_chart(slide, chart: Chart, lang: str = "fr") -> None:
    data = CategoryChartData(number_format=_unit_format(chart.indicator, lang))
    data.categories = chart.categories
    for name, values in chart.series:
        data.add_series(name, values)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(0.6), Inches(1.3),
                                   Inches(12.1), Inches(4.9), data)
    c = frame.chart
    c.font.name, c.font.size = "Arial", Pt(14)
    c.has_legend = True
    c.legend.position, c.legend.include_in_layout = XL_LEGEND_POSITION.TOP, False
    c.value_axis.visible = False
    c.value_axis.has_major_gridlines = False
    c.value_axis.minimum_scale = 0
    plot = c.plots[0]
    plot.gap_width = 80
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = _unit_format(chart.indicator, lang)
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(14)
    for plotted, colour in zip(plot.series, COLOURS):
        plotted.format.fill.solid()
        plotted.format.fill.fore_color.rgb = _rgb(colour)


def _notes(slide, lines: list[str]) -> None:
    """Speaker notes: what the presenter may say, and where each figure comes from."""
    slide.notes_slide.notes_text_frame.text = "\n".join(line for line in lines if line)


def to_pptx(deck: Deck, map_png: bytes | None = None) -> bytes:
    """The deck as a 16:9 PowerPoint file in the deck's language; the map is a PNG rendered by
    the chart engine.

    Without Chromium the map slide says why it is empty; everything else is native.
    """
    lang = deck.lang
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    title_layout, title_only = prs.slide_layouts[0], prs.slide_layouts[5]

    slide = prs.slides.add_slide(title_layout)
    _title(slide, deck.title, 40)
    slide.shapes.title.top = Inches(2.4)
    slide.shapes.title.height = Inches(1.2)
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = Inches(0.6), Inches(3.7), Inches(12.1), Inches(1.5)
    sub.text = deck.subtitle
    for p in sub.text_frame.paragraphs:
        for run in p.runs:
            run.font.size, run.font.name = Pt(20), "Arial"
            run.font.color.rgb = _rgb("#3A3A3A")
    _notes(slide, [extraction_line(deck.extracted, lang),
                   t("Chaque chiffre est publié par sa source, citée sous chaque graphique et "
                     "en fin de dossier.", lang)])

    slide = prs.slides.add_slide(title_only)
    _title(slide, key_figures_title(deck))
    for i, (value, label) in enumerate(key_figures(deck)):
        _text(slide, 0.6 + i * 3.05, 1.4, 2.9, 0.7, [value], 28, figures.BLUE, bold=True)
        _text(slide, 0.6 + i * 3.05, 2.1, 2.9, 0.8, [label], 13)
    share = ess_share_table(deck)
    if share:
        _text(slide, 0.6, 3.1, 12.1, 0.4, [deck.ess_share().indicator.label(lang)], 16,
              "#161616", bold=True)
        table = slide.shapes.add_table(len(share), len(share[0]), Inches(0.6), Inches(3.6),
                                       Inches(8), Inches(0.4 * len(share))).table
        for r, row in enumerate(share):
            for col, text in enumerate(row):
                table.cell(r, col).text = text
                for run in table.cell(r, col).text_frame.paragraphs[0].runs:
                    run.font.size, run.font.name = Pt(14), "Arial"
    _text(slide, 0.6, 6.0, 12.1, 1.3, [key_figures_note(deck)], 10)
    _notes(slide, [key_figures_note(deck)])

    for chart in deck.charts:
        slide = prs.slides.add_slide(title_only)
        _title(slide, chart.indicator.label(lang))
        _native_chart(slide, chart, lang)
        _text(slide, 0.6, 6.3, 12.1, 1.1, [chart.note, extraction_line(deck.extracted, lang)],
              10)
        _notes(slide, [chart.indicator.definition(lang), chart.note])

    if deck.map_figure is not None:
        slide = prs.slides.add_slide(title_only)
        _title(slide, map_title(deck))
        reason = None if map_png else charts.unavailable_reason(lang)
        if reason:  # native charts need no browser: the deck is still made, without the map
            _text(slide, 0.6, 1.4, 12.1, 1.5, [
                t("Carte non incluse : {reason}", lang, reason=reason),
                t("Elle est visible sur la page « Carte des territoires » du tableau de bord.",
                  lang)], 16)
        else:
            png = map_png or charts.to_image(deck.map_figure, "png", deck.extracted, lang=lang)
            picture = slide.shapes.add_picture(io.BytesIO(png), Inches(0.6), Inches(1.2),
                                               height=Inches(6.1))
            picture.left = int((prs.slide_width - picture.width) / 2)
        _notes(slide, [figures.describe(deck.map_figure, lang)])  # also without the picture

    key_points = t("À retenir — {territory}", lang, territory=deck.title)
    for title, lines in text_slides(deck):
        slide = prs.slides.add_slide(title_only)
        _title(slide, title)
        # the key points are read out in a meeting: large type; references stay compact
        _text(slide, 0.6, 1.3, 12.1, 5.9, lines, 20 if title == key_points else 12)
        _notes(slide, [t("Messages écrits par des règles à partir des chiffres du dossier ; "
                         "rapports, rangs et évolutions : calcul du projet (méthodes sur la "
                         "page « Sources et définitions »).", lang) if title == key_points
                       else extraction_line(deck.extracted, lang)])

    prs.core_properties.title = t("L'ESS dans l'emploi — {territory}", lang,
                                  territory=deck.title)
    prs.core_properties.author = t("Tableau de bord ESS et ruralité", lang)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# --- PDF: the same slides drawn as Plotly pages by the chart engine, then joined ---------------

def _page(title: str, annotations: list[dict], data: list | None = None,
          title_size: int = 30, lang: str = "fr") -> dict:
    return {"data": data or [], "layout": {
        "width": SLIDE_W, "height": SLIDE_H, "paper_bgcolor": "white", "plot_bgcolor": "white",
        "font": {"family": figures.FONT, "color": "#161616"},
        "separators": fmt.PLOTLY_SEPARATORS[lang],
        "xaxis": {"visible": False}, "yaxis": {"visible": False},
        "margin": {"l": 60, "r": 60, "t": 100, "b": 40},
        "title": {"text": title, "x": 0.047, "xanchor": "left", "y": 0.93,
                  "font": {"size": title_size, "color": figures.BLUE}},
        "annotations": annotations}}


def _note(x, y, text, size=13, colour="#3A3A3A", width=WRAP, **extra) -> dict:
    wrapped = "<br>".join(textwrap.wrap(text, width)) if width else text
    return {"text": wrapped, "x": x, "y": y, "xref": "paper", "yref": "paper",
            "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left",
            "font": {"size": size, "color": colour}, **extra}


def _pdf_pages(deck: Deck) -> list[dict]:
    lang = deck.lang
    pages = [_page("", [
        _note(0, 0.62, deck.title, 48, figures.BLUE, width=0),
        _note(0, 0.45, deck.subtitle, 20, width=90)], lang=lang)]
    boxes = []
    for i, (value, label) in enumerate(key_figures(deck)):
        boxes.append(_note(i * 0.26, 1.0, f"<b>{value}</b>", 34, figures.BLUE, width=0))
        boxes.append(_note(i * 0.26, 0.9, label, 14, width=32))
    data = []
    share = ess_share_table(deck)
    if share:
        boxes.append(_note(0, 0.68, f"<b>{deck.ess_share().indicator.label(lang)}</b>", 18,
                           "#161616", width=0))
        columns = [list(col) for col in zip(*share[1:])]
        data.append({"type": "table", "domain": {"x": [0, 0.7], "y": [0.2, 0.6]},
                     "header": {"values": share[0], "font": {"size": 16},
                                "fill": {"color": "#E3E3FD"}, "height": 34},
                     "cells": {"values": columns, "font": {"size": 16}, "height": 34,
                               "align": ["left"] + ["right"] * (len(share[0]) - 1)}})
    boxes.append(_note(0, 0.12, key_figures_note(deck), 12))
    pages.append(_page(key_figures_title(deck), boxes, data, lang=lang))
    for chart in deck.charts:
        fig = figures.compare_bars(chart.rows, chart.indicator, deck.name, lang)
        spec = charts.for_export(fig, deck.extracted, lang)
        spec["layout"]["title"]["font"] = {"size": 30, "color": figures.BLUE}
        spec["layout"]["font"]["size"] = 16
        pages.append(spec)
    if deck.map_figure is not None:
        spec = charts.for_export(deck.map_figure, deck.extracted, lang)
        spec["layout"]["title"]["font"] = {"size": 24, "color": figures.BLUE}
        pages.append(spec)
    for title, lines in text_slides(deck):
        notes, y = [], 1.0
        for line in lines:
            notes.append(_note(0, y, line, 14, "#161616"))
            y -= (len(textwrap.wrap(line, WRAP)) or 1) * 0.042 + 0.012
        pages.append(_page(title, notes, lang=lang))
    return pages


def to_pdf(deck: Deck) -> bytes:
    """The deck as a 16:9 PDF with real (searchable) text, one page per slide."""
    lang = deck.lang
    writer = PdfWriter()
    for spec in _pdf_pages(deck):
        pdf = charts.render(spec, "pdf", width=SLIDE_W, height=SLIDE_H, lang=lang)
        writer.add_page(PdfReader(io.BytesIO(pdf)).pages[0])
    writer.add_metadata({"/Title": t("L'ESS dans l'emploi — {territory}", lang,
                                     territory=deck.title),
                         "/Author": t("Tableau de bord ESS et ruralité", lang)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- XLSX -----------------------------------------------------------------------------------

def to_xlsx(deck: Deck) -> bytes:
    """The territory's figures: key figures, published figures, rurality, then Sources (every
    header and label in the deck's language)."""
    lang = deck.lang
    terr = deck.territory
    indicator, value = t("Indicateur", lang), t("Valeur", lang)
    keys = pd.DataFrame({
        indicator: [t("Population municipale {year}", lang, year=terr["population_year"]),
                    t("Superficie (km²)", lang), t("Densité (hab./km²)", lang),
                    t("Communes", lang), t("Communes rurales (approximation)", lang),
                    t("Part de la population en commune rurale (approximation, %)", lang)],
        value: [float(terr["population"]), float(terr["area_km2"]), float(terr["density"]),
                float(terr["n_communes"]), float(deck.rural_communes), deck.rural_share],
        "_decimals": [0, 1, 1, 0, 0, 1]})
    p = deck.profile
    region = t("Région", lang)
    rank = t("Rang (calcul du projet)", lang)
    out_of = t("Parmi N territoires publiés par la source", lang)
    published = pd.DataFrame({
        indicator: p[f"label_{lang}"], t("Période", lang): [fmt.period(x, lang)
                                                           for x in p["period"]],
        t("Détail", lang): p["breakdown_value"].fillna(""),
        t("Précision", lang): [tables.qualifier(q, lang) for q in p["qualifier"]],
        deck.name: p["value_territory"].astype(float),
        region: p["value_region"].astype(float), "France": p["value_france"].astype(float),
        t("Unité", lang): [tables.unit_name(u, lang) for u in p["unit"]],
        rank: p["rank"].astype(float), out_of: p["n_ranked"].astype(float),
        t("Source", lang): p["source_publisher"] + ", " + p["source_title"],
        t("Identifiant source", lang): p["source_id"], "_decimals": p["decimals"].astype(int)})
    if deck.niveau == "region":
        published = published.drop(columns=[region])
    value_cols = [c for c in (deck.name, region, "France") if c in published]
    formats = {**{c: tables.ROW_DECIMALS for c in value_cols}, rank: "0", out_of: "0"}
    r = deck.rurality
    communes, population = t("Communes", lang), t("Population", lang)
    share_communes = t("Part des communes (%)", lang)
    share_population = t("Part de la population (%)", lang)
    rural = pd.DataFrame({
        t("Classe de densité", lang): r[f"label_{lang}"].fillna(
            t("Non classée (superficie inconnue)", lang)),
        t("Rural", lang): [t("oui", lang) if v is True else (t("non", lang) if v is False
                                                            else "") for v in r["is_rural"]],
        communes: r["n_communes"].astype(float), population: r["population"].astype(float),
        share_communes: r["share_communes"].astype(float),
        share_population: r["share_population"].astype(float)})
    return tables.workbook([
        (t("Chiffres clés", lang), keys, {}),
        (t("Chiffres publiés", lang), published, formats),
        (t("Ruralité (approximation)", lang), rural,
         {communes: "#,##0", population: "#,##0", share_communes: "0.0",
          share_population: "0.0"}),
    ], deck.sources, deck.extracted, lang)


FORMATS = {"pptx": to_pptx, "pdf": to_pdf, "xlsx": to_xlsx}
MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def filename(deck: Deck, fmt_: str) -> str:
    """`53-bretagne.pptx`."""
    return f"{deck.code}-{slug(deck.name)}.{fmt_}"


def export(con: duckdb.DuckDBPyConnection, niveau: str, code: str, fmt_: str,
           extracted: date | None = None, lang: str = "fr") -> bytes:
    """A territory's deck in one format, in `lang`: pptx, pdf or xlsx."""
    if fmt_ not in FORMATS:
        raise ValueError(t("Format inconnu : « {format} » (pptx, pdf ou xlsx).", lang,
                           format=fmt_))
    return FORMATS[fmt_](load(con, niveau, code, extracted, lang))
