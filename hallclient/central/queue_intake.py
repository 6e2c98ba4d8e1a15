"""Tickets entering the hall queue: issued (kiosk or window), appointments checked in by code,
and what windows recorded offline (walk-in numbers and their events, pushed from the outbox).

Walk-ins and offline events are idempotent by the window's UUIDs: a retried push answers
`unchanged`. An offline event is replayed through the core's rules at the time the window
recorded; one that no longer fits (the ticket moved on meanwhile) is kept for the statistics,
marked `applied: false`, and the window is told.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from hallclient.central import queue_store as qs
from hallclient.central.queue_models import QueueAppointment
from hallclient.central.queue_service import QueueConfig
from hallclient.central.queue_store import EVENTS, TICKETS, Invalid, NotFound, QueueError
from hallclient.core import queue as rules_mod
from hallclient.core.queue import Ticket, TicketState, TicketType

APPOINTMENTS = QueueAppointment.__table__


def people_ahead(session: Session, day: str, category: str, queued_at: str) -> int:
    return int(session.execute(select(func.count()).select_from(TICKETS).where(
        TICKETS.c.day == day, TICKETS.c.state == TicketState.WAITING.value, TICKETS.c.category == category,
        TICKETS.c.for_window.is_(None), TICKETS.c.queued_at < queued_at)).scalar_one())


def _insert_ticket(session: Session, ticket: Ticket, ticket_id: str, day: str, source: str, now: datetime,
                   appointment_code: str | None = None, green_reason: str | None = None) -> None:
    session.execute(insert(TICKETS).values(
        id=ticket_id, day=day, number=ticket.number, prefix=ticket.prefix, seq=ticket.seq, type=ticket.type.value,
        issued_at=qs.iso(ticket.issued_at), appointment_code=appointment_code, source=source,
        green_reason=green_reason, green_check="pending" if green_reason else None,
        **qs.ticket_values(ticket, now),
        appointment_at=qs.iso(ticket.appointment_at) if ticket.appointment_at else None,
    ))


def issue(session: Session, config: QueueConfig, category: str, ticket_type: TicketType, *, source: str,
          by_window: str | None = None, appointment_at: datetime | None = None,
          appointment_code: str | None = None, ticket_id: str | None = None,
          green_reason: str | None = None) -> dict[str, Any]:
    """A new ticket of the day, numbered A001… per prefix; its `issued` event with it. A green
    channel ticket with a `green_reason` (the kiosk's) waits for the clerk's eligibility check."""
    if category not in config.prefixes:
        raise Invalid(f"没有窗口类别“{category}”")
    with qs.write_transaction(session):
        return _issue_in(session, config, category, ticket_type, source=source, by_window=by_window,
                         appointment_at=appointment_at, appointment_code=appointment_code,
                         ticket_id=ticket_id or str(uuid.uuid4()), green_reason=green_reason)


def _issue_in(session: Session, config: QueueConfig, category: str, ticket_type: TicketType, *, source: str,
              by_window: str | None, appointment_at: datetime | None, appointment_code: str | None,
              ticket_id: str, green_reason: str | None = None) -> dict[str, Any]:
    now, day = config.now(), config.today()
    prefix = rules_mod.prefix_for(category, config.prefixes)
    seq = qs.next_seq(session, day, prefix)
    ticket = rules_mod.issue_ticket(category, seq, now, ticket_type, appointment_at, config.prefixes)
    _insert_ticket(session, ticket, ticket_id, day, source, now, appointment_code, green_reason)
    data = {"type": ticket.type.value, "source": source, "category": category}
    if green_reason:
        data["green_reason"] = green_reason
    qs.add_event(session, day=day, kind="issued", at=now, ticket_id=ticket_id, window=by_window, data=data)
    out = qs.ticket_out(ticket_id, ticket, source=source, appointment_code=appointment_code,
                        green_reason=green_reason, green_check="pending" if green_reason else None)
    out["people_ahead"] = people_ahead(session, day, category, qs.iso(ticket.queue_time))
    return out


# --- appointments ----------------------------------------------------------------------------


def add_appointment(session: Session, config: QueueConfig, code: str, category: str, at: datetime,
                    name: str = "") -> dict[str, Any]:
    if category not in config.prefixes:
        raise Invalid(f"没有窗口类别“{category}”")
    with qs.write_transaction(session):
        exists = session.execute(select(APPOINTMENTS.c.code).where(APPOINTMENTS.c.code == code)).scalar()
        if exists is not None:
            raise QueueError(f"预约码 {code} 已存在")
        session.execute(insert(APPOINTMENTS).values(code=code, category=category, appointment_at=qs.iso(at),
                                                    name=name, created_at=qs.iso(config.now())))
    return {"code": code, "category": category, "appointment_at": qs.iso(at), "name": name}


def check_in(session: Session, config: QueueConfig, code: str) -> dict[str, Any]:
    """The appointment's ticket (issued now; the same one again if it was already checked in)."""
    with qs.write_transaction(session):
        row = session.execute(select(APPOINTMENTS).where(APPOINTMENTS.c.code == code.strip())
                              .with_for_update()).first()
        if row is None:
            raise NotFound("没有这个预约码：请核对短信中的预约码，或到服务台咨询")
        at = datetime.fromisoformat(row.appointment_at)
        if at.date().isoformat() != config.today():
            raise QueueError(f"该预约的日期是 {at.date().isoformat()}，不是今天")
        if row.ticket_id is not None:
            out = qs.row_out(qs.load_ticket(session, row.ticket_id, lock=False))
            out["people_ahead"] = people_ahead(session, config.today(), out["category"], out["queued_at"])
            out["again"] = True
            return out
        ticket_id = str(uuid.uuid4())
        out = _issue_in(session, config, row.category, TicketType.APPOINTMENT, source="kiosk", by_window=None,
                        appointment_at=at, appointment_code=row.code, ticket_id=ticket_id)
        session.execute(APPOINTMENTS.update().where(APPOINTMENTS.c.code == row.code).values(ticket_id=ticket_id))
        return out


# --- what windows recorded offline ----------------------------------------------------------


def push_walkin(session: Session, config: QueueConfig, window: str, body: dict[str, Any]) -> dict[str, Any]:
    """A walk-in number a window issued while the central was unreachable (waits for that window)."""
    if body["window"] != window:
        raise Invalid("只能上报本窗口发出的号")
    issued_at = datetime.fromisoformat(body["issued_at"])
    with qs.write_transaction(session):
        if session.execute(select(TICKETS.c.id).where(TICKETS.c.id == body["uuid"])).scalar() is not None:
            return {"uuid": body["uuid"], "result": "unchanged", "warnings": []}
        day = issued_at.date().isoformat()
        clash = session.execute(select(TICKETS.c.id).where(TICKETS.c.day == day,
                                                           TICKETS.c.number == body["number"])).scalar()
        if clash is not None:
            raise QueueError(f"今天已有 {body['number']} 号")
        prefix, _, seq = body["number"].rpartition("-")
        ticket = Ticket(number=body["number"], category=body["category"], prefix=prefix[:8], seq=int(seq),
                        issued_at=issued_at, for_window=window)
        _insert_ticket(session, ticket, body["uuid"], day, "walkin", config.now())
        qs.add_event(session, day=day, kind="issued", at=issued_at, ticket_id=body["uuid"], window=window,
                     clerk=body.get("clerk"), event_uuid=body["uuid"],
                     data={"type": "normal", "source": "walkin", "category": body["category"]})
    return {"uuid": body["uuid"], "result": "created", "warnings": []}


def _replay(ticket: Ticket, kind: str, window: str, at: datetime, data: dict[str, Any], config: QueueConfig) -> Ticket:
    if kind in ("called", "recalled", "resumed"):
        if ticket.state is TicketState.MISSED:
            ticket = rules_mod.returned(ticket, at)
        return rules_mod.called(ticket, window, at)
    if ticket.window != window:
        raise ValueError(f"{ticket.number} 号不在本窗口")
    if kind == "no_show":
        calls = data.get("no_show_calls")
        return rules_mod.after_no_show(ticket, config.rules_with(no_show_calls=calls if isinstance(calls, int) else None))
    change = {"started": rules_mod.started, "finished": rules_mod.finished, "parked": rules_mod.parked,
              "cancelled": rules_mod.cancelled}[kind]
    return change(ticket)


def push_event(session: Session, config: QueueConfig, window: str, body: dict[str, Any]) -> dict[str, Any]:
    """An event a window recorded offline, on a walk-in or on the central ticket it was serving."""
    if body["window"] != window:
        raise Invalid("只能上报本窗口的叫号事件")
    with qs.write_transaction(session):
        if session.execute(select(EVENTS.c.id).where(EVENTS.c.uuid == body["uuid"])).scalar() is not None:
            return {"uuid": body["uuid"], "result": "unchanged", "warnings": []}
        row = session.execute(select(TICKETS).where(TICKETS.c.id == body["ticket_uuid"]).with_for_update()).first()
        if row is None:
            raise NotFound("中心还没有这个号（应先上报本窗口号）")
        at = datetime.fromisoformat(body["at"])
        data = dict(body.get("data") or {})
        data["offline"] = True
        kind = body["kind"]
        label = EVENT_LABELS.get(kind, kind)
        moved_by = _moved_elsewhere(session, row, window)
        if moved_by is not None:
            # Another window called, served, transferred, took over or finished the ticket after
            # this one last touched it: kept as a conflict (never counted as the call or service
            # it claims to be), the ticket keeps its real history, the window is told.
            data.update(applied=False, conflict=True, kind=kind, moved_by=moved_by.window)
            qs.add_event(session, day=row.day, kind=CONFLICT_KIND, at=at, ticket_id=row.id, window=window,
                         clerk=body.get("clerk"), data=data, event_uuid=body["uuid"])
            return {"uuid": body["uuid"], "result": "conflict", "warnings": [
                f"离线记录的“{label}”未生效：{row.number} 号在此期间已由 {moved_by.window} 号窗口"
                f"{EVENT_LABELS.get(moved_by.kind, moved_by.kind)}（以中心记录为准）"]}
        warnings: list[str] = []
        try:
            after = _replay(qs.to_ticket(row), kind, window, at, data, config)
        except ValueError as exc:  # this window's own record no longer fits the rules: kept, not applied
            data["applied"] = False
            warnings.append(f"离线记录的“{label}”未改变 {row.number} 号的状态：{exc}")
        else:
            qs.save_ticket(session, row, after, config.now())
            data["applied"] = True
        qs.add_event(session, day=row.day, kind=kind, at=at, ticket_id=row.id, window=window,
                     clerk=body.get("clerk"), data=data, event_uuid=body["uuid"])
    return {"uuid": body["uuid"], "result": "created", "warnings": warnings}


CONFLICT_KIND = "offline_conflict"
EVENT_LABELS = {
    "called": "叫号", "recalled": "重呼", "resumed": "恢复办理", "no_show": "过号", "started": "开始办理",
    "finished": "办结", "parked": "挂起", "cancelled": "取消", "transferred": "转移", "taken_over": "接管",
    "returned": "重新排队",
}
# What a window does to a ticket: once another window did one of these after the replaying
# window last touched the ticket, the replaying window's offline events no longer apply.
_MOVES = ("called", "recalled", "resumed", "no_show", "started", "finished", "parked", "cancelled",
          "transferred", "taken_over", "returned")


def _moved_elsewhere(session: Session, row: Any, window: str) -> Any:
    """The last applied move of the ticket, when another window made it (else None)."""
    for last in session.execute(select(EVENTS.c.kind, EVENTS.c.window, EVENTS.c.data)
                                .where(EVENTS.c.ticket_id == row.id, EVENTS.c.kind.in_(_MOVES))
                                .order_by(EVENTS.c.id.desc()).limit(50)):
        if last.data and json.loads(last.data).get("applied") is False:
            continue  # an offline record that changed nothing
        return None if last.window in (None, window) else last
    return None


def ticket_with_events(session: Session, ticket_id: str) -> dict[str, Any]:
    row = qs.load_ticket(session, ticket_id, lock=False)
    events = session.execute(select(EVENTS).where(EVENTS.c.ticket_id == ticket_id).order_by(EVENTS.c.id))
    out = qs.row_out(row)
    out["events"] = [{"kind": e.kind, "at": e.at, "window": e.window, "clerk": e.clerk,
                      "data": json.loads(e.data) if e.data else {}} for e in events]
    return out
