"""Bench of `import sirene` on generated SIRENE-shaped files, next to a bare DuckDB floor.

    .venv/bin/python -m bench.imports [--sizes 1000000 10000000] [--keep DIR]

Generates a StockEtablissement / StockUniteLegale pair per size (official column names, code
distributions close to the real stock: about 45 % of establishments active, 6 % of legal units
flagged ESS, mostly associations, size bands mostly NN), then measures, each in its own process
(wall time and peak resident memory from the kernel):
- the floor: one DuckDB query joining the two files and grouping active ESS establishments by
  commune and size band;
- the full import (`python -m ess_data import sirene`, validation included) into a copy of the
  shipped warehouse.
Writes bench/results/imports.json. Not run in CI (it needs a few GB of disk at 10 M rows).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from ess_data.config import DEFAULT_DB, REFERENCE_DIR, ROOT

RESULTS = ROOT / "bench" / "results" / "imports.json"
DATE = "2025-11-01"
# (value, cumulative threshold out of 1000), drawn from a hash of the row number
TRANCHES = [("NN", 700), ("00", 800), ("01", 880), ("02", 920), ("03", 950), ("11", 970),
            ("12", 985), ("21", 992), ("22", 996), ("31", 997), ("32", 998), ("41", 999),
            ("42", 1000)]
CATEGORIES = [("9220", 700), ("5458", 740), ("5460", 760), ("6317", 800), ("8210", 840),
              ("6411", 850), ("9300", 870), ("5710", 1000)]


def _pick(expr: str, table: list[tuple[str, int]]) -> str:
    """A SQL CASE choosing a value of `table` from `expr` in [0, 1000) (constants only)."""
    arms = " ".join(f"WHEN {expr} < {cut} THEN '{value}'" for value, cut in table)
    return f"CASE {arms} END"


def generate(n: int, out: Path) -> tuple[Path, Path]:
    """Write StockEtablissement/StockUniteLegale CSV files of `n` establishments into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    etab, ul = out / f"StockEtablissement_{DATE}.csv", out / f"StockUniteLegale_{DATE}.csv"
    if etab.exists() and ul.exists():
        return etab, ul
    units = max(1, int(n / 1.6))
    con = duckdb.connect()
    con.read_parquet(str(REFERENCE_DIR / "communes.parquet")).project("code").create_view("c0")
    con.execute("CREATE TABLE communes AS SELECT row_number() OVER (ORDER BY code) - 1 AS ci, code "
                "FROM (SELECT code FROM c0 UNION ALL SELECT '75101' UNION ALL SELECT '13201')"
                ).fetchall()
    n_communes = con.execute("SELECT count(*) FROM communes").fetchall()[0][0]
    h = "(hash(i, {salt}) % 1000)"
    con.sql(f"""
        SELECT CAST(100000000 + i AS VARCHAR) AS siren,
               'O' AS statutDiffusionUniteLegale,
               '2000-01-01' AS dateCreationUniteLegale,
               CASE WHEN {h.format(salt=1)} < 60 THEN 'O'
                    WHEN {h.format(salt=1)} < 660 THEN 'N' END
                   AS economieSocialeSolidaireUniteLegale,
               {_pick(h.format(salt=2), CATEGORIES)} AS categorieJuridiqueUniteLegale,
               CASE WHEN {h.format(salt=3)} < 600 THEN 'A' ELSE 'C' END
                   AS etatAdministratifUniteLegale,
               '94.99Z' AS activitePrincipaleUniteLegale
        FROM range({units}) t(i)""").write_csv(str(ul))
    con.sql(f"""
        WITH rows AS (SELECT i, i % {units} AS u, i // {units} AS k FROM range({n}) t(i))
        SELECT CAST(100000000 + u AS VARCHAR) AS siren,
               lpad(CAST(k + 1 AS VARCHAR), 5, '0') AS nic,
               CAST(100000000 + u AS VARCHAR) || lpad(CAST(k + 1 AS VARCHAR), 5, '0') AS siret,
               'O' AS statutDiffusionEtablissement,
               '2010-01-01' AS dateCreationEtablissement,
               {_pick(h.format(salt=4), TRANCHES)} AS trancheEffectifsEtablissement,
               '2023' AS anneeEffectifsEtablissement,
               'false' AS etablissementSiege,
               CASE WHEN {h.format(salt=5)} < 10 THEN NULL ELSE c.code END
                   AS codeCommuneEtablissement,
               CASE WHEN {h.format(salt=6)} < 450 THEN 'A' ELSE 'F' END
                   AS etatAdministratifEtablissement,
               '94.99Z' AS activitePrincipaleEtablissement,
               CASE WHEN {_pick(h.format(salt=4), TRANCHES)} = 'NN' THEN 'N' ELSE 'O' END
                   AS caractereEmployeurEtablissement
        FROM rows JOIN communes c ON c.ci = hash(rows.i, 8) % {n_communes}""").write_csv(str(etab))
    con.close()
    # siret = siren + nic, unique as (u, k) is; the join above keeps every row
    return etab, ul


