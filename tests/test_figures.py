"""Figure builders as pure functions: separators, titles, source notes, offline map style."""
import pandas as pd
import plotly.graph_objects as go
import pytest

from ess_data import db, figures, geo, territory
from ess_data.registry import MICRO_SHARE, RURAL_SHARES, load_registry
from tests.conftest import change_map

NB = "\u00a0"


def _source_note(fig):
    return fig.layout.annotations[-1].text.replace("<br>", " ")


def test_rural_comparison_panels_and_source(fixture_con):
    reg = load_registry(fixture_con)
    obs = db.run_query(fixture_con, "rural_comparison", definition="cget_2019",
                       indicator_ids=[*RURAL_SHARES, MICRO_SHARE])
    pairs = obs[obs["chosen"]]
    fig = figures.rural_comparison(pairs, [reg.get(i) for i in [*RURAL_SHARES, MICRO_SHARE]],
                                   {"cget_2019": "Typologie de test"})
    d = fig.to_dict()
    assert d["layout"]["separators"] == "," + NB
    assert len(d["data"]) == 3  # one panel per indicator: never one axis for two kinds of share
    assert list(d["data"][0]["text"]) == [f"13,8{NB}%", f"10,5{NB}%"]
    assert list(d["data"][2]["text"]) == [f"plus de 83{NB}%", f"77{NB}%"]
    assert "Éditeur A, Étude fictive A (données de test) (2019)" in _source_note(fig)
    assert "données 2015" in _source_note(fig)
    assert "Rural : Typologie de test." in _source_note(fig)
    assert list(d["data"][2]["x"]) == ["Territoires ruraux", "France entière"]


def test_choropleth_is_offline_and_shows_no_data(fixture_con):
    reg = load_registry(fixture_con)
    ind = reg.get("part_ess_emploi_salarie")
    values = db.run_query(fixture_con, "map_values", indicator_id=ind.indicator_id,
                          level="departement", period="2008",
                          source_id=None, region_code=None,
                          departement_code=None)
    gj = territory.shapes(fixture_con, "departement")
    d = figures.choropleth(gj, values, ind, "2008").to_dict()
    assert d["layout"]["map"]["style"] == "white-bg"
    assert [t["type"] for t in d["data"]] == ["choroplethmap", "choroplethmap"]
    no_data, main = d["data"]
    assert list(no_data["locations"]) == ["63"]
    assert list(main["locations"]) == ["48", "15"]
    assert main["featureidkey"] == "properties.code"
    assert main["customdata"][0][1] == f"25,1{NB}%"
    assert main["customdata"][0][3] == "Éditeur B, Indicateurs fictifs B (données de test)"
    assert d["layout"]["title"]["text"] == "Part de l'ESS dans l'emploi salarié, 2008"


def test_fit_view_centres_on_bounds():
    centre, zoom = geo.fit_view((-5.0, 42.0, 9.0, 51.0))
    assert centre["lon"] == 2.0 and 46 < centre["lat"] < 47  # mercator middle, not 46.5
    import math

    def fits(z):  # default frame 820 x 530 px; MapLibre world = 512 px at zoom 0
        lon_ok = 820 * 360 / (512 * 2 ** z) >= 14
        y_span = math.log(math.tan(math.pi / 4 + math.radians(51) / 2)) - math.log(
            math.tan(math.pi / 4 + math.radians(42) / 2))
        y_ok = 530 * 2 * math.pi / (512 * 2 ** z) >= y_span
        return lon_ok and y_ok
    assert fits(zoom) and not fits(zoom + 0.5)  # fits, with little room left


def test_compare_bars_and_breakdown(fixture_con):
    reg = load_registry(fixture_con)
    ind = reg.get("part_ess_emploi_salarie")
    prof = db.run_query(fixture_con, "territory_profile", level="departement", code="48")
    d = figures.compare_bars(prof.sort_values("period"), ind, "Lozère").to_dict()
    assert [t["name"] for t in d["data"]] == ["Lozère", "Occitanie", "France hors Mayotte"]
    assert list(d["data"][0]["text"]) == [f"25,1{NB}%", f"27,9{NB}%"]
    dla = db.run_query(fixture_con, "theme_observations", theme="dla")
    b = figures.breakdown_bars(dla, reg.get("dla_part_secteur")).to_dict()
    assert list(b["data"][0]["y"]) == ["Sport", "Culture"]
    assert b["layout"]["title"]["text"].endswith(", 2022")


def test_period_bars_one_colour_per_source(fixture_con):
    reg = load_registry(fixture_con)
    obs = db.run_query(fixture_con, "theme_observations", theme="ptce")
    d = figures.period_bars(obs, reg.get("ptce_laureats")).to_dict()
    assert list(d["data"][0]["x"]) == ["2021", "2024"]
    assert list(d["data"][0]["text"]) == ["56", "210"]
    assert d["layout"]["meta"]["source"].startswith("Source : Éditeur A")


