"""`import grille-densite`: every layout, the agreement report, unmatched communes, rebuild."""

import duckdb
import pytest

from ess_data import db
from ess_data.__main__ import main
from ess_data.build import build
from ess_data.imports import store
from ess_data.imports.apply import run_import
from ess_data.imports.problems import ImportRefused
from tests.conftest import FIXTURES
from tests.fixtures.imports.make_fixtures import ROWS, write_2025_xlsx

GRIDS = FIXTURES / "imports"
DEF = "insee_grille_densite_2025"



def classes(path, def_id=DEF):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return dict(con.execute("SELECT commune_code, class_code FROM commune_rurality "
                                "WHERE rural_definition_id = ?", [def_id]).fetchall())
    finally:
        con.close()


EXPECTED_7 = {"48001": "1", "48002": "5", "48003": "7", "15001": "4", "15002": "6",
              "63001": None, "63002": "1"}


@pytest.mark.parametrize("name", ["fichier_diffusion_2025.xlsx", "grille_densite_2025_export.csv"])
def test_2025_layouts(warehouse, name):
    result = run_import(warehouse, "grille-densite", {"FILE": GRIDS / name})
    assert classes(warehouse) == EXPECTED_7
    con = db.connect(warehouse)
    d = db.run_query(con, "rural_definitions").set_index("rural_definition_id").loc[DEF]
    assert (bool(d["commune_level"]), bool(d["is_approximation"]), d["vintage"]) == (
        True, False, "2025")
    k = con.execute("SELECT class_code, is_rural FROM density_classes WHERE "
                    "rural_definition_id = ? ORDER BY 1", [DEF]).fetchall()
    assert k == [("1", False), ("2", False), ("3", False), ("4", False), ("5", True),
                 ("6", True), ("7", True)]
    # the approximation stays
    assert con.execute("SELECT count(*) FROM commune_rurality WHERE rural_definition_id = "
                       "'approx_densite_communale'").fetchone() == (7,)
    con.close()
    assert "Accord de l'approximation avec la grille 2025 : 3 communes sur 5 (60,0\u00a0%), " \
           "98,2\u00a0% de la population" in "\n".join(result.report)


def test_2022_detailed_layout_with_french_headers(warehouse):
    run_import(warehouse, "grille-densite",
               {"FILE": GRIDS / "grille_densite_7_niveaux_detaille_2022.csv"})
    assert classes(warehouse, "insee_grille_densite_2022") == EXPECTED_7


def test_labels_only_layout_and_four_levels_before_2024(warehouse, tmp_path):
    f = tmp_path / "grille_2021.csv"
    f.write_text("Code commune;Libellé degré densité\n48001;Dense\n48002;Densité intermédiaire\n"
                 "48003;Très peu dense\n15001;Peu dense\n15002;Très peu dense\n63001;Peu dense\n"
                 "63002;Dense\n", encoding="utf-8")
    run_import(warehouse, "grille-densite", {"FILE": f})
    assert classes(warehouse, "insee_grille_densite_2021") == {
        "48001": "1", "48002": "2", "48003": "4", "15001": "3", "15002": "4", "63001": "3",
        "63002": "1"}
    con = db.connect(warehouse)
    agree = db.run_query(con, "imports/rural_agreement").set_index("rural_definition_id")
    con.close()
    # approx: 15002 unclassified; all six others agree
    r = agree.loc["insee_grille_densite_2021"]
    assert (r["n_communes"], r["n_agree"], r["n_not_compared"]) == (6, 6, 1)
    assert r["share_population_agree"] == 100.0


def test_agreement_query_exact_values(warehouse):
    run_import(warehouse, "grille-densite", {"FILE": GRIDS / "fichier_diffusion_2025.xlsx"})
    con = db.connect(warehouse)
    r = db.run_query(con, "imports/rural_agreement").set_index("rural_definition_id").loc[DEF]
    con.close()
    # compared: 48001 48002 48003 15001 63002 (15002 unclassified by approx, 63001 not in file)
    assert (r["n_communes"], r["n_agree"], r["n_approx_only"], r["n_official_only"],
            r["n_not_compared"]) == (5, 3, 1, 1, 2)
    assert (r["population"], r["population_agree"]) == (71400, 70100)
    assert r["share_communes_agree"] == pytest.approx(60.0)
    assert r["share_population_agree"] == pytest.approx(70100 / 71400 * 100)


