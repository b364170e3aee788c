"""`python -m ess_data.serve`: the production mode, several processes behind a reverse proxy.

N public workers (`streamlit run dashboard.py`, one per core by default) listen on 127.0.0.1;
HAProxy (Debian's package) listens on one public port, checks each worker's /_stcore/health,
keeps each visitor on one worker with a cookie (a tab's page, media files and WebSocket reach
the same process) and sends the visitors of a dead worker to the others. This supervisor writes
the proxy's configuration from deploy/haproxy.cfg.in, starts everything, restarts a worker or
the proxy when it dies (waiting longer after each quick failure, up to BACKOFF_MAX) and stops
everything on SIGINT or SIGTERM.

Public workers run with ESS_PUBLIC=1: dashboard.py does not offer the admin page and
pages/admin.py refuses to run, so no public process loads `ess_data.imports`. Imports run from
the command line, or from an admin instance bound to 127.0.0.1 (`make admin`). Every worker
reads the same warehouse file, read-only; an import or a build renames a new file over it, and
each worker opens the new file at its next query (ui/data.py keys its caches on the file's
modification time; ess_data.db.connect reads the file now at the path, not a DuckDB instance
still open on the replaced one). Hosts, sizing and the proxy's settings: docs/deploy.md.

Plain Python, no Streamlit: the workers are separate processes.
"""
import argparse
import contextlib
import ctypes
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ess_data.config import ROOT, db_path

PUBLIC_ENV = "ESS_PUBLIC"
COOKIE_SECRET = "STREAMLIT_SERVER_COOKIE_SECRET"
TEMPLATE = ROOT / "deploy" / "haproxy.cfg.in"
HEALTH = "/_stcore/health"
BACKOFF_FIRST = 1.0  # seconds before restarting a process that died; doubled at each quick death
BACKOFF_MAX = 30.0
STABLE = 60.0  # seconds up after which a death is not "quick" (the backoff starts again)
START_TIMEOUT = 120.0  # seconds for every worker, then the proxy, to answer at start
MAXCONN = 4096  # the proxy's open connections (one per open tab, plus its requests)
log = logging.getLogger("ess_data.serve")


def cores() -> int:
    """The cores this process may run on (its CPU affinity, e.g. a container's cpuset)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def public(environ=os.environ) -> bool:
    """True in a public worker: `ESS_PUBLIC` set to anything but empty, 0, false, non or no
    (a misspelt value keeps the worker public)."""
    return environ.get(PUBLIC_ENV, "").strip().lower() not in {"", "0", "false", "non", "no"}


def worker_argv(port: int, host: str = "127.0.0.1") -> list[str]:
    """The command of one public worker: the dashboard as `make run` serves it, plus settings
    no config file can turn back on (no agent API, no file watcher)."""
    return [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
            "--server.port", str(port), "--server.address", host,
            "--server.headless", "true", "--server.runOnSave", "false",
            "--server.fileWatcherType", "none", "--server.enableAgentApi", "false",
            "--browser.gatherUsageStats", "false"]


def worker_env(db: Path, cookie_secret: str, environ=os.environ) -> dict[str, str]:
    """A public worker's environment: ESS_PUBLIC=1, the warehouse, no ESS_ADMIN, and one cookie
    secret shared by every worker (a signed cookie made by one is valid on the others, so a
    session moved to another worker after a death keeps its XSRF token; set the same
    STREAMLIT_SERVER_COOKIE_SECRET on every host for the same across hosts)."""
    env = {k: v for k, v in environ.items() if k != "ESS_ADMIN"}
    env.update({PUBLIC_ENV: "1", "ESS_DB": str(db), COOKIE_SECRET: cookie_secret})
    return env


def proxy_config(template: str, bind: str, servers: list[str], stats_socket: Path,
                 maxconn: int = MAXCONN) -> str:
    """The proxy's configuration: `template` (deploy/haproxy.cfg.in) with its fields filled;
    `servers` are the workers' "host:port", named w1, w2... (the stickiness cookie's values)."""
    lines = "\n".join(f"    server w{i} {address} cookie w{i}"
                      for i, address in enumerate(servers, 1))
    return string.Template(template).substitute(bind=bind, servers=lines, maxconn=maxconn,
                                                stats_socket=stats_socket)


def free_ports(n: int, host: str = "127.0.0.1") -> list[int]:
    """`n` distinct TCP ports free on `host` now."""
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind((host, 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def healthy(url: str, timeout: float = 2.0) -> bool:
    """True when `url` (a /_stcore/health address) answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def _listening(address: str) -> bool:
    """True when something accepts TCP connections at `address` ("host:port")."""
    host, _, port = address.rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=1.0).close()
    except OSError:
        return False
    return True


