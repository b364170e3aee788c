"""`make bench-load`: many browser tabs at once against one server, over loopback only.

Each simulated tab speaks Streamlit's WebSocket protocol as the frontend does: it opens
ws://127.0.0.1:PORT/_stcore/stream (subprotocol "streamlit", same-origin Origin header), then
for every "click" sends a BackMsg `rerun_script` whose ClientState carries the link's page name
(its url_path, "" for the default page), its query string, the browser context (time zone,
locale, URL) and the hashes of the large messages it still holds (the frontend's message cache:
the server then sends a reference instead of the message). The run is timed from that send to
the ForwardMsg `script_finished` that ends it (FINISHED_SUCCESSFULLY; a run stopped for an
st.rerun, as the first deep link after a server start is, goes on to the next one). A run is an
error when it carries an exception element (Exception in a delta, or a reference to a cached
one), when the server reports one (compile error, page not found, closed connection) or when it
has no script_finished within --timeout. No JavaScript runs: this is the server's side of a
visit (what the browser then draws is `make bench`).

For N = 1, 10, 50, 200 tabs and two paces (back to back; a click every 3-9 s, seeded), each tab
following the five links of PAGES once in its own seeded order, it prints runs done/asked, p50
and p95 per page and overall, runs/s, errors, the server's RSS (and its growth per open tab),
the CPU of the server, of this client and of the rest of the machine (a shared machine skews
everything), next to the single-tab floor (each page alone, warm, median) measured first in the
same run; after each load, the seconds until one tab's run of the slowest page is back within
1.2x its floor ("recovery", probed every second, at most 60 s). All tabs of a load are asyncio
tasks in this one process (a few ms of CPU a run). Every loop is bounded: runs per tab,
--duration per load (no click starts after it), --timeout per run (a visitor still waiting then
leaves), 60 probes; the default run took 4 to 7 minutes on this 2-core machine. Every run goes to
bench/results/load.json.

    python -m bench.load                         # starts `streamlit run dashboard.py` itself
    python -m bench.load --sessions 1,10 --pace back-to-back
    python -m bench.load --url http://127.0.0.1:8501 --pid 1234   # a running server or proxy
    python -m bench.load --server-option runner.postScriptGC=false  # the same, one option changed
"""
from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.typing import Origin, Subprotocol

from ess_data.config import ROOT

PAGES = (  # the links a visitor follows: home, two maps, a profile, the DLA page
    "/",
    "/territoires?niveau=departement&zone=france&indicateur=part_ess_emploi_salarie",
    "/territoires?niveau=commune&zone=departement-48&indicateur=densite_population",
    "/territoire?niveau=departement&code=48",
    "/dla",
)
SESSIONS = (1, 10, 50, 200)
PACES = {"back-to-back": None, "think": (3.0, 9.0)}  # seconds a visitor reads before a click
RECOVERY_FACTOR = 1.2
RECOVERY_LIMIT_S = 60
CONTEXT = {"timezone": "Europe/Paris", "timezone_offset": -60, "locale": "fr-FR"}


class NotLoopback(ValueError):
    """A target outside this machine: the simulator only ever talks to loopback."""


def loopback_base(url: str) -> str:
    """`url` without its trailing slash if it is http(s) on a loopback address, else raise."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if parts.scheme not in ("http", "https") or not local or parts.username or parts.query:
        raise NotLoopback(
            f"refused: {url!r} is not an http(s) address on this machine; the load simulator "
            "only targets loopback (http://127.0.0.1:PORT, http://[::1]:PORT, "
            "http://localhost:PORT)")
    return url.rstrip("/")


# --- the server: started here, or named by --pid/--pids -------------------------------------

def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path | str, options: dict[str, str] | None = None
                 ) -> tuple[subprocess.Popen, str, Path]:
    """Start `streamlit run dashboard.py` headless on a free loopback port, with these extra
    Streamlit options (e.g. {"runner.postScriptGC": "false"}); return the process, its base
    URL and its log file."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="bench-load-", suffix=".log")[1])
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             *[arg for key, value in (options or {}).items() for arg in (f"--{key}", value)]],
            cwd=ROOT, env={**os.environ, "ESS_DB": str(db)}, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                return proc, base, log
        except OSError:
            time.sleep(0.3)
    proc.kill()
    proc.wait(timeout=10)
    raise RuntimeError("the dashboard did not start:\n" + log.read_text(errors="replace")[-2000:])


