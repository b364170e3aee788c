"""A territory's meeting deck: PowerPoint (native charts), the same slides as PDF, and XLSX.

`load()` gathers everything from the warehouse once (named queries only); `slides()` lists the
slides, and `to_pptx`, `to_pdf` and `to_xlsx` lay the same content out. Slides: title; key
figures; the ESS share chart; the map; the region's departments ranked (one source, France and
the region as references); rural vs rest (the territory's own rural figures where a source
publishes them, else the national reference with its definition); one comparison chart per
other indicator published for the territory (one source, no breakdown: figures are never mixed
across sources); single figures as big numbers (never a one-bar chart); DLA and PTCE for the
region; key points; definitions; sources. Every content slide's title is its finding, computed
from the values as shown (profile.shown); every slide has speaker notes naming its sources.
`load(..., lang=)` chooses the language of every word of the deck (French by default); the Deck
carries it to the writers.
"""
import io
import math
import textwrap
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.util import Inches, Pt
from pypdf import PdfReader, PdfWriter

from ess_data import figures, fmt, geo, profile, series
from ess_data.db import run_query
from ess_data.export import charts, extraction_line, slug, tables
from ess_data.i18n import t
from ess_data.profile import Departments, Story
from ess_data.registry import ESS_SHARE, LEVELS, Indicator, level_label, load_registry
from ess_data.territory import map_values, metrics, offers, parse_zone

APPROX = "approx_densite_communale"     # our rural approximation (commune density)
# Sources of the territory figures that no observation row names (populations, our sums).
TERRITORY_SOURCES = ("insee_populations_legales_2023", "calcul_projet_territoires")
SLIDE_W, SLIDE_H = 1280, 720            # PDF slides in CSS pixels (960 x 540 pt, 16:9)
COLOURS = [figures.BLUE, figures.OCHRE, figures.GREY]
LINES_PER_SLIDE = 22                    # wrapped lines of text on a definitions/sources slide
WRAP = 125                              # characters per line at 12 pt across the slide
SUPPORT_THEMES = ("dla", "ptce")        # shown on the DLA and PTCE slide, as big numbers
NATIONAL_DLA = ("dla_regionaux", "dla_departementaux")  # the reference without a regional list
NATIONAL_PTCE = ("ptce_laureats",)      # the reference without a regional PTCE figure


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
class BigNumber:
    """A lone figure, shown large with its label and source (never as a one-bar chart)."""

    value: str
    label: str
    note: str                          # its source line


@dataclass(frozen=True)
class Support:
    """DLA and PTCE figures for the territory's region, as big numbers, and plain statements
    where nothing is published for it (with the national reference)."""

    numbers: list[BigNumber]
    statements: list[str]
    title: str


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
    charts: list[Chart]                # comparison charts of two bars or more
    map_figure: object | None          # plotly Figure of the level's map, territory outlined
    profile: pd.DataFrame              # every territory_profile row
    sources: pd.DataFrame              # tables.sources_frame of every source used
    messages: list[str]                # the profile page's key messages (ess_data.profile)
    lang: str = "fr"                   # the language of every text above and of the files
    story: Story | None = None         # its region's departments, its rural figures
    lone: tuple = ()                   # Charts of a single figure: shown as big numbers
    support: Support | None = None     # DLA and PTCE for its region
    map_values: pd.DataFrame | None = None  # the values the map draws (one series)

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
        return next((c for c in [*self.charts, *self.lone]
                     if c.indicator.indicator_id == ESS_SHARE), None)

    @property
    def departments(self) -> Departments | None:
        """Its region's departments on one ESS-share series (profile.departments)."""
        return self.story.departments if self.story else None


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


def n_bars(chart: Chart) -> int:
    """How many bars a chart draws (figures published)."""
    return sum(v is not None for _, values in chart.series for v in values)


def _map(con, registry, niveau: str, code: str, name: str, lang: str = "fr"):
    """The ESS share on a map, one series (the fullest period and source): a region's
    departments for a region; France's departments for a department, outlined in ochre.
    Returns (figure, values drawn) or (None, None)."""
    if ESS_SHARE not in registry:
        return None, None
    ind = registry.get(ESS_SHARE)
    _, best = offers(con, ind, "departement")
    if best is None:
        return None, None
    period, source_id = best
    if niveau == "region":
        zone = parse_zone(f"region-{code}")
        values = map_values(con, ind, "departement", period, zone, source_id=source_id)
        shapes = geo.to_geojson(run_query(con, "geometries", level="departement",
                                          region_code=code, departement_code=None))
        return figures.choropleth(shapes, values, ind, period, lang, place=name), values
    everywhere = {"region_code": None, "departement_code": None}  # the map of all France
    values = map_values(con, ind, "departement", period, source_id=source_id)
    shapes = geo.to_geojson(run_query(con, "geometries", level="departement", **everywhere))
    # the territory outlined in ochre and named in the title (ess_data.mapspec)
    fig = figures.choropleth(shapes, values, ind, period, lang, highlight=(code, name))
    return fig, values


def _big(rows: pd.DataFrame, ind: Indicator, place: str, lang: str) -> BigNumber:
    """The newest figure of one shown series as a big number: value, label (place, period),
    source line."""
    dated = rows[rows["period"] != "nd"]
    last = (dated if len(dated) else rows).iloc[-1]
    qualifier = last.get("qualifier")
    value = fmt.value(last["value_territory"], ind.unit, ind.decimals, lang,
                      qualifier if isinstance(qualifier, str) else "")
    label = t("{label} — {place}, {when}", lang, label=ind.label(lang), place=place,
              when=_period_words(last["period"], lang))
    return BigNumber(value, label, figures.source_line(rows, lang))


def _period_words(period: str, lang: str) -> str:
    """`2021`, `30/06/2024`, `2008-2015`, `données non datées`."""
    if period == "nd":
        return t("données non datées", lang)
    if len(period) == 10 and period[4] == "-" and period[7] == "-":
        return fmt.day(date.fromisoformat(period), lang)
    return fmt.period(period, lang)


def _national(con, registry, ids: tuple, lang: str) -> tuple[list[BigNumber], list[str]]:
    """The national figures of these indicators shown for France (one series each), as big
    numbers, and their sources: the reference where nothing is published for the region."""
    national = run_query(con, "observations", indicator_ids=list(ids), levels=["france"])
    national = national[national["displayed"].astype(bool)
                        & (national["breakdown_value"].fillna("") == "")
                        & (national["territory_code"] == "FR")]
    numbers, used = [], []
    for ind_id in ids:
        rows = national[national["indicator_id"] == ind_id].rename(
            columns={"value": "value_territory"})
        if len(rows) and ind_id in registry:
            numbers.append(_big(series._ordered(rows), registry.get(ind_id), "France", lang))
            used += list(rows["source_id"])
    return numbers, used


