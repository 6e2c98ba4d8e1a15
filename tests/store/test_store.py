"""The local store: schema versions, migration with backup, atomic catalog replacement."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from hallclient.core.catalog_format import parse_catalog
from hallclient.store import catalog_repo, database
from hallclient.store.database import SCHEMA_VERSION, SchemaTooNewError, Store
from tests.conftest import small_catalog


def open_store(tmp_path: Path) -> Store:
    return Store.open_file(tmp_path / "hallclient.db")


def test_new_database_is_at_current_schema_in_wal_mode(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with store.engine.connect() as conn:
        assert database.read_schema_version(conn) == SCHEMA_VERSION
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    store.close()


def test_database_from_a_newer_hallclient_is_refused_untouched(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    db = tmp_path / "hallclient.db"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 5),))
    before = db.read_bytes()
    with pytest.raises(SchemaTooNewError, match="请升级"):
        open_store(tmp_path)
    assert db.read_bytes() == before


def test_replace_reports_the_difference_and_reads_back(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with store.session() as session, session.begin():
        diff = catalog_repo.replace_catalog(session, parse_catalog(small_catalog()))
    assert len(diff.added) == 6 and diff.updated == [] and diff.removed == []
    changed = small_catalog()
    changed["catalog_version"] = 8
    changed["items"][1]["name"] = "食品经营许可（变更登记）"
    del changed["items"][5]
    with store.session() as session, session.begin():
        diff = catalog_repo.replace_catalog(session, parse_catalog(changed))
    assert diff.added == [] and diff.updated == ["11411500MB1234567X-002"]
    assert diff.removed == ["3741150000101-001"]
    assert (diff.version_before, diff.version_after) == (7, 8)
    with store.session() as session:
        item = catalog_repo.load_item(session, "11411500MB1234567X-001")
        assert item == parse_catalog(small_catalog()).item_map()["11411500MB1234567X-001"]
        assert catalog_repo.export_catalog(session) == parse_catalog(changed)
        assert catalog_repo.read_header(session).catalog_version == 8  # type: ignore[union-attr]
    store.close()


def test_a_failing_replacement_leaves_the_old_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(tmp_path)
    with store.session() as session, session.begin():
        catalog_repo.replace_catalog(session, parse_catalog(small_catalog()))
    with store.session() as session:
        before = catalog_repo.export_catalog(session)

    def disk_full(*_args: object) -> None:  # a fault we cannot cause for real mid-transaction
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(catalog_repo, "_write_bundles", disk_full)
    newer = small_catalog()
    newer["catalog_version"] = 9
    newer["items"] = newer["items"][:2]
    newer["bundles"] = []
    with pytest.raises(OSError), store.session() as session, session.begin():
        catalog_repo.replace_catalog(session, parse_catalog(newer))
    with store.session() as session:
        assert catalog_repo.export_catalog(session) == before
    store.close()


def test_search_entries_carry_pinyin(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with store.session() as session, session.begin():
        catalog_repo.replace_catalog(session, parse_catalog(small_catalog()))
    with store.session() as session:
        entries = {e.code: e for e in catalog_repo.search_entries(session)}
    assert entries["11411500MB1234567X-001"].initials == "spjyxkxb"
    assert entries["11411500MB1234567X-001"].pinyin.startswith("shipinjingying")
    store.close()


def test_a_released_v1_database_is_backed_up_and_migrated(tmp_path: Path) -> None:
    """schema-v1.db is a frozen database of the first release (catalog version 3, three items)."""
    import shutil

    db = tmp_path / "hallclient.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "schema-v1.db", db)
    store = Store.open_file(db)
    with store.engine.connect() as conn:
        assert database.read_schema_version(conn) == SCHEMA_VERSION
        assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 0
    with store.session() as session:
        assert catalog_repo.read_header(session).catalog_version == 3  # type: ignore[union-attr]
        assert catalog_repo.load_item(session, "A-001").name == "食品经营许可（新办）"  # type: ignore[union-attr]
    store.close()
    backups = list(tmp_path.glob("hallclient.db.v1-*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)
