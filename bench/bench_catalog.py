"""Catalog import and search on a 20,000-item / 200,000-material catalog.

    .venv/bin/python bench/bench_catalog.py [--items 20000] [--profile] [--repeat 1]

The import is what `hallclient catalog import FILE` does: read and check the file
(catalog_format.read_catalog_file), then replace the catalog in one transaction
(catalog_repo.replace_catalog: content hashes, pinyin, inserts). Prints: read+check time,
import time, a bare sqlite3.executemany of the same rows into the same schema and the ratios
to it (this machine's absolute times vary 2-3x: compare ratios of one run), index build,
p50/p95/max search latency over 200 fixed queries, and the database size. `--profile`: cProfile
of read+import, its top entries by own time. `--repeat N`: N pairs of (import into a new
database, bare insert into another), every other pair bare first; the ratio is then the fastest
import's to the fastest bare insert's, each pair's and their median listed too.
Budget (issue 16, docs/scaling.md): read+import ≤ 2× the bare insert; search p95 ≤ 15 ms.
The last line is the same figures as one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bare_insert import bare_executemany, profile_top  # noqa: E402
from bench.synthetic_catalog import fixed_queries, synthetic_catalog  # noqa: E402
from hallclient.core.catalog_format import read_catalog_file  # noqa: E402
from hallclient.core.search import SearchIndex  # noqa: E402
from hallclient.store import catalog_repo  # noqa: E402
from hallclient.store.database import Store  # noqa: E402


def import_once(source: Path, db: Path, profile: cProfile.Profile | None = None) -> tuple[float, float, Store, Any]:
    """read_catalog_file + replace_catalog into a new window database: (read s, import s, the
    store, the catalog)."""
    store = Store.open_file(db)
    if profile:
        profile.enable()
    t0 = time.perf_counter()
    catalog = read_catalog_file(source)
    t1 = time.perf_counter()
    with store.session() as session, session.begin():
        catalog_repo.replace_catalog(session, catalog)
    t2 = time.perf_counter()
    if profile:
        profile.disable()
    return t1 - t0, t2 - t1, store, catalog


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true", help="cProfile read+import")
    parser.add_argument("--repeat", type=int, default=1,
                        help="pairs of (import, bare insert), every other one bare first (ratio of the fastest)")
    args = parser.parse_args()
    profile = cProfile.Profile() if args.profile else None
    pairs: list[tuple[float, float, float]] = []  # read, import, bare
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "catalog.json"
        source.write_text(json.dumps(synthetic_catalog(args.items), ensure_ascii=False), encoding="utf-8")
        db = Path(tmp) / "bench.db"
        read, imported, store, catalog = import_once(source, db, profile)
        t2 = time.perf_counter()
        with store.session() as session:
            index = SearchIndex(catalog_repo.search_entries(session))
        t3 = time.perf_counter()
        # The window holds only the index, not the parsed catalog: drop it, as the app does,
        # so a full garbage collection does not walk 200,000 material objects mid-search.
        items, materials = len(catalog.items), sum(len(i.materials) for i in catalog.items)
        del catalog
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
        bare = bare_executemany(db, Path(tmp) / "bare.db")
        pairs.append((read, imported, bare))
        for n in range(1, max(1, args.repeat)):
            # the same rows each time, into new files: what one side leaves to the disk falls on each side as often
            bare_first = n % 2 == 1
            again, again_bare = Path(tmp) / f"again{n}.db", Path(tmp) / f"bare{n}.db"
            bare_s = bare_executemany(db, again_bare) if bare_first else 0.0
            pair_read, pair_import, pair_store, pair_catalog = import_once(source, again)
            pair_store.close()
            del pair_catalog
            gc.collect()
            pairs.append((pair_read, pair_import, bare_s if bare_first else bare_executemany(db, again_bare)))
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    fastest = min(r + i for r, i, _ in pairs) / min(b for _, _, b in pairs)
    ratios = [(r + i) / b for r, i, b in pairs]
    print(f"catalog: {items} items, {materials} materials ({source.name}, {size / 1e6:.1f} MB database)")
    print(f"read+check the file: {read:.2f} s")
    print(f"import (hashes, pinyin, insert; one transaction): {imported:.2f} s")
    print(f"bare sqlite3.executemany of the same rows: {bare:.2f} s")
    print(f"  (read+import)/bare = {fastest:.2f}×{f' (fastest of {len(pairs)} each)' if len(pairs) > 1 else ''}"
          "   budget ≤ 2×")
    if len(pairs) > 1:
        print(f"  {len(pairs)} pairs (read+import s, bare s): {[[round(r + i, 3), round(b, 3)] for r, i, b in pairs]}; "
              f"their ratios {[round(x, 2) for x in ratios]} (median {statistics.median(ratios):.2f}×)")
    print(f"  import/bare = {imported / bare:.2f}× (the first pair)")
    print(f"search index load+build: {(t3 - t2) * 1000:.0f} ms")
    print(f"search over {len(queries)} queries: p50 {statistics.median(latencies):.2f} ms, "
          f"p95 {p95:.2f} ms, max {latencies[-1]:.2f} ms   budget p95 ≤ 15 ms")
    print(f"database size: {size / 1e6:.1f} MB")
    figures = {
        "items": items, "materials": materials, "read_s": round(read, 3), "import_s": round(imported, 3),
        "bare_s": round(bare, 3), "read_import_over_bare": round(fastest, 3),
        "pair_ratios": [round(x, 3) for x in ratios], "median_pair_ratio": round(statistics.median(ratios), 3),
        "import_over_bare": round(imported / bare, 3), "index_ms": round((t3 - t2) * 1000, 1),
        "search_p50_ms": round(statistics.median(latencies), 3), "search_p95_ms": round(p95, 3),
        "search_max_ms": round(latencies[-1], 3), "db_mb": round(size / 1e6, 1),
    }
    if profile:
        print("read+import, top entries by own time (cProfile):")
        top = profile_top(profile)
        for line in top:
            print("  " + line)
        figures["profile_top"] = top
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
