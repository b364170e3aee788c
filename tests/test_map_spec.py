"""A map described once (ess_data.mapspec): places, classes and colours, circles, names, legend,
title and source line, from the views' rows on the fixture warehouse."""
import pandas as pd
import pytest

from ess_data import classify, figures, mapspec, territory
from ess_data.registry import load_registry
from tests.conftest import change_map

NB = "\u00a0"


def _share_map(con, **kwargs):
    ind = load_registry(con).get("part_ess_emploi_salarie")
    values = territory.map_values(con, ind, "departement", "2008")
    return mapspec.build(territory.shapes(con, "departement"), values, ind, "2008", **kwargs)


def test_places_values_sources_and_no_data(fixture_con):
    spec = _share_map(fixture_con, rural_label="Typologie de test")
    assert [(p.code, p.text) for p in spec.places] == [
        ("48", f"25,1{NB}%"), ("15", f"14,2{NB}%"), ("63", "Aucune valeur publiée")]
    assert spec.places[0].source == "Éditeur B, Indicateurs fictifs B (données de test)"
    assert spec.places[2].value is None and spec.places[2].colour == figures.NO_DATA.lower()
    assert spec.legend.no_data == (figures.NO_DATA.lower(), "Aucune valeur publiée")
    assert spec.title == "Part de l'ESS dans l'emploi salarié, 2008"
    assert spec.note.startswith("Source : Éditeur B") and "données 2008" in spec.note
    assert spec.note.endswith("Rural : Typologie de test.")  # the rural definition is named
    assert {f["properties"]["code"] for f in spec.shapes["features"]} == {"48", "15", "63"}
    assert spec.table_rows() == [("", "Lozère", f"25,1{NB}%"), ("", "Cantal", f"14,2{NB}%")]


def test_stepped_classes_give_each_place_its_class_colour(fixture_con):
    spec = _share_map(fixture_con, edges=[10.0, 20.0, 30.0])
    palette = [c.lower() for c in classify.palette(2)]
    assert spec.legend.classes == ((palette[0], f"moins de 20,0{NB}%"),
                                   (palette[1], f"20,0{NB}% et plus"))
    by_code = {p.code: (p.klass, p.colour) for p in spec.with_values()}
    assert by_code == {"48": (1, palette[1]), "15": (0, palette[0])}


def test_a_change_is_diverging_around_zero(fixture_con):
    spec = change_map(fixture_con).spec
    assert spec.legend.ramp[0] == (0.0, "#b35806") and spec.legend.ticks[2][1] == f"0,0{NB}pt"
    assert spec.places[0].text == f"2,8{NB}pts"
    assert spec.title.startswith("Évolution de « Part de l'ESS")


def test_proportional_circles(fixture_con):
    reg = load_registry(fixture_con)
    share, pop = reg.get("part_population_rurale"), reg.get("population_municipale")
    gj = territory.shapes(fixture_con, "departement")
    values = territory.map_values(fixture_con, share, "departement", "2022")
    counts = territory.map_values(fixture_con, pop, "departement", "2022")
    spec = mapspec.build(gj, values, share, "2022", symbols=counts, symbol_indicator=pop)
    sizes = {c.name: c.size for c in spec.circles}
    assert sizes["Puy-de-Dôme"] == 40  # the biggest (65,000)
    assert sizes["Lozère"] == pytest.approx(40 * (11000 / 65000) ** 0.5)  # area-proportional
    assert f"le plus grand = 65{NB}000" in spec.note
    assert ("Population municipale", "Puy-de-Dôme", f"65{NB}000") in [
        (s, n, v.replace(" ", NB)) for s, n, v in spec.table_rows()]


def test_small_maps_name_every_territory_large_ones_none(fixture_con):
    spec = _share_map(fixture_con)
    assert sorted(label.code for label in spec.labels) == ["15", "48", "63"]
    n = mapspec.MAX_LABELS + 1
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": f"{i:02d}", "lon": i, "lat": 45},
         "geometry": {"type": "Polygon",
                      "coordinates": [[[i, 45], [i + 1, 45], [i + 1, 46], [i, 45]]]}}
        for i in range(n)]}
    values = pd.DataFrame({"code": [f"{i:02d}" for i in range(n)],
                           "name": [f"T{i}" for i in range(n)],
                           "value": [float(i) for i in range(n)], "source_title": "t",
                           "source_publisher": "p", "source_published": "2020",
                           "period": "2014"})
    ind = load_registry(fixture_con).get("part_ess_emploi_salarie")
    assert mapspec.build(geojson, values, ind, "2014").labels == ()
    small = mapspec.build(geojson, values.head(3), ind, "2014")
    colour = {label.code: label.colour for label in small.labels}
    # the darkest fill gets a white name, the lightest a dark one
    assert colour["02"] == mapspec.LIGHT and colour["00"] == mapspec.DARK


def test_long_names_break_once_near_the_middle():
    assert mapspec.two_lines("Bretagne") == ("Bretagne",)
    assert mapspec.two_lines("Centre-Val de Loire") == ("Centre-Val", "de Loire")
    assert mapspec.two_lines("Provence-Alpes-Côte d'Azur") == ("Provence-Alpes-", "Côte d'Azur")


def test_white_text_only_where_it_reads_better():
    assert mapspec.needs_light_text("#000091") and mapspec.needs_light_text("#3a3ad5")
    assert not mapspec.needs_light_text("#e3e3fd") and not mapspec.needs_light_text("#8585f6")


def test_names_near_an_edge_widen_the_frame(fixture_con):
    """A small territory at the west edge (an overseas inset) with a long name: the frame is
    widened so the name, centred on its point, fits; the darkest fill, its name is still dark,
    as it runs over the white around the island."""
    boxes = {"01": (0.0, 0.02, 0.02), "02": (2.0, 10.0, 1.0)}  # code -> west, width, height
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code},
         "geometry": {"type": "Polygon", "coordinates": [[[w, 45], [w + dx, 45], [w + dx, 45 + dy],
                                                          [w, 45 + dy], [w, 45]]]}}
        for code, (w, dx, dy) in boxes.items()]}
    values = pd.DataFrame({"code": ["01", "02"], "name": ["Guadeloupe", "Z"],
                           "value": [2.0, 1.0], "source_title": "t", "source_publisher": "p",
                           "source_published": "2020", "period": "2014"})
    ind = load_registry(fixture_con).get("part_ess_emploi_salarie")
    spec = mapspec.build(geojson, values, ind, "2014")
    label = next(label for label in spec.labels if label.code == "01")
    assert label.colour == mapspec.DARK
    west = spec.frame[0]
    assert west < 0.0  # wider than the shapes
    half = mapspec.text_px(label.lines) / 2 * mapspec.degrees_per_px(spec.frame)
    assert label.lon - half > west  # the name's left end is inside


def test_highlight_is_outlined_and_named(fixture_con):
    spec = _share_map(fixture_con, highlight=("15", "Cantal"))
    assert spec.highlight == ("15",)
    assert spec.title == "Part de l'ESS dans l'emploi salarié, 2008 — Cantal entouré en ocre"