def _die_with_parent() -> None:  # runs in the child between fork and exec
    # Linux: the child gets SIGTERM when the supervisor dies, even by SIGKILL (PR_SET_PDEATHSIG)
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)


@dataclass
class Child:
    """One supervised process: how to start it, and when it died and may start again."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path | None = None
    health: str | None = None  # its health address, if it has one
    proc: subprocess.Popen | None = None
    started: float = 0.0
    quick_deaths: int = 0
    restart_at: float | None = None
    restarts: int = 0

    def start(self) -> None:
        """Start (or start again) the process, in its own session so that a Ctrl-C in the
        supervisor's terminal reaches the supervisor only, which then stops it in order."""
        out = open(self.log_path, "ab") if self.log_path else None
        try:
            self.proc = subprocess.Popen(
                self.argv, env=self.env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT if out else None, start_new_session=True,
                preexec_fn=_die_with_parent)
        finally:
            if out:
                out.close()
        self.started = time.monotonic()
        self.restart_at = None

    def check(self, now: float) -> None:
        """Start again a process that died, after its backoff."""
        if self.proc is None:
            return
        code = self.proc.poll()
        if code is None:
            if now - self.started >= STABLE:
                self.quick_deaths = 0
            return
        if self.restart_at is None:
            self.quick_deaths = self.quick_deaths + 1 if now - self.started < STABLE else 1
            delay = min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (self.quick_deaths - 1))
            log.warning("%s (pid %d) s'est arrêté (code %s) : relancé dans %.0f s", self.name,
                        self.proc.pid, code, delay)
            self.restart_at = now + delay
        elif now >= self.restart_at:
            self.start()
            self.restarts += 1
            log.warning("%s relancé (pid %d, relance n° %d)", self.name, self.proc.pid,
                        self.restarts)

    def terminate(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()

    def wait(self, deadline: float) -> None:
        """Wait for the process to exit until `deadline` (monotonic), then kill it."""
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Supervisor:
    """The workers and the proxy of one host: start, restart, stop (see the module's text)."""

    def __init__(self, *, workers: int, host: str, port: int, db: Path, worker_port: int,
                 worker_host: str = "127.0.0.1", remotes: tuple[str, ...] = (),
                 proxy: bool = True, template: Path = TEMPLATE, run_dir: Path | None = None,
                 log_dir: Path | None = None, haproxy: str = "haproxy"):
        self.db = Path(db).absolute()  # not resolve(): a symlink swapped later must be followed
        self.host, self.port, self.proxy = host, port, proxy
        self.run_dir = Path(run_dir or tempfile.mkdtemp(prefix="ess-serve-"))
        self.own_run_dir = run_dir is None
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir = Path(log_dir) if log_dir else None
        if self.log_dir:
            self.log_dir.mkdir(parents=True, exist_ok=True)
        ports = (free_ports(workers, worker_host) if worker_port == 0
                 else [worker_port + i for i in range(workers)])
        probe = "127.0.0.1" if worker_host in ("0.0.0.0", "::") else worker_host
        env = worker_env(self.db, os.environ.get(COOKIE_SECRET) or secrets.token_hex(32))
        self.workers = [Child(f"w{i}", worker_argv(p, worker_host), env, self._log(f"w{i}"),
                              health=f"http://{probe}:{p}{HEALTH}")
                        for i, p in enumerate(ports, 1)]
        self.servers = [f"{probe}:{p}" for p in ports] + list(remotes)
        self.config_path = self.run_dir / "haproxy.cfg"
        self.stopping = False
        self.children = list(self.workers)
        if proxy:
            self.config_path.write_text(proxy_config(
                Path(template).read_text(encoding="utf-8"), f"{host}:{port}", self.servers,
                self.run_dir / "haproxy.sock"), encoding="utf-8")
            probe_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
            self.children.append(Child("haproxy", [haproxy, "-db", "-f", str(self.config_path)],
                                       dict(os.environ), self._log("haproxy"),
                                       health=f"http://{probe_host}:{port}{HEALTH}"))

    def _log(self, name: str) -> Path | None:
        return self.log_dir / f"{name}.log" if self.log_dir else None

    def write_state(self) -> None:
        """Write run_dir/state.json: each process's name, pid, health address and restarts."""
        state = {"url": f"http://{self.host}:{self.port}/" if self.proxy else None,
                 "config": str(self.config_path) if self.proxy else None,
                 "processes": [{"name": c.name, "pid": c.proc.pid if c.proc else None,
                                "health": c.health, "restarts": c.restarts}
                               for c in self.children]}
        tmp = self.run_dir / ".state.json.tmp"
        tmp.write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, self.run_dir / "state.json")

    def _wait_ready(self, children: list[Child], timeout: float, ready=None) -> None:
        """Wait until each child is ready (by default: its health address answers 200)."""
        deadline = time.monotonic() + timeout
        waiting = list(children)
        while waiting:
            for child in list(waiting):
                if child.proc.poll() is not None:
                    raise RuntimeError(f"{child.name} s'est arrêté au démarrage (code "
                                       f"{child.proc.returncode}){self._tail(child)}")
                if (ready or (lambda c: healthy(c.health, timeout=1.0)))(child):
                    waiting.remove(child)
            if waiting and (self.stopping or time.monotonic() > deadline):
                raise RuntimeError("ne répond pas : " + ", ".join(c.name for c in waiting))
            if waiting:
                time.sleep(0.2)

    @staticmethod
    def _tail(child: Child) -> str:
        if child.log_path and child.log_path.exists():
            return "\n" + child.log_path.read_text(errors="replace")[-2000:]
        return ""

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start the workers, wait until each answers, then start the proxy and wait for it."""
        for child in self.workers:
            child.start()
        self.write_state()
        self._wait_ready(self.workers, timeout)
        if self.proxy:  # ready once it listens: workers of other hosts may come up later
            proxy = self.children[-1]
            proxy.start()
            self.write_state()
            self._wait_ready([proxy], 30, lambda c: _listening(c.health.split("/")[2]))

    def step(self) -> None:
        """Restart what died (once its backoff has passed)."""
        now = time.monotonic()
        before = [c.proc.pid for c in self.children]
        for child in self.children:
            child.check(now)
        if [c.proc.pid for c in self.children] != before:
            self.write_state()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the proxy first (no new request reaches a stopping worker), then the workers."""
        deadline = time.monotonic() + timeout
        for child in reversed(self.children):
            child.terminate()
            if child.name == "haproxy":
                child.wait(deadline)
        for child in self.children:
            child.wait(deadline)
        if self.own_run_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def run(self) -> int:
        """Start, supervise until SIGINT or SIGTERM, stop; return the exit code."""
        def _stop(signum, frame):
            self.stopping = True
        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        try:
            self.start()
            ports = ", ".join(c.health.split("/")[2] for c in self.workers)
            if self.proxy:
                log.info("tableau de bord servi sur http://%s:%d/ (HAProxy, %d processus : %s ; "
                         "configuration %s)", self.host, self.port, len(self.workers), ports,
                         self.config_path)
            else:
                log.info("%d processus sans mandataire : %s", len(self.workers), ports)
            while not self.stopping:
                self.step()
                time.sleep(0.2)
            log.info("arrêt demandé")
            return 0
        except RuntimeError as exc:
            if self.stopping:  # stopped while starting
                return 0
            log.error("%s", exc)
            return 1
        finally:
            self.stop()


