"""One map, described once: what the in-app map and the exported map both draw.

`build` turns the rows a view returned (one series: one indicator, one source, one period) and
the zone's shapes into a `MapSpec`: every territory with its shape, value as written, class and
fill colour, the outlines, circles and names, the legend, title and source line (rural
definition included). Nothing here knows Plotly or the browser: ess_data.mapview packs a spec
for the dashboard's canvas (ui/mapview.js) and ess_data.mapfigure draws it as Plotly geo traces
for PNG, SVG and PDF. Both read the same colours, classes and texts from it; neither decodes
the other's output.
"""
import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ess_data import classify, fmt
from ess_data.figures import BLUES, DIVERGING, NO_DATA, OCHRE, source_line
from ess_data.geo import Shapes, bounds, label_points, points, subset
from ess_data.i18n import t
from ess_data.registry import Indicator

DARK, LIGHT = "#161616", "#FFFFFF"   # names on light fills, on dark ones
OUTLINE = (DARK, 1.2)                # rural communes
HIGHLIGHT = (OCHRE, 4.0)             # the deck's territory
CIRCLE_COLOUR = "rgba(192, 140, 0, 0.55)"
LABEL_SIZE = 12   # px, the names written on small maps
MAX_LABELS = 30   # above this many territories (departments of France...), names crowd the map
FRAME_PX = (820, 530)  # the map's drawing area the names are measured against (both renderers)


@dataclass(frozen=True)
class Place:
    """One territory drawn: its value as published (None: none), as written, and its fill."""

    code: str
    name: str
    value: float | None
    text: str               # "25,1 %" / "Aucune valeur publiée"
    colour: str             # "#rrggbb", lower case
    klass: int | None       # index in legend.classes (stepped legend), else None
    source: str = ""        # "publisher, title"


@dataclass(frozen=True)
class Circle:
    """A proportional circle: area proportional to `value`, `size` its diameter in px."""

    code: str
    name: str
    lon: float
    lat: float
    size: float
    text: str


@dataclass(frozen=True)
class Label:
    """A territory's name written on the map, in lines, dark or white after its fill."""

    code: str
    lon: float
    lat: float
    lines: tuple[str, ...]
    colour: str


@dataclass(frozen=True)
class Legend:
    """Stepped classes (colour, label), or a continuous ramp (position, colour) with labelled
    ticks (position, label); `no_data` (colour, label) when some territory has no value."""

    classes: tuple[tuple[str, str], ...] = ()
    ramp: tuple[tuple[float, str], ...] = ()
    ticks: tuple[tuple[float, str], ...] = ()
    no_data: tuple[str, str] | None = None


@dataclass(frozen=True)
class MapSpec:
    """A choropleth described once (see the module). `shapes`: every place's geometry
    (GeoJSON, lon/lat, outer rings clockwise); `frame`: (west, south, east, north) the map must
    show, widened so that names near an edge fit."""

    title: str
    note: str               # source line, circles, rural definition
    summary: str            # highest and lowest values, for the text alternative
    lang: str
    period: str             # the data year as written
    shapes: Shapes
    places: tuple[Place, ...]
    legend: Legend
    frame: tuple[float, float, float, float]
    line: tuple[str, float] = ("white", 0.6)
    outline: tuple[str, ...] = ()
    highlight: tuple[str, ...] = ()
    circles: tuple[Circle, ...] = ()
    circle_label: str = ""  # the indicator the circles count
    labels: tuple[Label, ...] = ()
    rural_label: str = ""   # the rural definition the figures or the outline use, or ""

    def with_values(self) -> tuple[Place, ...]:
        """The places that have a value (the data table, the ranking)."""
        return tuple(p for p in self.places if p.value is not None)

    def table_rows(self) -> list[tuple[str, str, str]]:
        """(series, territory, value as written): the values, then the circles."""
        return ([("", p.name, p.text) for p in self.with_values()]
                + [(self.circle_label, c.name, c.text) for c in self.circles])


def _rgb(colour: str) -> tuple[float, ...]:
    """(r, g, b, alpha) of `#rrggbb` or `rgb(a)(...)`."""
    colour = colour.strip()
    if colour.startswith("#"):
        h = colour[1:]
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 1.0
    parts = [float(p) for p in colour[colour.index("(") + 1:colour.index(")")].split(",")]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def colours(scale, positions) -> list[str]:
    """Colours of a scale [[position, colour], ...] at `positions` (0-1), interpolated in RGB
    (as Plotly does), as lower-case `#rrggbb`."""
    stops = np.array([float(p) for p, _ in scale])
    rgb = np.array([_rgb(c)[:3] for _, c in scale], dtype=float)
    where = np.clip(np.asarray(positions, dtype=float), 0, 1)
    channels = np.rint(np.column_stack([np.interp(where, stops, rgb[:, i]) for i in range(3)]))
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in channels.astype(int).tolist()]


