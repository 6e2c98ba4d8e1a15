"""Catalog import and search on a 20,000-item / 200,000-material catalog.

    .venv/bin/python bench/bench_catalog.py [--items 20000]

Prints: parse time, import time (pinyin + insert), index build, p50/p95/max search latency over
200 fixed queries, and the database size. Budget (DESIGN.md): import ≤ 10 s, search p95 ≤ 15 ms.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic_catalog import fixed_queries, synthetic_catalog  # noqa: E402
from hallclient.core.catalog_format import parse_catalog  # noqa: E402
from hallclient.core.search import SearchIndex  # noqa: E402
from hallclient.store import catalog_repo  # noqa: E402
from hallclient.store.database import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20_000)
    args = parser.parse_args()
    data = synthetic_catalog(args.items)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store = Store.open_file(db)
        t0 = time.perf_counter()
        catalog = parse_catalog(data)
        t1 = time.perf_counter()
        with store.session() as session, session.begin():
            catalog_repo.replace_catalog(session, catalog)
        t2 = time.perf_counter()
        with store.session() as session:
            index = SearchIndex(catalog_repo.search_entries(session))
        t3 = time.perf_counter()
        # The window holds only the index, not the parsed catalog: drop it, as the app does,
        # so a full garbage collection does not walk 200,000 material objects mid-search.
        items, materials = len(catalog.items), sum(len(i.materials) for i in catalog.items)
        del catalog, data
        gc.collect()
        queries = fixed_queries()
        latencies = []
        for q in queries:
            s = time.perf_counter()
            index.search(q)
            latencies.append((time.perf_counter() - s) * 1000)
        latencies.sort()
        store.close()
        size = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*"))
    print(f"catalog: {items} items, {materials} materials")
    print(f"parse+validate: {t1 - t0:.2f} s")
    print(f"import (pinyin + insert, one transaction): {t2 - t1:.2f} s   budget ≤ 10 s")
    print(f"search index load+build: {(t3 - t2) * 1000:.0f} ms")
    print(f"search over {len(queries)} queries: p50 {statistics.median(latencies):.2f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.2f} ms, max {latencies[-1]:.2f} ms   budget p95 ≤ 15 ms")
    print(f"database size: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
