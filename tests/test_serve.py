"""`python -m ess_data.serve`: public workers behind HAProxy on one port, each visitor kept on
one worker, a dead worker restarted and its visitors served by the others, no import reachable
by the public, a new warehouse picked up by every worker.

The stack tests start the real thing once (2 workers on a copy of the fixture warehouse, free
ports) and talk to it as a browser tab does: HTTP with the tab's cookies, then Streamlit's
WebSocket (/_stcore/stream, one BackMsg `rerun_script` per page opened, read until the run's
`script_finished`). HAProxy's log names the worker of every request; `-X importtime` in the
workers' logs names every module they ever loaded. Needs Debian's haproxy (installed here when
missing, as `make test` installs chromium) and, for the last browser test, chromium.
"""
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from ess_data import serve
from ess_data.config import ROOT
from tests.conftest import FIXTURES

GRID = FIXTURES / "imports" / "fichier_diffusion_2025.xlsx"
ADMIN_TITLE = "Administration des données"
# what a visitor might send to reach the import page: page names (the URL's path, as the
# frontend sends it), and query strings
HOSTILE_PAGES = ["admin", "admin/", "pages/admin.py", "pages/admin", "admin.py", "Admin",
                 "Administration des données", "../pages/admin.py", "%61dmin"]
HOSTILE_QUERIES = ["page=admin", "page=pages/admin.py", "page_name=admin", "nav=admin"]


# --- a browser tab, without the browser ----------------------------------------------------

