"""`import ess-emploi FILE`: ESS employment by territory from the project's template.

Template (`ess_data/templates/ess_emploi_modele.csv`, documented in docs/imports.md): one row per
level x code x year x family, columns `niveau;code;annee;famille;etablissements_ess;
emplois_salaries_ess;emplois_salaries_total;secret`. From the counts:
- parents are summed from their children where the file covers every child (communes -> EPCI and
  department, departments -> region, regions -> France) and rural / rest of the country under each
  commune-level rural definition where it covers every commune; a parent the file gives itself
  must equal that sum;
- shares are recomputed at every level: ESS jobs / all salaried jobs, family jobs / ESS jobs;
- statistical secrecy: a cell with 1 or 2 establishments or marked secret is primary secret
  (0 is published: no unit to protect); then complementary cells are hidden until an attacker
  with every published cell, every equation ("parent = sum of children", "whole ESS = sum of
  families", families <= whole), non-negativity, ESS jobs <= all jobs and the zeros public in
  SIRENE cannot bring any primary cell's ESS jobs within the protection level (`--protection`,
  10 % and one job by default) of their true value: linear programmes, ess_data.secrecy; the
  audit is ess_data.attacker. Secret cells are stored without any number.
"""
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ess_data import secrecy
from ess_data.db import run_query
from ess_data.imports.apply import Prepared
from ess_data.imports.common import (
    COMMUNE_CODE,
    DEPARTEMENT_CODE,
    EPCI_CODE,
    REGION_CODE,
    YEAR,
    stage,
)
from ess_data.imports.problems import ImportRefused, Problem, refuse_if
from ess_data.imports.tabular import norm, read_table

ROLES = ("FILE",)
THRESHOLD = 3  # fewer establishments than this: primary secret
ALIASES = {
    "niveau": {"niveau", "niveau geographique"},
    "code": {"code", "code territoire", "codgeo"},
    "annee": {"annee", "millesime"},
    "famille": {"famille", "famille ess"},
    "etablissements_ess": {"etablissements ess", "etablissements employeurs ess",
                           "nombre d'etablissements ess"},
    "emplois_salaries_ess": {"emplois salaries ess", "effectifs salaries ess", "postes ess"},
    "emplois_salaries_total": {"emplois salaries total", "effectifs salaries total",
                               "emplois salaries tous secteurs"},
    "secret": {"secret", "secret statistique"},
}
REQUIRED = ["niveau", "code", "annee", "etablissements_ess", "emplois_salaries_ess"]
LEVELS = {"commune": COMMUNE_CODE, "epci": EPCI_CODE, "departement": DEPARTEMENT_CODE,
          "region": REGION_CODE, "france": re.compile(r"^FR$")}
FAMILIES = {"": "", "ensemble": "", "ensemble ess": "", "associations": "associations",
            "cooperatives": "cooperatives", "mutuelles": "mutuelles", "fondations": "fondations",
            "societes commerciales": "societes_commerciales",
            "societes commerciales de l'ess": "societes_commerciales"}
SECRET = {"": False, "non": False, "0": False, "oui": True, "1": True, "s": True,
          "secret": True}
# levels published as observations (the others stay in ess_emploi_cells)
OBSERVED = ("france", "region", "departement", "rural", "hors_rural")
GLOBAL = ("rural", "hors_rural")  # equations linking communes of the whole country
# hide communes first, then EPCI, departments, regions, rural totals, France
LEVEL_RANK = {"commune": 0, "epci": 1, "departement": 2, "region": 3, "rural": 4,
              "hors_rural": 4, "france": 5}
