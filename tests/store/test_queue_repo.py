"""Walk-in numbers and offline queue events in the window's store; the schema-2 → 3 migration."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from hallclient.core.queue import TicketState
from hallclient.store import queue_repo
from hallclient.store.database import SCHEMA_VERSION, Store

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=8)))


def test_schema_2_database_migrates_and_keeps_its_counters(tmp_path: Path) -> None:
    """schema-v2.db is a frozen database of the second release (cases, outbox, counters)."""
    db = tmp_path / "hallclient.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "schema-v2.db", db)
    store = Store.open_file(db)
    try:
        with store.session() as session, session.begin():
            walkin = queue_repo.issue_walkin(session, "3", "无差别受理", NOW)
        assert walkin.number == "W3-001"
    finally:
        store.close()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
        assert conn.execute("SELECT value FROM counters WHERE name = 'case_number:2026'").fetchone() == (7,)
    finally:
        conn.close()
    assert list(tmp_path.glob("hallclient.db.v2-*.bak"))  # copied aside before migrating


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open_file(tmp_path / "hallclient.db")


def test_walkin_numbers_per_window_per_day_and_their_outbox(store: Store) -> None:
    with store.session() as session, session.begin():
        first = queue_repo.issue_walkin(session, "3", "无差别受理", NOW, "李四")
        second = queue_repo.issue_walkin(session, "3", "无差别受理", NOW + timedelta(minutes=1))
        other = queue_repo.issue_walkin(session, "12", "无差别受理", NOW)
        tomorrow = queue_repo.issue_walkin(session, "3", "无差别受理", NOW + timedelta(days=1))
    assert [first.number, second.number, other.number, tomorrow.number] == ["W3-001", "W3-002", "W12-001", "W3-001"]
    with store.session() as session, session.begin():
        nxt = queue_repo.next_walkin(session, "3", "2026-11-25")
        assert nxt is not None and nxt.number == "W3-001"
        assert queue_repo.record_event(session, nxt.uuid, "called", "3", NOW) is TicketState.CALLED
        assert queue_repo.record_event(session, nxt.uuid, "no_show", "3", NOW, no_show_calls=1) is TicketState.MISSED
        with pytest.raises(ValueError):
            queue_repo.record_event(session, nxt.uuid, "finished", "3", NOW)  # not being served
        again = queue_repo.find_walkin(session, "3", "2026-11-25", "W3-001")  # came back: callable by number
        assert again is not None and again.state is TicketState.MISSED
        assert queue_repo.waiting_walkins(session, "3", "2026-11-25") == 1
        rows = session.execute(queue_repo.OUTBOX.select().order_by(queue_repo.OUTBOX.c.id)).all()
    assert [r.kind for r in rows] == ["walkin_ticket"] * 4 + ["queue_event"] * 2
    assert json.loads(rows[0].payload)["number"] == "W3-001" and json.loads(rows[0].payload)["clerk"] == "李四"
    assert json.loads(rows[5].payload)["data"] == {"no_show_calls": 1}
    with store.session() as session, session.begin():
        assert queue_repo.hand_over(session, "3") == 0  # records still wait for the central
        session.execute(queue_repo.OUTBOX.update().values(done_at="2026-11-25T09:05:00+00:00"))
        assert queue_repo.hand_over(session, "3") == 3
        assert queue_repo.next_walkin(session, "3", "2026-11-25") is None  # the central calls them now
