"""Figure builders as pure functions: separators, titles, source notes (maps: test_map_spec.py,
test_mapview.py, test_export_map.py)."""
import plotly.graph_objects as go
import pytest

from ess_data import db, figures, territory
from ess_data.registry import MICRO_SHARE, RURAL_SHARES, load_registry

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