INDICATORS = {  # id: (theme, unit, decimals, breakdown, label_fr, label_en, def_fr, def_en)
    "etablissements_employeurs_ess": (
        "etablissements", "count", 0, None, "Établissements employeurs de l'ESS",
        "ESS employer establishments",
        "Nombre d'établissements (lieux d'activité) employeurs des structures de l'ESS.",
        "Number of establishments with employees belonging to ESS organisations."),
    "effectifs_salaries_ess": (
        "emploi", "count", 0, None, "Effectifs salariés de l'ESS", "ESS employees",
        "Nombre de salariés (ou de postes salariés) des structures de l'ESS.",
        "Number of employees (or salaried jobs) in ESS organisations."),
    "part_ess_emploi_salarie": (
        "emploi", "percent", 1, None, "Part de l'ESS dans l'emploi salarié",
        "ESS share of salaried employment",
        "Salariés des structures de l'ESS rapportés à l'ensemble de l'emploi salarié du "
        "territoire.", "ESS employees as a share of all salaried employment in the area."),
    "etablissements_famille_ess": (
        "familles", "count", 0, "famille", "Établissements par famille de l'ESS",
        "ESS establishments by legal family",
        "Nombre d'établissements employeurs par famille juridique de l'ESS.",
        "Number of employer establishments by legal family of the ESS."),
    "emploi_famille_ess": (
        "familles", "count", 0, "famille", "Emplois salariés par famille de l'ESS",
        "ESS employees by legal family",
        "Nombre de salariés (ou d'emplois) par famille juridique de l'ESS.",
        "Number of employees (or jobs) by legal family of the ESS."),
    "part_famille_emploi_ess": (
        "familles", "percent", 1, "famille", "Part d'une famille dans l'emploi de l'ESS",
        "Share of a legal family in ESS employment",
        "Salariés d'une famille juridique de l'ESS rapportés à l'ensemble des salariés de l'ESS.",
        "Employees of one legal family of the ESS as a share of all ESS employees."),
}
FAMILY_LABELS = {"associations": ("Associations", "Associations", 1),
                 "cooperatives": ("Coopératives", "Cooperatives", 2),
                 "mutuelles": ("Mutuelles", "Mutuals", 3),
                 "fondations": ("Fondations", "Foundations", 4),
                 "societes_commerciales": ("Sociétés commerciales de l'ESS",
                                           "ESS commercial companies", 5)}


@dataclass
class Cell:
    """One level x code x year x family; numbers None when unknown (secret without value)."""

    etab: int | None
    emp: int | None
    tot: int | None
    secret: str  # non, primaire, secondaire
    origin: str  # fichier, somme
    line: int | None = None


def _int(value: str) -> int | None:
    value = value.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    return int(value) if re.fullmatch(r"\d+", value) else None


def _read(table, name, known: dict[str, dict]) -> tuple[dict, list[Problem]]:
    cols = table.columns
    problems, cells, seen = [], {}, {}
    for line, r in table.rows:
        def bad(col, msg, line=line):
            problems.append(Problem(name, msg, line, cols.get(col, col)))
        level, code, year = r["niveau"].lower(), r["code"], r["annee"]
        fam_raw = norm(r.get("famille", ""))
        if level not in LEVELS:
            bad("niveau", f"niveau « {level[:20]} » inconnu (commune, epci, departement, "
                          "region, france)")
            continue
        if not LEVELS[level].match(code):
            bad("code", f"code « {code[:20]} » mal formé pour le niveau {level}")
            continue
        if code not in known[level]:
            bad("code", f"{level} {code} absent du référentiel des territoires")
            continue
        if not YEAR.match(year):
            bad("annee", f"année « {year[:20]} » mal formée (AAAA)")
            continue
        if fam_raw not in FAMILIES:
            bad("famille", f"famille « {r['famille'][:30]} » inconnue (vide, associations, "
                           "cooperatives, mutuelles, fondations, societes_commerciales)")
            continue
        fam = FAMILIES[fam_raw]
        secret_raw = norm(r.get("secret", ""))
        if secret_raw not in SECRET:
            bad("secret", f"« {r['secret'][:20]} » : attendu oui ou non (ou vide)")
            continue
        flagged = SECRET[secret_raw]
        nums, ok = {}, True
        for col in ("etablissements_ess", "emplois_salaries_ess", "emplois_salaries_total"):
            raw = r.get(col, "")
            if raw == "":
                nums[col] = None
                if not flagged and col != "emplois_salaries_total":
                    bad(col, "valeur manquante (seule une case secrète peut être vide)")
                    ok = False
                continue
            nums[col] = _int(raw)
            if nums[col] is None:
                bad(col, f"« {raw[:20]} » n'est pas un nombre entier positif ou nul")
                ok = False
        if not ok:
            continue
        etab, emp, tot = (nums["etablissements_ess"], nums["emplois_salaries_ess"],
                          nums["emplois_salaries_total"] if fam == "" else None)
        if emp is not None and tot is not None and emp > tot:
            bad("emplois_salaries_total", f"emplois salariés de l'ESS ({emp}) supérieurs à "
                                          f"l'emploi salarié total ({tot})")
            continue
        if etab == 0 and emp:
            bad("emplois_salaries_ess", f"{emp} emplois pour 0 établissement")
            continue
        key = (level, code, year, fam)
        if key in seen:
            bad("code", f"{level} {code} {year} {fam or 'ensemble'} en double (déjà ligne "
                        f"{seen[key]})")
            continue
        seen[key] = line
        # 1 or 2 establishments: secret; 0 is published (there is no unit to protect)
        primary = flagged or (etab is not None and 0 < etab < THRESHOLD)
        cells[key] = Cell(etab, emp, tot, "primaire" if primary else "non", "fichier", line)
    return cells, problems


