"""What the in-app map draws: a map description packed for the dashboard's canvas renderer.

In the app, Plotly's bundle and MapLibre's start cost 2.5 to 5 times a bare page before a map
was visible; the dashboard draws maps with a small canvas renderer of its own (ui/mapview.js).
This module packs a map description (ess_data.mapspec, the one the exported figure is drawn
from too) for it: shapes projected to web-mercator and quantised to integers (delta-encoded),
each territory's fill colour, the hover text, outlines, circles, names, legend, title and
source note. Colours, classes and texts are the description's: the two drawings cannot
disagree on them.
"""
import json

import numpy as np

from ess_data import fmt
from ess_data.geo import rings as _rings
from ess_data.i18n import t
from ess_data.mapspec import CIRCLE_COLOUR, HIGHLIGHT, LABEL_SIZE, OUTLINE, MapSpec

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


def _hover(rows: list[list[str]], template: str) -> dict:
    """The hover template and, per place, the values it reads; columns that are the same
    everywhere (year, source) are written into the template once instead."""
    varying = []
    for i in range(len(rows[0]) if rows else 0):
        column = {row[i] for row in rows}
        if len(column) == 1:  # markup-free, as the renderer writes every value
            template = template.replace(f"%{{customdata[{i}]}}", column.pop().replace("<", "‹"))
        else:
            template = template.replace(f"%{{customdata[{i}]}}", f"%{{customdata[{len(varying)}]}}")
            varying.append(i)
    return {"template": template, "rows": [[row[i] for i in varying] for row in rows]}


def _legend(spec: MapSpec) -> dict:
    lg = spec.legend
    out = ({"classes": [list(c) for c in lg.classes]} if lg.classes
           else {"ramp": [list(r) for r in lg.ramp], "ticks": [list(k) for k in lg.ticks]})
    if lg.no_data:
        out["no_data"] = list(lg.no_data)
    return out


def payload(spec, shapes: dict | None = None, alt: str = "",
            height: int = 560, labels: dict | None = None) -> dict:
    """What ui/mapview.js draws, from a map description (a MapSpec, or a figure drawn from one:
    figures.choropleth; its `spec` is read). `shapes`: encode_shapes of the zone (cached by the
    caller); without it, the description's own shapes are encoded. `labels`: the renderer's
    own words (its buttons, the click hint), in the page's language."""
    spec: MapSpec = getattr(spec, "spec", spec)
    if shapes is None:
        shapes = encode_shapes(spec.shapes)
    frame, drawn = shapes["frame"], shapes["shapes"]
    lang = spec.lang
    layers = []
    missing = [p for p in spec.places if p.value is None and p.code in drawn]
    if missing:
        no_data = t("Aucune valeur publiée", lang)
        layers.append({"kind": "fill", "codes": [p.code for p in missing],
                       "fill": [p.colour for p in missing], "line": list(spec.line),
                       "hover": _hover([[p.name] for p in missing],
                                       f"<b>%{{customdata[0]}}</b><br>{no_data}"),
                       "name": no_data})
    have = [p for p in spec.places if p.value is not None and p.code in drawn]
    year = t("Année", lang) + fmt.colon(lang)
    layers.append({"kind": "fill", "codes": [p.code for p in have],
                   "fill": [p.colour for p in have], "line": list(spec.line),
                   "hover": _hover([[p.name, p.text, spec.period, p.source] for p in have],
                                   "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                                   f"{year}%{{customdata[2]}}<br>%{{customdata[3]}}"),
                   "name": ""})
    for codes, line in ((spec.outline, OUTLINE), (spec.highlight, HIGHLIGHT)):
        if codes:
            layers.append({"kind": "outline", "codes": [c for c in codes if c in drawn],
                           "line": list(line)})
    if spec.circles:
        c = spec.circles
        layers.append({"kind": "circles",
                       "xy": _project(frame, [x.lon for x in c], [x.lat for x in c]),
                       "size": [x.size for x in c], "color": CIRCLE_COLOUR,
                       "hover": _hover([[x.name, x.text] for x in c],
                                       f"<b>%{{customdata[0]}}</b><br>{spec.circle_label}"
                                       f"{fmt.colon(lang)}%{{customdata[1]}}")})
    for colour in sorted({label.colour for label in spec.labels}):
        chosen = [label for label in spec.labels if label.colour == colour]
        layers.append({"kind": "text",
                       "xy": _project(frame, [x.lon for x in chosen], [x.lat for x in chosen]),
                       "text": [list(x.lines) for x in chosen], "color": colour,
                       "size": LABEL_SIZE})
    used = {p.code for p in spec.places}
    return {"title": spec.title, "note": spec.note, "alt": alt, "height": height,
            "legend": _legend(spec), "layers": layers, "labels": labels or {},
            "shapes": "{" + ",".join(f"{json.dumps(c)}:{drawn[c]}"
                                     for c in drawn if c in used) + "}"}
