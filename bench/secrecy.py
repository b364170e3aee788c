"""`make bench-secrecy`: statistical secrecy on a national commune-level `ess-emploi` file.

Writes a file in the project's template for all communes of the warehouse, with counts drawn at
random (seeded) so that about one commune in five has 1 or 2 establishments (primary secret),
then times the validation (read, sums, shares, primary and secondary secrecy) on the served
warehouse, read-only, and prints the exact checks made and how many cells of each level were hidden.
Nothing is imported.
"""
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from ess_data import db
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


def main() -> int:
    con = db.connect()
    rounds = []
    found = ess_emploi._System.found

    def counted(system):
        result = found(system)
        rounds.append((len(system.secret), len(result)))
        return result
    ess_emploi._System.found = counted
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "national.csv"
        n = generate(con, path)
        started = time.perf_counter()
        prepared = ess_emploi.validate(con, {"FILE": path}, {"FILE": path.name}, {})
        seconds = time.perf_counter() - started
    hidden = Counter(k[0] for k, c in prepared.data["cells"].items()
                     if c.secret == "secondaire")
    print(f"{len(rounds)} exact checks of the whole system (one per round, and a few for "
          f"cells no candidate protects on its own group); first: {rounds[0][0]} secret "
          f"cells, {rounds[0][1]} recoverable; last: {rounds[-1][0]} secret, "
          f"{rounds[-1][1]} recoverable")
    print(f"{n} communes: validation with secrecy {seconds:.1f} s; "
          f"secondary cells by level: {dict(hidden)}")
    print(prepared.report[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