def _support(con, registry, deck_name: str, niveau: str, territory: dict,
             profile_rows: pd.DataFrame, lang: str) -> tuple[Support, list[str]]:
    """DLA and PTCE for the territory (a department: also its region's), and the sources
    used. The region's DLA carriers come from the bundled lists (queries structures and
    dla_carriers); where none is listed, the national counts are the reference."""
    region_code = territory["code"] if niveau == "region" else territory["region_code"]
    region_name = territory["name"] if niveau == "region" else territory["region_name"]
    numbers, statements, used, title_bits = [], [], [], []
    places = [(profile_rows, territory["name"])]
    if niveau == "departement" and region_name != territory["name"]:
        places.append((run_query(con, "territory_profile", level="region", code=region_code),
                       region_name))
    ptce = []
    for rows_all, place in places:
        for ind_id, part in rows_all.groupby("indicator_id", sort=False):
            if ind_id not in registry or registry.get(ind_id).theme not in SUPPORT_THEMES:
                continue
            rows = series.shown_series(part)
            if len(rows):
                ind = registry.get(ind_id)
                big = _big(rows, ind, place, lang)
                numbers.append(big)
                used += list(rows["source_id"])
                if ind.theme == "ptce":
                    ptce.append((big, ind, rows, place))
    for big, ind, rows, place in ptce[:1]:
        bit = t("{value} {label}", lang, value=big.value, label=_lower(ind.label(lang)))
        bit += " " + profile.when(_last_dated(rows)["period"], lang)
        if place != territory["name"]:  # a department's deck: its region's figure, said so
            bit += " " + t("(région {region})", lang, region=place)
        title_bits.append(bit)

    def national_instead(statement: str, bit: str, ids: tuple) -> None:
        """Nothing published for the region: say so, and show the national figures."""
        statements.append(statement)
        title_bits.append(bit)
        more, more_used = _national(con, registry, ids, lang)
        numbers.extend(more)
        used.extend(more_used)

    if not ptce:
        national_instead(t("PTCE : aucun chiffre publié pour la région {region} dans les "
                           "sources du tableau de bord ; repère national ci-dessus.", lang,
                           region=region_name),
                         t("aucun chiffre PTCE publié pour la région", lang), NATIONAL_PTCE)
    # DLA carriers the bundled lists name for the region (regional, then departmental)
    carriers = []
    bodies = run_query(con, "structures", region_code=region_code)
    carriers += [r for r in bodies.to_dict("records") if str(r["kind"]).startswith("dla")]
    deps = run_query(con, "dla_carriers", region_code=region_code)  # a department: its own
    if niveau == "departement":
        deps = deps[deps["departement_code"] == territory["code"]]
    carriers += [r for r in deps.to_dict("records") if isinstance(r.get("name"), str)]
    if carriers:
        n = len({r["name"] for r in carriers})
        cited = list(dict.fromkeys(f"{r['source_publisher']}, {r['source_title']}"
                                   for r in carriers if isinstance(r.get("source_title"), str)))
        where = (t("la région {region}", lang, region=region_name) if niveau == "region"
                 else t("{territory} et sa région", lang, territory=deck_name))
        names = list(dict.fromkeys(r["name"] for r in carriers))
        label = t("structures porteuses du DLA nommées par les listes publiées pour {where} "
                  "(comptage du projet)", lang, where=where)
        numbers.append(BigNumber(
            fmt.number(n, 0, lang),
            label + (fmt.colon(lang) + ", ".join(names) if n <= 3 else ""),
            t("Sources : {sources}.", lang, sources=fmt.semicolon(lang).join(cited))))
        used += [r["source_id"] for r in carriers if isinstance(r.get("source_id"), str)]
        title_bits.append(t("{n} structures porteuses du DLA nommées", lang,
                            n=fmt.number(n, 0, lang)) if n > 1 else
                          t("DLA porté par {name}", lang, name=carriers[0]["name"]))
    else:
        national_instead(t("DLA : aucune liste publiée des structures porteuses n'est reprise "
                           "pour la région {region} ; repère national ci-dessus.", lang,
                           region=region_name),
                         t("aucun chiffre DLA publié pour la région", lang), NATIONAL_DLA)
    title = t("{territory} : {findings}", lang, territory=deck_name,
              findings=fmt.semicolon(lang).join(title_bits))
    return Support(numbers, statements, title), used


def _lower(text: str) -> str:
    """`Lauréats de ...` -> `lauréats de ...` in running text (an acronym stays as is)."""
    return text[:1].lower() + text[1:] if len(text) > 1 and text[1:2].islower() else text


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
    title = territory["name"] if niveau == "region" else f"{territory['name']} ({code})"
    registry = load_registry(con)
    rurality = run_query(con, "territory_rurality", level=niveau, code=code,
                         rural_definition_id=APPROX)
    rural = rurality[rurality["is_rural"].fillna(False).astype(bool)]
    profile_rows = run_query(con, "territory_profile", level=niveau, code=code)
    charts_, lone = [], []
    for ind_id, part in profile_rows.groupby("indicator_id", sort=False):
        ind = registry.get(ind_id)
        if ind.theme in SUPPORT_THEMES:  # on the DLA and PTCE slide
            continue
        rows = series.shown_series(part)  # the one series the warehouse shows
        if len(rows):
            chart = _chart(rows, ind, territory["name"], lang)
            (charts_ if n_bars(chart) >= 2 else lone).append(chart)
    order = lambda c: (c.indicator.indicator_id != ESS_SHARE, c.indicator.indicator_id)  # noqa: E731
    charts_.sort(key=order)
    lone.sort(key=order)
    definitions = run_query(con, "rural_definitions")
    definition = definitions[definitions["rural_definition_id"] == APPROX].iloc[0].to_dict()
    all_sources = run_query(con, "sources")
    story = profile.story(con, niveau, code)
    support, support_used = _support(con, registry, title, niveau, territory, profile_rows,
                                     lang)
    used = [*profile_rows["source_id"], definition["source_id"], *support_used,
            *(story.departments.rows["source_id"].dropna() if story.departments else []),
            *story.national["source_id"], *story.regional["source_id"],
            *[s for s in TERRITORY_SOURCES if s in set(all_sources["source_id"])]]
    ess = series.shown_series(profile_rows[profile_rows["indicator_id"] == ESS_SHARE])
    messages = profile.key_messages(
        territory["name"], niveau, metrics(con, niveau, code=code, rural=APPROX).iloc[0].to_dict(),
        metrics(con, "france", rural=APPROX).iloc[0].to_dict(), definition[f"label_{lang}"],
        ess if len(ess) else None,
        territory["region_name"] if niveau == "departement" else None, lang=lang, story=story)
    map_figure, drawn = _map(con, registry, niveau, code, territory["name"], lang)
    return Deck(
        messages=messages, lang=lang, story=story, lone=tuple(lone), support=support,
        niveau=niveau, code=code, name=territory["name"], territory=territory,
        extracted=extracted or date.today(), rurality=rurality,
        rural_share=float(rural["share_population"].sum()),
        rural_communes=int(rural["n_communes"].sum()), rural_definition=definition,
        charts=charts_, map_figure=map_figure, map_values=drawn,
        profile=profile_rows, sources=tables.sources_frame(all_sources, used, lang))


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
             for c in [*deck.charts, *deck.lone]]
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


