"""A real server (`streamlit run dashboard.py` on the shipped warehouse) and Debian's Chromium."""
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ess_data.config import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run dashboard.py` on a free port; return the process and base URL."""
    port = _free_port()
    env = {**os.environ, "ESS_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{base}/_stcore/health", timeout=2).status == 200:
                return proc, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail("the dashboard did not start: " + proc.stderr.read().decode()[-2000:])


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server started by start_server."""
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def server(real_db):
    """Base URL of the dashboard served as `make run` serves it."""
    proc, base = start_server(real_db)
    yield base
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Visit:
    """One page opened in a fresh context, with every request that tried to leave localhost."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1440, "height": 1000},
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.errors: list[str] = []  # uncaught JavaScript errors (the map is our own code)
        self.page.on("request", self._record)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url)
        self.page.wait_for_selector("[data-testid=stApp]", timeout=60_000)

    def _record(self, request) -> None:
        url = request.url
        if not LOCAL.match(url) and not url.startswith(("data:", "blob:", "about:")):
            self.outside.append(url)

    def wait_text(self, text: str, timeout: int = 60_000) -> None:
        """Wait until `text` is shown on the page."""
        self.page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)

    def exceptions(self) -> list[str]:
        return [e.inner_text() for e in self.page.query_selector_all("[data-testid=stException]")]

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def visit(browser):
    """Open pages; each is closed after the test."""
    opened = []

    def _open(url: str) -> Visit:
        v = Visit(browser, url)
        opened.append(v)
        return v
    yield _open
    for v in opened:
        v.close()
