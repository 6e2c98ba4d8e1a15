"""A real central run as `hallclient central --workers 2` on PostgreSQL (a subprocess on a loopback
port), many windows calling at once (threads, each its own token and HTTP connection): no ticket
is called twice, none is lost, the order rules hold for every window — the proof of
test_queue_concurrency, across processes — and both worker processes served calls (their
process IDs in the access log, their connections in pg_stat_activity), over TLS, each refusing
a body over the limit given on the command line."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy
from sqlalchemy import select, text

from hallclient.central.accounts import create_account
from hallclient.central.database import open_central
from hallclient.central.queue_intake import issue
from hallclient.central.queue_models import QueueEvent
from hallclient.central.queue_service import QueueConfig
from hallclient.central.tls import make_ca, make_server_cert
from hallclient.core.queue import TicketType
from hallclient.sync.client import CentralClient
from hallclient.sync.queue_client import QueueClient
from tests.central.support import PG_ENV, free_port, pg_schema
from tests.central.test_queue_concurrency import CATEGORIES, K, _check_order

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} not set: PostgreSQL run skipped")

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
WINDOWS = 16
TICKETS = 160
POOL = 6  # per worker: 2 × (6 + 10) connections at most, beside other tests on the same server
MAX_BODY_MB = "0.002"  # 2 KB: a call is ~100 bytes
CALL = re.compile(r'\[(\d+)\] .*"POST /api/v1/queue/call-next HTTP/1\.1" 200')
TOO_LARGE = re.compile(r'\[(\d+)\] .*"POST /api/v1/queue/kiosk/tickets HTTP/1\.1" 413')
STARTED = re.compile(r"\[(\d+)\] Application startup complete")


@pytest.fixture
def pg_url() -> Iterator[str]:
    with pg_schema() as url:
        yield url


class Workers:
    """`hallclient central --workers N` in a subprocess; its console output in `log`."""

    def __init__(self, url: str, data_dir: Path, workers: int = WORKERS) -> None:
        self.port = free_port()
        data_dir.mkdir(parents=True, exist_ok=True)
        self.log = data_dir / "central.out"
        self.ca, _ = make_ca(data_dir / "ca", hall="测试大厅")
        cert, key = make_server_cert(data_dir / "ca", ["127.0.0.1"], data_dir / "tls")
        command = [sys.executable, "-m", "hallclient", "central", "--data-dir", str(data_dir), "--db", url,
                   "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers),
                   "--pool-size", str(POOL), "--certfile", str(cert), "--keyfile", str(key),
                   "--max-body-mb", MAX_BODY_MB]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, workers: int, timeout: float = 30.0) -> set[str]:
        """Every worker's app started and the port answering; the workers' process IDs."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the central stopped ({self.process.returncode}):\n{self.output()}")
            started = set(STARTED.findall(self.output()))
            if len(started) >= workers:
                try:
                    if requests.get(f"{self.url}/api/v1/health", timeout=2, verify=str(self.ca)).status_code == 200:
                        return started
                except requests.RequestException:
                    pass
            time.sleep(0.1)
        raise AssertionError(f"the central's {workers} workers did not start:\n{self.output()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def _window(central: Workers, token: str, categories: list[str], connected: threading.Event,
            start: threading.Barrier, calls: list[Any], errors: list[BaseException]) -> None:
    try:
        client = CentralClient(central.url, token, timeout=(5.0, 60.0), ca_file=str(central.ca))
        with QueueClient(client, categories=categories, priority_in_row=K) as window:
            try:
                window.status()  # the window's kept-alive connection, taken by one worker or the other
            finally:
                connected.set()
            start.wait(30)
            while (ticket := window.call_next()) is not None:
                calls.append(ticket)
                window.start(ticket.id)  # the next call finishes it
    except BaseException as exc:  # reported by the test thread
        errors.append(exc)


