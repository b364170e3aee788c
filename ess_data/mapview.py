"""What the in-app map draws: a compact copy of a choropleth figure for a canvas renderer.

The exports draw maps with Plotly (MapLibre, through kaleido). In the app, Plotly's bundle and
MapLibre's start cost 2.5 to 5 times a bare page before a map was visible; the dashboard draws
the same figure with a small canvas renderer of its own (ui/mapview.js) instead. This module
turns a `figures.choropleth` figure into what that renderer needs: shapes projected to
web-mercator and quantised to integers (delta-encoded), one fill colour per territory, the
hover text, circles, labels, legend, title and source note. The figure stays the only source:
exports, the data table and the text alternative still read it, and the two drawings cannot
disagree on a colour or a class.
"""
import json
import math

import numpy as np
import plotly.graph_objects as go

from ess_data import fmt
from ess_data.geo import rings as _rings

GRID = 16383  # integer steps across the larger side of a zone (Grand Est: about 40 m a step)


def _mercator(lon, lat):
    lat = np.clip(np.asarray(lat, dtype=float), -85.0, 85.0)
    return np.radians(lon), np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def encode_shapes(geojson: dict) -> dict:
    """{"frame": [x0, y0, scale], "shapes": {code: "[ring, ...]"}}: each ring projected to
    web-mercator, on an integer grid of GRID steps across the zone (y pointing down), written as
    a first point then differences (repeated points dropped; rings of fewer than 3 dropped)."""
    owners, rings, seen = [], [], set()
    for feature in geojson["features"]:
        code = feature["properties"]["code"]
        if code in seen:  # a place in two traces (a highlight over the fills): drawn once
            continue
        seen.add(code)
        for ring in _rings(feature["geometry"]):
            owners.append(code)
            rings.append(np.asarray(ring, dtype=float)[:, :2])
    if not rings:
        return {"frame": [0.0, 0.0, 1.0], "shapes": {}}
    every = np.vstack(rings)
    x, y = _mercator(every[:, 0], every[:, 1])
    x0, y0 = float(x.min()), float(y.max())
    scale = GRID / max(float(x.max()) - x0, y0 - float(y.min()), 1e-9)
    q = np.column_stack([np.rint((x - x0) * scale), np.rint((y0 - y) * scale)]).astype(np.int64)
    ends = np.cumsum([len(r) for r in rings])
    starts = np.concatenate([[0], ends[:-1]])
    first = np.zeros(len(q), dtype=bool)
    first[starts] = True
    keep = first.copy()
    keep[1:] |= np.any(q[1:] != q[:-1], axis=1)  # a point unlike the one before it
    shapes: dict[str, list] = {}
    kept = np.cumsum(keep)
    for code, start, end in zip(owners, starts, ends):
        if kept[end - 1] - (kept[start - 1] if start else 0) < 3:
            continue
        part = q[start:end][keep[start:end]]
        step = np.vstack([part[:1], np.diff(part, axis=0)])
        shapes.setdefault(code, []).append(step.ravel().tolist())
    # Written as JSON text once: a page run then joins strings instead of re-encoding numbers.
    return {"frame": [x0, y0, scale],
            "shapes": {code: json.dumps(rings, separators=(",", ":"))
                       for code, rings in shapes.items()}}


def _project(frame: list[float], lon, lat) -> list[list[float]]:
    x0, y0, scale = frame
    x, y = _mercator(lon, lat)
    return np.round(np.column_stack([(x - x0) * scale, (y0 - y) * scale]), 1).tolist()


def _rgb(colour: str) -> tuple[float, float, float, float]:
    colour = colour.strip()
    if colour.startswith("#"):
        h = colour[1:]
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 1.0
    parts = [float(p) for p in colour[colour.index("(") + 1:colour.index(")")].split(",")]
    return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)


def _range(trace) -> tuple[float, float]:
    z = [v for v in trace.z if v is not None and not math.isnan(v)]
    low = trace.zmin if trace.zmin is not None else min(z, default=0.0)
    high = trace.zmax if trace.zmax is not None else max(z, default=1.0)
    if trace.zmid is not None:  # a diverging scale, centred like Plotly's
        reach = max(abs(high - trace.zmid), abs(low - trace.zmid), 1e-12)
        low, high = trace.zmid - reach, trace.zmid + reach
    return float(low), float(high)


def _colours(colorscale, positions) -> list[str]:
    """Colours of a Plotly colorscale at `positions` (0-1), interpolated in RGB as Plotly does."""
    stops = np.array([float(p) for p, _ in colorscale])
    rgb = np.array([_rgb(c)[:3] for _, c in colorscale], dtype=float)
    where = np.clip(np.asarray(positions, dtype=float), 0, 1)
    channels = np.rint(np.column_stack([np.interp(where, stops, rgb[:, i]) for i in range(3)]))
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in channels.astype(int).tolist()]


