"""What a window does with the hall queue: call next, call by number, recall, no-show, start,
finish, transfer, park, resume, cancel, pause. Each action is one transaction
(queue_store.write_transaction) that changes the ticket with the core's rules
(hallclient.core.queue), records the event, and answers the ticket as it now is.

Call-next reads the first candidates of each class from an index (`CANDIDATES` of each, plus
every waiting appointment and every ticket sent to this window), lets
`core.queue.call_candidates` order them, and takes the first one it can lock (`lock_first`): on
PostgreSQL a ticket another window is taking at this moment is skipped, not waited for. If all
candidates were taken meanwhile it reads again, twice as many.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, or_, select, union_all
from sqlalchemy.orm import Session

from hallclient.central import prepared
from hallclient.central import queue_store as qs
from hallclient.central.queue_store import TICKETS, Invalid, QueueError
from hallclient.core import queue as rules_mod
from hallclient.core.queue import (
    DEFAULT_ANNOUNCEMENT_TEMPLATE,
    DEFAULT_CATEGORY_PREFIXES,
    CallingRules,
    Ticket,
    TicketState,
    TicketType,
    call_candidates,
)

# Candidates read per class. SQLite: the caller holds the write lock, the first is free.
# PostgreSQL: a ticket locked by a window calling at the same moment is skipped, so a read needs
# a few more than the calls in flight that compete for the same class; every ticket read costs
# (it is converted and ordered), so the first read is small and each re-read (all candidates taken
# meanwhile) reads twice as many, up to `CANDIDATES_MAX`.
CANDIDATES = {"sqlite": 2, "postgresql": 8}
CANDIDATES_MAX = 64
MAX_READS = 50


def local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class QueueConfig:
    """The hall's queue settings on the central (hall-wide defaults; a window may send its own K
    and no-show count with a request)."""

    prefixes: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_CATEGORY_PREFIXES))
    rules: CallingRules = field(default_factory=CallingRules)
    hall_name: str = "信阳高新区政务服务中心"
    announcement_template: str = DEFAULT_ANNOUNCEMENT_TEMPLATE
    clock: Callable[[], datetime] = local_now
    # The open dispenser (hallclient.central.kiosk_limiter): tickets per client and minute, 0 = no limit.
    kiosk_per_minute: int = 20
    kiosk_green_per_minute: int = 3
    limiter_storage: str = "memory://"  # per process; e.g. redis://… shared by several processes

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> str:
        return self.now().date().isoformat()

    def rules_with(self, priority_in_row: int | None = None, no_show_calls: int | None = None) -> CallingRules:
        changes: dict[str, int] = {}
        if priority_in_row is not None:
            changes["max_priority_in_row"] = priority_in_row
        if no_show_calls is not None:
            changes["no_show_after_calls"] = no_show_calls
        return replace(self.rules, **changes) if changes else self.rules


@dataclass(frozen=True)
class Actor:
    window: str
    clerk: str = ""


# The partial indexes of central step 10 (hallclient.central.queue_schema) hold the waiting
# tickets nobody sent to a window, in the call order of their class; the candidates' statement
# spells their conditions out (queue_store.spelled).
_WAITING = TICKETS.c.state == qs.spelled(TicketState.WAITING.value)
_UNSENT = TICKETS.c.for_window.is_(None)
_GREEN = (TicketType.PRIORITY, TicketType.VIP)


def _call_order(columns: Any) -> tuple[Any, ...]:
    """The order of a class's queue, of the tickets' columns or a subquery's (front first)."""
    return columns.front.desc(), columns.queued_at, columns.issued_at, columns.seq


def _head(kind: TicketType, category: int | None, limit: int) -> Any:
    """The first `limit` waiting unsent tickets of one type (and category `c{n}`), read in order
    from the index: the scan stops after `limit` rows."""
    where = [TICKETS.c.day == bindparam("day"), _WAITING, _UNSENT,
             TICKETS.c.type == qs.spelled(kind.value)]
    if category is not None:
        where.append(TICKETS.c.category == bindparam(f"c{category}"))
    return select(TICKETS).where(*where).order_by(*_call_order(TICKETS.c)).limit(limit)