TEXT_KEYS = ("points", "definitions", "sources")  # the text slides' keys (Slide.key)


def _text_slides(deck: Deck, lang: str) -> list[tuple[str, str, list[str]]]:
    """(key, title, paragraphs) of the text slides: `points`, `definitions`, `sources`, a
    continuation keyed `sources-2`, `sources-3`..."""
    out = []
    for group, title, lines in (
            ("points", t("À retenir — {territory}", lang, territory=deck.title), deck.messages),
            ("definitions", t("Définitions", lang), definition_lines(deck, lang)),
            ("sources", t("Sources", lang), source_lines(deck, lang))):
        for i, page in enumerate(_pages(lines)):
            out.append((group if i == 0 else f"{group}-{i + 1}",
                        title if i == 0 else t("{title} (suite)", lang, title=title), page))
    return out


def text_slides(deck: Deck, lang: str | None = None) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of the key points, definitions and sources slides, continued where
    long. The key points are written once, in the deck's language, by `load`."""
    return [(title, page) for _, title, page in _text_slides(deck, lang or deck.lang)]


# --- findings: every slide's title says what it shows (computed from the values as shown) ----

def _shown(value, decimals: int):
    return profile.shown(value, decimals)


def _pct(value, decimals: int, lang: str) -> str:
    return fmt.value(value, "percent", decimals, lang)


def _last_dated(rows: pd.DataFrame) -> pd.Series:
    dated = rows[rows["period"] != "nd"]
    return (dated if len(dated) else rows).iloc[-1]


def share_finding(deck: Deck, lang: str | None = None) -> str | None:
    """`Occitanie : l'ESS pèse 12,1 % de l'emploi salarié en 2014, 1,6 point de plus qu'en
    France hors Mayotte` (the gap from the values as shown); None without the ESS share."""
    lang = lang or deck.lang
    chart = deck.ess_share()
    if chart is None:
        return None
    last = _last_dated(chart.rows)
    decimals = chart.indicator.decimals
    v, v_fr = _shown(last["value_territory"], decimals), _shown(last["value_france"], decimals)
    text = t("{territory} : l'ESS pèse {share} de l'emploi salarié {when}", lang,
             territory=deck.title, share=_pct(v, decimals, lang),
             when=profile.when(last["period"], lang))
    if v_fr is not None:
        text += ", " + profile.more_or_less(v, v_fr, profile._france_name(last, lang), lang)
    return text


def key_figures_title(deck: Deck, lang: str | None = None) -> str:
    """The ESS share and its gap with France (share_finding), else the share of the
    population living in a rural commune."""
    lang = lang or deck.lang
    return share_finding(deck, lang) or t(
        "{territory} : {share} des habitants vivent en commune rurale (approximation du projet)",
        lang, territory=deck.title, share=_pct(deck.rural_share, 1, lang))


def chart_title(deck: Deck, chart: Chart, lang: str | None = None) -> str:
    """A chart's finding: for a share over two dated periods or more, its change (against
    France's where published); else its newest figure (against France's)."""
    lang = lang or deck.lang
    ind, rows = chart.indicator, chart.rows
    dated = rows[rows["period"] != "nd"]
    if ind.unit == "percent" and dated["period"].nunique() >= 2:
        first, last = dated.iloc[0], dated.iloc[-1]
        before, after = (_shown(r["value_territory"], ind.decimals) for r in (first, last))
        text = t("{territory} : {label}, de {before} en {start} à {after} en {end} ({change})",
                 lang, territory=deck.title, label=_lower(ind.label(lang)),
                 before=_pct(before, ind.decimals, lang), start=first["period"],
                 after=_pct(after, ind.decimals, lang), end=last["period"],
                 change=profile.points(after - before, lang))
        fb, fa = (_shown(r["value_france"], ind.decimals) for r in (first, last))
        if fb is not None and fa is not None and first.get("france_name") == last.get(
                "france_name"):
            text += t(" ; {france} : {change}", lang, france=profile._france_name(last, lang),
                      change=profile.points(fa - fb, lang))
        return text
    last = _last_dated(rows)
    text = t("{territory} : {label}, {value} {when}", lang, territory=deck.title,
             label=_lower(ind.label(lang)),
             value=fmt.value(last["value_territory"], ind.unit, ind.decimals, lang),
             when=profile.when(last["period"], lang))
    if not pd.isna(last.get("value_france")):
        text += t(" ; {france} : {value}", lang, france=profile._france_name(last, lang),
                  value=fmt.value(last["value_france"], ind.unit, ind.decimals, lang))
    return text


def chart_note(deck: Deck, chart: Chart, lang: str | None = None) -> str:
    """Under a chart: its source, and which figures of its title the project computed."""
    lang = lang or deck.lang
    ours = t("Écarts et évolutions du titre : calcul du projet, à partir des valeurs "
             "arrondies affichées.", lang)
    return f"{chart.note} {ours}"