def _luminance(colour: str) -> float:
    """WCAG relative luminance."""
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(float(c)) for c in _rgb(colour)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def needs_light_text(fill: str) -> bool:
    """True when white reads better than dark text on `fill` (the larger WCAG contrast)."""
    lum = _luminance(fill)
    return (1.05 / (lum + 0.05)) > ((lum + 0.05) / (_luminance(DARK) + 0.05))


def two_lines(name: str, longest: int = 12) -> tuple[str, ...]:
    """A long name on two lines, broken at the space or hyphen nearest its middle (neighbouring
    names collide less)."""
    cuts = [i for i, ch in enumerate(name) if ch in " -"]
    if len(name) <= longest or not cuts:
        return (name,)
    cut = min(cuts, key=lambda i: abs(i - len(name) / 2))
    return (name[:cut + 1] if name[cut] == "-" else name[:cut]), name[cut + 1:]


def text_px(lines, size: int = LABEL_SIZE) -> float:
    """Width in pixels of a name (its longest line), a character taken as 0.6 em."""
    return 0.6 * size * max(map(len, lines))


def degrees_per_px(box: tuple[float, float, float, float],
                   width_px: int = FRAME_PX[0], height_px: int = FRAME_PX[1]) -> float:
    """Degrees of longitude per pixel when `box` fills a web-mercator frame of that size."""
    west, south, east, north = box

    def merc_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85), -85)) / 2))

    lon_span = math.radians(max(east - west, 1e-6))
    y_span = max(merc_y(north) - merc_y(south), 1e-6)
    px_per_radian = min(width_px / lon_span, height_px / y_span)
    return math.degrees(1 / px_per_radian)


def _classes(have: pd.DataFrame, indicator: Indicator, edges, lang: str
             ) -> tuple[list[str], list[int | None], Legend]:
    """Fill colour and class of each value, and the legend."""
    values = have["value"].astype(float).tolist()
    if indicator.unit != "points" and edges and len(edges) > 1:  # stepped classes
        k = len(edges) - 1
        palette = [c.lower() for c in classify.palette(k)]
        klass = classify.assign(values, edges)
        labels = classify.labels(edges, indicator.unit, indicator.decimals, lang)
        return ([palette[c] for c in klass], klass,
                Legend(classes=tuple(zip(palette, labels))))
    scale = DIVERGING if indicator.unit == "points" else BLUES
    low, high = (min(values, default=0.0), max(values, default=1.0))
    if indicator.unit == "points":  # a change: diverging, centred on zero
        reach = max(abs(low), abs(high), 1e-12)
        low, high = -reach, reach
    span = max(high - low, 1e-12)
    fills = colours(scale, [(v - low) / span for v in values])
    suffix = {"percent": fmt.NBSP + "%", "points": fmt.NBSP + t("pt", lang)}.get(indicator.unit, "")
    digits = 0 if high - low >= 20 else 1 if high - low >= 2 else 2
    ticks = tuple((i / 4, fmt.number(low + (high - low) * i / 4, digits, lang).replace("-", "−")
                   + suffix) for i in range(5))
    ramp = tuple((float(p), c.lower() if c.startswith("#") else c) for p, c in scale)
    return fills, [None] * len(values), Legend(ramp=ramp, ticks=ticks)


def _circles(geojson: dict, symbols: pd.DataFrame, indicator: Indicator,
             lang: str) -> tuple[tuple[Circle, ...], str]:
    """Circles with area proportional to a count, at a point inside each territory; the note
    saying what they count and the largest value."""
    where = points(geojson)
    rows = symbols[symbols["value"].notna() & symbols["code"].isin(where)]
    if rows.empty or rows["value"].max() <= 0:
        return (), ""
    biggest = float(rows["value"].max())
    circles = tuple(
        Circle(code, name, *where[code], max(3.0, 40 * math.sqrt(max(v, 0) / biggest)),
               fmt.value(v, indicator.unit, indicator.decimals, lang))
        for code, name, v in zip(rows["code"], rows["name"], rows["value"]))
    note = " " + t("Cercles : {indicator} (surface proportionnelle ; le plus grand = {value}).",
                   lang, indicator=indicator.label(lang),
                   value=fmt.value(biggest, indicator.unit, indicator.decimals, lang))
    return circles, note


