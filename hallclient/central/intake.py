"""Case intake: idempotent upserts of what windows push, keyed by the window's UUIDs.

A retried or duplicated push never makes a second record: the insert is
`INSERT … ON CONFLICT DO NOTHING` (SQLite and PostgreSQL), the primary key is the arbiter, and
a push that lost the race reads the row the winner wrote. A case whose item the catalog has
since cancelled is stored all the same, with a warning for the clerk.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hallclient.central.models import CentralCase, CentralCaseEvent
from hallclient.central.schemas import CaseEventPush, CasePush, PushAck
from hallclient.store.catalog_repo import ITEMS

CASES = CentralCase.__table__
EVENTS = CentralCaseEvent.__table__


class UnknownCase(LookupError):
    """An event arrived for a case the central has not received (yet)."""


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _insert_ignore(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert unless the primary key exists; True when this call inserted the row."""
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
        key = next(iter(table.primary_key.columns))
        statement = insert(table).values(**values).on_conflict_do_nothing().returning(key)
        return session.execute(statement).first() is not None  # rowcount is not reliable here
    try:  # another engine: the unique key decides, inside a savepoint
        with session.begin_nested():
            session.execute(table.insert().values(**values))
        return True
    except IntegrityError:
        return False


def item_warnings(session: Session, codes: list[str]) -> list[str]:
    """What the clerk should know about the items of a case stored anyway."""
    if not codes:
        return []
    found = {row.code: row for row in session.execute(
        select(ITEMS.c.code, ITEMS.c.name, ITEMS.c.state).where(ITEMS.c.code.in_(codes[:200])))}
    warnings = []
    for code in codes:
        row = found.get(code)
        if row is None:
            warnings.append(f"事项 {code} 不在中心事项清单中：办件已保存，请联系后台核实")
        elif row.state == "cancelled":
            warnings.append(f"事项 {code}（{row.name}）已取消：办件已保存，请联系后台核实")
        elif row.state == "suspended":
            warnings.append(f"事项 {code}（{row.name}）已暂停：办件已保存，请联系后台核实")
    return warnings


def _newer(candidate: str, stored: str) -> bool:
    try:
        return datetime.fromisoformat(candidate) > datetime.fromisoformat(stored)
    except (TypeError, ValueError):  # naive vs aware: compare the text
        return candidate > stored


def upsert_case(session: Session, push: CasePush, pushed_by: str) -> PushAck:
    warnings = item_warnings(session, list(push.item_codes))
    clash = session.execute(select(CASES.c.window_number).where(
        CASES.c.case_number == push.case_number, CASES.c.uuid != push.uuid).limit(1)).scalar()
    if clash is not None:
        warnings.append(f"受理编号 {push.case_number} 已被窗口 {clash} 的另一办件使用：请核对窗口编号设置")
    payload = json.dumps(push.model_dump(), ensure_ascii=False, sort_keys=True)
    columns = {
        "case_number": push.case_number, "window_number": push.window_number, "state": push.state,
        "decision": push.decision, "applicant_name": push.applicant_name, "applicant_id": push.applicant_id,
        "accepted_on": push.accepted_on, "updated_at": push.updated_at, "payload": payload,
        "warnings": json.dumps(warnings, ensure_ascii=False) if warnings else None,
    }
    if _insert_ignore(session, CASES, {"uuid": push.uuid, "pushed_by": pushed_by,
                                       "received_at": _now(), **columns}):
        return PushAck(uuid=push.uuid, result="created", warnings=warnings)
    stored = session.execute(select(CASES.c.payload, CASES.c.updated_at)
                             .where(CASES.c.uuid == push.uuid)).one()
    if stored.payload == payload or not _newer(push.updated_at, stored.updated_at):
        return PushAck(uuid=push.uuid, result="unchanged", warnings=warnings)
    session.execute(update(CASES).where(CASES.c.uuid == push.uuid).values(**columns))
    return PushAck(uuid=push.uuid, result="updated", warnings=warnings)


def _state_after(event: CaseEventPush) -> str | None:
    """The case state an event implies (the window pushes the case row only at creation)."""
    if event.kind == "returned":
        return "returned"
    if event.kind == "completed":
        return "completed"
    if event.kind == "supplemented" and event.data.get("complete") is True:
        return "accepted"
    return None


def upsert_event(session: Session, push: CaseEventPush, pushed_by: str) -> PushAck:
    known = session.execute(select(CASES.c.uuid).where(CASES.c.uuid == push.case_uuid)).scalar()
    if known is None:
        raise UnknownCase(f"办件 {push.case_uuid} 尚未上报到中心：请先上报办件，再上报其后续记录")
    payload = json.dumps(push.model_dump(), ensure_ascii=False, sort_keys=True)
    created = _insert_ignore(session, EVENTS, {
        "uuid": push.uuid, "case_uuid": push.case_uuid, "kind": push.kind, "at": push.at,
        "payload": payload, "pushed_by": pushed_by, "received_at": _now()})
    if not created:
        return PushAck(uuid=push.uuid, result="unchanged")
    state = _state_after(push)
    if state is not None:
        session.execute(update(CASES).where(CASES.c.uuid == push.case_uuid).values(state=state))
    return PushAck(uuid=push.uuid, result="created")


def counts(session: Session) -> tuple[int, int]:
    from sqlalchemy import func

    cases = session.execute(select(func.count()).select_from(CASES)).scalar_one()
    events = session.execute(select(func.count()).select_from(EVENTS)).scalar_one()
    return int(cases), int(events)
