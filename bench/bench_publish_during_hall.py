"""Ticket issuing and case pushes while a 20,000-item catalog is published on a running central.

    .venv/bin/python bench/bench_publish_during_hall.py [--items 20000] [--db URL]

A real central (uvicorn on loopback, SQLite file by default, or --db for PostgreSQL). Two client
threads issue kiosk tickets and push cases in a loop, paced at one request every 50 ms each:
first for a few seconds with no publish (the baseline, same run), then while an administrator
publishes the synthetic catalog (bench/synthetic_catalog.py) with PUT /api/v1/catalog, then
while the server process publishes a catalog in which every item changed by calling
hallclient.central.publish.publish_catalog itself, the catalog parsed beforehand: what the
publish costs the hall without the route's reading and parsing of the 23 MB body. Prints
p50/p99/max of the phases (a shorter publish puts its one write-lock wait into more of its
samples: compare the max too), failures, the publishes' times and their write-lock times (the
feed's one write transaction), and a last line of JSON. The load's clients run in the server's
process: they compete with it for the GIL as a hall's kiosks and windows would not.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic_catalog import synthetic_catalog  # noqa: E402
from hallclient.central.publish import publish_catalog  # noqa: E402
from hallclient.core.catalog_format import parse_catalog  # noqa: E402
from tests.central.support import running_central  # noqa: E402
from tests.central.test_intake_api import case_row  # noqa: E402

PACE = 0.05


def _max(values: list[float]) -> float:
    return max(values) * 1000 if values else float("nan")


def _p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


class Load:
    """Tickets and case pushes in two threads until stopped; latencies and failures recorded."""

    def __init__(self, api: str, token: str) -> None:
        self.api, self.token = api, token
        self.stop = threading.Event()
        self.tickets: list[float] = []
        self.cases: list[float] = []
        self.failures: list[str] = []

    def _loop(self, kind: str) -> None:
        with requests.Session() as http:
            http.headers["Authorization"] = f"Bearer {self.token}"
            while not self.stop.is_set():
                start = time.perf_counter()
                try:
                    if kind == "ticket":
                        response = http.post(f"{self.api}/queue/kiosk/tickets", json={"category": "市场准入"}, timeout=30)
                        ok = response.status_code == 201
                    else:
                        row = case_row()
                        response = http.put(f"{self.api}/cases/{row['uuid']}", json=row, timeout=30)
                        ok = response.status_code == 200
                except requests.RequestException as exc:
                    ok, response = False, None
                    self.failures.append(f"{kind}: {exc}")
                took = time.perf_counter() - start
                if ok:
                    (self.tickets if kind == "ticket" else self.cases).append(took)
                elif response is not None:
                    self.failures.append(f"{kind}: {response.status_code} {response.text[:100]}")
                time.sleep(max(0.0, PACE - took))

    def run(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self._loop, args=(k,), daemon=True) for k in ("ticket", "case")]
        for t in threads:
            t.start()
        return threads


def phase(api: str, token: str, seconds: float | None, during: threading.Thread | None = None) -> Load:
    load = Load(api, token)
    threads = load.run()
    if during is not None:
        during.start()
        during.join()
    else:
        time.sleep(seconds or 5)
    load.stop.set()
    for t in threads:
        t.join(35)
    return load


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--baseline-seconds", type=float, default=6.0)
    args = parser.parse_args()
    document = synthetic_catalog(items=args.items)
    raw = json.dumps(document, ensure_ascii=False).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'central.db'}"
        with running_central(url) as central:
            central.app.state.queue.kiosk_per_minute = 0  # one client address issues every ticket here
            central.app.state.queue.kiosk_green_per_minute = 0
            central.app.state.http = type(central.app.state.http)(max_publish_bytes=len(raw) + 1024 * 1024)
            idle = phase(central.api, central.window_token, args.baseline_seconds)
            published: dict[str, Any] = {}

            def publish() -> None:
                start = time.perf_counter()
                answer = requests.put(f"{central.api}/catalog", data=raw, timeout=600, headers={
                    "Content-Type": "application/json", "Authorization": f"Bearer {central.admin_token}"})
                published["seconds"] = time.perf_counter() - start
                published["status"] = answer.status_code
                published["body"] = answer.json() if answer.headers.get("content-type", "").startswith(
                    "application/json") else answer.text[:200]

            busy = phase(central.api, central.window_token, None, threading.Thread(target=publish))
            changed = synthetic_catalog(items=args.items, version=2)  # every item changed (its version)
            catalog = parse_catalog(changed)
            direct: dict[str, float] = {}

            def publish_direct() -> None:
                start = time.perf_counter()
                _result, times = publish_catalog(central.store, catalog)
                direct.update(seconds=time.perf_counter() - start, write_lock_seconds=times.write_lock_seconds)

            only = phase(central.api, central.window_token, None, threading.Thread(target=publish_direct))
            engine = central.store.engine.dialect.name
    body = published.get("body") if isinstance(published.get("body"), dict) else {}
    figures = {
        "engine": engine, "items": args.items, "catalog_mb": round(len(raw) / 1e6, 1),
        "publish_status": published.get("status"), "publish_seconds": round(float(published.get("seconds", 0)), 2),
        "write_lock_seconds": body.get("write_lock_seconds") if isinstance(body, dict) else None,
        "idle": {"tickets": len(idle.tickets), "cases": len(idle.cases),
                 "ticket_p50_ms": round(_p(idle.tickets, .5), 1), "ticket_p99_ms": round(_p(idle.tickets, .99), 1),
                 "case_p50_ms": round(_p(idle.cases, .5), 1), "case_p99_ms": round(_p(idle.cases, .99), 1),
                 "ticket_max_ms": round(_max(idle.tickets), 1), "case_max_ms": round(_max(idle.cases), 1),
                 "failures": len(idle.failures)},
        "publishing": {"tickets": len(busy.tickets), "cases": len(busy.cases),
                       "ticket_p50_ms": round(_p(busy.tickets, .5), 1), "ticket_p99_ms": round(_p(busy.tickets, .99), 1),
                       "case_p50_ms": round(_p(busy.cases, .5), 1), "case_p99_ms": round(_p(busy.cases, .99), 1),
                       "ticket_max_ms": round(_max(busy.tickets), 1), "case_max_ms": round(_max(busy.cases), 1),
                       "failures": len(busy.failures)},
        "publish_catalog_seconds": round(direct.get("seconds", 0), 2),
        "publish_catalog_write_lock_seconds": round(direct.get("write_lock_seconds", 0), 4),
        "publish_catalog_only": {
            "tickets": len(only.tickets), "cases": len(only.cases),
            "ticket_p50_ms": round(_p(only.tickets, .5), 1), "ticket_p99_ms": round(_p(only.tickets, .99), 1),
            "case_p50_ms": round(_p(only.cases, .5), 1), "case_p99_ms": round(_p(only.cases, .99), 1),
            "ticket_max_ms": round(_max(only.tickets), 1), "case_max_ms": round(_max(only.cases), 1),
            "failures": len(only.failures)},
    }
    i, b, o = figures["idle"], figures["publishing"], figures["publish_catalog_only"]
    print(f"{engine}, {args.items} items ({figures['catalog_mb']} MB): publish {figures['publish_seconds']} s "
          f"(HTTP {figures['publish_status']}), write lock {figures['write_lock_seconds']} s; "
          f"publish_catalog of every item changed {figures['publish_catalog_seconds']} s, "
          f"write lock {figures['publish_catalog_write_lock_seconds']} s")
    for name, f in (("no publish", i), ("during publish", b), ("publish_catalog", o)):
        print(f"  {name:15s} tickets {f['tickets']:4d}  p50 {f['ticket_p50_ms']:7.1f} ms  p99 {f['ticket_p99_ms']:7.1f} ms"
              f"  max {f['ticket_max_ms']:7.1f} ms | cases {f['cases']:4d}  p50 {f['case_p50_ms']:7.1f} ms"
              f"  p99 {f['case_p99_ms']:7.1f} ms  max {f['case_max_ms']:7.1f} ms | failures {f['failures']}")
    for failure in (busy.failures + only.failures + idle.failures)[:5]:
        print("  failure:", failure)
    if i["ticket_p99_ms"] and b["ticket_p99_ms"] == b["ticket_p99_ms"]:
        figures["ticket_p99_ratio"] = round(b["ticket_p99_ms"] / i["ticket_p99_ms"], 1)
        figures["case_p99_ratio"] = round(b["case_p99_ms"] / i["case_p99_ms"], 1)
        print(f"  p99 during / without publish: tickets ×{figures['ticket_p99_ratio']}, cases ×{figures['case_p99_ratio']}")
    if i["ticket_p99_ms"] and o["ticket_p99_ms"] == o["ticket_p99_ms"]:
        figures["publish_catalog_ticket_p99_ratio"] = round(o["ticket_p99_ms"] / i["ticket_p99_ms"], 1)
        figures["publish_catalog_case_p99_ratio"] = round(o["case_p99_ms"] / i["case_p99_ms"], 1)
        print(f"  p99 during publish_catalog only / without publish: tickets "
              f"×{figures['publish_catalog_ticket_p99_ratio']}, cases ×{figures['publish_catalog_case_p99_ratio']}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
