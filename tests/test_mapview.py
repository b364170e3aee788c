"""The in-app map's data (ess_data.mapview): shapes that decode back to the places, and a
payload that says what the map's description says (colours, classes, hover, legend, circles,
names); test_export_map.py checks the exported figure against the same description."""
import json
import math

import numpy as np
import pytest

from ess_data import classify, figures, mapview, territory
from ess_data.registry import load_registry
from tests.conftest import change_map

NB = "\u00a0"


def _decode(text: str) -> list[np.ndarray]:
    """Rings of one place as the renderer reads them: running sums of the differences."""
    return [np.cumsum(np.asarray(ring).reshape(-1, 2), axis=0) for ring in json.loads(text)]


def _square(code: str, west: float, south: float, side: float, hole: bool = False) -> dict:
    ring = [[west, south], [west + side, south], [west + side, south + side],
            [west, south + side], [west, south]]
    rings = [ring]
    if hole:
        c = side / 4
        rings.append([[west + c, south + c], [west + 3 * c, south + c],
                      [west + 3 * c, south + 3 * c], [west + c, south + c]])
    return {"type": "Feature", "properties": {"code": code},
            "geometry": {"type": "Polygon", "coordinates": rings}}


def test_shapes_decode_to_their_projected_points():
    gj = {"type": "FeatureCollection", "features": [
        _square("A", 2.0, 46.0, 1.0, hole=True), _square("B", 3.0, 46.0, 0.5),
        _square("A", 9.0, 40.0, 1.0)]}  # the same place again (a highlight): drawn once
    enc = mapview.encode_shapes(gj)
    x0, y0, scale = enc["frame"]
    assert sorted(enc["shapes"]) == ["A", "B"]
    outer, hole = _decode(enc["shapes"]["A"])
    assert len(outer) == 5 and len(hole) == 4  # both rings, as written
    (b,) = _decode(enc["shapes"]["B"])
    # the zone's wider side spans the whole grid; points within half a step of the projection
    assert b[:, 0].max() - outer[:, 0].min() == mapview.GRID
    lon, lat = 3.0, 47.0
    x = math.radians(lon)
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    assert outer[2] == pytest.approx([(x - x0) * scale, (y0 - y) * scale], abs=0.5)
    assert b[:, 0].min() == outer[:, 0].max()  # B starts where A ends: shared edges stay shared


def test_repeated_points_and_slivers_are_dropped():
    tiny = 1e-7  # far below one grid step
    gj = {"type": "FeatureCollection", "features": [
        _square("big", 0.0, 45.0, 2.0),
        {"type": "Feature", "properties": {"code": "sliver"}, "geometry": {
            "type": "Polygon", "coordinates": [[[1.0, 46.0], [1.0 + tiny, 46.0],
                                                [1.0, 46.0 + tiny], [1.0, 46.0]]]}},
        {"type": "Feature", "properties": {"code": "dup"}, "geometry": {
            "type": "Polygon", "coordinates": [[[0.5, 45.5], [0.5, 45.5], [1.5, 45.5],
                                                [1.5, 46.5], [0.5, 45.5]]]}}]}
    enc = mapview.encode_shapes(gj)
    assert "sliver" not in enc["shapes"]  # collapses to one point on the grid
    (ring,) = _decode(enc["shapes"]["dup"])
    assert len(ring) == 4  # the doubled first point is written once


def _fixture_map(con, **kwargs):
    reg = load_registry(con)
    ind = reg.get("part_ess_emploi_salarie")
    values = territory.map_values(con, ind, "departement", "2008")
    gj = territory.shapes(con, "departement")
    return gj, values, figures.choropleth(gj, values, ind, "2008", **kwargs)


