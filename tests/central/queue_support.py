"""Helpers for the queue tests: window accounts, a settable clock, typed clients per window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import requests

from hallclient.central.accounts import create_account
from hallclient.sync.client import CentralClient
from hallclient.sync.queue_client import QueueClient
from tests.central.support import Central

CST = timezone(timedelta(hours=8))


class Clock:
    """The central's clock in a test: starts at 09:00 of a fixed day, moved by hand."""

    def __init__(self, start: datetime = datetime(2026, 11, 25, 9, 0, tzinfo=CST)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def set_clock(central: Central, clock: Clock | None = None) -> Clock:
    clock = clock or Clock()
    central.app.state.queue.clock = clock
    return clock


def add_windows(central: Central, numbers: list[str]) -> dict[str, str]:
    """Window accounts (besides window 3); returns number → token."""
    tokens = {"3": central.window_token}
    with central.store.session() as session, session.begin():
        for number in numbers:
            if number != "3":
                tokens[number] = create_account(session, number, f"综合窗口{number}")
    return tokens


def queue_client(central: Central, token: str, categories: list[str] | None = None, **kwargs: Any) -> QueueClient:
    return QueueClient(CentralClient(central.url, token), categories=categories, **kwargs)


def unlimited_kiosk(central: Central) -> None:
    """Tests issue many tickets from one address: the per-kiosk limits are off unless a test
    asked to keep them (central.extra["kiosk_limits"] = True)."""
    if central.app is not None and not central.extra.get("kiosk_limits"):
        central.app.state.queue.kiosk_per_minute = 0
        central.app.state.queue.kiosk_green_per_minute = 0


def _green(body: dict[str, Any]) -> dict[str, Any]:
    if body.get("green") and "green_reason" not in body:
        body = {**body, "green_reason": "elderly"}
    return body


def kiosk(central: Central, **body: Any) -> dict[str, Any]:
    unlimited_kiosk(central)
    response = requests.post(f"{central.api}/queue/kiosk/tickets", json=_green(body), timeout=30)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def issue_many(central: Central, kinds: Iterator[tuple[str, bool]] | list[tuple[str, bool]]) -> list[dict[str, Any]]:
    unlimited_kiosk(central)
    with requests.Session() as http:
        out = []
        for category, green in kinds:
            response = http.post(f"{central.api}/queue/kiosk/tickets", json=_green({"category": category, "green": green}),
                                 timeout=30)
            assert response.status_code == 201, response.text
            out.append(response.json())
        return out
