"""`import sirene`: active ESS establishments, families, micro share computed by hand; the
published files (zipped, no date in their names) and their stock date."""
import hashlib
import zipfile

import duckdb
import pytest

from ess_data import db
from ess_data.__main__ import main
from ess_data.imports import store
from ess_data.imports.apply import run_import
from ess_data.imports.problems import ImportRefused
from tests.conftest import FIXTURES
from tests.fixtures.imports.make_fixtures import sirene_official_text, write_sirene_official

S = FIXTURES / "imports" / "sirene"
ETAB = S / "StockEtablissement_2025-11-01.csv"
UL = S / "StockUniteLegale_2025-11-01.csv"
SRC = "import_sirene_20251101"
APPROX = "approx_densite_communale"



def observations(path, src=SRC):
    con = db.connect(path)
    try:
        return {(r[0], r[1], r[2]): r[3] for r in con.execute(
            "SELECT indicator_id, territory_level, territory_code, value FROM observations "
            "WHERE source_id = ?", [src]).fetchall()}
    finally:
        con.close()


def check_known_answers(path, src=SRC):
    obs = observations(path, src)
    # 9 active ESS establishments in reference communes (a closed one, two non-ESS units, one
    # abroad and one in Paris - not in the fixture reference - are left out)
    assert obs[("etablissements_ess_actifs", "france", "FR")] == 9
    # micro = bands 01-03 among employers with >= 1 employee: 48003 01 and 11, 15001 03,
    # 63001 12, 63002 01, 21 and 22 -> 3 of 7; band 00 (15001) and NN (48003) left out
    assert obs[("part_micro_etablissements_ess", "france", "FR")] == pytest.approx(300 / 7)
    assert obs[("etablissements_ess_actifs", "rural", APPROX)] == 6
    assert obs[("part_micro_etablissements_ess", "rural", APPROX)] == 50
    assert obs[("part_micro_etablissements_ess", "hors_rural", APPROX)] == pytest.approx(100 / 3)
    assert obs[("part_micro_etablissements_ess", "region", "84")] == 40
    assert obs[("etablissements_ess_actifs", "departement", "48")] == 3


def test_csv_known_answers_and_report(warehouse):
    result = run_import(warehouse, "sirene", {"etablissements": ETAB, "unites_legales": UL})
    check_known_answers(warehouse)
    text = "\n".join(result.report)
    assert "SIRENE au 2025-11-01 : 14 établissements et 7 unités légales lus" in text
    assert "1 établissement(s) dans 1 commune(s) absente(s) du référentiel, hors des totaux : " \
           "75056" in text
    assert "France : 9 établissements actifs de l'ESS, micro-établissements 42,9 %" in text


def test_parquet_input(warehouse, tmp_path):
    con = duckdb.connect()
    for src, name in ((ETAB, "etab_2025-11-01.parquet"), (UL, "ul_2025-11-01.parquet")):
        con.read_csv(str(src), all_varchar=True).write_parquet(str(tmp_path / name))
    con.close()
    run_import(warehouse, "sirene", {"etablissements": tmp_path / "etab_2025-11-01.parquet",
                                     "unites_legales": tmp_path / "ul_2025-11-01.parquet"})
    check_known_answers(warehouse)


def test_families_and_any_territory(warehouse):
    run_import(warehouse, "sirene", {"etablissements": ETAB, "unites_legales": UL})
    con = db.connect(warehouse)
    fr = db.run_query(con, "imports/sirene_territory", level="france", code="FR")
    epci = db.run_query(con, "imports/sirene_territory", level="epci", code="E2")
    rural = db.run_query(con, "imports/sirene_territory", level="rural", code=APPROX)
    con.close()
    fams = dict(zip(fr["famille"].fillna("toutes"), fr["n_actifs"]))
    assert fams == {"toutes": 9, "associations": 4, "cooperatives": 1, "mutuelles": 2,
                    "fondations": 1, "autres": 1}
    whole = fr[fr["famille"].isna()].iloc[0]
    assert (whole["n_employeurs"], whole["n_employeurs_sans_salarie"], whole["n_micro"],
            whole["n_avec_salaries"]) == (8, 1, 3, 7)
    # EPCI E2 = 48003 + 15001
    e2 = epci[epci["famille"].isna()].iloc[0]
    assert (e2["n_actifs"], e2["n_micro"], e2["n_avec_salaries"]) == (5, 2, 3)
    assert rural[rural["famille"].isna()].iloc[0]["part_micro"] == 50


