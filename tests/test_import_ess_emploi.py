"""`import ess-emploi`: sums, shares recomputed, statistical secrecy (primary and secondary)."""
import hashlib

import pytest

from ess_data import db
from ess_data.__main__ import main
from ess_data.config import PACKAGE_DIR
from ess_data.imports import ess_emploi
from ess_data.imports.apply import run_import
from ess_data.imports.problems import ImportRefused
from tests.conftest import FIXTURES

FILES = FIXTURES / "imports"
SRC_COMMUNES = "import_ess_emploi_ess_emploi_2023"



def cells(path, source=None):
    con = db.connect(path)
    try:
        rows = con.execute(
            "SELECT level, code, famille, etablissements, emplois_ess, emplois_total, part_ess, "
            "origin, secret FROM ess_emploi_cells ORDER BY level, code, famille").fetchall()
    finally:
        con.close()
    return {(r[0], r[1], r[2]): r[3:] for r in rows}


def observations(path, source):
    con = db.connect(path)
    try:
        return {(r[0], r[1], r[2], r[3]): r[4] for r in con.execute(
            "SELECT indicator_id, territory_level, territory_code, breakdown_value, value "
            "FROM observations WHERE source_id = ?", [source]).fetchall()}
    finally:
        con.close()


def test_department_file_sums_shares_and_secondary_secrecy(warehouse):
    run_import(warehouse, "ess-emploi", {"FILE": FILES / "ess_emploi_departements_2022.csv"},
               {"producteur": "Insee (données de test)"})
    c = cells(warehouse)
    # 15 has 2 establishments (primary); 63 hidden so that 15 = region 84 - 63 cannot be done
    assert c[("departement", "15", "")] == (None, None, None, None, "fichier", "primaire")
    assert c[("departement", "63", "")] == (None, None, None, None, "fichier", "secondaire")
    assert c[("departement", "63", "fondations")][-1] == "primaire"
    # totals above stay correct (they include the secret cells)
    assert c[("region", "84", "")][:3] == (62, 1045, 21660)
    assert c[("region", "76", "")][:3] == (27, 346, 4320)
    assert c[("france", "FR", "")][:3] == (89, 1391, 25980)
    assert c[("france", "FR", "")][3] == pytest.approx(1391 / 25980 * 100)
    obs = observations(warehouse, "import_ess_emploi_ess_emploi_departements_2022")
    assert obs[("part_ess_emploi_salarie", "region", "84", "")] == pytest.approx(
        1045 / 21660 * 100)
    assert obs[("etablissements_famille_ess", "departement", "63", "associations")] == 50
    # a secret cell is never a number, anywhere
    assert ("etablissements_employeurs_ess", "departement", "15", "") not in obs
    assert ("etablissements_employeurs_ess", "departement", "63", "") not in obs
    assert not any(k[3] == "fondations" for k in obs)
    # the family share needs the whole ESS of the territory, hidden here
    assert not any(k[0] == "part_famille_emploi_ess" for k in obs)


def test_commune_file_totals_rural_and_no_recoverable_secret(warehouse):
    result = run_import(warehouse, "ess-emploi", {"FILE": FILES / "ess_emploi_2023.csv"})
    c = cells(warehouse)
    # rural / rest of the country (approximation) include the secret communes: totals stay exact
    assert c[("rural", "approx_densite_communale", "")][:3] == (16, 156, 1670)
    assert c[("hors_rural", "approx_densite_communale", "")][:4] == (
        75, 1240, 24300, pytest.approx(1240 / 24300 * 100))
    assert c[("commune", "48003", "")][-1] == "primaire"
    assert c[("commune", "63002", "fondations")][-1] == "primaire"
    for key, (etab, emp, tot, part, _, secret) in c.items():
        if secret != "non":
            assert (etab, emp, tot, part) == (None, None, None, None), key
    # seven communes under four overlapping partitions (EPCI, departments, rural, rest; 15002
    # unclassified, so France - rural - rest = 15002): much has to be hidden, but nothing
    # secret can be recomputed from what is published, checked by brute force
    published = {k: v for k, v in c.items() if v[-1] == "non"}
    secret = {k for k, v in c.items() if v[-1] != "non"}
    assert all_recoverable(secret, published) == set()
    assert "secret statistique : 2 case(s) primaire(s)" in result.report[0]


