"""A central made before the optional catalog fields existed gets them from step 5."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hallclient.central.database import (
    CENTRAL_MIGRATIONS,
    CENTRAL_SCHEMA_VERSION,
    VERSION_KEY,
    make_central_engine,
    open_central,
)
from hallclient.store.database import migrate

COLUMNS = (("materials", "basis"), ("materials", "produced_by"), ("service_items", "back_office"),
           ("service_items", "guide"), ("service_items", "limit_note"))


def test_an_older_central_gets_the_catalog_columns(tmp_path: Path) -> None:
    db = tmp_path / "central.db"
    engine = make_central_engine(f"sqlite:///{db}")
    migrate(engine, migrations=CENTRAL_MIGRATIONS[:4], version_key=VERSION_KEY)  # a central of schema 4…
    engine.dispose()
    with sqlite3.connect(db) as conn:  # …made before the catalog had these fields
        for table, column in COLUMNS:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    open_central(f"sqlite:///{db}").close()
    with sqlite3.connect(db) as conn:
        present = {(t, r[1]) for t in ("materials", "service_items") for r in conn.execute(f"PRAGMA table_info({t})")}
        version = conn.execute("SELECT value FROM meta WHERE key=?", (VERSION_KEY,)).fetchone()[0]
    assert set(COLUMNS) <= present
    assert int(version) == CENTRAL_SCHEMA_VERSION