def map_title(deck: Deck, lang: str | None = None) -> str:
    """A region's map: its departments' range; a department's: its rank among France's
    departments on the map's series."""
    lang = lang or deck.lang
    values = deck.map_values
    if deck.niveau == "region" and deck.departments is not None:
        deps = deck.departments
        return t("{territory} : la part de l'ESS dans l'emploi salarié va {range} selon le "
                 "département {when}", lang, territory=deck.title,
                 range=profile.range_text(deps, lang), when=profile.when(deps.period, lang))
    if deck.niveau == "departement" and values is not None:
        mine = values[(values["code"] == deck.code) & values["value"].notna()]
        if len(mine):
            row = mine.iloc[0]
            return t("{territory} : {rank} des {n} départements pour la part de l'ESS dans "
                     "l'emploi salarié ({share} {when})", lang, territory=deck.title,
                     rank=profile.ordinal(int(row["rank"]), lang), n=int(row["n_ranked"]),
                     share=_pct(row["value"], 1, lang),
                     when=profile.when(row["period"], lang))
        return t("{territory} : part de l'ESS non publiée par la source de la carte", lang,
                 territory=deck.title)
    pub = values[values["value"].notna()] if values is not None else None
    if pub is not None and len(pub) == 1:  # a region of one published department
        row = pub.iloc[0]
        return t("{territory} : {name}, seul département de la région, {share} de l'emploi "
                 "salarié dans l'ESS {when}", lang, territory=deck.title,
                 share=_pct(row["value"], 1, lang), name=row["name"],
                 when=profile.when(row["period"], lang))
    return t("{territory} : part de l'ESS non publiée pour ses départements", lang,
             territory=deck.title)


def ranking_rows(deck: Deck, lang: str | None = None) -> list[tuple[str, float, str]]:
    """(name, value, kind) of the ranking, highest first: the region's departments the source
    publishes (`kind` "territory" for the deck's own department, else "departement") and, from
    the same source and period, the region ("region") and France ("france")."""
    lang = lang or deck.lang
    deps = deck.departments
    rows = [(r["name"], float(r["value"]),
             "territory" if deck.niveau == "departement" and r["code"] == deck.code
             else "departement") for _, r in deps.published.iterrows()]
    if deps.region_value is not None:
        rows.append((t("{name} (région)", lang, name=deps.region_name), deps.region_value,
                     "region"))
    if deps.france_value is not None:
        rows.append((deps.france(lang), deps.france_value, "france"))
    return sorted(rows, key=lambda r: -r[1])


def ranking_title(deck: Deck, lang: str | None = None) -> str:
    """How many of the region's departments are above France (values as shown); a
    department's rank among them for a department's deck."""
    lang = lang or deck.lang
    deps = deck.departments
    pub = deps.published
    decimals = deps.indicator.decimals
    when = profile.when(deps.period, lang)
    if deck.niveau == "departement":
        mine = pub[pub["code"] == deck.code]
        if len(mine):
            return t("{territory} : {rank} des {n} départements de la région {region} pour la "
                     "part de l'ESS {when}", lang, territory=deck.title,
                     rank=profile.ordinal(int(mine["rank"].iloc[0]), lang), n=len(pub),
                     region=deps.region_name, when=when)
    if deps.france_value is not None:
        fr = _shown(deps.france_value, decimals)
        above = sum(_shown(v, decimals) > fr for v in pub["value"])
        values = {"territory": deck.title, "n": above, "total": len(pub),
                  "france": deps.france(lang), "share": _pct(fr, decimals, lang), "when": when}
        if above == len(pub):
            return t("{territory} : ses {total} départements au-dessus de la part en {france} "
                     "({share}) {when}", lang, **values)
        if above == 0:
            return t("{territory} : aucun de ses {total} départements au-dessus de la part en "
                     "{france} ({share}) {when}", lang, **values)
        if above == 1:
            return t("{territory} : 1 département sur {total} au-dessus de la part en {france} "
                     "({share}) {when}", lang, **values)
        return t("{territory} : {n} départements sur {total} au-dessus de la part en {france} "
                 "({share}) {when}", lang, **values)
    return t("{territory} : ses {n} départements classés selon la part de l'ESS {when}", lang,
             territory=deck.title, n=len(pub), when=when)


def ranking_note(deck: Deck, lang: str | None = None) -> str:
    """The ranking's source, its departments not published, and the method."""
    lang = lang or deck.lang
    deps = deck.departments
    parts = [deps.source(lang)]
    missing = deps.rows.loc[deps.rows["value"].isna(), "name"].tolist()
    if missing:
        parts.append(t("Non publiés par cette source : {names}.", lang,
                       names=", ".join(missing)))
    parts.append(t("Rang et comptage au-dessus de la France : calcul du projet, à partir des "
                   "valeurs arrondies affichées ; région et France : même source, même année.",
                   lang))
    return " ".join(parts)


def rural_title(deck: Deck, lang: str | None = None) -> str:
    """What is published on the territory's own rural part, else the national reference."""
    lang = lang or deck.lang
    st = deck.story
    nat = st.national
    ref = ""
    if len(nat) >= 2:
        rural, other = nat.iloc[0], nat.iloc[1]
        ref = t("en France, l'ESS pèse {rural} de l'emploi salarié rural contre {other} "
                "ailleurs {when}", lang, rural=_pct(rural["value"], 1, lang),
                other=_pct(other["value"], 1, lang), when=profile.when(rural["period"], lang))
    if len(st.regional):
        last = st.regional.iloc[-1]
        ind_label = last[f"label_{lang}"]
        return t("{territory}, rural : {label}, {value} {when}", lang, territory=deck.title,
                 label=_lower(ind_label),
                 value=fmt.value(last["value_territory"], last["unit"],
                                 int(last["decimals"]), lang),
                 when=profile.when(last["period"], lang)) + (fmt.semicolon(lang) + ref
                                                             if ref else "")
    return t("{territory} : aucun chiffre publié sur son rural", lang,
             territory=deck.title) + (fmt.semicolon(lang) + ref if ref else "")


def rural_lines(deck: Deck, lang: str | None = None) -> list[str]:
    """The rural slide's text: the territory's own figures or their absence, the national
    reference, its definition of rural and its source."""
    lang = lang or deck.lang
    lines = [profile.rural_story(deck.story, lang)]
    nat = deck.story.national
    if len(nat):
        lines.append(figures.source_line(nat, lang) + " " + t(
            "« Rural » : {definition}. Écart : calcul du projet.", lang,
            definition=nat.iloc[0][f"territory_name_{lang}"]))
    return lines


def lone_title(deck: Deck, lang: str | None = None) -> str:
    """`Occitanie : 211 772 effectifs salariés de l'ESS ; 22 848 établissements ...`."""
    lang = lang or deck.lang
    bits = []
    for chart in deck.lone[:2]:
        last = _last_dated(chart.rows)
        bits.append(t("{value} ({label}, {when})", lang,
                      value=fmt.value(last["value_territory"], chart.indicator.unit,
                                      chart.indicator.decimals, lang),
                      label=_lower(chart.indicator.label(lang)),
                      when=_period_words(last["period"], lang)))
    return t("{territory} : {findings}", lang, territory=deck.title,
             findings=fmt.semicolon(lang).join(bits))