def test_unknown_and_missing_communes_reported_and_stored(warehouse):
    result = run_import(warehouse, "grille-densite",
                        {"FILE": GRIDS / "fichier_diffusion_2025.xlsx"})
    text = "\n".join(result.report)
    assert ("1 commune(s) du fichier absente(s) du référentiel (COG du projet), non classées "
            "ici : 99999") in text
    assert "1 commune(s) du référentiel absente(s) du fichier, gardées sans classe : 63001" in text
    con = db.connect(warehouse)
    rows = con.execute("SELECT code, name, problem, line FROM import_unmatched ORDER BY code"
                       ).fetchall()
    con.close()
    assert rows == [("63001", "Saint-Fmont", "absente du fichier", None),
                    ("99999", "Commune-Inconnue", "absente du référentiel", 12)]


def test_history_records_file_checksum_rows_and_kind(warehouse):
    f = GRIDS / "fichier_diffusion_2025.xlsx"
    run_import(warehouse, "grille-densite", {"FILE": f})
    con = db.connect(warehouse)
    h = db.run_query(con, "import_history")
    con.close()
    assert h[["import_id", "kind", "file_name", "sha256", "n_rows", "target"]].values.tolist() == [
        [1, "grille-densite", "fichier_diffusion_2025.xlsx", store.sha256(f), len(ROWS), DEF]]
    kept = store.read_manifest(warehouse.parent / "imports")
    assert [(e["id"], e["files"]["FILE"], e["active"]) for e in kept] == [
        (1, "0001-grille-densite-fichier_diffusion_2025.xlsx", True)]
    assert (warehouse.parent / "imports" / kept[0]["files"]["FILE"]).read_bytes() == f.read_bytes()


def test_rebuild_reapplies_kept_imports(tmp_path, fixture_reference):
    target = tmp_path / "data" / "ess.duckdb"
    build(target, FIXTURES / "seed", fixture_reference)
    run_import(target, "grille-densite", {"FILE": GRIDS / "fichier_diffusion_2025.xlsx"})
    summary = build(target, FIXTURES / "seed", fixture_reference)
    assert summary["imports"] == 1
    assert classes(target) == EXPECTED_7
    con = db.connect(target)
    h = db.run_query(con, "import_history")
    con.close()
    assert h["import_id"].tolist() == [1]


def test_reimport_same_vintage_replaces_the_classes(warehouse, tmp_path):
    run_import(warehouse, "grille-densite", {"FILE": GRIDS / "fichier_diffusion_2025.xlsx"})
    rows = [r if r[0] != "48002" else ("48002", "Bourg-les-Bains", 2, 4, 905) for r in ROWS]
    f = write_2025_xlsx(tmp_path / "fichier_diffusion_2025.xlsx", rows)
    run_import(warehouse, "grille-densite", {"FILE": f})
    assert classes(warehouse)["48002"] == "4"


def test_cli_prints_the_agreement(warehouse, capsys):
    code = main(["import", "grille-densite", str(GRIDS / "fichier_diffusion_2025.xlsx"),
                 "--db", str(warehouse)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Import n° 1 appliqué" in out
    assert "3 communes sur 5 (60,0\u00a0%)" in out


def test_millesime_required_when_not_in_name(warehouse, tmp_path):
    f = tmp_path / "grille.csv"
    f.write_text("CODGEO;DENS\n48001;1\n", encoding="utf-8")
    with pytest.raises(ImportRefused, match="précisez --millesime"):
        run_import(warehouse, "grille-densite", {"FILE": f})
    run_import(warehouse, "grille-densite", {"FILE": f}, {"millesime": "2025"})
    assert classes(warehouse)["48001"] == "1"


def test_imported_grid_becomes_the_default_commune_definition(warehouse):
    from ess_data.imports.rurality import commune_definitions

    con = db.connect(warehouse)
    assert commune_definitions(con) == ["approx_densite_communale"]
    con.close()
    run_import(warehouse, "grille-densite",
               {"FILE": GRIDS / "grille_densite_7_niveaux_detaille_2022.csv"})
    run_import(warehouse, "grille-densite", {"FILE": GRIDS / "fichier_diffusion_2025.xlsx"})
    con = db.connect(warehouse)
    assert commune_definitions(con) == [DEF, "insee_grille_densite_2022",
                                        "approx_densite_communale"]
    con.close()