def _all_figures(con):
    reg = load_registry(con)
    obs = db.run_query(con, "rural_comparison", definition="cget_2019",
                       indicator_ids=[*RURAL_SHARES, MICRO_SHARE])
    ind = reg.get("part_ess_emploi_salarie")
    values = db.run_query(con, "map_values", indicator_id=ind.indicator_id,
                          level="departement", period="2008",
                          source_id=None, region_code=None,
                          departement_code=None)
    gj = territory.shapes(con, "departement")
    prof = db.run_query(con, "territory_profile", level="departement", code="48")
    dla = db.run_query(con, "theme_observations", theme="dla")
    ptce = db.run_query(con, "theme_observations", theme="ptce")
    return [
        figures.rural_comparison(obs[obs["chosen"]],
                                 [reg.get(i) for i in [*RURAL_SHARES, MICRO_SHARE]], {}),
        figures.choropleth(gj, values, ind, "2008"),
        figures.compare_bars(prof.sort_values("period"), ind, "Lozère"),
        figures.breakdown_bars(dla, reg.get("dla_part_secteur")),
        figures.period_bars(ptce, reg.get("ptce_laureats")),
    ]


def test_every_figure_passes_plotly_validation(fixture_con):
    """Builders skip Plotly's per-call validation for speed; here every output is validated."""
    for fig in _all_figures(fixture_con):
        go.Figure(fig.to_dict())  # raises on any invalid property


def test_validation_would_catch_a_bad_property():
    with pytest.raises(ValueError):
        go.Figure({"data": [{"type": "bar", "colour": "red"}]})


def test_slope_chart_between_first_and_last_period(fixture_con):
    reg = load_registry(fixture_con)
    ind = reg.get("part_ess_emploi_salarie")
    prof = db.run_query(fixture_con, "territory_profile", level="departement", code="48")
    d = figures.slope(prof.sort_values("period"), ind, "Lozère").to_dict()
    assert [t["name"] for t in d["data"]] == ["Lozère", "Occitanie"]  # no France 2008 value
    assert list(d["data"][0]["y"]) == [25.1, 27.8697]
    assert list(d["data"][0]["text"]) == [f"25,1{NB}%  ", f"  27,9{NB}% Lozère"]
    assert d["layout"]["title"]["text"] == "Part de l'ESS dans l'emploi salarié : 2008 → 2014"
    # a visible value axis from zero: the slope is not magnified by a cut axis
    axis = d["layout"]["yaxis"]
    assert axis["visible"] and axis["range"][0] == 0 and axis["ticksuffix"] == f"{NB}%"
    go.Figure(d)  # valid


def test_change_map_is_diverging_around_zero(fixture_con):
    d = change_map(fixture_con).to_dict()
    main = d["data"][1]
    assert main["zmid"] == 0 and main["colorscale"][0][1] == "#b35806"
    assert main["customdata"][0][1] == f"2,8{NB}pts"
    assert d["layout"]["title"]["text"].startswith("Évolution de « Part de l'ESS")


def test_proportional_circles_over_the_choropleth(fixture_con):
    reg = load_registry(fixture_con)
    share = reg.get("part_population_rurale")
    pop = reg.get("population_municipale")
    gj = territory.shapes(fixture_con, "departement")
    values = territory.map_values(fixture_con, share, "departement", "2022")
    counts = territory.map_values(fixture_con, pop, "departement", "2022")
    d = figures.choropleth(gj, values, share, "2022", symbols=counts,
                           symbol_indicator=pop).to_dict()
    circles = d["data"][-1]
    assert circles["type"] == "scattermap" and circles["mode"] == "markers"  # no text: no glyphs
    sizes = dict(zip([c[0] for c in circles["customdata"]], circles["marker"]["size"]))
    assert sizes["Puy-de-Dôme"] == 40  # the biggest (65,000)
    assert sizes["Lozère"] == pytest.approx(40 * (11000 / 65000) ** 0.5)  # area-proportional
    assert f"le plus grand = 65{NB}000" in d["layout"]["meta"]["source"]
    go.Figure(d)
    # with labels too (a small map): names over the circles, coloured after the fills
    d = figures.choropleth(gj, values, share, "2022", symbols=counts, symbol_indicator=pop,
                           glyphs="/g/{fontstack}/{range}.pbf").to_dict()
    kinds = [(tr["type"], tr.get("mode"), tr.get("meta")) for tr in d["data"]]
    circles_at = kinds.index(("scattermap", "markers", None))
    assert kinds[circles_at + 1:] and all(k == ("scattermap", "text", "labels")
                                          for k in kinds[circles_at + 1:])