def lone_numbers(deck: Deck, lang: str | None = None) -> list[BigNumber]:
    """The single published figures as big numbers, each with its source."""
    lang = lang or deck.lang
    return [_big(c.rows, c.indicator, deck.name, lang) for c in deck.lone]


def sources_note(deck: Deck, lang: str | None = None) -> str:
    """`Sources : Insee ; CNCRESS ; ...` (every publisher of the deck, for speaker notes)."""
    lang = lang or deck.lang
    publishers = list(dict.fromkeys(deck.sources.iloc[:, 1].astype(str)))
    return t("Sources du dossier : {publishers}.", lang,
             publishers=fmt.semicolon(lang).join(publishers))


@dataclass(frozen=True)
class Slide:
    """One slide: its kind, title, and what it draws (a Chart, or text paragraphs)."""

    kind: str        # title, key, chart, map, ranking, rural, lone, support, text
    title: str
    item: object = None
    # a short name of the slide, the same in every language: the kind, a chart's indicator id,
    # `points`, `definitions`, `sources` (`sources-2` continued); the presentation's `diapos=`
    key: str = ""


def slides(deck: Deck, lang: str | None = None) -> list[Slide]:
    """Every slide in order (the same in PPTX and PDF, and on the presentation page)."""
    lang = lang or deck.lang
    out = [Slide("title", deck.title, key="title"),
           Slide("key", key_figures_title(deck, lang), key="key")]
    ess = [c for c in deck.charts if c.indicator.indicator_id == ESS_SHARE]
    out += [Slide("chart", chart_title(deck, c, lang), c, c.indicator.indicator_id)
            for c in ess]
    if deck.map_figure is not None:
        out.append(Slide("map", map_title(deck, lang), key="map"))
    if deck.departments is not None:
        out.append(Slide("ranking", ranking_title(deck, lang), key="ranking"))
    if deck.story is not None:
        out.append(Slide("rural", rural_title(deck, lang), key="rural"))
    out += [Slide("chart", chart_title(deck, c, lang), c, c.indicator.indicator_id)
            for c in deck.charts if c.indicator.indicator_id != ESS_SHARE]
    if deck.lone:
        out.append(Slide("lone", lone_title(deck, lang), key="lone"))
    if deck.support is not None:
        out.append(Slide("support", deck.support.title, key="support"))
    out += [Slide("text", title, lines, key) for key, title, lines in _text_slides(deck, lang)]
    return out


def slide_titles(deck: Deck, lang: str | None = None) -> list[str]:
    """Titles of every slide, in order (the same in PPTX and PDF)."""
    return [s.title for s in slides(deck, lang)]


# --- the slides' figures as Plotly figures (the PDF pages, the presentation page) ------------

def ranking_figure(deck: Deck) -> go.Figure:
    """The ranking slide's chart: ranking_rows as horizontal bars, highest at the top, one
    trace per kind of bar (the departments, the deck's own department, the region, France) so
    that a legend can name the colours; titled with the slide's finding, ranking_note as its
    source line."""
    lang = deck.lang
    rows = ranking_rows(deck)
    ind = deck.departments.indicator
    others = (t("Départements de la région", lang) if deck.niveau == "region"
              else t("Autres départements de la région", lang))
    data = []
    for kind in ("territory", "departement", "region", "france"):
        mine = [(name, value) for name, value, k in rows if k == kind]
        if not mine:
            continue
        name = others if kind == "departement" else mine[0][0]
        data.append({
            "type": "bar", "orientation": "h", "name": name,
            "x": [v for _, v in mine], "y": [n for n, _ in mine],
            "marker": {"color": RANK_COLOURS[kind]}, "cliponaxis": False,
            "text": [fmt.value(v, ind.unit, ind.decimals, lang) for _, v in mine],
            "textposition": "outside",
            "hovertemplate": f"%{{y}}{fmt.colon(lang)}%{{text}}<extra></extra>"})
    layout = {"barmode": "overlay", "legend": figures.TOP_LEGEND,
              "xaxis": {"visible": False, "range": [0, max(v for _, v, _ in rows) * 1.15]},
              # highest first, from the top
              "yaxis": {"automargin": True, "type": "category", "categoryorder": "array",
                        "categoryarray": [n for n, _, _ in rows], "autorange": "reversed"}}
    return figures.figure(data, layout, ranking_title(deck), ranking_note(deck), lang,
                          height=130 + 30 * len(rows))


def rural_figure(deck: Deck) -> go.Figure | None:
    """The rural slide's chart: the national rural vs rest pair (one source, one period), one
    bar each, titled with the slide's finding, its source and definition of rural below; None
    where the pair is not published."""
    lang = deck.lang
    nat = deck.story.national if deck.story is not None else None
    if nat is None or len(nat) < 2:
        return None
    ind = load_indicator(nat.iloc[0])
    data = [{"type": "bar", "name": r[f"territory_name_{lang}"],
             "x": [r[f"territory_name_{lang}"]], "y": [float(r["value"])],
             "marker": {"color": figures.BLUE if r["territory_level"] == "rural"
                        else figures.OCHRE},
             "text": [fmt.value(r["value"], ind.unit, ind.decimals, lang)],
             "textposition": "outside", "cliponaxis": False,
             "hovertemplate": f"%{{x}}{fmt.colon(lang)}%{{text}}<extra></extra>"}
            for _, r in nat.iterrows()]
    layout = {"barmode": "overlay", "legend": figures.TOP_LEGEND,
              "xaxis": {"type": "category"},
              "yaxis": {"visible": False, "range": [0, float(nat["value"].max()) * 1.25]}}
    return figures.figure(data, layout, rural_title(deck), " ".join(rural_lines(deck)[1:]),
                          lang, height=380)


def slide_figure(deck: Deck, spec: Slide) -> go.Figure | None:
    """The figure a slide draws (a comparison chart, the map, the ranking, the rural pair), the
    same numbers as the PowerPoint's; None for a slide of text or big numbers."""
    if spec.kind == "chart":
        return figures.compare_bars(spec.item.rows, spec.item.indicator, deck.name, deck.lang)
    if spec.kind == "map":
        return deck.map_figure
    if spec.kind == "ranking":
        return ranking_figure(deck)
    if spec.kind == "rural":
        return rural_figure(deck)
    return None


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
    """The slide's title; a finding longer than a line is set smaller, on up to two lines."""
    if len(text) > 60 and size == 28:
        size = 24 if len(text) <= 140 else 20
    slide.shapes.title.text = text
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = (Inches(0.6), Inches(0.25), Inches(12.1),
                                                        Inches(1.0))
    title.text_frame.word_wrap = True
    for p in title.text_frame.paragraphs:
        for run in p.runs:
            run.font.size, run.font.name, run.font.bold = Pt(size), "Arial", True
            run.font.color.rgb = _rgb(figures.BLUE)


