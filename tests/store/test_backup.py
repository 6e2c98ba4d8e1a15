"""Backups and restore on real files: rotation, 0600, crash-safe, refused damage, counters never back."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from hallclient.store import backup, cases_repo
from hallclient.store.database import Store
from hallclient.store.integrity import DatabaseDamaged, StorageUnavailable
from tests.store.test_cases_repo import ALL, PATTERN, draft

T0 = datetime(2026, 12, 1, 9, 0, 0)


def add_cases(store: Store, n: int) -> list[str]:
    numbers = []
    for _ in range(n):
        with store.session() as session, session.begin():
            numbers.append(cases_repo.create_case(session, draft(ALL), PATTERN).case_number)
    return numbers


def case_numbers(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return sorted(r[0] for r in conn.execute("SELECT case_number FROM cases"))
    finally:
        conn.close()


def counter(db: Path, year: int = 2026) -> int | None:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT value FROM counters WHERE name = ?", (f"case_number:{year}",)).fetchone()
        return row[0] if row else None
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "hallclient.db"
    store = Store.open_file(path)
    add_cases(store, 3)
    store.close()
    return path


def test_backup_is_a_checked_private_single_file_with_everything_committed(tmp_path: Path) -> None:
    path = tmp_path / "data" / "hallclient.db"
    store = Store.open_file(path)
    numbers = add_cases(store, 2)  # still open: the last commits sit in the WAL
    target = backup.backup_database(path, tmp_path / "b", keep=3, now=T0)
    store.close()
    assert target.name == "hallclient-20261201-090000.db"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "b").stat().st_mode) == 0o700
    assert os.listdir(tmp_path / "b") == [target.name]  # no temp, no -wal beside it
    assert case_numbers(target) == sorted(numbers)
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()


def test_rotation_keeps_the_newest_and_leaves_other_files_alone(db: Path, tmp_path: Path) -> None:
    bdir = tmp_path / "b"
    bdir.mkdir()
    (bdir / "notes.txt").write_text("mine")
    (bdir / "hallclient-20200101-000000-before-restore.db").write_bytes(b"x")
    made = [backup.backup_database(db, bdir, keep=10, now=T0 + timedelta(hours=4 * i)) for i in range(12)]
    rotating = [b.path for b in backup.list_backups(bdir) if b.kind == "rotating"]
    assert rotating == list(reversed(made[2:]))  # newest first, the two oldest gone
    assert (bdir / "notes.txt").exists() and (bdir / "hallclient-20200101-000000-before-restore.db").exists()
    same_second = backup.backup_database(db, bdir, keep=10, now=T0 + timedelta(hours=44))
    assert same_second.name == "hallclient-20261203-050000-2.db" and made[-1].exists()


def test_a_damaged_database_is_not_backed_up_and_rotates_nothing_out(db: Path, tmp_path: Path) -> None:
    bdir = tmp_path / "b"
    good = [backup.backup_database(db, bdir, keep=2, now=T0 + timedelta(hours=i)) for i in range(2)]
    corrupt_a_table_page(db)
    with pytest.raises(DatabaseDamaged) as caught:
        backup.backup_database(db, bdir, keep=2, now=T0 + timedelta(hours=5))
    assert caught.value.path == db
    assert sorted(os.listdir(bdir)) == sorted(p.name for p in good)


def corrupt_a_table_page(db: Path) -> None:
    """Overwrite the first page of the cases table's b-tree (checkpointed into the main file first)."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=DELETE")
    root, = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cases'").fetchone()
    page_size, = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with open(db, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * 64)


def test_restore_replaces_the_database_keeps_the_old_one_and_never_lowers_counters(db: Path, tmp_path: Path) -> None:
    bdir = tmp_path / "b"
    taken = backup.backup_database(db, bdir, keep=10, now=T0)
    store = Store.open_file(db)
    later = add_cases(store, 2)  # numbered 4 and 5 after the backup (maybe pushed already)
    store.close()
    result = backup.restore_backup(db, taken, bdir, number_pattern=PATTERN, now=T0 + timedelta(hours=1))
    assert len(case_numbers(db)) == 3
    assert result.counters == {2026: 5} and counter(db) == 5
    assert not result.previous_damaged and result.previous_kept_as is not None
    assert result.previous_kept_as.name.endswith("-before-restore.db")
    assert set(later) <= set(case_numbers(result.previous_kept_as))
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    store = Store.open_file(db)
    with store.session() as session:
        flag = backup.read_restore_flag(session)
    assert flag == backup.RestoreFlag(str(taken.resolve()), result.flag.at)
    assert backup.RestoreFlag.parse(flag.value()) == flag
    assert flag.value().startswith(f"restored_from={taken.resolve()},at=2026-12-01T10:00:00")
    next_number = add_cases(store, 1)[0]
    store.close()
    assert next_number.endswith("000006") and next_number not in later


