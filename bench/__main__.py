"""`make bench`: build time, page run times (server) and time to first chart (Chromium).

Prints a table and writes bench/results/latest.json. Targets (2-core machine): build <= 30 s;
every page <= 200 ms warm server-side; every page within 1.3x the floor in the browser, the map
page within 1.5x; a map of Grand Est's communes within 2x the floor; choosing Grand Est in the
map page's "Zone" (France's departments -> its departments) within 1.5x the same choice in a bare
page's select box with the same options (bench/floor_zone_app.py).
"""
import json
import logging
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

MAP_DRAWN = ".essmap[data-drawn]"  # the dashboard's map (ui/mapview.js) has painted its canvas
PAGES = {  # path -> selector that means "the first chart or table is visible"
    "/": ".js-plotly-plot .main-svg",
    "/territoires": MAP_DRAWN,
    "/territoire?niveau=departement&code=48": ".js-plotly-plot .main-svg",
    "/dla": ".js-plotly-plot .main-svg",
    "/ptce": ".js-plotly-plot .main-svg",
    "/acteurs": "[data-testid=stTable]",  # the departments and their DLA carriers
    "/sources": "[data-testid=stDataFrame]",
}
MAPS = {  # label -> (URL, zone, level) of /territoires views timed in the browser
    "France, departments": ("/territoires?niveau=departement&zone=france"
                            "&indicateur=densite_population", "france", "departement"),
    "drill: Grand Est, its departments": ("/territoires?niveau=departement&zone=region-44"
                                          "&indicateur=densite_population", "region-44",
                                          "departement"),
    "Lozère, its communes": ("/territoires?niveau=commune&zone=departement-48"
                             "&indicateur=densite_population", "departement-48", "commune"),
    "Grand Est, all its communes": ("/territoires?niveau=commune&zone=region-44"
                                    "&indicateur=densite_population", "region-44", "commune"),
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


class _PageTimes(logging.Handler):
    """Collects the page run durations that dashboard.py logs (the script alone, no harness)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.ms: list[float] = []

    def emit(self, record):
        self.ms.append(float(record.args[1]))


def bench_server() -> dict:
    """Server-side run time of each page script: cold (first run in the process) and warm
    (median of the next runs), measured inside dashboard.py around the page, driven by AppTest."""
    from streamlit.testing.v1 import AppTest
    times = _PageTimes()
    logger = logging.getLogger("ess_dashboard.timing")
    logger.setLevel(logging.DEBUG)
    logger.addHandler(times)
    out = {}
    for path, script in SCRIPTS.items():
        params = dict(p.split("=") for p in path.split("?")[1].split("&")) if "?" in path else {}
        times.ms.clear()
        for _ in range(REPEATS + 1):
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
            for k, v in params.items():
                at.query_params[k] = v
            at.switch_page(f"pages/{script}.py")
            at.run()
            if at.exception:
                raise RuntimeError(f"{script}: {at.exception[0].value}")
        out[path] = {"cold_ms": times.ms[0], "warm_ms": statistics.median(times.ms[1:])}
    logger.removeHandler(times)
    return out


def _serve(script: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1"], cwd=ROOT,
        env={**os.environ, "ESS_DB": str(db_path()), "PYTHONPATH": str(ROOT)},  # floors: ess_data
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{script} did not start")


def _visible(ctx, url: str, selector: str, keep: dict | None = None) -> float:
    """Seconds from navigation to `selector` being visible, in a tab of context `ctx` (its
    cache is shared by the visits, as a person's browser would be). `keep`: the map's own
    decode and draw milliseconds (ui/mapview.js writes them) are stored in it."""
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(selector, state="visible", timeout=120_000)
    elapsed = time.perf_counter() - t0
    if keep is not None:
        keep.setdefault("ms", []).append([int(x) for x in page.get_attribute(
            ".essmap", "data-ms").split()])
    page.close()
    return elapsed


def _pick(page, label: str, option: str) -> None:
    """Choose `option` in the Streamlit select box labelled `label`, as a person would."""
    box = page.locator("[data-testid=stSelectbox]").filter(has_text=label).first
    box.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")


def _interaction(ctx, url: str, ready: str, label: str, option: str, done: str) -> float:
    """Seconds from choosing `option` in an open page to `done` (a JS condition) holding."""
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector(ready, state="visible", timeout=120_000)
    page.wait_for_timeout(800)
    t0 = time.perf_counter()
    _pick(page, label, option)
    page.wait_for_function(done, timeout=120_000)
    elapsed = time.perf_counter() - t0
    page.close()
    return elapsed


DRILL_DONE = ("() => [...document.querySelectorAll('.essmap-title')]"
              ".some(e => e.textContent.includes('Grand Est'))")  # written once painted
FLOOR_DONE = ("() => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
              ".some(e => e.textContent.includes('Grand Est'))")


def bench_browser() -> dict:
    """Seconds to first visible chart per page, warm (2nd+ visit), next to the bare-page floor."""
    from playwright.sync_api import sync_playwright
    app = _serve(ROOT / "dashboard.py", 8765)
    floor = _serve(ROOT / "bench" / "floor_app.py", 8766)
    chart_floor = _serve(ROOT / "bench" / "floor_chart_app.py", 8767)
    zone_floor = _serve(ROOT / "bench" / "floor_zone_app.py", 8768)
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
            floor_times = [_visible(ctx, "http://127.0.0.1:8766/", "[data-testid=stMetric]")
                           for _ in range(REPEATS + 1)]
            out["floor"] = statistics.median(floor_times[1:])
            chart_times = [_visible(ctx, "http://127.0.0.1:8767/", ".js-plotly-plot .main-svg")
                           for _ in range(REPEATS + 1)]
            out["floor_chart"] = statistics.median(chart_times[1:])
            for path, selector in PAGES.items():
                times = [_visible(ctx, f"http://127.0.0.1:8765{path}", selector)
                         for _ in range(REPEATS + 1)]
                out[path] = statistics.median(times[1:])
            # Drilling in an open page: France's departments -> choose Grand Est in "Zone",
            # until the new map's title names it (written once its canvas is painted). Each
            # round times the floor then the drill, so that both see the same machine.
            floor_runs, drill_runs = [], []
            for _ in range(2 * REPEATS):
                floor_runs.append(_interaction(
                    ctx, "http://127.0.0.1:8768/", "[data-testid=stMetric]", "Zone",
                    "Grand Est", FLOOR_DONE))
                drill_runs.append(_interaction(
                    ctx, "http://127.0.0.1:8765" + MAPS["France, departments"][0], MAP_DRAWN,
                    "Zone", "Grand Est", DRILL_DONE))
            out["floor_interaction"] = statistics.median(floor_runs)
            out["drill in the page"] = statistics.median(drill_runs)
            # Maps: each visit follows a visit of the floor page (its own floor, "floor (maps)")
            map_floor = []
            for label, (path, _, _) in MAPS.items():
                own: dict = {}
                times = []
                for _ in range(REPEATS + 1):
                    map_floor.append(_visible(ctx, "http://127.0.0.1:8766/",
                                              "[data-testid=stMetric]"))
                    times.append(_visible(ctx, f"http://127.0.0.1:8765{path}", MAP_DRAWN, own))
                out[label] = statistics.median(times[1:])
                out[label + " (renderer ms)"] = [statistics.median(x[i] for x in own["ms"][1:])
                                                 for i in (0, 1)]
            out["floor (maps)"] = statistics.median(map_floor)
            browser.close()
    finally:
        for proc in (app, floor, chart_floor, zone_floor):
            proc.terminate()
    return out


def map_bytes() -> dict:
    """Bytes of each map sent to the browser (the JSON of ess_data.mapview.payload, what the
    page's map component receives), and for all 34,875 communes of France, which the page
    refuses to draw."""
    from ess_data import db, figures, mapview, territory
    from ess_data.registry import load_registry
    con = db.connect()
    ind = load_registry(con).get("densite_population")
    cases = {label: (zone, level) for label, (_, zone, level) in MAPS.items()}
    cases["(refused) France, all communes"] = ("france", "commune")
    out = {}
    for label, (zone, level) in cases.items():
        z = territory.parse_zone(zone)
        values = territory.map_values(con, ind, level, "2023", z)
        shapes = territory.shapes(con, level, z)
        fig = figures.choropleth(shapes, values, ind, "2023")
        sent = mapview.payload(fig, mapview.encode_shapes(shapes), alt=figures.describe(fig))
        out[label] = len(json.dumps(sent, ensure_ascii=False, separators=(",", ":")))
    con.close()
    return out


def main() -> int:
    """Run every benchmark and print the table."""
    results = {"build_s": bench_build(), "server": bench_server(), "map_bytes": map_bytes(),
               "browser": bench_browser()}
    print(f"\nWarehouse build: {results['build_s']:.2f} s (target <= 30 s)\n")
    floor = results["browser"]["floor"]
    print(f"{'page':42} {'cold ms':>8} {'warm ms':>8} {'browser s':>10} {'x floor':>8}")
    print(f"{'(bare one-metric page: the floor)':42} {'':>8} {'':>8} {floor:>10.2f} {1:>8.2f}")
    chart = results["browser"]["floor_chart"]
    print(f"{'(bare page, one small Plotly chart)':42} {'':>8} {'':>8} {chart:>10.2f} "
          f"{chart / floor:>8.2f}")
    for path, s in results["server"].items():
        b = results["browser"][path]
        print(f"{path:42} {s['cold_ms']:>8.0f} {s['warm_ms']:>8.0f} {b:>10.2f} {b / floor:>8.2f}")
    print("\nTargets: warm <= 200 ms; browser <= 1.3x floor (map page <= 1.5x).\n")
    print(f"{'map (density; time to visible map)':42} {'bytes':>12} {'browser s':>10} "
          f"{'x floor':>8}  {'of which map: decode, draw ms':>30}")
    floor = results["browser"]["floor (maps)"]  # visited before each map visit
    print(f"{'(bare one-metric page, between the maps)':42} {'':>12} {floor:>10.2f} {1:>8.2f}")
    for label, size in results["map_bytes"].items():
        b = results["browser"].get(label)
        shown = f"{b:>10.2f} {b / floor:>8.2f}" if b else f"{'not drawn':>10} {'':>8}"
        own = results["browser"].get(label + " (renderer ms)")
        shown += f"  {own[0]:>24.0f}, {own[1]:>3.0f}" if own else ""
        print(f"{label:42} {size:>12,} {shown}")
    inter, drill = results["browser"]["floor_interaction"], results["browser"]["drill in the page"]
    print(f"\n{'interaction (choose a zone in an open page)':42} {'':>12} {'browser s':>10} "
          f"{'x floor':>8}")
    print(f"{'(bare page, same Zone select box: floor)':42} {'':>12} {inter:>10.2f} {1:>8.2f}")
    print(f"{'drill: France depts -> Grand Est depts':42} {'':>12} {drill:>10.2f} "
          f"{drill / inter:>8.2f}")
    print("Targets: drill to departments <= 1.5x floor; Grand Est communes <= 2x floor.")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
