"""Call-next with many windows calling at once against one central, over loopback, measured
against the database's own limit in the same run.

    .venv/bin/python bench/bench_queue.py [--windows 200] [--rounds 5] [--pace 2] [--db URL]
                                          [--workers 1,2,4] [--profile DIR]

For each database (a SQLite file; then the PostgreSQL of --db or $HALLCLIENT_TEST_PG_URL, on a
schema of its own) the bench measures:

* **the bare limit**: one thread doing, over the database driver alone (sqlite3 / psycopg), what
  a call-next must do: pick the oldest waiting ticket, a conditional UPDATE, one event row,
  COMMIT (SQLite: WAL, synchronous=FULL, as the central opens it). Its calls/s and time per call
  are the yardstick; absolute times differ 2–3× from machine to machine, ratios do not.
* **the burst**: every window (client processes of 50 threads, each window its own token and
  HTTP connection) waits at a barrier and calls at the same moment: call-next (timed), then,
  after the next barrier, start service (not timed), `--rounds` times. The central's CPU time
  (its processes, from /proc) is summed over the call-next phases only: `server CPU per
  call-next`.
* **the paced hall**: each window waits a random 0..2×`--pace` s between calls (200 windows
  each calling every 2 s on average), for every worker count.

Tickets are issued first (rounds × windows, one in four on the green channel, two categories),
and each phase runs on a database of its own (on PostgreSQL analyzed once the tickets are in, as
autovacuum has analyzed the tables of any central that has run a day). A start the central
refuses counts as an error too. Every phase checks that no ticket was called twice
and none was lost. `--workers`: the central's worker processes (PostgreSQL only; SQLite always
runs one). `--pool-size N`: the central's database connections per worker. `--profile DIR`: py-spy samples the central over the burst and the top functions
(own time and with callees) are printed and written to DIR.

Budgets (issue 16): server CPU per call-next ≤ 4× the bare transaction; paced p99 ≤ 100 ms;
burst p99 ≤ 5 × (windows / bare calls per second). The last line is one JSON object with every
figure.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
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
BARE_CALLS = 2000
Sample = tuple[float, str | None, str | None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the central under test ---------------------------------------------------------------------


def _factory() -> Any:
    from hallclient.central.app import create_app

    return create_app(os.environ["BENCH_QUEUE_URL"], fast_path=os.environ.get("BENCH_QUEUE_FAST_PATH") != "0")


def serve(url: str, port: int, workers: int) -> None:
    import uvicorn

    os.environ["BENCH_QUEUE_URL"] = url
    uvicorn.run("bench.bench_queue:_factory", factory=True, host="127.0.0.1", port=port, workers=workers,
                log_level="warning", access_log=False)


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (a multi-worker central is a supervisor and its workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the processes (from /proc/PID/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


POOL_FOR_WORKERS = {1: 40, 2: 30, 4: 12}  # PostgreSQL's default max_connections is 100 (docs/scaling.md)


@contextmanager
def central(url: str, workers: int) -> Iterator[tuple[str, int]]:
    """The central as a hall runs it: `hallclient central` (with `--workers N` on PostgreSQL)."""
    port = free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-central-"))
    command = [sys.executable, "-m", "hallclient", "central", "--data-dir", str(data_dir), "--db", url,
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"]
    if workers > 1:
        command += ["--workers", str(workers)]
    pool = os.environ.get("BENCH_QUEUE_POOL") or (str(POOL_FOR_WORKERS.get(workers, 10)) if workers > 1 else None)
    if pool:
        command += ["--pool-size", pool]
    if os.environ.get("BENCH_QUEUE_FAST_PATH") == "0":  # the central without its fast path, for comparison
        command = [sys.executable, __file__, "--serve", url, str(port), "1"]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    api = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{api}/health", timeout=1)
                break
            except requests.RequestException:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("central did not start") from None
                time.sleep(0.1)
        if workers > 1:
            while _serving_workers(url) < workers and time.monotonic() < deadline:
                time.sleep(0.2)
        yield api, server.pid
    finally:
        server.terminate()
        server.wait(30)


def _serving_workers(url: str) -> int:
    """PostgreSQL: how many central processes have opened their pools (application_name)."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(DISTINCT application_name) FROM pg_stat_activity "
                                            "WHERE application_name LIKE 'hallclient-central-%%'").scalar_one())
    finally:
        engine.dispose()


# --- the windows --------------------------------------------------------------------------------


