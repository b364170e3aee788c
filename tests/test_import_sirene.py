"""`import sirene`: active ESS establishments, families, micro share computed by hand."""
import hashlib

import duckdb
import pytest

from ess_data import db
from ess_data.__main__ import main
from ess_data.imports.apply import run_import
from ess_data.imports.problems import ImportRefused
from tests.conftest import FIXTURES

S = FIXTURES / "imports" / "sirene"
ETAB = S / "StockEtablissement_2025-11-01.csv"
UL = S / "StockUniteLegale_2025-11-01.csv"
SRC = "import_sirene_20251101"
APPROX = "approx_densite_communale"



def observations(path):
    con = db.connect(path)
    try:
        return {(r[0], r[1], r[2]): r[3] for r in con.execute(
            "SELECT indicator_id, territory_level, territory_code, value FROM observations "
            "WHERE source_id = ?", [SRC]).fetchall()}
    finally:
        con.close()


def check_known_answers(path):
    obs = observations(path)
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
