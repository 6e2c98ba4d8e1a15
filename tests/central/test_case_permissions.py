"""Case permissions at the central's API: two windows (3, 7), two departments, every role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.central.people_support import (
    HEALTH_ITEM,
    ID_NUMBER,
    PHONE,
    Clock,
    as_person,
    hall_case,
    push,
    session_of,
    start_hall,
)
from tests.central.support import Central
from tests.central.test_intake_api import event_row


@pytest.fixture
def hall(central_db_url: str) -> Iterator[Central]:
    running = start_hall(central_db_url, Clock())
    try:
        yield running
    finally:
        running.stop()
        running.store.close()


def _cases(hall: Central) -> dict[str, dict[str, Any]]:
    """Window 3: a market case; window 7: a market case and a health case."""
    w7 = hall.extra["window7"]
    rows = {"w3_market": hall_case("3"), "w7_market": hall_case("7"), "w7_health": hall_case("7", HEALTH_ITEM)}
    for name, row in rows.items():
        answer = push(hall, hall.window_token if name.startswith("w3") else w7, row)
        assert answer.status_code == 200, answer.text
    return rows


def _reader(hall: Central, login: str, device: str = "3"):  # type: ignore[no-untyped-def]
    token = hall.window_token if device == "3" else hall.extra["window7"]
    session = session_of(hall, token, login)
    return lambda method, path, **kw: as_person(hall, token, session, method, path, **kw)


def test_a_clerk_reads_only_their_windows_cases_with_full_personal_data(hall: Central) -> None:
    rows = _cases(hall)
    clerk3 = _reader(hall, "clerk3")
    own = clerk3("GET", f"/cases/{rows['w3_market']['uuid']}")
    assert own.status_code == 200
    assert own.json()["case"]["applicant"]["id_number"] == ID_NUMBER
    assert own.json()["case"]["applicant_id"] == ID_NUMBER and own.json()["case"]["applicant"]["phone"] == PHONE
    other = clerk3("GET", f"/cases/{rows['w7_market']['uuid']}")
    assert other.status_code == 403
    assert "不能查看办件" in other.json()["message"] and "7 号窗口" in other.json()["message"]
    listed = clerk3("GET", "/cases").json()["cases"]
    assert [c["uuid"] for c in listed] == [rows["w3_market"]["uuid"]]
    # the same person signed in on window 7's device reads window 7's cases, not window 3's
    clerk3_at_7 = _reader(hall, "clerk3", device="7")
    assert clerk3_at_7("GET", f"/cases/{rows['w7_market']['uuid']}").status_code == 200
    assert clerk3_at_7("GET", f"/cases/{rows['w3_market']['uuid']}").status_code == 403


def test_a_chief_representative_reads_only_their_departments_cases(hall: Central) -> None:
    rows = _cases(hall)
    market = _reader(hall, "chief_market", device="7")
    for name in ("w3_market", "w7_market"):
        answer = market("GET", f"/cases/{rows[name]['uuid']}")
        assert answer.status_code == 200 and answer.json()["case"]["applicant"]["id_number"] == ID_NUMBER
    refused = market("GET", f"/cases/{rows['w7_health']['uuid']}")
    assert refused.status_code == 403 and "首席代表" in refused.json()["message"]
    assert {c["uuid"] for c in market("GET", "/cases").json()["cases"]} == {
        rows["w3_market"]["uuid"], rows["w7_market"]["uuid"]}
    health = _reader(hall, "chief_health")
    assert [c["uuid"] for c in health("GET", "/cases").json()["cases"]] == [rows["w7_health"]["uuid"]]
    assert health("GET", f"/cases/{rows['w3_market']['uuid']}").status_code == 403


def test_a_supervisor_reads_every_case_but_masked(hall: Central) -> None:
    rows = _cases(hall)
    supervisor = _reader(hall, "super")
    for row in rows.values():
        answer = supervisor("GET", f"/cases/{row['uuid']}")
        assert answer.status_code == 200
        case = answer.json()["case"]
        assert case["applicant"]["id_number"] == "4115**********345X" and case["applicant_id"] == "4115**********345X"
        assert case["applicant"]["phone"] == "139****5678"
        assert ID_NUMBER not in answer.text and PHONE not in answer.text
    listed = supervisor("GET", "/cases", params={"applicant_id": ID_NUMBER.lower()})
    assert len(listed.json()["cases"]) == 3 and ID_NUMBER not in listed.text
    assert len(supervisor("GET", "/cases", params={"window": "7"}).json()["cases"]) == 2


@pytest.mark.parametrize("login", ["helper", "boss"])
def test_proxy_staff_and_administrators_read_no_case(hall: Central, login: str) -> None:
    rows = _cases(hall)
    reader = _reader(hall, login)
    for path in (f"/cases/{rows['w3_market']['uuid']}", "/cases"):
        answer = reader("GET", path)
        assert answer.status_code == 403
        assert "窗口受理人员或首席代表或大厅管理人员" in answer.json()["message"]


def test_reading_a_case_needs_a_person_session(hall: Central) -> None:
    rows = _cases(hall)
    bare = hall.window("GET", f"/cases/{rows['w3_market']['uuid']}")
    assert bare.status_code == 401 and "登录" in bare.json()["message"]
    forged = hall.window("GET", "/cases", headers={"X-Hallclient-Session": "hs_forged"})
    assert forged.status_code == 401


def test_a_window_cannot_push_another_windows_case(hall: Central) -> None:
    rows = _cases(hall)
    w7 = hall.extra["window7"]
    claiming = hall_case("7")  # window 3's device claims a case of window 7
    refused = push(hall, hall.window_token, claiming)
    assert refused.status_code == 403 and refused.json()["message"] == "不能上报：该办件属于 7 号窗口"
    rewrite = dict(rows["w3_market"], window_number="7", state="completed", updated_at="2026-10-09T16:00:00+08:00")
    refused = push(hall, w7, rewrite)  # window 7 rewrites window 3's stored case
    assert refused.status_code == 403 and refused.json()["message"] == "不能上报：该办件属于 3 号窗口"
    event = event_row(rows["w7_market"]["uuid"])
    answer = hall.window("PUT", f"/case-events/{event['uuid']}", json=event)
    assert answer.status_code == 403 and answer.json()["message"] == "不能上报：该办件属于 7 号窗口"
    assert hall.admin("PUT", f"/cases/{claiming['uuid']}", json=claiming).status_code == 403
    state = _reader(hall, "super")("GET", f"/cases/{rows['w3_market']['uuid']}").json()["state"]
    assert state == "accepted"  # nothing changed
