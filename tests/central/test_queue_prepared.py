"""The queue's hot statements on the write transaction's own DBAPI cursor
(hallclient.central.prepared), on SQLite and PostgreSQL: a driver's error reaches the caller as
SQLAlchemy's (so the routes answer a conflict or a database fault, never a 500), and the
candidates of call-next come from the step-10 indexes in the rules' order."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hallclient.central import prepared
from hallclient.central import queue_service as qsv
from hallclient.central import queue_store as qs
from tests.central.queue_support import issue_many, set_clock
from tests.central.support import Central


def _event(event_uuid: str) -> dict[str, object]:
    return {"uuid": event_uuid, "ticket_id": None, "day": "2026-12-02", "kind": "paused",
            "at": "2026-12-02T09:00:00.000000+08:00", "window": "3", "clerk": None, "data": None}


def test_a_driver_error_on_the_prepared_cursor_is_sqlalchemys(central: Central) -> None:
    same = str(uuid.uuid4())
    # not sqlite3.IntegrityError / psycopg.errors.UniqueViolation
    with central.store.session() as session, pytest.raises(IntegrityError), qs.write_transaction(session):
        prepared.execute(session, qs._INSERT_EVENT, _event(same))
        prepared.execute(session, qs._INSERT_EVENT, _event(same))  # the event's uuid is unique
    with central.store.session() as session:  # and the transaction was rolled back whole
        found = session.execute(text("SELECT count(*) FROM queue_events WHERE uuid = :u"), {"u": same}).scalar()
    assert found == 0


def test_candidates_are_each_classes_first_over_the_windows_categories(central: Central) -> None:
    set_clock(central)
    config = central.app.state.queue
    issue_many(central, [("无差别受理", False), ("市场准入", False)] * 3 + [("市场准入", True)] * 3
               + [("建设工程", False)] * 4)  # 建设工程: a category the window does not serve
    with central.store.session() as session, qs.write_transaction(session):
        rows = qsv._waiting_rows(session, config.today(), "3", ["市场准入", "无差别受理"], limit=2)
    by_type: dict[str, list[str]] = {}
    for row in rows:
        by_type.setdefault(row.type, []).append(row.number)
    first_normal = sorted(by_type["normal"])
    assert len(first_normal) == 2 and all(row.category != "建设工程" for row in rows)
    assert len(by_type["priority"]) == 2  # the limit holds for the green channel too
    with central.store.session() as session:  # the two oldest normal tickets of both categories
        oldest = session.execute(text(
            "SELECT number FROM queue_tickets WHERE type = 'normal' AND category IN ('市场准入', '无差别受理') "
            "ORDER BY queued_at, issued_at, seq LIMIT 2")).scalars().all()
    assert first_normal == sorted(oldest)
