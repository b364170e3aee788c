"""`make bench-serve`: issue 13's targets measured through the production mode (`make serve`).

Three runs of the load simulator (bench/load.py), each starting its own `python -m ess_data.serve`
on loopback and loading it through HAProxy:

1. one worker, tabs back to back (saturation): runs/s;
2. two workers, the same load: runs/s, and the ratio to one worker (target >= 1.7);
3. two workers, tabs clicking every 3-9 s at 1, 50 and 200 tabs, each load followed by the
   recovery probe: p95 (target <= 1.5 s at 50 tabs), errors (target 0), memory per open tab,
   seconds until one tab is back within 1.2x its floor (target <= 10 s).

It prints each run's tables, then the targets next to what was measured. A benchmark, not a test:
nothing fails; a shared or busy machine shows in the "others" CPU column of each table.

    python -m bench.serve [--saturation-tabs 20] [--workers 2]
"""
import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench import load


def _run(argv: list[str]) -> dict:
    out = Path(tempfile.mkstemp(prefix="bench-serve-", suffix=".json")[1])
    try:
        if load.main([*argv, "--json", str(out)]) != 0:
            raise SystemExit(f"bench.load {' '.join(argv)} failed")
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.serve", description=__doc__.split("\n")[0])
    p.add_argument("--saturation-tabs", type=int, default=20,
                   help="tabs back to back for the one- vs two-worker comparison (default 20)")
    p.add_argument("--workers", type=int, default=2, help="workers of the scaled runs (2)")
    args = p.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    n = str(args.saturation_tabs)
    print(f"== 1 worker, {n} tabs back to back ==")
    one = _run(["--serve", "1", "--sessions", n, "--pace", "back-to-back", "--no-recovery"])
    print(f"\n== {args.workers} workers, {n} tabs back to back ==")
    two = _run(["--serve", str(args.workers), "--sessions", n, "--pace", "back-to-back",
                "--no-recovery"])
    print(f"\n== {args.workers} workers, 1, 50 and 200 tabs clicking every 3-9 s ==")
    think = _run(["--serve", str(args.workers), "--sessions", "1,50,200", "--pace", "think"])

    r1, r2 = one["loads"][0]["runs_per_s"] or 0, two["loads"][0]["runs_per_s"] or 0
    by_tabs = {r["sessions"]: r for r in think["loads"]}
    fifty, many = by_tabs[50], by_tabs[200]
    rec = [r.get("recovery_s") for r in think["loads"]]
    worst = None if None in rec else max(rec)
    rows = [
        ("50 tabs, click every 3-9 s: p95 per run", "<= 1.5 s",
         f"{fifty['p95']:.2f} s" if fifty["p95"] is not None else "-"),
        ("50 tabs: errors", "0", str(fifty["errors"])),
        ("200 tabs: errors", "0", str(many["errors"])),
        ("200 tabs: p95 per run", "reported",
         f"{many['p95']:.2f} s" if many["p95"] is not None else "-"),
        ("200 tabs: memory per open tab", "reported, bounded",
         f"{many['rss_per_tab'] / 1e6:.2f} MB" if many["rss_per_tab"] is not None else "-"),
        (f"{n} tabs back to back: {args.workers} workers / 1 worker", ">= 1.7x",
         f"{r2 / r1:.2f}x ({r2:.1f} / {r1:.1f} runs/s)" if r1 else "-"),
        ("after each load: back within 1.2x the floor", "<= 10 s",
         f"{worst:.1f} s (worst)" if worst is not None else "> 60 s"),
    ]
    print(f"\n{'target (issue 13, through make serve)':52} {'wanted':>18} {'measured':>28}")
    for what, wanted, got in rows:
        print(f"{what:52} {wanted:>18} {got:>28}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