class Tab:
    """One tab: its cookies (the stickiness cookie among them), HTTP requests, and page runs
    over one WebSocket as Streamlit's frontend makes them."""

    def __init__(self, base: str, cookies: dict | None = None, tag: str = ""):
        self.base, self.cookies, self.tag = base, dict(cookies or {}), tag
        self.ws = None

    def _keep(self, headers) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            name, _, value = header.split(";")[0].partition("=")
            self.cookies[name.strip()] = value.strip()

    def _cookie_header(self) -> dict:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def _url(self, path: str) -> str:
        if not self.tag:
            return self.base + path
        return self.base + path + ("&" if "?" in path else "?") + f"tab={self.tag}"

    def get(self, path: str, method: str = "GET"):
        """Status, body and headers (case-insensitive) of a request with the tab's cookies
        (kept up to date)."""
        request = urllib.request.Request(self._url(path), headers=self._cookie_header(),
                                         method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                self._keep(response.headers)
                return response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers

    def open(self) -> None:
        """Open the tab's WebSocket (same-origin, with its cookies)."""
        self._open = contextlib.ExitStack()
        self.ws = self._open.enter_context(connect(
            "ws" + self._url("/_stcore/stream")[4:], subprotocols=["streamlit"],
            origin=self.base, additional_headers=self._cookie_header(), open_timeout=30,
            max_size=None))

    def close(self) -> None:
        if self.ws is not None:
            self.ws = None
            self._open.close()

    def run(self, page: str = "", query: str = "", timeout: float = 60) -> list[ForwardMsg]:
        """Open `page` (its url_path, "" for the default page) with `query`; the messages of
        the run, read until it finishes (a run ended by st.rerun goes on to the next)."""
        if self.ws is None:
            self.open()
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        self.ws.send(msg.SerializeToString())
        messages, deadline = [], time.monotonic() + timeout
        while True:
            data = self.ws.recv(timeout=max(0.1, deadline - time.monotonic()))
            messages.append(ForwardMsg.FromString(data))
            finished = messages[-1].WhichOneof("type") == "script_finished"
            if finished and messages[-1].script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return messages


def raw(messages) -> bytes:
    return b"".join(m.SerializeToString() for m in messages)


def exceptions(messages) -> list[str]:
    return [m.delta.new_element.exception.message for m in messages
            if m.WhichOneof("type") == "delta"
            and m.delta.new_element.WhichOneof("type") == "exception"]


def headings(messages) -> list[str]:
    """Titles and headers the run showed."""
    return [m.delta.new_element.heading.body for m in messages
            if m.WhichOneof("type") == "delta"
            and m.delta.new_element.WhichOneof("type") == "heading"]


def elements(messages) -> set[str]:
    return {m.delta.new_element.WhichOneof("type") for m in messages
            if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element"}


def pages_offered(messages) -> list[str]:
    """The url paths of the navigation the finished run sent."""
    nav = [m.navigation for m in messages if m.WhichOneof("type") == "navigation"][-1]
    return [p.url_pathname for p in nav.app_pages]


# --- the stack -------------------------------------------------------------------------------

def _free_port() -> int:
    return serve.free_ports(1)[0]


def _wait(condition, timeout: float, what: str, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    pytest.fail(f"waited {timeout:.0f} s: {what}")


class Stack:
    """A running `python -m ess_data.serve` and where it writes."""

    def __init__(self, root: Path, db: Path):
        self.root, self.db = root, db
        self.run_dir, self.log_dir = root / "run", root / "log"
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != "ESS_ADMIN"}
        # every worker writes each module it ever loads to its log (-X importtime)
        env.update(ESS_DB=str(db), PYTHONPROFILEIMPORTTIME="1")
        self.out = open(root / "serve.log", "wb")  # closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ess_data.serve", "--workers", "2", "--port", str(self.port),
             "--worker-port", "0", "--run-dir", str(self.run_dir), "--log-dir",
             str(self.log_dir)], cwd=ROOT, env=env, stdout=self.out, stderr=subprocess.STDOUT)
        self.pids: set[int] = set()  # every process the stack ever started

    def state(self) -> dict:
        try:
            state = json.loads((self.run_dir / "state.json").read_text())
        except (OSError, ValueError):
            return {}
        self.pids |= {p["pid"] for p in state["processes"] if p["pid"]}
        return state

    def process(self, name: str) -> dict:
        return next(p for p in self.state()["processes"] if p["name"] == name)

    def ready(self) -> bool:
        if self.proc.poll() is not None:
            pytest.fail("serve stopped: " + (self.root / "serve.log").read_text()[-3000:])
        return len(self.state().get("processes", [])) == 3 and serve.healthy(
            self.base + serve.HEALTH)

    def haproxy_log(self) -> str:
        return (self.log_dir / "haproxy.log").read_text(errors="replace")

    def servers_of(self, tag: str) -> list[tuple[str, str]]:
        """(server, request line) of every logged request of the tab tagged `tag`."""
        return re.findall(rf"workers/(w\d) .*\"(\w+ [^ ]*[?&]tab={tag}\b[^ ]* HTTP)",
                          self.haproxy_log())

    def server_status(self) -> dict[str, str]:
        """Each worker's status as HAProxy sees it (UP, DOWN...), from its runtime API."""
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(self.run_dir / "haproxy.sock"))
            s.sendall(b"show stat\n")
            text = b""
            while chunk := s.recv(65536):
                text += chunk
        rows = [line.split(",") for line in text.decode().splitlines()]
        return {r[1]: r[17] for r in rows if r[0] == "workers" and r[1] != "BACKEND"}

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()
        return self.proc.returncode


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped) is not alive
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def haproxy():
    """Debian's haproxy, installed when missing (CI runs as root on Debian)."""
    def which():
        return shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")
    if which() is None:
        subprocess.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y "
                       "-qq haproxy", shell=True, check=False)
    path = which()
    if path is None:
        pytest.fail("haproxy is missing and could not be installed: apt-get install haproxy")
    return path


@pytest.fixture(scope="module")
def stack(tmp_path_factory, fixture_db, haproxy):
    """2 public workers and HAProxy on free ports, serving a copy of the fixture warehouse."""
    root = tmp_path_factory.mktemp("serve")
    db = root / "data" / "ess.duckdb"
    db.parent.mkdir()
    shutil.copyfile(fixture_db, db)
    s = Stack(root, db)
    try:
        _wait(s.ready, 120, "the stack to answer on its public port")
        yield s
    finally:
        s.stop()
        for pid in s.pids:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


# --- without the stack -----------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [("1", True), ("oui", True), ("yes", True),
                                            ("on", True), ("", False), ("0", False),
                                            ("non", False)])
