"""A central made before the optional catalog fields existed gets them from step 5."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hallclient.central.database import CENTRAL_SCHEMA_VERSION, VERSION_KEY, open_central


def test_an_older_central_gets_the_catalog_columns(tmp_path: Path) -> None:
    db = tmp_path / "central.db"
    open_central(f"sqlite:///{db}").close()
    with sqlite3.connect(db) as conn:  # as a central of schema 4 was: without the columns
        for table, column in (("materials", "basis"), ("materials", "produced_by"),
                              ("service_items", "back_office"), ("service_items", "guide"),
                              ("service_items", "limit_note")):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("UPDATE meta SET value='4' WHERE key=?", (VERSION_KEY,))
    open_central(f"sqlite:///{db}").close()
    with sqlite3.connect(db) as conn:
        materials = {r[1] for r in conn.execute("PRAGMA table_info(materials)")}
        items = {r[1] for r in conn.execute("PRAGMA table_info(service_items)")}
        version = conn.execute("SELECT value FROM meta WHERE key=?", (VERSION_KEY,)).fetchone()[0]
    assert {"basis", "produced_by"} <= materials and {"back_office", "guide", "limit_note"} <= items
    assert int(version) == CENTRAL_SCHEMA_VERSION
