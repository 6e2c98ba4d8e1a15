"""Case intake, accounts and the calendar over real HTTP, on each engine."""

from __future__ import annotations

import json
import uuid
from typing import Any

import requests

from hallclient.central.intake import counts
from tests.central.support import Central
from tests.conftest import small_catalog

CANCELLED = "11411500MB1234567X-030"


def case_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "uuid": str(uuid.uuid4()), "case_number": f"信高新受〔2026〕03{uuid.uuid4().int % 10**6:06d}",
        "state": "accepted", "decision": "accept", "applicant_name": "张三", "applicant_id": "11010519491231002X",
        "applicant": {"kind": "person", "name": "张三"},
        "item_codes": ["11411500MB1234567X-001"], "item_names": ["食品经营许可（新办）"],
        "bundle_code": None, "bundle_name": None, "checklist": [{"key": "id_card", "status": "received"}],
        "reasons": [], "tolerated": [], "commitments": [], "due_date": "2026-10-10", "deadline_problem": None, "accepted_on": "2026-09-28",
        "window_number": "3", "clerk_name": "李四", "ticket_number": None, "previous_case_uuid": None,
        "return_reason": None, "created_at": "2026-09-28T09:00:00+08:00", "updated_at": "2026-09-28T09:00:00+08:00",
    }
    row.update(overrides)
    return row


def event_row(case_uuid: str, kind: str = "returned", data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"uuid": str(uuid.uuid4()), "case_uuid": case_uuid, "kind": kind, "at": "2026-09-29T10:00:00+08:00",
            "clerk_name": "李四", "data": data or {"reason": "申请人撤回"}}


def put(central: Central, path: str, body: Any) -> requests.Response:
    return central.window("PUT", path, json=body)


def test_a_case_pushed_twice_is_stored_once(central: Central) -> None:
    row = case_row()
    first = put(central, f"/cases/{row['uuid']}", row)
    second = put(central, f"/cases/{row['uuid']}", row)
    assert (first.status_code, first.json()["result"]) == (200, "created")
    assert (second.status_code, second.json()["result"]) == (200, "unchanged")
    newer = dict(row, state="completed", updated_at="2026-10-09T16:00:00+08:00")
    assert put(central, f"/cases/{row['uuid']}", newer).json()["result"] == "updated"
    older = dict(row, state="refused", updated_at="2026-09-01T16:00:00+08:00")
    assert put(central, f"/cases/{row['uuid']}", older).json()["result"] == "unchanged"
    with central.store.session() as session:
        assert counts(session) == (1, 0)
    stored = central.person("GET", f"/cases/{row['uuid']}").json()
    assert stored["state"] == "completed" and stored["pushed_by"] == "3"


def test_a_case_for_a_cancelled_item_is_stored_with_a_warning(central: Central) -> None:
    central.publish(small_catalog())
    row = case_row(item_codes=[CANCELLED, "NO-SUCH-ITEM"])
    answer = put(central, f"/cases/{row['uuid']}", row).json()
    assert answer["result"] == "created"
    assert any("已取消" in w and CANCELLED in w for w in answer["warnings"])
    assert any("不在中心事项清单" in w for w in answer["warnings"])
    duplicate_number = case_row(case_number=row["case_number"])
    answer = put(central, f"/cases/{duplicate_number['uuid']}", duplicate_number).json()
    assert any("受理编号" in w for w in answer["warnings"])


def test_events_need_their_case_and_move_its_state(central: Central) -> None:
    row = case_row(state="awaiting_supplement", decision="accept_with_tolerance")
    early = event_row(row["uuid"], "supplemented", {"keys": ["floor_plan"], "complete": True})
    response = put(central, f"/case-events/{early['uuid']}", early)
    assert response.status_code == 409 and "尚未上报" in response.json()["message"]
    put(central, f"/cases/{row['uuid']}", row)
    assert put(central, f"/case-events/{early['uuid']}", early).json()["result"] == "created"
    assert put(central, f"/case-events/{early['uuid']}", early).json()["result"] == "unchanged"
    stored = central.person("GET", f"/cases/{row['uuid']}").json()
    assert stored["state"] == "accepted" and len(stored["events"]) == 1


