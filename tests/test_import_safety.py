"""Every kind of bad file is refused in French with file, line and column, and leaves the
warehouse byte-identical; rollback restores the previous warehouse."""
import hashlib

import pytest

from ess_data.__main__ import main
from ess_data.imports import store
from ess_data.imports.apply import run_import
from ess_data.imports.problems import ImportRefused
from tests.conftest import FIXTURES
from tests.fixtures.imports.make_fixtures import write_2025_xlsx

GRIDS = FIXTURES / "imports"
HEADER = "CODGEO;LIBGEO;DENS;DENS7;PMUN22\n"
GOOD = "48001;Aville;1;1;10010\n48002;Bourg;3;5;905\n"



def checksum(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(warehouse, path, kind="grille-densite") -> str:
    """Run the import, expect a refusal, check nothing changed; return the French message."""
    before = checksum(warehouse)
    with pytest.raises(ImportRefused) as err:
        run_import(warehouse, kind, {"FILE": path})
    assert checksum(warehouse) == before
    assert not (warehouse.parent / "imports").exists()
    assert not store.previous_path(warehouse).exists()
    assert {p.name for p in warehouse.parent.iterdir()} - {".ess.duckdb.lock"} == {"ess.duckdb"}
    return str(err.value)


def write(tmp_path, text, name="grille_2025.csv", encoding="utf-8"):
    f = tmp_path / name
    f.write_text(text, encoding=encoding)
    return f


@pytest.mark.parametrize("text,expected", [
    (HEADER + GOOD + "4800;Court;3;7;10\n",
     "grille_2025.csv, ligne 4, colonne « CODGEO » : code commune « 4800 » mal formé"),
    (HEADER + GOOD + "480011;Long;3;7;10\n",
     "grille_2025.csv, ligne 4, colonne « CODGEO » : code commune « 480011 » mal formé"),
    (HEADER + GOOD + "48001;Aville;1;1;10010\n",
     "grille_2025.csv, ligne 4, colonne « CODGEO » : commune 48001 en double (déjà ligne 2)"),
    (HEADER + GOOD + "48003;X;3;8;10\n",
     "grille_2025.csv, ligne 4, colonne « DENS7 » : DENS7 « 8 » hors des valeurs 1 à 7"),
    (HEADER + GOOD + "48003;X;4;7;10\n",
     "grille_2025.csv, ligne 4, colonne « DENS » : « 4 » hors des valeurs 1 à 3 (grille 2025)"),
    (HEADER + GOOD + "48003;X;1;7;10\n",
     "grille_2025.csv, ligne 4, colonne « DENS » : DENS 1 incohérent avec DENS7 7"),
    (HEADER + GOOD + "48003;X;3;7;-10\n",
     "grille_2025.csv, ligne 4, colonne « PMUN22 » : population « -10 » non entière ou négative"),
    (HEADER + GOOD + "48003;X;3\n",
     "grille_2025.csv, ligne 4 : 3 champ(s) au lieu de 5 (ligne tronquée"),
    (HEADER + GOOD + '48003;"Saint-Ch',
     "grille_2025.csv, ligne 4 : fichier tronqué ou guillemet non fermé"),
    ("CODGEO;LIBGEO;DENS7\n", "grille_2025.csv, ligne 1 : aucune ligne de données sous l'en-tête"),
    ("", "grille_2025.csv : fichier vide"),
    ("CODGEO|LIBGEO|DENS\n48001|A|1\n", "grille_2025.csv : ligne d'en-tête introuvable"),
    ("LIBGEO;DENS;DENS7\nA;1;1\n",
     "grille_2025.csv, ligne 1, colonne « code commune » : colonne obligatoire absente"),
    ("CODGEO;LIBGEO;DENS;=cmd|' /C calc'!A0\n48001;A;1;x\n",
     "grille_2025.csv, ligne 1, colonne « =cmd|' /C calc'!A0 » : nom de colonne commençant par "
     "une formule"),
    ("CODGEO;LIBGEO;DENS;<script>\n48001;A;1;x\n",
     "grille_2025.csv, ligne 1, colonne « <script> » : nom de colonne avec des caractères non "
     "autorisés"),
    ("CODGEO;LIBGEO;DENS;DENS\n48001;A;1;1\n",
     "grille_2025.csv, ligne 1, colonne « dens » : colonne présente 2 fois"),
    ("CODGEO;LIBGEO;PMUN22\n48001;A;1\n", "grille_2025.csv : aucune colonne de classement"),
    ("CODGEO;DENS\n12345;1\n54321;3\n",
     "grille_2025.csv : aucune commune du fichier n'est dans le référentiel"),
])
def test_bad_csv_refused_in_french(warehouse, tmp_path, text, expected):
    assert expected in refused(warehouse, write(tmp_path, text))


def test_every_problem_is_reported_not_only_the_first(warehouse, tmp_path):
    msg = refused(warehouse, write(tmp_path, HEADER + "4800;A;1;1;1\n48002;B;3;9;1\n"
                                                       "48002;B;3;5;1\n48002;B;3;5;1\n"))
    assert msg.count("grille_2025.csv, ligne") == 4
    assert "ligne 2" in msg and "ligne 3" in msg and "ligne 5" in msg


def test_latin1_file_refused_with_line(warehouse, tmp_path):
    f = write(tmp_path, HEADER + GOOD + "15002;Île-Test;3;6;51\n", encoding="latin-1")
    assert "grille_2025.csv, ligne 4 : encodage non UTF-8 (octet 0xce inattendu)" in refused(
        warehouse, f)


def test_truncated_and_fake_xlsx_refused(warehouse, tmp_path):
    good = write_2025_xlsx(tmp_path / "src_2025.xlsx")
    cut = tmp_path / "fichier_diffusion_2025.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "fichier_diffusion_2025.xlsx : classeur Excel illisible ou tronqué" in refused(
        warehouse, cut)
    fake = tmp_path / "grille_2025.xls"
    fake.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    assert "ancien format Excel (.xls) non pris en charge" in refused(warehouse, fake)


