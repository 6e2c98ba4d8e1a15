"""The yardstick of the catalog benches: the rows a window's catalog tables hold, inserted with
nothing but sqlite3.executemany into the same schema (indexes and pragmas as a fresh window's
would have them, with synchronous=NORMAL), in one transaction."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from hallclient.store.database import Store


def bare_executemany(template: Path, target: Path) -> float:
    """Seconds to insert `template`'s service_items and materials rows into a new `target`."""
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


def profile_top(profile: object, count: int = 12) -> list[str]:
    """The `count` entries of a cProfile.Profile with the most time of their own, one line each."""
    import pstats

    stats = pstats.Stats(profile)  # type: ignore[arg-type]
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:count]  # type: ignore[attr-defined]
    lines = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in rows:
        where = f"{Path(filename).name}:{line}({name})" if line else name
        lines.append(f"{tottime:7.2f} s own {cumtime:7.2f} s cum {calls:>8} calls  {where}")
    return lines