class _Http:
    """One window's kept-alive connection (http.client: the load generator shares the machine
    with the central, and requests costs several times its CPU per call). A connection idle for
    longer than the central keeps it (HttpLimits.keep_alive_timeout, 5 s) is opened again before
    the call, as a browser or requests would."""

    IDLE_S = 4.0

    def __init__(self, api: str, token: str) -> None:
        parsed = urllib.parse.urlsplit(api)
        self.prefix, self.host, self.port = parsed.path, parsed.hostname, parsed.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.last = time.monotonic()

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, bytes]:
        if time.monotonic() - self.last > self.IDLE_S:
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.conn.request("POST", self.prefix + path, json.dumps(body).encode(), self.headers)
        answer = self.conn.getresponse()
        data = answer.read()
        self.last = time.monotonic()
        return answer.status, data


def _window(api: str, token: str, categories: list[str], rounds: int, pace: float, barrier: Any,
            out: list[Sample]) -> None:
    http = _Http(api, token)
    rng = random.Random(token)
    # Warm-up, not measured: the window's row of the day, its HTTP connection, and the central's
    # lazily built route state in whichever worker serves it (a category nobody waits in).
    http.post("/queue/call-next", {"categories": ["预热"]})
    barrier.wait()
    for _ in range(rounds):
        if pace:
            time.sleep(rng.uniform(0, 2 * pace))
        began = time.perf_counter()
        try:
            status, body = http.post("/queue/call-next", {"categories": categories})
        except OSError as exc:  # counted as an error, never a window silently gone
            status, body = 0, f"{type(exc).__name__}: {exc}".encode()
        elapsed = time.perf_counter() - began
        ticket = None
        if status != 200:
            out.append((elapsed, None, f"{status} {body[:200].decode(errors='replace')}"))
        else:
            ticket = json.loads(body)["ticket"]
            out.append((elapsed, ticket["id"] if ticket else None, None))
        if not pace:
            barrier.wait()  # every window has called: the parent reads the central's CPU time
        if ticket:
            try:
                status, body = http.post(f"/queue/tickets/{ticket['id']}/start", {})
            except OSError as exc:
                status, body = 0, f"{type(exc).__name__}: {exc}".encode()
            if status != 200:  # recorded (not timed): the window's next call would be refused for it
                out.append((0.0, None, f"start: {status} {body[:200].decode(errors='replace')}"))
        if not pace:
            barrier.wait()  # every window has started its ticket
    http.conn.close()