def parser() -> argparse.ArgumentParser:
    """The command line of `python -m ess_data.serve`."""
    p = argparse.ArgumentParser(
        prog="python -m ess_data.serve",
        description="Servir le tableau de bord sur plusieurs processus derrière HAProxy "
                    "(mode production ; voir docs/deploy.md).")
    p.add_argument("--workers", type=int, default=cores(),
                   help="processus publics sur cette machine (défaut : un par cœur, %(default)s)")
    p.add_argument("--host", default="127.0.0.1",
                   help="adresse d'écoute du mandataire (défaut %(default)s ; 0.0.0.0 pour "
                        "l'ouvrir au réseau)")
    p.add_argument("--port", type=int, default=8080, help="port public (défaut %(default)s)")
    p.add_argument("--worker-port", type=int, default=8601,
                   help="port du premier processus, les suivants à la suite (0 : ports libres "
                        "au hasard ; défaut %(default)s)")
    p.add_argument("--worker-host", default="127.0.0.1",
                   help="adresse d'écoute des processus (défaut %(default)s ; l'adresse privée "
                        "de la machine quand le mandataire est sur une autre)")
    p.add_argument("--remote", action="append", default=[], metavar="HÔTE:PORT",
                   help="processus d'une autre machine à mettre derrière le mandataire "
                        "(répétable ; lancés là-bas avec --no-proxy)")
    p.add_argument("--no-proxy", action="store_true",
                   help="lancer et surveiller les processus seulement (le mandataire est ailleurs)")
    p.add_argument("--db", type=Path, default=None,
                   help="entrepôt servi (défaut : $ESS_DB ou data/ess.duckdb)")
    p.add_argument("--template", type=Path, default=TEMPLATE,
                   help="modèle de configuration HAProxy (défaut deploy/haproxy.cfg.in)")
    p.add_argument("--run-dir", type=Path, default=None,
                   help="dossier de la configuration écrite, du socket d'administration HAProxy "
                        "et de state.json (défaut : dossier temporaire effacé à l'arrêt)")
    p.add_argument("--log-dir", type=Path, default=None,
                   help="journaux des processus et du mandataire, un fichier chacun (défaut : "
                        "la sortie d'erreur de cette commande)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Check the command line, the warehouse and HAProxy; serve until stopped."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s serve %(message)s",
                        stream=sys.stderr)
    db = args.db or db_path()
    if not db.exists():
        log.error("entrepôt introuvable : %s (lancez `make build`)", db)
        return 2
    if args.workers < 0 or (args.workers == 0 and not args.remote):
        log.error("--workers doit être positif (ou 0 avec --remote)")
        return 2
    haproxy = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")
    if not args.no_proxy and haproxy is None:
        log.error("haproxy introuvable : apt-get install haproxy")
        return 2
    if not args.no_proxy and args.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("mandataire ouvert au réseau sur %s:%d", args.host, args.port)
    return Supervisor(workers=args.workers, host=args.host, port=args.port, db=db,
                      worker_port=args.worker_port, worker_host=args.worker_host,
                      remotes=tuple(args.remote), proxy=not args.no_proxy,
                      template=args.template, run_dir=args.run_dir, log_dir=args.log_dir,
                      haproxy=haproxy or "haproxy").run()


if __name__ == "__main__":
    sys.exit(main())