def test_restore_over_a_damaged_database_keeps_it_and_counts_from_the_backups_cases(db: Path, tmp_path: Path) -> None:
    bdir = tmp_path / "b"
    taken = backup.backup_database(db, bdir, keep=10, now=T0)
    conn = sqlite3.connect(taken)  # a backup whose counter lags its cases (must not be trusted)
    conn.execute("UPDATE counters SET value = 1")
    conn.commit()
    conn.close()
    Path(f"{db}-wal").write_bytes(b"stale wal of the damaged file")
    db.write_bytes(b"")
    result = backup.restore_backup(db, taken, bdir, number_pattern=PATTERN)
    assert result.previous_damaged and result.previous_kept_as is not None
    assert result.previous_kept_as.read_bytes() == b""
    assert Path(f"{result.previous_kept_as}-wal").read_bytes() == b"stale wal of the damaged file"
    assert counter(db) == 3 and result.counters == {2026: 3}
    store = Store.open_file(db)  # the damaged file's WAL was not applied to the restored one
    assert add_cases(store, 1)[0].endswith("000004")
    store.close()


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100, "foreign"])
def test_a_bad_backup_is_refused_and_nothing_changes(db: Path, tmp_path: Path, content: object) -> None:
    bad = tmp_path / "bad.db"
    if content == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE photos (x)")
        conn.commit()
        conn.close()
    else:
        bad.write_bytes(content)  # type: ignore[arg-type]
    before = db.read_bytes()
    with pytest.raises(DatabaseDamaged, match="备份") as caught:
        backup.restore_backup(db, bad, tmp_path / "b", number_pattern=PATTERN)
    assert caught.value.path == bad and "当前数据库保持原样" in str(caught.value)
    assert db.read_bytes() == before and not (tmp_path / "b").exists()


def test_a_corrupt_backup_is_refused(db: Path, tmp_path: Path) -> None:
    taken = backup.backup_database(db, tmp_path / "b", keep=10, now=T0)
    corrupt_a_table_page(taken)
    with pytest.raises(DatabaseDamaged, match="损坏"):
        backup.restore_backup(db, taken, tmp_path / "b", number_pattern=PATTERN)
    assert len(case_numbers(db)) == 3


def test_restore_refuses_while_the_database_is_open(db: Path, tmp_path: Path) -> None:
    taken = backup.backup_database(db, tmp_path / "b", keep=10, now=T0)
    store = Store.open_file(db)
    add_cases(store, 1)
    try:
        with pytest.raises(StorageUnavailable, match="正在被使用") as caught:
            backup.restore_backup(db, taken, tmp_path / "b", number_pattern=PATTERN)
        assert caught.value.kind == "locked"
    finally:
        store.close()
    assert len(case_numbers(db)) == 4


def test_raise_counters_to_only_goes_up(db: Path) -> None:
    store = Store.open_file(db)
    with store.session() as session, session.begin():
        assert backup.raise_counters_to(session, 2026, 40)
        assert not backup.raise_counters_to(session, 2026, 7)
        assert backup.raise_counters_to(session, 2027, 2)
        session.execute(backup.text("INSERT INTO meta (key, value) VALUES ('restored_from', 'restored_from=x,at=y')"))
    with store.session() as session, session.begin():
        assert backup.read_restore_flag(session) == backup.RestoreFlag("x", "y")
        backup.clear_restore_flag(session)
    with store.session() as session:
        assert backup.read_restore_flag(session) is None
    assert add_cases(store, 1)[0].endswith("000041")
    store.close()
    assert counter(db, 2027) == 2


def test_case_numbers_are_read_back_through_the_pattern(tmp_path: Path) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE cases (case_number, accepted_on, window_number)")
    conn.executemany("INSERT INTO cases VALUES (?, ?, ?)", [
        ("信高新受〔2026〕03000017", "2026-12-01", "3"),
        ("信高新受〔2025〕03000099", "2025-12-30", "3"),
        ("信高新受〔2026〕12000020", "2026-12-01", "12"),
        ("手工编号-1", "2026-12-01", "3"),  # an older pattern: skipped, not guessed
    ])
    assert backup.highest_sequences(conn, PATTERN) == {2026: 20, 2025: 99}
    assert backup.highest_sequences(conn, "{window}-{seq}") == {}


def test_an_empty_database_file_is_not_backed_up(db: Path, tmp_path: Path) -> None:
    bdir = tmp_path / "b"
    good = backup.backup_database(db, bdir, keep=1, now=T0)
    db.write_bytes(b"")
    with pytest.raises(DatabaseDamaged, match="空的"):
        backup.backup_database(db, bdir, keep=1, now=T0 + timedelta(hours=4))
    assert os.listdir(bdir) == [good.name] and len(case_numbers(good)) == 3


def test_a_vanished_database_with_backups_is_not_replaced_by_a_fresh_one(tmp_path: Path) -> None:
    """Deleting hallclient.db must not restart the case numbers: the backups say it existed."""
    from hallclient.store.integrity import DatabaseDamaged
    from hallclient.workspace import Workspace

    data = tmp_path / "w"
    ws = Workspace(data)
    ws.close()
    from hallclient.store.backup import backup_database, backup_dir_for

    backup_database(data / "hallclient.db", backup_dir_for(data, ""))
    for leftover in data.glob("hallclient.db*"):
        leftover.unlink()
    with pytest.raises(DatabaseDamaged, match="不会新建空数据库") as refused:
        Workspace(data)
    assert "backup restore" in str(refused.value)
    assert not (data / "hallclient.db").exists()
