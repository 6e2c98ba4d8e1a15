"""Facts: one row per ticket, per case, per window-day, derived from what was recorded.

A fact holds what the figures count, already reduced to plain columns (a waiting time in
seconds, whether a tolerance case was supplemented on time), so the figures of a quarter are
sums over a few hundred thousand narrow rows instead of a replay of a year of events. The
central fills them per day (hallclient.central.stats); a standalone window from its own store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from hallclient.core.queue import STATE_OUTCOMES, TicketState

CALL_KINDS = frozenset({"called"})  # the first call ends the wait (call next or call by number)


@dataclass(frozen=True)
class TicketFact:
    ticket_id: str
    day: str
    hour: int
    number: str
    category: str
    window_number: str | None
    clerk: str | None
    type: str
    outcome: str | None  # served / no_show / transferred / parked / cancelled; None while open
    transferred: bool
    wait_s: int | None  # first call − issue
    service_s: int | None  # finish − start
    issued_at: str
    busy_s: int | None = None  # finish − first call: how long the window was taken (the simulation's)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def ticket_fact(ticket: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> TicketFact:
    """`ticket`: id, day, number, category, type, state, issued_at, window; `events` in time order
    (kind, at, window, clerk)."""
    issued = _at(ticket["issued_at"])
    first_call = next((e for e in events if e["kind"] in CALL_KINDS), None)
    start = next((e for e in events if e["kind"] == "started"), None)
    finish = None
    if start is not None:
        finish = next((e for e in reversed(events) if e["kind"] == "finished" and e["at"] >= start["at"]), None)
    wait = None if first_call is None else max(0, round((_at(first_call["at"]) - issued).total_seconds()))
    service = None
    if start is not None and finish is not None:
        service = max(0, round((_at(finish["at"]) - _at(start["at"])).total_seconds()))
    busy = None
    if first_call is not None and finish is not None:
        busy = max(0, round((_at(finish["at"]) - _at(first_call["at"])).total_seconds()))
    worker = finish or start or first_call
    state = TicketState(ticket["state"])
    outcome = STATE_OUTCOMES.get(state)
    window = ticket.get("window") or (worker.get("window") if worker else None)
    return TicketFact(
        ticket_id=ticket["id"], day=ticket["day"], hour=issued.hour, number=ticket["number"],
        category=ticket["category"], window_number=window, clerk=(worker.get("clerk") if worker else None),
        type=ticket.get("type") or "normal", outcome=outcome.value if outcome else None,
        transferred=any(e["kind"] == "transferred" for e in events), wait_s=wait, service_s=service,
        issued_at=ticket["issued_at"], busy_s=busy)


@dataclass(frozen=True)
class CaseFact:
    case_uuid: str
    accepted_on: str
    window_number: str
    clerk: str
    category: str
    item_code: str
    decision: str
    tolerated: bool
    supplement: str | None  # on_time / late / returned / pending (tolerance cases only)
    completion: str  # on_time / late / open / no_limit / closed (ended without a decision: refused…)
    due_date: str | None
    completed_on: str | None
    on_site: bool  # approved on the spot by the chief representative
    approval_minutes: int | None


ENDED_STATES = frozenset({"refused", "one_time_noticed", "returned", "sent_back"})
DECIDED_KINDS = ("completed", "approved", "denied")


def case_fact(case: Mapping[str, Any], events: Sequence[Mapping[str, Any]],
              categories: Mapping[str, str]) -> CaseFact:
    """`case`: uuid, accepted_on, window_number, clerk (login or name), decision, state, item_codes
    (list), tolerated (list of {supplement_by, …}), due_date; `events` in time order (kind, at,
    data); `categories`: item code → window category."""
    items = list(case.get("item_codes") or [])
    decision = case["decision"]
    tolerated = decision == "accept_with_tolerance"
    supplement = None
    if tolerated:
        deadlines = [t["supplement_by"] for t in case.get("tolerated") or () if t.get("supplement_by")]
        done = next((e for e in events if e["kind"] == "supplemented" and (e.get("data") or {}).get("complete")), None)
        if any(e["kind"] == "returned" for e in events):
            supplement = "returned"
        elif done is not None:
            supplement = "late" if deadlines and done["at"][:10] > min(deadlines) else "on_time"
        else:
            supplement = "pending"
    decided = next((e for e in events if e["kind"] in DECIDED_KINDS), None)
    due = case.get("due_date")
    if decided is not None:
        completed_on = decided["at"][:10]
        completion = "no_limit" if not due else ("late" if completed_on > due else "on_time")
    else:
        completed_on = None
        if decision in ("one_time_notice", "refuse") or case.get("state") in ENDED_STATES:
            completion = "closed"
        else:
            completion = "open" if due else "no_limit"
    approved = next((e for e in events if e["kind"] == "approved"), None)
    minutes = None
    if approved is not None:
        value = (approved.get("data") or {}).get("minutes_since_acceptance")
        minutes = int(value) if isinstance(value, int | float) else None
    return CaseFact(
        case_uuid=case["uuid"], accepted_on=case["accepted_on"], window_number=case["window_number"],
        clerk=case.get("clerk") or "", category=next((categories[c] for c in items if categories.get(c)), ""),
        item_code=items[0] if items else "", decision=decision, tolerated=tolerated, supplement=supplement,
        completion=completion, due_date=due, completed_on=completed_on, on_site=approved is not None,
        approval_minutes=minutes)


# -- attendance -------------------------------------------------------------------------------

DEFAULT_HALL_HOURS: tuple[tuple[str, str], ...] = (("09:00", "12:00"), ("13:00", "17:00"))


@dataclass(frozen=True)
class WindowDay:
    day: str
    window_number: str
    clerk: str | None
    open_minutes: float
    paused_minutes: float


def _clip(start: datetime, end: datetime, hours: Iterable[tuple[str, str]]) -> float:
    total = 0.0
    for a, b in hours:
        lo = datetime.combine(start.date(), time.fromisoformat(a), start.tzinfo)
        hi = datetime.combine(start.date(), time.fromisoformat(b), start.tzinfo)
        overlap = (min(end, hi) - max(start, lo)).total_seconds()
        total += max(0.0, overlap)
    return total / 60


def open_minutes(hours: Iterable[tuple[str, str]]) -> float:
    return sum((datetime.combine(date.min, time.fromisoformat(b)) -
                datetime.combine(date.min, time.fromisoformat(a))).total_seconds() / 60 for a, b in hours)


def window_day(day: str, window: str, pauses: Sequence[Mapping[str, Any]],
               hours: Sequence[tuple[str, str]] = DEFAULT_HALL_HOURS) -> WindowDay:
    """Minutes the window was paused (暂离) within the hall's opening hours on `day`.

    `pauses`: the window's paused / unpaused events of the day in time order; a pause not
    resumed lasts until the hall closes."""
    paused_at: datetime | None = None
    paused = 0.0
    clerk = None
    closing = datetime.combine(date.fromisoformat(day), time.fromisoformat(hours[-1][1]))
    for event in pauses:
        at = _at(event["at"])
        clerk = event.get("clerk") or clerk
        if event["kind"] == "paused" and paused_at is None:
            paused_at = at
        elif event["kind"] == "unpaused" and paused_at is not None:
            paused += _clip(paused_at, at, hours)
            paused_at = None
    if paused_at is not None:
        paused += _clip(paused_at, closing.replace(tzinfo=paused_at.tzinfo), hours)
    return WindowDay(day, window, clerk, open_minutes(hours), round(paused, 2))
