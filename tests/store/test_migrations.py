"""Every released schema migrates to the same database a fresh install makes; personal data
from older schemas ends up encrypted, with nothing plain left in the file or its WAL."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from hallclient.store import cases_repo
from hallclient.store.cases_repo import CaseFilter
from hallclient.store.database import SCHEMA_VERSION, Store

FIXTURES = Path(__file__).parent / "fixtures"
V3_ID = "11010519491231002X"  # the applicant of the two cases in schema-v3.db
V3_PHONE = "13812345678"


def schema_of(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
    return {name: " ".join(sql.split()) for name, sql in rows}


def columns_of(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f"PRAGMA table_info('{t}')").fetchall() for t in tables}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fresh") / "hallclient.db"
    Store.open_file(db).close()
    return db


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("schema-v*.db")))
def test_every_frozen_schema_migrates_to_the_fresh_one(fixture: str, fresh: Path, tmp_path: Path) -> None:
    db = tmp_path / "hallclient.db"
    shutil.copy(FIXTURES / fixture, db)
    Store.open_file(db).close()
    assert schema_of(db) == schema_of(fresh)
    assert columns_of(db) == columns_of(fresh)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (str(SCHEMA_VERSION),)


def test_v3_cases_are_encrypted_in_place_and_still_found(tmp_path: Path) -> None:
    db = tmp_path / "hallclient.db"
    shutil.copy(FIXTURES / "schema-v3.db", db)
    assert (FIXTURES / "schema-v3.db").read_bytes().count(V3_ID.encode()) > 0  # the fixture is plain
    store = Store.open_file(db)
    with store.session() as session:
        cases = cases_repo.list_cases(session, CaseFilter(text=V3_ID.lower()), today=__import__("datetime").date(2026, 9, 28))
        assert {c.applicant.name for c in cases} == {"张三", "王五"}
        assert all(c.applicant.id_number == V3_ID and c.applicant.phone == V3_PHONE for c in cases)
    store.close()
    for path in tmp_path.glob("hallclient.db*"):
        if path.suffix == ".bak":
            continue  # the copy taken before migrating is the old file, by design
        raw = path.read_bytes()
        assert V3_ID.encode() not in raw and V3_PHONE.encode() not in raw, path.name
    assert list(tmp_path.glob("hallclient.db.v3-*.bak")), "backed up before migrating"


def test_a_database_whose_key_is_gone_is_refused_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hallclient.security.keys import KeyUnavailable

    db = tmp_path / "data" / "hallclient.db"
    Store.open_file(db).close()
    before = db.read_bytes()
    monkeypatch.setenv("HALLCLIENT_KEY_DIR", str(tmp_path / "empty-key-dir"))
    with pytest.raises(KeyUnavailable, match="找不到数据库的密钥"):
        Store.open_file(db)
    assert db.read_bytes() == before


def test_database_and_directory_are_private(tmp_path: Path) -> None:
    db = tmp_path / "data" / "hallclient.db"
    Store.open_file(db).close()
    assert db.stat().st_mode & 0o777 == 0o600
    assert db.parent.stat().st_mode & 0o777 == 0o700
