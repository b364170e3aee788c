"""Every named query runs on the fixture warehouse and returns the expected values."""
import pytest

from ess_data import db
from ess_data.build import CHECKS
from ess_data.config import ROOT

APPROX = "approx_densite_communale"


def test_every_query_file_is_used_somewhere():
    code = "\n".join(p.read_text(encoding="utf-8") for folder in ("pages", "ui", "ess_data")
                     for p in (ROOT / folder).rglob("*.py"))
    unused = [n for n in db.query_names() if f'"{n}"' not in code]
    assert unused == []


def test_every_query_has_a_header_with_grain():
    for name in db.query_names():
        text = db.load_query(name)
        assert text.startswith("--"), name
        assert "Grain" in text or "grain" in text or name in CHECKS, name


def test_query_names_cannot_escape_the_folder():
    with pytest.raises(ValueError):
        db.load_query("../etc/passwd")


def test_map_values_one_source_and_territories_without_value(fixture_con):
    df = db.run_query(fixture_con, "map_values", indicator_id="part_ess_emploi_salarie",
                      level="departement", period="2008", source_id=None, region_code=None,
                      departement_code=None)
    # 63 is published for 2008 by src_a only: the default source's map leaves it empty rather
    # than filling it from another producer (the old query took "the first other source")
    assert df[["code", "value"]].astype(object).where(df.notna(), None).values.tolist() == [
        ["48", 25.1], ["15", 14.2], ["63", None]]
    assert set(df["source_id"].dropna()) == {"src_b"} and df["n_published"].iloc[0] == 2
    other = db.run_query(fixture_con, "map_values", indicator_id="part_ess_emploi_salarie",
                         level="departement", period="2008", source_id="src_a",
                         region_code=None, departement_code=None)
    assert other[["code", "value"]].dropna().values.tolist() == [["63", 7.5]]


def test_map_periods(fixture_con):
    df = db.run_query(fixture_con, "map_periods", indicator_id="part_ess_emploi_salarie",
                      level="region")
    assert df[["period", "source_id", "n_territories", "n_sources"]].values.tolist() == [
        ["2014", "src_b", 2, 1], ["2008", "src_b", 2, 1]]
    deps = db.run_query(fixture_con, "map_periods", indicator_id="part_ess_emploi_salarie",
                        level="departement")
    assert deps[["period", "source_id", "n_territories", "n_sources"]].values.tolist() == [
        ["2014", "src_b", 3, 1], ["2008", "src_b", 2, 2], ["2008", "src_a", 1, 2]]


def test_territory_profile_against_region_and_france(fixture_con):
    df = db.run_query(fixture_con, "territory_profile", level="departement", code="48")
    row = df[df["period"] == "2014"].iloc[0]
    assert (row["value_territory"], row["value_region"], row["value_france"]) == (
        27.8697, 12.25, 10.5)
    assert (row["region_name"], row["france_name"]) == ("Occitanie", "France hors Mayotte")
    assert (row["rank"], row["n_ranked"]) == (1, 3)


def test_territory_rurality_weighted_by_population(fixture_con):
    df = db.run_query(fixture_con, "territory_rurality", level="region", code="84",
                      rural_definition_id=APPROX)
    rural = df[df["is_rural"].fillna(False).astype(bool)]
    assert int(rural["n_communes"].sum()) == 2
    assert rural["population"].sum() == 5400
    assert rural["share_population"].sum() == pytest.approx(5400 / 65450 * 100)
    assert df["n_communes"].sum() == 4  # the unclassified commune is kept


def test_france_rurality(fixture_con):
    df = db.run_query(fixture_con, "territory_rurality", level="france", code="FR",
                      rural_definition_id=APPROX)
    rural = df[df["is_rural"].fillna(False).astype(bool)]
    assert rural["share_communes"].sum() == pytest.approx(3 / 7 * 100)
    assert rural["share_population"].sum() == pytest.approx(5500 / 76450 * 100)


def test_territory_and_lists(fixture_con):
    t = db.run_query(fixture_con, "territory", level="departement", code="48").iloc[0]
    assert (t["name"], t["region_name"], t["population"], t["n_communes"]) == (
        "Lozère", "Occitanie", 11000, 3)
    assert db.run_query(fixture_con, "territory", level="departement", code="99").empty
    deps = db.run_query(fixture_con, "territory_list", level="departement", region_code="84")
    assert deps["code"].tolist() == ["15", "63"]


def test_geometries_are_wkb_per_territory(fixture_con):
    df = db.run_query(fixture_con, "geometries", level="departement", region_code=None,
                      departement_code=None)
    assert df["code"].tolist() == ["15", "48", "63"]
    assert all(len(bytes(g)) > 20 for g in df["geometry"])


def test_observations_theme_sources_structures(fixture_con):
    obs = db.run_query(fixture_con, "observations", indicator_ids=["effectifs_salaries_ess"],
                       levels=["france"])
    assert obs["value"].tolist() == [2370000.0, 2380000.0]
    dla = db.run_query(fixture_con, "theme_observations", theme="dla")
    assert dla["breakdown_label_fr"].tolist() == ["Culture", "Sport"]
    src = db.run_query(fixture_con, "sources").set_index("source_id")
    assert src.loc["src_a", "n_observations"] == 12
    st = db.run_query(fixture_con, "structures", region_code="76")
    assert st["name"].tolist() == ["DREETS Test-Sud", "CRESS Test-Sud"]
    assert len(db.run_query(fixture_con, "rural_definitions")) == 2
    info = db.run_query(fixture_con, "build_info").set_index("key")["value"]
    assert info["population_year"] == "2022"


def test_registry_query(fixture_con):
    df = db.run_query(fixture_con, "registry")
    assert len(df) == 11  # 6 published + 5 computed from the communes
    assert df.set_index("indicator_id").loc["dla_part_secteur", "breakdown"] == "secteur"


def test_rural_comparison_pairs_come_from_one_source(fixture_con):
    df = db.run_query(fixture_con, "rural_comparison", definition="cget_2019",
                      indicator_ids=["part_ess_emploi_salarie", "part_ess_emploi_prive",
                                     "part_micro_etablissements_ess"])
    pairs = df[df["chosen"]]
    got = pairs[["indicator_id", "territory_level", "value"]].values.tolist()
    assert got == [
        ["part_ess_emploi_prive", "rural", 17.7], ["part_ess_emploi_prive", "hors_rural", 13.9],
        ["part_ess_emploi_salarie", "rural", 13.8], ["part_ess_emploi_salarie", "hors_rural", 10.5],
        ["part_micro_etablissements_ess", "rural", 83.0],
        ["part_micro_etablissements_ess", "france", 77.0]]
    assert set(pairs["source_id"]) == {"src_a"}
    # France-level rows of other sources stay available, not chosen
    assert df[~df["chosen"]]["source_id"].tolist() == ["src_b"]