def _add(a, b):
    return None if a is None or b is None else a + b


def _sum(children: list[Cell]) -> Cell:
    etab = emp = tot = 0
    for c in children:
        etab, emp, tot = _add(etab, c.etab), _add(emp, c.emp), _add(tot, c.tot)
    return Cell(etab, emp, tot, "non", "somme")


def _aggregate(cells: dict, geo: pd.DataFrame, rurality: pd.DataFrame, name: str
               ) -> tuple[list[tuple], list[Problem], list[str]]:
    """Sum parents from complete children; return the equations (parent, children) too."""
    problems, notes, equations = [], [], []
    communes = geo[geo["level"] == "commune"]
    deps = geo[geo["level"] == "departement"]
    regions = geo[geo["level"] == "region"]
    hierarchy = [  # (parent level, child level, {parent code: [child codes]}), bottom-up
        ("epci", "commune", communes.dropna(subset=["epci_code"]).groupby("epci_code")["code"]),
        ("departement", "commune", communes.groupby("departement_code")["code"]),
        ("region", "departement", deps.groupby("region_code")["code"]),
        ("france", "region", regions.assign(fr="FR").groupby("fr")["code"]),
    ]
    years_fams = sorted({(k[2], k[3]) for k in cells})
    for parent_level, child_level, groups in hierarchy:
        groups = {p: sorted(c) for p, c in groups}
        for year, fam in years_fams:
            for parent, children in groups.items():
                keys = [(child_level, c, year, fam) for c in children]
                present = [k for k in keys if k in cells]
                if not present:
                    continue
                pkey = (parent_level, parent, year, fam)
                if len(present) < len(keys):
                    if pkey not in cells:
                        notes.append(f"{parent_level} {parent} ({year}"
                                     f"{', ' + fam if fam else ''}) non calculé : "
                                     f"{len(keys) - len(present)} {child_level}(s) absente(s) "
                                     "du fichier")
                    continue
                total = _sum([cells[k] for k in keys])
                equations.append((pkey, keys))
                if pkey in cells:
                    given = cells[pkey]
                    for attr, what in (("etab", "établissements"), ("emp", "emplois ESS"),
                                       ("tot", "emplois totaux")):
                        g, s = getattr(given, attr), getattr(total, attr)
                        if g is not None and s is not None and g != s:
                            problems.append(Problem(
                                name, f"{parent_level} {parent} {year} : {what} {g} différent "
                                      f"de la somme de ses {child_level}s ({s})", given.line))
                else:
                    cells[pkey] = total
    # rural / rest of the country under each commune-level definition, when every commune is in
    all_communes = sorted(communes["code"])
    for def_id, part in rurality.groupby("rural_definition_id"):
        is_rural = {c: (None if pd.isna(v) else bool(v))
                    for c, v in zip(part["commune_code"], part["is_rural"])}
        for year, fam in years_fams:
            keys = [("commune", c, year, fam) for c in all_communes]
            if not all(k in cells for k in keys):
                continue
            for level, flag in (("rural", True), ("hors_rural", False)):
                sub = [k for k in keys if is_rural.get(k[1]) is flag]
                if sub:
                    cells[(level, def_id, year, fam)] = _sum([cells[k] for k in sub])
                    equations.append(((level, def_id, year, fam), sub))
            unclassed = [k[1] for k in keys if is_rural.get(k[1]) is None]
            if unclassed:
                notes.append(f"{def_id} ({year}) : {len(unclassed)} commune(s) sans classe hors "
                             "des totaux rural / hors rural")
    # whole ESS = sum of its families, where the families given add up to it exactly;
    # otherwise an unpublished remainder (other legal forms) is left: the families' sum is not
    # larger than the whole (a remainder), which an attacker knows too
    remainders = []
    for (level, code, year, fam), whole in list(cells.items()):
        if fam == "":
            fams = [(level, code, year, f) for f in FAMILY_LABELS
                    if (level, code, year, f) in cells]
            if not fams:
                continue
            exact = all(_add(_add(0, cells[k].etab), cells[k].emp) is not None for k in fams) \
                and sum(cells[k].etab for k in fams) == whole.etab \
                and sum(cells[k].emp for k in fams) == whole.emp
            (equations if exact else remainders).append(((level, code, year, ""), fams))
    for cell in cells.values():
        if cell.origin == "somme" and cell.etab is not None and 0 < cell.etab < THRESHOLD:
            cell.secret = "primaire"
    return equations, remainders, problems, notes


