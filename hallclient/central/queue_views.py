"""Read-only views of the hall queue: a window's status and the hall board (no transaction
beyond one snapshot read; nothing here locks)."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hallclient.central import queue_store as qs
from hallclient.central.queue_service import QueueConfig
from hallclient.central.queue_store import EVENTS, TICKETS, WINDOWS
from hallclient.core.queue import TicketState, announcement_text

CALL_KINDS = ("called", "recalled", "resumed")
BOARD_CALLS = 8


def waiting_counts(session: Session, day: str) -> dict[str, int]:
    """Waiting tickets per category (tickets sent to one window are counted for that window)."""
    rows = session.execute(select(TICKETS.c.category, func.count()).where(
        TICKETS.c.day == day, TICKETS.c.state == TicketState.WAITING.value, TICKETS.c.for_window.is_(None),
    ).group_by(TICKETS.c.category))
    return {category: int(count) for category, count in rows}


def window_status(session: Session, config: QueueConfig, window: str,
                  categories: Collection[str] | None) -> dict[str, Any]:
    day = config.today()
    counts = waiting_counts(session, day)
    served = list(categories) if categories is not None else list(config.prefixes)
    mine = int(session.execute(select(func.count()).select_from(TICKETS).where(
        TICKETS.c.day == day, TICKETS.c.state == TicketState.WAITING.value,
        TICKETS.c.for_window == window)).scalar_one())
    window_row = session.execute(select(WINDOWS).where(WINDOWS.c.window == window)).first()
    today = window_row is not None and window_row.day == day
    current = qs.current_rows(session, window, day)
    parked = session.execute(select(TICKETS).where(
        TICKETS.c.day == day, TICKETS.c.window == window, TICKETS.c.state == TicketState.PARKED.value,
    ).order_by(TICKETS.c.updated_at))
    return {
        "taken_over": taken_from(session, day, window),
        "day": day, "window": window, "now": qs.iso(config.now()),
        "paused": bool(window_row.paused) if today and window_row else False,
        "priority_streak": int(window_row.priority_streak) if today and window_row else 0,
        "current": qs.row_out(current[0]) if current else None,
        "parked": [qs.row_out(row) for row in parked],
        "waiting": {category: counts.get(category, 0) for category in served},
        "waiting_for_window": mine,
    }


TAKEN_OVER_SHOWN = 10


def taken_from(session: Session, day: str, window: str) -> list[dict[str, Any]]:
    """Today's takeovers of this window's tickets by other windows, newest first (takeovers are
    rare: the day's are read and filtered here rather than indexing the event's JSON)."""
    rows = session.execute(
        select(EVENTS.c.ticket_id, EVENTS.c.window, EVENTS.c.at, EVENTS.c.data, TICKETS.c.number)
        .join(TICKETS, TICKETS.c.id == EVENTS.c.ticket_id)
        .where(EVENTS.c.day == day, EVENTS.c.kind == "taken_over").order_by(EVENTS.c.id.desc()))
    out = []
    for row in rows:
        data = json.loads(row.data) if row.data else {}
        if data.get("from_window") == window:
            out.append({"ticket_id": row.ticket_id, "number": row.number, "by_window": row.window, "at": row.at})
            if len(out) >= TAKEN_OVER_SHOWN:
                break
    return out


def board(session: Session, config: QueueConfig) -> dict[str, Any]:
    """The hall board: the latest calls (ticket → window) and the waiting counts per category."""
    day = config.today()
    version = session.execute(select(func.max(EVENTS.c.id)).where(EVENTS.c.day == day)).scalar() or 0
    calls = session.execute(
        select(EVENTS.c.id, EVENTS.c.kind, EVENTS.c.at, EVENTS.c.window, TICKETS.c.number)
        .join(TICKETS, TICKETS.c.id == EVENTS.c.ticket_id)
        .where(EVENTS.c.day == day, EVENTS.c.kind.in_(CALL_KINDS))
        .order_by(EVENTS.c.id.desc()).limit(BOARD_CALLS))
    counts = waiting_counts(session, day)
    paused = session.execute(select(WINDOWS.c.window).where(WINDOWS.c.day == day, WINDOWS.c.paused.is_(True))
                             .order_by(WINDOWS.c.window)).scalars()
    return {
        "version": int(version), "day": day, "now": qs.iso(config.now()), "hall_name": config.hall_name,
        "calls": [{"id": c.id, "number": c.number, "window": c.window, "at": c.at, "kind": c.kind,
                   "text": announcement_text(config.announcement_template, c.number, c.window or "")}
                  for c in calls],
        "waiting": [{"category": category, "prefix": prefix, "count": counts.get(category, 0)}
                    for category, prefix in config.prefixes.items()],
        "paused_windows": list(paused),
    }