def test_payload_has_the_descriptions_colours_classes_and_hover(fixture_con):
    gj, values, _ = _fixture_map(fixture_con)
    have = values[values["value"].notna()]
    edges = classify.breaks(have["value"], "seuils", 2, [20.0])
    _, _, fig = _fixture_map(fixture_con, edges=edges, outline=["48"])
    sent = mapview.payload(fig.spec, mapview.encode_shapes(gj), alt="texte")
    json.dumps(sent)  # what Streamlit sends
    kinds = [layer["kind"] for layer in sent["layers"]]
    assert kinds[:3] == ["fill", "fill", "outline"]  # no data, values, rural outline
    assert set(kinds[3:]) == {"text"}  # then the names (a small map)
    no_data, main, outline = sent["layers"][:3]
    assert no_data["codes"] == ["63"] and no_data["fill"] == [figures.NO_DATA.lower()]
    assert main["codes"] == ["48", "15"]
    palette = [c.lower() for c in classify.palette(2)]
    by_code = dict(zip(main["codes"], main["fill"]))
    assert by_code == {"48": palette[1], "15": palette[0]}  # 25.1 % above 20, 15.2 % below
    assert sent["legend"]["classes"] == [[palette[0], f"moins de 20,0{NB}%"],
                                         [palette[1], f"20,0{NB}% et plus"]]
    assert sent["legend"]["no_data"] == [figures.NO_DATA.lower(), "Aucune valeur publiée"]
    assert outline["codes"] == ["48"] and outline["line"] == ["#161616", 1.2]
    # the year and the source are the same everywhere: written into the template once
    hover = main["hover"]
    assert "Année : 2008" in hover["template"] and "Éditeur B" in hover["template"]
    assert hover["rows"][0] == ["Lozère", f"25,1{NB}%"]
    assert sent["title"] == fig.layout.title.text and sent["note"].startswith("Source : ")
    assert set(json.loads(sent["shapes"])) == {"48", "15", "63"}
    assert sent["alt"] == "texte"
    assert mapview.payload(fig, mapview.encode_shapes(gj), alt="texte") == sent  # its .spec


def test_payload_of_a_change_map_is_centred_on_zero(fixture_con):
    fig = change_map(fixture_con)
    sent = mapview.payload(fig.spec)  # shapes taken from the description itself
    main = next(layer for layer in sent["layers"] if layer["kind"] == "fill"
                and layer["name"] == "")
    z = {p.code: p.value for p in fig.spec.with_values()}
    reach = max(abs(v) for v in z.values())
    ends = 0
    for code, colour in zip(main["codes"], main["fill"]):
        expected = "#542788" if z[code] == reach else "#b35806" if z[code] == -reach else None
        if expected:
            ends += 1
            assert colour == expected  # the ends of the scale are the largest change
    assert ends >= 1
    ticks = sent["legend"]["ticks"]
    assert ticks[2][1] == f"0,0{NB}pt" and ticks[0][1].startswith("−")
    assert [p for p, _ in sent["legend"]["ramp"]] == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_payload_carries_circles_highlight_and_labels(fixture_con):
    reg = load_registry(fixture_con)
    share, pop = reg.get("part_population_rurale"), reg.get("population_municipale")
    gj = territory.shapes(fixture_con, "departement")
    values = territory.map_values(fixture_con, share, "departement", "2022")
    counts = territory.map_values(fixture_con, pop, "departement", "2022")
    fig = figures.choropleth(gj, values, share, "2022", symbols=counts, symbol_indicator=pop,
                             highlight=("48", "Lozère"))
    sent = mapview.payload(fig.spec, mapview.encode_shapes(gj))
    circles = next(layer for layer in sent["layers"] if layer["kind"] == "circles")
    assert circles["size"] == [c.size for c in fig.spec.circles]
    assert circles["hover"]["rows"][0][0] == fig.spec.circles[0].name
    assert next(layer for layer in sent["layers"] if layer["kind"] == "outline") == {
        "kind": "outline", "codes": ["48"], "line": ["#C08C00", 4.0]}  # the deck's ochre
    assert sent["title"].endswith("— Lozère entouré en ocre")
    names = [line for layer in sent["layers"] if layer["kind"] == "text"
             for text in layer["text"] for line in text]
    assert "Lozère" in names
    # a label sits where the description puts it: the same projection as the shapes
    (x0, y0, scale) = mapview.encode_shapes(gj)["frame"]
    placed = [p for layer in sent["layers"] if layer["kind"] == "text" for p in layer["xy"]]
    lozere = next(label for label in fig.spec.labels if label.code == "48")
    y = math.log(math.tan(math.pi / 4 + math.radians(lozere.lat) / 2))
    assert [(math.radians(lozere.lon) - x0) * scale, (y0 - y) * scale] in [
        pytest.approx(p, abs=0.1) for p in placed]