def _members(e: tuple) -> tuple:
    return (e[0], *e[1])


@dataclass
class Secrecy:
    """What secondary secrecy hid and how (for the import report and /sources)."""

    hidden: int
    by_level: dict  # level -> (primary cells, their jobs, secondary cells, their jobs)
    programmes: int
    rounds: int


def _protect(cells: dict, equations: list[tuple], remainders: list[tuple] = (),
             known: set = frozenset(), level: float = secrecy.LEVEL) -> Secrecy:
    """Hide complementary cells (status « secondaire ») until an attacker solving linear
    programmes over the published table cannot bring any primary cell's ESS jobs within
    `level` (10 %, one job at least) of their true value (ess_data.secrecy).

    `remainders`: (whole, families) where the families do not exhaust the whole ESS (the
    attacker knows their sum is not larger); `known`: cells the attacker knows from elsewhere
    (no ESS employer in SIRENE): never chosen, and held at zero where they are zero.
    Cells with 0 establishments are known zeros too."""
    keys = sorted(cells)
    index = {k: j for j, k in enumerate(keys)}

    def num(attr):
        return np.array([np.nan if getattr(cells[k], attr) is None else
                         float(getattr(cells[k], attr)) for k in keys])
    emp, tot = num("emp"), num("tot")
    zero = np.array([cells[k].etab == 0 or (k in known and cells[k].emp == 0) for k in keys])
    is_known = zero | np.array([k in known for k in keys])
    eqs = [(index[e[0]], [index[c] for c in e[1]]) for e in equations]
    same = {}
    table = secrecy.Table(
        value=emp, total=tot,
        primary=np.array([cells[k].secret == "primaire" for k in keys]),
        cost=np.nan_to_num(emp), rank=np.array([LEVEL_RANK.get(k[0], 9) for k in keys]),
        equations=eqs, local=np.array([e[0][0] not in GLOBAL for e in equations], bool),
        total_eq=np.array([all(not np.isnan(tot[m]) for m in (p, *c)) for p, c in eqs], bool),
        remainders=[(index[w], [index[f] for f in fs]) for w, fs in remainders],
        upper=np.where(zero, 0.0, np.inf), known=is_known, level=level)
    try:
        outcome = secrecy.protect(table, np.array([same.setdefault(k[2:], len(same))
                                                   for k in keys]))
    except secrecy.Unprotectable as err:  # never publish an unprotected secret
        raise ImportRefused([Problem("secret statistique", "impossible de protéger la case "
                                     f"{' '.join(keys[err.index])} : fichier refusé")]) from None
    for j in outcome.secondary:
        cells[keys[j]].secret = "secondaire"
    by_level: dict = {}
    for k, c in cells.items():
        if c.secret != "non":
            row = by_level.setdefault(k[0], [0, 0, 0, 0])
            at = 0 if c.secret == "primaire" else 2
            row[at] += 1
            row[at + 1] += c.emp or 0
    return Secrecy(len(outcome.secondary), by_level, outcome.programmes, outcome.rounds)