def _first_of(kinds: Collection[TicketType], categories: int | None, limit: int) -> Any:
    """The first `limit` of a class (one or more types) over the window's categories: the head of
    each type and category, merged. Each head stops early on its index; an OR of categories or
    types in one scan would read every waiting ticket of the day and sort them."""
    heads = [_head(kind, n, limit) for kind in kinds for n in (range(categories) if categories is not None else [None])]
    if len(heads) == 1:
        return select(heads[0].subquery())
    merged = union_all(*(select(head.subquery()) for head in heads)).subquery()
    return select(merged).order_by(*_call_order(merged.c)).limit(limit)


@functools.cache
def _candidates_query(limit: int, categories: int | None) -> Any:
    """The candidates, in one statement: the first `limit` normal and green-channel/VIP tickets,
    every waiting appointment and every ticket sent to this window. The parts are disjoint (a
    ticket sent to a window is in the last part only). Built once per shape (`categories`: how
    many the window serves, None: all); the day, window and categories are bound at execution
    (`c0`, `c1`, …), so the statement is compiled once too (hallclient.central.prepared)."""
    day = TICKETS.c.day == bindparam("day")
    sent = select(TICKETS).where(day, _WAITING, TICKETS.c.for_window == bindparam("window"))
    if categories == 0:  # a window that serves no category gets only what was sent to it
        return sent
    served = [day, _WAITING, _UNSENT, TICKETS.c.type == qs.spelled(TicketType.APPOINTMENT.value)]
    if categories is not None:
        served.append(or_(*(TICKETS.c.category == bindparam(f"c{n}") for n in range(categories))))
    appointments = select(TICKETS).where(*served)
    subqueries = [_first_of([TicketType.NORMAL], categories, limit), _first_of(_GREEN, categories, limit)]
    parts = [select(query.subquery()) for query in subqueries]
    return union_all(*parts, appointments, sent)


def _limit(session: Session, read: int) -> int:
    limit = CANDIDATES.get(session.get_bind().dialect.name, 16)
    return max(limit, min(limit << min(read, 8), CANDIDATES_MAX))


def _waiting_rows(session: Session, day: str, window: str, categories: Collection[str] | None,
                  limit: int) -> list[Any]:
    params: dict[str, Any] = {"day": day, "window": window}
    wanted = None if categories is None else sorted(set(categories))
    for n, category in enumerate(wanted or ()):
        params[f"c{n}"] = category
    statement = _candidates_query(limit, None if wanted is None else len(wanted))
    return list(prepared.execute(session, statement, params))


def _current_must_close(session: Session, actor: Actor, day: str, now: datetime) -> None:
    """A ticket still being served is finished by the next call; one only called is not."""
    for row in qs.current_rows(session, actor.window, day):
        if row.state == TicketState.CALLED.value:
            raise QueueError(f"{row.number} 号已叫未办：请先开始办理（F4）、过号（F3）或转移（F5）")
        qs.save_ticket(session, row, rules_mod.finished(qs.to_ticket(row)), now)
        qs.add_event(session, day=day, kind="finished", at=now, ticket_id=row.id, window=actor.window,
                     clerk=actor.clerk, data={"outcome": "served", "auto": True})