def _fills(trace) -> list[str]:
    """One colour per value, as Plotly colours it."""
    low, high = _range(trace)
    return _colours(trace.colorscale,
                    (np.asarray(trace.z, dtype=float) - low) / max(high - low, 1e-12))


def _hover(trace) -> dict | None:
    """The hover template and, per place, the customdata it reads; columns that are the same
    everywhere (year, source) are written into the template once instead."""
    template = trace.hovertemplate
    if not template or trace.hoverinfo == "skip" or trace.customdata is None:
        return None
    template = template.split("<extra>")[0]
    rows = [[str(v) for v in row] for row in trace.customdata]
    varying = []
    for i in range(len(rows[0]) if rows else 0):
        column = {row[i] for row in rows}
        if len(column) == 1:  # markup-free, as the renderer writes every value
            template = template.replace(f"%{{customdata[{i}]}}", column.pop().replace("<", "‹"))
        else:
            template = template.replace(f"%{{customdata[{i}]}}", f"%{{customdata[{len(varying)}]}}")
            varying.append(i)
    return {"template": template, "rows": [[row[i] for i in varying] for row in rows]}


def _legend(trace, separators: str) -> dict:
    """Stepped classes (tick labels) or a continuous ramp with five labelled stops."""
    bar = trace.colorbar
    if bar.tickvals is not None and bar.ticktext is not None:
        k = len(bar.tickvals)
        middles = _colours(trace.colorscale, [(i + 0.5) / k for i in range(k)])
        return {"classes": [[c, text] for c, text in zip(middles, bar.ticktext)]}
    low, high = _range(trace)
    lang = next((code for code, seps in fmt.PLOTLY_SEPARATORS.items() if seps == separators),
                "en")
    digits = 0 if high - low >= 20 else 1 if high - low >= 2 else 2

    def written(v: float) -> str:
        return fmt.number(v, digits, lang).replace("-", "−") + (bar.ticksuffix or "")

    return {"ramp": [[float(p), c] for p, c in trace.colorscale],
            "ticks": [[i / 4, written(low + (high - low) * i / 4)] for i in range(5)]}


def payload(fig: go.Figure, shapes: dict | None = None, alt: str = "",
            height: int = 560, labels: dict | None = None) -> dict:
    """What ui/mapview.js draws, from a `figures.choropleth` figure. `shapes`: encode_shapes
    of the zone (cached by the caller); without it, the figure's own shapes are encoded.
    `labels`: the renderer's own words (its buttons, the click hint), in the page's language."""
    if shapes is None:
        shapes = encode_shapes({"type": "FeatureCollection", "features": [
            f for tr in fig.data if tr.type == "choroplethmap" for f in tr.geojson["features"]]})
    frame = shapes["frame"]
    layers, legend, used = [], {}, set()
    for trace in fig.data:
        if trace.type == "choroplethmap":
            codes = [c for c in trace.locations if c in shapes["shapes"]]
            used.update(codes)
            keep = set(codes)
            line = trace.marker.line
            stroke = [line.color or "white", float(line.width or 0.5)]
            if all(_rgb(c)[3] == 0 for _, c in trace.colorscale):  # an outline (rural)
                layers.append({"kind": "outline", "codes": codes, "line": stroke})
                continue
            fills = [f for c, f in zip(trace.locations, _fills(trace)) if c in keep]
            hover = _hover(trace)
            if hover:
                hover["rows"] = [r for c, r in zip(trace.locations, hover["rows"]) if c in keep]
            layers.append({"kind": "fill", "codes": codes, "fill": fills, "line": stroke,
                           "hover": hover, "name": trace.name or ""})
            if trace.showscale is not False:
                legend.update(_legend(trace, fig.layout.separators or ".,"))
            else:
                legend["no_data"] = [fills[0] if fills else "#E5E5E5", trace.name or ""]
        elif trace.type == "scattermap":
            xy = _project(frame, list(trace.lon), list(trace.lat))
            if trace.mode == "text":
                layers.append({"kind": "text", "xy": xy,
                               "text": [s.split("<br>") for s in trace.text],
                               "color": trace.textfont.color, "size": trace.textfont.size or 12})
            else:
                layers.append({"kind": "circles", "xy": xy, "size": list(trace.marker.size),
                               "color": trace.marker.color, "hover": _hover(trace)})
    note = next((a.text for a in fig.layout.annotations if a.yshift), "")
    return {"title": fig.layout.title.text or "", "note": note, "alt": alt, "height": height,
            "legend": legend, "layers": layers, "labels": labels or {},
            "shapes": "{" + ",".join(f"{json.dumps(c)}:{shapes['shapes'][c]}"
                                     for c in shapes["shapes"] if c in used) + "}"}