def start_serve(db: Path | str, workers: int) -> tuple[subprocess.Popen, str, Path]:
    """Start the production mode (`python -m ess_data.serve`: HAProxy and `workers` public
    workers, all on loopback) on free ports; return the supervisor, the proxy's base URL and
    the log file, once the proxy answers and every worker is up behind it."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="bench-serve-", suffix=".log")[1])
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ess_data.serve", "--workers", str(workers), "--port",
             str(port), "--worker-port", "0", "--db", str(db)],
            cwd=ROOT, env=os.environ.copy(), stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        # logged once every worker answers its health check and the proxy listens
        if "tableau de bord servi sur" in log.read_text(errors="replace"):
            return proc, base, log
        time.sleep(0.5)
    stop_server(proc)
    raise RuntimeError("the production mode did not start:\n"
                       + log.read_text(errors="replace")[-2000:])


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server started by start_server."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _tree(pids: list[int]) -> list[int]:
    """These processes and their descendants (e.g. a Chromium kaleido started), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], list(pids)
    while todo and len(out) < 10_000:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def server_rss(pids: list[int]) -> int | None:
    """Resident bytes of these processes and their descendants; None when unknown."""
    if not pids:
        return None
    total = 0
    for pid in _tree(pids):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total or None


def server_cpu(pids: list[int]) -> float | None:
    """CPU seconds (user + system) used so far by these processes and their descendants."""
    if not pids:
        return None
    ticks = 0
    for pid in _tree(pids):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> float:
    """CPU seconds the whole machine has been busy (all cores, /proc/stat), to tell how much
    other processes took during a load: the figures mean little when the machine is shared."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # minus idle, iowait


def client_cpu() -> float:
    """CPU seconds used so far by this process (the simulator)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# --- one tab --------------------------------------------------------------------------------

@dataclass
class Run:
    """One click: which link, how long until script_finished, what went wrong if anything."""
    page: str
    seconds: float
    error: str | None = None
    bytes: int = 0
    finished: bool = False  # its script_finished came
    first: float | None = None  # seconds until the server's first message of the run