def _style_chart(c, number_format: str, size: int = 14) -> None:
    c.font.name, c.font.size = "Arial", Pt(size)
    c.value_axis.visible = False
    c.value_axis.has_major_gridlines = False
    c.value_axis.minimum_scale = 0
    plot = c.plots[0]
    plot.gap_width = 80
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = number_format
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(size)


def _native_chart(slide, chart: Chart, lang: str = "fr") -> None:
    data = CategoryChartData(number_format=_unit_format(chart.indicator, lang))
    data.categories = chart.categories
    for name, values in chart.series:
        data.add_series(name, values)
    frame = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(0.6), Inches(1.4),
                                   Inches(12.1), Inches(4.8), data)
    c = frame.chart
    c.has_legend = True
    c.legend.position, c.legend.include_in_layout = XL_LEGEND_POSITION.TOP, False
    _style_chart(c, _unit_format(chart.indicator, lang))
    for plotted, colour in zip(c.plots[0].series, COLOURS):
        plotted.format.fill.solid()
        plotted.format.fill.fore_color.rgb = _rgb(colour)


RANK_COLOURS = {"departement": figures.BLUE, "territory": figures.OCHRE,
                "region": figures.OCHRE, "france": figures.GREY}


def _ranking_chart(slide, deck: Deck) -> None:
    """Horizontal bars, highest at the top: the departments, the region and France (one
    source, one period), the references in their own colours."""
    rows = ranking_rows(deck)
    ind = deck.departments.indicator
    data = CategoryChartData(number_format=_unit_format(ind, deck.lang))
    data.categories = [name for name, _, _ in rows]
    data.add_series(ind.label(deck.lang), [value for _, value, _ in rows])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.6), Inches(1.35),
                                   Inches(12.1), Inches(5.0), data)
    c = frame.chart
    c.has_legend = False
    size = 12 if len(rows) > 12 else 14
    _style_chart(c, _unit_format(ind, deck.lang), size)
    c.plots[0].gap_width = 40
    c.category_axis.reverse_order = True  # the first category (highest) at the top
    c.category_axis.tick_labels.font.size = Pt(size)
    for point, (_, _, kind) in zip(c.plots[0].series[0].points, rows):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(RANK_COLOURS[kind])


def _pair_chart(slide, deck: Deck, top: float) -> None:
    """The national rural vs rest pair: two bars of one source and period."""
    nat = deck.story.national
    ind = load_indicator(nat.iloc[0])
    data = CategoryChartData(number_format=_unit_format(ind, deck.lang))
    data.categories = [r[f"territory_name_{deck.lang}"] for _, r in nat.iterrows()]
    data.add_series(ind.label(deck.lang), [float(v) for v in nat["value"]])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(2.5), Inches(top),
                                   Inches(8.3), Inches(6.3 - top), data)
    c = frame.chart
    c.has_legend = False
    _style_chart(c, _unit_format(ind, deck.lang))
    for point, level in zip(c.plots[0].series[0].points, nat["territory_level"]):
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(figures.BLUE if level == "rural"
                                                else figures.OCHRE)


def load_indicator(row) -> Indicator:
    """The registry entry a labelled observation row describes (unit, decimals, labels)."""
    return Indicator(row["indicator_id"], row.get("theme") or "", row["label_fr"],
                     row["label_en"], "", "", row["unit"], int(row["decimals"]), None, "", False,
                     None, None)