def _client_process(api: str, jobs: list[tuple[str, list[str]]], rounds: int, pace: float, barrier: Any,
                    results: Any) -> None:
    out: list[Sample] = []
    threads = [threading.Thread(target=_window, args=(api, token, cats, rounds, pace, barrier, out))
               for token, cats in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(out)


def prepare(url: str, windows: int, rounds: int) -> tuple[list[str], set[str]]:
    """Window accounts and rounds × windows waiting tickets."""
    store = open_central(url)
    tokens: list[str] = []
    with store.session() as session, session.begin():
        for n in range(windows):
            tokens.append(create_account(session, f"b{n}-{uuid.uuid4().hex[:6]}", f"窗口{n}"))
    issued = set()
    config = QueueConfig()
    with store.session() as session:
        for i in range(windows * rounds):
            kind = TicketType.PRIORITY if i % 4 == 3 else TicketType.NORMAL
            issued.add(issue(session, config, CATEGORIES[i % 2], kind, source="bench")["id"])
    if store.engine.dialect.name == "postgresql":
        # A central that has run a day has statistics of its tables (autovacuum analyzes them);
        # a schema made a second ago has none, and PostgreSQL plans blind on it.
        with store.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    store.close()
    return tokens, issued


def calling(url: str, windows: int, rounds: int, pace: float, workers: int,
            profile: Path | None = None) -> dict[str, Any]:
    """One phase: burst (pace 0) or paced; latency, checks, and the central's CPU per call-next."""
    tokens, issued = prepare(url, windows, rounds)
    jobs = [(token, CATEGORIES if n % 3 == 0 else [CATEGORIES[n % 2]]) for n, token in enumerate(tokens)]
    chunks = [jobs[i:i + THREADS_PER_PROCESS] for i in range(0, len(jobs), THREADS_PER_PROCESS)]
    ctx = mp.get_context("fork")
    with central(url, workers) as (api, pid):
        pids = _tree(pid)
        barrier, results = ctx.Barrier(len(jobs) + 1), ctx.Queue()
        procs = [ctx.Process(target=_client_process, args=(api, chunk, rounds, pace, barrier, results))
                 for chunk in chunks]
        for proc in procs:
            proc.start()
        spy = _start_profile(pid, profile) if profile else None
        cpu_calls = 0.0
        barrier.wait()
        began = time.perf_counter()
        cpu_began = cpu_seconds(pids)
        if not pace:
            for _ in range(rounds):
                before = cpu_seconds(pids)
                barrier.wait()  # the round's call-nexts are answered
                cpu_calls += cpu_seconds(pids) - before
                barrier.wait()  # its starts are answered
        samples: list[Sample] = []
        for _ in procs:
            samples.extend(results.get(timeout=900))
        wall = time.perf_counter() - began
        cpu_all = cpu_seconds(pids) - cpu_began
        for proc in procs:
            proc.join()
        top = _stop_profile(spy, profile) if spy else None
    errors = [e for _, _, e in samples if e]
    samples = [sample for sample in samples if not (sample[2] or "").startswith("start:")]  # call-nexts only
    called = [t for _, t, _ in samples if t]
    twice = [t for t, n in Counter(called).items() if n > 1]
    store = open_central(url)
    with store.session() as session:  # a window whose categories ran dry got "nobody waiting"
        waiting = set(session.execute(select(TICKETS.c.id).where(TICKETS.c.state == "waiting")).scalars())
    store.close()
    lost = issued - set(called) - waiting
    ms = sorted(s * 1000 for s, _, _ in samples)
    q = statistics.quantiles(ms, n=100)
    figures: dict[str, Any] = {
        "calls": len(samples), "calls_per_s": round(len(samples) / wall, 1),
        "p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1), "p99_ms": round(q[98], 1),
        "max_ms": round(ms[-1], 1), "twice": len(twice), "lost": len(lost), "errors": len(errors),
        "server_cpu_s": round(cpu_all, 2),
    }
    if not pace:
        figures["server_cpu_per_call_ms"] = round(cpu_calls * 1000 / len(samples), 3)
    if errors:
        figures["first_error"] = errors[0]
    if top:
        figures["profile_top"] = top
    return figures


# --- py-spy over the burst ----------------------------------------------------------------------


def _start_profile(pid: int, out_dir: Path) -> subprocess.Popen[bytes]:
    out_dir.mkdir(parents=True, exist_ok=True)
    spy = ROOT / ".venv" / "bin" / "py-spy"
    return subprocess.Popen([str(spy), "record", "--format", "raw", "--rate", "200", "--subprocesses", "--gil",
                             "--nonblocking", "-o", str(out_dir / "central.raw"), "--pid", str(pid)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


IDLE = ("EpollSelector.select", "Condition.wait", "Event.wait", "_worker (concurrent")


def _stop_profile(spy: subprocess.Popen[bytes], out_dir: Path, count: int = 15) -> dict[str, Any]:
    spy.send_signal(signal.SIGINT)
    spy.wait(60)
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in (out_dir / "central.raw").read_text(errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread "))]
        if not frames or frames[-1].startswith(IDLE):
            continue  # the event loop waiting for sockets, pool threads waiting for work
        samples += int(n)
        own[frames[-1]] += int(n)
        for frame in set(frames):
            total[frame] += int(n)
    table = {"samples": samples,
             "own": [(f, round(100 * n / samples, 1)) for f, n in own.most_common(count)],
             "cumulative": [(f, round(100 * n / samples, 1)) for f, n in total.most_common(count * 2)]}
    (out_dir / "top.json").write_text(json.dumps(table, ensure_ascii=False, indent=1))
    return table


# --- the bare limit -----------------------------------------------------------------------------

_PICK = ("SELECT id FROM queue_tickets WHERE day = {p} AND state = 'waiting' AND for_window IS NULL "
         "AND category = {p} ORDER BY front DESC, queued_at, issued_at, seq LIMIT 1")
_TAKE = ("UPDATE queue_tickets SET state = 'called', window = {p}, calls = calls + 1, last_called_at = {p}, "
         "updated_at = {p} WHERE id = {p} AND state = 'waiting'")
_EVENT = ("INSERT INTO queue_events (uuid, ticket_id, day, kind, at, window, data) "
          "VALUES ({p}, {p}, {p}, 'called', {p}, {p}, {p})")


def _bare_loop(execute: Callable[[str, tuple[Any, ...]], Any], begin: Callable[[], None],
               commit: Callable[[], None], placeholder: str, calls: int) -> tuple[float, float, int]:
    pick, take, event = (s.format(p=placeholder) for s in (_PICK, _TAKE, _EVENT))
    if placeholder == "%s":  # PostgreSQL: "window" is a reserved word there
        take, event = take.replace("window =", '"window" ='), event.replace(", window,", ', "window",')
    day = QueueConfig().today()
    done = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(calls):
        begin()
        row = execute(pick, (day, CATEGORIES[n % 2])).fetchone()
        if row is None:
            commit()
            break
        now = datetime.now().astimezone().isoformat()
        if execute(take, (f"W{n % 200}", now, now, row[0])).rowcount == 1:
            execute(event, (str(uuid.uuid4()), row[0], day, now, f"W{n % 200}", '{"by": "next"}'))
            done += 1
        commit()
    return time.perf_counter() - wall, time.process_time() - cpu, done


def bare_sqlite(path: Path, calls: int) -> dict[str, Any]:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    wall, cpu, done = _bare_loop(db.execute, lambda: db.execute("BEGIN IMMEDIATE"), lambda: db.execute("COMMIT"),
                                 "?", calls)
    db.close()
    return _bare_figures(wall, cpu, done)


def bare_postgres(url: str, calls: int) -> dict[str, Any]:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    options = parsed.query.get("options")
    conn = psycopg.connect(host=parsed.host, port=parsed.port or 5432, user=parsed.username,
                           password=parsed.password, dbname=parsed.database,
                           **({"options": options} if isinstance(options, str) else {}))
    cur = conn.cursor()
    wall, cpu, done = _bare_loop(cur.execute, lambda: None, conn.commit, "%s", calls)
    conn.close()
    return _bare_figures(wall, cpu, done)


def _bare_figures(wall: float, cpu: float, done: int) -> dict[str, Any]:
    return {"calls": done, "calls_per_s": round(done / wall, 1), "ms_per_call": round(wall * 1000 / done, 3),
            "cpu_ms_per_call": round(cpu * 1000 / done, 3)}


# --- one database -------------------------------------------------------------------------------


def measure(label: str, new_url: Callable[[], str], bare: Callable[[str], dict[str, Any]], args: argparse.Namespace,
            workers: list[int]) -> dict[str, Any]:
    url = new_url()
    prepare(url, 1, BARE_CALLS)  # BARE_CALLS waiting tickets
    base = bare(url)
    print(f"{label}: bare transaction (pick the oldest, conditional update, one event, commit): "
          f"{base['calls_per_s']:.0f} calls/s, {base['ms_per_call']:.3f} ms per call "
          f"({base['cpu_ms_per_call']:.3f} ms CPU)", flush=True)
    out: dict[str, Any] = {"bare": base}
    burst_budget = 5 * args.windows / base["calls_per_s"] * 1000
    for n in workers:
        tag = f"{label}, {n} worker{'s' if n > 1 else ''}"
        profile = args.profile / f"{label.lower()}-{n}" if args.profile else None
        burst = calling(new_url(), args.windows, args.rounds, 0.0, n, profile)
        ratio = burst["server_cpu_per_call_ms"] / base["ms_per_call"]
        cpu_ratio = burst["server_cpu_per_call_ms"] / base["cpu_ms_per_call"]
        print(f"{tag}: burst of {args.windows} windows × {args.rounds}: {burst['calls_per_s']:.0f} calls/s; "
              f"p50 {burst['p50_ms']} ms, p95 {burst['p95_ms']} ms, p99 {burst['p99_ms']} ms, max {burst['max_ms']} ms "
              f"(budget p99 ≤ {burst_budget:.0f} ms = 5 × {args.windows} / bare calls/s)", flush=True)
        print(f"{tag}: server CPU per call-next: {burst['server_cpu_per_call_ms']:.2f} ms; bare transaction "
              f"{base['ms_per_call']:.3f} ms per call: {ratio:.1f}× (budget ≤ 4×); against the bare "
              f"transaction's CPU ({base['cpu_ms_per_call']:.3f} ms): {cpu_ratio:.1f}×", flush=True)
        _print_checks(tag, burst)
        if burst.get("profile_top"):
            _print_profile(tag, burst["profile_top"])
        burst["cpu_ratio_to_bare"] = round(ratio, 2)
        burst["cpu_ratio_to_bare_cpu"] = round(cpu_ratio, 2)
        burst["p99_budget_ms"] = round(burst_budget, 1)
        out[f"burst_{n}w"] = burst
        if args.pace:
            paced = calling(new_url(), args.windows, args.rounds, args.pace, n)
            print(f"{tag}: paced hall, {args.windows} windows each calling every {args.pace:g} s: "
                  f"p50 {paced['p50_ms']} ms, p95 {paced['p95_ms']} ms, p99 {paced['p99_ms']} ms, "
                  f"max {paced['max_ms']} ms (budget p99 ≤ 100 ms)", flush=True)
            _print_checks(tag, paced)
            out[f"paced_{n}w"] = paced
    return out


def _print_checks(tag: str, figures: dict[str, Any]) -> None:
    print(f"{tag}: called twice: {figures['twice']}; lost: {figures['lost']}; errors: {figures['errors']}"
          + (f" (first: {figures['first_error']})" if figures.get("first_error") else ""), flush=True)


def _print_profile(tag: str, top: dict[str, Any]) -> None:
    print(f"{tag}: profile of the central over the burst ({top['samples']} samples, event-loop waits left out)")
    print("  own time:")
    for frame, share in top["own"][:12]:
        print(f"    {share:5.1f}%  {frame}")
    print("  with callees:")
    for frame, share in top["cumulative"][:20]:
        print(f"    {share:5.1f}%  {frame}")


def ok(figures: dict[str, Any]) -> bool:
    return all(not v.get("twice") and not v.get("lost") and not v.get("errors")
               for k, v in figures.items() if k != "bare")


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--windows", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pace", type=float, default=2.0, help="the paced hall's seconds between calls (0: none)")
    parser.add_argument("--db", help="a PostgreSQL URL (default: $HALLCLIENT_TEST_PG_URL when set)")
    parser.add_argument("--workers", default="1,2,4", help="PostgreSQL: the central's worker counts to run")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--no-fast-path", action="store_true",
                        help="the central without its queue fast path (hallclient.central.queue_fast_path)")
    parser.add_argument("--pool-size", type=int, help="the central's connections (and queue threads) per worker "
                        f"(default: the central's own for 1 worker, {POOL_FOR_WORKERS} for more)")
    parser.add_argument("--profile", type=Path, help="py-spy the central over each burst; results to this folder")
    args = parser.parse_args()
    os.environ.setdefault("HALLCLIENT_NO_KEYRING", "1")  # the central's keys: a key directory of the run
    os.environ.setdefault("HALLCLIENT_KEY_DIR", tempfile.mkdtemp(prefix="bench-keys-"))
    if args.no_fast_path:
        os.environ["BENCH_QUEUE_FAST_PATH"] = "0"
    if args.pool_size:
        os.environ["BENCH_QUEUE_POOL"] = str(args.pool_size)
    results: dict[str, Any] = {"windows": args.windows, "rounds": args.rounds, "pace_s": args.pace}
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_sqlite:
            files = iter(range(1000))
            results["sqlite"] = measure("SQLite", lambda: f"sqlite:///{Path(tmp) / f'central{next(files)}.db'}",
                                        lambda url: bare_sqlite(Path(url.removeprefix("sqlite:///")), BARE_CALLS),
                                        args, [1])
        pg = args.db or os.environ.get("HALLCLIENT_TEST_PG_URL")
        if pg:
            with _schemas(pg) as new_url:
                results["postgresql"] = measure("PostgreSQL", new_url, lambda url: bare_postgres(url, BARE_CALLS),
                                                args, [int(n) for n in args.workers.split(",")])
    good = all(ok(v) for k, v in results.items() if isinstance(v, dict))
    print(json.dumps(results, ensure_ascii=False))
    return 0 if good else 1


@contextmanager
def _schemas(base: str) -> Iterator[Callable[[], str]]:
    """PostgreSQL: each phase on a schema of its own, all dropped afterwards."""
    import sqlalchemy

    made: list[str] = []
    admin = sqlalchemy.create_engine(base)

    def new_url() -> str:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        made.append(schema)
        separator = "&" if "?" in base else "?"
        return f"{base}{separator}options=-csearch_path%3D{schema}"

    try:
        yield new_url
    finally:
        with admin.begin() as conn:
            for schema in made:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
