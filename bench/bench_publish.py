"""The central's catalog publish against a bare insert of the same rows, SQLite and PostgreSQL.

    .venv/bin/python bench/bench_publish.py [--items 20000] [--distinct] [--reference] [--repeat 1]

The synthetic catalog (bench/synthetic_catalog.py) is encoded as the request body of PUT
/api/v1/catalog and decoded and checked as that route does (catalog_format.decode_catalog and
doc_to_catalog: one object per distinct material), timed: "decode"; and the longest another
thread waited meanwhile (decode_catalog, and one msgspec call over the whole body for
comparison). For each engine (SQLite file;
PostgreSQL too when HALLCLIENT_TEST_PG_URL is set, in a schema of its own dropped afterwards):
publishes it into an empty central with `publish.publish_catalog`, what the route runs next,
then publishes it again unchanged; reads back the rows the first publish wrote (the feed's rows
and the central's items table) and inserts them with the driver's own executemany into another
empty central of the same schema, in one transaction: the bare insert. Prints publish time (wall
and CPU), its phases, the bare insert's time and their ratio (budget ≤ 2×); as its last line a
JSON object with the same figures. The whole request's work (decode + publish) is printed against
the bare insert too.

--distinct: every material and every item carries a text of its own (a note, a fee), so no two
pieces of the catalog are alike: the worst case for publish's per-distinct-piece encoding.
--reference: also time the publish as it was before (feed.prepare_publish, feed.write_items).
--repeat N: N pairs of (publish into an empty central, bare insert into another), one after the
other, so both see the same load (on a shared machine absolute times move 2-3x between runs),
every other pair with its bare insert first; the ratio printed is then that of the fastest
publish to the fastest bare insert, each pair's ratio and their median listed too. N = 1 (the default) is the single pair as before.
pypinyin is imported before the clock starts (a server pays it at its first publish only).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.synthetic_catalog import synthetic_catalog  # noqa: E402
from hallclient.central import feed, publish  # noqa: E402
from hallclient.central import queue_store as qs  # noqa: E402
from hallclient.central.database import open_central  # noqa: E402
from hallclient.core import catalog_format  # noqa: E402
from hallclient.core.catalog import Catalog  # noqa: E402
from hallclient.core.catalog_format import decode_catalog, doc_to_catalog  # noqa: E402
from hallclient.core.pinyin import pinyin_keys  # noqa: E402
from hallclient.store.database import Store  # noqa: E402

PG_ENV = "HALLCLIENT_TEST_PG_URL"
FEED_COLUMNS = ("code", "version", "deleted", "position", "content_hash", "doc")


def reference_publish(store: Store, catalog: Catalog) -> None:
    """publish_catalog as it was before this bench: feed's own prepare and items steps."""
    with store.session() as session:
        prepared = feed.prepare_publish(session, catalog)
        with qs.write_transaction(session):
            feed.write_publish(session, prepared)
        for codes, rows in feed.item_chunks(prepared):
            with qs.write_transaction(session):
                feed.write_items(session, prepared, codes, rows)
        if prepared.moved:
            with qs.write_transaction(session):
                feed.write_positions(session, prepared)


def distinct(document: dict[str, Any]) -> dict[str, Any]:
    for n, item in enumerate(document["items"]):
        item["fee"] = f"按标准收取（第{n}项）"
        for k, material in enumerate(item["materials"]):
            material["note"] = f"第{n}项第{k + 1}份材料的说明"
    return document


@contextmanager
def databases(engine: str, tmp: Path) -> Iterator[Callable[[], str]]:
    """Fresh empty databases of one engine, each a new URL; PostgreSQL schemas dropped after."""
    schemas: list[str] = []
    if engine == "sqlite":
        def new() -> str:
            return f"sqlite:///{tmp / f'{uuid.uuid4().hex[:8]}.db'}"
        yield new
        return
    admin = create_engine(os.environ[PG_ENV])

    def new_pg() -> str:
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with admin.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        schemas.append(schema)
        base = os.environ[PG_ENV]
        return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    try:
        yield new_pg
    finally:
        with admin.begin() as conn:
            for schema in schemas:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def read_rows(url: str) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    store = open_central(url)
    out = {}
    with store.engine.connect() as conn:
        for table, columns in (("feed_entries", FEED_COLUMNS), ("service_items", None)):
            result = conn.exec_driver_sql(f"SELECT {', '.join(columns) if columns else '*'} FROM {table}")
            out[table] = (list(result.keys()), [tuple(r) for r in result])
    store.close()
    return out