@dataclass
class Tab:
    """One browser tab: a WebSocket to /_stcore/stream and the frontend's message cache."""
    base: str
    timeout: float
    ws: object = None
    cache: dict = field(default_factory=dict)  # hash -> [last run it was used, is exception]
    finished: int = 0  # successful runs, the frontend's clock for ageing its cache
    max_age: int = 2  # global.maxCachedMessageAge, sent by the server in new_session

    async def open(self) -> None:
        """Open the WebSocket as the frontend does (subprotocol, same-origin Origin)."""
        parts = urlsplit(self.base)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.ws = await asyncio.wait_for(connect(
            f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream",
            subprotocols=[Subprotocol("streamlit")],
            origin=Origin(f"{parts.scheme}://{parts.netloc}"),
            max_size=None,  # a map's message can be megabytes
            ping_interval=None,  # answer the server's pings, never close a busy server's tab
            open_timeout=self.timeout, close_timeout=2), self.timeout)
        self.cache.clear()
        self.finished = 0

    async def close(self) -> None:
        """Close the WebSocket (the visitor closes the tab)."""
        if self.ws is not None:
            ws, self.ws = self.ws, None
            try:
                await asyncio.wait_for(ws.close(), 5)
            except (TimeoutError, OSError, ConnectionClosed):
                pass

    def _rerun(self, link: str) -> bytes:
        """The BackMsg the frontend sends when this link is opened in a multipage app."""
        path, _, query = link.partition("?")
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_name = path.strip("/")  # the page's url_path; "" is the default page
        state.cached_message_hashes.extend(self.cache)
        for key, value in CONTEXT.items():
            setattr(state.context_info, key, value)
        state.context_info.url = self.base + link
        state.context_info.is_embedded = False
        state.context_info.color_scheme = "light"
        return msg.SerializeToString()

    async def run(self, link: str, timeout: float | None = None) -> Run:
        """Open `link` in this tab (reconnecting first if needed) and wait for its run to
        finish, at most `timeout` (default: the tab's); timed from the BackMsg's send."""
        run = Run(link, 0.0)
        start = None
        try:
            async with asyncio.timeout(timeout or self.timeout):
                if self.ws is None:
                    await self.open()
                start = time.perf_counter()
                await self._until_finished(link, run, start)
        except TimeoutError:
            run.error = "timeout" if start is not None else "server: cannot connect (timeout)"
        except (ConnectionClosed, OSError, InvalidHandshake) as e:
            what = "connection closed" if start is not None else "cannot connect"
            run.error = f"server: {what} ({e.__class__.__name__})"
        run.seconds = time.perf_counter() - start if start is not None else 0.0
        if run.error:  # the tab's state is unknown (a run may still stream in): start afresh
            await self.close()
        return run

    async def _until_finished(self, link: str, run: Run, t0: float) -> None:
        await self.ws.send(self._rerun(link))
        while True:
            data = await self.ws.recv()
            if run.first is None:
                run.first = time.perf_counter() - t0
            run.bytes += len(data)
            msg = ForwardMsg.FromString(data)
            kind = msg.WhichOneof("type")
            if kind == "delta":
                delta = msg.delta
                bad = (delta.WhichOneof("type") == "new_element"
                       and delta.new_element.WhichOneof("type") == "exception")
                if bad:
                    run.error = run.error or "exception: " + delta.new_element.exception.message
                if msg.metadata.cacheable:
                    self.cache[msg.hash] = [self.finished, bad]
            elif kind == "ref_hash":
                cached = self.cache.get(msg.ref_hash)
                if cached is None:
                    run.error = run.error or "server: reference to a message never received"
                else:
                    cached[0] = self.finished
                    if cached[1]:
                        run.error = run.error or "exception (cached)"
            elif kind == "new_session":
                self.max_age = msg.new_session.config.max_cached_message_age or self.max_age
            elif kind == "session_event" and msg.session_event.HasField(
                    "script_compilation_exception"):
                run.error = run.error or "server: script compilation error"
            elif kind == "page_not_found":
                run.error = run.error or "server: page not found"
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun(): the same click goes on in a new run
                run.finished = True
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    run.error = run.error or "server: script compilation error"
                else:
                    self.finished += 1  # age the cache as the frontend does
                    for key in [k for k, (used, _) in self.cache.items()
                                if self.finished - used > self.max_age]:
                        del self.cache[key]
                return


# --- measures -------------------------------------------------------------------------------

def pct(values: list[float], p: float) -> float | None:
    """The p-th percentile (nearest rank) of `values`, None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


async def floor(base: str, pages: tuple[str, ...], repeats: int, timeout: float) -> dict:
    """Each page alone in one tab, warm: median seconds of `repeats` runs after 2 warm-ups."""
    out = {}
    for page in pages:
        tab = Tab(base, timeout)
        try:
            runs = [await tab.run(page) for _ in range(repeats + 2)]
        finally:
            await tab.close()
        bad = [r.error for r in runs if r.error]
        if bad:
            raise RuntimeError(f"floor of {page}: {bad[0]}")
        out[page] = statistics.median(r.seconds for r in runs[2:])
    return out


async def _visitor(tab: Tab, order: list[str], runs: int, pace, rng: random.Random,
                   deadline: float, done: list[Run]) -> None:
    """One visitor: `runs` clicks through `order` (cycled), at `pace`, until `deadline`; a
    visitor whose page did not finish (timeout, connection lost) leaves, as a person would,
    rather than pile more runs on a server that cannot keep up."""
    for i in range(runs):
        if pace:
            wait = rng.uniform(*pace)
            if time.monotonic() + wait >= deadline:
                return
            await asyncio.sleep(wait)
        elif time.monotonic() >= deadline:
            return
        run = await tab.run(order[i % len(order)])
        done.append(run)
        if not run.finished:
            await tab.close()
            return


async def _sample_rss(pids: list[int], stop: asyncio.Event, limit_s: float, into: list) -> None:
    """The server's RSS every half second while the load runs (bounded by `limit_s`)."""
    end = time.monotonic() + limit_s
    while not stop.is_set() and time.monotonic() < end:
        rss = await asyncio.to_thread(server_rss, pids)
        if rss:
            into.append(rss)
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except TimeoutError:
            pass


