"""Cases in the store: numbering, outbox in the same transaction, supplement, return, filters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from hallclient.core.cases import Applicant, CaseDraft, CaseState, ChecklistEntry
from hallclient.core.catalog_format import parse_catalog
from hallclient.core.checklist import MaterialMark, MaterialStatus, build_checklist, decide
from hallclient.core.workdays import WorkCalendar
from hallclient.store import cases_repo
from hallclient.store.cases_repo import CaseFilter, CaseStateError
from hallclient.store.database import Store
from hallclient.store.models import OutboxRow
from tests.conftest import small_catalog

PATTERN = "信高新受〔{year}〕{window:0>2}{seq:0>6}"
FOOD = parse_catalog(small_catalog()).item_map()["11411500MB1234567X-001"]
MONDAY = date(2026, 9, 28)


def draft(marks: dict[str, MaterialMark], name: str = "张三", window: str = "3", on: date = MONDAY) -> CaseDraft:
    rows = build_checklist([FOOD])
    result = decide([FOOD], marks, accepted_on=on, calendar=WorkCalendar())
    return CaseDraft(
        applicant=Applicant(name=name, id_number="11010519491231002X", phone="13812345678"),
        item_codes=(FOOD.code,), item_names=(FOOD.name,), bundle_code=None, bundle_name=None,
        checklist=tuple(ChecklistEntry(r.material.key, r.material.name, marks.get(r.material.key, MaterialMark()))
                        for r in rows),
        result=result, accepted_on=on, window_number=window, clerk_name="李四",
    )


RECEIVED = MaterialMark(MaterialStatus.RECEIVED, original=True, copies=1)
ALL = {
    "application_form": RECEIVED, "business_license": MaterialMark(MaterialStatus.E_LICENSE, license_number="L1"),
    "id_card": MaterialMark(MaterialStatus.E_LICENSE), "floor_plan": RECEIVED, "food_safety_rules": RECEIVED,
    "power_of_attorney": MaterialMark(MaterialStatus.NOT_APPLICABLE, reason="本人办理"),
}
TOLERATED = dict(ALL, floor_plan=MaterialMark(MaterialStatus.TOLERATED))


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = Store.open_file(tmp_path / "hallclient.db")
    yield s
    s.close()


def test_numbers_follow_the_pattern_and_carry_the_window(store: Store) -> None:
    with store.session() as session, session.begin():
        first = cases_repo.create_case(session, draft(ALL), PATTERN)
        second = cases_repo.create_case(session, draft(ALL), PATTERN)
    assert first.case_number == "信高新受〔2026〕03000001"
    assert second.case_number == "信高新受〔2026〕03000002"
    assert first.state is CaseState.ACCEPTED and first.due_date == date(2026, 10, 10)  # the make-up Saturday counts


def test_case_and_outbox_commit_together_or_not_at_all(store: Store) -> None:
    with pytest.raises(RuntimeError), store.session() as session, session.begin():
        cases_repo.create_case(session, draft(ALL), PATTERN)
        raise RuntimeError("power cut before commit")
    with store.session() as session:
        assert cases_repo.list_cases(session, CaseFilter(), MONDAY) == []
        assert cases_repo.pending_outbox(session) == 0
    with store.session() as session, session.begin():
        case = cases_repo.create_case(session, draft(ALL), PATTERN)
    with store.session() as session:
        rows = session.execute(select(OutboxRow.kind, OutboxRow.record_uuid)).all()
    assert [(r.kind, r.record_uuid) for r in rows] == [("case", case.uuid)]


def test_supplement_moves_a_tolerance_case_on(store: Store) -> None:
    with store.session() as session, session.begin():
        case = cases_repo.create_case(session, draft(TOLERATED), PATTERN)
    assert case.state is CaseState.AWAITING_SUPPLEMENT
    assert case.supplement_by == date(2026, 10, 8)  # 3 working days over the National Day week
    assert case.effective_state(date(2026, 10, 8)) is CaseState.AWAITING_SUPPLEMENT
    assert case.effective_state(date(2026, 10, 9)) is CaseState.SUPPLEMENT_OVERDUE
    with store.session() as session, session.begin():
        done = cases_repo.record_supplement(session, case.uuid, ["floor_plan"], "李四")
    assert done.state is CaseState.ACCEPTED
    assert [e["kind"] for e in done.events] == ["created", "supplemented"]
    assert next(e for e in done.checklist if e.key == "floor_plan").mark.status is MaterialStatus.RECEIVED
    with store.session() as session:
        assert cases_repo.pending_outbox(session) == 2


def test_overdue_filter_and_return_with_reason(store: Store) -> None:
    with store.session() as session, session.begin():
        late = cases_repo.create_case(session, draft(TOLERATED, name="王五"), PATTERN)
        cases_repo.create_case(session, draft(ALL, name="赵六"), PATTERN)
    later = date(2026, 10, 20)
    with store.session() as session:
        overdue = cases_repo.list_cases(session, CaseFilter(state=CaseState.SUPPLEMENT_OVERDUE), later)
        assert [c.applicant.name for c in overdue] == ["王五"]
        assert cases_repo.list_cases(session, CaseFilter(state=CaseState.AWAITING_SUPPLEMENT), later) == []
        assert [c.applicant.name for c in cases_repo.list_cases(session, CaseFilter(text="赵"), later)] == ["赵六"]
        assert len(cases_repo.list_cases(session, CaseFilter(text="03000001"), later)) == 1
        assert len(cases_repo.list_cases(session, CaseFilter(text="11010519491231002x"), later)) == 2
    with pytest.raises(CaseStateError, match="退件须填写原因"), store.session() as session, session.begin():
        cases_repo.return_case(session, late.uuid, "  ", "李四")
    with store.session() as session, session.begin():
        returned = cases_repo.return_case(session, late.uuid, "逾期未补正平面布局图", "李四")
    assert returned.state is CaseState.RETURNED and returned.return_reason == "逾期未补正平面布局图"
    with pytest.raises(CaseStateError, match="已退件"), store.session() as session, session.begin():
        cases_repo.record_supplement(session, late.uuid, ["floor_plan"], "李四")


def test_one_time_notice_case_keeps_the_checklist_for_the_next_visit(store: Store) -> None:
    marks = dict(ALL, food_safety_rules=MaterialMark(MaterialStatus.DEFECTIVE, reason="未盖公章"))
    del marks["application_form"]
    with store.session() as session, session.begin():
        case = cases_repo.create_case(session, draft(marks), PATTERN)
    assert case.state is CaseState.ONE_TIME_NOTICED and case.due_date is None
    defect = next(e for e in case.checklist if e.key == "food_safety_rules")
    assert defect.mark.reason == "未盖公章"
    with store.session() as session:
        assert cases_repo.find_by_number(session, case.case_number) == case


def test_partial_supplement_only_counts_outstanding_deadlines(store: Store) -> None:
    from dataclasses import replace as dc_replace

    two = dict(TOLERATED)
    with store.session() as session, session.begin():
        case = cases_repo.create_case(session, draft(two), PATTERN)
    # Pretend a second tolerated material with an earlier deadline, already supplemented.
    earlier = {"key": "x", "name": "x", "supplement_by": "2026-09-29", "supplemented_at": "2026-09-29T10:00:00"}
    widened = dc_replace(case, tolerated=(earlier, *case.tolerated))
    assert widened.supplement_by == date(2026, 10, 8)
    assert widened.effective_state(date(2026, 10, 1)) is CaseState.AWAITING_SUPPLEMENT


def test_reintake_is_recorded_on_the_noticed_case(store: Store) -> None:
    from dataclasses import replace as dc_replace

    with store.session() as session, session.begin():
        noticed = cases_repo.create_case(session, draft({}), PATTERN)
    assert not noticed.followed_up
    with store.session() as session, session.begin():
        again = cases_repo.create_case(session, dc_replace(draft(ALL), previous_case_uuid=noticed.uuid), PATTERN)
        old = cases_repo.load_case(session, noticed.uuid)
    assert again.previous_case_uuid == noticed.uuid
    assert old.followed_up
    assert old.events[-1]["data"]["case_number"] == again.case_number