def test_published_figures_stay_default(warehouse):
    run_import(warehouse, "sirene", {"etablissements": ETAB, "unites_legales": UL})
    con = db.connect(warehouse)
    df = db.run_query(con, "rural_comparison", definition="cget_2019",
                      indicator_ids=["part_micro_etablissements_ess"])
    con.close()
    chosen = df[df["chosen"]]
    assert chosen[["territory_level", "value", "source_id"]].values.tolist() == [
        ["rural", 83.0, "src_a"], ["france", 77.0, "src_a"]]


def write(tmp_path, name, text):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


ETAB_HEAD = ("siren,nic,siret,codeCommuneEtablissement,trancheEffectifsEtablissement,"
             "etatAdministratifEtablissement,caractereEmployeurEtablissement\n")


@pytest.mark.parametrize("etab,expected", [
    (ETAB_HEAD + "100000001,00001,10000000100001,48003,01,A,O\n"
                 "100000001,00002,10000000100002,48003,7,A,O\n",
     "etab_2025-11-01.csv, ligne 3, colonne « trancheEffectifsEtablissement » : tranche "
     "d'effectifs inconnue (NN, 00, 01 … 53 attendu) : « 7 »"),
    (ETAB_HEAD + "100000001,00001,10000000100001,4800,01,A,O\n",
     "etab_2025-11-01.csv, ligne 2, colonne « codeCommuneEtablissement » : code commune mal "
     "formé (5 caractères attendus) : « 4800 »"),
    (ETAB_HEAD + "100000001,00001,10000000100001,48003,01,X,O\n",
     "colonne « etatAdministratifEtablissement » : état administratif inconnu"),
    (ETAB_HEAD + "100000001,00001,10000000100001,48003,01,A,O\n"
                 "100000001,00001,10000000100001,48003,01,A,O\n",
     "etab_2025-11-01.csv, colonne « siret » : 1 siret en double parmi l'ESS "
     "(ex. 10000000100001)"),
    ("siren,siret,codeCommuneEtablissement\n100000001,10000000100001,48003\n",
     "etab_2025-11-01.csv, ligne 1, colonne « trancheEffectifsEtablissement » : colonne "
     "obligatoire absente"),
    (ETAB_HEAD.replace("nic", "nic;DROP TABLE x") + "100000001,00001,10000000100001,48003,01,A,O\n",
     "nom de colonne refusé"),
    ("", "etab_2025-11-01.csv : fichier vide"),
])
def test_bad_sirene_files_refused_and_warehouse_untouched(warehouse, tmp_path, etab, expected):
    f = write(tmp_path, "etab_2025-11-01.csv", etab)
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    with pytest.raises(ImportRefused) as err:
        run_import(warehouse, "sirene", {"etablissements": f, "unites_legales": UL})
    assert expected in str(err.value)
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before


def test_truncated_parquet_and_missing_date_refused(warehouse, tmp_path):
    con = duckdb.connect()
    good = tmp_path / "full.parquet"
    con.read_csv(str(ETAB), all_varchar=True).write_parquet(str(good))
    con.close()
    cut = tmp_path / "etab_2025-11-01.parquet"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ImportRefused, match="fichier illisible ou tronqué"):
        run_import(warehouse, "sirene", {"etablissements": cut, "unites_legales": UL})
    plain = write(tmp_path, "etab.csv", ETAB.read_text(encoding="utf-8"))
    ul = write(tmp_path, "ul.csv", UL.read_text(encoding="utf-8"))
    with pytest.raises(ImportRefused, match="précisez --date"):
        run_import(warehouse, "sirene", {"etablissements": plain, "unites_legales": ul})
    run_import(warehouse, "sirene", {"etablissements": plain, "unites_legales": ul},
               {"date": "2025-11-01"})
    check_known_answers(warehouse)


def test_cli(warehouse, capsys):
    code = main(["import", "sirene", "--etablissements", str(ETAB), "--unites-legales", str(UL),
                 "--db", str(warehouse)])
    assert code == 0
    assert "micro-établissements 42,9 %" in capsys.readouterr().out


