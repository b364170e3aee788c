"""The warehouse built by the real loader from the fixture seed and reference."""
import shutil

import duckdb
import pytest

from ess_data.build import BuildError, build
from tests.conftest import FIXTURES


def one(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()


def test_counts_per_level(fixture_con):
    counts = dict(fixture_con.execute(
        "SELECT level, count(*) FROM territories GROUP BY level").fetchall())
    assert counts == {"france": 1, "region": 2, "departement": 3, "epci": 3, "commune": 7}


def test_population_and_area_sums_from_communes(fixture_con):
    assert one(fixture_con, "SELECT population FROM territories WHERE level='france'") == (76450,)
    pop, area, density = one(fixture_con, "SELECT population, area_km2, density FROM territories "
                                          "WHERE level='region' AND code='84'")
    assert (pop, area) == (65450, 58.0)
    # density excludes the commune whose area is unknown (15002, 50 inhabitants)
    assert density == pytest.approx(65400 / 58)


def test_epci_spanning_two_departments_takes_the_most_populated(fixture_con):
    row = one(fixture_con, "SELECT departement_code, region_code, population, n_communes "
                           "FROM territories WHERE level='epci' AND code='E2'")
    assert row == ("15", "84", 500, 2)


def test_codes_are_text(fixture_con):
    types = dict(fixture_con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name='territories'").fetchall())
    assert types["code"] == "VARCHAR"


def test_rurality_approximation_classes(fixture_con):
    classes = dict(fixture_con.execute(
        "SELECT commune_code, class_code FROM commune_rurality "
        "WHERE rural_definition_id='approx_densite_communale'").fetchall())
    assert classes == {"48001": "1", "48002": "2", "48003": "4", "15001": "3",
                       "15002": None, "63001": "3", "63002": "1"}


def test_observation_grain_is_unique(fixture_con):
    dupes = one(fixture_con, "SELECT count(*) FROM (SELECT 1 FROM observations GROUP BY "
                             "indicator_id, territory_level, territory_code, period, "
                             "breakdown_value, source_id HAVING count(*) > 1)")
    assert dupes == (0,)
    assert one(fixture_con, "SELECT count(*) FROM observations") == (23,)


def test_two_sources_for_one_figure_are_two_rows(fixture_con):
    rows = fixture_con.execute(
        "SELECT source_id, value FROM observations WHERE "
        "indicator_id='effectifs_salaries_ess' ORDER BY source_id").fetchall()
    assert rows == [("src_a", 2370000.0), ("src_b", 2380000.0)]


def _copy_seed(tmp_path):
    seed = tmp_path / "seed"
    shutil.copytree(FIXTURES / "seed", seed)
    return seed


def test_duplicate_observation_refused_and_target_untouched(tmp_path, fixture_reference):
    seed = _copy_seed(tmp_path)
    target = tmp_path / "w.duckdb"
    build(target, seed, fixture_reference)
    before = target.read_bytes()
    lines = (seed / "observations.csv").read_text(encoding="utf-8").splitlines()
    (seed / "observations.csv").write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(BuildError, match="doublon"):
        build(target, seed, fixture_reference)
    assert target.read_bytes() == before
    assert not list(tmp_path.glob(".w.duckdb.building-*"))


def test_unknown_territory_and_out_of_range_value_refused(tmp_path, fixture_reference):
    seed = _copy_seed(tmp_path)
    with open(seed / "observations.csv", "a", encoding="utf-8") as f:
        f.write("part_ess_emploi_salarie,departement,99,2014,,src_b,12,,\n")
        f.write("part_ess_emploi_prive,rural,cget_2019,2016,,src_a,140,,\n")
    with pytest.raises(BuildError) as err:
        build(tmp_path / "w.duckdb", seed, fixture_reference)
    assert "territoire inconnu" in str(err.value)
    assert "hors du domaine" in str(err.value)


def test_malformed_period_and_qualifier_refused(tmp_path, fixture_reference):
    seed = _copy_seed(tmp_path)
    with open(seed / "observations.csv", "a", encoding="utf-8") as f:
        f.write("part_ess_emploi_prive,rural,cget_2019,vers 2015,,src_a,17,,\n")
        f.write("part_ess_emploi_prive,rural,cget_2019,2016,,src_a,17,à peu près,\n")
    with pytest.raises(BuildError) as err:
        build(tmp_path / "w.duckdb", seed, fixture_reference)
    assert "période mal formée" in str(err.value)
    assert "qualificatif inconnu" in str(err.value)


def test_missing_column_message_in_french(tmp_path, fixture_reference):
    seed = _copy_seed(tmp_path)
    (seed / "sources.csv").write_text("source_id,title\nx,y\n", encoding="utf-8")
    with pytest.raises(BuildError, match="colonne\\(s\\) manquante\\(s\\) : publisher"):
        build(tmp_path / "w.duckdb", seed, fixture_reference)


def test_truncated_reference_file_refused_in_french(tmp_path, fixture_reference):
    ref = tmp_path / "reference"
    shutil.copytree(fixture_reference, ref)
    data = (ref / "communes.parquet").read_bytes()
    (ref / "communes.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(BuildError, match="illisible ou tronqué"):
        build(tmp_path / "w.duckdb", FIXTURES / "seed", ref)


def test_warehouse_opens_read_only(fixture_db):
    con = duckdb.connect(str(fixture_db), read_only=True)
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM sources")
    con.close()


def test_a_rebuilt_warehouse_is_read_at_the_next_connection(tmp_path, fixture_db):
    """Builds and imports rename a new file over the warehouse; a read-only connection opened
    afterwards must read the new file, even while one to the old file is still open (DuckDB
    hands back its cached instance of a path: the served app kept showing the old data)."""
    from ess_data import db
    path = tmp_path / "ess.duckdb"
    shutil.copyfile(fixture_db, path)
    old = db.connect(path)
    before = old.execute("SELECT count(*) FROM observations").fetchone()[0]
    new_file = tmp_path / "new.duckdb"
    shutil.copyfile(fixture_db, new_file)
    con = duckdb.connect(str(new_file))
    con.execute("DELETE FROM observations WHERE source_id = 'src_a'")
    con.close()
    new_file.rename(path)  # what build and imports do
    fresh = db.connect(path)
    assert fresh.execute("SELECT count(*) FROM observations").fetchone()[0] < before
    assert old.execute("SELECT count(*) FROM observations").fetchone()[0] == before
    assert len(db.run_query(fresh, "sources")) > 0  # views of the file resolve as before
    old.close()
    fresh.close()


def _build_with(tmp_path, fixture_reference, rows):
    """The fixture warehouse with `rows` added to observations.csv, opened read-only."""
    seed = _copy_seed(tmp_path)
    with open(seed / "observations.csv", "a", encoding="utf-8") as f:
        f.writelines(row + "\n" for row in rows)
    target = tmp_path / "w.duckdb"
    build(target, seed, fixture_reference)
    return duckdb.connect(str(target), read_only=True)


def _shown(con, indicator_id, level, code):
    return con.execute("SELECT DISTINCT source_id FROM observations_labelled WHERE "
                       "indicator_id = ? AND territory_level = ? AND territory_code = ? "
                       "AND displayed", [indicator_id, level, code]).fetchall()


def _default_map(con, indicator_id, level):
    return con.execute("SELECT period, source_id FROM map_offers WHERE indicator_id = ? "
                       "AND territory_level = ? AND default_offer",
                       [indicator_id, level]).fetchall()


def test_a_newer_complete_series_is_shown_by_default(tmp_path, fixture_reference):
    """src_a publishes all three departments for 2021, src_b (the default source) for 2014: the
    map opens on 2021 and every department's profile shows src_a's series."""
    con = _build_with(tmp_path, fixture_reference, [
        f"part_ess_emploi_salarie,departement,{code},2021,,src_a,{v},,"
        for code, v in (("48", "26"), ("15", "15"), ("63", "9"))])
    assert _default_map(con, "part_ess_emploi_salarie", "departement") == [("2021", "src_a")]
    for code in ("48", "15", "63"):
        assert _shown(con, "part_ess_emploi_salarie", "departement", code) == [("src_a",)]
    # regions: src_b alone, unchanged
    assert _default_map(con, "part_ess_emploi_salarie", "region") == [("2014", "src_b")]
    con.close()


def test_a_newer_but_less_complete_series_does_not_take_over(tmp_path, fixture_reference):
    """src_a publishes two of the three departments for 2021: the map still opens on src_b's
    2014 (three departments) and the two departments keep src_b's series."""
    con = _build_with(tmp_path, fixture_reference, [
        "part_ess_emploi_salarie,departement,48,2021,,src_a,26,,",
        "part_ess_emploi_salarie,departement,15,2021,,src_a,15,,"])
    assert _default_map(con, "part_ess_emploi_salarie", "departement") == [("2014", "src_b")]
    assert _shown(con, "part_ess_emploi_salarie", "departement", "48") == [("src_b",)]
    order = con.execute("SELECT source_id, best_period, n_territories FROM source_order WHERE "
                        "indicator_id = 'part_ess_emploi_salarie' AND territory_level = "
                        "'departement' ORDER BY source_order").fetchall()
    assert order == [("src_b", "2014", 3), ("src_a", "2021", 2)]
    con.close()


def test_a_territory_the_first_series_misses_shows_the_next(tmp_path, fixture_reference):
    """The first source in the level's order does not publish the Puy-de-Dôme: its profile shows
    the next source's series, never a blank and never two sources."""
    con = _build_with(tmp_path, fixture_reference, [
        "effectifs_salaries_ess,departement,48,2014,,src_b,2000,,",
        "effectifs_salaries_ess,departement,15,2014,,src_b,3000,,",
        "effectifs_salaries_ess,departement,63,2022,,src_a,9000,,"])
    assert _default_map(con, "effectifs_salaries_ess", "departement") == [("2014", "src_b")]
    assert _shown(con, "effectifs_salaries_ess", "departement", "48") == [("src_b",)]
    assert _shown(con, "effectifs_salaries_ess", "departement", "63") == [("src_a",)]
    con.close()


def test_shown_series_check_reports_a_broken_choice():
    """The build check of the rule finds two sources shown for one territory and a default map
    that is not the first source's best period."""
    from ess_data.config import QUERIES_DIR
    con = duckdb.connect()
    con.execute("CREATE TABLE observations_labelled AS SELECT * FROM (VALUES "
                "('i', 'region', '76', 'a', true), ('i', 'region', '76', 'b', true)) "
                "t(indicator_id, territory_level, territory_code, source_id, displayed)")
    con.execute("CREATE TABLE source_order AS SELECT * FROM (VALUES "
                "('i', 'region', 'a', 1), ('i', 'region', 'b', 2)) "
                "t(indicator_id, territory_level, source_id, source_order)")
    con.execute("CREATE TABLE map_offers AS SELECT * FROM (VALUES "
                "('i', 'region', '2014', 'a', 1, 2, false), "
                "('i', 'region', '2021', 'b', 2, 1, true)) "
                "t(indicator_id, territory_level, period, source_id, source_order, "
                "n_territories, default_offer)")
    bad = con.execute((QUERIES_DIR / "checks" / "shown_series.sql").read_text()).fetchall()
    problems = sorted(row[2] for row in bad)
    assert problems == ["aucune ou plusieurs sources affichées",
                        "la carte par défaut n'est pas la meilleure période de la première source"]
