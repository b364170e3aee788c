"""`import ess-emploi`: sums, shares recomputed, statistical secrecy (primary and secondary)."""
import hashlib

import pytest

from ess_data import attacker, db
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
    # unclassified, so France - rural - rest = 15002): an attacker solving linear programmes over
    # everything published brings no primary cell within 10 % (one job at least) of its value
    published = {k: v for k, v in c.items() if v[-1] == "non"}
    jobs = {k: (v[1] if v[-1] == "non" else None) for k, v in c.items()}
    totals = {k: (v[2] if v[-1] == "non" else None) for k, v in c.items() if k[2] == ""}
    primary = {("commune", "48003", ""): 6, ("commune", "63002", "fondations"): 10}
    audit = attacker.Audit(jobs, fixture_equations(), totals)
    assert attacker.breaches(audit, primary) == {}
    assert audit.interval(("commune", "48003", ""))[0] <= 5
    assert audit.interval(("commune", "48003", ""))[1] >= 7
    # the commune with no ESS establishment is never hidden: anyone knows it is zero
    assert published[("commune", "15002", "")][:2] == (0, 0)
    assert "secret statistique : 2 case(s) primaire(s)" in result.report[0]
    assert "emplois ESS masqués : 16 (primaires)" in result.report[0]


def fixture_equations():
    """The equations of tests/fixtures/imports/ess_emploi_2023.csv, written by hand."""
    com = {"48001": ("E1", "48"), "48002": ("E1", "48"), "48003": ("E2", "48"),
           "15001": ("E2", "15"), "15002": (None, "15"), "63001": ("E3", "63"),
           "63002": ("E3", "63")}
    eqs = [(("epci", e, ""), [("commune", c, "") for c, v in com.items() if v[0] == e])
           for e in ("E1", "E2", "E3")]
    eqs += [(("departement", d, ""), [("commune", c, "") for c, v in com.items() if v[1] == d])
            for d in ("48", "15", "63")]
    return eqs + [
        (("region", "76", ""), [("departement", "48", "")]),
        (("region", "84", ""), [("departement", "15", ""), ("departement", "63", "")]),
        (("france", "FR", ""), [("region", "76", ""), ("region", "84", "")]),
        (("rural", "approx_densite_communale", ""),
         [("commune", c, "") for c in ("48003", "15001", "63001")]),
        (("hors_rural", "approx_densite_communale", ""),
         [("commune", c, "") for c in ("48001", "48002", "63002")]),
        (("commune", "63002", ""), [("commune", "63002", f) for f in
                                    ("associations", "cooperatives", "mutuelles", "fondations")])]


def table(counts: dict, groups: dict, jobs_per=10, total_extra=100):
    """Cells of communes with `counts` establishments (jobs = count x jobs_per unless a pair
    (establishments, jobs) is given), and the sums `groups` (parent -> commune codes)."""
    cells_ = {}
    for code, n in counts.items():
        etab, emp = n if isinstance(n, tuple) else (n, n * jobs_per)
        cells_[("commune", code, "y", "")] = ess_emploi.Cell(
            etab, emp, emp + total_extra, "primaire" if 0 < etab < 3 else "non", "fichier")
    eqs = []
    for (level, code), children in groups.items():
        kids = [("commune", c, "y", "") if isinstance(c, str) else c for c in children]
        eqs.append(((level, code, "y", ""), kids))
    for parent, kids in eqs:  # parents in the order given: children first
        cells_[parent] = ess_emploi.Cell(*(sum(getattr(cells_[k], a) for k in kids)
                                           for a in ("etab", "emp", "tot")), "non", "somme")
    return cells_, eqs


