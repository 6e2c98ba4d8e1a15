"""Call-next with many windows calling at once against one central, over loopback.

    .venv/bin/python bench/bench_queue.py [--windows 200] [--rounds 5] [--db URL] [--pace SECONDS]

The central runs as its own process (uvicorn, one worker, no access log) on a SQLite file, or
on the PostgreSQL database given by --db (default: $HALLCLIENT_TEST_PG_URL as a second run when
it is set). Tickets are issued first (rounds × windows, one in four on the green channel, two
categories); then every window, in client processes of 50 threads each with its own HTTP
connection, waits at a barrier and calls: call-next (timed), start service (not timed), again,
`--rounds` times. `--pace S`: instead of calling back to back, each window waits a random
0..2S between calls (a hall where 200 windows each call every S seconds on average).

Prints calls/s, p50/p95/p99/max latency of call-next, and checks that no ticket was called
twice and none was lost. Budget (DESIGN.md): no ticket called twice, p99 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import select  # noqa: E402

from hallclient.central.accounts import create_account  # noqa: E402
from hallclient.central.database import open_central  # noqa: E402
from hallclient.central.queue_intake import issue  # noqa: E402
from hallclient.central.queue_service import QueueConfig  # noqa: E402
from hallclient.central.queue_store import TICKETS  # noqa: E402
from hallclient.core.queue import TicketType  # noqa: E402

CATEGORIES = ["无差别受理", "市场准入"]
THREADS_PER_PROCESS = 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str, port: int) -> None:
    import uvicorn

    from hallclient.central.app import create_app

    uvicorn.run(create_app(url), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _window(api: str, token: str, categories: list[str], rounds: int, pace: float, barrier: Any,
            out: list[tuple[float, str | None, str | None]]) -> None:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    rng = random.Random(token)
    barrier.wait()
    for _ in range(rounds):
        if pace:
            time.sleep(rng.uniform(0, 2 * pace))
        began = time.perf_counter()
        answer = http.post(f"{api}/queue/call-next", json={"categories": categories}, timeout=60)
        elapsed = time.perf_counter() - began
        if answer.status_code != 200:
            out.append((elapsed, None, f"{answer.status_code} {answer.text[:200]}"))
            continue
        ticket = answer.json()["ticket"]
        out.append((elapsed, ticket["id"] if ticket else None, None))
        if ticket:
            http.post(f"{api}/queue/tickets/{ticket['id']}/start", json={}, timeout=60)
    http.close()


def _client_process(api: str, jobs: list[tuple[str, list[str]]], rounds: int, pace: float, barrier: Any,
                    results: Any) -> None:
    out: list[tuple[float, str | None, str | None]] = []
    threads = [threading.Thread(target=_window, args=(api, token, cats, rounds, pace, barrier, out))
               for token, cats in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(out)


def run(url: str, label: str, windows: int, rounds: int, pace: float) -> bool:
    store = open_central(url)
    config = QueueConfig()
    tokens: list[str] = []
    with store.session() as session, session.begin():
        for n in range(windows):
            tokens.append(create_account(session, f"b{n}-{uuid.uuid4().hex[:6]}", f"窗口{n}"))
    issued = set()
    with store.session() as session:
        for i in range(windows * rounds):
            kind = TicketType.PRIORITY if i % 4 == 3 else TicketType.NORMAL
            issued.add(issue(session, config, CATEGORIES[i % 2], kind, source="bench")["id"])
    store.close()
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve", url, str(port)], cwd=ROOT)
    api = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{api}/health", timeout=1)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError("central did not start") from None
                time.sleep(0.1)
        jobs = [(token, CATEGORIES if n % 3 == 0 else [CATEGORIES[n % 2]]) for n, token in enumerate(tokens)]
        chunks = [jobs[i:i + THREADS_PER_PROCESS] for i in range(0, len(jobs), THREADS_PER_PROCESS)]
        ctx = mp.get_context("fork")
        barrier, results = ctx.Barrier(len(jobs)), ctx.Queue()
        procs = [ctx.Process(target=_client_process, args=(api, chunk, rounds, pace, barrier, results))
                 for chunk in chunks]
        began = time.perf_counter()
        for proc in procs:
            proc.start()
        samples: list[tuple[float, str | None, str | None]] = []
        for _ in procs:
            samples.extend(results.get(timeout=600))
        wall = time.perf_counter() - began
        for proc in procs:
            proc.join()
    finally:
        server.terminate()
        server.wait(10)
    errors = [e for _, _, e in samples if e]
    called = [t for _, t, _ in samples if t]
    twice = [t for t, n in Counter(called).items() if n > 1]
    store = open_central(url)
    with store.session() as session:  # a window whose categories ran dry got "nobody waiting"
        waiting = set(session.execute(select(TICKETS.c.id).where(TICKETS.c.state == "waiting")).scalars())
    store.close()
    lost = issued - set(called) - waiting
    ms = sorted(s * 1000 for s, _, _ in samples)
    q = statistics.quantiles(ms, n=100)
    print(f"{label}: {windows} windows × {rounds} calls{f', pace {pace} s' if pace else ' back to back'}: "
          f"{len(called)} calls in {wall:.2f} s = {len(samples) / wall:.0f} calls/s; call-next latency "
          f"p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, p99 {q[98]:.1f} ms, max {ms[-1]:.1f} ms")
    print(f"{label}: called twice: {len(twice)}; lost: {len(lost)}; still waiting: {len(waiting)}; "
          f"errors: {len(errors)}"
          + (f" (first: {errors[0]})" if errors else ""))
    return not twice and not lost and not errors


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--windows", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pace", type=float, default=0.0)
    parser.add_argument("--db", help="a PostgreSQL URL (default: $HALLCLIENT_TEST_PG_URL when set)")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        ok &= run(f"sqlite:///{Path(tmp) / 'central.db'}", "SQLite", args.windows, args.rounds, args.pace)
    pg = args.db or os.environ.get("HALLCLIENT_TEST_PG_URL")
    if pg:
        ok &= _run_pg(pg, args)
    return 0 if ok else 1


def _run_pg(base: str, args: argparse.Namespace) -> bool:
    """On a schema of its own, dropped afterwards."""
    import sqlalchemy

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sqlalchemy.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        separator = "&" if "?" in base else "?"
        return run(f"{base}{separator}options=-csearch_path%3D{schema}", "PostgreSQL", args.windows, args.rounds,
                   args.pace)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
