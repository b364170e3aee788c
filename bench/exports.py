"""Export timings: `python -m bench.exports` (on $ESS_DB or data/ess.duckdb, with Chromium).

Targets (2-core machine): one chart to PNG with a warm engine <= 1 s; one region deck
<= 10 s; all 18 regions <= 2 min. Prints a table and writes bench/results/exports.json.
"""
import json
import statistics
import sys
import time
from pathlib import Path

from ess_data import db, figures
from ess_data.config import ROOT, db_path
from ess_data.export import charts, deck
from ess_data.registry import load_registry

REPEATS = 5
TARGETS = {"png_warm_s": 1.0, "deck_pptx_s": 10.0, "deck_pdf_s": 10.0,
           "all_regions_pptx_s": 120.0, "all_regions_pdf_s": 120.0}


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> int:
    """Measure, print, save; exit 1 when a target is missed."""
    reason = charts.unavailable_reason()
    if reason:
        print(reason, file=sys.stderr)
        return 1
    con = db.connect(db_path())
    ind = load_registry(con).get(deck.ESS_SHARE)
    prof = db.run_query(con, "territory_profile", level="region", code="53")
    prof = prof[(prof["indicator_id"] == ind.indicator_id)
                & (prof["source_id"] == ind.default_source_id)].sort_values("period")
    fig = figures.compare_bars(prof, ind, "Bretagne")
    out = {"png_cold_s": _timed(lambda: charts.to_image(fig, "png"))}  # engine start included
    out["png_warm_s"] = statistics.median(_timed(lambda: charts.to_image(fig, "png"))
                                          for _ in range(REPEATS))
    out["svg_warm_s"] = statistics.median(_timed(lambda: charts.to_image(fig, "svg"))
                                          for _ in range(REPEATS))
    out["pdf_warm_s"] = statistics.median(_timed(lambda: charts.to_image(fig, "pdf"))
                                          for _ in range(REPEATS))
    for fmt in ("pptx", "pdf", "xlsx"):
        out[f"deck_{fmt}_s"] = _timed(lambda fmt=fmt: deck.export(con, "region", "53", fmt))
    codes = db.run_query(con, "territory_list", level="region", region_code=None)["code"]
    for fmt in ("pptx", "pdf", "xlsx"):
        out[f"all_regions_{fmt}_s"] = _timed(
            lambda fmt=fmt: [deck.export(con, "region", c, fmt) for c in codes])
    out["n_regions"] = len(codes)
    con.close()
    charts.stop_engine()
    missed = []
    print(f"{'mesure':<22}{'secondes':>10}{'cible':>8}")
    for name, value in out.items():
        if name == "n_regions":
            continue
        target = TARGETS.get(name)
        flag = "" if target is None or value <= target else "  DÉPASSÉ"
        if flag:
            missed.append(name)
        print(f"{name:<22}{value:>10.2f}{(f'{target:.0f}' if target else ''):>8}{flag}")
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    Path(results / "exports.json").write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
