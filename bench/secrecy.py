"""`make bench-secrecy`: statistical secrecy on a national commune-level `ess-emploi` file.

Writes a file in the project's template for all communes of the warehouse, with counts drawn at
random (seeded) so that about one commune in five has 1 or 2 establishments (primary secret),
then times the validation (read, sums, shares, primary and secondary secrecy) on the served
warehouse, read-only, and prints how many cells of each level were hidden, the jobs hidden and
the linear programmes solved. Then an independent attacker (ess_data.attacker: linear
programmes over the whole published table) audits every primary cell (or `--audit N` drawn at
random) and prints any that it can bring within the protection level; `--sans-secondaire` runs
the same audit with the complementary cells published, to show that it finds leaks when there
are some. Nothing is imported.
"""
import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from ess_data import attacker, db
from ess_data.imports import ess_emploi

COUNTS = [0, 1, 2, 3, 5, 10, 30]
WEIGHTS = [.3, .12, .08, .15, .15, .12, .08]


def generate(con, out: Path, seed: int = 1) -> int:
    """One row per commune for 2022; returns the number of rows."""
    codes = [c for (c,) in con.execute(
        "SELECT code FROM territories WHERE level = 'commune' ORDER BY code").fetchall()]
    rng = np.random.default_rng(seed)
    with out.open("w", encoding="utf-8") as f:
        f.write("niveau;code;annee;famille;etablissements_ess;emplois_salaries_ess;"
                "emplois_salaries_total;secret\n")
        for code in codes:
            etab = int(rng.choice(COUNTS, p=WEIGHTS))
            emp = etab * int(rng.integers(1, 12))
            f.write(f"commune;{code};2022;;{etab};{emp};{emp + int(rng.integers(5, 300))};\n")
    return len(codes)


def published_tree(con) -> list[tuple]:
    """The equations of a whole-ESS commune table, written from the territory tree and the
    rural definitions here (not taken from the import code): (parent, children) keys."""
    rows = con.execute("SELECT level, code, epci_code, departement_code, region_code "
                       "FROM territories WHERE level IN ('commune', 'departement', 'region')"
                       ).fetchall()
    groups: dict = {}
    for level, code, epci, dep, reg in rows:
        if level == "commune":
            if epci:
                groups.setdefault(("epci", epci), []).append(("commune", code))
            groups.setdefault(("departement", dep), []).append(("commune", code))
        elif level == "departement":
            groups.setdefault(("region", reg), []).append(("departement", code))
        else:
            groups.setdefault(("france", "FR"), []).append(("region", code))
    for def_id, commune, rural in con.execute(
            "SELECT r.rural_definition_id, r.commune_code, r.is_rural FROM commune_rurality r "
            "JOIN rural_definitions d USING (rural_definition_id) "
            "WHERE d.commune_level AND r.is_rural IS NOT NULL").fetchall():
        groups.setdefault(("rural" if rural else "hors_rural", def_id), []).append(
            ("commune", commune))
    return list(groups.items())


def audit(con, cells: dict, n: int, seed: int = 3) -> tuple[int, dict, float]:
    """Audit `n` primary cells drawn at random: (audited, breaches, seconds)."""
    year = next(iter(cells))[2]
    jobs = {k[:2]: (c.emp if c.secret == "non" else None) for k, c in cells.items()
            if k[3] == ""}
    totals = {k[:2]: (c.tot if c.secret == "non" else None) for k, c in cells.items()
              if k[3] == "" and (c.tot is not None or c.secret != "non")}
    equations = [(p, cs) for p, cs in published_tree(con) if p in jobs]
    primary = {k[:2]: c.emp for k, c in cells.items() if c.secret == "primaire" and k[2] == year}
    sample = dict(random.Random(seed).sample(sorted(primary.items()), min(n, len(primary))))
    started = time.perf_counter()
    found = attacker.breaches(attacker.Audit(jobs, equations, totals), sample)
    return len(sample), found, time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--audit", type=int, default=None, help="primary cells audited "
                        "(default: all)")
    parser.add_argument("--sans-secondaire", action="store_true",
                        help="audit with the complementary cells published (leaks expected)")
    args = parser.parse_args(argv)
    con = db.connect()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "national.csv"
        n = generate(con, path)
        started = time.perf_counter()
        prepared = ess_emploi.validate(con, {"FILE": path}, {"FILE": path.name}, {})
        seconds = time.perf_counter() - started
    cells = prepared.data["cells"]
    print(f"{n} communes: validation with secrecy {seconds:.1f} s")
    print(prepared.report[0])
    if args.sans_secondaire:
        for c in cells.values():
            c.secret = "non" if c.secret == "secondaire" else c.secret
    audited, found, took = audit(con, cells, args.audit or len(cells))
    print(f"independent attacker (whole table, {audited} primary cells): "
          f"{len(found)} within the protection level, {took:.1f} s "
          f"({took / max(audited, 1):.2f} s a cell)")
    for key, (lo, hi) in list(found.items())[:10]:
        print(f"  {key}: deduced [{lo:g}, {hi:g}]")
    return 1 if found and not args.sans_secondaire else 0


if __name__ == "__main__":
    sys.exit(main())
