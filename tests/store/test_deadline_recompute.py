"""Loading next year's notice that moves days of this December moves open cases' deadlines."""

from __future__ import annotations

from datetime import date

from hallclient.core.workdays import WorkCalendar, YearArrangement
from hallclient.store import cases_repo
from hallclient.store.database import Store
from hallclient.store.deadline_recompute import recompute_open_cases
from tests.store.test_cases_repo import ALL, PATTERN, TOLERATED, draft, store  # noqa: F401

NOTICE_2027 = YearArrangement.from_json({
    "year": 2027, "holidays": ["2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03"],
    "workdays": ["2026-12-26"], "source": "测试用虚构安排",
})


def test_open_cases_move_with_the_new_calendar(store: Store) -> None:  # noqa: F811
    on = date(2026, 12, 23)  # 5 working days: 12-30 before, 12-29 after the 2027 notice
    with store.session() as session, session.begin():
        accepted = cases_repo.create_case(session, draft(ALL, on=on), PATTERN)
        tolerated = cases_repo.create_case(session, draft(TOLERATED, on=on), PATTERN)
        early = cases_repo.create_case(session, draft(ALL, on=date(2026, 9, 28)), PATTERN)
    assert accepted.due_date == date(2026, 12, 30)
    old, new = WorkCalendar(), WorkCalendar([NOTICE_2027])
    with store.session() as session, session.begin():
        moved = recompute_open_cases(session, old, new)
    assert {(m.case_number, m.what, m.after) for m in moved} >= {
        (accepted.case_number, "办结", date(2026, 12, 29)),
        (tolerated.case_number, "办结", date(2026, 12, 29)),
    }
    assert all(m.case_number != early.case_number for m in moved)
    with store.session() as session:
        again = cases_repo.load_case(session, accepted.uuid)
        tol = cases_repo.load_case(session, tolerated.uuid)
    assert again.due_date == date(2026, 12, 29)
    assert any(e["kind"] == "deadline_recomputed" for e in again.events)
    assert tol.supplement_by is not None and tol.supplement_by <= date(2026, 12, 29)
