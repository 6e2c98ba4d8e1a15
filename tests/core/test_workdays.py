"""Working-day arithmetic against the 2026 arrangement of chinese_calendar and synthetic years.

The 2027 arrangement used here is synthetic (built in the test), never the official one.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hallclient.core.workdays import (
    UnknownCalendarYear,
    WorkCalendar,
    YearArrangement,
    read_year_file,
)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def synthetic_2027() -> YearArrangement:
    # Not the State Council's 2027 arrangement: New Year's Day off, one make-up Saturday.
    return YearArrangement(
        year=2027,
        holidays=frozenset({date(2027, 1, 1)}),
        workdays=frozenset({date(2027, 1, 9)}),
        source="测试用虚构安排",
    )


# --- the package's 2026 ---------------------------------------------------------------------


def test_package_covers_2026_but_not_2027(cal: WorkCalendar) -> None:
    # If a newer chinese_calendar knows 2027, move the year-end tests to its first unknown year.
    assert cal.knows(2026)
    assert cal.knows(2004)
    assert not cal.knows(2027)
    assert not cal.knows(2003)
    assert 2026 in cal.known_years()
    assert 2027 not in cal.known_years()


def test_national_day_2026_example(cal: WorkCalendar) -> None:
    # Accepted Monday 2026-09-28 with 10 working days: the holiday and the make-up Saturday give 2026-10-16.
    assert cal.add_working_days(date(2026, 9, 28), 10) == date(2026, 10, 16)
    assert cal.working_days_between(date(2026, 9, 28), date(2026, 10, 16)) == 10


def test_national_day_2026_day_by_day(cal: WorkCalendar) -> None:
    start = date(2026, 9, 28)
    assert cal.add_working_days(start, 1) == date(2026, 9, 29)
    assert cal.add_working_days(start, 2) == date(2026, 9, 30)
    assert cal.add_working_days(start, 3) == date(2026, 10, 8)  # 10-01..10-07 off
    assert cal.add_working_days(start, 4) == date(2026, 10, 9)
    assert cal.add_working_days(start, 5) == date(2026, 10, 10)  # make-up Saturday counts
    assert cal.add_working_days(start, 6) == date(2026, 10, 12)  # Sunday 10-11 is off


def test_national_day_2026_days(cal: WorkCalendar) -> None:
    assert cal.is_workday(date(2026, 9, 20))  # a Sunday, make-up workday for National Day
    assert date(2026, 9, 20).weekday() == 6
    assert not cal.is_workday(date(2026, 9, 25))  # Mid-Autumn Festival, a Friday
    assert not cal.is_workday(date(2026, 10, 1))
    assert not cal.is_workday(date(2026, 10, 7))
    assert cal.is_workday(date(2026, 10, 8))
    assert cal.is_workday(date(2026, 10, 10))  # Saturday, make-up
    assert not cal.is_workday(date(2026, 10, 11))
    assert cal.add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)
    assert cal.add_working_days(date(2026, 9, 24), 1) == date(2026, 9, 28)
    assert cal.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1


def test_spring_festival_2026(cal: WorkCalendar) -> None:
    # Holidays 02-15..02-23; make-up Saturdays 02-14 and 02-28.
    assert cal.is_workday(date(2026, 2, 14))
    assert cal.is_workday(date(2026, 2, 28))
    assert not cal.is_workday(date(2026, 2, 16))  # a Monday in the holiday
    assert not cal.is_workday(date(2026, 2, 21))  # an ordinary Saturday in the holiday
    assert cal.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert cal.add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert cal.add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)
    assert cal.add_working_days(date(2026, 2, 27), 1) == date(2026, 2, 28)
    assert cal.add_working_days(date(2026, 2, 28), 1) == date(2026, 3, 2)
    assert cal.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


def test_new_year_2026_make_up_sunday(cal: WorkCalendar) -> None:
    assert cal.is_workday(date(2026, 1, 4))
    assert cal.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)


def test_immediate_case_is_due_the_day_it_is_accepted(cal: WorkCalendar) -> None:
    assert cal.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)
    assert cal.add_working_days(date(2026, 9, 28), 0) == date(2026, 9, 28)


def test_negative_days_are_refused(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        cal.add_working_days(date(2026, 9, 28), -1)


def test_datetime_is_taken_as_its_date(cal: WorkCalendar) -> None:
    assert cal.add_working_days(datetime(2026, 9, 28, 16, 30), 10) == date(2026, 10, 16)
    assert cal.is_workday(datetime(2026, 10, 10, 9, 0))


def test_working_days_between_empty_and_reversed(cal: WorkCalendar) -> None:
    assert cal.working_days_between(date(2026, 9, 28), date(2026, 9, 28)) == 0
    assert cal.working_days_between(date(2026, 10, 16), date(2026, 9, 28)) == 0


def test_period_across_package_years(cal: WorkCalendar) -> None:
    # 2025-12-31 (Wed) + 1: 2026-01-01..03 off, Sunday 01-04 is a make-up workday.
    assert cal.add_working_days(date(2025, 12, 30), 2) == date(2026, 1, 4)
    assert cal.working_days_between(date(2025, 12, 30), date(2026, 1, 5)) == 3


# --- unknown years --------------------------------------------------------------------------


def test_year_end_into_unknown_2027_raises(cal: WorkCalendar) -> None:
    assert cal.add_working_days(date(2026, 12, 28), 3) == date(2026, 12, 31)
    with pytest.raises(UnknownCalendarYear) as info:
        cal.add_working_days(date(2026, 12, 28), 5)
    assert info.value.year == 2027
    assert str(info.value) == (
        "2027 年的节假日安排尚未载入，无法计算法定期限。"
        "请先载入该年的节假日安排（hallclient calendar load FILE）。"
    )
    assert isinstance(info.value, LookupError)


def test_unknown_year_is_never_guessed(cal: WorkCalendar) -> None:
    with pytest.raises(UnknownCalendarYear) as info:
        cal.is_workday(date(2027, 1, 4))
    assert info.value.year == 2027
    with pytest.raises(UnknownCalendarYear):
        cal.working_days_between(date(2026, 12, 28), date(2027, 1, 5))
    with pytest.raises(UnknownCalendarYear) as before:
        cal.add_working_days(date(2003, 12, 1), 1)
    assert before.value.year == 2003
    with pytest.raises(UnknownCalendarYear):
        cal.arrangement(2027)


def test_a_period_ending_on_31_december_needs_no_next_year(cal: WorkCalendar) -> None:
    assert cal.working_days_between(date(2026, 12, 28), date(2026, 12, 31)) == 3
    # the days after 12-31 are never looked at
    assert cal.working_days_between(date(2026, 12, 31), date(2026, 12, 31)) == 0


def test_loaded_synthetic_2027() -> None:
    cal = WorkCalendar([synthetic_2027()])
    assert cal.knows(2027)
    assert cal.add_working_days(date(2026, 12, 28), 5) == date(2027, 1, 5)
    assert cal.add_working_days(date(2026, 12, 31), 5) == date(2027, 1, 8)
    assert cal.add_working_days(date(2026, 12, 31), 6) == date(2027, 1, 9)  # make-up Saturday
    assert cal.add_working_days(date(2026, 12, 31), 7) == date(2027, 1, 11)
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.working_days_between(date(2026, 12, 28), date(2027, 1, 11)) == 10
    with pytest.raises(UnknownCalendarYear) as info:
        cal.add_working_days(date(2027, 12, 30), 5)
    assert info.value.year == 2028


def test_load_after_a_failed_lookup() -> None:
    cal = WorkCalendar()
    with pytest.raises(UnknownCalendarYear):
        cal.add_working_days(date(2026, 12, 28), 5)
    cal.load(synthetic_2027())
    assert cal.add_working_days(date(2026, 12, 28), 5) == date(2027, 1, 5)


def test_loaded_year_overrides_package() -> None:
    only_new_year = YearArrangement(
        year=2026, holidays=frozenset({date(2026, 1, 1)}), workdays=frozenset()
    )
    cal = WorkCalendar()
    assert cal.add_working_days(date(2026, 9, 28), 10) == date(2026, 10, 16)  # warm the cache
    cal.load(only_new_year)
    assert not cal.is_workday(date(2026, 10, 10))
    assert cal.is_workday(date(2026, 10, 1))
    assert cal.add_working_days(date(2026, 9, 28), 10) == date(2026, 10, 12)
    assert cal.arrangement(2026) is only_new_year


def test_calendar_without_package() -> None:
    cal = WorkCalendar([synthetic_2027()], use_package=False)
    assert cal.known_years() == {2027}
    assert not cal.knows(2026)
    with pytest.raises(UnknownCalendarYear) as info:
        cal.add_working_days(date(2026, 12, 31), 1)
    assert info.value.year == 2026


def test_package_arrangement_2026(cal: WorkCalendar) -> None:
    arrangement = cal.arrangement(2026)
    assert arrangement.workdays == {
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    }
    assert date(2026, 10, 7) in arrangement.holidays
    assert date(2026, 10, 8) not in arrangement.holidays
    assert len(arrangement.holidays) == 33


# --- against a reference: chinese_calendar day by day ---------------------------------------


def reference_add(start: date, days: int) -> date:
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            counted += 1
    return day


# Starts up to mid-September 2026 keep 61 working days inside 2026 (the package's last year).
starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 9, 15))


@given(start=starts, days=st.integers(min_value=0, max_value=60))
def test_add_matches_day_by_day_reference(start: date, days: int) -> None:
    cal = WorkCalendar()
    due = cal.add_working_days(start, days)
    assert due == reference_add(start, days)
    assert cal.working_days_between(start, due) == days
    if days:
        assert cal.is_workday(due)
        assert chinese_calendar.is_workday(due)
        assert cal.working_days_between(start, due - timedelta(days=1)) == days - 1


@given(start=starts, days=st.integers(min_value=0, max_value=59))
def test_one_more_day_is_strictly_later(start: date, days: int) -> None:
    cal = WorkCalendar()
    assert cal.add_working_days(start, days + 1) > cal.add_working_days(start, days)


@given(day=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_is_workday_matches_package(day: date) -> None:
    assert WorkCalendar().is_workday(day) is chinese_calendar.is_workday(day)


@given(
    start=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)),
    length=st.integers(min_value=-5, max_value=400),
)
def test_between_matches_counting(start: date, length: int) -> None:
    end = min(start + timedelta(days=length), date(2026, 12, 31))
    expected = sum(
        chinese_calendar.is_workday(start + timedelta(days=i))
        for i in range(1, (end - start).days + 1)
    )
    assert WorkCalendar().working_days_between(start, end) == expected


def test_long_spans_match_the_reference() -> None:
    # Speed is measured in bench/, never asserted here; this keeps the long-span correctness check.
    assert WorkCalendar().add_working_days(date(2004, 1, 1), 5000) == reference_add(date(2004, 1, 1), 5000)


# --- the year file --------------------------------------------------------------------------


def synthetic_json() -> dict[str, object]:
    return {
        "year": 2027,
        "holidays": ["2027-01-01", "2027-01-02", "2027-01-03"],
        "workdays": ["2027-01-09"],
        "source": "测试用虚构安排",
    }


def test_year_file_round_trip(tmp_path: Path) -> None:
    arrangement = YearArrangement.from_json(synthetic_json())
    assert arrangement.year == 2027
    assert arrangement.holidays == {date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)}
    assert arrangement.workdays == {date(2027, 1, 9)}
    assert arrangement.source == "测试用虚构安排"
    assert arrangement.to_json() == synthetic_json()
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(arrangement.to_json(), ensure_ascii=False), encoding="utf-8")
    assert read_year_file(path) == arrangement


def test_year_file_sorts_dates_and_source_is_optional() -> None:
    data = {"year": 2027, "holidays": ["2027-10-01", "2027-01-01"], "workdays": []}
    arrangement = YearArrangement.from_json(data)
    assert arrangement.to_json() == {
        "year": 2027,
        "holidays": ["2027-01-01", "2027-10-01"],
        "workdays": [],
        "source": "",
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"holidays": ["2026-11-30"]},
         "holidays 中的日期 2026-11-30 不在 2027 年内（只可包含上一年 12 月被本年通知调整的日期）"),
        ({"workdays": ["2028-01-01"]},
         "workdays 中的日期 2028-01-01 不在 2027 年内（只可包含上一年 12 月被本年通知调整的日期）"),
        (
            {"holidays": ["2027-01-02"], "workdays": ["2027-01-02"]},
            "日期 2027-01-02 同时出现在 holidays 和 workdays 中",
        ),
        (
            {"workdays": ["2027-02-08"]},
            "workdays 中的调休上班日 2027-02-08 是星期一，调休上班日应为星期六或星期日",
        ),
        (
            {"holidays": ["2027/01/01"]},
            "holidays 中的日期格式无效：“2027/01/01”（应为 YYYY-MM-DD）",
        ),
        ({"holidays": ["20270101"]}, "holidays 中的日期格式无效：“20270101”（应为 YYYY-MM-DD）"),
        ({"holidays": ["2027-02-30"]}, "holidays 中的日期不存在：“2027-02-30”"),
        ({"holidays": ["2027-01-01", "2027-01-01"]}, "holidays 中的日期重复：2027-01-01"),
        ({"holidays": []}, "holidays 不能为空：每年都有法定节假日"),
        ({"holidays": "2027-01-01"}, "holidays 应为日期列表（YYYY-MM-DD）"),
        ({"year": "2027"}, "year 应为整数年份，而不是“'2027'”"),
        ({"source": 1}, "source 应为文字（通知的名称）"),
        ({"workday": []}, "未知字段 workday（可用字段：year、holidays、workdays、source）"),
    ],
)
def test_year_file_errors_name_the_problem(change: dict[str, object], message: str) -> None:
    data = synthetic_json() | change
    with pytest.raises(ValueError) as info:
        YearArrangement.from_json(data)
    assert str(info.value) == message


def test_year_file_missing_field() -> None:
    data = synthetic_json()
    del data["workdays"]
    with pytest.raises(ValueError, match="^缺少字段 workdays$"):
        YearArrangement.from_json(data)


def test_year_file_not_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"year": 2027,\n "holidays": [', encoding="utf-8")
    with pytest.raises(ValueError, match="^节假日文件不是有效的 JSON：第 2 行"):
        read_year_file(path)


def test_direct_construction_is_validated() -> None:
    with pytest.raises(ValueError, match="2027-01-04 是星期一"):
        YearArrangement(2027, frozenset({date(2027, 1, 1)}), frozenset({date(2027, 1, 4)}))
    with pytest.raises(ValueError, match="不是日期"):
        YearArrangement(2027, frozenset({"2027-01-01"}), frozenset())  # type: ignore[arg-type]
    coerced = YearArrangement(2027, {date(2027, 1, 1)}, set())  # type: ignore[arg-type]
    assert coerced.holidays == frozenset({date(2027, 1, 1)})
    assert isinstance(coerced.holidays, frozenset)


# --- issue 15: statutory holidays at the window, a notice that moves last December ------------


def test_statutory_holiday_is_not_a_weekend() -> None:
    from hallclient.core.workdays import holiday_question

    calendar = WorkCalendar()
    assert calendar.is_statutory_holiday(date(2026, 10, 1))
    assert calendar.is_statutory_holiday(date(2026, 10, 3))  # a Saturday inside the National Day week
    assert not calendar.is_statutory_holiday(date(2026, 9, 12))  # an ordinary Saturday
    assert not calendar.is_statutory_holiday(date(2026, 10, 10))  # make-up working Saturday
    assert not calendar.is_statutory_holiday(date(2026, 9, 28))
    question = holiday_question(calendar, date(2026, 10, 1))
    assert question is not None and "2026年10月1日" in question and "国庆节" in question
    assert "确定" in question
    assert holiday_question(calendar, date(2026, 9, 12)) is None  # weekend service is legitimate
    assert holiday_question(calendar, date(2027, 2, 8)) is None  # unknown year: the deadline says so
    with pytest.raises(UnknownCalendarYear):
        calendar.is_statutory_holiday(date(2027, 2, 8))
    loaded = WorkCalendar([YearArrangement.from_json(synthetic_json())])
    q = holiday_question(loaded, date(2027, 1, 1))
    assert q is not None and "法定节假日" in q  # a loaded year has no names


def next_year_moving_december() -> YearArrangement:
    """Like the 2019 notice for 2018-12-29/31: 2026-12-26 (Sat) worked, 2026-12-31 off."""
    return YearArrangement.from_json({
        "year": 2027, "holidays": ["2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03"],
        "workdays": ["2026-12-26"], "source": "测试用虚构安排",
    })


def test_next_years_notice_may_move_days_of_this_years_end() -> None:
    from hallclient.core.workdays import changed_days, recompute_deadline

    old = WorkCalendar()
    new = WorkCalendar()
    new.load(next_year_moving_december())
    assert old.is_workday(date(2026, 12, 31)) and not new.is_workday(date(2026, 12, 31))
    assert not old.is_workday(date(2026, 12, 26)) and new.is_workday(date(2026, 12, 26))
    assert new.is_statutory_holiday(date(2026, 12, 31))
    assert changed_days(old, new, [2026, 2027]) == [date(2026, 12, 26), date(2026, 12, 31)]
    # accepted Wed 2026-12-23, 5 working days: old 24, 25, 28, 29, 30; new 24, 25, 26, 28, 29
    start = date(2026, 12, 23)
    assert old.add_working_days(start, 5) == date(2026, 12, 30)
    assert recompute_deadline(old, new, start, date(2026, 12, 30)) == date(2026, 12, 29)
    assert recompute_deadline(old, new, start, start) == start  # 即办件
    assert recompute_deadline(old, new, date(2026, 1, 5), date(2026, 1, 9)) == date(2026, 1, 9)
    round_trip = YearArrangement.from_json(next_year_moving_december().to_json())
    assert round_trip.spill_over == ({date(2026, 12, 31)}, {date(2026, 12, 26)})
