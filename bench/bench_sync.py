"""Catalog sync over loopback: 20,000 items / 200,000 materials into an empty window.

    .venv/bin/python bench/bench_sync.py [--items 20000] [--page-size 1000]

The central runs as its own process (`hallclient central`) on a loopback port, on SQLite.
Prints: the central's publish time; full sync into an empty window (download + validate +
apply, one transaction) and its apply part; a bare sqlite3.executemany of the same rows into
the same schema; an incremental sync of 100 changed items.
Budget (DESIGN.md): full ≤ 5 s; apply ≤ 2× bare executemany; 100 changed ≤ 0.3 s.
"""

from __future__ import annotations

import argparse
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench.synthetic_catalog import synthetic_catalog  # noqa: E402
from hallclient.central import feed  # noqa: E402
from hallclient.central.accounts import create_account  # noqa: E402
from hallclient.central.database import open_central  # noqa: E402
from hallclient.core.catalog_format import parse_catalog  # noqa: E402
from hallclient.store.database import Store  # noqa: E402
from hallclient.sync.catalog_pull import pull_catalog  # noqa: E402
from hallclient.sync.client import CentralClient  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def publish(url: str, data: dict) -> float:  # type: ignore[type-arg]
    store = open_central(url)
    catalog = parse_catalog(data)
    start = time.perf_counter()
    with store.session() as session, session.begin():
        feed.publish(session, catalog)
    store.close()
    return time.perf_counter() - start


def bare_executemany(template: Path, target: Path) -> float:
    """The same rows as the window's apply wrote, inserted with plain sqlite3 into the same schema."""
    Store.open_file(target).close()  # same DDL, indexes included
    src = sqlite3.connect(template)
    items = src.execute("SELECT * FROM service_items").fetchall()
    item_cols = [d[0] for d in src.execute("SELECT * FROM service_items LIMIT 0").description]
    materials = src.execute("SELECT * FROM materials").fetchall()
    mat_cols = [d[0] for d in src.execute("SELECT * FROM materials LIMIT 0").description]
    src.close()
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    start = time.perf_counter()
    conn.executemany(f"INSERT INTO service_items ({','.join(item_cols)}) VALUES ({','.join('?' * len(item_cols))})",
                     items)
    conn.executemany(f"INSERT INTO materials ({','.join(mat_cols)}) VALUES ({','.join('?' * len(mat_cols))})",
                     materials)
    conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--page-size", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        central_url = f"sqlite:///{Path(tmp) / 'central.db'}"
        store = open_central(central_url)
        with store.session() as session, session.begin():
            token = create_account(session, "1", "bench")
        store.close()
        data = synthetic_catalog(args.items, version=1)
        publish_time = publish(central_url, data)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "hallclient", "central", "--db", central_url,
                                   "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    requests.get(base + "/api/v1/health", timeout=1)
                    break
                except requests.ConnectionError:
                    time.sleep(0.05)
            window_db = Path(tmp) / "window.db"
            window = Store.open_file(window_db)
            marks: dict[str, float] = {}

            def progress(phase: str, done: int, total: int) -> None:
                if phase == "apply":
                    marks["apply_start" if done == 0 else "apply_end"] = time.perf_counter()

            with CentralClient(base, token) as http:
                start = time.perf_counter()
                full = pull_catalog(window, http, page_size=args.page_size, progress=progress)
                full_time = time.perf_counter() - start
                apply_time = marks["apply_end"] - marks["apply_start"]
                window.close()
                bare = bare_executemany(window_db, Path(tmp) / "bare.db")
                window = Store.open_file(window_db)

                changed = synthetic_catalog(args.items, version=1)
                for item in changed["items"][::max(1, args.items // 100)][:100]:
                    item["fee"] = "已调整"
                publish(central_url, changed)
                start = time.perf_counter()
                incremental = pull_catalog(window, http, page_size=args.page_size)
                incremental_time = time.perf_counter() - start
            window.close()
        finally:
            server.terminate()
            server.wait(10)
    materials = sum(len(i["materials"]) for i in data["items"])
    print(f"catalog: {args.items} items, {materials} materials; page size {args.page_size}")
    print(f"central publish (hash, pinyin, feed rows, catalog tables): {publish_time:.2f} s")
    print(f"full sync into an empty window: {full_time:.2f} s ({full.pages} pages, "
          f"{full.bytes / 1e6:.1f} MB)   budget ≤ 5 s")
    print(f"  of which apply (one transaction): {apply_time:.2f} s")
    print(f"bare sqlite3.executemany of the same rows: {bare:.2f} s   "
          f"apply/bare = {apply_time / bare:.2f}×   budget ≤ 2×")
    print(f"incremental sync of {incremental.upserted} changed items: {incremental_time * 1000:.0f} ms   "
          f"budget ≤ 300 ms")


if __name__ == "__main__":
    main()
