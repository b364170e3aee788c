"""A worker killed under load, through the proxy: do its visitors get their pages back?

    python -m deploy.failover --url http://127.0.0.1:8080 --run-dir RUN [--tabs 20]

RUN is the --run-dir of a running `python -m ess_data.serve` (its state.json names each
worker's pid). TABS simulated tabs (bench.load's Tab: Streamlit's WebSocket protocol, as the
frontend speaks it) open bench.load's pages in turn, a click every 1-3 s; after --kill-at
seconds the worker --victim (default w1) gets SIGKILL. A tab whose run fails then does what
the frontend does: a new WebSocket (the proxy sends it to a live worker) and the same link
again, every 0.5 s until it is shown. Prints the runs that succeeded and failed, the tabs that
had to reconnect, the time from a failed run to its page shown again, and the links never shown
("lost": must be 0). Every loop is bounded (--duration, --timeout, 40 retries per link).
"""
import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import sys
import time
from pathlib import Path

from bench.load import PAGES, Tab, loopback_base

RETRIES = 40
RETRY_PAUSE = 0.5


async def _visitor(i: int, base: str, deadline: float, timeout: float, out: dict) -> None:
    rng = random.Random(i)
    tab = Tab(base, timeout)
    links = rng.sample(list(PAGES), len(PAGES))
    n = 0
    try:
        while time.monotonic() < deadline:
            link = links[n % len(links)]
            n += 1
            run = await tab.run(link)
            if not run.error:
                out["ok"] += 1
            else:
                out["failed"].append(run.error)
                failed_at = time.monotonic()
                for _ in range(RETRIES):  # the frontend reconnects and reruns the same link
                    await tab.close()
                    await asyncio.sleep(RETRY_PAUSE)
                    again = await tab.run(link)
                    if not again.error:
                        out["ok"] += 1
                        out["recovered_s"].append(time.monotonic() - failed_at)
                        out["reconnected"].add(i)
                        break
                else:
                    out["lost"].append(link)
            await asyncio.sleep(rng.uniform(1.0, 3.0))
    finally:
        await tab.close()


async def _kill(run_dir: Path, victim: str, after: float, out: dict) -> None:
    if not victim:
        return
    await asyncio.sleep(after)
    state = json.loads((run_dir / "state.json").read_text())
    pid = next(p["pid"] for p in state["processes"] if p["name"] == victim)
    os.kill(pid, signal.SIGKILL)
    out["killed"] = {"name": victim, "pid": pid}


async def main_async(args) -> dict:
    out = {"ok": 0, "failed": [], "recovered_s": [], "reconnected": set(), "lost": []}
    deadline = time.monotonic() + args.duration
    await asyncio.gather(
        _kill(args.run_dir, args.victim, args.kill_at, out),
        *(_visitor(i, args.url, deadline, args.timeout, out) for i in range(args.tabs)))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m deploy.failover", description=__doc__.split(
        "\n")[0])
    p.add_argument("--url", required=True, help="the proxy, on loopback")
    p.add_argument("--run-dir", type=Path, required=True, help="serve's --run-dir")
    p.add_argument("--tabs", type=int, default=20)
    p.add_argument("--duration", type=float, default=60, help="seconds of load")
    p.add_argument("--kill-at", type=float, default=20, help="seconds into the load")
    p.add_argument("--victim", default="w1", help="the worker killed (w1, w2...; '' for none)")
    p.add_argument("--timeout", type=float, default=60, help="seconds at most per run")
    args = p.parse_args(argv)
    args.url = loopback_base(args.url)
    out = asyncio.run(main_async(args))
    recovered = out["recovered_s"]
    kinds: dict[str, int] = {}
    for error in out["failed"]:
        kinds[error[:80]] = kinds.get(error[:80], 0) + 1
    print(f"killed {out.get('killed')}; runs ok {out['ok']}, failed {len(out['failed'])} "
          f"{kinds}; tabs reconnected {len(out['reconnected'])}"
          f"/{args.tabs}; page shown again after a failure: median "
          f"{statistics.median(recovered) if recovered else 0:.1f} s, max "
          f"{max(recovered, default=0):.1f} s; links lost {len(out['lost'])}")
    return 1 if out["lost"] else 0


if __name__ == "__main__":
    sys.exit(main())
