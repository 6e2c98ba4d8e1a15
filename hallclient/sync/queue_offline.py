"""What a window does with the queue while the central is unreachable (no Qt, no HTTP).

Each function runs inside the caller's store transaction and returns the ticket as the window
now sees it. Walk-ins change state here by the core's rules; a central ticket's state is what
the event will make of it when the central replays it (hallclient.central.queue_intake).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hallclient.core.queue import DEFAULT_CATEGORY_PREFIXES
from hallclient.settings import Settings
from hallclient.store import queue_repo
from hallclient.sync.queue_client import QueueTicket

# What a central ticket's state becomes after an offline event.
OFFLINE_STATES = {"called": "called", "recalled": "called", "resumed": "called", "no_show": "waiting",
                  "started": "serving", "finished": "done", "parked": "parked", "cancelled": "cancelled"}
CALL_KINDS = ("called", "recalled", "resumed")


def _now() -> datetime:
    return datetime.now().astimezone()


def walkin_category(settings: Settings) -> str:
    categories = settings.window_categories or list(DEFAULT_CATEGORY_PREFIXES)
    return categories[0]


def issue_walkin(session: Session, settings: Settings) -> QueueTicket:
    walkin = queue_repo.issue_walkin(session, settings.window_number, walkin_category(settings), _now(),
                                     settings.clerk_name)
    return QueueTicket(walkin.uuid, walkin.number, walkin.category, issued_at=walkin.issued_at,
                       for_window=settings.window_number, source="walkin", local=True)


def call_walkin(session: Session, settings: Settings, number: str | None = None) -> QueueTicket | None:
    """The next waiting walk-in of the window (or the one with `number`), called; None: nobody."""
    window, now = settings.window_number, _now()
    if number is None:
        walkin = queue_repo.next_walkin(session, window, now.date().isoformat())
        if walkin is None:
            return None
    else:
        walkin = queue_repo.find_walkin(session, window, now.date().isoformat(), number)
        if walkin is None:
            raise ValueError(f"离线时只能叫本窗口号：没有 {number}")
    queue_repo.record_event(session, walkin.uuid, "called", window, now, clerk=settings.clerk_name)
    return QueueTicket(walkin.uuid, walkin.number, walkin.category, state="called", calls=walkin.calls + 1,
                       window=window, for_window=window, issued_at=walkin.issued_at, last_called_at=now,
                       source="walkin", local=True)


def record(session: Session, settings: Settings, ticket: QueueTicket, kind: str) -> QueueTicket:
    """An action on `ticket` (a walk-in, or the central ticket being served), for the outbox."""
    now = _now()
    state = queue_repo.record_event(session, ticket.id, kind, settings.window_number, now,
                                    clerk=settings.clerk_name, no_show_calls=settings.queue_no_show_calls)
    called = kind in CALL_KINDS
    return QueueTicket(ticket.id, ticket.number, ticket.category, ticket.type,
                       state.value if state is not None else OFFLINE_STATES[kind],
                       ticket.calls + (1 if called else 0), settings.window_number, ticket.for_window,
                       ticket.issued_at, now if called else ticket.last_called_at, ticket.source, ticket.local)