def test_invalid_case_pushes_are_refused_with_a_message(central: Central) -> None:
    good = case_row()
    path = f"/cases/{good['uuid']}"
    variants: list[Any] = [
        dict(good, uuid="not-a-uuid"), dict(good, uuid=str(uuid.uuid4())),  # bad / different uuid
        dict(good, state="supplement_overdue"), dict(good, decision="maybe"),
        dict(good, accepted_on="2026-02-30"), dict(good, created_at="yesterday"),
        dict(good, item_codes=json.dumps(["A"])), dict(good, item_codes=[]), dict(good, item_codes=[1]),
        dict(good, applicant=[]), dict(good, checklist=[[]]), dict(good, reasons=["\ud800"]),
        dict(good, applicant_name=""), dict(good, applicant_name="张" * 201), dict(good, clerk_name="李\x00四"),
        dict(good, window_number="3; drop"), dict(good, surprise=1), dict(good, case_number=42),
        {k: v for k, v in good.items() if k != "uuid"}, [], "case", None,
    ]
    for body in variants:
        response = put(central, path, body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["message"].startswith("请求数据无效") or "UUID" in response.json()["message"]
    raw_cases = [b"{", b'{"uuid": "\\ud800"}', "\ufeff{}".encode(), b"\xff\xfe", b"[" * 5000 + b"]" * 5000]
    for raw in raw_cases:
        response = central.window("PUT", path, data=raw, headers={"Content-Type": "application/json"})
        assert 400 <= response.status_code < 500, (raw[:20], response.status_code)
    for evil in (dict(good, applicant_name="\ud800"), dict(good, applicant={"name": "\udc00"}),
                 dict(good, checklist=[{"copies": float("nan")}]), dict(good, applicant={"a": float("inf")})):
        raw = json.dumps(evil).encode()  # NaN/Infinity literals, escaped lone surrogates
        response = central.window("PUT", path, data=raw, headers={"Content-Type": "application/json"})
        assert response.status_code == 422, (evil, response.text)
    with central.store.session() as session:
        assert counts(session) == (0, 0)


def test_accounts_tokens_and_roles(central: Central) -> None:
    created = central.admin("POST", "/accounts", json={"window_number": "7", "name": "综合窗口7"})
    assert created.status_code == 201
    token = created.json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert requests.get(central.api + "/whoami", headers=auth, timeout=10).json()["window_number"] == "7"
    assert central.admin("POST", "/accounts", json={"window_number": "7"}).status_code == 409
    assert central.window("POST", "/accounts", json={"window_number": "8"}).status_code == 403
    assert central.admin("POST", "/accounts", json={"window_number": "7 7"}).status_code == 422
    rotated = central.admin("POST", "/accounts/7/token").json()["token"]
    assert requests.get(central.api + "/whoami", headers=auth, timeout=10).status_code == 401
    assert central.admin("DELETE", "/accounts/7").status_code == 204
    new_auth = {"Authorization": f"Bearer {rotated}"}
    assert requests.get(central.api + "/whoami", headers=new_auth, timeout=10).status_code == 401
    assert central.admin("POST", "/accounts/99/token").status_code == 404
    listed = {a["window_number"]: a for a in central.admin("GET", "/accounts").json()}
    assert listed["7"]["disabled"] is True and listed["3"]["role"] == "window"


def test_the_calendar_is_loaded_by_an_admin_and_read_by_windows(central: Central) -> None:
    year = {"year": 2027, "holidays": ["2027-01-01", "2027-10-01"], "workdays": ["2027-09-26"], "source": "通知"}
    assert central.window("PUT", "/calendar/2027", json=year).status_code == 403
    assert central.admin("PUT", "/calendar/2027", json=year).status_code == 200
    assert central.window("GET", "/calendar").json()["years"] == [year]
    weekday_workday = dict(year, workdays=["2027-09-27"])  # a Monday cannot be a make-up day
    response = central.admin("PUT", "/calendar/2027", json=weekday_workday)
    assert response.status_code == 422 and "星期一" in response.json()["message"]
    assert central.admin("PUT", "/calendar/2028", json=year).status_code == 422
    assert central.admin("PUT", "/calendar/2027", json=dict(year, holidays=["2027-13-01"])).status_code == 422


def test_unknown_paths_and_methods_answer_with_a_message(central: Central) -> None:
    assert central.window("GET", "/nothing").json()["message"] == "没有这个地址"
    assert central.window("DELETE", "/catalog").status_code == 405
