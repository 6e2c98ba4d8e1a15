"""A hand-made quarter on a central database: every figure of July 2026 is worked out by hand in
test_figures.py from the rows written here."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import insert, text

from hallclient.central.database import open_central
from hallclient.central.models import CentralCase, CentralCaseEvent
from hallclient.central.queue_models import QueueEvent, QueueTicket

DAY = "2026-07-01"
TZ = "+08:00"


def at(day: str, hhmmss: str) -> str:
    return f"{day}T{hhmmss}{TZ}"


def _ticket(tid: str, number: str, category: str, state: str, issued: str, window: str | None) -> dict:
    return {"id": tid, "day": DAY, "number": number, "category": category, "prefix": number[0],
            "seq": int(number[1:]), "type": "normal", "state": state, "issued_at": at(DAY, issued),
            "queued_at": at(DAY, issued), "calls": 1, "window": window, "front": False, "source": "kiosk",
            "updated_at": at(DAY, issued)}


def _event(tid: str | None, kind: str, when: str, window: str | None, clerk: str | None = None) -> dict:
    return {"uuid": str(uuid.uuid4()), "ticket_id": tid, "day": DAY, "kind": kind, "at": at(DAY, when),
            "window": window, "clerk": clerk, "data": None}


def _case(cid: str, window: str, decision: str, state: str, due: str | None, tolerated_by: str | None = None,
          accepted: str = "2026-07-01") -> dict:
    payload = {"item_codes": ["ITEM1"], "due_date": due, "clerk_login": f"clerk{window}",
               "tolerated": [{"key": "m1", "name": "材料", "supplement_by": tolerated_by}] if tolerated_by else []}
    return {"uuid": cid, "case_number": cid, "window_number": window, "state": state, "decision": decision,
            "applicant_name": "某", "applicant_id": "x", "accepted_on": accepted, "updated_at": at(accepted, "10:00:00"),
            "payload": json.dumps(payload), "pushed_by": window, "received_at": at(accepted, "10:00:00")}


def _case_event(cid: str, kind: str, day: str, data: dict | None = None) -> dict:
    when = at(day, "11:00:00")
    return {"uuid": str(uuid.uuid4()), "case_uuid": cid, "kind": kind, "at": when,
            "payload": json.dumps({"kind": kind, "at": when, "data": data or {}}), "pushed_by": "1",
            "received_at": when}


def seed_quarter(url: str):  # type: ignore[no-untyped-def]
    store = open_central(url)
    tickets = [
        _ticket("t1", "A001", "无差别受理", "done", "09:00:00", "1"),
        _ticket("t2", "A002", "无差别受理", "done", "09:10:00", "1"),
        _ticket("t3", "A003", "无差别受理", "missed", "09:30:00", "2"),
        _ticket("t4", "B001", "市场准入", "done", "10:00:00", "2"),
        _ticket("t5", "B002", "市场准入", "cancelled", "10:05:00", None),
    ]
    events = [
        _event("t1", "issued", "09:00:00", None), _event("t1", "called", "09:05:00", "1", "张三"),
        _event("t1", "started", "09:05:30", "1", "张三"), _event("t1", "finished", "09:15:30", "1", "张三"),
        _event("t2", "issued", "09:10:00", None), _event("t2", "called", "09:20:00", "1", "张三"),
        _event("t2", "started", "09:20:00", "1", "张三"), _event("t2", "finished", "09:25:00", "1", "张三"),
        _event("t3", "called", "09:31:00", "2", "李四"), _event("t3", "no_show", "09:35:00", "2", "李四"),
        _event("t4", "called", "10:20:00", "2", "李四"), _event("t4", "transferred", "10:20:30", "2", "李四"),
        _event("t4", "started", "10:21:00", "2", "李四"), _event("t4", "finished", "10:41:00", "2", "李四"),
        _event(None, "paused", "11:50:00", "1", "张三"), _event(None, "unpaused", "13:10:00", "1", "张三"),
    ]
    cases = [
        _case("c1", "1", "accept", "completed", "2026-07-10"),
        _case("c2", "1", "accept_with_tolerance", "completed", "2026-07-15", "2026-07-05"),
        _case("c3", "2", "accept_with_tolerance", "accepted", "2026-07-20", "2026-07-05"),
        _case("c4", "2", "one_time_notice", "one_time_noticed", None),
        _case("c5", "2", "refuse", "refused", None),
        _case("c6", "1", "accept_with_tolerance", "returned", "2026-07-20", "2026-07-05"),
        _case("c7", "1", "accept", "completed", "2026-07-10"),
    ]
    case_events = [
        _case_event("c1", "completed", "2026-07-08"),
        _case_event("c2", "supplemented", "2026-07-04", {"keys": ["m1"], "complete": True}),
        _case_event("c2", "approved", "2026-07-20", {"minutes_since_acceptance": 30}),
        _case_event("c3", "supplemented", "2026-07-07", {"keys": ["m1"], "complete": True}),
        _case_event("c6", "returned", "2026-07-09", {"reason": "逾期未补正"}),
        _case_event("c7", "approved", "2026-07-02", {"minutes_since_acceptance": 10}),
    ]
    ratings = [("r1", "1", "c1", "very_satisfied"), ("r2", "1", "c2", "satisfied"), ("r3", "1", "c6", None),
               ("r4", "1", "c7", "unsatisfied"), ("r5", "2", "c3", "basically_satisfied"),
               ("r6", "2", "c4", "very_unsatisfied")]
    complaint = {"uuid": "k1", "number": "TS2026020001", "stage": "archived", "owner_login": "sup",
                 "registered_at": at("2026-07-03", "09:00:00"), "about_window": "2",
                 "data": json.dumps({"closed_on_time": True, "reopened": 1, "about_clerk": "clerk2"})}
    with store.session() as s, s.begin():
        s.execute(insert(QueueTicket.__table__), tickets)
        s.execute(insert(QueueEvent.__table__), events)
        s.execute(insert(CentralCase.__table__), cases)
        s.execute(insert(CentralCaseEvent.__table__), case_events)
        for rid, window, cid, level in ratings:
            s.execute(text("INSERT INTO central_ratings (uuid, service_key, case_uuid, case_number, window_number,"
                           " clerk_login, level, channel, rated_at, data, phone, pushed_by, received_at) VALUES"
                           " (:u, :k, :c, :c, :w, :cl, :lv, 'pad', :at, '{}', NULL, :w, :at)"),
                      {"u": rid, "k": f"case:{cid}", "c": cid, "w": window, "cl": f"clerk{window}", "lv": level,
                       "at": at("2026-07-02", "10:00:00")})
        s.execute(text("INSERT INTO central_records (uuid, kind, window_number, payload, received_at)"
                       " VALUES ('k1', 'complaint', '2', :p, :at)"),
                  {"p": json.dumps(complaint), "at": at("2026-07-03", "09:00:00")})
        s.execute(text("INSERT INTO users (login, name, roles, departments, password_hash, disabled, failed_count,"
                       " created_at, updated_at) VALUES ('clerk1', '张三', '[\"clerk\"]', '[]', 'x', false, 0, '', ''),"
                       " ('clerk2', '李四', '[\"clerk\"]', '[]', 'x', false, 0, '', '')"))
    return store


@pytest.fixture()
def quarter(tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'central.db'}"
    store = seed_quarter(url)
    yield store, url
    store.close()