def _numbers(slide, numbers: list[BigNumber], top: float) -> float:
    """Big numbers, up to three a row, each with its label and source; returns the bottom."""
    per_row = 3
    width = 12.1 / per_row
    for i, big in enumerate(numbers):
        left = 0.6 + (i % per_row) * width
        y = top + (i // per_row) * 2.5
        _text(slide, left, y, width - 0.2, 0.8, [big.value], 40, figures.BLUE, bold=True)
        _text(slide, left, y + 0.8, width - 0.2, 0.9, [big.label], 14, "#161616")
        _text(slide, left, y + 1.75, width - 0.2, 0.7, [big.note], 9)
    return top + ((len(numbers) - 1) // per_row + 1) * 2.5 if numbers else top


def _notes(slide, lines: list[str]) -> None:
    """Speaker notes: what the presenter may say, and where each figure comes from."""
    slide.notes_slide.notes_text_frame.text = "\n".join(line for line in lines if line)


def slide_notes(deck: Deck, spec: Slide) -> list[str]:
    """A slide's speaker notes, paragraph by paragraph: what the presenter may say and where
    each figure comes from (the PowerPoint's notes; the presentation page's « Notes »)."""
    lang = deck.lang
    everything = sources_note(deck)
    numbers = {"lone": lone_numbers(deck) if spec.kind == "lone" else [],
               "support": deck.support.numbers if deck.support else []}.get(spec.kind, [])
    said = [f"{b.label} : {b.value}. {b.note}" for b in numbers]
    if spec.kind == "title":
        lines = [extraction_line(deck.extracted, lang),
                 t("Chaque chiffre est publié par sa source, citée sous chaque graphique et en "
                   "fin de dossier.", lang), everything]
    elif spec.kind == "key":
        lines = [key_figures_note(deck), everything]
    elif spec.kind == "chart":
        lines = [spec.item.indicator.definition(lang), chart_note(deck, spec.item)]
    elif spec.kind == "map":
        lines = [figures.describe(deck.map_figure, lang),
                 deck.departments.source(lang) if deck.departments is not None else ""]
    elif spec.kind == "ranking":
        lines = [deck.departments.indicator.definition(lang), ranking_note(deck)]
    elif spec.kind == "rural":
        lines = rural_lines(deck)
    elif spec.kind in ("lone", "support"):
        lines = [*(deck.support.statements if spec.kind == "support" else []), *said]
    elif spec.key == "points":
        lines = [t("Messages écrits par des règles à partir des chiffres du dossier ; rapports, "
                   "rangs et évolutions : calcul du projet (méthodes sur la page « Sources et "
                   "définitions »).", lang), everything]
    else:  # definitions, sources
        lines = [extraction_line(deck.extracted, lang), everything]
    return [line for line in lines if line]


def to_pptx(deck: Deck, map_png: bytes | None = None) -> bytes:
    """The deck as a 16:9 PowerPoint file in the deck's language; the map is a PNG rendered by
    the chart engine.

    Without Chromium the map slide says why it is empty; everything else is native.
    """
    lang = deck.lang
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    title_layout, title_only = prs.slide_layouts[0], prs.slide_layouts[5]
    for spec in slides(deck):
        if spec.kind == "title":
            slide = prs.slides.add_slide(title_layout)
            _title(slide, deck.title, 40)
            slide.shapes.title.top = Inches(2.4)
            slide.shapes.title.height = Inches(1.2)
            sub = slide.placeholders[1]
            sub.left, sub.top, sub.width, sub.height = (Inches(0.6), Inches(3.7), Inches(12.1),
                                                        Inches(1.5))
            sub.text = deck.subtitle
            for p in sub.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size, run.font.name = Pt(20), "Arial"
                    run.font.color.rgb = _rgb("#3A3A3A")
            _notes(slide, slide_notes(deck, spec))
            continue
        slide = prs.slides.add_slide(title_only)
        _title(slide, spec.title)
        if spec.kind == "key":
            for i, (value, label) in enumerate(key_figures(deck)):
                _text(slide, 0.6 + i * 3.05, 1.4, 2.9, 0.7, [value], 28, figures.BLUE,
                      bold=True)
                _text(slide, 0.6 + i * 3.05, 2.1, 2.9, 0.8, [label], 13)
            share = ess_share_table(deck)
            if share:
                _text(slide, 0.6, 3.1, 12.1, 0.4, [deck.ess_share().indicator.label(lang)],
                      16, "#161616", bold=True)
                table = slide.shapes.add_table(len(share), len(share[0]), Inches(0.6),
                                               Inches(3.6), Inches(8),
                                               Inches(0.4 * len(share))).table
                for r, row in enumerate(share):
                    for col, text in enumerate(row):
                        table.cell(r, col).text = text
                        for run in table.cell(r, col).text_frame.paragraphs[0].runs:
                            run.font.size, run.font.name = Pt(14), "Arial"
            _text(slide, 0.6, 6.0, 12.1, 1.3, [key_figures_note(deck)], 10)
        elif spec.kind == "chart":
            chart = spec.item
            _native_chart(slide, chart, lang)
            _text(slide, 0.6, 6.3, 12.1, 1.1, [chart_note(deck, chart),
                                               extraction_line(deck.extracted, lang)], 10)
        elif spec.kind == "map":
            reason = None if map_png else charts.unavailable_reason(lang)
            if reason:  # native charts need no browser: the deck is still made, without the map
                _text(slide, 0.6, 1.4, 12.1, 1.5, [
                    t("Carte non incluse : {reason}", lang, reason=reason),
                    t("Elle est visible sur la page « Carte des territoires » du tableau de "
                      "bord.", lang)], 16)
            else:
                png = map_png or charts.to_image(deck.map_figure, "png", deck.extracted,
                                                 lang=lang)
                picture = slide.shapes.add_picture(io.BytesIO(png), Inches(0.6), Inches(1.35),
                                                   height=Inches(5.95))
                picture.left = int((prs.slide_width - picture.width) / 2)
        elif spec.kind == "ranking":
            _ranking_chart(slide, deck)
            _text(slide, 0.6, 6.4, 12.1, 1.0, [ranking_note(deck),
                                               extraction_line(deck.extracted, lang)], 10)
        elif spec.kind == "rural":
            lines = rural_lines(deck)
            _text(slide, 0.6, 1.35, 12.1, 1.6, lines[:1], 16, "#161616")
            if len(deck.story.national) >= 2:
                _pair_chart(slide, deck, 3.0)
            _text(slide, 0.6, 6.4, 12.1, 1.0, [*lines[1:],
                                               extraction_line(deck.extracted, lang)], 10)
        elif spec.kind == "lone":
            numbers = lone_numbers(deck)
            _numbers(slide, numbers, 1.5)
            _text(slide, 0.6, 6.6, 12.1, 0.6, [t(
                "Un seul chiffre publié pour chacun : pas de comparaison dans la même source.",
                lang), extraction_line(deck.extracted, lang)], 10)
        elif spec.kind == "support":
            support = deck.support
            bottom = _numbers(slide, support.numbers, 1.45)
            if support.statements:
                _text(slide, 0.6, min(bottom + 0.1, 5.6), 12.1, 1.0, support.statements, 14,
                      "#161616")
            _text(slide, 0.6, 6.8, 12.1, 0.5, [extraction_line(deck.extracted, lang)], 10)
        else:  # key points, definitions, sources
            # the key points are read out in a meeting: large type; references stay compact
            _text(slide, 0.6, 1.3, 12.1, 5.9, spec.item, 20 if spec.key == "points" else 12)
        _notes(slide, slide_notes(deck, spec))  # the map's too, without its picture

    prs.core_properties.title = t("L'ESS dans l'emploi — {territory}", lang,
                                  territory=deck.title)
    prs.core_properties.author = t("Tableau de bord ESS et ruralité", lang)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# --- PDF: the same slides drawn as Plotly pages by the chart engine, then joined ---------------

def _page(title: str, annotations: list[dict], data: list | None = None,
          title_size: int = 30, lang: str = "fr") -> dict:
    if len(title) > 60 and title_size == 30:  # a finding: smaller, on up to two lines
        title_size = 24
        title = "<br>".join(textwrap.wrap(title, 85))
    return {"data": data or [], "layout": {
        "width": SLIDE_W, "height": SLIDE_H, "paper_bgcolor": "white", "plot_bgcolor": "white",
        "font": {"family": figures.FONT, "color": "#161616"},
        "separators": fmt.PLOTLY_SEPARATORS[lang],
        "xaxis": {"visible": False}, "yaxis": {"visible": False},
        "margin": {"l": 60, "r": 60, "t": 120, "b": 40},
        "title": {"text": title, "x": 0.047, "xanchor": "left", "y": 0.95, "yanchor": "top",
                  "font": {"size": title_size, "color": figures.BLUE}},
        "annotations": annotations}}


def _note(x, y, text, size=13, colour="#3A3A3A", width=WRAP, **extra) -> dict:
    wrapped = "<br>".join(textwrap.wrap(text, width)) if width else text
    return {"text": wrapped, "x": x, "y": y, "xref": "paper", "yref": "paper",
            "xanchor": "left", "yanchor": "top", "showarrow": False, "align": "left",
            "font": {"size": size, "color": colour}, **extra}


def _retitled(spec: dict, title: str) -> dict:
    """A figure spec as a slide: the finding as its title, at slide size."""
    spec["layout"]["title"] = {"text": "<br>".join(textwrap.wrap(title, 85)), "x": 0.047,
                               "xanchor": "left", "y": 0.95, "yanchor": "top",
                               "font": {"size": 24 if len(title) > 60 else 30,
                                        "color": figures.BLUE}}
    spec["layout"]["margin"] = {**spec["layout"].get("margin", {}), "t": 130}
    return spec


def _pdf_numbers(numbers: list[BigNumber], top: float = 1.0) -> tuple[list[dict], float]:
    notes = []
    for i, big in enumerate(numbers):
        x, y = (i % 3) * 0.34, top - (i // 3) * 0.4
        notes.append(_note(x, y, f"<b>{big.value}</b>", 40, figures.BLUE, width=0))
        notes.append(_note(x, y - 0.1, big.label, 14, "#161616", width=40))
        notes.append(_note(x, y - 0.26, big.note, 10, width=60))
    return notes, top - ((len(numbers) - 1) // 3 + 1) * 0.4 if numbers else top


def _ranking_figure(deck: Deck) -> dict:
    """ranking_figure's bars at the PDF page's sizes (no legend: the bars are named)."""
    fig = ranking_figure(deck).to_dict()
    data = [{**trace, "textfont": {"size": 15}} for trace in fig["data"]]
    return {"data": data,
            "layout": {"barmode": "overlay", "showlegend": False,
                       "xaxis": fig["layout"]["xaxis"],
                       "yaxis": {**fig["layout"]["yaxis"], "tickfont": {"size": 14},
                                 "domain": [0.1, 1]},
                       "margin": {"l": 60, "r": 60, "t": 120, "b": 40}}}


def _pdf_pages(deck: Deck) -> list[dict]:
    lang = deck.lang
    pages = []
    for spec in slides(deck):
        if spec.kind == "title":
            pages.append(_page("", [
                _note(0, 0.62, deck.title, 48, figures.BLUE, width=0),
                _note(0, 0.45, deck.subtitle, 20, width=90)], lang=lang))
        elif spec.kind == "key":
            boxes = []
            for i, (value, label) in enumerate(key_figures(deck)):
                boxes.append(_note(i * 0.26, 1.0, f"<b>{value}</b>", 34, figures.BLUE, width=0))
                boxes.append(_note(i * 0.26, 0.9, label, 14, width=32))
            data = []
            share = ess_share_table(deck)
            if share:
                boxes.append(_note(0, 0.68, f"<b>{deck.ess_share().indicator.label(lang)}</b>",
                                   18, "#161616", width=0))
                columns = [list(col) for col in zip(*share[1:])]
                data.append({"type": "table", "domain": {"x": [0, 0.7], "y": [0.2, 0.6]},
                             "header": {"values": share[0], "font": {"size": 16},
                                        "fill": {"color": "#E3E3FD"}, "height": 34},
                             "cells": {"values": columns, "font": {"size": 16}, "height": 34,
                                       "align": ["left"] + ["right"] * (len(share[0]) - 1)}})
            boxes.append(_note(0, 0.12, key_figures_note(deck), 12))
            pages.append(_page(spec.title, boxes, data, lang=lang))
        elif spec.kind == "chart":
            chart = spec.item
            fig = slide_figure(deck, spec)
            fig.layout.annotations[-1].text = "<br>".join(
                textwrap.wrap(chart_note(deck, chart), 150))
            page = _retitled(charts.for_export(fig, deck.extracted, lang), spec.title)
            page["layout"]["font"]["size"] = 16
            pages.append(page)
        elif spec.kind == "map":
            pages.append(_retitled(charts.for_export(deck.map_figure, deck.extracted, lang),
                                   spec.title))
        elif spec.kind == "ranking":
            fig = _ranking_figure(deck)
            page = _page(spec.title, [_note(0, 0.06, ranking_note(deck), 11, width=170)],
                         fig["data"], lang=lang)
            page["layout"].update({k: v for k, v in fig["layout"].items()})
            pages.append(page)
        elif spec.kind == "rural":
            lines = rural_lines(deck)
            notes = [_note(0, 1.0, lines[0], 16, "#161616", width=130)]
            data, layout = [], {}
            pair = rural_figure(deck)  # the same bars as the presentation page's
            if pair is not None:
                data = [{**trace, "textfont": {"size": 18}} for trace in pair.to_dict()["data"]]
                layout = {"barmode": "overlay", "showlegend": False,
                          "xaxis": {"visible": True, "domain": [0.2, 0.8], "type": "category",
                                    "tickfont": {"size": 14}},
                          "yaxis": {"visible": False, "domain": [0.15, 0.7],
                                    "range": list(pair.layout.yaxis.range)}}
            notes.append(_note(0, 0.06, " ".join(lines[1:]), 11, width=170))
            page = _page(spec.title, notes, data, lang=lang)
            page["layout"].update(layout)
            pages.append(page)
        elif spec.kind == "lone":
            notes, _ = _pdf_numbers(lone_numbers(deck))
            pages.append(_page(spec.title, notes, lang=lang))
        elif spec.kind == "support":
            notes, bottom = _pdf_numbers(deck.support.numbers)
            y = min(bottom, 0.3)
            for line in deck.support.statements:
                notes.append(_note(0, y, line, 15, "#161616"))
                y -= 0.07
            pages.append(_page(spec.title, notes, lang=lang))
        else:
            notes, y = [], 1.0
            for line in spec.item:
                notes.append(_note(0, y, line, 14, "#161616"))
                y -= (len(textwrap.wrap(line, WRAP)) or 1) * 0.042 + 0.012
            pages.append(_page(spec.title, notes, lang=lang))
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
    sheets = [(t("Chiffres clés", lang), keys, {}),
              (t("Chiffres publiés", lang), published, formats)]
    if deck.departments is not None:  # the ranking slide's figures
        deps = deck.departments
        ranks = dict(zip(deps.published["name"], deps.published["rank"]))
        rows = ranking_rows(deck, lang)
        territory_col, rank_col = t("Territoire", lang), t("Rang (calcul du projet)", lang)
        ranked = pd.DataFrame({
            territory_col: [name for name, _, _ in rows],
            deps.indicator.label(lang): [value for _, value, _ in rows],
            rank_col: [float(ranks[name]) if kind in ("departement", "territory") else None
                       for name, _, kind in rows],
            t("Période", lang): fmt.period(deps.period, lang),
            t("Source", lang): f"{deps.published['source_publisher'].iloc[0]}, "
                               f"{deps.published['source_title'].iloc[0]}",
            "_decimals": deps.indicator.decimals})
        sheets.append((t("Départements de la région", lang), ranked,
                       {deps.indicator.label(lang): tables.ROW_DECIMALS, rank_col: "0"}))
    return tables.workbook([
        *sheets,
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
