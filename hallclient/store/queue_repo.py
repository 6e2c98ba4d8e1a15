"""The window's own queue records: walk-in numbers issued offline, and queue events recorded
offline (on a walk-in, or on the central ticket the window was serving when the central went
away). Each change commits with its outbox record (kinds "walkin_ticket" and "queue_event"),
so `hallclient.sync.outbox` delivers it when the central is back, idempotently by UUID.

Walk-in numbers are `W{window}-NNN`, from 001 each day per window: two windows never clash,
and the central's own prefixes (one letter + digits, A001) never look like them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from hallclient.core import queue as rules
from hallclient.core.queue import Ticket, TicketState
from hallclient.store.cases_repo import _enqueue, next_sequence
from hallclient.store.models import OutboxRow, WalkinTicketRow

WALKINS = WalkinTicketRow.__table__
OUTBOX = OutboxRow.__table__
OFFLINE_KINDS = ("called", "recalled", "resumed", "no_show", "started", "finished", "parked", "cancelled")


@dataclass(frozen=True)
class Walkin:
    uuid: str
    number: str
    category: str
    state: TicketState
    calls: int
    issued_at: datetime
    window: str


def walkin_number(window: str, seq: int) -> str:
    return f"W{window}-{seq:03d}"


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _walkin(row: Any) -> Walkin:
    return Walkin(uuid=row.uuid, number=row.number, category=row.category, state=TicketState(row.state),
                  calls=row.calls, issued_at=datetime.fromisoformat(row.issued_at), window=row.window)


def issue_walkin(session: Session, window: str, category: str, now: datetime, clerk: str = "") -> Walkin:
    """A new walk-in number of this window, and its outbox record. The caller commits."""
    day = now.date().isoformat()
    seq = next_sequence(session, f"walkin:{window}:{day}")
    number = walkin_number(window, seq)
    ticket_uuid = str(uuid.uuid4())
    session.execute(insert(WALKINS).values(
        uuid=ticket_uuid, day=day, number=number, seq=seq, window=window, category=category,
        state=TicketState.WAITING.value, calls=0, issued_at=_iso(now), updated_at=_iso(now), handed_over=False))
    _enqueue(session, "walkin_ticket", ticket_uuid, {
        "uuid": ticket_uuid, "number": number, "window": window, "category": category,
        "issued_at": _iso(now), "clerk": clerk}, _iso(now))
    return Walkin(ticket_uuid, number, category, TicketState.WAITING, 0, now, window)


def next_walkin(session: Session, window: str, day: str) -> Walkin | None:
    """The first waiting walk-in this window still calls itself (not yet handed to the central)."""
    row = session.execute(select(WALKINS).where(
        WALKINS.c.window == window, WALKINS.c.day == day, WALKINS.c.state == TicketState.WAITING.value,
        WALKINS.c.handed_over.is_(False)).order_by(WALKINS.c.seq).limit(1)).first()
    return None if row is None else _walkin(row)


def find_walkin(session: Session, window: str, day: str, number: str) -> Walkin | None:
    """A walk-in of this window today that may be called again (waiting, parked or missed)."""
    row = session.execute(select(WALKINS).where(
        WALKINS.c.window == window, WALKINS.c.day == day, WALKINS.c.number == number,
        WALKINS.c.state.in_((TicketState.WAITING.value, TicketState.PARKED.value, TicketState.MISSED.value)),
    )).first()
    return None if row is None else _walkin(row)


def waiting_walkins(session: Session, window: str, day: str) -> int:
    return int(session.execute(select(func.count()).select_from(WALKINS).where(
        WALKINS.c.window == window, WALKINS.c.day == day, WALKINS.c.state == TicketState.WAITING.value,
        WALKINS.c.handed_over.is_(False))).scalar_one())


def get_walkin(session: Session, ticket_uuid: str) -> Walkin | None:
    row = session.execute(select(WALKINS).where(WALKINS.c.uuid == ticket_uuid)).first()
    return None if row is None else _walkin(row)


def _apply(walkin: Walkin, kind: str, window: str, now: datetime, no_show_calls: int) -> Ticket:
    prefix, _, _ = walkin.number.rpartition("-")
    ticket = Ticket(number=walkin.number, category=walkin.category, prefix=prefix, seq=0,
                    issued_at=walkin.issued_at, state=walkin.state, calls=walkin.calls,
                    window=window if walkin.state is not TicketState.WAITING else None, for_window=window)
    if kind in ("called", "recalled", "resumed"):
        if ticket.state is TicketState.MISSED:
            ticket = rules.returned(ticket, now)
        return rules.called(ticket, window, now)
    if kind == "no_show":
        return rules.after_no_show(ticket, rules.CallingRules(no_show_after_calls=no_show_calls))
    return {"started": rules.started, "finished": rules.finished, "parked": rules.parked,
            "cancelled": rules.cancelled}[kind](ticket)


def record_event(session: Session, ticket_uuid: str, kind: str, window: str, now: datetime, *,
                 clerk: str = "", no_show_calls: int = 3, data: dict[str, Any] | None = None) -> TicketState | None:
    """Record an offline queue event (and, for a walk-in, its new state). The caller commits.

    Returns the walk-in's new state, or None for a central ticket (the central decides it when
    the event arrives). Raises ValueError when the core's rules forbid the change.
    """
    if kind not in OFFLINE_KINDS:
        raise ValueError(f"未知的叫号事件：{kind}")
    walkin = get_walkin(session, ticket_uuid)
    state: TicketState | None = None
    if walkin is not None:
        after = _apply(walkin, kind, window, now, no_show_calls)
        state = after.state
        session.execute(update(WALKINS).where(WALKINS.c.uuid == ticket_uuid).values(
            state=after.state.value, calls=after.calls, updated_at=_iso(now),
            last_called_at=_iso(after.last_called_at) if after.last_called_at else None))
    payload = dict(data or {})
    if kind == "no_show":
        payload["no_show_calls"] = no_show_calls
    event_uuid = str(uuid.uuid4())
    _enqueue(session, "queue_event", event_uuid, {
        "uuid": event_uuid, "ticket_uuid": ticket_uuid, "kind": kind, "at": _iso(now), "window": window,
        "clerk": clerk, "data": payload}, _iso(now))
    return state


def hand_over(session: Session, window: str) -> int:
    """Once the central has confirmed every walk-in and queue event, the window's walk-ins are
    the central's to call (it calls them for this window). Returns how many were handed over."""
    if pending_queue_records(session):
        return 0
    return int(session.execute(update(WALKINS).where(
        WALKINS.c.window == window, WALKINS.c.handed_over.is_(False)).values(handed_over=True)).rowcount)


def pending_queue_records(session: Session) -> int:
    """Walk-ins and queue events not yet confirmed by the central."""
    return int(session.execute(select(func.count()).select_from(OUTBOX).where(
        OUTBOX.c.done_at.is_(None), OUTBOX.c.kind.in_(("walkin_ticket", "queue_event")))).scalar_one())