def audit_of(cells_, eqs, known_zero=()):
    """The independent attacker over the published cells of `cells_` (keys without year)."""
    def short(k):
        return (k[0], k[1], k[3])
    jobs = {short(k): (c.emp if c.secret == "non" else None) for k, c in cells_.items()}
    totals = {short(k): (c.tot if c.secret == "non" else None) for k, c in cells_.items()}
    fixed = {short(k): 0.0 for k in known_zero}
    audit = attacker.Audit(jobs, [(short(p), [short(c) for c in cs]) for p, cs in eqs],
                           totals, fixed)
    primary = {short(k): c.emp for k, c in cells_.items() if c.secret == "primaire"}
    return audit, primary


def test_hidden_zero_never_protects_a_secret():
    """The weakness of the exact-only check: commune z has no ESS employer (public in SIRENE);
    hiding it beside the secret commune a (smallest candidate first) left a = E - b - 0."""
    cells_, eqs = table({"a": 1, "z": 0, "b": 6, "c": 9},
                        {("epci", "E"): ["a", "z", "b"], ("epci", "F"): ["c"],
                         ("departement", "D"): ["a", "z", "b", "c"]})
    done = ess_emploi._protect(cells_, eqs)
    hidden = {k[1] for k, c in cells_.items() if c.secret == "secondaire"}
    assert done.hidden == len(hidden) == 1 and "z" not in hidden
    audit, primary = audit_of(cells_, eqs, known_zero=[("commune", "z", "y", "")])
    assert attacker.breaches(audit, primary) == {}


def test_sirene_zeros_are_never_chosen():
    # b has 40 jobs in the file but SIRENE lists no ESS employer there: the attacker believes
    # it, so hiding it protects nothing; the engine takes c instead
    cells_, eqs = table({"a": 1, "b": 4, "c": 5},
                        {("departement", "D"): ["a", "b", "c"]})
    ess_emploi._protect(cells_, eqs, known={("commune", "b", "y", "")})
    assert cells_[("commune", "b", "y", "")].secret == "non"
    assert cells_[("commune", "c", "y", "")].secret == "secondaire"


def test_a_range_too_narrow_is_not_protection():
    """Exact-only checks stop once no secret cell is *determined*; here hiding b (2 jobs) beside
    a (100 jobs) leaves a within [100, 102]: the engine hides a cell able to move by 10 jobs."""
    cells_, eqs = table({"a": (1, 100), "b": (4, 2), "c": (5, 30), "d": (6, 400)},
                        {("epci", "E"): ["a", "b", "c"], ("epci", "F"): ["d"],
                         ("departement", "D"): ["a", "b", "c", "d"]})
    ess_emploi._protect(cells_, eqs)
    assert cells_[("commune", "c", "y", "")].secret == "secondaire"
    assert cells_[("commune", "b", "y", "")].secret == "non"  # too small to protect a
    audit, primary = audit_of(cells_, eqs)
    lo, hi = audit.interval(("commune", "a", ""))
    assert lo <= 90 and hi >= 110
    # and the protection level is a parameter: at 40 %, 30 jobs of c are not enough
    cells_, eqs = table({"a": (1, 100), "b": (4, 2), "c": (5, 30), "d": (6, 400)},
                        {("epci", "E"): ["a", "b", "c"], ("epci", "F"): ["d"],
                         ("departement", "D"): ["a", "b", "c", "d"]})
    ess_emploi._protect(cells_, eqs, level=0.4)
    audit, primary = audit_of(cells_, eqs)
    assert attacker.breaches(audit, primary, level=0.4) == {}
    assert attacker.breaches(audit, primary, level=0.5) != {} or \
        cells_[("epci", "E", "y", "")].secret != "non"