async def load(base: str, n: int, pace_name: str, *, pages: tuple[str, ...] = PAGES,
               runs: int = len(PAGES), duration: float = 45, timeout: float = 30,
               seed: int = 1, pids: list[int] | None = None) -> dict:
    """N tabs at once, each clicking `runs` links (its own seeded order of `pages`) at the
    named pace for at most `duration` seconds (a run in flight then gets its --timeout)."""
    pids = pids or []
    pace = PACES[pace_name]
    rss_before = server_rss(pids)
    tabs = [Tab(base, timeout) for _ in range(n)]
    c0, s0, m0, w0 = client_cpu(), server_cpu(pids), machine_cpu(), time.perf_counter()
    opened = await asyncio.gather(*(t.open() for t in tabs), return_exceptions=True)
    connect_s = time.perf_counter() - w0
    connect_errors = [repr(e) for e in opened if isinstance(e, BaseException)]
    done: list[Run] = []
    stop, samples = asyncio.Event(), []
    sampler = asyncio.create_task(_sample_rss(pids, stop, duration + timeout + 30, samples))
    t0 = time.perf_counter()
    deadline = time.monotonic() + duration
    visitors = []
    for i, tab in enumerate(tabs):
        if isinstance(opened[i], BaseException):
            continue
        rng = random.Random(f"{seed}-{n}-{pace_name}-{i}")
        order = rng.sample(list(pages), len(pages))
        visitors.append(_visitor(tab, order, runs, pace, rng, deadline, done))
    await asyncio.gather(*visitors)
    wall = time.perf_counter() - t0
    rss_open = server_rss(pids)  # every tab still open
    stop.set()
    await sampler
    c1, s1, m1 = client_cpu(), server_cpu(pids), machine_cpu()
    span = wall + connect_s
    await asyncio.gather(*(t.close() for t in tabs))
    ok = [r for r in done if not r.error]
    errors = [r.error for r in done if r.error] + [f"connect: {e}" for e in connect_errors]
    kinds: dict[str, int] = {}
    for e in errors:
        key = e.split(":")[0] if not e.startswith("server") else e[:60]
        kinds[key] = kinds.get(key, 0) + 1
    per_page = {}
    for page in pages:
        times = [r.seconds for r in ok if r.page == page]
        per_page[page] = {"runs": len(times), "p50": pct(times, 50), "p95": pct(times, 95)}
    times = [r.seconds for r in ok]
    first = [r.first for r in ok]
    peak = max(samples + [rss_open or 0]) or None
    return {
        "sessions": n, "pace": pace_name, "asked": n * runs, "done": len(ok),
        "errors": len(errors), "error_kinds": kinds, "wall_s": wall,
        "runs_per_s": len(ok) / wall if wall > 0 else None,
        "p50": pct(times, 50), "p95": pct(times, 95), "pages": per_page,
        "first_p50": pct(first, 50), "first_p95": pct(first, 95),
        "connect_s": connect_s, "mb_received": sum(r.bytes for r in done) / 1e6,
        "rss_before": rss_before, "rss_open": rss_open, "rss_peak": peak,
        "rss_per_tab": (rss_open - rss_before) / n if rss_open and rss_before else None,
        "client_cpu_pct": 100 * (c1 - c0) / span,
        "client_cpu_ms_per_run": 1e3 * (c1 - c0) / len(done) if done else None,
        "server_cpu_pct": 100 * (s1 - s0) / span if s0 is not None else None,
        "other_cpu_pct": (100 * max(0.0, (m1 - m0) - (c1 - c0) - (s1 - s0)) / span
                          if s0 is not None else None),
        "runs": [asdict(r) for r in done],
    }


