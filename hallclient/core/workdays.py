"""Working-day arithmetic for legal deadlines (法定/承诺办结时限, 补正期限).

All periods are counted in working days per the State Council's yearly notice on holiday
arrangements (行政许可法 art. 82): statutory holidays are skipped, official make-up working
days (调休上班日, e.g. Saturday 2026-10-10) count. The day of acceptance is not counted; a
period starts on the next day (民法典 art. 201) and ends on its last working day.

Years come from the ``chinese_calendar`` package (2004–2026 in 1.11) or from year files the
hall loads (``YearArrangement``); a loaded year overrides the package. For any other year the
calendar refuses with ``UnknownCalendarYear``: a legal deadline is never guessed.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar

_FIELDS = ("year", "holidays", "workdays", "source")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class UnknownCalendarYear(LookupError):
    """The holiday arrangement of ``year`` is not known, so no deadline can be computed."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year

    def __str__(self) -> str:
        return (
            f"{self.year} 年的节假日安排尚未载入，无法计算法定期限。"
            f"请先载入该年的节假日安排（hallclient calendar load FILE）。"
        )


def _as_date(value: date) -> date:
    """A ``datetime`` is a ``date`` subclass but does not compare with one: drop the time."""
    return value.date() if isinstance(value, datetime) else value


@dataclass(frozen=True)
class YearArrangement:
    """One year's official arrangement: statutory holidays and weekend make-up workdays.

    ``holidays`` may include weekend days (they change nothing); ``workdays`` are the 调休
    days on which people work although they fall on a Saturday or Sunday.

    A year's notice may also move days at the end of the year before (the 2019 notice made
    Saturday 2018-12-29 a working day and 2018-12-31 a holiday): dates in the December of
    ``year - 1`` are accepted and override that year's arrangement (`spill_over`).
    """

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise ValueError(f"year 应为整数年份，而不是“{self.year!r}”")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year 超出范围：{self.year}")
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        for field_name, days in (("holidays", self.holidays), ("workdays", self.workdays)):
            for day in days:
                if isinstance(day, datetime) or not isinstance(day, date):
                    raise ValueError(f"{field_name} 中的“{day!r}”不是日期")
            for day in sorted(days):
                if day.year != self.year and not (day.year == self.year - 1 and day.month == 12):
                    raise ValueError(
                        f"{field_name} 中的日期 {day.isoformat()} 不在 {self.year} 年内"
                        f"（只可包含上一年 12 月被本年通知调整的日期）"
                    )
        overlap = sorted(self.holidays & self.workdays)
        if overlap:
            raise ValueError(f"日期 {overlap[0].isoformat()} 同时出现在 holidays 和 workdays 中")
        for day in sorted(self.workdays):
            if day.weekday() < 5:
                raise ValueError(
                    f"workdays 中的调休上班日 {day.isoformat()} 是{_WEEKDAY_NAMES[day.weekday()]}，"
                    f"调休上班日应为星期六或星期日"
                )
        if not isinstance(self.source, str):
            raise ValueError("source 应为文字（通知的名称）")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> YearArrangement:
        """Read the year-file format (see hallclient/resources/calendar/README.md)."""
        if not isinstance(data, dict):
            raise ValueError('节假日安排应为 JSON 对象（{"year": …, "holidays": […], …}）')
        unknown = sorted(str(key) for key in data if key not in _FIELDS)
        if unknown:
            raise ValueError(f"未知字段 {'、'.join(unknown)}（可用字段：{'、'.join(_FIELDS)}）")
        for required in ("year", "holidays", "workdays"):
            if required not in data:
                raise ValueError(f"缺少字段 {required}")
        year = data["year"]
        if isinstance(year, bool) or not isinstance(year, int):
            raise ValueError(f"year 应为整数年份，而不是“{year!r}”")
        holidays = _parse_dates(data["holidays"], "holidays")
        if not holidays:
            raise ValueError("holidays 不能为空：每年都有法定节假日")
        workdays = _parse_dates(data["workdays"], "workdays")
        source = data.get("source", "")
        if not isinstance(source, str):
            raise ValueError("source 应为文字（通知的名称）")
        return cls(year=year, holidays=holidays, workdays=workdays, source=source)

    @property
    def spill_over(self) -> tuple[frozenset[date], frozenset[date]]:
        """(holidays, workdays) this year's notice sets in the December of the year before."""
        return (frozenset(d for d in self.holidays if d.year != self.year),
                frozenset(d for d in self.workdays if d.year != self.year))

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "holidays": [day.isoformat() for day in sorted(self.holidays)],
            "workdays": [day.isoformat() for day in sorted(self.workdays)],
            "source": self.source,
        }