def test_family_remainder_is_known_to_the_attacker():
    # the families do not exhaust the whole ESS (other legal forms): their sum is not larger
    cells_ = {("commune", "a", "y", ""): ess_emploi.Cell(10, 100, 1000, "non", "fichier"),
              ("commune", "a", "y", "associations"): ess_emploi.Cell(1, 60, None, "primaire",
                                                                      "fichier"),
              ("commune", "a", "y", "cooperatives"): ess_emploi.Cell(5, 30, None, "non",
                                                                     "fichier")}
    remainders = [(("commune", "a", "y", ""), [("commune", "a", "y", "associations"),
                                                ("commune", "a", "y", "cooperatives")])]
    ess_emploi._protect(cells_, [], remainders)
    # a's associations can be at most 100 - 30 = 70 >= 66: protected without more cells
    assert {c.secret for c in cells_.values()} == {"non", "primaire"}
    cells_[("commune", "a", "y", "cooperatives")] = ess_emploi.Cell(5, 38, None, "non",
                                                                    "fichier")
    ess_emploi._protect(cells_, [], remainders)  # now at most 62 < 66: cooperatives hidden
    assert cells_[("commune", "a", "y", "cooperatives")].secret == "secondaire"


@pytest.mark.parametrize("seed", range(4))
def test_random_national_like_systems_pass_an_independent_attacker(seed):
    """Random departments, EPCI crossing them, a region, France and a rural split: an attacker
    with every published cell, every equation, non-negativity, ESS jobs <= all jobs and the
    zeros finds no primary cell within its protection interval; every primary cell stays
    hidden and no complementary cell is a known zero."""
    import random
    rng = random.Random(seed)
    for trial in range(15):
        com = [f"c{i}" for i in range(rng.randint(8, 40))]
        counts = {c: (n, n * rng.randint(1, 12)) for c in com
                  for n in [rng.choice([0, 0, 1, 2, 3, 5, 9, 25])]}
        groups: dict = {}
        for c in com:
            groups.setdefault(("epci", f"e{rng.randint(0, 5)}"), []).append(c)
        for c in com:
            groups.setdefault(("departement", f"d{rng.randint(0, 2)}"), []).append(c)
        deps = [("departement", k[1], "y", "") for k in groups if k[0] == "departement"]
        groups[("region", "r")] = deps
        groups[("france", "FR")] = [("region", "r", "y", "")]
        rural = [c for c in com if rng.random() < 0.6]
        if rural:
            groups[("rural", "def")] = rural
        if len(rural) < len(com):
            groups[("hors_rural", "def")] = [c for c in com if c not in rural]
        cells_, eqs = table(counts, groups)
        primary = {k for k, c in cells_.items() if c.secret == "primaire"}
        ess_emploi._protect(cells_, eqs)
        hidden = {k for k, c in cells_.items() if c.secret != "non"}
        assert primary <= hidden
        assert not any(cells_[k].etab == 0 for k in hidden - primary), trial
        zeros = [k for k, c in cells_.items() if c.etab == 0]
        audit, prim = audit_of(cells_, eqs, known_zero=zeros)
        assert attacker.breaches(audit, prim) == {}, (seed, trial)


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


def test_the_attacker_finds_what_exact_checks_missed():
    """The audit can fail: the pattern the exact-only engine produced (a hidden zero beside the
    secret commune) is a breach once the attacker knows the zero from SIRENE."""
    cells_, eqs = table({"a": 1, "z": 0, "b": 6, "c": 9},
                        {("epci", "E"): ["a", "z", "b"], ("epci", "F"): ["c"],
                         ("departement", "D"): ["a", "z", "b", "c"]})
    cells_[("commune", "z", "y", "")].secret = "secondaire"
    audit, primary = audit_of(cells_, eqs, known_zero=[("commune", "z", "y", "")])
    assert attacker.breaches(audit, primary) == {("commune", "a", ""): (10.0, 10.0)}
    # even without SIRENE, a zero cannot go down: a is at most its true value
    audit, primary = audit_of(cells_, eqs)
    assert attacker.breaches(audit, primary) == {("commune", "a", ""): (0.0, 10.0)}