async def recovery(base: str, page: str, floor_s: float, timeout: float) -> float | None:
    """Seconds from the end of a load until one tab's run of `page` takes at most 1.2x its
    floor, probed every second; None if not within 60 s."""
    tab = Tab(base, timeout)
    t0 = time.monotonic()
    try:
        for i in range(RECOVERY_LIMIT_S + 1):
            start = time.monotonic()
            left = RECOVERY_LIMIT_S - (start - t0)
            if left <= 0:
                break
            run = await tab.run(page, min(timeout, max(left, 1.0)))
            if not run.error and run.seconds <= RECOVERY_FACTOR * floor_s:
                return start - t0
            await asyncio.sleep(max(0.0, t0 + i + 1 - time.monotonic()))
    finally:
        await tab.close()
    return None


# --- report ---------------------------------------------------------------------------------

def _ms(s: float | None) -> str:
    return f"{s * 1e3:.0f}" if s is not None else "-"


def _mb(b: float | None) -> str:
    return f"{b / 1e6:.0f}" if b is not None else "unknown"


def print_floor(floors: dict, rss: int | None, busy: float) -> None:
    """The single-tab floor of every page."""
    print(f"\nSingle-tab floor (each page alone, warm, median); server RSS {_mb(rss)} MB; "
          f"machine CPU meanwhile {busy:.0f} % (server, client and the rest)")
    for page, s in floors.items():
        print(f"  {page:80} {_ms(s):>6} ms")


def print_load(r: dict, floors: dict) -> None:
    """One load's table: per page p50/p95 next to the floor, then its totals."""
    rate = f"{r['runs_per_s']:.1f}" if r["runs_per_s"] is not None else "-"
    server = f"{r['server_cpu_pct']:.0f} %" if r["server_cpu_pct"] is not None else "unknown"
    other = f"{r['other_cpu_pct']:.0f} %" if r["other_cpu_pct"] is not None else "unknown"
    per_tab = f"{r['rss_per_tab'] / 1e6:+.2f}" if r["rss_per_tab"] is not None else "unknown"
    print(f"\n{r['sessions']} tab(s), {r['pace']}: {r['done']}/{r['asked']} runs in "
          f"{r['wall_s']:.1f} s, {rate} runs/s, {r['errors']} errors"
          + (f" {r['error_kinds']}" if r["errors"] else ""))
    print(f"  server RSS {_mb(r['rss_open'])} MB with the tabs open (peak {_mb(r['rss_peak'])},"
          f" before {_mb(r['rss_before'])}; {per_tab} MB per open tab)")
    per_run = r["client_cpu_ms_per_run"]
    print(f"  CPU (100 % = one core): server {server}, this client "
          f"{r['client_cpu_pct']:.0f} % ({'-' if per_run is None else f'{per_run:.1f}'} ms a run), "
          f"other processes {other}; "
          f"{r['mb_received']:.1f} MB received; tabs connected in {r['connect_s']:.2f} s; "
          f"first message of a run after {_ms(r['first_p50'])} ms (p50), "
          f"{_ms(r['first_p95'])} ms (p95)")
    print(f"  {'page':80} {'runs':>5} {'floor':>6} {'p50':>6} {'p95':>6} {'p50/floor':>9}")
    for page, s in r["pages"].items():
        ratio = f"{s['p50'] / floors[page]:.1f}x" if s["p50"] and floors.get(page) else "-"
        print(f"  {page:80} {s['runs']:>5} {_ms(floors.get(page)):>6} {_ms(s['p50']):>6} "
              f"{_ms(s['p95']):>6} {ratio:>9}")
    print(f"  {'all pages (ms)':80} {r['done']:>5} {'':>6} {_ms(r['p50']):>6} {_ms(r['p95']):>6}")