def all_recoverable(secret, published):
    """Brute force: solve the full system of equations of the fixture with numpy."""
    import numpy as np

    com = {"48001": ("E1", "48", True), "48002": ("E1", "48", True), "48003": ("E2", "48", True),
           "15001": ("E2", "15", True), "15002": (None, "15", None), "63001": ("E3", "63", True),
           "63002": ("E3", "63", True)}
    rural = {"48003", "15001", "63001"}
    eqs = [(("epci", e, ""), [("commune", c, "") for c, v in com.items() if v[0] == e])
           for e in ("E1", "E2", "E3")]
    eqs += [(("departement", d, ""), [("commune", c, "") for c, v in com.items() if v[1] == d])
            for d in ("48", "15", "63")]
    eqs += [(("region", "76", ""), [("departement", "48", "")]),
            (("region", "84", ""), [("departement", "15", ""), ("departement", "63", "")]),
            (("france", "FR", ""), [("region", "76", ""), ("region", "84", "")]),
            (("rural", "approx_densite_communale", ""), [("commune", c, "") for c in rural]),
            (("hors_rural", "approx_densite_communale", ""),
             [("commune", c, "") for c in ("48001", "48002", "63002")]),
            (("commune", "63002", ""), [("commune", "63002", f) for f in
                                        ("associations", "cooperatives", "mutuelles",
                                         "fondations")])]
    cols = sorted(secret)
    index = {k: j for j, k in enumerate(cols)}
    rows = []
    for p, cs in eqs:
        r = np.zeros(len(cols))
        if p in index:
            r[index[p]] += 1
        for ch in cs:
            if ch in index:
                r[index[ch]] -= 1
        rows.append(r)
    _, sv, vt = np.linalg.svd(np.array(rows), full_matrices=False)
    basis = vt[: int((sv > 1e-9).sum())]
    weight = (basis ** 2).sum(axis=0)
    return {k for k, j in index.items() if weight[j] > 1 - 1e-9}


def test_fast_check_matches_brute_force_on_random_systems():
    import random

    import numpy as np

    def brute(secret, eqs):
        cols = sorted(secret)
        idx = {k: j for j, k in enumerate(cols)}
        rows = [ess_emploi._row(e, idx) for e in eqs]
        ok = ess_emploi._in_row_space(np.array(rows).reshape(len(rows), len(cols)))
        return {k for k, good in zip(cols, ok) if good}
    rng = random.Random(0)
    for _ in range(300):
        com = [("commune", f"c{i}", "y", "") for i in range(rng.randint(3, 14))]
        groups = {}
        for c in com:
            groups.setdefault(("departement", f"d{rng.randint(0, 2)}", "y", ""), []).append(c)
            groups.setdefault(("epci", f"e{rng.randint(0, 3)}", "y", ""), []).append(c)
        eqs = list(groups.items())
        eqs.append((("france", "FR", "y", ""), [k for k in groups if k[0] == "departement"]))
        for d in range(rng.randint(0, 2)):
            r = [c for c in com if rng.random() < 0.5]
            h = [c for c in com if c not in r and rng.random() < 0.9]
            eqs += [(("rural", f"def{d}", "y", ""), r)] if r else []
            eqs += [(("hors_rural", f"def{d}", "y", ""), h)] if h else []
        cells_ = set(com) | {e[0] for e in eqs}
        secret = {k for k in sorted(cells_) if rng.random() < 0.45}
        if secret:
            assert ess_emploi._determined(secret, eqs) == brute(secret, eqs)


def test_recoverability_check_is_exact():
    key = {n: ("commune", n, "2023", "") for n in ("a", "b", "c")}
    parent = ("departement", "D", "2023", "")
    epci = ("epci", "E", "2023", "")
    eqs = [(parent, [key["a"], key["b"], key["c"]]), (epci, [key["a"], key["b"]])]
    # c = D - E even though each equation holds two or three secret cells
    assert ess_emploi._determined({key["a"], key["b"], key["c"]}, eqs) == {key["c"]}
    assert ess_emploi._determined({key["a"], key["b"], key["c"], epci}, eqs) == set()
    assert ess_emploi._determined({key["c"]}, eqs) == {key["c"]}


