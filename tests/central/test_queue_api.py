"""The hall queue end to end through the HTTP API, on SQLite and PostgreSQL: numbering, calling
order, no-shows, transfers, parking, pauses, appointments, the open endpoints, events."""

from __future__ import annotations

import uuid

import pytest
import requests

from hallclient.sync.client import CentralRejected
from tests.central.queue_support import add_windows, issue_many, kiosk, queue_client, set_clock
from tests.central.support import Central

MARKET, GENERAL = "市场准入", "无差别受理"


def kinds_of(central: Central, ticket_id: str) -> list[str]:
    return [e["kind"] for e in central.window("GET", f"/queue/tickets/{ticket_id}").json()["events"]]


def test_numbers_per_prefix_from_001_each_day(central: Central) -> None:
    clock = set_clock(central)
    numbers = [t["number"] for t in issue_many(central, [(MARKET, False), (MARKET, True), (GENERAL, False)])]
    assert numbers == ["B001", "B002", "A001"]
    clock.advance(days=1)
    assert kiosk(central, category=MARKET)["number"] == "B001"
    # yesterday's waiting tickets are not called today
    with queue_client(central, central.window_token) as window:
        first = window.call_next()
        assert first is not None and first.number == "B001" and first.issued_at.day == 26  # type: ignore[union-attr]


def test_priority_first_but_bounded_then_fifo(central: Central) -> None:
    clock = set_clock(central)
    for _ in range(3):
        kiosk(central, category=MARKET)
        clock.advance(seconds=1)
    for _ in range(5):
        kiosk(central, category=MARKET, green=True)
        clock.advance(seconds=1)
    order = []
    with queue_client(central, central.window_token, [MARKET], priority_in_row=2) as window:
        while (ticket := window.call_next()) is not None:
            order.append(ticket.number)
            window.start(ticket.id)
            clock.advance(seconds=5)
    # K = 2: two green-channel tickets, then the oldest normal one, and so on; FIFO within a class
    assert order == ["B004", "B005", "B001", "B006", "B007", "B002", "B008", "B003"]


def test_due_appointment_is_priority_and_checked_in_once(central: Central) -> None:
    clock = set_clock(central)
    response = central.admin("POST", "/queue/appointments", json={
        "code": "20261125001", "category": MARKET, "appointment_at": "2026-11-25T09:30:00+08:00", "name": "张三"})
    assert response.status_code == 201, response.text
    kiosk(central, category=MARKET)
    appointment = kiosk(central, appointment_code="20261125001")
    assert appointment["type"] == "appointment" and appointment["number"] == "B002"
    assert kiosk(central, appointment_code="20261125001")["id"] == appointment["id"]  # again: same ticket
    assert requests.post(f"{central.api}/queue/kiosk/tickets", json={"appointment_code": "9999"},
                         timeout=10).status_code == 404
    with queue_client(central, central.window_token, [MARKET]) as window:
        first = window.call_next()  # 09:00: not due yet (due from 09:15) → the normal ticket first
        assert first is not None and first.number == "B001"
        window.start(first.id)
        kiosk(central, category=MARKET)  # B003, issued before the appointment falls due
        clock.advance(minutes=16)
        second = window.call_next()
        assert second is not None and second.number == "B002"


def test_no_show_rule_and_return_to_the_end(central: Central) -> None:
    set_clock(central)
    a, b = issue_many(central, [(MARKET, False), (MARKET, False)])
    with queue_client(central, central.window_token, [MARKET], no_show_calls=2) as window:
        called = window.call_next()
        assert called is not None and called.number == "B001"
        back = window.no_show(called.id)
        assert back.state == "waiting"  # one call of two: back to its place
        again = window.call_next()
        assert again is not None and again.number == "B001" and again.calls == 2
        missed = window.no_show(again.id)
        assert missed.state == "missed"
        nxt = window.call_next()
        assert nxt is not None and nxt.number == "B002"
        window.start(nxt.id)
        returned = window.return_missed(a["id"])
        assert returned.state == "waiting" and returned.calls == 0
        c = kiosk(central, category=MARKET)
        last = window.call_next()
        assert last is not None and last.number == "B001"  # returned before C was issued
        with pytest.raises(CentralRejected) as refused:
            window.call_next()  # B001 was only called: the clerk must decide first
        assert refused.value.status == 409 and "F3" in refused.value.message
        assert c["number"] == "B003"
    assert kinds_of(central, a["id"]) == ["issued", "called", "no_show", "called", "no_show", "returned", "called"]
    assert kinds_of(central, b["id"])[-1] == "finished"  # finished by the next call