def _secrecy_report(done: Secrecy, level: float, sirene: bool) -> str:
    """One French sentence: cells and jobs hidden, by level, and the protection asked."""
    n_primary = sum(r[0] for r in done.by_level.values())
    jobs = [sum(r[j] for r in done.by_level.values()) for j in (1, 3)]
    levels = " ; ".join(
        f"{lvl} {r[0]} + {r[2]}" for lvl, r in sorted(
            done.by_level.items(), key=lambda kv: LEVEL_RANK.get(kv[0], 9)))
    return (f"secret statistique : {n_primary} case(s) primaire(s), {done.hidden} "
            f"secondaire(s) ; emplois ESS masqués : {jobs[0]} (primaires) et {jobs[1]} "
            f"(secondaires) ; par niveau (primaires + secondaires) : {levels or 'aucun'}. "
            f"Protection : aucun encadrement déductible des cases publiées ne s'approche à moins "
            f"de {level * 100:g} % (1 emploi au moins) de la valeur d'une case primaire "
            f"({done.programmes} programmes linéaires, {done.rounds} tours"
            + ("; zéros connus de SIRENE exclus des cases complémentaires" if sirene else "")
            + ").")


def validate(con, files: dict[str, Path], names: dict[str, str], options: dict) -> Prepared:
    """Read and check the file, sum, recompute shares and apply secrecy; refuse if unfit."""
    name = names["FILE"]
    table = read_table(files["FILE"], ALIASES, REQUIRED, display_name=name)
    geo = run_query(con, "imports/territory_tree")
    known = {lvl: set(geo.loc[geo["level"] == lvl, "code"]) for lvl in LEVELS}
    cells, problems = _read(table, name, known)
    refuse_if(problems)
    rurality = run_query(con, "imports/commune_rural_flags")
    equations, remainders, problems, notes = _aggregate(cells, geo, rurality, name)
    for (level, code, year, fam), cell in cells.items():
        if fam or cell.origin != "fichier":
            continue
        fams = [cells[(level, code, year, f)] for f in FAMILY_LABELS
                if (level, code, year, f) in cells]
        for attr, what in (("etab", "établissements"), ("emp", "emplois")):
            values = [getattr(f, attr) for f in fams]
            if getattr(cell, attr) is not None and None not in values and \
                    sum(values) > getattr(cell, attr):
                problems.append(Problem(name, f"{level} {code} {year} : la somme des familles "
                                              f"({sum(values)} {what}) dépasse l'ensemble de "
                                              f"l'ESS ({getattr(cell, attr)})", cell.line))
    refuse_if(problems)
    zeros = run_query(con, "imports/sirene_known_zero")
    known_zero = {("commune", c, year, f) for c, f in zip(zeros["commune_code"], zeros["famille"])
                  for year in {k[2] for k in cells}}
    level = options.get("protection", secrecy.LEVEL * 100)
    if not isinstance(level, (int, float)) or not 0 < level <= 100:
        raise ImportRefused([Problem(name, f"niveau de protection « {level} » : attendu un "
                                           "pourcentage strictement positif, 100 au plus")])
    level = float(level) / 100
    done = _protect(cells, equations, remainders, known_zero, level)
    report = [f"Emploi ESS : {len(table.rows)} lignes lues, {len(cells)} cases au total "
              f"(dont {sum(c.origin == 'somme' for c in cells.values())} sommées) ; "
              + _secrecy_report(done, level, bool(len(zeros)))]
    report += notes[:20] + ([f"… et {len(notes) - 20} autre(s)"] if len(notes) > 20 else [])
    slug = re.sub(r"[^0-9a-z]+", "_", norm(Path(name).stem)).strip("_")[:60] or "fichier"
    return Prepared(n_rows={"FILE": len(table.rows)}, target=f"import_ess_emploi_{slug}",
                    data={"cells": cells, "name": name,
                          "producer": options.get("producteur")}, report=report)