def test_public_flag(value, expected):
    assert serve.public({"ESS_PUBLIC": value}) is expected
    assert serve.public({}) is False


def test_workers_run_public_without_admin_or_agent_api(tmp_path):
    env = serve.worker_env(tmp_path / "ess.duckdb", "s" * 64,
                           {"ESS_ADMIN": "1", "PATH": "/usr/bin"})
    assert env == {"PATH": "/usr/bin", "ESS_PUBLIC": "1", "ESS_DB": str(tmp_path / "ess.duckdb"),
                   "STREAMLIT_SERVER_COOKIE_SECRET": "s" * 64}
    argv = serve.worker_argv(8601)
    assert argv[argv.index("--server.address") + 1] == "127.0.0.1"
    assert argv[argv.index("--server.enableAgentApi") + 1] == "false"


def test_proxy_config_is_sticky_checked_and_valid(tmp_path, haproxy):
    text = serve.proxy_config(serve.TEMPLATE.read_text(), "127.0.0.1:8080",
                              ["127.0.0.1:8601", "127.0.0.1:8602", "10.0.0.12:8601"],
                              tmp_path / "haproxy.sock")
    assert "    server w1 127.0.0.1:8601 cookie w1\n" in text
    assert "    server w3 10.0.0.12:8601 cookie w3\n" in text
    for line in ("bind 127.0.0.1:8080", "cookie ESS_WORKER insert indirect nocache",
                 "option httpchk GET /_stcore/health", "timeout tunnel 1h",
                 "option redispatch 1", "balance leastconn"):
        assert line in text
    (tmp_path / "haproxy.cfg").write_text(text)
    check = subprocess.run([haproxy, "-c", "-f", str(tmp_path / "haproxy.cfg")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_dead_process_restarts_after_a_growing_wait(tmp_path):
    child = serve.Child("w1", [sys.executable, "-c", "pass"], dict(os.environ),
                        tmp_path / "w1.log")
    child.start()
    child.proc.wait()
    first = child.proc.pid
    now = time.monotonic()
    child.check(now)
    assert child.restart_at == pytest.approx(now + serve.BACKOFF_FIRST)
    child.check(now + 0.5)
    assert child.proc.pid == first  # not yet
    child.check(now + serve.BACKOFF_FIRST)
    assert child.proc.pid != first and child.restarts == 1
    child.proc.wait()
    child.check(now + 2)  # died again at once: twice the wait
    assert child.restart_at == pytest.approx(now + 2 + 2 * serve.BACKOFF_FIRST)
    child.check(child.restart_at)
    child.proc.wait()
    assert child.restarts == 2


PROBE = textwrap.dedent("""
    import json, sys
    from streamlit.testing.v1 import AppTest
    ROOT = sys.argv[1]
    seen = {}
    at = AppTest.from_file(ROOT + "/dashboard.py", default_timeout=60)
    # a fresh app: AppTest, like a freshly started server, is in Streamlit's pages-directory
    # mode, which runs pages/admin.py itself for a first visit to /admin
    at.switch_page("pages/admin.py")
    at.run()
    seen["titles"] = [t.value for t in at.title]
    seen["uploaders"] = len(at.get("file_uploader"))
    seen["exceptions"] = [e.value for e in at.exception]
    for query in ("page=admin", "page=pages/admin.py"):
        at.query_params.clear()
        at.query_params[query.split("=")[0]] = query.split("=")[1]
        at.run()
        seen["titles"] += [t.value for t in at.title]
        seen["uploaders"] += len(at.get("file_uploader"))
    for page in ("accueil", "territoires", "territoire", "dla", "ptce", "acteurs",
                 "presentation", "sources"):
        at.switch_page(f"pages/{page}.py")
        at.run()
        seen["exceptions"] += [e.value for e in at.exception]
    alone = AppTest.from_file(ROOT + "/pages/admin.py", default_timeout=60)  # run by itself
    alone.run()
    seen["alone"] = {"titles": [t.value for t in alone.title],
                     "uploaders": len(alone.get("file_uploader")),
                     "elements": len(alone.main.children)}
    seen["imports"] = sorted(m for m in sys.modules if m.startswith("ess_data.imports"))
    print("PROBE " + json.dumps(seen, ensure_ascii=False))
""")


def _probe(env: dict) -> dict:
    """What dashboard.py does with attempts at the admin page, in a fresh interpreter (its
    sys.modules then tells whether any import code was loaded)."""
    done = subprocess.run([sys.executable, "-c", PROBE, str(ROOT)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    lines = [x for x in done.stdout.splitlines() if x.startswith("PROBE ")]
    assert lines, done.stdout[-2000:] + done.stderr[-3000:]
    return json.loads(lines[-1][len("PROBE "):])


def test_public_dashboard_never_loads_the_import_code(fixture_db):
    env = {**os.environ, "ESS_DB": str(fixture_db), "ESS_ADMIN": "1"}
    control = _probe(env)  # the same steps on a private instance with the admin page enabled
    assert "Administration des données" in control["titles"] and control["uploaders"] >= 1
    assert "ess_data.imports.apply" in control["imports"]

    seen = _probe({**env, "ESS_PUBLIC": "1"})  # ESS_ADMIN=1 too: the public flag wins
    assert seen["exceptions"] == []
    assert "Administration des données" not in seen["titles"]
    assert seen["uploaders"] == 0
    assert seen["alone"] == {"titles": [], "uploaders": 0, "elements": 0}
    assert seen["imports"] == []


# --- the stack -------------------------------------------------------------------------------

def test_public_workers_reach_no_import_whatever_is_sent(stack):
    # the first sessions of each worker: a fresh server is in Streamlit's pages-directory mode
    for worker in ("w1", "w2"):
        for page in HOSTILE_PAGES:
            tab = Tab(stack.base, {"ESS_WORKER": worker})
            messages = tab.run(page, "")
            tab.close()
            assert headings(messages) and ADMIN_TITLE not in headings(messages), (worker, page)
            assert "file_uploader" not in elements(messages), (worker, page)
            assert "admin" not in pages_offered(messages), (worker, page)
            assert exceptions(messages) == [], (worker, page)
        tab = Tab(stack.base, {"ESS_WORKER": worker})
        for query in HOSTILE_QUERIES:
            for page in ("", "admin"):
                messages = tab.run(page, query)
                assert ADMIN_TITLE not in headings(messages), (worker, page, query)
                assert "file_uploader" not in elements(messages), (worker, page, query)
        tab.close()
    tab = Tab(stack.base)
    assert any(m.WhichOneof("type") == "page_not_found" for m in tab.run("admin"))
    tab.close()
    # over HTTP every path is the same application shell (the page is chosen on the
    # WebSocket), or refused
    shell = Tab(stack.base).get("/")[1]
    for path in ("/admin", "/pages/admin.py", "/?page=admin", "/admin?page=admin",
                 "/accueil/../admin", "/%2e%2e/pages/admin.py", "/app/static/../admin.py"):
        status, body, _ = Tab(stack.base).get(path)
        assert (status, body) == (200, shell) or status in (400, 403, 404), path
    # no upload and no agent API on the public port (the workers have neither either)
    assert Tab(stack.base).get("/_stcore/upload_file/x/y", "PUT")[0] == 403
    assert Tab(stack.base).get("/_stcore/agent/interact", "POST")[0] == 403
    # neither worker ever loaded the import code (their logs list every module loaded),
    # though they did load the pages' code
    for worker in ("w1", "w2"):
        loaded = (stack.log_dir / f"{worker}.log").read_text(errors="replace")
        assert "ess_data.views" in loaded
        assert "ess_data.imports" not in loaded


def test_one_public_port_health_and_a_sticky_cookie(stack):
    status, body, _ = Tab(stack.base).get(serve.HEALTH)
    assert (status, body) == (200, b"ok")
    tabs = []
    try:  # a new visitor goes to the worker with the fewest open tabs (WebSockets)
        for _ in range(4):
            tab = Tab(stack.base)
            status, body, headers = tab.get("/")
            assert status == 200 and b"<html" in body.lower()
            assert any(re.fullmatch(r"ESS_WORKER=w[12]; path=/; HttpOnly; SameSite=Lax", c)
                       for c in headers.get_all("Set-Cookie")), headers.get_all("Set-Cookie")
            tab.open()
            tabs.append(tab)
        assert {t.cookies["ESS_WORKER"] for t in tabs} == {"w1", "w2"}
    finally:
        for tab in tabs:
            tab.close()


def test_a_tab_keeps_to_its_worker(stack):
    for n in range(4):
        tab = Tab(stack.base, tag=f"sticky{n}")
        tab.get("/")
        worker = tab.cookies["ESS_WORKER"]
        for path in (serve.HEALTH, "/_stcore/host-config", "/dla"):
            tab.get(path)
        assert exceptions(tab.run("dla")) == []
        tab.close()  # HAProxy logs a WebSocket when it closes
        seen = _wait(lambda t=tab: len(stack.servers_of(t.tag)) == 5 and stack.servers_of(t.tag),
                     10, "the tab's 5 lines in HAProxy's log")
        assert any("/_stcore/stream" in request for _, request in seen)
        assert {server for server, _ in seen} == {worker}, seen


def _sources_shows_import(messages) -> bool:
    assert exceptions(messages) == []
    return b"fichier_diffusion_2025.xlsx" in raw(messages)


def _import_grid(db: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPROFILEIMPORTTIME"}
    done = subprocess.run([sys.executable, "-m", "ess_data", "import", "grille-densite",
                           str(GRID), "--db", str(db)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_new_warehouse_breaks_no_page(stack):
    """Page runs go on on both workers while an import replaces the warehouse: none fails."""
    tabs = [Tab(stack.base, {"ESS_WORKER": w}) for w in ("w1", "w2")]
    for tab in tabs:
        assert not _sources_shows_import(tab.run("sources"))
    failures, runs, stop = [], [0], threading.Event()

    def visit(tab):
        while not stop.is_set():
            for page in ("sources", "", "territoire"):
                try:
                    messages = tab.run(page, "niveau=departement&code=48"
                                       if page == "territoire" else "")
                except Exception as exc:  # any failure is the finding
                    failures.append(repr(exc))
                    return
                failures.extend(exceptions(messages))
                runs[0] += 1

    threads = [threading.Thread(target=visit, args=(Tab(stack.base, {"ESS_WORKER": w}),))
               for w in ("w1", "w2")]
    for t in threads:
        t.start()
    try:
        _import_grid(stack.db)
        time.sleep(1)
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    assert failures == [] and runs[0] > 4
    for tab in tabs:  # tabs opened before the import, on each worker, run pages without error
        assert exceptions(tab.run("sources")) == []
        tab.close()


def test_every_worker_serves_the_new_warehouse_without_restart(stack):
    if not (stack.db.parent / "imports" / "manifest.json").exists():  # when run alone
        for worker in ("w1", "w2"):
            assert not _sources_shows_import(Tab(stack.base, {"ESS_WORKER": worker}).run(
                "sources"))
        _import_grid(stack.db)
    pids = {w: stack.process(w)["pid"] for w in ("w1", "w2")}
    for worker in ("w1", "w2"):  # each worker opened the replaced file before the import
        assert _sources_shows_import(Tab(stack.base, {"ESS_WORKER": worker}).run("sources"))
    assert {w: stack.process(w)["pid"] for w in ("w1", "w2")} == pids  # no restart


def test_a_killed_worker_restarts_and_its_tabs_reconnect(stack):
    query = "niveau=departement&code=48"
    tab = Tab(stack.base, tag="killed")
    tab.get("/")
    victim = tab.cookies["ESS_WORKER"]
    other = ({"w1", "w2"} - {victim}).pop()
    before = tab.run("territoire", query)
    assert b"Loz\xc3\xa8re" in raw(before) and exceptions(before) == []
    old = stack.process(victim)
    os.kill(old["pid"], signal.SIGKILL)
    with pytest.raises(Exception):  # noqa: B017 - the WebSocket closes, however it says so
        tab.run("territoire", query, timeout=10)
    tab.close()
    # the frontend reconnects: it polls the health address, then opens a new WebSocket and
    # runs the page of its URL again; HAProxy sends both to the live worker at once
    started = time.monotonic()
    assert tab.get(serve.HEALTH)[0] == 200
    after = tab.run("territoire", query)
    assert time.monotonic() - started < 10
    assert exceptions(after) == [] and b"Loz\xc3\xa8re" in raw(after)
    assert tab.cookies["ESS_WORKER"] == other  # the new cookie names the live worker
    tab.close()
    # the supervisor starts it again (bounded), HAProxy sees it up and sends it visitors
    _wait(lambda: stack.process(victim)["restarts"] == 1 and serve.healthy(
        stack.process(victim)["health"]), 60, f"{victim} to be restarted")
    assert stack.process(victim)["pid"] != old["pid"]
    _wait(lambda: stack.server_status().get(victim) == "UP", 30, f"HAProxy to see {victim} up")
    back = Tab(stack.base, {"ESS_WORKER": victim}, tag="back")
    assert exceptions(back.run("territoire", query)) == []
    back.close()
    seen = _wait(lambda: stack.servers_of("back"), 10, "the tab's line in HAProxy's log")
    assert {server for server, _ in seen} == {victim}


BROWSER = textwrap.dedent("""
    import json, os, signal, sys, time
    from playwright.sync_api import sync_playwright
    from tests.browser.conftest import ARGS, CHROMIUM
    url, state = sys.argv[1], sys.argv[2]
    seen = {}

    def until(condition, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if condition():
                return True
            time.sleep(0.2)
        return False

    def running(page):
        return page.query_selector("[data-testid=stStatusWidget]") is not None

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.get_by_text("Lozère").first.wait_for(timeout=60_000)
        seen["first_run_done"] = until(lambda: not running(page), 30)
        seen["url_before"] = page.url
        cookie = lambda: {c["name"]: c["value"] for c in context.cookies()}["ESS_WORKER"]
        seen["worker_before"] = cookie()
        page.evaluate("document.body.dataset.before = 'yes'")
        pids = {x["name"]: x["pid"] for x in json.load(open(state))["processes"]}
        os.kill(pids[seen["worker_before"]], signal.SIGKILL)
        seen["reconnected"] = until(lambda: cookie() != seen["worker_before"], 30)
        seen["worker_after"] = cookie()
        page.get_by_text("Lozère").first.wait_for(timeout=60_000)
        seen["second_run_done"] = until(lambda: not running(page), 30)
        seen["same_document"] = page.evaluate("document.body.dataset.before") == "yes"
        seen["url_after"] = page.url
        seen["exceptions"] = [e.inner_text() for e in
                              page.query_selector_all("[data-testid=stException]")]
        browser.close()
    print("BROWSER " + json.dumps(seen, ensure_ascii=False))
""")


def test_a_browser_tab_reconnects_after_its_worker_dies(stack):
    """In Chromium (its own process: the browser tests' session-wide Playwright holds this
    one's event loop): the tab's worker killed, the page comes back by itself."""
    from tests.browser.conftest import CHROMIUM
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    done = subprocess.run([sys.executable, "-c", BROWSER,
                           stack.base + "/territoire?niveau=departement&code=48",
                           str(stack.run_dir / "state.json")], cwd=ROOT, capture_output=True,
                          text=True, timeout=240)
    lines = [x for x in done.stdout.splitlines() if x.startswith("BROWSER ")]
    assert lines, done.stdout[-2000:] + done.stderr[-3000:]
    seen = json.loads(lines[-1][len("BROWSER "):])
    assert seen["first_run_done"] and seen["reconnected"] and seen["second_run_done"], seen
    assert seen["worker_after"] != seen["worker_before"]
    assert seen["same_document"]  # the tab reconnected; the page was not reloaded
    assert seen["url_after"] == seen["url_before"]  # the view is the same
    assert seen["exceptions"] == []


def test_stop_ends_every_process(stack):
    state = stack.state()
    assert stack.stop() == 0
    for p in state["processes"]:
        assert not _alive(p["pid"]), p
    with pytest.raises(ConnectionRefusedError):  # nothing listens on the public port
        socket.create_connection(("127.0.0.1", stack.port), timeout=2)