def call_next(session: Session, config: QueueConfig, actor: Actor, categories: Collection[str] | None,
              priority_in_row: int | None = None) -> dict[str, Any] | None:
    """Call the next ticket for the window; None when nobody it serves is waiting."""
    rules = config.rules_with(priority_in_row=priority_in_row)
    with qs.write_transaction(session):
        now, day = config.now(), config.today()
        window_row = qs.lock_window(session, actor.window, day, now)
        if window_row.paused:
            raise QueueError("本窗口处于暂离状态：请先恢复（F7）再叫号")
        _current_must_close(session, actor, day, now)
        for read in range(MAX_READS):
            limit = _limit(session, read)
            rows = {row.id: row for row in _waiting_rows(session, day, actor.window, categories, limit)}
            tickets = {row_id: qs.to_ticket(row) for row_id, row in rows.items()}
            ids = {id(ticket): row_id for row_id, ticket in tickets.items()}
            choices = call_candidates(list(tickets.values()), categories, window_row.priority_streak, now,
                                      rules, window=actor.window)
            if not choices:
                return None
            taken = qs.lock_first(session, [ids[id(choice.ticket)] for choice in choices])
            if taken is None:
                continue  # every candidate was taken by windows calling at the same moment
            choice = next(c for c in choices if ids[id(c.ticket)] == taken)
            if _other_class(choices[0], choice, now, rules):
                if _truncated(choices[0], rows.values(), limit, now, rules):
                    continue  # the rules' class has more than were read: read more (this one stays ours meanwhile)
                # every ticket of the rules' class is being called by other windows right now: none
                # waits for this one, so a priority call jumps over nobody (the streak starts again)
                choice = choice._replace(streak=0)
            row = rows[taken]
            ticket = rules_mod.called(qs.to_ticket(row), actor.window, now)
            qs.save_ticket(session, row, ticket, now)
            qs.set_window(session, actor.window, now, priority_streak=choice.streak)
            qs.add_event(session, day=day, kind="called", at=now, ticket_id=taken, window=actor.window,
                         clerk=actor.clerk, data={"by": "next", "calls": ticket.calls, "streak": choice.streak})
            return qs.row_out(row, ticket)
        raise QueueError("同时叫号的窗口太多，请稍后重试")


def _other_class(best: rules_mod.CallChoice, taken: rules_mod.CallChoice, now: datetime,
                 rules: CallingRules) -> bool:
    """Whether `taken` is not of the class the rules chose (priority or normal): every candidate
    of that class was held by windows calling at the same moment."""
    return rules_mod.is_priority(best.ticket, now, rules) != rules_mod.is_priority(taken.ticket, now, rules)


def _truncated(best: rules_mod.CallChoice, rows: Iterable[Any], limit: int, now: datetime,
               rules: CallingRules) -> bool:
    """Whether the class of `best` may have more waiting than were read (its part of the
    candidates' statement came back full): calling the other class then would break the rules (a
    priority call beyond K in a row, a normal call while the green channel waits)."""
    kinds = {t.value for t in _GREEN} if rules_mod.is_priority(best.ticket, now, rules) else {TicketType.NORMAL.value}
    return sum(1 for row in rows if row.for_window is None and row.type in kinds) >= limit


def call_number(session: Session, config: QueueConfig, actor: Actor, number: str) -> dict[str, Any]:
    """Call a given ticket (waiting, missed and come back, or parked), recorded as such."""
    with qs.write_transaction(session):
        now, day = config.now(), config.today()
        window_row = qs.lock_window(session, actor.window, day, now)
        if window_row.paused:
            raise QueueError("本窗口处于暂离状态：请先恢复（F7）再叫号")
        row = qs.find_by_number(session, day, number)
        ticket = qs.to_ticket(row)
        if ticket.state is TicketState.CALLED and ticket.window == actor.window:
            raise QueueError(f"{ticket.number} 号正在本窗口等候：如需再次呼叫请用重呼（F2）")
        if ticket.state in AT_A_WINDOW and ticket.window not in (None, actor.window):
            raise Elsewhere(ticket)
        _current_must_close(session, actor, day, now)
        was = ticket.state
        if ticket.state is TicketState.MISSED:
            ticket = rules_mod.returned(ticket, now)
        if not rules_mod.can_move(ticket, TicketState.CALLED):
            raise QueueError(f"{ticket.number} 号当前为“{rules_mod.TICKET_STATE_LABELS[ticket.state]}”，不能叫号")
        ticket = rules_mod.called(ticket, actor.window, now)
        qs.save_ticket(session, row, ticket, now)
        qs.add_event(session, day=day, kind="called", at=now, ticket_id=row.id, window=actor.window,
                     clerk=actor.clerk, data={"by": "number", "was": was.value, "calls": ticket.calls})
        return qs.row_out(row, ticket)


AT_A_WINDOW = (TicketState.CALLED, TicketState.SERVING, TicketState.PARKED)


class Elsewhere(QueueError):
    """A ticket called at, served by or parked at another window: not taken by calling its number."""

    def __init__(self, ticket: Ticket) -> None:
        label = rules_mod.TICKET_STATE_LABELS[ticket.state]
        super().__init__(f"{ticket.number} 号在 {ticket.window} 号窗口（{label}），不能叫号：如确需由本窗口办理，"
                         f"请用“接管”（接管会被记录，{ticket.window} 号窗口会看到）")
        self.window = ticket.window
        self.state = ticket.state


