"""The outbox against a real central: in order, idempotent, surviving cut connections and a
central that goes away and comes back."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from hallclient.central.intake import counts
from hallclient.core.catalog_format import parse_catalog
from hallclient.settings import Settings
from hallclient.store import cases_repo
from hallclient.store.database import Store
from hallclient.store.models import OutboxRow
from hallclient.sync.client import CentralClient
from hallclient.sync.outbox import outbox_summary, push_outbox
from hallclient.sync.round import last_good_sync, run_sync_round
from tests.central.support import Central, free_port, make_case
from tests.conftest import small_catalog
from tests.sync.faults import CuttingProxy

ITEMS = parse_catalog(small_catalog()).item_map()
FOOD = ITEMS["11411500MB1234567X-001"]
STALL = ITEMS["11411500MB1234567X-030"]  # cancelled in the catalog


def central_counts(central: Central) -> tuple[int, int]:
    with central.store.session() as session:
        return counts(session)


def outbox_rows(store: Store) -> list[OutboxRow]:
    with store.session() as session:
        return list(session.execute(select(OutboxRow).order_by(OutboxRow.id)).scalars())


def busy_window(store: Store) -> list[str]:
    """Two cases, one supplemented and printed: 2 case rows + 2 event rows in the outbox."""
    first = make_case(store, FOOD, tolerate="floor_plan")
    second = make_case(store, FOOD, name="王五")
    with store.session() as session, session.begin():
        cases_repo.record_supplement(session, first, ["floor_plan"], "李四")
        cases_repo.record_print(session, second, "receipt", "李四", reprint=False)
    return [first, second]


def test_cases_and_events_are_pushed_once_in_order(central: Central, window_store: Store) -> None:
    first, _second = busy_window(window_store)
    report = run_sync_round(window_store, central.settings())
    assert report.ok and (report.pushed, report.waiting) == (4, 0)
    assert central_counts(central) == (2, 2)
    assert central.person("GET", f"/cases/{first}").json()["state"] == "accepted"  # the supplement applied
    assert all(row.done_at for row in outbox_rows(window_store))
    again = run_sync_round(window_store, central.settings())
    assert again.pushed == 0 and central_counts(central) == (2, 2)
    assert last_good_sync(window_store) == again.finished_at


def test_a_case_for_a_cancelled_item_comes_back_with_a_warning(central: Central, window_store: Store) -> None:
    central.publish(small_catalog())
    make_case(window_store, STALL)
    report = run_sync_round(window_store, central.settings())
    assert report.pushed == 1 and any("已取消" in w for w in report.warnings)
    assert any(f"提示：事项 {STALL.code}" in line for line in report.lines())
    assert outbox_rows(window_store)[0].last_error.startswith("中心提示：")  # type: ignore[union-attr]


def test_a_push_whose_answer_is_lost_is_retried_without_a_duplicate(central: Central, window_store: Store) -> None:
    case_uuid = make_case(window_store, FOOD)
    proxy = CuttingProxy(central.port)
    try:
        settings = Settings(central_url=proxy.url, central_token=central.window_token)
        first = run_sync_round(window_store, settings)
        assert proxy.cut == 1 and not first.online and first.pushed == 0
        assert central_counts(central) == (1, 0)  # the central had committed before the cut
        row = outbox_rows(window_store)[0]
        assert row.done_at is None and row.attempts == 1 and "断开" in (row.last_error or "")
        second = run_sync_round(window_store, settings, force=True)
        assert second.ok and second.pushed == 1 and second.waiting == 0
    finally:
        proxy.close()
    assert central_counts(central) == (1, 0)
    assert central.person("GET", f"/cases/{case_uuid}").status_code == 200


def test_the_outbox_drains_after_the_central_comes_back(central: Central, window_store: Store) -> None:
    busy_window(window_store)
    assert run_sync_round(window_store, central.settings()).pushed == 4
    central.stop()
    more = busy_window(window_store)
    offline = run_sync_round(window_store, central.settings())
    assert not offline.online and offline.waiting == 4 and offline.error
    with window_store.session() as session:
        assert outbox_summary(session).waiting == 4
    central.start()  # same database, same port
    assert window_store.path is not None
    restarted = Store.open_file(window_store.path)  # the window restarted too: the queue is in its database
    try:
        back = run_sync_round(restarted, central.settings(), force=True)
    finally:
        restarted.close()
    assert back.ok and (back.pushed, back.waiting) == (4, 0)
    assert central_counts(central) == (4, 4)
    assert central.person("GET", f"/cases/{more[0]}").json()["state"] == "accepted"


def test_a_rejected_record_waits_aside_and_does_not_block_the_rest(central: Central, window_store: Store) -> None:
    bad_uuid = str(uuid.uuid4())
    bad = {"uuid": bad_uuid, "state": "bogus"}
    event = {"uuid": str(uuid.uuid4()), "case_uuid": bad_uuid, "kind": "returned", "at": "2026-09-28T10:00:00",
             "clerk_name": "李四", "data": "{}"}
    with window_store.session() as session, session.begin():
        for kind, record, payload in (("case", bad_uuid, bad), ("case_event", event["uuid"], event)):
            session.execute(insert(OutboxRow).values(kind=kind, record_uuid=record, payload=json.dumps(payload),
                                                     created_at="2026-09-28T09:00:00", attempts=0))
    good = make_case(window_store, FOOD)
    report = run_sync_round(window_store, central.settings())
    assert (report.pushed, report.rejected, report.waiting) == (1, 1, 2)
    rows = outbox_rows(window_store)
    assert rows[0].attempts == 1 and "422" in (rows[0].last_error or "")
    assert rows[1].attempts == 0  # the event of the refused case was not even tried
    assert rows[2].done_at and central.person("GET", f"/cases/{good}").status_code == 200


def test_backoff_grows_with_jitter_and_a_timer_round_waits_for_it(window_store: Store) -> None:
    make_case(window_store, FOOD)
    start = datetime(2026, 9, 28, 9, 0, tzinfo=UTC)
    with CentralClient(f"http://127.0.0.1:{free_port()}", "t", timeout=(1, 1)) as nowhere:
        result = push_outbox(window_store, nowhere, now=lambda: start, rng=lambda: 0.0)
        assert not result.online and result.pushed == 0
        row = outbox_rows(window_store)[0]
        assert row.attempts == 1
        assert datetime.fromisoformat(row.next_attempt_at) == start + timedelta(seconds=1)  # 2 s × 0.5
        waiting = push_outbox(window_store, nowhere, now=lambda: start, rng=lambda: 0.0)
        assert waiting.deferred == 1 and outbox_rows(window_store)[0].attempts == 1
        later = start + timedelta(seconds=2)
        push_outbox(window_store, nowhere, now=lambda: later, rng=lambda: 0.999)
        row = outbox_rows(window_store)[0]
        assert row.attempts == 2
        delay = (datetime.fromisoformat(row.next_attempt_at) - later).total_seconds()
        assert 3.9 < delay <= 4.0  # 2 s × 2, jitter just under 1
        push_outbox(window_store, nowhere, now=lambda: later, force=True)
        assert outbox_rows(window_store)[0].attempts == 3


def test_without_a_central_nothing_is_tried(window_store: Store) -> None:
    make_case(window_store, FOOD)
    report = run_sync_round(window_store, Settings())
    assert report.standalone and report.waiting == 1 and not report.online
    down = run_sync_round(window_store, Settings(central_url=f"127.0.0.1:{free_port()}"))
    assert not down.online and "无法连接" in (down.error or "") and down.waiting == 1


def test_the_calendar_comes_down_too(central: Central, window_store: Store) -> None:
    from hallclient.store.calendar_repo import load_calendar

    year = {"year": 2027, "holidays": ["2027-01-01", "2027-10-01"], "workdays": ["2027-09-26"], "source": "通知"}
    assert central.admin("PUT", "/calendar/2027", json=year).status_code == 200
    assert run_sync_round(window_store, central.settings()).calendar_years == [2027]
    assert run_sync_round(window_store, central.settings()).calendar_years == []
    with window_store.session() as session:
        assert load_calendar(session).knows(2027)


def test_rounds_never_overlap(window_store: Store) -> None:
    from hallclient.sync import round as sync_round

    with sync_round._round_lock:
        report = run_sync_round(window_store, Settings(central_url="http://127.0.0.1:9"))
    assert report.busy and report.lines() == ["同步正在进行中"]
