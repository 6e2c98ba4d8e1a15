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
                if day.year != self.year:
                    raise ValueError(
                        f"{field_name} 中的日期 {day.isoformat()} 不在 {self.year} 年内"
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
        """Read the year-file format (see resources/calendar/README.md)."""
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
        self._sorted.pop(arrangement.year, None)
        self._sets.pop(arrangement.year, None)

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
            arrangement = self.arrangement(year)
            first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
            cached = tuple(
                day
                for day in map(date.fromordinal, range(first, last + 1))
                if day in arrangement.workdays
                or (day.weekday() < 5 and day not in arrangement.holidays)
            )
            self._sorted[year] = cached
            self._sets[year] = frozenset(cached)
        return cached

    def _year_set(self, year: int) -> frozenset[date]:
        if year not in self._sets:
            self._year_sorted(year)
        return self._sets[year]


def _package_years() -> frozenset[int]:
    """Years ``chinese_calendar`` knows: the same bounds its own date check uses."""
    years = [day.year for day in chinese_calendar.holidays]
    return frozenset(range(min(years), max(years) + 1)) if years else frozenset()