def take_over(session: Session, config: QueueConfig, actor: Actor, number: str) -> dict[str, Any]:
    """Take a ticket called at / served by / parked at another window: called here, recorded as
    `taken_over` with the window it came from; that window's status lists it (window_status)."""
    with qs.write_transaction(session):
        now, day = config.now(), config.today()
        window_row = qs.lock_window(session, actor.window, day, now)
        if window_row.paused:
            raise QueueError("本窗口处于暂离状态：请先恢复（F7）再接管")
        row = qs.find_by_number(session, day, number)
        ticket = qs.to_ticket(row)
        if ticket.state not in AT_A_WINDOW or ticket.window in (None, actor.window):
            label = rules_mod.TICKET_STATE_LABELS[ticket.state]
            raise QueueError(f"{ticket.number} 号当前为“{label}”，不在其他窗口，无需接管：请直接叫号")
        _current_must_close(session, actor, day, now)
        before = ticket
        ticket = rules_mod.taken_over(ticket, actor.window, now)
        qs.save_ticket(session, row, ticket, now)
        qs.add_event(session, day=day, kind="taken_over", at=now, ticket_id=row.id, window=actor.window,
                     clerk=actor.clerk, data={"from_window": before.window, "was": before.state.value,
                                              "calls": ticket.calls})
        return qs.row_out(row, ticket)


def confirm_green(session: Session, config: QueueConfig, actor: Actor, ticket_id: str,
                  eligible: bool) -> dict[str, Any]:
    """The clerk checked a green-channel ticket taken at the kiosk: eligible or not (recorded)."""
    with qs.write_transaction(session):
        now = config.now()
        row = qs.load_ticket(session, ticket_id)
        _mine(row, actor, TicketState.CALLED, TicketState.SERVING)
        if row.green_check is None:
            raise QueueError(f"{row.number} 号不是自助取号的绿色通道号，无需核验")
        qs.set_green_check(session, row.id, "ok" if eligible else "refused", now)
        qs.add_event(session, day=row.day, kind="green_checked", at=now, ticket_id=row.id, window=actor.window,
                     clerk=actor.clerk, data={"eligible": eligible, "reason": row.green_reason})
        return qs.row_out(qs.load_ticket(session, ticket_id, lock=False))


def _mine(row: Row[Any], actor: Actor, *states: TicketState) -> Ticket:
    ticket = qs.to_ticket(row)
    if ticket.window != actor.window or ticket.state not in states:
        where = (f"（在 {ticket.window} 号窗口，可能已被接管）" if ticket.window and ticket.window != actor.window
                 else "")
        raise QueueError(f"{ticket.number} 号当前为“{rules_mod.TICKET_STATE_LABELS[ticket.state]}”{where}，"
                         "本窗口不能这样处理")
    return ticket


def _act(session: Session, config: QueueConfig, actor: Actor, ticket_id: str, states: tuple[TicketState, ...],
         change: Callable[[Ticket, datetime], Ticket], kind: str,
         data: Callable[[Ticket, Ticket], dict[str, Any]] | None = None) -> dict[str, Any]:
    with qs.write_transaction(session):
        now = config.now()
        row = qs.load_ticket(session, ticket_id)
        before = _mine(row, actor, *states)
        after = change(before, now)
        qs.save_ticket(session, row, after, now)
        qs.add_event(session, day=row.day, kind=kind, at=now, ticket_id=row.id, window=actor.window,
                     clerk=actor.clerk, data=data(before, after) if data else None)
        return qs.row_out(row, after)


def recall(session: Session, config: QueueConfig, actor: Actor, ticket_id: str) -> dict[str, Any]:
    return _act(session, config, actor, ticket_id, (TicketState.CALLED,),
                lambda t, now: rules_mod.called(t, actor.window, now), "recalled",
                lambda _b, a: {"calls": a.calls})


def no_show(session: Session, config: QueueConfig, actor: Actor, ticket_id: str,
            no_show_calls: int | None = None) -> dict[str, Any]:
    rules = config.rules_with(no_show_calls=no_show_calls)
    return _act(session, config, actor, ticket_id, (TicketState.CALLED,),
                lambda t, _now: rules_mod.after_no_show(t, rules), "no_show",
                lambda b, a: {"calls": b.calls, "missed": a.state is TicketState.MISSED})


