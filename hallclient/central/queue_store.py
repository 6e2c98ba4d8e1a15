"""Low-level queue storage: rows ↔ core tickets, write transactions, counters, events, windows.

Concurrency (the arbiters, on both engines):

* SQLite serializes writers. A queue write starts with `BEGIN IMMEDIATE`, so it holds the write
  lock *before* it reads; what it read cannot change under it. Inside one central process the
  writers also queue on a lock of their own, so they wait their turn instead of polling
  SQLite's busy handler (which sleeps up to 100 ms between tries and would ruin the p99).
* PostgreSQL runs writers concurrently (READ COMMITTED). The window's own row is locked
  (`FOR UPDATE`) for the whole call, so one window's calls never interleave and its priority
  streak is read-modify-written safely; a ticket is taken with `FOR UPDATE SKIP LOCKED` in the
  rules' order (`lock_first`), so windows calling at the same moment take different tickets
  without waiting for each other; every state change is a conditional UPDATE on the state it
  was read in, whose rowcount must be 1.
"""

from __future__ import annotations

import functools
import json
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Row,
    String,
    bindparam,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hallclient.central import prepared
from hallclient.central.queue_models import (
    QueueCounter,
    QueueEvent,
    QueueTicket,
    QueueWindow,
)
from hallclient.core.queue import Ticket, TicketState, TicketType

TICKETS = QueueTicket.__table__
EVENTS = QueueEvent.__table__
COUNTERS = QueueCounter.__table__
WINDOWS = QueueWindow.__table__

_SQLITE_WRITERS = threading.Lock()


class QueueError(Exception):
    """A queue action that cannot be done; `status` is the HTTP status to answer with."""

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(QueueError):
    status = 404


class Invalid(QueueError):
    status = 422


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def spelled(value: str) -> Any:
    """`value` written into the statement's text, not bound: a database uses a partial index
    (central step 10) only for a query that says the index's condition in the same words."""
    return literal_column(f"'{value}'")


