"""A ticket at another window is never taken by calling its number; a takeover is explicit,
recorded and seen by that window; offline events never move a ticket another window moved
meanwhile; the kiosk cannot flood the queue and its green channel is checked by the clerk."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

import pytest
import requests

from hallclient.settings import Settings
from hallclient.store.database import Store
from hallclient.sync.client import CentralClient, CentralRejected
from hallclient.sync.outbox import outbox_summary, push_outbox
from hallclient.sync.queue_client import QueueTicket
from hallclient.sync.queue_offline import record
from tests.central.queue_support import add_windows, kiosk, queue_client, set_clock
from tests.central.support import Central

MARKET, GENERAL = "市场准入", "无差别受理"


def events_of(central: Central, ticket_id: str) -> list[dict]:  # type: ignore[type-arg]
    return central.window("GET", f"/queue/tickets/{ticket_id}").json()["events"]


@pytest.mark.parametrize("serving", [False, True], ids=["called", "serving"])
def test_calling_a_number_at_another_window_is_refused_and_takeover_is_recorded(central: Central,
                                                                               serving: bool) -> None:
    set_clock(central)
    tokens = add_windows(central, ["3", "5"])
    ticket = kiosk(central, category=MARKET)
    with queue_client(central, tokens["5"], [MARKET]) as five, queue_client(central, tokens["3"], [MARKET]) as three:
        called = five.call_next()
        assert called is not None and called.number == ticket["number"]
        if serving:
            five.start(called.id)
        with pytest.raises(CentralRejected) as refused:
            three.call_number(ticket["number"])
        assert refused.value.status == 409
        assert "5 号窗口" in refused.value.message and "接管" in refused.value.message
        still = central.window("GET", f"/queue/tickets/{called.id}").json()
        assert still["window"] == "5" and still["state"] == ("serving" if serving else "called")

        taken = three.take_over(ticket["number"])
        assert taken.window == "3" and taken.state == "called"
        last = events_of(central, called.id)[-1]
        assert last["kind"] == "taken_over" and last["window"] == "3"
        assert last["data"]["from_window"] == "5" and last["data"]["was"] == ("serving" if serving else "called")
        # window 5 sees that it was taken and can no longer act on it
        status = five.status()
        assert status.current is None
        assert [(t.number, t.by_window) for t in status.taken_over] == [(ticket["number"], "3")]
        with pytest.raises(CentralRejected) as late:
            five.finish(called.id)
        assert "3 号窗口" in late.value.message
        # a ticket nobody holds needs no takeover
        waiting = kiosk(central, category=MARKET)
        with pytest.raises(CentralRejected) as pointless:
            three.take_over(waiting["number"])
        assert "无需接管" in pointless.value.message


def _offline_record(store: Store, window: str, ticket: QueueTicket, kind: str) -> None:
    settings = Settings(window_number=window, clerk_name="李四")
    with store.session() as session, session.begin():
        record(session, settings, ticket, kind)


def test_offline_events_never_move_a_ticket_another_window_moved(central: Central, tmp_path: Path) -> None:
    clock = set_clock(central)
    tokens = add_windows(central, ["3", "5"])
    first, second = kiosk(central, category=MARKET), kiosk(central, category=MARKET)
    store = Store.open_file(tmp_path / "w3" / "hallclient.db")
    try:
        with queue_client(central, tokens["3"], [MARKET]) as three, \
                queue_client(central, tokens["5"], [MARKET]) as five:
            a = three.call_next()
            assert a is not None and a.number == first["number"]
            three.start(a.id)
            # window 3 goes offline and finishes A there; meanwhile window 5 takes A over and finishes it
            _offline_record(store, "3", a, "finished")
            clock.advance(minutes=1)
            five.take_over(a.number)
            five.start(a.id)
            five.finish(a.id)
            # window 3 recalls B offline after B was transferred elsewhere by the window that took it
            b = three.call_number(second["number"])
            _offline_record(store, "3", b, "recalled")
            five.take_over(b.number)
            five.transfer(b.id, category=GENERAL)
        with CentralClient(central.url, tokens["3"]) as client:
            pushed = push_outbox(store, client)
        assert pushed.pushed == 2 and pushed.rejected == 0
        assert len(pushed.warnings) == 2 and all("未生效" in w and "5 号窗口" in w for w in pushed.warnings)
        a_now = central.window("GET", f"/queue/tickets/{a.id}").json()
        assert a_now["state"] == "done" and a_now["window"] == "5"
        kinds = [(e["kind"], e["window"]) for e in a_now["events"]]
        assert kinds[-1] == ("offline_conflict", "3") and ("finished", "5") in kinds
        assert a_now["events"][-1]["data"]["kind"] == "finished" and a_now["events"][-1]["data"]["applied"] is False
        b_now = central.window("GET", f"/queue/tickets/{b.id}").json()
        assert b_now["state"] == "waiting" and b_now["category"] == GENERAL and b_now["window"] is None
        assert b_now["events"][-1]["kind"] == "offline_conflict"
        # both records are confirmed: the window keeps nothing to replay
        with store.session() as session:
            assert outbox_summary(session).waiting == 0
    finally:
        store.close()


def test_kiosk_limits_per_client_and_minute(central: Central) -> None:
    set_clock(central)
    central.extra["kiosk_limits"] = True
    config = central.app.state.queue
    config.kiosk_per_minute, config.kiosk_green_per_minute = 4, 1
    url = f"{central.api}/queue/kiosk/tickets"
    with requests.Session() as http:
        green = http.post(url, json={"category": MARKET, "green": True, "green_reason": "pregnant"}, timeout=10)
        assert green.status_code == 201, green.text
        again = http.post(url, json={"category": MARKET, "green": True, "green_reason": "elderly"}, timeout=10)
        assert again.status_code == 429 and "绿色通道" in again.json()["message"]
        assert int(again.headers["Retry-After"]) >= 1
        answers = [http.post(url, json={"category": MARKET}, timeout=10).status_code for _ in range(4)]
        assert answers == [201, 201, 201, 429]
        no_reason = http.post(url, json={"category": MARKET, "green": True}, timeout=10)
        assert no_reason.status_code == 422 and "老年人" in no_reason.json()["message"]
    # a window issues at its desk regardless (it is not the open dispenser)
    with queue_client(central, central.window_token, [MARKET]) as window:
        assert window.issue(MARKET).number


def test_kiosk_green_channel_is_marked_for_the_clerk_to_check(central: Central) -> None:
    set_clock(central)
    issued = kiosk(central, category=MARKET, green=True, green_reason="disabled")
    assert issued["green_reason"] == "disabled" and issued["green_check"] == "pending"
    slip = requests.get(f"{central.api}/queue/kiosk/tickets/{issued['id']}/slip.pdf", timeout=30)
    assert slip.status_code == 200
    with queue_client(central, central.window_token, [MARKET]) as window:
        called = window.call_next()
        assert called is not None and called.id == issued["id"]
        assert called.green_reason == "disabled" and called.green_check == "pending"
        checked = window.green_check(called.id, eligible=True)
        assert checked.green_check == "ok"
        normal = window.issue(MARKET)
        with pytest.raises(CentralRejected):
            window.green_check(normal.id, eligible=False)  # not this window's current ticket
    event = events_of(central, issued["id"])[-1]
    assert event["kind"] == "green_checked" and event["data"] == {"eligible": True, "reason": "disabled"}
    assert datetime.fromisoformat(event["at"])
    assert uuid.UUID(issued["id"])