def test_national_commune_file_passes_the_independent_attacker(real_con):
    """The generated national file of `make bench-secrecy` (34,875 communes, about one in five
    with 1 or 2 establishments): every primary cell audited on the whole published table,
    with equations written from the territory tree by the bench, not by the import."""
    import tempfile
    from pathlib import Path

    from bench.secrecy import audit, generate
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "national.csv"
        n = generate(real_con, path)
        prepared = ess_emploi.validate(real_con, {"FILE": path}, {"FILE": path.name}, {})
    c = prepared.data["cells"]
    primary = [k for k, v in c.items() if v.secret == "primaire"]
    secondary = [k for k, v in c.items() if v.secret == "secondaire"]
    assert n > 30000 and len(primary) > 5000 and 0 < len(secondary) < len(primary) / 10
    assert not any(c[k].etab == 0 for k in secondary)  # never a known zero
    assert not any(k[0] in ("rural", "hors_rural", "france") for k in secondary)
    audited, found, _ = audit(real_con, c, len(primary))
    assert (audited, found) == (len(primary), {})


def test_protection_level_option(warehouse, tmp_path, capsys):
    f = FILES / "ess_emploi_2023.csv"
    assert main(["import", "ess-emploi", str(f), "--protection", "30", "--db",
                 str(warehouse)]) == 0
    assert "à moins de 30 % (1 emploi au moins)" in capsys.readouterr().out
    before = hashlib.sha256(warehouse.read_bytes()).hexdigest()
    with pytest.raises(ImportRefused, match="niveau de protection « 0 »"):
        run_import(warehouse, "ess-emploi", {"FILE": f}, {"protection": 0})
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == before


def test_cell_marked_secret_without_numbers_is_not_left_deducible(warehouse, tmp_path):
    """48002 is given as secret with no numbers but the department total is published: it would
    be 346 - 300 - 6; more cells are hidden until its range is at least two jobs wide."""
    f = tmp_path / "x.csv"
    f.write_text("niveau;code;annee;famille;etablissements_ess;emplois_salaries_ess;"
                 "emplois_salaries_total;secret\n"
                 "departement;48;2023;;27;346;4320;\ncommune;48001;2023;;20;300;4000;\n"
                 "commune;48002;2023;;;;;oui\ncommune;48003;2023;;4;6;20;\n", encoding="utf-8")
    run_import(warehouse, "ess-emploi", {"FILE": f})
    c = cells(warehouse)
    jobs = {k: (v[1] if v[-1] == "non" else None) for k, v in c.items()}
    eqs = [(("departement", "48", ""), [("commune", x, "") for x in ("48001", "48002", "48003")]),
           (("epci", "E1", ""), [("commune", "48001", ""), ("commune", "48002", "")]),
           (("epci", "E2", ""), [("commune", "48003", "")])]
    eqs = [(p, ch) for p, ch in eqs if p in jobs]
    lo, hi = attacker.Audit(jobs, eqs).interval(("commune", "48002", ""))
    assert hi - lo >= 2
    assert c[("departement", "48", "")][-1] == "non"  # the given total stays published


def test_sirene_zeros_of_the_warehouse_are_never_hidden(warehouse):
    """With a SIRENE stock imported, the communes where it lists no ESS employer (48001, 48002
    in the fixture stock) are known to anyone: never chosen as complementary cells."""
    sirene = FILES / "sirene"
    run_import(warehouse, "sirene", {"etablissements": sirene / "StockEtablissement_2025-11-01.csv",
                                     "unites_legales": sirene / "StockUniteLegale_2025-11-01.csv"})
    result = run_import(warehouse, "ess-emploi", {"FILE": FILES / "ess_emploi_2023.csv"})
    assert "zéros connus de SIRENE exclus des cases complémentaires" in result.report[0]
    c = cells(warehouse)
    assert c[("commune", "48001", "")][-1] == c[("commune", "48002", "")][-1] == "non"
    jobs = {k: (v[1] if v[-1] == "non" else None) for k, v in c.items()}
    totals = {k: (v[2] if v[-1] == "non" else None) for k, v in c.items() if k[2] == ""}
    primary = {("commune", "48003", ""): 6, ("commune", "63002", "fondations"): 10}
    assert attacker.breaches(attacker.Audit(jobs, fixture_equations(), totals), primary) == {}
