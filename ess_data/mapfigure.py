"""A map description (ess_data.mapspec) drawn as a Plotly figure for PNG, SVG and PDF.

Plotly's geo traces draw vector paths: `Choropleth` with the zone's own GeoJSON, `Scattergeo`
for circles and names (text in the system's fonts), a web-mercator projection like the in-app
map's, no basemap. The legend is drawn as rectangles and texts beside the map, from the
description's classes, as the in-app legend is. Each territory is filled with exactly the
colour the description gives it: the trace's z is the index of that colour in a colorscale of
the map's distinct colours, so Plotly interpolates nothing.

Geo traces ask plotly.js for a world basemap (world_110m.json from Plotly's CDN) even when
nothing of it is drawn; ess_data.export.charts hands it an empty one (EMPTY_TOPOJSON), so no
request leaves the machine.
"""
import json

import plotly.graph_objects as go

from ess_data import figures
from ess_data.mapspec import CIRCLE_COLOUR, HIGHLIGHT, LABEL_SIZE, OUTLINE, MapSpec, colours

# A topology with nothing in it, as a data: URL; plotly.js appends "<name>.json" to it, which
# the "#" makes a fragment.
EMPTY_TOPOJSON = "data:application/json," + json.dumps(
    {"type": "Topology", "objects": {}, "arcs": []}, separators=(",", ":")) + "#"
MAP_RIGHT = 0.78        # the map's share of the width; the legend is drawn right of it
LEGEND_X = 0.81
SWATCH = (0.022, 0.03)  # a legend swatch (paper width, height)
RAMP_STEPS = 48         # slices of a continuous legend bar
FRAME_MARGIN = 0.03     # of the frame's width and height, on each side


