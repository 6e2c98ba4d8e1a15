"""The central's statistics: its fact tables filled from the hall's queue and the pushed cases,
then the figures, the monthly assessment and the quarterly ranking over all windows.

Filling (`refresh`), like eappointment's nightly job but also done lazily before each query:
- a past day's tickets are final (numbers reset daily): their facts, their per-day summary
  (hallclient.central.stats_summary: what the figures read) and the windows' pause minutes are
  written once and the day is marked in `stats_days`; today's are rewritten on every refresh;
- a case changes for weeks after it is accepted (supplement, approval, completion): the facts of
  cases pushed or given an event since the last refresh are rewritten (a received_at mark).
`hallclient central stats --refresh` does it ahead of time, e.g. at night.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from hallclient.central.stats_summary import summarise
from hallclient.core.stats.facts import DEFAULT_HALL_HOURS, case_fact, ticket_fact, window_day
from hallclient.core.stats.period import Period
from hallclient.store.database import Store, get_meta, set_meta

CASES_MARK = "stats_cases_mark"
BATCH = 2000

TICKET_COLUMNS = ("ticket_id", "day", "hour", "number", "category", "window_number", "clerk", "type", "outcome",
                  "transferred", "wait_s", "service_s", "busy_s", "issued_at")
CASE_COLUMNS = ("case_uuid", "accepted_on", "window_number", "clerk", "category", "item_code", "decision",
                "tolerated", "supplement", "completion", "due_date", "completed_on", "on_site", "approval_minutes")
INSERT_TICKET = text(f"INSERT INTO stats_ticket_facts ({', '.join(TICKET_COLUMNS)}) VALUES "
                     f"({', '.join(':' + c for c in TICKET_COLUMNS)})")
INSERT_CASE = text(f"INSERT INTO stats_case_facts ({', '.join(CASE_COLUMNS)}) VALUES "
                   f"({', '.join(':' + c for c in CASE_COLUMNS)})")
INSERT_WINDOW_DAY = text("INSERT INTO stats_window_days (day, window_number, clerk, open_minutes, paused_minutes)"
                         " VALUES (:day, :window_number, :clerk, :open_minutes, :paused_minutes)")


def name_to_login(session: Session) -> dict[str, str]:
    """Queue events carry the clerk's name; the figures group people by login. A name two people
    share stays a name."""
    seen: dict[str, list[str]] = defaultdict(list)
    for row in session.execute(text("SELECT login, name FROM users")):
        seen[row.name].append(row.login)
    return {name: logins[0] for name, logins in seen.items() if len(logins) == 1}


def item_categories(session: Session) -> dict[str, str]:
    return {r.code: r.window_category for r in session.execute(
        text("SELECT code, window_category FROM service_items WHERE window_category IS NOT NULL"))}


def ticket_row(fact: Any) -> dict[str, Any]:
    row = {c: getattr(fact, c) for c in TICKET_COLUMNS if c != "transferred"}
    row["transferred"] = int(fact.transferred)
    return row


def case_row(fact: Any) -> dict[str, Any]:
    row = {c: getattr(fact, c) for c in CASE_COLUMNS}
    row["tolerated"], row["on_site"] = int(fact.tolerated), int(fact.on_site)
    return row


def _fill_day(session: Session, day: str, logins: dict[str, str], hours: tuple[tuple[str, str], ...]) -> int:
    events: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for e in session.execute(text("SELECT ticket_id, kind, at, \"window\", clerk FROM queue_events WHERE day = :d "
                                  "ORDER BY at, id"), {"d": day}):
        events[e.ticket_id].append({"kind": e.kind, "at": e.at, "window": e.window,
                                    "clerk": logins.get(e.clerk or "", e.clerk)})
    rows = []
    for t in session.execute(text("SELECT id, day, number, category, type, state, issued_at, \"window\" "
                                  "FROM queue_tickets WHERE day = :d"), {"d": day}):
        rows.append(ticket_row(ticket_fact(t._asdict(), events.get(t.id, []))))
    session.execute(text("DELETE FROM stats_ticket_facts WHERE day = :d"), {"d": day})
    for i in range(0, len(rows), BATCH):
        session.execute(INSERT_TICKET, rows[i:i + BATCH])
    summarise(session, day)
    pauses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in events.get(None, []):
        if e["kind"] in ("paused", "unpaused") and e["window"]:
            pauses[e["window"]].append(e)
    working = {r["window_number"] for r in rows if r["window_number"]} | set(pauses)
    session.execute(text("DELETE FROM stats_window_days WHERE day = :d"), {"d": day})
    days = []
    for window in sorted(working):
        wd = window_day(day, window, pauses.get(window, []), hours)
        clerk = wd.clerk or _main_clerk(rows, window)
        days.append({"day": day, "window_number": window, "clerk": clerk, "open_minutes": wd.open_minutes,
                     "paused_minutes": wd.paused_minutes})
    if days:
        session.execute(INSERT_WINDOW_DAY, days)
    return len(rows)


def _main_clerk(rows: list[dict[str, Any]], window: str) -> str | None:
    seen: dict[str, int] = defaultdict(int)
    for r in rows:
        if r["window_number"] == window and r["clerk"]:
            seen[r["clerk"]] += 1
    return max(seen, key=lambda k: seen[k]) if seen else None


def refresh_tickets(session: Session, today: date, *, hours: tuple[tuple[str, str], ...] = DEFAULT_HALL_HOURS,
                    upto: date | None = None, progress: Callable[[str], None] | None = None) -> int:
    """Fact rows of every day not yet final (and of today); returns the days filled."""
    # Days are filled in order, so only the days after the last final one can be missing: a range
    # scan of the tickets' (day, number) index, not a scan of the year.
    final = session.execute(text("SELECT MAX(day) FROM stats_days WHERE kind = 'tickets'")).scalar() or ""
    last = (upto or today).isoformat()
    days = [r.day for r in session.execute(text("SELECT DISTINCT day FROM queue_tickets WHERE day > :final "
                                                "AND day <= :last"), {"final": final, "last": last})]
    logins = name_to_login(session)
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    for day in sorted(days):
        _fill_day(session, day, logins, hours)
        if day < today.isoformat():
            session.execute(text("INSERT INTO stats_days (kind, day, filled_at) VALUES ('tickets', :d, :s)"),
                            {"d": day, "s": stamp})
        if progress:
            progress(day)
    return len(days)


def refresh_cases(session: Session) -> int:
    """Facts of the cases pushed, or given an event, since the last refresh."""
    mark = get_meta(session, CASES_MARK) or ""
    top = session.execute(text("SELECT MAX(received_at) FROM central_cases")).scalar() or ""
    top_e = session.execute(text("SELECT MAX(received_at) FROM central_case_events")).scalar() or ""
    new_mark = max(mark, top, top_e)
    if new_mark == mark:
        return 0
    changed = {r[0] for r in session.execute(text("SELECT uuid FROM central_cases WHERE received_at > :m"), {"m": mark})}
    changed |= {r[0] for r in session.execute(text(
        "SELECT case_uuid FROM central_case_events WHERE received_at > :m"), {"m": mark})}
    categories = item_categories(session)
    count = 0
    ordered = sorted(changed)
    for i in range(0, len(ordered), BATCH):
        chunk = ordered[i:i + BATCH]
        count += _fill_cases(session, chunk, categories)
    set_meta(session, CASES_MARK, new_mark)
    return count


def _in(column: str, values: Iterable[str]) -> tuple[str, dict[str, Any]]:
    values = list(values)
    names = {f"v{i}": v for i, v in enumerate(values)}
    return f"{column} IN ({', '.join(':' + n for n in names)})", names


def _fill_cases(session: Session, uuids: list[str], categories: dict[str, str]) -> int:
    clause, params = _in("case_uuid", uuids)
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in session.execute(text(f"SELECT case_uuid, kind, at, payload FROM central_case_events WHERE {clause} "
                                  "ORDER BY at"), params):
        events[e.case_uuid].append({"kind": e.kind, "at": e.at, "data": json.loads(e.payload).get("data") or {}})
    clause_c, params_c = _in("uuid", uuids)
    rows = []
    for c in session.execute(text(f"SELECT uuid, state, decision, accepted_on, window_number, payload "
                                  f"FROM central_cases WHERE {clause_c}"), params_c):
        p = json.loads(c.payload)
        case = {"uuid": c.uuid, "accepted_on": c.accepted_on, "window_number": c.window_number,
                "clerk": p.get("clerk_login") or p.get("clerk_name") or "", "decision": c.decision, "state": c.state,
                "item_codes": p.get("item_codes") or [], "tolerated": p.get("tolerated") or [],
                "due_date": p.get("due_date")}
        due = [e for e in events.get(c.uuid, []) if e["kind"] == "extended" and e["data"].get("new_due")]
        if due:
            case["due_date"] = due[-1]["data"]["new_due"]
        rows.append(case_row(case_fact(case, events.get(c.uuid, []), categories)))
    session.execute(text(f"DELETE FROM stats_case_facts WHERE {clause}"), params)
    if rows:
        session.execute(INSERT_CASE, rows)
    return len(rows)


def refresh(store: Store, today: date | None = None, *, hours: tuple[tuple[str, str], ...] = DEFAULT_HALL_HOURS,
            progress: Callable[[str], None] | None = None) -> dict[str, int]:
    today = today or date.today()
    with store.session() as session, session.begin():
        days = refresh_tickets(session, today, hours=hours, progress=progress)
        cases = refresh_cases(session)
    return {"days": days, "cases": cases}


def figures(store: Store, period: Period, *, by: str | None = None, today: date | None = None,
            window: str | None = None, clerk: str | None = None, lazy: bool = True,
            hours: tuple[tuple[str, str], ...] = DEFAULT_HALL_HOURS) -> dict[str, Any]:
    """The figures of `period` over all windows (see hallclient.central.stats_query.compute)."""
    from hallclient.central.stats_query import compute

    today = today or date.today()
    if lazy:
        refresh(store, today, hours=hours)
    with store.session() as session:
        return compute(session, period, by=by, today=today, window=window, clerk=clerk, hall_hours=hours)


def tickets_of_day(session: Session, day: date, kind: Any = None) -> list[Any]:
    """The called tickets of `day` as the what-if model reads them (RealTicket by default)."""
    from datetime import timedelta

    from hallclient.core.stats.simulation import RealTicket

    make = kind or RealTicket
    found = []
    for r in session.execute(text("SELECT category, issued_at, wait_s, busy_s, window_number FROM stats_ticket_facts "
                                  "WHERE day = :d AND wait_s IS NOT NULL ORDER BY issued_at"), {"d": day.isoformat()}):
        issued = datetime.fromisoformat(r.issued_at)
        found.append(make(r.category, issued, issued + timedelta(seconds=r.wait_s), r.busy_s, r.window_number))
    return found


def day_model(store: Store, day: date, today: date | None = None) -> Any:
    """The what-if model fitted on the central's tickets of `day`."""
    from hallclient.core.stats.simulation import fit_day

    refresh(store, today or date.today())
    with store.session() as session:
        return fit_day(tickets_of_day(session, day), day.isoformat())