def _parse_dates(raw: object, field_name: str) -> frozenset[date]:
    if not isinstance(raw, list):
        raise ValueError(f"{field_name} 应为日期列表（YYYY-MM-DD）")
    days: set[date] = set()
    for item in raw:
        if not isinstance(item, str) or not _ISO_DATE.fullmatch(item):
            raise ValueError(f"{field_name} 中的日期格式无效：“{item}”（应为 YYYY-MM-DD）")
        try:
            day = date.fromisoformat(item)
        except ValueError:
            raise ValueError(f"{field_name} 中的日期不存在：“{item}”") from None
        if day in days:
            raise ValueError(f"{field_name} 中的日期重复：{item}")
        days.add(day)
    return frozenset(days)


def read_year_file(path: str | Path) -> YearArrangement:
    """Read and validate one year file (UTF-8 JSON)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"节假日文件不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列"
        ) from None
    return YearArrangement.from_json(data)


class WorkCalendar:
    """Working days from ``chinese_calendar`` plus loaded year arrangements.

    Per year the calendar keeps the sorted working days once computed, so ``is_workday`` is a
    set lookup and adding N working days is a binary search per year crossed.
    """

    def __init__(
        self, arrangements: Iterable[YearArrangement] = (), *, use_package: bool = True
    ) -> None:
        self._loaded: dict[int, YearArrangement] = {}
        self._package_years: frozenset[int] = _package_years() if use_package else frozenset()
        self._sorted: dict[int, tuple[date, ...]] = {}
        self._sets: dict[int, frozenset[date]] = {}
        for arrangement in arrangements:
            self.load(arrangement)

    def load(self, arrangement: YearArrangement) -> None:
        """Add (or replace) a year; it overrides the package for that year."""
        self._loaded[arrangement.year] = arrangement
        for year in (arrangement.year, arrangement.year - 1):  # a notice may move last December
            self._sorted.pop(year, None)
            self._sets.pop(year, None)

    def knows(self, year: int) -> bool:
        return year in self._loaded or year in self._package_years

    def known_years(self) -> set[int]:
        return set(self._loaded) | set(self._package_years)

    def arrangement(self, year: int) -> YearArrangement:
        """The arrangement in force for ``year`` (loaded, else the package's)."""
        if year in self._loaded:
            return self._loaded[year]
        if year not in self._package_years:
            raise UnknownCalendarYear(year)
        return YearArrangement(
            year=year,
            holidays=frozenset(d for d in chinese_calendar.holidays if d.year == year),
            workdays=frozenset(d for d in chinese_calendar.workdays if d.year == year),
            source=f"chinese_calendar {getattr(chinese_calendar, '__version__', '')}".strip(),
        )

    def is_workday(self, day: date) -> bool:
        day = _as_date(day)
        return day in self._year_set(day.year)

    def is_statutory_holiday(self, day: date) -> bool:
        """Whether ``day`` falls in a statutory holiday (春节, 国庆…), not merely a weekend.

        Raises UnknownCalendarYear for a year the calendar does not know.
        """
        day = _as_date(day)
        holidays, workdays = self._effective(day.year)
        return day in holidays and day not in workdays

    def holiday_name(self, day: date) -> str | None:
        """The holiday's Chinese name where the calendar package knows it."""
        day = _as_date(day)
        if day.year in self._loaded or day.year not in self._package_years:
            return None
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            return None
        return _HOLIDAY_NAMES.get(str(name)) if on_holiday and name else None

    def _effective(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        """The holidays and make-up workdays of ``year`` after next year's notice, if loaded."""
        arrangement = self.arrangement(year)
        holidays = {d for d in arrangement.holidays if d.year == year}
        workdays = {d for d in arrangement.workdays if d.year == year}
        following = self._loaded.get(year + 1)
        if following is not None:
            moved_off, moved_on = following.spill_over
            holidays = (holidays - moved_on) | moved_off
            workdays = (workdays - moved_off) | moved_on
        return frozenset(holidays), frozenset(workdays)

    def add_working_days(self, start: date, days: int) -> date:
        """The last day of a period of ``days`` working days starting the day after ``start``.

        ``days == 0`` (即办件) is due on ``start`` itself.
        """
        if isinstance(days, bool) or not isinstance(days, int):
            raise TypeError(f"days must be an int, not {type(days).__name__}")
        if days < 0:
            raise ValueError(f"工作日天数不能为负数：{days}")
        start = _as_date(start)
        if days == 0:
            return start
        year = start.year
        index = bisect_right(self._year_sorted(year), start)
        remaining = days
        while True:
            workdays = self._year_sorted(year)
            available = len(workdays) - index
            if remaining <= available:
                return workdays[index + remaining - 1]
            remaining -= available
            year += 1
            index = 0

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; 0 if ``end <= start``."""
        start, end = _as_date(start), _as_date(end)
        if end <= start:
            return 0
        first = start + timedelta(days=1)
        total = 0
        for year in range(first.year, end.year + 1):
            workdays = self._year_sorted(year)
            low = bisect_left(workdays, first) if year == first.year else 0
            high = bisect_right(workdays, end) if year == end.year else len(workdays)
            total += high - low
        return total

    def _year_sorted(self, year: int) -> tuple[date, ...]:
        cached = self._sorted.get(year)
        if cached is None:
            holidays, workdays = self._effective(year)
            first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
            cached = tuple(
                day
                for day in map(date.fromordinal, range(first, last + 1))
                if day in workdays or (day.weekday() < 5 and day not in holidays)
            )
            self._sorted[year] = cached
            self._sets[year] = frozenset(cached)
        return cached

    def _year_set(self, year: int) -> frozenset[date]:
        if year not in self._sets:
            self._year_sorted(year)
        return self._sets[year]


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节", "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def holiday_question(calendar: WorkCalendar, day: date) -> str | None:
    """The question to confirm before accepting on ``day``, or None when no question is due.

    Weekend service is legitimate (many halls open on Saturdays); acceptance dated on a statutory
    holiday is usually a wrong date, so the window asks once. A year the calendar does not know
    asks nothing here: the deadline itself reports that year as missing.
    """
    day = _as_date(day)
    try:
        if not calendar.is_statutory_holiday(day):
            return None
    except UnknownCalendarYear:
        return None
    name = calendar.holiday_name(day)
    what = f"法定节假日（{name}）" if name else "法定节假日"
    return (f"{day.year}年{day.month}月{day.day}日是{what}。节假日受理通常是日期填写有误；"
            f"期限自受理次日起按工作日计算。确定以该日期受理吗？")


def recompute_deadline(old: WorkCalendar, new: WorkCalendar, start: date, due: date) -> date | None:
    """The date a period that ran from ``start`` to ``due`` under ``old`` ends under ``new``.

    The period's length in working days is read back from ``old`` (a due date is always the
    last day of N working days, or the start itself for a 即办件). None when ``old`` cannot
    count it (a year it does not know); ``new`` may raise UnknownCalendarYear.
    """
    start, due = _as_date(start), _as_date(due)
    if due <= start:
        return due
    try:
        days = old.working_days_between(start, due)
    except UnknownCalendarYear:
        return None
    return new.add_working_days(start, days)


def changed_days(old: WorkCalendar, new: WorkCalendar, years: Iterable[int]) -> list[date]:
    """The days of ``years`` that are working days under one calendar and not the other."""
    changed: list[date] = []
    for year in years:
        try:
            before = set(old._year_sorted(year))
        except UnknownCalendarYear:
            continue
        after = set(new._year_sorted(year))
        changed.extend(sorted(before ^ after))
    return changed


def _package_years() -> frozenset[int]:
    """Years ``chinese_calendar`` knows: the same bounds its own date check uses."""
    years = [day.year for day in chinese_calendar.holidays]
    return frozenset(range(min(years), max(years) + 1)) if years else frozenset()
