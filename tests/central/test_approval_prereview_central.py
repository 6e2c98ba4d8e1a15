"""Pre-reviews across windows through a real central: made at a proxy's client, taken up by number
at window 3 (fetched from the central), recorded on the case, refused at window 7 with where it was
used, and the proxy sees what became of it; an expired one is refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from hallclient.central.accounts import create_account
from hallclient.core.cases import Applicant
from hallclient.core.intake import Intake
from hallclient.core.permissions import PermissionDenied
from hallclient.core.prereview import PrereviewUnusable
from hallclient.services import cases as case_service
from hallclient.services import catalog, prereview
from hallclient.services.prereview import PrereviewNotFound
from tests.central.people_support import Clock, start_hall
from tests.central.support import Central
from tests.central.test_approval_round_trip import Desk, desk
from tests.services.conftest import FOOD, ID_NUMBER, PHONE
from tests.services.test_approval_prereview import ALL_FOOD, TODAY


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[Central]:
    running = start_hall(f"sqlite:///{tmp_path / 'central.db'}", Clock())
    with running.store.session() as session, session.begin():
        running.extra["proxy_device"] = create_account(session, "20", "帮办代办席")
    try:
        yield running
    finally:
        running.stop()
        running.store.close()


@pytest.fixture
def desks(tmp_path: Path, hall: Central) -> Iterator[dict[str, Desk]]:
    made = {"proxy": desk(tmp_path, hall, "proxy", "20", hall.extra["proxy_device"]),
            "w3": desk(tmp_path, hall, "w3", "3", hall.window_token),
            "w7": desk(tmp_path, hall, "w7", "7", hall.extra["window7"])}
    yield made
    for one in made.values():
        one.ws.close()


def made_at_proxy(proxy: Desk):  # type: ignore[no-untyped-def]
    actor = proxy.sign_in("helper")
    items = catalog.load_items(proxy.ws.services, [FOOD])
    made = prereview.create(proxy.ws.services, actor, items=items, bundle=None,
                            applicant=Applicant(name="张三", id_number=ID_NUMBER, phone=PHONE), marks=ALL_FOOD,
                            remarks={"floor_plan": "需标注面积"}).value
    assert proxy.poll().pushed >= 1
    return made


def test_taken_up_at_3_from_the_central_refused_at_7_and_the_proxy_sees_it(desks: dict[str, Desk]) -> None:
    proxy, w3, w7 = desks["proxy"], desks["w3"], desks["w7"]
    made = made_at_proxy(proxy)
    clerk = w3.sign_in("clerk3")
    taken = prereview.for_intake(w3.ws.services, clerk, made.number)  # not here: from the central
    assert taken.applicant.id_number == ID_NUMBER and taken.remarks["floor_plan"] == "需标注面积"
    intake = Intake.from_prereview(taken, catalog.load_items(w3.ws.services, taken.item_codes), None)
    draft = intake.draft(intake.result(TODAY, catalog.load_calendar(w3.ws.services)), today=TODAY, window="3",
                         clerk=clerk.name)
    case = case_service.create_case(w3.ws.services, clerk, draft).value
    assert case.prereview_number == made.number
    assert w3.poll().pushed >= 1  # the case tells the central the pre-review is used

    clerk7 = w7.sign_in("clerk7")
    with pytest.raises(PrereviewUnusable, match=f"已被使用（3 号窗口，办件 {case.case_number}）"):
        prereview.for_intake(w7.ws.services, clerk7, made.number)
    with pytest.raises(PermissionDenied):
        prereview.for_intake(proxy.ws.services, proxy.actor, made.number)  # a proxy cannot take it up

    from hallclient.sync.round import run_sync_round

    assert run_sync_round(proxy.ws.store, proxy.ws.settings).ok  # what became of it
    seen = prereview.show(proxy.ws.services, proxy.actor, made.number)  # type: ignore[arg-type]
    assert (seen.used_window, seen.used_case_number) == ("3", case.case_number)


def test_expired_and_unknown_numbers(desks: dict[str, Desk]) -> None:
    proxy, w3 = desks["proxy"], desks["w3"]
    made = made_at_proxy(proxy)
    clerk = w3.sign_in("clerk3")
    later = w3.ws.services.clock() + timedelta(days=w3.ws.settings.prereview_valid_days + 1)
    w3.ws.services.clock = lambda: later
    with pytest.raises(PrereviewUnusable, match="过期"):
        prereview.for_intake(w3.ws.services, clerk, made.number)
    with pytest.raises(PrereviewNotFound, match="本机与中心均无"):
        prereview.for_intake(w3.ws.services, clerk, "YS2026010199999")
