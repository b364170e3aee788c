"""`import grille-densite`: every layout, the agreement report, unmatched communes, rebuild;
codes that cannot be communes refused, codes of another COG vintage reported."""
import hashlib

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
    assert ("1 code(s) du fichier absent(s) du référentiel (COG du projet), probablement d'un "
            "autre millésime du COG (communes fusionnées, créées ou renumérotées), non classé(s) "
            "ici : 48099") in text
    assert "1 commune(s) du référentiel absente(s) du fichier, gardées sans classe : 63001" in text
    con = db.connect(warehouse)
    rows = con.execute("SELECT code, name, problem, line FROM import_unmatched ORDER BY code"
                       ).fetchall()
    con.close()
    assert rows == [("48099", "Ancienne-Commune", "absente du référentiel", 12),
                    ("63001", "Saint-Fmont", "absente du fichier", None)]


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


def checksum(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


GOOD = "CODGEO;LIBGEO;DENS;DENS7\n48001;Aville;1;1\n48002;Bourg;3;5\n"


@pytest.mark.parametrize("code,why", [
    ("99001", "préfixe 99 : pays étranger dans le COG"),
    ("00123", "préfixe 00 : aucun département de ce numéro"),
    ("20004", "préfixe 20 : Corse avant 1976, codée 2A ou 2B depuis"),
    ("96001", "préfixe 96 : aucun département de ce numéro"),
    ("97501", "préfixe 975 : collectivité d'outre-mer, hors des départements que couvre la "
              "grille"),
    ("98735", "préfixe 987 : collectivité d'outre-mer"),
    ("97001", "préfixe 970 : aucun département de ce numéro"),
    ("48000", "numéro de commune 000 inexistant"),
    ("2A000", "numéro de commune 000 inexistant"),
    ("97100", "numéro de commune 00 inexistant"),
])
def test_codes_that_cannot_be_communes_refused(warehouse, tmp_path, code, why):
    f = tmp_path / "grille_2025.csv"
    f.write_text(GOOD + f"{code};Ailleurs;3;7\n48003;Saint-Champ;3;7\n", encoding="utf-8")
    before = checksum(warehouse)
    with pytest.raises(ImportRefused) as err:
        run_import(warehouse, "grille-densite", {"FILE": f})
    assert checksum(warehouse) == before
    assert not (warehouse.parent / "imports").exists()
    assert (f"grille_2025.csv, ligne 4, colonne « CODGEO » : code « {code} » : pas une commune "
            f"({why}") in str(err.value)
    assert len(err.value.problems) == 1


def test_every_code_that_cannot_be_a_commune_is_named(warehouse, tmp_path):
    f = tmp_path / "grille_2025.csv"
    f.write_text(GOOD + "99001;Étranger;3;7\n99352;Autre;3;7\n97801;Saint-Martin;3;7\n",
                 encoding="utf-8")
    with pytest.raises(ImportRefused) as err:
        run_import(warehouse, "grille-densite", {"FILE": f})
    assert [(p.line, p.column, p.message[:14]) for p in err.value.problems] == [
        (4, "CODGEO", "code « 99001 »"), (5, "CODGEO", "code « 99352 »"),
        (6, "CODGEO", "code « 97801 »")]


def test_other_vintage_codes_reported_and_the_rest_applied(warehouse, tmp_path):
    f = tmp_path / "grille_2025.csv"
    # 01001, 2A004, 97101, 48099: communes of departments, absent from the fixture reference;
    # 75101: a Paris arrondissement (the reference holds the commune 75056)
    f.write_text(GOOD + "01001;L'Abergement;3;6\n2A004;Ajaccio;2;2\n97101;Abymes;2;3\n"
                 "48099;Ancienne;3;7\n75101;Paris 1er;1;1\n48003;Saint-Champ;3;7\n",
                 encoding="utf-8")
    result = run_import(warehouse, "grille-densite", {"FILE": f})
    text = "\n".join(result.report)
    assert ("4 code(s) du fichier absent(s) du référentiel (COG du projet), probablement d'un "
            "autre millésime du COG (communes fusionnées, créées ou renumérotées), non classé(s) "
            "ici : 01001, 2A004, 97101, 48099") in text
    assert ("1 arrondissement(s) municipal(aux) de Paris, Lyon ou Marseille, non classé(s) ici "
            "(le référentiel a la commune) : 75101") in text
    assert classes(warehouse) == {"48001": "1", "48002": "5", "48003": "7", "15001": None,
                                  "15002": None, "63001": None, "63002": None}