def test_secondary_secrecy_leaves_nothing_recoverable():
    cells_ = {}
    eqs = []
    # a department of 5 communes in 2 EPCI with one small commune
    counts = {"c1": 2, "c2": 40, "c3": 7, "c4": 12, "c5": 30}
    for code, n in counts.items():
        cells_[("commune", code, "2023", "")] = ess_emploi.Cell(
            n, n * 10, n * 100, "primaire" if n < 3 else "non", "fichier")
    dep = ("departement", "D", "2023", "")
    e1, e2 = ("epci", "E1", "2023", ""), ("epci", "E2", "2023", "")
    for k in (dep, e1, e2):
        cells_[k] = ess_emploi.Cell(0, 0, 0, "non", "somme")
    com = [("commune", c, "2023", "") for c in counts]
    eqs = [(dep, com), (e1, com[:2]), (e2, com[2:])]
    hidden = ess_emploi._secondary(cells_, eqs)
    secret = {k for k, v in cells_.items() if v.secret != "non"}
    assert ess_emploi._determined(secret, eqs) == set()
    # c2 is the only commune whose hiding protects c1 (c3 to c5 are smaller than c2 but
    # c1 = E1 - c2 would stay); EPCI and department totals stay published
    assert (hidden, sorted(k[1] for k in secret)) == (1, ["c1", "c2"])
    assert {cells_[k].secret for k in (dep, e1, e2)} == {"non"}


@pytest.mark.parametrize("exact_choice", [1000, 0])  # per group and whole system / per cell
def test_secondary_secrecy_on_random_national_like_systems(monkeypatch, exact_choice):
    """Random departments, EPCI crossing them, a region, France and a rural split: whichever
    way candidates are chosen (exactly on the whole system, or on one group for large files),
    no secret cell is recoverable at the end, and every secret cell stays secret."""
    import random
    monkeypatch.setattr(ess_emploi, "EXACT_CHOICE", exact_choice)
    rng = random.Random(7)
    for trial in range(60):
        com = [("commune", f"c{i}", "y", "") for i in range(rng.randint(6, 30))]
        cells_ = {c: ess_emploi.Cell(n, n * 5, n * 50, "primaire" if 0 < n < 3 else "non",
                                     "fichier")
                  for c in com for n in [rng.choice([0, 1, 2, 4, 9, 25])]}
        groups: dict = {}
        for c in com:
            groups.setdefault(("departement", f"d{rng.randint(0, 2)}", "y", ""), []).append(c)
            groups.setdefault(("epci", f"e{rng.randint(0, 4)}", "y", ""), []).append(c)
        eqs = list(groups.items())
        deps = [k for k in groups if k[0] == "departement"]
        eqs.append((("region", "r", "y", ""), deps))
        eqs.append((("france", "FR", "y", ""), [("region", "r", "y", "")]))
        rural = [c for c in com if rng.random() < 0.6]
        rest = [c for c in com if c not in rural]
        eqs += [(("rural", "def", "y", ""), rural)] if rural else []  # as _aggregate does:
        eqs += [(("hors_rural", "def", "y", ""), rest)] if rest else []  # no empty sum
        for parent, _children in eqs:
            if parent not in cells_:
                cells_[parent] = ess_emploi.Cell(50, 500, 5000, "non", "somme")
        primary = {k for k, c in cells_.items() if c.secret == "primaire"}
        ess_emploi._secondary(cells_, eqs)
        secret = {k for k, c in cells_.items() if c.secret != "non"}
        assert primary <= secret
        assert ess_emploi._determined(secret, eqs) == set(), trial


