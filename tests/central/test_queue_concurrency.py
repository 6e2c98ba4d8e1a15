"""Many windows calling at once against one central (threads, each its own HTTP connection), on
SQLite and on PostgreSQL: no ticket is ever called by two windows, none is lost, and the order
rules hold for every window (FIFO within a class, at most K priority calls in a row while a
normal ticket waits)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any

from sqlalchemy import select

from hallclient.central.queue_models import QueueEvent
from tests.central.queue_support import add_windows, issue_many, queue_client, set_clock
from tests.central.support import Central

WINDOWS = 24
TICKETS = 240
K = 2
CATEGORIES = ["无差别受理", "市场准入"]


def _run_window(central: Central, token: str, categories: list[str], start: threading.Barrier,
                calls: list[Any], errors: list[BaseException]) -> None:
    try:
        with queue_client(central, token, categories, priority_in_row=K) as window:
            start.wait(30)
            while (ticket := window.call_next()) is not None:
                calls.append(ticket)
                window.start(ticket.id)  # the next call finishes it
    except BaseException as exc:  # reported by the test thread
        errors.append(exc)


def test_windows_calling_at_once_never_share_a_ticket(central: Central) -> None:
    set_clock(central)
    numbers = [str(n) for n in range(3, 3 + WINDOWS)]
    tokens = add_windows(central, numbers)
    # one ticket in four on the green channel, both categories; every ticket issued before calling
    issued = issue_many(central, [(CATEGORIES[i % 2], i % 4 == 3) for i in range(TICKETS)])
    by_id = {t["id"]: t for t in issued}
    # windows serve one category or both: overlapping queues
    served = {n: (CATEGORIES if i % 3 == 0 else [CATEGORIES[i % 2]]) for i, n in enumerate(numbers)}
    start = threading.Barrier(WINDOWS)
    calls: dict[str, list[Any]] = {n: [] for n in numbers}
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_run_window, args=(central, tokens[n], served[n], start, calls[n], errors))
               for n in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors[:3]

    everything = [ticket.id for window in calls.values() for ticket in window]
    twice = [ticket_id for ticket_id, n in Counter(everything).items() if n > 1]
    assert not twice, f"called by two windows: {[by_id[t]['number'] for t in twice]}"
    assert set(everything) == set(by_id), "a ticket was lost"
    assert sum(1 for w in calls.values() if w) > WINDOWS // 2  # they really called at once

    with central.store.session() as session:
        events = session.execute(select(QueueEvent.ticket_id, QueueEvent.window, QueueEvent.data)
                                 .where(QueueEvent.kind == "called")).all()
    assert Counter(e.ticket_id for e in events) == Counter(everything)  # one call event per ticket
    assert all(json.loads(e.data)["streak"] <= K for e in events)
    for number, window_calls in calls.items():
        _check_order(number, window_calls, by_id)


def _check_order(window: str, called: list[Any], by_id: dict[str, dict[str, Any]]) -> None:
    """Per window: FIFO within each class, and no more than K priority calls in a row before a
    normal call (every normal ticket it called later was waiting then: all were issued first)."""
    for green in (False, True):
        seqs = [(by_id[t.id]["category"], by_id[t.id]["number"]) for t in called
                if (by_id[t.id]["type"] == "priority") == green]
        for category in CATEGORIES:
            ordered = [number for cat, number in seqs if cat == category]
            assert ordered == sorted(ordered), f"window {window}: not first come first served: {ordered}"
    kinds = ["P" if by_id[t.id]["type"] == "priority" else "N" for t in called]
    last_normal = max((i for i, k in enumerate(kinds) if k == "N"), default=-1)
    run = 0
    for kind in kinds[: last_normal + 1]:
        run = run + 1 if kind == "P" else 0
        assert run <= K, f"window {window}: {run} priority calls in a row: {''.join(kinds)}"
