"""A central restored from an older backup: the window notices, says so, and pushes again what
the central lost; its case counters never go below the central's numbers. Two pushes of one
case with the same updated_at and different content: a conflict, not `unchanged`."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, update

from hallclient.central.database import open_central
from hallclient.central.intake import counts
from hallclient.core.catalog_format import parse_catalog
from hallclient.store.database import Store
from hallclient.store.models import CaseRow, OutboxRow
from hallclient.sync.reconcile import case_seq
from hallclient.sync.round import run_sync_round
from tests.central.support import Central, make_case
from tests.conftest import small_catalog

FOOD = parse_catalog(small_catalog()).item_map()["11411500MB1234567X-001"]


def _cases_on(central: Central) -> int:
    with central.store.session() as session:
        return counts(session)[0]


def _backup(path: Path, target: Path) -> None:
    source, copy = sqlite3.connect(path), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()


def test_a_central_restored_from_an_older_backup_gets_everything_again(central: Central, window_store: Store,
                                                                       tmp_path: Path) -> None:
    db = central.store.path
    if db is None:
        pytest.skip("restoring a file backup: SQLite only")
    for n in range(5):
        make_case(window_store, FOOD, name=f"申请人{n}")
    first = run_sync_round(window_store, central.settings())
    assert first.ok and first.pushed == 5 and first.central_restored is None
    backup = tmp_path / "central-backup.db"
    _backup(db, backup)
    for n in range(5, 10):
        make_case(window_store, FOOD, name=f"申请人{n}")
    assert run_sync_round(window_store, central.settings()).pushed == 5
    assert _cases_on(central) == 10

    central.stop()  # the hall restores yesterday's backup of the central
    central.store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(backup, db)
    central.store = open_central(f"sqlite:///{db}")
    central.app = None
    central.start()
    assert _cases_on(central) == 5

    report = run_sync_round(window_store, central.settings())
    assert report.ok, report.errors
    assert report.central_restored and "备份" in report.central_restored
    assert report.repushed == 5 and report.pushed == 5 and report.waiting == 0
    assert _cases_on(central) == 10
    assert any("备份" in line for line in report.lines())
    calm = run_sync_round(window_store, central.settings())  # next round: nothing more to say
    assert calm.ok and calm.central_restored is None and calm.pushed == 0


def test_case_counters_never_go_below_the_central_numbers(central: Central, window_store: Store,
                                                         tmp_path: Path) -> None:
    assert window_store.path is not None
    before = tmp_path / "window-backup.db"
    _backup(window_store.path, before)  # the window's backup, taken before these three cases
    for n in range(3):
        make_case(window_store, FOOD, name=f"申请人{n}")
    assert run_sync_round(window_store, central.settings()).pushed == 3
    window_store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{window_store.path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(before, window_store.path)
    restored = Store.open_file(window_store.path)
    try:
        assert run_sync_round(restored, central.settings()).ok
        new_case = make_case(restored, FOOD, name="赵六")
        with restored.session() as session:
            number = session.execute(select(CaseRow.case_number).where(CaseRow.uuid == new_case)).scalar_one()
    finally:
        restored.close()
    assert number.endswith("000004"), number  # after the central's 000003, never 000001 again


def test_case_seq_reads_the_pattern() -> None:
    pattern = "信高新受〔{year}〕{window:0>2}{seq:0>6}"
    assert case_seq(pattern, 2026, "3", "信高新受〔2026〕03000123") == 123
    assert case_seq(pattern, 2026, "3", "信高新受〔2026〕05000123") is None
    assert case_seq("{year}-{seq}", 2026, "3", "2026-7") == 7


def test_same_updated_at_different_content_is_a_conflict(central: Central, window_store: Store) -> None:
    case_uuid = make_case(window_store, FOOD)
    assert run_sync_round(window_store, central.settings()).pushed == 1
    cipher = window_store.cipher
    outbox = OutboxRow.__table__
    with window_store.session() as session, session.begin():
        row = session.execute(select(outbox).where(outbox.c.record_uuid == case_uuid)).one()
        body = json.loads(cipher.decrypt(row.payload) if cipher else row.payload)
        body["clerk_name"] = "另一位受理人"  # same updated_at, other content
        text = json.dumps(body, ensure_ascii=False)
        session.execute(update(outbox).where(outbox.c.id == row.id).values(
            payload=cipher.encrypt(text) if cipher else text, done_at=None))
    report = run_sync_round(window_store, central.settings(), force=True)
    assert report.conflicts == 1 and report.pushed == 1 and report.waiting == 0
    assert any("内容不同" in w for w in report.warnings)
    with window_store.session() as session:  # the window keeps its version, with the note for the clerk
        kept = session.execute(select(outbox.c.payload, outbox.c.last_error)
                               .where(outbox.c.record_uuid == case_uuid)).one()
    assert "另一位受理人" in (cipher.decrypt(kept.payload) if cipher else kept.payload)
    assert "内容不同" in kept.last_error
    stored = central.person("GET", f"/cases/{case_uuid}").json()
    assert stored["case"]["clerk_name"] == "李四"  # the central keeps what it had