@pytest.mark.parametrize("text,expected", [
    ("niveau;code;annee;famille;etablissements_ess;emplois_salaries_ess\n"
     "departement;99;2023;;10;100\n",
     "x.csv, ligne 2, colonne « code » : departement 99 absent du référentiel des territoires"),
    ("niveau;code;annee;famille;etablissements_ess;emplois_salaries_ess\n"
     "canton;4801;2023;;10;100\n", "x.csv, ligne 2, colonne « niveau » : niveau « canton »"),
    ("niveau;code;annee;famille;etablissements_ess;emplois_salaries_ess\n"
     "departement;48;23;;10;100\n", "x.csv, ligne 2, colonne « annee » : année « 23 »"),
    ("niveau;code;annee;famille;etablissements_ess;emplois_salaries_ess\n"
     "departement;48;2023;scop;10;100\n", "x.csv, ligne 2, colonne « famille » : famille « scop »"),
    ("niveau;code;annee;famille;etablissements_ess;emplois_salaries_ess\n"
     "departement;48;2023;;-3;100\n",
     "x.csv, ligne 2, colonne « etablissements_ess » : « -3 » n'est pas un nombre entier"),
    ("niveau;code;annee;famille;etablissements_ess;emplois_salaries_ess\n"
     "departement;48;2023;;;100\n",
     "x.csv, ligne 2, colonne « etablissements_ess » : valeur manquante"),
    ("niveau;code;annee;famille;etablissements_ess;emplois_salaries_ess;emplois_salaries_total\n"
     "departement;48;2023;;10;100;50\n",
     "x.csv, ligne 2, colonne « emplois_salaries_total » : emplois salariés de l'ESS (100) "
     "supérieurs à l'emploi salarié total (50)"),
    ("niveau;code;annee;famille;etablissements_ess;emplois_salaries_ess\n"
     "departement;48;2023;;10;100\ndepartement;48;2023;;10;100\n",
     "x.csv, ligne 3, colonne « code » : departement 48 2023 ensemble en double (déjà ligne 2)"),
    ("niveau;code;annee;famille;etablissements_ess;emplois_salaries_ess\n"
     "departement;48;2023;;10;100\ndepartement;48;2023;associations;11;50\n",
     "x.csv, ligne 2 : departement 48 2023 : la somme des familles (11 établissements) dépasse"),
    ("niveau;code;annee;famille;etablissements_ess;emplois_salaries_ess\n"
     "region;76;2023;;10;100\ndepartement;48;2023;;9;100\n",
     "x.csv, ligne 2 : region 76 2023 : établissements 10 différent de la somme de ses "
     "departements (9)"),
    ("niveau;code;annee;famille;etablissements_ess;emplois_salaries_ess;secret\n"
     "departement;48;2023;;10;100;peut-être\n",
     "x.csv, ligne 2, colonne « secret » : « peut-être » : attendu oui ou non"),
])
def test_bad_files_refused_and_warehouse_untouched(warehouse, tmp_path, text, expected):
    f = tmp_path / "x.csv"
    f.write_text(text, encoding="utf-8")
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    with pytest.raises(ImportRefused) as err:
        run_import(warehouse, "ess-emploi", {"FILE": f})
    assert expected in str(err.value)
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before


def test_template_is_refused_empty_and_documented(warehouse):
    template = PACKAGE_DIR / "templates" / "ess_emploi_modele.csv"
    header = template.read_text(encoding="utf-8").splitlines()[0].split(";")
    assert header == ["niveau", "code", "annee", "famille", "etablissements_ess",
                      "emplois_salaries_ess", "emplois_salaries_total", "secret"]
    with pytest.raises(ImportRefused, match="aucune ligne de données"):
        run_import(warehouse, "ess-emploi", {"FILE": template})
    doc = (PACKAGE_DIR / "templates" / "README.md").read_text(encoding="utf-8")
    assert all(f"`{col}`" in doc for col in header)


def test_source_row_kind_import_and_reimport_replaces(warehouse, capsys):
    f = FILES / "ess_emploi_departements_2022.csv"
    assert main(["import", "ess-emploi", str(f), "--db", str(warehouse)]) == 0
    assert main(["import", "ess-emploi", str(f), "--db", str(warehouse)]) == 0
    con = db.connect(warehouse)
    src = db.run_query(con, "sources").set_index("source_id")
    history = db.run_query(con, "import_history")
    con.close()
    row = src.loc["import_ess_emploi_ess_emploi_departements_2022"]
    assert (row["kind"], row["publisher"]) == ("import", "Fichier importé (producteur non précisé)")
    assert row["n_observations"] == len(observations(
        warehouse, "import_ess_emploi_ess_emploi_departements_2022"))
    assert history["import_id"].tolist() == [2, 1]


def test_cells_query_shows_secret_never_a_number(warehouse):
    run_import(warehouse, "ess-emploi", {"FILE": FILES / "ess_emploi_departements_2022.csv"})
    con = db.connect(warehouse)
    df = db.run_query(con, "imports/ess_emploi_cells", level="departement")
    con.close()
    shown = df[df["famille"] == ""].set_index("code")
    assert shown.loc["15", "etablissements_affiche"] == "secret statistique"
    assert shown.loc["63", "emplois_ess_affiche"] == "secret statistique"
    assert shown.loc["48", "etablissements_affiche"] == "27"
    assert shown.loc["48", "name"] == "Lozère"