def test_call_by_number_recall_park_resume_and_pause(central: Central) -> None:
    set_clock(central)
    tickets = issue_many(central, [(MARKET, False), (MARKET, False), (MARKET, False)])
    with queue_client(central, central.window_token, [MARKET]) as window:
        picked = window.call_number("b003")
        assert picked.number == "B003" and picked.state == "called"
        assert window.recall(picked.id).calls == 2
        window.start(picked.id)
        parked = window.park(picked.id)
        assert parked.state == "parked"
        status = window.status()
        assert status.current is None and [p.number for p in status.parked] == ["B003"]
        assert status.waiting == {MARKET: 2}
        resumed = window.resume(parked.id)
        assert resumed.state == "called" and resumed.calls == 3
        window.start(resumed.id)
        window.finish(resumed.id)
        assert window.pause(True) is True
        with pytest.raises(CentralRejected) as paused:
            window.call_next()
        assert "暂离" in paused.value.message
        window.pause(False)
        assert window.call_next().number == "B001"  # type: ignore[union-attr]
    events = central.window("GET", f"/queue/tickets/{tickets[2]['id']}").json()["events"]
    assert [e["kind"] for e in events] == ["issued", "called", "recalled", "started", "parked", "resumed",
                                           "started", "finished"]
    assert events[1]["data"]["by"] == "number" and events[1]["window"] == "3" and events[1]["at"]


def test_transfer_to_category_front_and_to_a_window(central: Central) -> None:
    set_clock(central)
    tokens = add_windows(central, ["5"])
    issue_many(central, [(MARKET, False), (GENERAL, False), (GENERAL, False)])
    with queue_client(central, tokens["3"], [MARKET]) as w3, queue_client(central, tokens["5"], [GENERAL]) as w5:
        b1 = w3.call_next()
        assert b1 is not None
        moved = w3.transfer(b1.id, category=GENERAL, front=True)
        assert moved.state == "waiting" and moved.category == GENERAL and moved.front
        first = w5.call_next()
        assert first is not None and first.number == "B001"  # at the front of 无差别受理
        w5.start(first.id)
        to_three = w5.transfer(first.id, window="3")
        assert to_three.for_window == "3"
        nxt = w5.call_next()
        assert nxt is not None and nxt.number == "A001"  # B001 waits for window 3 only
        back = w3.call_next()
        assert back is not None and back.number == "B001"
        with pytest.raises(CentralRejected) as unknown:
            w3.transfer(back.id, window="99")
        assert unknown.value.status == 422
        assert w3.status().waiting == {MARKET: 0}


def test_open_endpoints_and_tokens(central: Central) -> None:
    set_clock(central)
    assert requests.get(f"{central.api}/queue/board", timeout=10).status_code == 200
    assert requests.get(f"{central.api}/queue/kiosk", timeout=10).json()["categories"][0]["prefix"] == "A"
    assert requests.post(f"{central.api}/queue/call-next", json={}, timeout=10).status_code == 401
    assert requests.post(f"{central.api}/queue/tickets", json={"category": MARKET, "type": "vip"},
                         timeout=10).status_code == 401
    refused = requests.post(f"{central.api}/queue/kiosk/tickets", json={"category": MARKET, "type": "vip"}, timeout=10)
    assert refused.status_code == 422  # the dispenser cannot issue VIP tickets
    vip = central.window("POST", "/queue/tickets", json={"category": MARKET, "type": "vip"})
    assert vip.status_code == 201 and vip.json()["type"] == "vip"
    slip = requests.get(f"{central.api}/queue/kiosk/tickets/{vip.json()['id']}/slip.pdf", timeout=30)
    assert slip.status_code == 200 and slip.content.startswith(b"%PDF")
    board = requests.get(f"{central.api}/queue/board", timeout=10).json()
    assert board["waiting"][1] == {"category": MARKET, "prefix": "B", "count": 1}
    for page in ("/kiosk", "/board"):
        html = requests.get(central.url + page, timeout=10)
        assert html.status_code == 200 and "text/html" in html.headers["content-type"] and "号" in html.text


def test_walkin_and_offline_events_are_idempotent(central: Central) -> None:
    clock = set_clock(central)
    walkin = {"uuid": str(uuid.uuid4()), "number": "W3-001", "window": "3", "category": GENERAL,
              "issued_at": clock.now.isoformat(), "clerk": "李四"}
    for expected in ("created", "unchanged"):
        answer = central.window("PUT", f"/queue/walkins/{walkin['uuid']}", json=walkin)
        assert answer.status_code == 200 and answer.json()["result"] == expected
    event = {"uuid": str(uuid.uuid4()), "ticket_uuid": walkin["uuid"], "kind": "called",
             "at": clock.now.isoformat(), "window": "3", "clerk": "李四", "data": {}}
    for expected in ("created", "unchanged"):
        answer = central.window("PUT", f"/queue/events/{event['uuid']}", json=event)
        assert answer.status_code == 200 and answer.json()["result"] == expected
    late = {**event, "uuid": str(uuid.uuid4()), "kind": "finished"}  # not started: not applied, kept
    answer = central.window("PUT", f"/queue/events/{late['uuid']}", json=late).json()
    assert answer["warnings"]
    ticket = central.window("GET", f"/queue/tickets/{walkin['uuid']}").json()
    assert ticket["state"] == "called" and ticket["for_window"] == "3" and ticket["source"] == "walkin"
    assert [(e["kind"], e["data"].get("applied")) for e in ticket["events"]] == [
        ("issued", None), ("called", True), ("finished", False)]
    other = {**walkin, "uuid": str(uuid.uuid4()), "number": "W5-001", "window": "5"}
    assert central.window("PUT", f"/queue/walkins/{other['uuid']}", json=other).status_code == 422