class MapFigure(go.Figure):
    """A Plotly figure drawn from a MapSpec, which it keeps (`spec`): the in-app map, the data
    table and the text alternative read the description, not the traces. Copied or pickled
    (Streamlit's caches), it is drawn again from its description."""

    def __init__(self, *args, spec: MapSpec | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._spec = spec

    @property
    def spec(self) -> MapSpec | None:
        return self._spec

    def __reduce__(self):
        return (figure, (self._spec,))


def _scale(colours: list[str]) -> list[list]:
    """A colorscale whose stop i is colours[i] exactly (z = i, zmin 0, zmax n-1)."""
    if len(colours) == 1:
        return [[0.0, colours[0]], [1.0, colours[0]]]
    return [[i / (len(colours) - 1), c] for i, c in enumerate(colours)]


def _lines(spec: MapSpec, codes: tuple[str, ...], line: tuple[str, float]) -> dict:
    """An outline layer: no fill, a border of `line` (colour, width)."""
    clear = "rgba(0,0,0,0)"
    return {"type": "choropleth", "geojson": spec.shapes, "featureidkey": "properties.code",
            "locations": list(codes), "z": [0] * len(codes),
            "colorscale": [[0, clear], [1, clear]], "showscale": False, "hoverinfo": "skip",
            "marker": {"line": {"color": line[0], "width": line[1]}}}


def _legend(spec: MapSpec) -> tuple[list[dict], list[dict]]:
    """Layout shapes and annotations of the legend (paper coordinates, right of the map)."""
    shapes, notes = [], []
    w, h = SWATCH
    lg, y = spec.legend, 0.9

    def key(colour: str, text: str, top: float) -> None:
        shapes.append({"type": "rect", "xref": "paper", "yref": "paper", "x0": LEGEND_X,
                       "x1": LEGEND_X + w, "y0": top - h, "y1": top, "fillcolor": colour,
                       "line": {"color": "rgba(0,0,0,0.15)", "width": 1}})
        notes.append({"text": text, "xref": "paper", "yref": "paper", "x": LEGEND_X + w + 0.008,
                      "y": top - h / 2, "xanchor": "left", "yanchor": "middle",
                      "showarrow": False, "font": {"size": 13}})

    if lg.classes:  # highest class on top, as in the app
        for colour, text in reversed(lg.classes):
            key(colour, text, y)
            y -= h + 0.012
    elif lg.ramp:
        height = 0.45
        slices = colours([list(s) for s in lg.ramp],
                         [(i + 0.5) / RAMP_STEPS for i in range(RAMP_STEPS)])
        for i, colour in enumerate(slices):
            shapes.append({"type": "rect", "xref": "paper", "yref": "paper", "x0": LEGEND_X,
                           "x1": LEGEND_X + w, "y0": y - height + i * height / RAMP_STEPS,
                           # over half the next slice: no hairline gap between two slices
                           "y1": y - height + min(i + 1.5, RAMP_STEPS) * height / RAMP_STEPS,
                           "fillcolor": colour, "line": {"width": 0}, "layer": "above"})
        shapes.append({"type": "rect", "xref": "paper", "yref": "paper", "x0": LEGEND_X,
                       "x1": LEGEND_X + w, "y0": y - height, "y1": y,
                       "line": {"color": "rgba(0,0,0,0.15)", "width": 1}})
        for position, text in lg.ticks:
            notes.append({"text": text, "xref": "paper", "yref": "paper",
                          "x": LEGEND_X + w + 0.008, "y": y - height + position * height,
                          "xanchor": "left", "yanchor": "middle", "showarrow": False,
                          "font": {"size": 13}})
        y -= height + 0.03
    if lg.no_data:
        key(lg.no_data[0], lg.no_data[1], y - 0.02)
    return shapes, notes


def figure(spec: MapSpec) -> MapFigure:
    """The map as Plotly geo traces (vector in SVG and PDF), with the house title and source
    note (figures.figure)."""
    palette = sorted({p.colour for p in spec.places})
    index = {c: i for i, c in enumerate(palette)}
    data = [{
        "type": "choropleth", "geojson": spec.shapes, "featureidkey": "properties.code",
        "locations": [p.code for p in spec.places],
        "z": [index[p.colour] for p in spec.places], "zmin": 0, "zmax": max(len(palette) - 1, 1),
        "colorscale": _scale(palette), "showscale": False, "hoverinfo": "skip",
        "marker": {"line": {"color": spec.line[0], "width": spec.line[1]}}}]
    if spec.outline:
        data.append(_lines(spec, spec.outline, OUTLINE))
    if spec.highlight:
        data.append(_lines(spec, spec.highlight, HIGHLIGHT))
    if spec.circles:
        data.append({
            "type": "scattergeo", "mode": "markers", "hoverinfo": "skip", "showlegend": False,
            "lon": [c.lon for c in spec.circles], "lat": [c.lat for c in spec.circles],
            "marker": {"size": [c.size for c in spec.circles], "sizemode": "diameter",
                       "color": CIRCLE_COLOUR,
                       "line": {"color": "rgba(255,255,255,0.9)", "width": 0.8}}})
    for colour in sorted({label.colour for label in spec.labels}):
        chosen = [label for label in spec.labels if label.colour == colour]
        data.append({
            "type": "scattergeo", "mode": "text", "hoverinfo": "skip", "showlegend": False,
            "lon": [label.lon for label in chosen], "lat": [label.lat for label in chosen],
            "text": ["<br>".join(label.lines) for label in chosen],
            "textfont": {"family": figures.FONT, "size": LABEL_SIZE, "color": colour}})
    # The view is the description's frame (the shapes, widened for the names near an edge),
    # with a margin: Plotly's fitbounds="locations" pads its fit and left a third of the
    # frame empty.
    west, south, east, north = spec.frame
    pad_x, pad_y = (east - west) * FRAME_MARGIN, (north - south) * FRAME_MARGIN
    shapes, notes = _legend(spec)
    layout = {
        "geo": {"domain": {"x": [0, MAP_RIGHT], "y": [0, 1]}, "fitbounds": False,
                "lonaxis": {"range": [west - pad_x, east + pad_x]},
                "lataxis": {"range": [south - pad_y, north + pad_y]},
                "visible": False, "projection": {"type": "mercator"},
                "bgcolor": "rgba(0,0,0,0)"},
        "shapes": shapes, "annotations": notes, "showlegend": False}
    fig = figures.figure(data, layout, spec.title, spec.note, spec.lang, height=680,
                         summary=spec.summary)
    return MapFigure(fig, spec=spec, _validate=False)
