"""The queue's fast path (hallclient.central.queue_fast_path) answers exactly as the FastAPI
routes do: the same central served twice on one database, once with the fast path and once
without, must give the same statuses and answers, and whatever is off the happy path must reach
FastAPI untouched."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from hallclient.central.app import create_app
from hallclient.central.queue_schemas import CallOut, TicketOut
from tests.central.queue_support import add_windows, kiosk, set_clock
from tests.central.support import Central, ServerThread, free_port

MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def slow(central: Central) -> Iterator[str]:
    """The same central without the fast path, on the same database and clock: its API address."""
    app = create_app(central.store, fast_path=False)
    app.state.queue = central.app.state.queue
    port = free_port()
    server = ServerThread(app, port).start()
    try:
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        server.stop()


def post(api: str, token: str, path: str, **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
    return requests.post(f"{api}{path}", headers=headers, timeout=30, **kwargs)


def without_ticket(answer: dict[str, Any]) -> dict[str, Any]:
    """What must agree between two windows' answers (each called its own ticket)."""
    ticket = answer.get("ticket", answer)
    return {k: v for k, v in ticket.items() if k not in ("id", "number", "window", "issued_at", "queued_at",
                                                         "last_called_at")}


def test_call_next_and_start_answer_as_the_routes_do(central: Central, slow: str) -> None:
    set_clock(central)
    tokens = add_windows(central, ["3", "5"])
    fast_path = central.app.fast_path
    for _ in range(2):
        kiosk(central, category="无差别受理")

    fast = post(central.api, tokens["3"], "/queue/call-next", json={"categories": ["无差别受理"]})
    routed = post(slow, tokens["5"], "/queue/call-next", json={"categories": ["无差别受理"]})
    assert fast.status_code == routed.status_code == 200
    assert fast.json().keys() == routed.json().keys() == {"ticket"}
    assert fast.json()["ticket"].keys() == routed.json()["ticket"].keys()
    assert without_ticket(fast.json()) == without_ticket(routed.json())
    assert CallOut.model_validate(fast.json()).ticket.window == "3"  # type: ignore[union-attr]
    assert fast_path.answered == 1

    # the queue's own refusal: called, not yet started
    again = post(central.api, tokens["3"], "/queue/call-next", json={})
    again_routed = post(slow, tokens["5"], "/queue/call-next", json={})
    assert again.status_code == again_routed.status_code == 409
    assert again.json()["message"].split(" ", 1)[1] == again_routed.json()["message"].split(" ", 1)[1]
    assert again.json()["detail"] is again_routed.json()["detail"] is None

    mine, theirs = fast.json()["ticket"]["id"], routed.json()["ticket"]["id"]
    started = post(central.api, tokens["3"], f"/queue/tickets/{mine}/start", json={})
    started_routed = post(slow, tokens["5"], f"/queue/tickets/{theirs}/start", json={})
    assert started.status_code == started_routed.status_code == 200
    assert TicketOut.model_validate(started.json()).state == "serving"
    assert without_ticket(started.json()) == without_ticket(started_routed.json())
    assert fast_path.answered == 3

    # another window's ticket: refused in the same words by both
    stolen = post(central.api, tokens["3"], f"/queue/tickets/{theirs}/finish", json={})
    stolen_routed = post(slow, tokens["3"], f"/queue/tickets/{theirs}/finish", json={})
    assert (stolen.status_code, stolen.json()) == (stolen_routed.status_code, stolen_routed.json())
    assert stolen.status_code == 409


@pytest.mark.parametrize("case", ["invalid body", "unknown token", "not JSON", "no such ticket", "unknown field",
                                  "wrong id"])
