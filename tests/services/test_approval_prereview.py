"""The chief representative's decisions and the proxy's pre-review, at the service layer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hallclient.core.approval import ApprovalOutcome, ApprovalRefused, Authorisation
from hallclient.core.cases import Applicant, CaseState
from hallclient.core.checklist import MaterialMark, MaterialStatus
from hallclient.core.intake import Intake
from hallclient.core.permissions import PermissionDenied
from hallclient.core.prereview import PrereviewOutcome, PrereviewUnusable
from hallclient.services import approval, catalog, prereview
from hallclient.services import cases as case_service
from tests.services.conftest import CLINIC, FOOD, HEALTH, ID_NUMBER, MARKET, PHONE, Hall, accept

TODAY = date(2026, 9, 28)


def authorise(hall: Hall, login: str, dept: str, **kw: object) -> Authorisation:
    return approval.set_authorisation(hall.ctx, hall.admin, Authorisation(login, 0, (dept,), **kw)).value  # type: ignore[arg-type]


def test_approve_on_site_within_the_authorisation(hall: Hall) -> None:
    case = accept(hall, hall.clerk3, CLINIC)
    assert [c.uuid for c in approval.inbox(hall.ctx, hall.chief_health, TODAY)] == [case.uuid]
    assert approval.inbox(hall.ctx, hall.chief_market, TODAY) == []
    with pytest.raises(ApprovalRefused, match="没有有效的首席代表授权书"):
        approval.decide(hall.ctx, hall.chief_health, case.uuid, ApprovalOutcome.APPROVED, today=TODAY)
    assert authorise(hall, "chief_health", HEALTH).version == 1
    done = approval.decide(hall.ctx, hall.chief_health, case.uuid, ApprovalOutcome.APPROVED, today=TODAY).value
    assert done.state is CaseState.COMPLETED
    event = done.events[-1]
    assert event["kind"] == "approved" and event["data"]["chief"] == "chief_health"
    assert "minutes_since_acceptance" in event["data"]
    assert approval.inbox(hall.ctx, hall.chief_health, TODAY) == []
    with pytest.raises(Exception, match="不能审批"):  # decided once
        approval.decide(hall.ctx, hall.chief_health, case.uuid, ApprovalOutcome.APPROVED, today=TODAY)


def test_who_may_not_approve(hall: Hall) -> None:
    case = accept(hall, hall.clerk3, CLINIC)
    authorise(hall, "chief_market", MARKET)
    with pytest.raises(PermissionDenied, match=f"不能审批：需要首席代表（{HEALTH}）权限"):
        approval.decide(hall.ctx, hall.clerk3, case.uuid, ApprovalOutcome.APPROVED, today=TODAY)
    with pytest.raises(PermissionDenied, match=f"首席代表（{HEALTH}）"):
        approval.decide(hall.ctx, hall.chief_market, case.uuid, ApprovalOutcome.APPROVED, today=TODAY)


def test_the_authorisation_limits_items_and_dates(hall: Hall) -> None:
    case = accept(hall, hall.clerk3, CLINIC)
    authorise(hall, "chief_health", HEALTH, valid_to=TODAY - timedelta(days=1))
    with pytest.raises(ApprovalRefused, match="已于 2026-09-27 到期"):
        approval.decide(hall.ctx, hall.chief_health, case.uuid, ApprovalOutcome.APPROVED, today=TODAY)
    authorise(hall, "chief_health", HEALTH, item_codes=("OTHER-ITEM",))
    with pytest.raises(ApprovalRefused, match="第 2 版）未授权事项"):
        approval.decide(hall.ctx, hall.chief_health, case.uuid, ApprovalOutcome.APPROVED, today=TODAY)


def test_an_item_that_needs_the_back_office_is_not_approved_on_site(hall: Hall) -> None:
    case = accept(hall, hall.clerk3, FOOD)
    authorise(hall, "chief_market", MARKET)
    with pytest.raises(ApprovalRefused, match="不能当场办结，请转后台审批"):
        approval.decide(hall.ctx, hall.chief_market, case.uuid, ApprovalOutcome.APPROVED, today=TODAY)
    sent = approval.decide(hall.ctx, hall.chief_market, case.uuid, ApprovalOutcome.TO_BACK_OFFICE,
                           expected_days=5, today=TODAY).value
    # 9-29, 9-30, (National Day 10-01..07), 10-08, 10-09 and the make-up Saturday 10-10
    assert sent.state is CaseState.IN_APPROVAL and sent.events[-1]["data"]["expected_by"] == "2026-10-10"


def test_deny_send_back_and_extend(hall: Hall) -> None:
    authorise(hall, "chief_health", HEALTH)
    first = accept(hall, hall.clerk3, CLINIC)
    with pytest.raises(ApprovalRefused, match="须写明理由"):
        approval.decide(hall.ctx, hall.chief_health, first.uuid, ApprovalOutcome.DENIED, reasons=[" "], today=TODAY)
    denied = approval.decide(hall.ctx, hall.chief_health, first.uuid, ApprovalOutcome.DENIED,
                             reasons=["诊所选址不符合规划"], today=TODAY).value
    assert denied.state is CaseState.DENIED
    second = accept(hall, hall.clerk3, CLINIC, name="王五")
    back = approval.decide(hall.ctx, hall.chief_health, second.uuid, ApprovalOutcome.SENT_BACK,
                           opinion="健康证明须为本年度", today=TODAY).value
    assert back.state is CaseState.SENT_BACK and back.events[-1]["data"]["opinion"] == "健康证明须为本年度"
    # the accepting window sees the opinion on its own case
    assert case_service.load_case(hall.ctx, hall.clerk3, second.uuid).events[-1]["data"]["opinion"]
    third = accept(hall, hall.clerk3, FOOD, name="赵六")
    with pytest.raises(ApprovalRefused, match="1–10 个工作日"):
        approval.decide(hall.ctx, hall.chief_market, third.uuid, ApprovalOutcome.EXTENDED, days=11, reason="x")
    extended = approval.decide(hall.ctx, hall.chief_market, third.uuid, ApprovalOutcome.EXTENDED, days=10,
                               reason="需现场核查").value
    assert third.due_date is not None and extended.due_date is not None
    assert extended.due_date > third.due_date and extended.state is third.state


def pre(hall: Hall, marks: dict[str, MaterialMark], **kw: object):  # type: ignore[no-untyped-def]
    items = catalog.load_items(hall.ctx, [FOOD])
    return prereview.create(hall.ctx, hall.proxy, items=items, bundle=None,
                            applicant=Applicant(name="张三", id_number=ID_NUMBER, phone=PHONE), marks=marks,
                            remarks={"floor_plan": "需标注面积"}, remark="材料基本齐全", **kw).value  # type: ignore[arg-type]


ALL_FOOD = {"application_form": MaterialMark(MaterialStatus.RECEIVED, original=True),
            "business_license": MaterialMark(MaterialStatus.E_LICENSE, license_number="L1"),
            "id_card": MaterialMark(MaterialStatus.E_LICENSE, license_number="L2"),
            "floor_plan": MaterialMark(MaterialStatus.RECEIVED, original=True),
            "food_safety_rules": MaterialMark(MaterialStatus.RECEIVED, original=True)}


def test_a_prereview_is_taken_up_once_for_its_items(hall: Hall) -> None:
    missing = pre(hall, {k: v for k, v in ALL_FOOD.items() if k != "floor_plan"})
    assert missing.outcome is PrereviewOutcome.MISSING and missing.missing == ("经营场所平面布局图",)
    made = pre(hall, ALL_FOOD)
    assert made.outcome is PrereviewOutcome.COMPLETE and made.number.startswith("YS")
    assert prereview.interception_rate(hall.ctx) == (1, 2)

    with pytest.raises(PermissionDenied, match="不能受理办件"):
        prereview.for_intake(hall.ctx, hall.proxy, made.number)
    taken = prereview.for_intake(hall.ctx, hall.clerk3, made.number)
    items = catalog.load_items(hall.ctx, taken.item_codes)
    intake = Intake.from_prereview(taken, items, None)
    assert intake.applicant.id_number == ID_NUMBER and intake.marks["floor_plan"].status is MaterialStatus.RECEIVED
    assert intake.unconfirmed == {r.material.key for r in intake.rows}
    result = intake.result(TODAY, catalog.load_calendar(hall.ctx))
    draft = intake.draft(result, today=TODAY, window="3", clerk="李三")
    case = case_service.create_case(hall.ctx, hall.clerk3, draft).value
    assert case.prereview_number == made.number
    seen = prereview.show(hall.ctx, hall.proxy, made.number)
    assert seen.used_case_number == case.case_number and seen.used_window == "3"
    with pytest.raises(PrereviewUnusable, match="已被使用"):
        prereview.for_intake(hall.ctx, hall.clerk3, made.number)
    with pytest.raises(PrereviewUnusable, match="已被使用"):
        case_service.create_case(hall.ctx, hall.clerk3, draft)


def test_an_expired_prereview_is_refused(hall: Hall) -> None:
    made = pre(hall, ALL_FOOD)
    later = hall.ctx.clock() + timedelta(days=hall.ctx.settings.prereview_valid_days + 1)
    hall.ctx.clock = lambda: later
    with pytest.raises(PrereviewUnusable, match="已于 .* 过期"):
        prereview.for_intake(hall.ctx, hall.clerk3, made.number)


def test_only_proxy_staff_prereview_and_agents_need_a_letter(hall: Hall) -> None:
    from hallclient.core.prereview import Consent

    items = catalog.load_items(hall.ctx, [FOOD])
    with pytest.raises(PermissionDenied, match="不能预审：需要帮办代办人员权限"):
        prereview.create(hall.ctx, hall.clerk3, items=items, bundle=None, applicant=Applicant(name="张三"),
                         marks={})
    with pytest.raises(PrereviewUnusable, match="委托书"):
        pre(hall, ALL_FOOD, consent=Consent.AGENT)
    with pytest.raises(PermissionDenied):
        prereview.show(hall.ctx, hall.chief_market, pre(hall, ALL_FOOD).number)