# --- the files as published: StockEtablissement_utf8.zip / StockUniteLegale_utf8.zip, no date
# in their names; latest processing date 2025-10-30 (establishments), 2025-10-31 (legal units)
OFFICIAL_SRC = "import_sirene_20251031"


def checksum(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(warehouse, files, options=None) -> str:
    """Run the import, expect a refusal, check the warehouse is byte for byte unchanged and no
    extracted file is left beside it; return the French message."""
    before = checksum(warehouse)
    with pytest.raises(ImportRefused) as err:
        run_import(warehouse, "sirene", files, options)
    assert checksum(warehouse) == before
    assert {p.name for p in warehouse.parent.iterdir()} - {".ess.duckdb.lock"} == {"ess.duckdb"}
    return str(err.value)


@pytest.mark.parametrize("zipped", [True, False])
def test_published_files_date_read_from_content(warehouse, tmp_path, zipped):
    files = write_sirene_official(tmp_path / "dl", zipped=zipped)
    result = run_import(warehouse, "sirene", files)
    check_known_answers(warehouse, OFFICIAL_SRC)
    text = "\n".join(result.report)
    assert "SIRENE au 2025-10-31 : 14 établissements et 7 unités légales lus" in text
    # the maximum over both files (the legal units' 2025-10-31, not the establishments' 10-30)
    assert ("Date du stock 2025-10-31 lue dans les fichiers (dernier traitement : 2025-10-31, "
            "colonnes dateDernierTraitementEtablissement et dateDernierTraitementUniteLegale) ; "
            "--date AAAA-MM-JJ la remplace.") in text
    con = db.connect(warehouse)
    period = con.execute("SELECT DISTINCT period FROM observations WHERE source_id = ?",
                         [OFFICIAL_SRC]).fetchall()
    # no view left on the (deleted) extracted file nor on the importer's disk
    views = con.execute("SELECT view_name FROM duckdb_views() WHERE view_name LIKE 'sirene%'"
                        ).fetchall()
    con.close()
    assert period == [("2025-10-31",)]
    assert views == []
    # the zip itself is kept, as received, and a rebuild re-extracts it
    kept = store.read_manifest(warehouse.parent / "imports")[0]
    assert kept["files"]["etablissements"].endswith("StockEtablissement_utf8." +
                                                     ("zip" if zipped else "csv"))
    assert not list(warehouse.parent.glob(".ess.duckdb.*unzip*"))


def test_date_option_overrides_the_content(warehouse, tmp_path):
    files = write_sirene_official(tmp_path / "dl")
    result = run_import(warehouse, "sirene", files, {"date": "2025-11-01"})
    check_known_answers(warehouse, SRC)
    assert observations(warehouse, OFFICIAL_SRC) == {}
    assert ("Date du stock 2025-11-01 donnée par --date ; dernier traitement lu dans les "
            "fichiers : 2025-10-31.") in result.report


def test_date_in_the_names_still_wins_over_the_content(warehouse, tmp_path):
    """Kept imports of dated files are replayed with the same source id as before."""
    folder = tmp_path / "dl"
    folder.mkdir()
    files = {}
    for role, name in (("etablissements", ETAB.name), ("unites_legales", UL.name)):
        files[role] = folder / name
        files[role].write_text(sirene_official_text(role), encoding="utf-8")
    result = run_import(warehouse, "sirene", files)
    check_known_answers(warehouse, SRC)
    assert ("Date du stock 2025-11-01 lue dans le nom des fichiers ; dernier traitement lu dans "
            "les fichiers : 2025-10-31.") in result.report


def test_processing_dates_after_today_are_not_the_stock_date(warehouse, tmp_path):
    files = write_sirene_official(tmp_path / "dl", latest={"unites_legales": "2999-01-01T00:00"})
    run_import(warehouse, "sirene", files)
    check_known_answers(warehouse, "import_sirene_20251030")


@pytest.mark.parametrize("dates", [False, True])
def test_no_date_anywhere_refused(warehouse, tmp_path, dates):
    """Published names, and no processing-date column (or only empty or bad cells)."""
    files = write_sirene_official(tmp_path / "dl", zipped=False, dates=dates)
    if dates:  # keep the column, empty every cell
        for f in files.values():
            lines = f.read_text(encoding="utf-8").splitlines()
            f.write_text("\n".join([lines[0]] + [ln.rsplit(",", 1)[0] + "," for ln in lines[1:]])
                         + "\n", encoding="utf-8")
    msg = refused(warehouse, files)
    assert ("StockEtablissement_utf8.csv, StockUniteLegale_utf8.csv : date du stock introuvable : "
            "ni dans le nom des fichiers ni dans leurs colonnes dateDernierTraitementEtablissement "
            "et dateDernierTraitementUniteLegale : précisez --date AAAA-MM-JJ") in msg
    run_import(warehouse, "sirene", files, {"date": "2025-11-01"})
    check_known_answers(warehouse, SRC)


def test_bad_date_option_refused(warehouse, tmp_path):
    files = write_sirene_official(tmp_path / "dl")
    assert "--date : date « 2025-02-30 » invalide : précisez --date AAAA-MM-JJ" in refused(
        warehouse, files, {"date": "2025-02-30"})


def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _corrupt_data(path):
    """Flip bytes inside the compressed data of the first member (directory left intact)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 5, start + info.compress_size - 5):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("make,expected", [
    (lambda f: f.write_bytes(f.read_bytes()[: f.stat().st_size // 2]),
     "StockEtablissement_utf8.zip : archive zip illisible, corrompue ou tronquée"),
    (_corrupt_data, "StockEtablissement_utf8.zip : archive zip illisible, corrompue ou tronquée"),
    (lambda f: _zip(f, {"LISEZMOI.txt": b"rien"}),
     "StockEtablissement_utf8.zip : archive zip : un seul fichier CSV attendu, 0 trouvé(s) "
     "(LISEZMOI.txt)"),
    (lambda f: _zip(f, {"a.csv": b"x\n", "b.csv": b"y\n"}),
     "StockEtablissement_utf8.zip : archive zip : un seul fichier CSV attendu, 2 trouvé(s) "
     "(a.csv, b.csv)"),
    (lambda f: _zip(f, {}), "StockEtablissement_utf8.zip : archive zip : un seul fichier CSV "
                            "attendu, 0 trouvé(s) (archive vide)"),
])
def test_bad_zip_refused_naming_the_file(warehouse, tmp_path, make, expected):
    files = write_sirene_official(tmp_path / "dl")
    make(files["etablissements"])
    assert expected in refused(warehouse, files)


def test_bad_row_in_a_zip_names_the_csv_line_and_column(warehouse, tmp_path):
    files = write_sirene_official(tmp_path / "dl")
    text = sirene_official_text("etablissements").replace(
        "100000001,00002,10000000100002,1995-01-01,48003,11,", "100000001,00002,10000000100002,"
                                                               "1995-01-01,48003,7,")
    _zip(files["etablissements"], {"StockEtablissement_utf8.csv": text.encode()})
    assert ("StockEtablissement_utf8.zip › StockEtablissement_utf8.csv, ligne 3, colonne "
            "« trancheEffectifsEtablissement » : tranche d'effectifs inconnue (NN, 00, 01 … 53 "
            "attendu) : « 7 »") in refused(warehouse, files)


def test_rebuild_reapplies_a_zipped_import(tmp_path, fixture_reference):
    from ess_data.build import build

    target = tmp_path / "data" / "ess.duckdb"
    build(target, FIXTURES / "seed", fixture_reference)
    run_import(target, "sirene", write_sirene_official(tmp_path / "dl"))
    assert build(target, FIXTURES / "seed", fixture_reference)["imports"] == 1
    check_known_answers(target, OFFICIAL_SRC)
    assert not list(target.parent.glob(".ess.duckdb.*unzip*"))


def test_cli_published_zips(warehouse, tmp_path, capsys):
    files = write_sirene_official(tmp_path / "dl")
    code = main(["import", "sirene", "--etablissements", str(files["etablissements"]),
                 "--unites-legales", str(files["unites_legales"]), "--db", str(warehouse)])
    captured = capsys.readouterr()
    assert code == 0
    assert "Date du stock 2025-10-31 lue dans les fichiers" in captured.out
    assert "décompression de StockEtablissement_utf8.zip" in captured.err


def test_extracted_csv_of_a_killed_import_is_removed_by_the_next(warehouse, tmp_path):
    stale = warehouse.with_name(f".{warehouse.name}.importing-999999.unzip-etablissements.csv")
    stale.write_text("left by a process killed during extraction", encoding="utf-8")
    run_import(warehouse, "sirene", write_sirene_official(tmp_path / "dl"))
    assert not stale.exists()
