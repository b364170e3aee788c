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
  (0 is published: no unit to protect); then more cells are hidden until no secret cell can be
  recovered from the published ones through the equations "parent = sum of children" and
  "whole ESS = sum of families", solved together (so EPCI and departments crossing the same
  communes cannot be subtracted from each other). Secret cells are stored without any number.
"""
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

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
MAX_TRIED = 60  # candidate cells tried per step of secondary secrecy
FULL_TRIED = 10  # ... of which tried on the whole system when none works on its own group
EXACT_CHOICE = 1000  # up to this many secret cells, candidates are tried one by one
TOL = 1e-9
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
    # whole ESS = sum of its families, where the families given add up to it exactly (otherwise
    # an unpublished remainder - other legal forms - is an unknown of its own: no equation)
    for (level, code, year, fam), whole in list(cells.items()):
        if fam == "":
            fams = [(level, code, year, f) for f in FAMILY_LABELS
                    if (level, code, year, f) in cells]
            if fams and all(_add(0, cells[k].etab) is not None for k in fams) and \
                    sum(cells[k].etab for k in fams) == whole.etab:
                equations.append(((level, code, year, ""), fams))
    for cell in cells.values():
        if cell.origin == "somme" and cell.etab is not None and 0 < cell.etab < THRESHOLD:
            cell.secret = "primaire"
    return equations, problems, notes


def _members(e: tuple) -> tuple:
    return (e[0], *e[1])


def _row(e: tuple, index: dict) -> np.ndarray:
    """Coefficients of equation `e` (parent - children) on the secret cells of `index`."""
    r = np.zeros(len(index))
    if e[0] in index:
        r[index[e[0]]] += 1
    for c in e[1]:
        if c in index:
            r[index[c]] -= 1
    return r


def _in_row_space(a: np.ndarray) -> np.ndarray:
    """For each column j of `a`, whether the unit vector e_j lies in the row space of `a`."""
    if a.shape[0] == 0:
        return np.zeros(a.shape[1], dtype=bool)
    _, sv, vt = np.linalg.svd(a, full_matrices=False)
    basis = vt[: int((sv > TOL).sum())]
    return (basis ** 2).sum(axis=0) > 1 - 1e-9


def _blocks(secret: set, local: list[tuple]) -> dict:
    """Groups of secret cells linked by local equations: root -> (cells, equations)."""
    parent_of = {k: k for k in secret}

    def find(k):
        while parent_of[k] != k:
            parent_of[k] = parent_of[parent_of[k]]
            k = parent_of[k]
        return k
    touching = []
    for e in local:
        members = [k for k in _members(e) if k in secret]
        touching.append(members)
        for k in members[1:]:
            parent_of[find(k)] = find(members[0])
    blocks: dict = {}
    for k in secret:
        blocks.setdefault(find(k), (set(), []))[0].add(k)
    for e, members in zip(local, touching):
        if members:
            blocks[find(members[0])][1].append(e)
    return blocks


class _System:
    """The secret cells as unknowns of the equations, split in groups (blocks) linked by local
    equations, with each group's share of the few long rural / rest-of-the-country equations.

    Exact, and fast on a national file: the local equations (communes, EPCI, departments,
    regions, families) are solved per group (one SVD each); the long equations, which link every
    group, are added to a group only through the combinations that vanish on every other group
    (computed from each group's null space: a k x k problem for k such equations). Built once per
    round of secondary secrecy; `would_protect` then tries a candidate cell on one group only.
    """

    def __init__(self, secret: set, equations: list[tuple]):
        self.secret = set(secret)
        self.local = [e for e in equations if e[0][0] not in GLOBAL]
        self.glob = [e for e in equations
                     if e[0][0] in GLOBAL and any(k in secret for k in _members(e))]
        self.glob_index = {id(e): j for j, e in enumerate(self.glob)}
        self.coef: dict = {}  # secret cell -> [(long equation, coefficient)]
        for j, e in enumerate(self.glob):
            for k, c in [(e[0], 1.0), *((child, -1.0) for child in e[1])]:
                if k in self.secret:
                    self.coef.setdefault(k, []).append((j, c))
        self.blocks = _blocks(self.secret, self.local)
        self.block_of = {k: root for root, (cols, _) in self.blocks.items() for k in cols}
        self.parts = {root: self._part(cols, eqs) for root, (cols, eqs) in self.blocks.items()}
        self.gram = np.zeros((len(self.glob), len(self.glob)))
        for part in self.parts.values():
            self.gram += part["v"].T @ part["v"]

    def _part(self, cols, eqs) -> dict:
        """A group: its cells' index, the squared norms of their unit vectors' projection on
        the row space of its local equations, the null space, and the long equations on it."""
        index = {k: j for j, k in enumerate(sorted(cols))}
        a = np.array([_row(e, index) for e in eqs]).reshape(len(eqs), len(index))
        g = np.zeros((len(index), len(self.glob)))
        for k, i in index.items():
            for j, c in self.coef.get(k, ()):
                g[i, j] += c
        if len(a):
            _, sv, vt = np.linalg.svd(a, full_matrices=True)
            rank = int((sv > TOL).sum())
            inside, null = (vt[:rank] ** 2).sum(axis=0), vt[rank:]
        else:
            inside, null = np.zeros(len(index)), np.eye(len(index))
        return {"index": index, "inside": inside, "null": null, "g": g, "v": null @ g}

    def _recoverable(self, part: dict, others: np.ndarray) -> np.ndarray:
        """Which cells of a group follow from the published cells, `others` being the Gram
        matrix of the long equations on every other group: a cell is recoverable when its unit
        vector lies in the span of the group's local equations and of the long-equation
        combinations that vanish elsewhere (their part outside the local row space is added as
        an orthonormal basis)."""
        inside, v = part["inside"], part["v"]
        if self.glob and np.abs(v).max(initial=0) >= TOL:
            w, q = np.linalg.eigh(others)
            kernel = q[:, w < TOL * max(1.0, float(np.abs(w).max(initial=0)))]
            if kernel.shape[1]:
                extra = v @ kernel  # null-space coordinates of the useful combinations
                basis, sv, _ = np.linalg.svd(extra, full_matrices=False)
                basis = basis[:, sv > TOL * max(1.0, float(sv.max(initial=0)))]
                inside = inside + ((part["null"].T @ basis) ** 2).sum(axis=1)
        return inside > 1 - 1e-9

    def found(self) -> set:
        """Every secret cell whose value follows from the published ones."""
        found = set()
        for part in self.parts.values():
            others = self.gram - part["v"].T @ part["v"]
            found |= {k for k, ok in zip(part["index"], self._recoverable(part, others)) if ok}
        return found

    def would_protect(self, target, cell, by_cell: dict) -> bool:
        """Whether hiding `cell` too leaves `target` unrecoverable (exact; `cell` local)."""
        eqs = [e for e in by_cell.get(cell, ()) if e[0][0] not in GLOBAL]
        roots = {self.block_of[target]} | {self.block_of[m] for e in eqs for m in _members(e)
                                           if m in self.block_of}
        cols = {cell}.union(*(self.blocks[r][0] for r in roots))
        merged = {id(e): e for r in roots for e in self.blocks[r][1]}
        merged.update({id(e): e for e in eqs})
        saved = self.coef.get(cell)
        self.coef[cell] = [(self.glob_index[id(e)], 1.0 if e[0] == cell else -1.0)
                           for e in by_cell.get(cell, ()) if id(e) in self.glob_index]
        try:
            part = self._part(cols, list(merged.values()))
        finally:
            if saved is None:
                del self.coef[cell]
            else:
                self.coef[cell] = saved
        others = self.gram.copy()
        for r in roots:
            others -= self.parts[r]["v"].T @ self.parts[r]["v"]
        return not self._recoverable(part, others)[part["index"][target]]


def _determined(secret: set, equations: list[tuple]) -> set:
    """Secret cells whose value follows from the published ones through the equations.

    Each equation says parent - sum(children) = 0; keeping the secret cells as unknowns, a cell
    is recoverable when some combination of the equations isolates it (its unit vector is in
    their row space). See _System for how this stays fast on a national file.
    """
    return _System(secret, equations).found()


def _secondary(cells: dict, equations: list[tuple]) -> int:
    """Hide more cells until no secret cell can be recovered by adding or subtracting published
    ones; return how many were hidden.

    By rounds: every round checks exactly which secret cells are recoverable, then, for each
    recoverable cell, hides the first open cell of its equations (communes before EPCI,
    departments, regions, rural totals, France; the smallest first) that makes it exactly
    unrecoverable given the round's secret cells, else the most local and smallest one. Up to
    EXACT_CHOICE secret cells, one cell per group of linked secret cells and round, tried against
    the whole system; above (a national commune file), every recoverable cell in the same round,
    tried on its own group only (_System.would_protect), which keeps a round to seconds. A cell
    still recoverable after a round gets candidates one level higher each further round, and
    the rural / rest-of-the-country totals as last resort. Each round hides at least one more
    cell, so the loop ends; it stops only when the exact check finds nothing recoverable.
    """
    secret = {k for k, c in cells.items() if c.secret != "non"}
    by_cell: dict = {}
    for e in equations:
        for k in _members(e):
            by_cell.setdefault(k, []).append(e)

    def rank(k) -> int:
        return LEVEL_RANK.get(k[0], 9)

    def side(k) -> frozenset:  # the long equations a cell is in (its rural class)
        return frozenset(id(e) for e in by_cell.get(k, ()) if e[0][0] in GLOBAL)

    def ranked(keys, like=None) -> list:
        # the most local first; among cells of a level, those sharing the most equations with
        # `like` (a commune of its EPCI and its department before one of its department only),
        # then on its side of the rural split (they pair with it in the long equations too),
        # then the smallest
        if like is None:
            return sorted(set(keys), key=lambda k: (rank(k), cells[k].etab or 0,
                                                    cells[k].emp or 0, k))
        mine, same = {id(e) for e in by_cell[like]}, side(like)
        return sorted(set(keys), key=lambda k: (
            rank(k), -sum(id(e) in mine for e in by_cell.get(k, ())), side(k) != same,
            cells[k].etab or 0, cells[k].emp or 0, k))
    hidden, tries = 0, {}
    while True:
        system = _System(secret, equations)
        found = system.found()
        if not found:
            return hidden
        large = len(secret) > EXACT_CHOICE
        touched, round_hidden = set(), 0
        for target in sorted(found, key=lambda k: (rank(k), k)):
            root = system.block_of[target]
            if root in touched:
                continue
            if not large:  # one cell per group and round, chosen with care
                touched.add(root)
            cols, eqs = system.blocks[root]
            near = [k for e in by_cell[target] if e[0][0] not in GLOBAL
                    for k in _members(e) if k not in secret]
            wide = [k for e in eqs for k in _members(e) if k not in secret]
            # an equation where the target is the only secret cell can only be closed by one of
            # its own members: those first (e.g. the EPCI of a commune alone in it); then the
            # cell's own equations (hiding a cell elsewhere in the group could leave that one
            # alone in its own equations), then the group's
            like = target if large else None
            alone = [k for e in by_cell[target] if e[0][0] not in GLOBAL
                     and not any(m in secret for m in _members(e) if m != target)
                     for k in _members(e) if k != target]
            pool = ranked(alone, like) + [k for k in ranked(near, like) if k not in set(alone)]
            pool += [k for k in ranked(wide, like) if k not in set(pool)]
            tries[target] = tries.get(target, 0) + 1
            floor = tries[target] - 1  # still recoverable after earlier rounds: look higher
            pool = [k for k in pool if rank(k) >= floor] or pool
            if not pool or (large and tries[target] > 1):
                # the rural / rest-of-the-country totals hold communes of the whole country:
                # hidden only when nothing local is left, or when local cells did not do
                pool += ranked(e[0] for k in cols | {target} for e in by_cell.get(k, ())
                               if e[0][0] in GLOBAL and e[0] not in secret)
            pool = pool or ranked(e[0] for e in by_cell[target] if e[0] not in secret)
            # last resort (e.g. a rural total, which is also France minus the other total, or
            # a sum of departments): any open cell of the same year and family, by level
            if not pool:
                pool = ranked(k for k in cells if k[2:] == target[2:] and k not in secret)
                pool = [k for k in pool if rank(k) >= floor] or pool
            if not pool and round_hidden:
                continue  # cells hidden earlier in this round: the next exact check decides
            if not pool:  # never publish a recoverable secret: refuse the file instead
                raise ImportRefused([Problem("secret statistique", "impossible de protéger la "
                                             f"case {' '.join(target)} : fichier refusé")])
            if large:
                choice = next((k for k in pool[:MAX_TRIED] if k[0] not in GLOBAL and
                               system.would_protect(target, k, by_cell)), None)
                if choice is None:  # none does on its group: the whole system decides,
                    # for a few candidates and the rural totals (rare, a fraction of a second
                    # each), else the most local cell, one level higher each round
                    tried = [*pool[:FULL_TRIED], *(k for k in pool if k[0] in GLOBAL)]
                    choice = next((k for k in tried
                                   if target not in _determined(secret | {k}, equations)),
                                  pool[0])
            else:
                choice = next((k for k in pool[:MAX_TRIED]
                               if target not in _determined(secret | {k}, equations)), pool[0])
            if choice in secret:
                continue  # hidden for another cell of this round already
            secret.add(choice)
            cells[choice].secret = "secondaire"
            hidden += 1
            round_hidden += 1


def validate(con, files: dict[str, Path], names: dict[str, str], options: dict) -> Prepared:
    """Read and check the file, sum, recompute shares and apply secrecy; refuse if unfit."""
    name = names["FILE"]
    table = read_table(files["FILE"], ALIASES, REQUIRED, display_name=name)
    geo = run_query(con, "imports/territory_tree")
    known = {lvl: set(geo.loc[geo["level"] == lvl, "code"]) for lvl in LEVELS}
    cells, problems = _read(table, name, known)
    refuse_if(problems)
    rurality = run_query(con, "imports/commune_rural_flags")
    equations, problems, notes = _aggregate(cells, geo, rurality, name)
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
    n_primary = sum(c.secret == "primaire" for c in cells.values())
    n_secondary = _secondary(cells, equations)
    report = [f"Emploi ESS : {len(table.rows)} lignes lues, {len(cells)} cases au total "
              f"(dont {sum(c.origin == 'somme' for c in cells.values())} sommées) ; secret "
              f"statistique : {n_primary} case(s) primaire(s), {n_secondary} secondaire(s)."]
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