def test_missing_file_and_unknown_kind(warehouse, tmp_path):
    assert "fichier introuvable" in refused(warehouse, tmp_path / "absent_2025.csv")
    assert "type d'import inconnu" in refused(warehouse, tmp_path / "x.csv", kind="cadastre")


def test_cli_exit_codes_and_rollback_restores_checksums(warehouse, tmp_path, capsys):
    original = checksum(warehouse)
    bad = write(tmp_path, HEADER + "4800;A;1;1;1\n")
    assert main(["import", "grille-densite", str(bad), "--db", str(warehouse)]) == 1
    err = capsys.readouterr().err
    assert "Import refusé (1 problème(s)) ; l'entrepôt" in err and "n'a pas changé" in err
    assert checksum(warehouse) == original
    # rollback with nothing to go back to
    assert main(["rollback", "--db", str(warehouse)]) == 1
    assert "aucun entrepôt précédent" in capsys.readouterr().err

    good = GRIDS / "fichier_diffusion_2025.xlsx"
    assert main(["import", "grille-densite", str(good), "--db", str(warehouse)]) == 0
    imported = checksum(warehouse)
    assert imported != original
    assert checksum(store.previous_path(warehouse)) == original
    assert main(["rollback", "--db", str(warehouse)]) == 0
    assert checksum(warehouse) == original
    assert "imports présents : aucun" in capsys.readouterr().out
    # the rolled-back import is no longer re-applied by a build
    assert [e["active"] for e in store.read_manifest(warehouse.parent / "imports")] == [False]
    # rollback again = redo
    assert main(["rollback", "--db", str(warehouse)]) == 0
    assert checksum(warehouse) == imported
    assert [e["active"] for e in store.read_manifest(warehouse.parent / "imports")] == [True]
    assert main(["imports", "--db", str(warehouse)]) == 0
    assert "n° 1" in capsys.readouterr().out


def test_refused_during_checks_after_apply_leaves_no_temp_file(warehouse, tmp_path, monkeypatch):
    from ess_data.imports import apply

    monkeypatch.setattr(apply, "_checks", lambda con: [apply.Problem("entrepôt", "contrôle x")])
    before = checksum(warehouse)
    with pytest.raises(ImportRefused, match="contrôle x"):
        run_import(warehouse, "grille-densite", {"FILE": GRIDS / "fichier_diffusion_2025.xlsx"})
    assert checksum(warehouse) == before
    assert not list(warehouse.parent.glob(".ess.duckdb.importing-*"))


def test_rebuild_reapplies_every_kind_in_order(tmp_path, fixture_reference):
    from ess_data import db
    from ess_data.build import build

    target = tmp_path / "data" / "ess.duckdb"
    build(target, FIXTURES / "seed", fixture_reference)
    sirene = FIXTURES / "imports" / "sirene"
    run_import(target, "grille-densite", {"FILE": GRIDS / "fichier_diffusion_2025.xlsx"})
    run_import(target, "ess-emploi", {"FILE": GRIDS / "ess_emploi_2023.csv"})
    run_import(target, "sirene", {
        "etablissements": sirene / "StockEtablissement_2025-11-01.csv",
        "unites_legales": sirene / "StockUniteLegale_2025-11-01.csv"})

    def snapshot():
        con = db.connect(target)
        try:
            return [con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in (
                "observations", "commune_rurality", "ess_emploi_cells", "sirene_etablissements",
                "import_log", "sources")]
        finally:
            con.close()
    before = snapshot()
    summary = build(target, FIXTURES / "seed", fixture_reference)
    assert summary["imports"] == 3
    assert snapshot() == before
    # the rural sums of the employment file include the grid imported before it
    con = db.connect(target)
    levels = con.execute("SELECT DISTINCT code FROM ess_emploi_cells WHERE level = 'rural' "
                         "ORDER BY code").fetchall()
    con.close()
    assert levels == [("approx_densite_communale",), ("insee_grille_densite_2025",)]


def test_working_copy_of_a_killed_import_is_removed_by_the_next(warehouse, tmp_path):
    stale = warehouse.with_name(f".{warehouse.name}.importing-999999")
    stale.write_bytes(b"left by a process killed with SIGKILL")
    wal = warehouse.with_name(f".{warehouse.name}.importing-999999.wal")
    wal.write_bytes(b"x")
    with pytest.raises(ImportRefused):
        run_import(warehouse, "grille-densite", {"FILE": tmp_path / "absent.csv"})
    assert stale.exists()  # refused before taking the lock: nothing touched
    run_import(warehouse, "grille-densite", {"FILE": GRIDS / "fichier_diffusion_2025.xlsx"})
    assert not stale.exists() and not wal.exists()
    assert not list(warehouse.parent.glob(f".{warehouse.name}.importing-*"))