FLOOR = """
import sys, duckdb
con = duckdb.connect()
con.read_csv(sys.argv[1], header=True, all_varchar=True).create_view("e")
con.read_csv(sys.argv[2], header=True, all_varchar=True).create_view("u")
n = con.execute(
    "SELECT count(*) FROM (SELECT e.codeCommuneEtablissement, e.trancheEffectifsEtablissement, "
    "count(*) FROM e JOIN u USING (siren) WHERE u.economieSocialeSolidaireUniteLegale = 'O' "
    "AND e.etatAdministratifEtablissement = 'A' GROUP BY ALL)").fetchone()[0]
print(n)
"""


def measure(cmd: list[str]) -> dict:
    """Wall time and peak RSS (MB) of a command run in its own process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:4]} failed ({proc.returncode}):\n{err[-2000:]}")
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024),
            "stdout": out.strip().splitlines()[-3:]}


def run(sizes: list[int], keep: Path | None) -> dict:
    """Generate, measure floor and import for each size; return the results."""
    work = keep or Path(tempfile.mkdtemp(prefix="ess-bench-imports-"))
    results = {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(), "sizes": []}
    try:
        for n in sizes:
            t = time.perf_counter()
            etab, ul = generate(n, work / f"n{n}")
            gen = round(time.perf_counter() - t, 1)
            floor = measure([sys.executable, "-c", FLOOR, str(etab), str(ul)])
            target = work / f"n{n}" / "data" / "ess.duckdb"
            shutil.rmtree(target.parent, ignore_errors=True)
            target.parent.mkdir(parents=True)
            shutil.copyfile(DEFAULT_DB, target)
            imp = measure([sys.executable, "-m", "ess_data", "import", "sirene",
                           "--etablissements", str(etab), "--unites-legales", str(ul),
                           "--db", str(target)])
            row = {"rows": n, "generate_s": gen, "csv_mb": round(etab.stat().st_size / 2**20),
                   "floor": floor, "import": imp,
                   "ratio_time": round(imp["seconds"] / max(floor["seconds"], 0.1), 1)}
            results["sizes"].append(row)
            print(f"{n:>11,} lignes : plancher DuckDB {floor['seconds']} s / "
                  f"{floor['peak_rss_mb']} Mo ; import {imp['seconds']} s / "
                  f"{imp['peak_rss_mb']} Mo (x{row['ratio_time']})", flush=True)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> int:
    """Command line of the bench."""
    p = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    p.add_argument("--keep", type=Path, default=None, help="keep generated files in this folder")
    args = p.parse_args(argv)
    if not DEFAULT_DB.exists():
        print(f"{DEFAULT_DB} manquant : lancez `make build`.", file=sys.stderr)
        return 1
    results = run(args.sizes, args.keep)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"Résultats : {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