def parse(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def is_sqlite(session: Session) -> bool:
    bind = session.get_bind()
    return bind.dialect.name == "sqlite"


_PENDING_EVENTS = "queue_events_pending"


@contextmanager
def write_transaction(session: Session, *, generic_plans: bool = True) -> Iterator[None]:
    """One queue write: commits at the end, rolls back on any error. See the module doc.

    `generic_plans`: on PostgreSQL its statements are planned once for any values
    (hallclient.central.prepared), right for the queue's equalities on indexed columns; writes
    of another kind that take this transaction for SQLite's writer lock (a catalog publish) say
    False and are planned as usual.

    The events the write records (`add_event`) are inserted together, in one statement, just
    before the commit: one round trip instead of one per event, still in the same transaction.
    Inside `batch_transaction` the write is a savepoint of the batch's transaction instead
    (released at the end, rolled back to on an error) and the batch commits.
    """
    if session.info.get(_BATCH):
        with _savepoint(session):
            yield
        return
    sqlite_db = is_sqlite(session)
    if session.in_transaction():
        session.rollback()  # whatever read came before ends here
    with _SQLITE_WRITERS if sqlite_db else nullcontext():
        if sqlite_db:
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        pending: list[dict[str, Any]] = []
        session.info[_PENDING_EVENTS] = pending
        try:
            with _committed(session, generic_plans=generic_plans):
                yield
                _insert_events(session, pending)
        finally:
            session.info.pop(_PENDING_EVENTS, None)


_BATCH = "queue_batch"


@contextmanager
def batch_transaction(session: Session) -> Iterator[None]:
    """Several queue writes in one SQLite transaction, one commit (one fsync) for all of them
    ("group commit"), each of them a savepoint (`write_transaction`), so one refused write
    leaves the others. Nothing of the batch is durable, and so nothing may be answered, before
    this block ends without an error."""
    if session.in_transaction():
        session.rollback()
    with _SQLITE_WRITERS:
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        session.info[_BATCH] = True
        try:
            with _committed(session):
                yield
        finally:
            session.info.pop(_BATCH, None)


@contextmanager
def _committed(session: Session, *, generic_plans: bool = True) -> Iterator[None]:
    """The block's statements on the prepared cursor, committed at its end, rolled back on any
    error."""
    prepared.begin(session, generic_plans=generic_plans)
    try:
        yield
        prepared.end(session)
        session.commit()
    except BaseException:
        prepared.end(session)
        session.rollback()
        raise


_SAVEPOINT = text("SAVEPOINT queue_write")
_RELEASE = text("RELEASE SAVEPOINT queue_write")
_ROLLBACK_TO = text("ROLLBACK TO SAVEPOINT queue_write")


@contextmanager
def _savepoint(session: Session) -> Iterator[None]:
    pending: list[dict[str, Any]] = []
    session.info[_PENDING_EVENTS] = pending
    prepared.execute(session, _SAVEPOINT, {})
    try:
        yield
        _insert_events(session, pending)
        prepared.execute(session, _RELEASE, {})
    except BaseException:
        prepared.execute(session, _ROLLBACK_TO, {})
        prepared.execute(session, _RELEASE, {})
        raise
    finally:
        session.info.pop(_PENDING_EVENTS, None)


def _insert_events(session: Session, pending: list[dict[str, Any]]) -> None:
    if len(pending) == 1:
        prepared.execute(session, _INSERT_EVENT, pending[0])
    elif pending:  # one statement of several rows (psycopg's executemany goes through a pipeline: slower)
        values = {f"{name}_{n}": value for n, event in enumerate(pending) for name, value in event.items()}
        prepared.execute(session, _insert_events_of(len(pending), tuple(pending[0])), values)


@functools.cache
def _insert_events_of(count: int, names: tuple[str, ...]) -> Any:
    return insert(EVENTS).values([{name: bindparam(f"{name}_{n}") for name in names} for n in range(count)])


# --- tickets ---------------------------------------------------------------------------------


# Enum members by value: a dict lookup instead of the enum's call (call-next converts every candidate).
_TYPES = {member.value: member for member in TicketType}
_STATES = {member.value: member for member in TicketState}


def to_ticket(row: Row[Any] | Any) -> Ticket:
    return Ticket(
        number=row.number, category=row.category, prefix=row.prefix, seq=row.seq,
        type=_TYPES[row.type], issued_at=parse(row.issued_at),  # type: ignore[arg-type]
        appointment_at=parse(row.appointment_at), state=_STATES[row.state], calls=row.calls,
        last_called_at=parse(row.last_called_at), window=row.window,
        requeued_at=parse(row.requeued_at), front=bool(row.front), for_window=row.for_window,
    )


def ticket_values(ticket: Ticket, now: datetime) -> dict[str, Any]:
    """The columns a state change may touch."""
    return {
        "category": ticket.category, "state": ticket.state.value, "calls": ticket.calls,
        "last_called_at": iso(ticket.last_called_at) if ticket.last_called_at else None,
        "window": ticket.window, "for_window": ticket.for_window, "front": ticket.front,
        "requeued_at": iso(ticket.requeued_at) if ticket.requeued_at else None,
        "queued_at": iso(ticket.queue_time), "updated_at": iso(now),
    }


# Statements of the hot paths, built once (building one costs more than running it on SQLite).
_TICKET = select(TICKETS).where(TICKETS.c.id == bindparam("ticket_id"))
_TICKET_LOCKED = _TICKET.with_for_update()
_SAVE = update(TICKETS).where(TICKETS.c.id == bindparam("where_id"), TICKETS.c.state == bindparam("where_state"),
                              TICKETS.c.calls == bindparam("where_calls"))
_WINDOW_LOCKED = select(WINDOWS).where(WINDOWS.c.window == bindparam("window")).with_for_update()
_SET_WINDOW_STREAK = (update(WINDOWS).where(WINDOWS.c.window == bindparam("where_window"))
                      .values(priority_streak=bindparam("priority_streak"), updated_at=bindparam("updated_at")))
_INSERT_EVENT = insert(EVENTS)
# The states as literals: the partial index ix_queue_tickets_at_window (central step 10) is used
# only by a query that says its condition in its words.
_AT_A_WINDOW = or_(TICKETS.c.state == spelled(TicketState.CALLED.value),
                   TICKETS.c.state == spelled(TicketState.SERVING.value))
_CURRENT = select(TICKETS).where(
    TICKETS.c.window == bindparam("window"), TICKETS.c.day == bindparam("day"), _AT_A_WINDOW,
).order_by(TICKETS.c.last_called_at.desc())


def load_ticket(session: Session, ticket_id: str, *, lock: bool = True) -> Row[Any]:
    row = prepared.execute(session, _TICKET_LOCKED if lock else _TICKET, {"ticket_id": ticket_id}).first()
    if row is None:
        raise NotFound("中心没有这个号")
    return row


def find_by_number(session: Session, day: str, number: str, *, lock: bool = True) -> Row[Any]:
    query = select(TICKETS).where(TICKETS.c.day == day, TICKETS.c.number == number.strip().upper())
    row = session.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound(f"今天没有 {number.strip().upper()} 号")
    return row


def save_ticket(session: Session, row: Row[Any], ticket: Ticket, now: datetime) -> None:
    """Write a changed ticket, conditional on the state it was read in (the arbiter)."""
    values = ticket_values(ticket, now)
    values.update(where_id=row.id, where_state=row.state, where_calls=row.calls)
    done = prepared.execute(session, _SAVE, values).rowcount
    if done != 1:
        raise QueueError(f"{row.number} 号刚被其他窗口处理，请刷新后再试")


def set_green_check(session: Session, ticket_id: str, check: str, now: datetime) -> None:
    session.execute(update(TICKETS).where(TICKETS.c.id == ticket_id).values(green_check=check, updated_at=iso(now)))


def lock_first(session: Session, ids: Sequence[str]) -> str | None:
    """The first of `ids` (in that order) still waiting that no other transaction holds, locked.

    SQLite: the caller holds the database's write lock, so the first candidate is free. PostgreSQL:
    one statement walks the candidates in order and locks the first it can (`SKIP LOCKED`); the
    order is a bound array, so the statement is built and compiled once.
    """
    if not ids:
        return None
    if is_sqlite(session):
        return ids[0]
    return prepared.execute(session, _LOCK_FIRST, {"ids": list(ids)}).scalar()


_ORDERED = bindparam("ids", type_=postgresql.ARRAY(String))
_LOCK_FIRST = (select(TICKETS.c.id)
               .where(TICKETS.c.id == func.any(_ORDERED),
                      TICKETS.c.state == spelled(TicketState.WAITING.value))
               .order_by(func.array_position(_ORDERED, TICKETS.c.id)).limit(1).with_for_update(skip_locked=True))


def ticket_out(row_id: str, ticket: Ticket, *, source: str | None = None,
               appointment_code: str | None = None, green_reason: str | None = None,
               green_check: str | None = None) -> dict[str, Any]:
    """A ticket as the API answers it."""
    out: dict[str, Any] = {
        "id": row_id, "number": ticket.number, "category": ticket.category, "type": ticket.type.value,
        "state": ticket.state.value, "calls": ticket.calls, "window": ticket.window,
        "for_window": ticket.for_window, "front": ticket.front, "issued_at": iso(ticket.issued_at),
        "queued_at": iso(ticket.queue_time),
        "last_called_at": iso(ticket.last_called_at) if ticket.last_called_at else None,
        "appointment_at": iso(ticket.appointment_at) if ticket.appointment_at else None,
    }
    if source is not None:
        out["source"] = source
    if appointment_code is not None:
        out["appointment_code"] = appointment_code
    if green_reason is not None or green_check is not None:
        out["green_reason"], out["green_check"] = green_reason, green_check
    return out


def row_out(row: Row[Any], ticket: Ticket | None = None) -> dict[str, Any]:
    """The ticket of `row` as the API answers it (`ticket`: its state after a change)."""
    return ticket_out(row.id, ticket or to_ticket(row), source=row.source, appointment_code=row.appointment_code,
                      green_reason=row.green_reason, green_check=row.green_check)


# --- events, counters, windows -------------------------------------------------------------------


def add_event(session: Session, *, day: str, kind: str, at: datetime | str, ticket_id: str | None = None,
              window: str | None = None, clerk: str | None = None, data: dict[str, Any] | None = None,
              event_uuid: str | None = None) -> None:
    """Record an event: inside `write_transaction` with the others at its end, else at once."""
    values = {
        "uuid": event_uuid or str(uuid.uuid4()), "ticket_id": ticket_id, "day": day, "kind": kind,
        "at": at if isinstance(at, str) else iso(at), "window": window, "clerk": clerk or None,
        "data": json.dumps(data, ensure_ascii=False) if data else None,
    }
    pending = session.info.get(_PENDING_EVENTS)
    if pending is not None:
        pending.append(values)
    else:
        prepared.execute(session, _INSERT_EVENT, values)


def _dialect_insert(session: Session) -> Any:
    return sqlite.insert if is_sqlite(session) else postgresql.insert


def next_seq(session: Session, day: str, prefix: str) -> int:
    """The prefix's next number today: one atomic upsert on both engines."""
    stmt = _dialect_insert(session)(COUNTERS).values(day=day, prefix=prefix, value=1)
    stmt = stmt.on_conflict_do_update(index_elements=["day", "prefix"],
                                      set_={"value": COUNTERS.c.value + 1}).returning(COUNTERS.c.value)
    return int(session.execute(stmt).scalar_one())


def lock_window(session: Session, window: str, day: str, now: datetime) -> Row[Any]:
    """The window's row for today, created if new, locked; a new day resets streak and pause.

    The row is locked first (one statement when it exists, which is every call but a window's
    first); a new window's row is inserted (a concurrent first call of the same window is
    absorbed by ON CONFLICT DO NOTHING) and then locked."""
    row = prepared.execute(session, _WINDOW_LOCKED, {"window": window}).first()
    if row is None:
        stmt = _dialect_insert(session)(WINDOWS).values(
            window=window, day=day, priority_streak=0, paused=False, updated_at=iso(now))
        session.execute(stmt.on_conflict_do_nothing(index_elements=["window"]))
        row = session.execute(_WINDOW_LOCKED, {"window": window}).one()
    if row.day != day:
        session.execute(update(WINDOWS).where(WINDOWS.c.window == window).values(
            day=day, priority_streak=0, paused=False, paused_at=None, updated_at=iso(now)))
        row = session.execute(select(WINDOWS).where(WINDOWS.c.window == window)).one()
    return row


def set_window(session: Session, window: str, now: datetime, **values: Any) -> None:
    if values.keys() == {"priority_streak"}:  # every call-next: the statement built once
        prepared.execute(session, _SET_WINDOW_STREAK, {"where_window": window, "updated_at": iso(now), **values})
        return
    session.execute(update(WINDOWS).where(WINDOWS.c.window == window).values(updated_at=iso(now), **values))


def current_rows(session: Session, window: str, day: str) -> list[Row[Any]]:
    """The window's called/serving tickets of the day (at most one in normal use)."""
    return list(prepared.execute(session, _CURRENT, {"day": day, "window": window}))
