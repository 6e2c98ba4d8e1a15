"""Typed calls to the central's hall queue API (hallclient.central.routes_queue). No Qt.

A `QueueClient` wraps one `CentralClient` (one requests.Session): like it, it is used by one
thread at a time; the GUI makes one per background job. Errors are the CentralClient's:
`CentralUnreachable` (offline) and `CentralRejected` (the central's own message, e.g. "本窗口处于
暂离状态").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hallclient.settings import Settings
from hallclient.sync.client import CentralClient


@dataclass(frozen=True)
class QueueTicket:
    """A ticket as the window sees it (from the central, or a walk-in of its own: `local`)."""

    id: str
    number: str
    category: str
    type: str = "normal"
    state: str = "waiting"
    calls: int = 0
    window: str | None = None
    for_window: str | None = None
    issued_at: datetime | None = None
    last_called_at: datetime | None = None
    source: str | None = None
    local: bool = False
    front: bool = False
    green_reason: str | None = None  # green channel taken at the kiosk: why (elderly, disabled…)
    green_check: str | None = None  # pending (the clerk must check eligibility) / ok / refused

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QueueTicket:
        def when(key: str) -> datetime | None:
            value = data.get(key)
            return datetime.fromisoformat(value) if isinstance(value, str) else None

        return cls(id=str(data["id"]), number=str(data["number"]), category=str(data.get("category", "")),
                   type=str(data.get("type", "normal")), state=str(data.get("state", "waiting")),
                   calls=int(data.get("calls", 0)), window=data.get("window"), for_window=data.get("for_window"),
                   issued_at=when("issued_at"), last_called_at=when("last_called_at"), source=data.get("source"),
                   front=bool(data.get("front", False)), green_reason=data.get("green_reason"),
                   green_check=data.get("green_check"))


@dataclass(frozen=True)
class WindowQueueStatus:
    day: str
    paused: bool
    current: QueueTicket | None
    parked: list[QueueTicket] = field(default_factory=list)
    waiting: dict[str, int] = field(default_factory=dict)
    waiting_for_window: int = 0
    now: datetime | None = None
    taken_over: list[TakenOver] = field(default_factory=list)  # this window's tickets others took


@dataclass(frozen=True)
class TakenOver:
    ticket_id: str
    number: str
    by_window: str | None
    at: str


class QueueClient:
    """The window's side of the queue API; `categories` etc. are sent with each call."""

    def __init__(self, central: CentralClient, *, categories: Sequence[str] | None = None, clerk: str = "",
                 priority_in_row: int | None = None, no_show_calls: int | None = None) -> None:
        self.central = central
        self.categories = list(categories) if categories is not None else None
        self.clerk = clerk
        self.priority_in_row = priority_in_row
        self.no_show_calls = no_show_calls

    @classmethod
    def from_settings(cls, settings: Settings, *, timeout: tuple[float, float] | None = (2.0, 10.0)) -> QueueClient | None:
        """None when the window runs standalone (no central configured)."""
        if not settings.central_url.strip():
            return None
        return cls(CentralClient(settings.central_url, settings.central_token, timeout=timeout,
                                 ca_file=settings.central_ca_file or None),
                   categories=settings.window_categories, clerk=settings.clerk_name,
                   priority_in_row=settings.queue_priority_in_row, no_show_calls=settings.queue_no_show_calls)

    def close(self) -> None:
        self.central.close()

    def __enter__(self) -> QueueClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self.central.json("POST", "/queue" + path, body=payload)

    def _ticket(self, path: str, body: dict[str, Any] | None = None) -> QueueTicket:
        return QueueTicket.from_json(self._post(path, {"clerk": self.clerk, **(body or {})}))

    # -- the window's actions ---------------------------------------------------------------

    def status(self) -> WindowQueueStatus:
        params = {"categories": self.categories} if self.categories is not None else None
        data = self.central.json("GET", "/queue/status", params=params)
        current = data.get("current")
        return WindowQueueStatus(
            day=data["day"], paused=bool(data["paused"]),
            current=QueueTicket.from_json(current) if current else None,
            parked=[QueueTicket.from_json(t) for t in data.get("parked", [])],
            waiting={str(k): int(v) for k, v in data.get("waiting", {}).items()},
            waiting_for_window=int(data.get("waiting_for_window", 0)),
            now=datetime.fromisoformat(data["now"]) if data.get("now") else None,
            taken_over=[TakenOver(str(t["ticket_id"]), str(t["number"]), t.get("by_window"), str(t.get("at", "")))
                        for t in data.get("taken_over", []) if isinstance(t, dict)],
        )

    def call_next(self) -> QueueTicket | None:
        body: dict[str, Any] = {"clerk": self.clerk, "categories": self.categories}
        if self.priority_in_row is not None:
            body["priority_in_row"] = self.priority_in_row
        ticket = self._post("/call-next", body).get("ticket")
        return QueueTicket.from_json(ticket) if ticket else None

    def call_number(self, number: str) -> QueueTicket:
        return self._ticket("/call", {"number": number.strip().upper()})

    def take_over(self, number: str) -> QueueTicket:
        """Take a ticket called at / served by another window (explicit, recorded, shown to it)."""
        return self._ticket("/takeover", {"number": number.strip().upper()})

    def green_check(self, ticket_id: str, eligible: bool) -> QueueTicket:
        return self._ticket(f"/tickets/{ticket_id}/green-check", {"eligible": eligible})

    def recall(self, ticket_id: str) -> QueueTicket:
        return self._ticket(f"/tickets/{ticket_id}/recall")

    def no_show(self, ticket_id: str) -> QueueTicket:
        extra = {"no_show_calls": self.no_show_calls} if self.no_show_calls is not None else {}
        return self._ticket(f"/tickets/{ticket_id}/no-show", extra)

    def start(self, ticket_id: str) -> QueueTicket:
        return self._ticket(f"/tickets/{ticket_id}/start")

    def finish(self, ticket_id: str) -> QueueTicket:
        return self._ticket(f"/tickets/{ticket_id}/finish")

    def park(self, ticket_id: str) -> QueueTicket:
        return self._ticket(f"/tickets/{ticket_id}/park")

    def resume(self, ticket_id: str) -> QueueTicket:
        return self._ticket(f"/tickets/{ticket_id}/resume")

    def cancel(self, ticket_id: str) -> QueueTicket:
        return self._ticket(f"/tickets/{ticket_id}/cancel")

    def return_missed(self, ticket_id: str) -> QueueTicket:
        return self._ticket(f"/tickets/{ticket_id}/return")

    def transfer(self, ticket_id: str, *, category: str | None = None, window: str | None = None,
                 front: bool = False) -> QueueTicket:
        return self._ticket(f"/tickets/{ticket_id}/transfer", {"category": category, "window": window, "front": front})

    def pause(self, paused: bool) -> bool:
        return bool(self._post("/pause", {"paused": paused, "clerk": self.clerk})["paused"])

    def issue(self, category: str, ticket_type: str = "normal", appointment_at: datetime | None = None) -> QueueTicket:
        body: dict[str, Any] = {"category": category, "type": ticket_type}
        if appointment_at is not None:
            body["appointment_at"] = appointment_at.isoformat()
        return QueueTicket.from_json(self._post("/tickets", body))

    def ticket(self, ticket_id: str) -> dict[str, Any]:
        """A ticket with its events (what the statistics count)."""
        data = self.central.json("GET", f"/queue/tickets/{ticket_id}")
        return data if isinstance(data, dict) else {}

    # -- open endpoints (the dispenser and the board) -------------------------------------

    def kiosk_issue(self, category: str | None = None, *, green: bool = False, green_reason: str | None = None,
                    appointment_code: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"green": green}
        if green_reason is not None:
            body["green_reason"] = green_reason
        if category is not None:
            body["category"] = category
        if appointment_code is not None:
            body["appointment_code"] = appointment_code
        data = self._post("/kiosk/tickets", body)
        return data if isinstance(data, dict) else {}

    def board(self) -> dict[str, Any]:
        data = self.central.json("GET", "/queue/board")
        return data if isinstance(data, dict) else {}