def bare_insert(url: str, rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> tuple[float, float]:
    """The same rows into an empty central of the same schema: the driver's executemany, one commit."""
    open_central(url).close()  # the schema, indexes included
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        conn: Any = sqlite3.connect(str(parsed.database))
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "secure_delete=ON"):
            conn.execute(f"PRAGMA {pragma}")  # as the central's connections (store.database, central.database)
        mark = "?"
    else:
        import psycopg

        options = parsed.query.get("options")
        conninfo = parsed.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
        conn = psycopg.connect(conninfo, options=options.replace("%3D", "=") if isinstance(options, str) else "")
        mark = "%s"
    # without the cyclic collector, as publish_catalog runs: else the bare insert's time depends on
    # how many objects this process holds (the catalog's), not on the database
    collecting = gc.isenabled()
    gc.disable()
    try:
        start, cpu = time.perf_counter(), time.process_time()
        cursor = conn.cursor()
        for table, (columns, values) in rows.items():
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                               f"({', '.join([mark] * len(columns))})", values)
        conn.commit()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        if collecting:
            gc.enable()
    conn.close()
    return elapsed, cpu


def longest_stall(run: Callable[[], Any]) -> float:
    """The longest another thread waited for the interpreter lock while `run` ran: a thread that
    sleeps 1 ms at a time, its longest gap (what a hall request on the same central waits)."""
    gaps: list[float] = []
    done = threading.Event()

    def tick() -> None:
        last = time.perf_counter()
        while not done.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = threading.Thread(target=tick)
    ticker.start()
    time.sleep(0.02)
    try:
        run()
    finally:
        done.set()
        ticker.join()
    return max(gaps)