def print_recovery(r: dict) -> None:
    """How long after the load one tab's run was back near its floor."""
    rec = r["recovery_s"]
    print(f"  recovery: {f'> {RECOVERY_LIMIT_S}' if rec is None else f'{rec:.1f}'} s until one "
          f"tab's run of {r['recovery_page']} is within {RECOVERY_FACTOR}x its floor")


def print_summary(results: list[dict]) -> None:
    """All loads in one table."""
    print(f"\n{'tabs':>5} {'pace':13} {'runs':>9} {'p50 ms':>7} {'p95 ms':>7} {'runs/s':>7} "
          f"{'errors':>6} {'RSS MB':>7} {'MB/tab':>7} {'srv CPU':>7} {'cli CPU':>7} "
          f"{'others':>7} {'recov s':>7}")
    for r in results:
        rec = r.get("recovery_s", "-")
        if rec is None:
            rec = f"> {RECOVERY_LIMIT_S}"
        elif isinstance(rec, float):
            rec = f"{rec:.1f}"
        per_tab = f"{r['rss_per_tab'] / 1e6:.2f}" if r["rss_per_tab"] is not None else "-"
        srv = f"{r['server_cpu_pct']:.0f} %" if r["server_cpu_pct"] is not None else "-"
        oth = f"{r['other_cpu_pct']:.0f} %" if r["other_cpu_pct"] is not None else "-"
        print(f"{r['sessions']:>5} {r['pace']:13} {r['done']:>4}/{r['asked']:<4} "
              f"{_ms(r['p50']):>7} {_ms(r['p95']):>7} {r['runs_per_s'] or 0:>7.1f} "
              f"{r['errors']:>6} {_mb(r['rss_open']):>7} {per_tab:>7} {srv:>7} "
              f"{r['client_cpu_pct']:>5.0f} % {oth:>7} {rec:>7}")


# --- command line ---------------------------------------------------------------------------

def _ints(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas: {text}") from e
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive numbers: {text}")
    return values


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    p.add_argument("--sessions", type=_ints, default=list(SESSIONS),
                   help="tabs at once, e.g. 1,10,50,200 (the default)")
    p.add_argument("--pace", choices=["both", *PACES], default="both",
                   help="back-to-back, think (a click every 3-9 s) or both (default)")
    p.add_argument("--runs-per-session", type=int, default=None,
                   help="clicks per tab (default: one per page, each tab in its own order)")
    p.add_argument("--duration", type=float, default=45,
                   help="seconds at most per load; runs in flight then get --timeout")
    p.add_argument("--timeout", type=float, default=30,
                   help="seconds at most per run; a visitor still waiting then leaves")
    p.add_argument("--floor-runs", type=int, default=7, help="timed runs per page for the floor")
    p.add_argument("--seed", type=int, default=1, help="seeds each tab's order and pace")
    p.add_argument("--pages", default=None,
                   help="links to open, separated by spaces (default: the five of the brief)")
    p.add_argument("--url", help="target a running server or reverse proxy on loopback "
                                 "(http://127.0.0.1:PORT); default: start one")
    p.add_argument("--serve", type=int, metavar="WORKERS",
                   help="start the production mode (HAProxy + WORKERS workers, `make serve`) "
                        "on loopback and load it through the proxy")
    p.add_argument("--pid", type=int, help="with --url: the server's process, for its memory")
    p.add_argument("--pids", type=_ints, help="with --url: processes whose memory is summed")
    p.add_argument("--server-option", action="append", default=[], metavar="KEY=VALUE",
                   help="a Streamlit option for the server started here, repeatable "
                        "(e.g. runner.postScriptGC=false)")
    p.add_argument("--no-recovery", action="store_true", help="skip the recovery probes")
    p.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "load.json",
                   help="where to write every run (default bench/results/load.json)")
    args = p.parse_args(argv)
    args.pages = tuple(args.pages.split()) if args.pages else PAGES
    if args.runs_per_session is None:
        args.runs_per_session = len(args.pages)
    if args.runs_per_session < 1 or args.duration <= 0 or args.timeout <= 0 \
            or args.floor_runs < 1:
        p.error("--runs-per-session, --duration, --timeout and --floor-runs must be positive")
    if args.url:
        try:
            args.url = loopback_base(args.url)
        except NotLoopback as e:
            p.error(str(e))
    elif args.pid or args.pids:
        p.error("--pid/--pids name the server of --url; without --url the server is started here")
    if args.serve is not None and (args.url or args.serve < 1):
        p.error("--serve takes a number of workers >= 1, and starts its own proxy (no --url)")
    if args.server_option and args.url:
        p.error("--server-option applies to the server started here, not to --url")
    if any("=" not in o for o in args.server_option):
        p.error("--server-option takes KEY=VALUE, e.g. runner.postScriptGC=false")
    args.server_option = dict(o.split("=", 1) for o in args.server_option)
    return args


