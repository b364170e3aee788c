"""`make bench`: build time, page run times (server) and time to first chart (Chromium).

Prints a table and writes bench/results/latest.json. Targets (2-core machine): build <= 30 s;
every page <= 200 ms warm server-side; every page within 1.3x the floor in the browser, the map
page within 1.5x.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from ess_data.build import build
from ess_data.config import ROOT, db_path

PAGES = {  # path -> selector that means "the first chart or table is visible"
    "/": ".js-plotly-plot .main-svg",
    "/territoires": ".js-plotly-plot canvas",
    "/territoire?niveau=departement&code=48": ".js-plotly-plot .main-svg",
    "/dla": ".js-plotly-plot .main-svg",
    "/ptce": ".js-plotly-plot .main-svg",
    "/acteurs": "[data-testid=stDataFrame]",
    "/sources": "[data-testid=stDataFrame]",
}
SCRIPTS = {"/": "accueil", "/territoires": "territoires", "/territoire?niveau=departement&code=48":
           "territoire", "/dla": "dla", "/ptce": "ptce", "/acteurs": "acteurs",
           "/sources": "sources"}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))


def bench_build() -> float:
    """Seconds to build the warehouse from scratch (median of 3)."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(3):
            t0 = time.perf_counter()
            build(Path(tmp) / f"b{i}.duckdb")
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_server() -> dict:
    """Server-side run time of each page through AppTest: cold (first run) and warm (median)."""
    from streamlit.testing.v1 import AppTest
    out = {}
    for path, script in SCRIPTS.items():
        params = dict(p.split("=") for p in path.split("?")[1].split("&")) if "?" in path else {}
        runs = []
        for _ in range(REPEATS + 1):
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
            for k, v in params.items():
                at.query_params[k] = v
            at.switch_page(f"pages/{script}.py")
            t0 = time.perf_counter()
            at.run()
            runs.append(time.perf_counter() - t0)
            if at.exception:
                raise RuntimeError(f"{script}: {at.exception[0].value}")
        out[path] = {"cold_ms": runs[0] * 1e3, "warm_ms": statistics.median(runs[1:]) * 1e3}
    return out


def _serve(script: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1"], cwd=ROOT, env={**os.environ, "ESS_DB": str(db_path())},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{script} did not start")


def _visible(browser, url: str, selector: str) -> float:
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(selector, timeout=120_000)
    elapsed = time.perf_counter() - t0
    ctx.close()
    return elapsed


def bench_browser() -> dict:
    """Seconds to first visible chart per page, warm (2nd+ visit), next to the bare-page floor."""
    from playwright.sync_api import sync_playwright
    app = _serve(ROOT / "dashboard.py", 8765)
    floor = _serve(ROOT / "bench" / "floor_app.py", 8766)
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            floor_times = [_visible(browser, "http://127.0.0.1:8766/",
                                    "[data-testid=stMetric]") for _ in range(REPEATS + 1)]
            out["floor"] = statistics.median(floor_times[1:])
            for path, selector in PAGES.items():
                times = [_visible(browser, f"http://127.0.0.1:8765{path}", selector)
                         for _ in range(REPEATS + 1)]
                out[path] = statistics.median(times[1:])
            browser.close()
    finally:
        app.terminate()
        floor.terminate()
    return out


def main() -> int:
    """Run every benchmark and print the table."""
    results = {"build_s": bench_build(), "server": bench_server(), "browser": bench_browser()}
    print(f"\nWarehouse build: {results['build_s']:.2f} s (target <= 30 s)\n")
    floor = results["browser"]["floor"]
    print(f"{'page':42} {'cold ms':>8} {'warm ms':>8} {'browser s':>10} {'x floor':>8}")
    print(f"{'(bare one-metric page: the floor)':42} {'':>8} {'':>8} {floor:>10.2f} {1:>8.2f}")
    for path, s in results["server"].items():
        b = results["browser"][path]
        print(f"{path:42} {s['cold_ms']:>8.0f} {s['warm_ms']:>8.0f} {b:>10.2f} {b / floor:>8.2f}")
    print("\nTargets: warm <= 200 ms; browser <= 1.3x floor (map page <= 1.5x).")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