def timed(run: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = run()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def bench_engine(engine: str, catalog: Catalog, reference: bool, repeat: int = 1) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, databases(engine, Path(tmp)) as new_url:
        url = new_url()
        store = open_central(url)
        wall, cpu, (result, times) = timed(lambda: publish.publish_catalog(store, catalog))
        again, _, (unchanged, _times) = timed(lambda: publish.publish_catalog(store, catalog))
        assert result.changed and not unchanged.changed, (result.to_json(), unchanged.to_json())
        store.close()
        rows = read_rows(url)
        bare, bare_cpu = bare_insert(new_url(), rows)
        pairs = [(wall, bare)]
        for n in range(1, repeat):
            # every other pair runs its bare insert first: what one run leaves behind (the kernel's
            # dirty pages, freed memory) falls on each side as often
            bare_first = n % 2 == 1
            bare_s = bare_insert(new_url(), rows)[0] if bare_first else 0.0
            again_store = open_central(new_url())
            pair_wall = timed(lambda: publish.publish_catalog(again_store, catalog))[0]  # noqa: B023
            again_store.close()
            pairs.append((pair_wall, bare_s if bare_first else bare_insert(new_url(), rows)[0]))
        fastest = min(w for w, _ in pairs) / min(b for _, b in pairs)
        figures: dict[str, Any] = {
            "engine": engine, "publish_s": round(wall, 3), "publish_cpu_s": round(cpu, 3),
            "prepare_s": round(times.prepare_seconds, 3), "feed_write_s": round(times.write_lock_seconds, 3),
            "items_write_s": round(times.items_seconds, 3), "items_max_step_s": round(times.items_max_step_seconds, 3),
            "republish_unchanged_s": round(again, 3), "bare_insert_s": round(bare, 3), "bare_insert_cpu_s": round(bare_cpu, 3),
            "ratio": round(fastest, 2), "pair_ratios": [round(w / b, 2) for w, b in pairs],
            "median_pair_ratio": round(statistics.median(w / b for w, b in pairs), 2),
            "pair_seconds": [[round(w, 3), round(b, 3)] for w, b in pairs], "feed_rows": len(rows["feed_entries"][1]),
            "item_rows": len(rows["service_items"][1]),
            "doc_mb": round(sum(len(r[-1].encode()) for r in rows["feed_entries"][1]) / 1e6, 1),
        }
        if reference:
            ref_store = open_central(new_url())
            ref_wall, ref_cpu, _ = timed(lambda: reference_publish(ref_store, catalog))
            ref_store.close()
            figures.update(reference_publish_s=round(ref_wall, 3), reference_cpu_s=round(ref_cpu, 3),
                           reference_ratio=round(ref_wall / bare, 2))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--distinct", action="store_true", help="no two materials or items alike")
    parser.add_argument("--reference", action="store_true", help="also time the publish as it was")
    parser.add_argument("--repeat", type=int, default=1, help="pairs of publish and bare insert (ratio of the fastest)")
    args = parser.parse_args()
    keys = tempfile.TemporaryDirectory()  # the benchmark centrals' keys, never the user's
    os.environ["HALLCLIENT_KEY_DIR"], os.environ["HALLCLIENT_NO_KEYRING"] = keys.name, "1"
    document = synthetic_catalog(args.items)
    if args.distinct:
        distinct(document)
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    del document  # a central holds the request's body and its catalog, not a decoded tree of 200,000 dicts
    gc.collect()
    decode_s, catalog = min((timed(lambda: doc_to_catalog(decode_catalog(body))) for _ in range(3)),
                            key=lambda run: run[0])[::2]
    stall = min(longest_stall(lambda: decode_catalog(body)) for _ in range(3))
    stall_one_call = min(longest_stall(lambda: catalog_format._DECODER.decode(body)) for _ in range(3))
    materials = sum(len(item.materials) for item in catalog.items)
    pinyin_keys("预热")  # the import of pypinyin and its dictionaries, once per process
    engines = ["sqlite"] + (["postgresql"] if os.environ.get(PG_ENV) else [])
    print(f"catalog: {args.items} items, {materials} materials{' (all distinct)' if args.distinct else ''}")
    print(f"decode and check the request body ({len(body) / 1e6:.1f} MB, as PUT /api/v1/catalog): "
          f"{decode_s:.2f} s (fastest of 3); meanwhile another thread waited at most {stall * 1000:.0f} ms "
          f"({stall_one_call * 1000:.0f} ms with one msgspec call over the whole body)")
    all_figures: dict[str, Any] = {"items": args.items, "materials": materials, "distinct": args.distinct,
                                   "decode_s": round(decode_s, 3), "decode_stall_ms": round(stall * 1000, 1),
                                   "decode_stall_one_call_ms": round(stall_one_call * 1000, 1)}
    for engine in engines:
        f = bench_engine(engine, catalog, args.reference, max(1, args.repeat))
        f["request_ratio"] = round((min(w for w, _ in f["pair_seconds"]) + decode_s)
                                   / min(b for _, b in f["pair_seconds"]), 2)
        all_figures[engine] = f
        pairs = f["pair_seconds"]
        print(f"{engine}: first publish {f['publish_s']:.2f} s (CPU {f['publish_cpu_s']:.2f} s: prepare "
              f"{f['prepare_s']:.2f}, feed write {f['feed_write_s']:.2f}, items {f['items_write_s']:.2f} in steps ≤ "
              f"{f['items_max_step_s'] * 1000:.0f} ms); its bare insert of the same rows {f['bare_insert_s']:.2f} s "
              f"(CPU {f['bare_insert_cpu_s']:.2f} s) "
              f"[{f['feed_rows']} feed rows, {f['doc_mb']} MB of documents, {f['item_rows']} item rows]")
        print(f"{engine}: publish {min(w for w, _ in pairs):.2f} s / bare {min(b for _, b in pairs):.2f} s = "
              f"{f['ratio']:.2f}×{f' (fastest of {len(pairs)} each)' if len(pairs) > 1 else ''}   budget ≤ 2×")
        if len(f["pair_ratios"]) > 1:
            print(f"  {len(f['pair_ratios'])} pairs (publish s, bare s): {f['pair_seconds']}; their ratios "
                  f"{f['pair_ratios']} (median {f['median_pair_ratio']:.2f}×); fastest publish / fastest bare = "
                  f"{f['ratio']:.2f}×")
        print(f"  the whole request (decode + publish) / bare = {f['request_ratio']:.2f}×")
        print(f"  publish again, nothing changed: {f['republish_unchanged_s']:.2f} s")
        if args.reference:
            print(f"  publish as before (feed.prepare_publish): {f['reference_publish_s']:.2f} s "
                  f"(CPU {f['reference_cpu_s']:.2f} s) = {f['reference_ratio']:.2f}× bare")
    if not os.environ.get(PG_ENV):
        print(f"PostgreSQL skipped: {PG_ENV} not set")
    print(json.dumps(all_figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