async def bench(base: str, args: argparse.Namespace, pids: list[int]) -> dict:
    """Floor, then every load, each followed by its recovery."""
    m0, w0 = machine_cpu(), time.perf_counter()
    floors = await floor(base, args.pages, args.floor_runs, args.timeout)
    busy = 100 * (machine_cpu() - m0) / (time.perf_counter() - w0)
    rss = server_rss(pids)
    print_floor(floors, rss, busy)
    probe = max(floors, key=floors.get)  # the slowest page, the most sensitive to load
    results = []
    paces = list(PACES) if args.pace == "both" else [args.pace]
    for n in args.sessions:
        for pace in paces:
            r = await load(base, n, pace, pages=args.pages, runs=args.runs_per_session,
                           duration=args.duration, timeout=args.timeout, seed=args.seed,
                           pids=pids)
            print_load(r, floors)
            if not args.no_recovery:
                r["recovery_s"] = await recovery(base, probe, floors[probe], args.timeout)
                r["recovery_page"] = probe
                print_recovery(r)
            results.append(r)
    print_summary(results)
    print("\nruns/s: runs finished without error per second of load; RSS: resident memory of "
          "the server and its children, with every tab of the load still open; MB/tab: that "
          "minus the RSS before the load, per tab; CPU: 100 % = one core busy, over the load; "
          "others: the rest of the machine (other processes compete for the same cores).")
    return {"base": base, "floor": floors, "floor_rss": rss, "floor_machine_cpu_pct": busy,
            "loads": results}


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, start or target the server, run the bench, print, save."""
    args = parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # each table as soon as it is measured
    proc = log = None
    if args.url:
        base = args.url
        pids = args.pids or ([args.pid] if args.pid else [])
        if not pids:
            print("server memory: unknown (give --pid or --pids)")
    else:
        db = os.environ.get("ESS_DB") or str(ROOT / "data" / "ess.duckdb")
        if not Path(db).exists():
            print(f"{db} is missing: run `make build` first", file=sys.stderr)
            return 1
        if args.serve:
            proc, base, log = start_serve(db, args.serve)
            print(f"server: python -m ess_data.serve --workers {args.serve} (HAProxy on {base}, "
                  f"supervisor pid {proc.pid}; memory: the supervisor, proxy and workers)")
        else:
            proc, base, log = start_server(db, args.server_option)
            extra = "".join(f" --{k} {v}" for k, v in args.server_option.items())
            print(f"server: streamlit run dashboard.py{extra} on {base} (pid {proc.pid}, "
                  f"ESS_DB={db})")
        pids = [proc.pid]
    print(f"client: one asyncio process, pid {os.getpid()}, {os.cpu_count()} cores on this machine")
    try:
        out = asyncio.run(bench(base, args, pids))
    finally:
        if proc is not None:
            stop_server(proc)
            log.unlink(missing_ok=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(f"every run: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