def test_text_alternative_and_data_view(fixture_con):
    reg = load_registry(fixture_con)
    ind = reg.get("part_ess_emploi_salarie")
    values = territory.map_values(fixture_con, ind, "departement", "2008")
    fig = figures.choropleth(territory.shapes(fixture_con, "departement"), values, ind, "2008")
    assert figures.describe(fig).startswith(
        "Carte de 2 territoires : Part de l'ESS dans l'emploi salarié, 2008. Valeur la plus "
        f"haute : Lozère (25,1{NB}%) ; la plus basse : Cantal (14,2{NB}%) ; 1 sans valeur. "
        "Source : Éditeur B")
    assert figures.data_table(fig).values.tolist() == [
        ["", "Lozère", f"25,1{NB}%"], ["", "Cantal", f"14,2{NB}%"]]
    dla = db.run_query(fixture_con, "theme_observations", theme="dla")
    bars = figures.breakdown_bars(dla, reg.get("dla_part_secteur"))
    assert figures.describe(bars).startswith(
        f"Graphique en barres : Part des structures accompagnées par secteur, 2022. Sport : "
        f"7{NB}% ; Culture : 19{NB}%.")


def test_small_maps_get_labels_drawn_with_the_given_glyphs(fixture_con):
    from ess_data import territory
    from ess_data.registry import load_registry
    ind = load_registry(fixture_con).get("part_ess_emploi_salarie")
    values = territory.map_values(fixture_con, ind, "region", "2014")
    shapes = territory.shapes(fixture_con, "region")
    plain = figures.choropleth(shapes, values, ind, "2014")
    assert plain.layout.map.style == "white-bg"
    assert not [tr for tr in plain.data if tr.meta == "labels"]
    fig = figures.choropleth(shapes, values, ind, "2014", glyphs="/g/{fontstack}/{range}.pbf")
    labels = [tr for tr in fig.data if tr.meta == "labels"]
    assert fig.layout.map.style["glyphs"] == "/g/{fontstack}/{range}.pbf"
    named = sorted(n.replace("<br>", "").replace(" ", "") for tr in labels for n in tr.text)
    assert named == sorted(n.replace(" ", "") for n in values["name"])
    assert all(tr.textfont.family == figures.LABEL_FONT for tr in labels)
    # labels carry no data: the data view and the text alternative ignore them
    assert len(figures.data_table(fig)) == len(figures.data_table(plain))


def test_maps_of_many_territories_are_not_labelled(fixture_con):
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": f"{i:02d}", "lon": i, "lat": 45},
         "geometry": {"type": "Polygon",
                      "coordinates": [[[i, 45], [i + 1, 45], [i + 1, 46], [i, 45]]]}}
        for i in range(figures.MAX_LABELS + 1)]}
    values = pd.DataFrame({"code": [f"{i:02d}" for i in range(figures.MAX_LABELS + 1)],
                           "name": [f"T{i}" for i in range(figures.MAX_LABELS + 1)],
                           "value": [float(i) for i in range(figures.MAX_LABELS + 1)],
                           "source_title": "t", "source_publisher": "p",
                           "source_published": "2020", "period": "2014"})
    ind = load_registry(fixture_con).get("part_ess_emploi_salarie")
    fig = figures.choropleth(geojson, values, ind, "2014", glyphs="/g/{fontstack}/{range}.pbf")
    assert not [tr for tr in fig.data if tr.meta == "labels"]
    small = figures.choropleth(geojson, values.head(3), ind, "2014",
                               glyphs="/g/{fontstack}/{range}.pbf")
    labels = [tr for tr in small.data if tr.meta == "labels"]
    assert sorted(n for tr in labels for n in tr.text) == ["T0", "T1", "T2"]
    # the darkest fill gets a white label, the lightest a dark one
    colour = {n: tr.textfont.color for tr in labels for n in tr.text}
    assert colour["T2"] == "#FFFFFF" and colour["T0"] == "#161616"


def test_long_names_break_once_near_the_middle():
    assert figures._two_lines("Bretagne") == "Bretagne"
    assert figures._two_lines("Centre-Val de Loire") == "Centre-Val<br>de Loire"
    assert figures._two_lines("Provence-Alpes-Côte d'Azur") == "Provence-Alpes-<br>Côte d'Azur"


def test_names_near_an_edge_stay_inside_the_frame(fixture_con):
    """A small territory at the west edge (an overseas inset) with a long name: the view is
    widened so the name, centred on its point, fits the 820 px frame fit_view assumes; the
    darkest fill, its name is still dark, as it runs over the white around the island."""
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
    plain = figures.choropleth(geojson, values, ind, "2014")
    fig = figures.choropleth(geojson, values, ind, "2014", glyphs="/g/{fontstack}/{range}.pbf")
    assert fig.layout.map.zoom < plain.layout.map.zoom  # room made for the names
    degrees_per_px = 360 / (512 * 2 ** fig.layout.map.zoom)
    west = fig.layout.map.center.lon - 410 * degrees_per_px
    label = next(tr for tr in fig.data if tr.meta == "labels" and "Guadeloupe" in tr.text)
    assert label.textfont.color == "#161616"
    lon = label.lon[list(label.text).index("Guadeloupe")]
    assert lon - 0.3 * 12 * len("Guadeloupe") * degrees_per_px > west  # the name's left end
    assert plain.layout.map.center.lon - 410 * 360 / (512 * 2 ** plain.layout.map.zoom) > (
        lon - 0.3 * 12 * len("Guadeloupe") * 360 / (512 * 2 ** plain.layout.map.zoom))  # was out