def _labels(geojson: dict, places: list[Place], box) -> tuple[Label, ...]:
    """Each territory's name at its pole of inaccessibility. A name is white on a dark fill
    only if it fits inside the territory: one that runs over the white around a small island
    (Mayotte) stays dark."""
    widths: dict[str, float] = {}
    where = label_points(geojson, widths)
    per_px = degrees_per_px(box)
    out = []
    for p in places:
        if p.code not in where:
            continue
        lines = two_lines(p.name)
        fits = text_px(lines) * per_px <= widths[p.code]
        light = fits and needs_light_text(p.colour)
        out.append(Label(p.code, *where[p.code], lines, LIGHT if light else DARK))
    return tuple(out)


def _room_for_names(box, labels: tuple[Label, ...]) -> tuple[float, float, float, float]:
    """`box` widened so that every name, centred on its point, fits in the frame (4 px of
    margin); two passes, as widening the frame shrinks the map."""
    west, south, east, north = box
    for _ in range(2):
        per_px = degrees_per_px((west, south, east, north))
        for label in labels:
            half = (text_px(label.lines) / 2 + 4) * per_px
            west, east = min(west, label.lon - half), max(east, label.lon + half)
    return west, south, east, north


def build(geojson: dict, values: pd.DataFrame, indicator: Indicator, period: str,
          lang: str = "fr", edges: list[float] | None = None,
          outline: list[str] | None = None, place: str = "", rural_label: str = "",
          symbols: pd.DataFrame | None = None, symbol_indicator: Indicator | None = None,
          highlight: tuple[str, str] | None = None) -> MapSpec:
    """The description of one series on a map.

    `values`: map_values rows (code, name, value, source_title, source_publisher). `edges`:
    class breaks (classify.breaks) for a stepped legend, else a continuous scale (diverging
    around zero for a change, unit `points`). `outline`: codes drawn with a dark border (rural
    communes). `place`: the zone, added to the title. `rural_label`: the rural definition the
    figures or the outline use, named in the note. `symbols`: rows (code, name, value) of a
    count drawn as proportional circles (`symbol_indicator` names it). `highlight`: (code,
    name) of a territory outlined in ochre, named in the title. Maps of up to MAX_LABELS
    territories write each name on the map.
    """
    have = values[values["value"].notna()]
    missing = values[values["value"].isna()]
    no_data = t("Aucune valeur publiée", lang)
    fills, klass, legend = _classes(have, indicator, edges, lang)
    texts = [fmt.value(v, indicator.unit, indicator.decimals, lang) for v in have["value"]]
    sources = [f"{p}, {s}" for p, s in zip(have["source_publisher"], have["source_title"])]
    places = [Place(c, n, float(v), text, fill, k, src) for c, n, v, text, fill, k, src in zip(
        have["code"], have["name"], have["value"], texts, fills, klass, sources)]
    places += [Place(c, n, None, no_data, NO_DATA.lower(), None)
               for c, n in zip(missing["code"], missing["name"])]
    if len(missing):
        legend = replace(legend, no_data=(NO_DATA.lower(), no_data))
    shapes = subset(geojson, values["code"])
    box = bounds(shapes) if shapes["features"] else (0.0, 0.0, 1.0, 1.0)
    labels = _labels(shapes, places, box) if len(values) <= MAX_LABELS else ()
    circles, circle_note = (), ""
    if symbols is not None and symbol_indicator is not None:
        circles, circle_note = _circles(geojson, symbols, symbol_indicator, lang)
    title = (indicator.label(lang) if indicator.unit == "points"  # a change names its years
             else f"{indicator.label(lang)}, {fmt.period(period, lang)}")
    if place:
        title += f" — {place}"
    if highlight:
        title = t("{title} — {name} entouré en ocre", lang, title=title, name=highlight[1])
    note = source_line(have.assign(period=period), lang) + circle_note
    if rural_label:
        note += " " + t("Rural : {definitions}.", lang, definitions=rural_label)
    summary = ""
    if len(have) > 1:
        top, low = have.loc[have["value"].idxmax()], have.loc[have["value"].idxmin()]

        def written(v):
            return fmt.value(v, indicator.unit, indicator.decimals, lang)
        summary = t("Valeur la plus haute : {top} ({top_value}) ; la plus basse : {low} "
                    "({low_value}) ; {n} sans valeur.", lang, top=top["name"],
                    top_value=written(top["value"]), low=low["name"],
                    low_value=written(low["value"]), n=len(missing))
    return MapSpec(
        title=title, note=note, summary=summary, lang=lang, period=fmt.period(period, lang),
        shapes=shapes, places=tuple(places), legend=legend,
        frame=_room_for_names(box, labels),
        line=("white", 0.6 if len(values) < 400 else 0.3),
        outline=tuple(c for c in (outline or []) if c in set(values["code"])),
        highlight=(highlight[0],) if highlight else (), circles=circles,
        circle_label=symbol_indicator.label(lang) if circles else "", labels=labels,
        rural_label=rural_label)
