"""好差评 and 有诉即办 at the service layer: one rating per service, 未评价 counted as such,
rectification and complaint deadlines in working days across National Day, overdue flags,
申诉复核, the real-name callback rule, reopening."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from hallclient.core.complaints import ComplaintRefused, Stage
from hallclient.core.evaluation import Channel, Level, RatingRefused, RectState
from hallclient.core.permissions import PermissionDenied
from hallclient.services import complaints, evaluation
from tests.services.conftest import Hall, accept

# Monday before National Day 2026 (10-01..10-07 off, Saturday 10-10 a make-up working day)
BEFORE_HOLIDAY = datetime(2026, 9, 30, 10, 0).astimezone()


def test_one_rating_per_service(hall: Hall) -> None:
    case = accept(hall, hall.clerk3)
    rated = evaluation.rate(hall.ctx, hall.clerk3, case_number=case.case_number, level=Level.SATISFIED,
                            indicators={"attitude": Level.VERY_SATISFIED}).value
    assert rated.label == "满意" and rated.clerk_login == "clerk3" and rated.window_number == "3"
    with pytest.raises(RatingRefused, match="已评价为「满意」.*只能评价一次"):
        evaluation.rate(hall.ctx, hall.clerk3, case_number=case.case_number, level=Level.VERY_SATISFIED)


def test_an_unrated_service_counts_as_unrated_and_may_still_be_rated_once(hall: Hall) -> None:
    case = accept(hall, hall.clerk3)
    unrated = evaluation.rate(hall.ctx, hall.clerk3, case_number=case.case_number, level=None).value
    assert unrated.level is None and unrated.label == "未评价"
    with pytest.raises(RatingRefused, match="已记录为未评价"):
        evaluation.rate(hall.ctx, hall.clerk3, case_number=case.case_number, level=None)
    later = evaluation.rate(hall.ctx, hall.clerk3, case_number=case.case_number, level=Level.BASIC,
                            channel=Channel.QR).value
    assert later.uuid == unrated.uuid and later.label == "基本满意"
    with pytest.raises(RatingRefused):
        evaluation.rate(hall.ctx, hall.clerk3, case_number=case.case_number, level=Level.BASIC)


def test_a_ticket_without_a_case_is_rated_once_too(hall: Hall) -> None:
    evaluation.rate(hall.ctx, hall.clerk3, ticket_number="B007", level=Level.SATISFIED)
    with pytest.raises(RatingRefused):
        evaluation.rate(hall.ctx, hall.clerk3, ticket_number="B007", level=Level.SATISFIED)


def bad(hall: Hall, *, phone: str = "13912345678"):  # type: ignore[no-untyped-def]
    hall.ctx.clock = lambda: BEFORE_HOLIDAY
    case = accept(hall, hall.clerk3)
    evaluation.rate(hall.ctx, hall.clerk3, case_number=case.case_number, level=Level.UNSATISFIED,
                    reasons=("等候时间长",), comment="等了一个小时", phone=phone)
    [task] = evaluation.rectifications(hall.ctx, hall.supervisor)
    return case, task


def test_a_bad_rating_opens_a_task_with_working_day_deadlines_across_the_holiday(hall: Hall) -> None:
    with pytest.raises(RatingRefused, match="差评请选择原因"):
        evaluation.rate(hall.ctx, hall.clerk3, case_number=accept(hall, hall.clerk3, name="王五").case_number,
                        level=Level.VERY_UNSATISFIED)
    _case, task = bad(hall)
    assert task.state is RectState.OPEN and task.clerk_login == "clerk3"
    # from 09-30: contact within 1 working day → 10-08; rectify within 5 → 10-08,09,10,12,13 → 10-13
    assert task.contact_by is not None and task.contact_by.isoformat() == "2026-10-08"
    assert task.rectify_by is not None and task.rectify_by.isoformat() == "2026-10-13"
    assert task.overdue(task.contact_by) == []
    assert task.overdue(task.contact_by + timedelta(days=1)) == ["回访逾期"]
    assert task.overdue(task.rectify_by + timedelta(days=1)) == ["回访逾期", "整改逾期"]
    # overdue first in the supervisor's list
    hall.ctx.clock = lambda: datetime(2026, 10, 14, 9, 0).astimezone()
    assert evaluation.rectifications(hall.ctx, hall.supervisor)[0].overdue(hall.ctx.clock().date())


def test_a_real_name_bad_rating_cannot_close_without_a_callback(hall: Hall) -> None:
    _case, task = bad(hall)
    assert evaluation.callback_phone(hall.ctx, hall.supervisor, task.uuid) == "13912345678"
    with pytest.raises(PermissionDenied):
        evaluation.callback_phone(hall.ctx, hall.clerk3, task.uuid)
    evaluation.advance(hall.ctx, hall.supervisor, task.uuid, "explain", note="高峰期，已增开窗口")
    with pytest.raises(RatingRefused, match="实名差评须先回访"):
        evaluation.advance(hall.ctx, hall.supervisor, task.uuid, "close", note="结案")


def test_rectify_then_the_applicant_judges_the_fix(hall: Hall) -> None:
    _case, task = bad(hall)
    evaluation.advance(hall.ctx, hall.supervisor, task.uuid, "contact", note="已电话联系申请人")
    evaluation.advance(hall.ctx, hall.supervisor, task.uuid, "rectify", note="增设取号引导")
    with pytest.raises(RatingRefused, match="申请人对整改的评价"):
        evaluation.advance(hall.ctx, hall.supervisor, task.uuid, "close", note="结案")
    done = evaluation.advance(hall.ctx, hall.supervisor, task.uuid, "close", note="结案", verdict="满意").value
    assert done.state is RectState.CLOSED and done.verdict == "满意"
    assert [h["action"] for h in done.history] == ["contact", "rectify", "close"]
    # the clerk concerned sees the outcome, never the phone
    [(rating, rect)] = evaluation.my_ratings(hall.ctx, hall.clerk3)
    assert rating.has_phone is False and rect is not None and rect.state is RectState.CLOSED
    with pytest.raises(PermissionDenied, match="不能处理差评整改：需要大厅管理人员权限"):
        evaluation.advance(hall.ctx, hall.clerk3, task.uuid, "contact", note="x")


def test_an_appeal_is_decided_by_the_supervisor_with_a_reason(hall: Hall) -> None:
    _case, task = bad(hall, phone="")
    evaluation.advance(hall.ctx, hall.supervisor, task.uuid, "appeal", note="申请人误评：系统故障非窗口原因")
    with pytest.raises(RatingRefused, match="是否成立"):
        evaluation.advance(hall.ctx, hall.supervisor, task.uuid, "decide_appeal", note="复核")
    done = evaluation.advance(hall.ctx, hall.supervisor, task.uuid, "decide_appeal", note="经查属实",
                              upheld=True).value
    assert done.state is RectState.CLOSED and done.appeal_upheld is True


def test_a_complaint_from_registration_to_the_archive(hall: Hall) -> None:
    hall.ctx.clock = lambda: BEFORE_HOLIDAY
    with pytest.raises(ComplaintRefused, match="反映的问题"):
        complaints.register(hall.ctx, hall.proxy, complainant="刘女士", contact="13700000000", what_happened=" ")
    made = complaints.register(hall.ctx, hall.proxy, complainant="刘女士", contact="13700000000",
                               what_happened="窗口要求重复提交材料", about_window="3").value
    assert made.owner_login == "proxy" and made.stage is Stage.REGISTERED
    assert made.stage_due is not None and made.stage_due.isoformat() == "2026-10-09"  # 2 working days
    with pytest.raises(PermissionDenied, match="责任人（proxy）"):
        complaints.advance(hall.ctx, hall.clerk3, made.number, "accept")
    handed = complaints.advance(hall.ctx, hall.proxy, made.number, "handover", to_login="supervisor",
                                note="转大厅管理").value
    assert handed.owner_login == "supervisor"
    for action, note in (("accept", ""), ("handle", "调取录像核实"), ("handled", "已向申请人说明并致歉")):
        complaints.advance(hall.ctx, hall.supervisor, made.number, action, note=note)
    with pytest.raises(ComplaintRefused, match="须回访"):
        complaints.advance(hall.ctx, hall.supervisor, made.number, "archive")
    reopened = complaints.advance(hall.ctx, hall.supervisor, made.number, "callback", note="回访",
                                  verdict="不满意").value
    assert reopened.stage is Stage.HANDLING and reopened.reopened == 1
    complaints.advance(hall.ctx, hall.supervisor, made.number, "handled", note="窗口负责人当面致歉")
    complaints.advance(hall.ctx, hall.supervisor, made.number, "callback", note="回访", verdict="满意")
    archived = complaints.advance(hall.ctx, hall.supervisor, made.number, "archive").value
    assert archived.stage is Stage.ARCHIVED and archived.closed_on_time is True
    assert [h["action"] for h in archived.history][0] == "register"


def test_an_overdue_complaint_is_flagged_first(hall: Hall) -> None:
    hall.ctx.clock = lambda: BEFORE_HOLIDAY
    late = complaints.register(hall.ctx, hall.supervisor, complainant="甲", contact="", what_happened="a").value
    hall.ctx.clock = lambda: datetime(2026, 10, 12, 9, 0).astimezone()
    complaints.register(hall.ctx, hall.supervisor, complainant="乙", contact="", what_happened="b")
    listed = complaints.list_complaints(hall.ctx, hall.supervisor)
    assert listed[0].number == late.number and listed[0].overdue(hall.ctx.clock().date())
    assert not listed[1].overdue(hall.ctx.clock().date())


def test_a_bad_rating_becomes_a_complaint_without_retyping(hall: Hall) -> None:
    case, task = bad(hall)
    made = complaints.from_rating(hall.ctx, hall.supervisor, task.rating_uuid, complainant="张三").value
    assert made.case_number == case.case_number and made.about_window == "3" and made.about_clerk == "clerk3"
    assert "等候时间长" in made.what_happened and made.contact == "13912345678"
    with pytest.raises(ComplaintRefused, match=f"已转为投诉 {made.number}"):
        complaints.from_rating(hall.ctx, hall.supervisor, task.rating_uuid, complainant="张三")