def test_off_the_happy_path_the_answer_is_the_routes_own(central: Central, slow: str, case: str) -> None:
    set_clock(central)
    tokens = add_windows(central, ["3"])
    token, path, kwargs = tokens["3"], "/queue/call-next", {"json": {"categories": ["无差别受理"]}}
    if case == "invalid body":
        kwargs = {"json": {"categories": "无差别受理"}}
    elif case == "unknown token":
        token = "not-a-token"
    elif case == "not JSON":
        kwargs = {"data": b"categories", "headers": {"Content-Type": "text/plain"}}
    elif case == "no such ticket":
        path, kwargs = f"/queue/tickets/{MISSING}/start", {"json": {}}
    elif case == "unknown field":
        kwargs = {"json": {"categories": [], "window": "7"}}
    elif case == "wrong id":
        path, kwargs = "/queue/tickets/not-a-uuid/start", {"json": {}}
    fast = post(central.api, token, path, **kwargs)
    routed = post(slow, token, path, **kwargs)
    assert fast.status_code == routed.status_code
    assert fast.status_code in (401, 404, 422)
    assert fast.json() == routed.json()
    assert fast.json()["message"]  # in Chinese, from the one place that words refusals
    handed_on = case != "no such ticket"
    assert central.app.fast_path.answered == (0 if handed_on else 1)


def _sqlite_group(central: Central) -> Any:
    group = central.app.fast_path.group
    if group is None:
        pytest.skip("group commit is SQLite's (PostgreSQL writes in parallel)")
    return group


def _submit(group: Any, *job: Any) -> Any:
    """A call to the writer thread from a test's thread: a future of its answer."""
    from concurrent.futures import Future

    future: Future[Any] = Future()
    group.submit(future.set_result, *job)
    return future


def _waiting(central: Central) -> int:
    from sqlalchemy import func, select

    from hallclient.central.queue_store import TICKETS

    with central.store.session() as session:
        return int(session.execute(select(func.count()).select_from(TICKETS).where(TICKETS.c.state == "waiting"))
                   .scalar_one())


def test_calls_waiting_for_the_writer_are_committed_together_and_one_refusal_leaves_the_others(
        central: Central) -> None:
    from hallclient.central import queue_store
    from hallclient.central.queue_schemas import ActionIn, CallNextIn

    group = _sqlite_group(central)
    set_clock(central)
    tokens = add_windows(central, ["3", "4", "5", "6"])
    for _ in range(4):
        kiosk(central, category="无差别受理")
    with queue_store._SQLITE_WRITERS:  # the writer is busy: the calls queue up behind it
        futures = [_submit(group, tokens[w], "call-next", None, CallNextIn()) for w in ("3", "4", "5")]
        futures.append(_submit(group, tokens["6"], "start", MISSING, ActionIn()))
        futures.append(_submit(group, "unknown-token", "call-next", None, CallNextIn()))
    answers = [f.result(timeout=30) for f in futures]
    assert group.batches <= 2  # one batch, or the first call alone and the others together
    assert [a[0] for a in answers[:4]] == [200, 200, 200, 404]
    from hallclient.central.queue_fast_path import _DELEGATE

    assert answers[4] is _DELEGATE  # an unknown token is handed back to FastAPI, which answers the 401
    assert _waiting(central) == 1  # three called, committed; the refused start changed nothing


def test_a_batch_that_cannot_commit_answers_503_to_every_call_and_changes_nothing(
        central: Central, monkeypatch: pytest.MonkeyPatch) -> None:
    from contextlib import contextmanager

    from sqlalchemy.exc import OperationalError

    from hallclient.central import queue_store
    from hallclient.central.queue_schemas import CallNextIn

    group = _sqlite_group(central)
    set_clock(central)
    tokens = add_windows(central, ["3", "4"])
    for _ in range(2):
        kiosk(central, category="无差别受理")
    real = queue_store.batch_transaction

    @contextmanager
    def full_disk(session: Any) -> Any:  # a fault this test cannot cause for real: the commit fails
        with real(session):
            yield
            raise OperationalError("COMMIT", {}, Exception("database or disk is full"))

    monkeypatch.setattr(queue_store, "batch_transaction", full_disk)
    answers = [_submit(group, tokens[w], "call-next", None, CallNextIn()).result(timeout=30) for w in ("3", "4")]
    assert [a[0] for a in answers] == [503, 503]
    assert all("数据库" in a[1] for a in answers)
    assert _waiting(central) == 2
    monkeypatch.undo()
    over_http = post(central.api, tokens["3"], "/queue/call-next", json={})
    assert over_http.status_code == 200 and over_http.json()["ticket"] is not None
