"""A damaged database is refused untouched; unwritable, full and locked storage are told in Chinese.

Real files throughout: truncated, zeroed, garbage, flipped pages; a read-only bind mount, an
immutable directory (chattr +i), a tiny tmpfs that fills up, and a second SQLite connection
holding BEGIN EXCLUSIVE. Mounting needs root; without it those tests are skipped with the reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from hallclient.store.database import Store
from hallclient.store.integrity import DatabaseDamaged, StorageUnavailable
from tests.store.test_backup import add_cases, case_numbers, corrupt_a_table_page


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "hallclient.db"
    store = Store.open_file(path)
    add_cases(store, 2)
    store.close()
    return path


def _truncate_half(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    os.truncate(path, path.stat().st_size // 2)


DAMAGE = {
    "empty": (lambda p: p.write_bytes(b""), "空的（0 字节）"),
    "not_sqlite": (lambda p: p.write_bytes(os.urandom(8192)), "不是 SQLite"),
    "zeroed_header": (lambda p: p.write_bytes(b"\0" * 100 + p.read_bytes()[100:]), "不是 SQLite"),
    "corrupt": (corrupt_a_table_page, "损坏"),
    "truncated": (_truncate_half, "损坏"),
}


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_a_damaged_database_is_refused_and_left_exactly_as_it_was(db: Path, how: str) -> None:
    damage, words = DAMAGE[how]
    damage(db)
    before = digest(db)
    for _attempt in range(2):  # the second start is refused too: nothing was "repaired" in between
        with pytest.raises(DatabaseDamaged) as caught:
            Store.open_file(db)
        message = str(caught.value)
        assert words in message and str(db) in message
        assert "backup restore" in message and "不会被新的空数据库替换" in message
        assert digest(db) == before
    kind = caught.value.kind
    assert kind == ("corrupt" if how in ("corrupt", "truncated") else "empty" if how == "empty" else "not_sqlite")


def test_a_sqlite_file_that_is_not_ours_is_not_turned_into_a_fresh_database(tmp_path: Path) -> None:
    path = tmp_path / "hallclient.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE cases (case_number TEXT)")  # e.g. meta lost: counters would restart
    conn.execute("INSERT INTO cases VALUES ('信高新受〔2026〕03000001')")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseDamaged, match="不是 hallclient 的数据库"):
        Store.open_file(path)
    assert digest(path) == before


def test_a_directory_in_place_of_the_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "hallclient.db").mkdir()
    with pytest.raises(DatabaseDamaged, match="是一个目录"):
        Store.open_file(tmp_path / "hallclient.db")


def test_a_missing_file_or_a_tableless_sqlite_file_starts_fresh(tmp_path: Path) -> None:
    Store.open_file(tmp_path / "new" / "hallclient.db").close()
    bare = tmp_path / "bare.db"
    conn = sqlite3.connect(bare)
    conn.execute("PRAGMA user_version = 1")  # a header, no tables: nothing was ever committed
    conn.commit()
    conn.close()
    store = Store.open_file(bare)
    assert add_cases(store, 1)[0].endswith("000001")
    store.close()


def test_a_healthy_database_reopens_and_numbering_continues(db: Path) -> None:
    store = Store.open_file(db)
    assert add_cases(store, 1)[0].endswith("000003")
    store.close()


# -- storage: read-only, immutable, full, locked -----------------------------------------------


def _run(*cmd: str) -> bool:
    return subprocess.run(cmd, capture_output=True).returncode == 0


@contextlib.contextmanager
def read_only_bind(directory: Path) -> Iterator[None]:
    if not (_run("mount", "--bind", str(directory), str(directory))):
        pytest.skip("cannot bind-mount here (needs root and mount rights)")
    try:
        if not _run("mount", "-o", "remount,bind,ro", str(directory)):
            pytest.skip("cannot remount read-only here")
        yield
    finally:
        _run("umount", str(directory)) or _run("umount", "-l", str(directory))


@contextlib.contextmanager
def tiny_tmpfs(directory: Path, size: str) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    if not _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)):
        pytest.skip("cannot mount a tmpfs here (needs root and mount rights)")
    try:
        yield
    finally:
        _run("umount", str(directory)) or _run("umount", "-l", str(directory))


def fill(directory: Path) -> Path:
    """Write until the filesystem is full; the filler file is returned to be removed later."""
    filler = directory / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
    finally:
        os.close(fd)
    return filler


def test_read_only_data_directory_is_named_with_its_cause(db: Path) -> None:
    with read_only_bind(db.parent), pytest.raises(StorageUnavailable) as caught:
        Store.open_file(db)
    assert caught.value.kind == "unwritable" and caught.value.path == db.parent
    assert "只读" in str(caught.value) and str(db.parent) in str(caught.value)


def test_immutable_database_file_is_named(db: Path) -> None:
    if not _run("chattr", "+i", str(db)):
        pytest.skip("chattr +i is not supported on this filesystem")
    try:
        with pytest.raises(StorageUnavailable) as caught:
            Store.open_file(db)
    finally:
        _run("chattr", "-i", str(db))
    assert caught.value.kind == "readonly" and str(db) in str(caught.value)


def test_full_disk_at_open_and_during_a_write_loses_nothing_and_says_so(tmp_path: Path) -> None:
    small = tmp_path / "small"
    with tiny_tmpfs(small, "1m"):
        db = small / "hallclient.db"
        store = Store.open_file(db)
        add_cases(store, 1)
        filler = fill(small)
        with pytest.raises(StorageUnavailable) as caught, store.session() as session, session.begin():
            session.execute(text("INSERT INTO meta (key, value) VALUES ('big', :v)"), {"v": "x" * 600_000})
        assert caught.value.kind == "disk_full" and str(small) in str(caught.value)
        assert "磁盘空间已满" in str(caught.value) and "未保存" in str(caught.value)
        store.close()
        with pytest.raises(StorageUnavailable, match="磁盘空间已满"):
            Store.open_file(db)
        filler.unlink()
        store = Store.open_file(db)
        with store.session() as session:
            assert session.execute(text("SELECT count(*) FROM meta WHERE key = 'big'")).scalar() == 0
            assert session.execute(text("PRAGMA quick_check")).scalar() == "ok"
        store.close()
        assert len(case_numbers(db)) == 1
        assert not [n for n in os.listdir(small) if "probe" in n]


def test_a_database_locked_by_another_program_is_told_and_nothing_is_written(db: Path) -> None:
    store = Store.open_file(db)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageUnavailable) as caught:
            add_cases(store, 1)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert caught.value.kind == "locked" and str(db) in str(caught.value) and "锁定" in str(caught.value)
    assert len(case_numbers(db)) == 2
    assert add_cases(store, 1)[0].endswith("000003")  # the refused attempt used no number
    store.close()
