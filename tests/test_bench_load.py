"""bench.load: simulated tabs speak Streamlit's WebSocket protocol to a real server (the shipped
warehouse), and the simulator refuses any target off this machine."""
import asyncio
import json

import pytest

from bench import load


@pytest.fixture(scope="module")
def served(real_db):
    """A dashboard started by bench.load itself: (process id, base URL)."""
    proc, base, log = load.start_server(real_db)
    yield proc.pid, base
    load.stop_server(proc)
    log.unlink(missing_ok=True)



def run_async(coro):
    """asyncio.run on its own thread: the browser tests' session-wide Playwright keeps an
    event loop running on the test thread, where asyncio.run refuses to start."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()

def test_two_tabs_back_to_back(served):
    pid, base = served
    r = run_async(load.load(base, 2, "back-to-back", pages=("/dla",), runs=2, duration=60,
                              timeout=60, pids=[pid]))
    assert (r["asked"], r["done"], r["errors"]) == (4, 4, 0)
    assert len(r["runs"]) == 4
    for run in r["runs"]:
        assert run["page"] == "/dla"
        assert run["finished"] and run["error"] is None
        assert run["seconds"] > 0 and run["bytes"] > 10_000  # the page's charts came
    assert r["pages"]["/dla"]["runs"] == 4
    assert 0 < r["pages"]["/dla"]["p50"] <= r["pages"]["/dla"]["p95"]
    assert r["rss_open"] > 50e6 and r["runs_per_s"] > 0


def test_an_unknown_page_is_an_error(served):
    _, base = served
    r = run_async(load.load(base, 1, "back-to-back", pages=("/nowhere",), runs=1,
                              duration=60, timeout=60))
    assert (r["done"], r["errors"]) == (0, 1)
    assert r["runs"][0]["error"] == "server: page not found"
    assert r["rss_open"] is None  # no process named: memory unknown


@pytest.mark.parametrize("url", ["http://10.0.0.1:8501", "http://example.org:8501",
                                 "http://127.0.0.1.example.org/", "http://0.0.0.0:8501",
                                 "ftp://127.0.0.1:8501", "http://192.168.1.2"])
def test_refuses_targets_off_this_machine(url, capsys):
    with pytest.raises(SystemExit) as stop:
        load.main(["--url", url])
    assert stop.value.code == 2
    assert "only targets loopback" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["http://127.0.0.1:8501/", "http://localhost:8501",
                                 "http://[::1]:8501", "http://127.0.0.2:80/app"])
def test_accepts_loopback(url):
    assert load.loopback_base(url) == url.rstrip("/")


def test_through_the_production_mode(real_db, tmp_path):
    """--serve starts `python -m ess_data.serve` (HAProxy and its workers) and loads it through
    the proxy; the memory counted is the supervisor's tree (proxy and workers included)."""
    out = tmp_path / "load.json"
    from concurrent.futures import ThreadPoolExecutor
    argv = ["--serve", "2", "--sessions", "2", "--pace", "back-to-back", "--pages", "/dla",
            "--runs-per-session", "2", "--floor-runs", "1", "--no-recovery", "--json", str(out)]
    with ThreadPoolExecutor(1) as pool:  # asyncio.run off the browser tests' event loop
        assert pool.submit(load.main, argv).result() == 0
    r = json.loads(out.read_text(encoding="utf-8"))["loads"][0]
    assert (r["asked"], r["done"], r["errors"]) == (4, 4, 0)
    assert r["rss_open"] > 2 * 50e6  # two workers at least


@pytest.mark.parametrize("argv", [["--serve", "0"], ["--serve", "2", "--url", "http://127.0.0.1:1"]])
def test_serve_takes_workers_and_no_url(argv):
    with pytest.raises(SystemExit) as stop:
        load.parse_args(argv)
    assert stop.value.code == 2


@pytest.mark.parametrize("argv", [["--runs-per-session", "0"], ["--duration", "0"],
                                  ["--timeout", "-1"], ["--sessions", "0"],
                                  ["--pid", "1"], ["--server-option", "runner.postScriptGC"],
                                  ["--url", "http://127.0.0.1:1", "--server-option", "a=b"]])
def test_refuses_unbounded_or_incoherent_arguments(argv):
    with pytest.raises(SystemExit) as stop:
        load.parse_args(argv)
    assert stop.value.code == 2