def test_two_worker_processes_never_call_a_ticket_twice(pg_url: str, tmp_path: Path) -> None:
    store = open_central(pg_url)
    numbers = [str(n) for n in range(1, WINDOWS + 1)]
    config = QueueConfig()  # the central's own clock: today, local time
    try:
        with store.session() as session, session.begin():
            tokens = {n: create_account(session, n, f"综合窗口{n}") for n in numbers}
        with store.session() as session:
            # one ticket in four on the green channel, both categories; every ticket issued before calling
            issued = [issue(session, config, CATEGORIES[i % 2], TicketType.PRIORITY if i % 4 == 3 else TicketType.NORMAL,
                            source="test") for i in range(TICKETS)]
    finally:
        store.close()
    by_id = {t["id"]: t for t in issued}
    served = {n: (CATEGORIES if i % 3 == 0 else [CATEGORIES[i % 2]]) for i, n in enumerate(numbers)}

    central = Workers(pg_url, tmp_path / "data")
    try:
        pids = central.wait_ready(WORKERS)
        assert len(pids) == WORKERS
        start = threading.Barrier(WINDOWS)
        calls: dict[str, list[Any]] = {n: [] for n in numbers}
        errors: list[BaseException] = []
        connected = {n: threading.Event() for n in numbers}
        threads = [threading.Thread(target=_window, args=(central, tokens[n], served[n], connected[n], start,
                                                          calls[n], errors)) for n in numbers]
        for number, thread in zip(numbers, threads, strict=True):
            thread.start()  # one connection at a time: opened together, one worker would accept them all
            connected[number].wait(30)
        for thread in threads:
            thread.join(120)
        assert not errors, errors[:3]
        # the body limit of the command line, in each worker (one new connection per request), until
        # each has refused one: which worker accepts a connection is the kernel's choice, and twelve
        # in a row went to the same one in about one run of five
        for attempt in range(200):
            refused = requests.post(f"{central.url}/api/v1/queue/kiosk/tickets", data=b"x" * 4096, timeout=10,
                                    verify=str(central.ca), headers={"Content-Type": "application/json"})
            assert refused.status_code == 413, refused.text
            if attempt >= 11 and set(TOO_LARGE.findall(central.output())) == pids:
                break

        engine = sqlalchemy.create_engine(pg_url)
        try:
            with engine.connect() as conn:
                events = conn.execute(select(QueueEvent.ticket_id, QueueEvent.data)
                                      .where(QueueEvent.kind == "called")).all()
                pools: dict[str, int] = dict(conn.execute(text(
                    "SELECT application_name, count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND application_name LIKE :name GROUP BY 1"),
                    {"name": "hallclient-central-%"}).all())
        finally:
            engine.dispose()
    finally:
        central.stop()
    output = central.output()

    everything = [ticket.id for window in calls.values() for ticket in window]
    twice = [ticket_id for ticket_id, n in Counter(everything).items() if n > 1]
    assert not twice, f"called by two windows: {[by_id[t]['number'] for t in twice]}"
    assert set(everything) == set(by_id), "a ticket was lost"
    assert len(everything) == TICKETS
    assert sum(1 for w in calls.values() if w) > WINDOWS // 2  # they really called at once
    assert Counter(e.ticket_id for e in events) == Counter(everything)  # one call event per ticket
    assert all(json.loads(e.data)["streak"] <= K for e in events)
    for number, window_calls in calls.items():
        _check_order(number, window_calls, by_id)

    # both processes served calls, each from its own connection pool
    served_by = Counter(CALL.findall(output))
    assert set(served_by) == pids, f"call-next answered by {dict(served_by)}, workers {pids}"
    assert sum(served_by.values()) == TICKETS + WINDOWS  # each window's last call found none
    assert {f"hallclient-central-{pid}" for pid in pids} <= set(pools), pools
    assert set(TOO_LARGE.findall(output)) == pids, output[-2000:]