def _frames(prepared: Prepared, entry: dict) -> dict[str, pd.DataFrame]:
    source_id = prepared.target
    cells_rows, obs = [], []
    for (level, code, year, fam), c in sorted(prepared.data["cells"].items()):
        shown = c.secret == "non"
        whole = prepared.data["cells"].get((level, code, year, ""))
        if fam == "":
            share = 100 * c.emp / c.tot if shown and c.emp is not None and c.tot else None
        else:
            share = (100 * c.emp / whole.emp if shown and whole and whole.secret == "non"
                     and c.emp is not None and whole.emp else None)
        cells_rows.append((entry["id"], source_id, level, code, year, fam,
                           c.etab if shown else None, c.emp if shown else None,
                           c.tot if shown else None, share, c.origin, c.secret))
        if not shown or level not in OBSERVED:
            continue
        tcode = code
        note = "somme des territoires du fichier" if c.origin == "somme" else None
        ids = (("etablissements_employeurs_ess", "effectifs_salaries_ess",
                "part_ess_emploi_salarie") if fam == "" else
               ("etablissements_famille_ess", "emploi_famille_ess", "part_famille_emploi_ess"))
        for ind, value in zip(ids, (c.etab, c.emp, share)):
            if value is not None:
                obs.append((ind, level, tcode, year, fam, source_id, float(value), None,
                            "part recalculée à partir des effectifs" if ind.startswith("part")
                            else note))
    return {
        "staging_cells": pd.DataFrame(cells_rows, columns=[
            "import_id", "source_id", "level", "code", "year", "famille", "etablissements",
            "emplois_ess", "emplois_total", "part_ess", "origin", "secret"]).astype(
            {"etablissements": "Int64", "emplois_ess": "Int64", "emplois_total": "Int64",
             "part_ess": "float64"}),
        "staging_observations": pd.DataFrame(obs, columns=[
            "indicator_id", "territory_level", "territory_code", "period", "breakdown_value",
            "source_id", "value", "qualifier", "note"]).astype({"qualifier": "string"}),
    }


def apply(con, prepared: Prepared, entry: dict) -> list[str]:
    """Write the cells, the observations, their source (kind `import`) and missing labels."""
    d = prepared.data
    for name, df in _frames(prepared, entry).items():
        stage(con, name, df)
    stage(con, "staging_source", pd.DataFrame([{
        "source_id": prepared.target,
        "title": f"Emploi de l'ESS par territoire (fichier importé « {d['name']} »)",
        "publisher": d["producer"] or "Fichier importé (producteur non précisé)",
        "published": entry["imported_at"][:10], "url": None, "read_at_url": None,
        "licence": None, "kind": "import",
        "notes": (f"Import n° {entry['id']} du {entry['imported_at'][:10]} (empreinte SHA-256 "
                  "dans l'historique des imports). Parts recalculées à partir des effectifs ; "
                  "cases sous le seuil de 3 établissements ou marquées secrètes, et cases "
                  "masquées pour qu'aucune ne se retrouve par soustraction : « secret "
                  "statistique »."),
    }]))
    stage(con, "staging_indicators", pd.DataFrame(
        [(i, t, lf, le, df_, de, u, dec, b, prepared.target, False,
          "Ajouté par un import (modèle emploi ESS).")
         for i, (t, u, dec, b, lf, le, df_, de) in INDICATORS.items()],
        columns=["indicator_id", "theme", "label_fr", "label_en", "definition_fr",
                 "definition_en", "unit", "decimals", "breakdown", "default_source_id",
                 "mappable", "notes"]))
    stage(con, "staging_breakdowns", pd.DataFrame(
        [("famille", f, lf, le, o) for f, (lf, le, o) in FAMILY_LABELS.items()],
        columns=["breakdown", "breakdown_value", "label_fr", "label_en", "sort_order"]))
    run_query(con, "imports/ess_emploi_apply")
    return []
