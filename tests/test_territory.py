"""Every level down to the commune: zones, computed figures weighted correctly, class breaks."""
import math

import pytest

from ess_data import classify, territory
from ess_data.registry import load_registry

APPROX = "approx_densite_communale"


def test_parse_zone_accepts_only_known_shapes():
    assert territory.parse_zone("france") is territory.FRANCE
    assert territory.parse_zone("region-53").region_code == "53"
    assert territory.parse_zone("departement-2A").departement_code == "2A"
    assert territory.parse_zone("departement-971").slug == "departement-971"
    for bad in ["", None, "region-5", "departement-2C", "france;drop", "commune-48001",
                "<script>", "region-53 "]:
        assert territory.parse_zone(bad) is None, bad


def test_region_rural_share_is_population_weighted(fixture_con):
    df = territory.metrics(fixture_con, "region", rural=APPROX).set_index("code")
    # 84: rural communes 15001 (400) + 63001 (5,000) out of 65,450 inhabitants
    assert df.loc["84", "rural_population_share"] == pytest.approx(5400 / 65450 * 100)
    assert df.loc["84", "n_rural_communes"] == 2
    assert df.loc["84", "n_unclassified"] == 1
    # never the mean of the communes' shares (which would be (100 + 100 + 0 + 0) / 4 = 50 %)
    assert df.loc["84", "rural_communes_share"] == 50.0
    assert df.loc["76", "rural_population_share"] == pytest.approx(100 / 11000 * 100)


def test_epci_spanning_two_departments_counts_all_its_communes(fixture_con):
    in_48 = territory.metrics(fixture_con, "epci", territory.parse_zone("departement-48"),
                              APPROX).set_index("code")
    assert sorted(in_48.index) == ["E1", "E2"]  # E2 straddles 48 and 15
    assert in_48.loc["E2", "population"] == 500  # 48003 (100) + 15001 (400)
    assert in_48.loc["E2", "n_rural_communes"] == 2
    assert in_48.loc["E2", "rural_population_share"] == 100.0


def test_commune_level_classes_and_unclassified(fixture_con):
    df = territory.metrics(fixture_con, "commune", territory.parse_zone("region-84"),
                           APPROX).set_index("code")
    assert list(df.index) == ["15001", "15002", "63001", "63002"]
    assert df.loc["15001", "class_label_fr"] == "Rural peu dense"
    assert df.loc["63002", "class_code"] == "1"
    assert math.isnan(df.loc["15002", "rural_population_share"])  # no area: not classed


def test_map_values_for_computed_and_published(fixture_con):
    reg = load_registry(fixture_con)
    dens = territory.map_values(fixture_con, reg.get("densite_population"), "departement",
                                "2022")
    assert dens["code"].tolist() == ["63", "48", "15"]
    assert dens["value"].tolist()[:2] == [pytest.approx(65000 / 50), pytest.approx(11000 / 18)]
    assert dens["rank"].tolist() == [1, 2, 3]
    assert dens["source_publisher"].iloc[0] == "Ce projet"
    pub = territory.map_values(fixture_con, reg.get("part_ess_emploi_salarie"), "departement",
                               "2014", territory.parse_zone("region-84"))
    assert pub[["code", "value", "rank"]].values.tolist() == [["15", 15.5, 1], ["63", 8.25, 2]]


def test_periods_default_to_the_best_covered(fixture_con):
    reg = load_registry(fixture_con)
    assert territory.periods(fixture_con, reg.get("part_ess_emploi_salarie"), "departement") \
        == (["2014", "2008"], "2014")
    assert territory.periods(fixture_con, reg.get("densite_population"), "commune") == \
        (["2022"], "2022")


def test_shapes_in_a_zone(fixture_con):
    gj = territory.shapes(fixture_con, "commune", territory.parse_zone("departement-48"))
    assert [f["properties"]["code"] for f in gj["features"]] == ["48001", "48002", "48003"]
    gj = territory.shapes(fixture_con, "commune", territory.parse_zone("departement-15"))
    assert [f["properties"]["code"] for f in gj["features"]] == ["15001"]  # 15002 has no shape


def test_class_breaks():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, float("nan")]
    assert classify.breaks(values, "egal", 3) == [1.0, 4.0, 7.0, 10.0]
    q = classify.breaks(values, "quantiles", 4)
    assert q == [1.0, 3.25, 5.5, 7.75, 10.0]
    assert classify.assign([1, 3.25, 10, float("nan")], q) == [0, 1, 3, None]
    assert classify.breaks(values, "seuils", thresholds=[5, 50]) == [1.0, 5.0, 10.0]
    assert classify.breaks([2, 2, 2], "quantiles", 5) == [2.0, 2.0]


def test_class_labels_in_french():
    assert classify.labels([1.0, 5.0, 10.0, 20.0], "percent", 1) == [
        "moins de 5,0\u00a0%", "5,0 à 10,0\u00a0%", "10,0\u00a0% et plus"]


def test_thresholds_typed_by_users():
    assert classify.parse_thresholds("15 ; 10 ; 12,5") == [10.0, 12.5, 15.0]
    assert classify.thresholds_text([10.0, 12.5]) == "10;12.5"
    for bad in ["", "10, 15, 20", "abc", "1;2;3;4;5;6;7", "nan", "1e999"]:
        with pytest.raises(classify.BadThresholds):
            classify.parse_thresholds(bad)


def test_change_between_two_periods_same_source(fixture_con):
    reg = load_registry(fixture_con)
    ind = reg.get("part_ess_emploi_salarie")
    df = territory.change_values(fixture_con, ind, "departement", "2008", "2014")
    got = dict(zip(df["code"], df["value"]))
    assert got["48"] == pytest.approx(27.8697 - 25.1)
    assert got["15"] == pytest.approx(15.5 - 14.2)
    assert math.isnan(got["63"])  # no 2008 value
    assert df["period"].iloc[0] == "2008-2014"
    change = territory.change_indicator(ind, "2008", "2014")
    assert change.unit == "points"
    assert change.label_fr == (
        "Évolution de « Part de l'ESS dans l'emploi salarié » entre 2008 et 2014")
