"""Catalog sync over loopback: 20,000 items / 200,000 materials into an empty window.

    .venv/bin/python bench/bench_sync.py [--items 20000] [--page-size 1000] [--identity] [--profile]

The central runs as its own process (`hallclient central`) on a loopback port, on SQLite.
Prints: the central's publish time; full sync into an empty window (download + check + apply,
one transaction; pages fetched one ahead and applied as they come) and the time its
transaction was open; a bare sqlite3.executemany of the same rows into the same schema, and the
ratios to it (this machine's absolute times vary 2-3x: compare ratios of one run); an
incremental sync of 100 changed items. `--identity`: the window asks for uncompressed pages
(as a client without Accept-Encoding gets them; else zstd or gzip, as negotiated). `--profile`: cProfile of the window's side of
the full sync, its top entries by own time.
Budget (issue 16, docs/scaling.md): full ≤ 2× bare executemany; apply ≤ 2× bare; 100 changed ≤ 0.3 s.
The last line is the same figures as one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench.bare_insert import bare_executemany, profile_top  # noqa: E402
from bench.synthetic_catalog import synthetic_catalog  # noqa: E402
from hallclient.central.accounts import create_account  # noqa: E402
from hallclient.central.database import open_central  # noqa: E402
from hallclient.central.publish import publish_catalog  # noqa: E402
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
    publish_catalog(store, catalog)  # as the API and `hallclient central publish` publish
    store.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--identity", action="store_true", help="ask for uncompressed pages")
    parser.add_argument("--profile", action="store_true", help="cProfile the window's side of the full sync")
    args = parser.parse_args()
    profile = cProfile.Profile() if args.profile else None
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
                if args.identity:
                    http.http.headers["Accept-Encoding"] = "identity"
                if profile:
                    profile.enable()
                start = time.perf_counter()
                full = pull_catalog(window, http, page_size=args.page_size, progress=progress)
                full_time = time.perf_counter() - start
                if profile:
                    profile.disable()
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
                probe = http.http.get(base + "/api/v1/catalog/changes", params={"page_size": args.page_size},
                                      timeout=60, stream=True)
                encoding = probe.headers.get("Content-Encoding", "identity")
                probe.close()
            window.close()
        finally:
            server.terminate()
            server.wait(10)
    materials = sum(len(i["materials"]) for i in data["items"])
    print(f"catalog: {args.items} items, {materials} materials; page size {args.page_size}")
    print(f"central publish (hash, pinyin, feed rows, catalog tables): {publish_time:.2f} s")
    print(f"full sync into an empty window: {full_time:.2f} s ({full.pages} pages, "
          f"{full.bytes / 1e6:.1f} MB on the wire, {encoding})")
    print(f"  of which the transaction was open (pages applied as they came): {apply_time:.2f} s")
    print(f"bare sqlite3.executemany of the same rows: {bare:.2f} s")
    print(f"  full/bare = {full_time / bare:.2f}×   budget ≤ 2×")
    print(f"  apply/bare = {apply_time / bare:.2f}×   budget ≤ 2×")
    print(f"incremental sync of {incremental.upserted} changed items: {incremental_time * 1000:.0f} ms   "
          f"budget ≤ 300 ms")
    figures = {
        "items": args.items, "materials": materials, "page_size": args.page_size, "encoding": encoding,
        "publish_s": round(publish_time, 3), "full_s": round(full_time, 3), "apply_s": round(apply_time, 3),
        "bare_s": round(bare, 3), "full_over_bare": round(full_time / bare, 3),
        "apply_over_bare": round(apply_time / bare, 3), "pages": full.pages, "wire_bytes": full.bytes,
        "incremental_ms": round(incremental_time * 1000, 1),
    }
    if profile:
        print("window side of the full sync, top entries by own time (cProfile):")
        top = profile_top(profile)
        for line in top:
            print("  " + line)
        figures["profile_top"] = top
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