def start(session: Session, config: QueueConfig, actor: Actor, ticket_id: str) -> dict[str, Any]:
    return _act(session, config, actor, ticket_id, (TicketState.CALLED, TicketState.PARKED),
                lambda t, _now: rules_mod.started(t), "started")


def finish(session: Session, config: QueueConfig, actor: Actor, ticket_id: str) -> dict[str, Any]:
    return _act(session, config, actor, ticket_id, (TicketState.SERVING,),
                lambda t, _now: rules_mod.finished(t), "finished", lambda _b, _a: {"outcome": "served"})


def park(session: Session, config: QueueConfig, actor: Actor, ticket_id: str) -> dict[str, Any]:
    return _act(session, config, actor, ticket_id, (TicketState.CALLED, TicketState.SERVING),
                lambda t, _now: rules_mod.parked(t), "parked")


def resume(session: Session, config: QueueConfig, actor: Actor, ticket_id: str) -> dict[str, Any]:
    """A parked applicant is called back to the window (announced again)."""
    with qs.write_transaction(session):
        now, day = config.now(), config.today()
        row = qs.load_ticket(session, ticket_id)
        ticket = _mine(row, actor, TicketState.PARKED)
        _current_must_close(session, actor, day, now)
        ticket = rules_mod.called(ticket, actor.window, now)
        qs.save_ticket(session, row, ticket, now)
        qs.add_event(session, day=row.day, kind="resumed", at=now, ticket_id=row.id, window=actor.window,
                     clerk=actor.clerk, data={"calls": ticket.calls})
        return qs.row_out(row, ticket)


def cancel(session: Session, config: QueueConfig, actor: Actor, ticket_id: str) -> dict[str, Any]:
    return _act(session, config, actor, ticket_id,
                (TicketState.CALLED, TicketState.SERVING, TicketState.PARKED),
                lambda t, _now: rules_mod.cancelled(t), "cancelled", lambda _b, _a: {"outcome": "cancelled"})


def transfer(session: Session, config: QueueConfig, actor: Actor, ticket_id: str, *, category: str | None,
             window: str | None, front: bool, known_window: Callable[[str], bool]) -> dict[str, Any]:
    """To another category's queue or to one window, at the front or the back."""
    if category is not None and category not in config.prefixes:
        raise Invalid(f"没有窗口类别“{category}”")
    if window is not None and not known_window(window):
        raise Invalid(f"没有 {window} 号窗口")
    if category is None and window is None:
        raise Invalid("请选择转往的类别或窗口")
    return _act(session, config, actor, ticket_id,
                (TicketState.CALLED, TicketState.SERVING, TicketState.PARKED),
                lambda t, now: rules_mod.transferred(t, now, category=category, front=front, window=window).moved,
                "transferred",
                lambda b, a: {"outcome": "transferred", "from_category": b.category, "to_category": a.category,
                              "to_window": window, "front": front})


def return_missed(session: Session, config: QueueConfig, actor: Actor, ticket_id: str) -> dict[str, Any]:
    """A missed applicant came back: to the end of the queue (any window may do it)."""
    with qs.write_transaction(session):
        now = config.now()
        row = qs.load_ticket(session, ticket_id)
        ticket = rules_mod.returned(qs.to_ticket(row), now)
        qs.save_ticket(session, row, ticket, now)
        qs.add_event(session, day=row.day, kind="returned", at=now, ticket_id=row.id, window=actor.window,
                     clerk=actor.clerk)
        return qs.row_out(row, ticket)


def pause(session: Session, config: QueueConfig, actor: Actor, paused: bool) -> dict[str, Any]:
    with qs.write_transaction(session):
        now, day = config.now(), config.today()
        row = qs.lock_window(session, actor.window, day, now)
        if bool(row.paused) != paused:
            qs.set_window(session, actor.window, now, paused=paused, paused_at=qs.iso(now) if paused else None)
            qs.add_event(session, day=day, kind="paused" if paused else "unpaused", at=now,
                         window=actor.window, clerk=actor.clerk)
        return {"window": actor.window, "paused": paused}
