"""Periods a figure is asked for: a day, a month, a quarter or a range of days.

    2026-12-01              the day
    2026-12                 the month
    2026-Q3 (or 2026-q3)    the quarter (July to September)
    2026-12-01..2026-12-15  the days from the first to the last, both included

A period is always a closed range of whole days in the hall's local time.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    kind: str  # day / month / quarter / range
    text: str

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def each_day(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    @property
    def label(self) -> str:
        """The period as a reader sees it (2026年第三季度, 2026年12月, 2026-12-01 至 2026-12-15)."""
        if self.kind == "day":
            return f"{self.first:%Y}年{self.first.month}月{self.first.day}日"
        if self.kind == "month":
            return f"{self.first:%Y}年{self.first.month}月"
        if self.kind == "quarter":
            return f"{self.first:%Y}年第{'一二三四'[(self.first.month - 1) // 3]}季度"
        return f"{self.first.isoformat()} 至 {self.last.isoformat()}"

    def months(self) -> list[Period]:
        """The calendar months this period touches, each as a month period."""
        found: list[Period] = []
        year, month = self.first.year, self.first.month
        while date(year, month, 1) <= self.last:
            found.append(month_period(year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


def month_period(year: int, month: int) -> Period:
    return Period(date(year, month, 1), date(year, month, monthrange(year, month)[1]), "month",
                  f"{year:04d}-{month:02d}")


def previous_month(period: Period) -> Period:
    first = period.first
    return month_period(first.year - 1, 12) if first.month == 1 else month_period(first.year, first.month - 1)


def quarter_period(year: int, quarter: int) -> Period:
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return Period(date(year, first_month, 1), date(year, last_month, monthrange(year, last_month)[1]), "quarter",
                  f"{year:04d}-Q{quarter}")


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")


def _day(text: str) -> date:
    if not _DAY.match(text):
        raise PeriodError(f"日期「{text}」应为 YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"没有这一天：{text}") from None


def parse_period(text: str) -> Period:
    """`2026-12-01`, `2026-12`, `2026-Q3` or `2026-12-01..2026-12-15` (PeriodError otherwise)."""
    value = text.strip()
    if ".." in value:
        start, _, end = value.partition("..")
        first, last = _day(start.strip()), _day(end.strip())
        if last < first:
            raise PeriodError(f"时段「{value}」的结束日早于开始日")
        if (last - first).days > 3 * 366:
            raise PeriodError("时段最长三年")
        return Period(first, last, "range", value)
    if (m := _QUARTER.match(value)):
        return quarter_period(int(m.group(1)), int(m.group(2)))
    if (m := _MONTH.match(value)):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"没有这个月份：{value}")
        return month_period(int(m.group(1)), month)
    if _DAY.match(value):
        day = _day(value)
        return Period(day, day, "day", value)
    raise PeriodError(f"无法识别的时段「{text}」：可写 2026-12-01（日）、2026-12（月）、2026-Q3（季度）"
                      "或 2026-12-01..2026-12-15（起止日期）")
