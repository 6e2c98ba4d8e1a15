"""Every figure of the hall's statistics, each with its one definition next to it.

The aggregation (hallclient.central.stats on the central, the same SQL on a standalone window)
counts *facts* (hallclient.core.stats.facts) per group; `derive` turns those counts and the
sorted waiting and service times into the figures below. docs/figures.md repeats these
definitions for readers; a test checks both name the same figures.

Conventions for all figures:
- a period is a closed range of whole local days (hallclient.core.stats.period); a ticket
  belongs to the day it was issued, a case to the day it was accepted (or taken in), a rating to
  the day it was recorded, a complaint to the day it was registered;
- times are whole seconds; minutes are shown with one decimal;
- a rate whose denominator is zero is None ("无数据"), never 0 and never 100 %.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FigureDef:
    key: str
    label: str  # what a reader sees
    unit: str  # "件", "张", "分钟", "%", "" …
    definition: str  # the one definition, in the reader's words


def _d(key: str, label: str, unit: str, definition: str) -> FigureDef:
    return FigureDef(key, label, unit, definition)


FIGURES: tuple[FigureDef, ...] = (
    # -- the queue -----------------------------------------------------------------------------
    _d("tickets_issued", "取号数", "张", "时段内取出的号票数（按取号时间计）"),
    _d("tickets_served", "办理数", "张", "时段内取出、最终结果为已办理（办结）的号票数"),
    _d("tickets_no_show", "过号数", "张", "时段内取出、最终为过号（叫号达到上限未到）的号票数"),
    _d("tickets_transferred", "转移数", "张", "时段内取出、至少被转移过一次（转其他类别或窗口）的号票数"),
    _d("wait_mean_min", "平均等候时间", "分钟", "等候时间 = 首次叫号时间 − 取号时间；对被叫过号的号票取算术平均"),
    _d("wait_median_min", "等候时间中位数", "分钟", "等候时间的中位数：排序后居中的值，偶数个时取中间两个的平均"),
    _d("wait_p90_min", "等候时间90分位", "分钟", "等候时间的第90百分位（最近秩法：排序后第 ⌈0.9·n⌉ 个值）"),
    _d("wait_max_min", "最长等候时间", "分钟", "等候时间的最大值"),
    _d("service_mean_min", "平均办理时间", "分钟", "办理时间 = 办结时间 − 开始办理时间；对开始并办结的号票取平均"),
    _d("service_median_min", "办理时间中位数", "分钟", "办理时间的中位数（定义同等候时间中位数）"),
    _d("service_p90_min", "办理时间90分位", "分钟", "办理时间的第90百分位（最近秩法）"),
    # -- cases ---------------------------------------------------------------------------------
    _d("cases_total", "办件数", "件", "时段内作出收件决定的办件数（按受理日计，含一次性告知和不予受理）"),
    _d("cases_accepted", "受理", "件", "决定为受理（材料齐全）的办件数"),
    _d("cases_tolerated", "容缺受理", "件", "决定为容缺受理的办件数"),
    _d("cases_one_time_notice", "一次性告知", "件", "决定为一次性告知的办件数"),
    _d("cases_refused", "不予受理", "件", "决定为不予受理的办件数"),
    _d("tolerance_on_time", "容缺按期补正", "件", "容缺办件在补正期限内（含当日）补齐全部容缺材料的件数"),
    _d("tolerance_late", "容缺逾期补正", "件", "容缺办件在补正期限之后才补齐的件数"),
    _d("tolerance_returned", "容缺退件", "件", "容缺办件被退件的件数"),
    _d("completed_on_time", "按期办结", "件", "有办结期限、在期限内（含当日）办结（准予或不予许可）的办件数"),
    _d("completed_late", "超期办结", "件", "在办结期限之后才办结的办件数"),
    _d("open_overdue", "超期未办结", "件", "统计截止日仍未办结、且已过办结期限的办件数"),
    _d("cases_overdue", "超期办件", "件", "超期办结 + 超期未办结"),
    _d("completed_on_time_rate", "按期办结率", "%", "按期办结 ÷（按期办结 + 超期办结 + 超期未办结）"),
    _d("on_site_approvals", "当场审批", "件", "首席代表当场作出准予决定的办件数（审批事件 approved）"),
    _d("approval_mean_min", "受理到审批平均用时", "分钟", "当场审批件自受理（办件创建）到准予决定的分钟数的平均"),
    _d("prereviews", "预审数", "件", "时段内完成的预审数（按预审时间计）"),
    _d("prereview_missing_rate", "预审拦截率", "%", "预审结论为“材料缺失或有误”的预审 ÷ 全部预审"),
    # -- 好差评 ---------------------------------------------------------------------------------
    _d("services_to_rate", "应评价服务数", "次", "时段内记录的服务次数（一次一评：每个办件或号票一条，含未评价）"),
    _d("ratings_rated", "评价数", "次", "其中申请人给出评价等级的次数（未评价不计）"),
    _d("rated_share", "参评率", "%", "评价数 ÷ 应评价服务数；“未评价”计为未参评，绝不计为满意"),
    _d("satisfaction_rate", "满意率", "%", "（非常满意 + 满意 + 基本满意）÷ 评价数"),
    _d("bad_ratings", "差评数", "次", "评价为不满意或非常不满意的次数"),
    _d("bad_rectified_on_time", "差评按期整改", "次", "差评的整改任务在整改期限内（含当日）办结的次数"),
    _d("complaints_received", "投诉受理数", "件", "时段内登记的投诉（含办不成事反映、体验官发现问题）"),
    _d("complaints_closed_on_time", "投诉按期办结", "件", "其中在当前阶段期限内归档的件数"),
    _d("complaints_reopened", "投诉重办", "件", "其中因回访不满意至少重新办理过一次的件数"),
    _d("complaints_substantiated", "有效投诉", "件", "指向窗口（或人员）且未被认定为不属实的投诉件数"),
    # -- attendance --------------------------------------------------------------------------
    _d("attendance_rate", "在岗率", "%", "1 − 窗口暂离时长 ÷ 大厅开放时长（仅计有叫号记录的开放日，暂离截取在开放时段内）"),
)
FIGURE_KEYS = tuple(f.key for f in FIGURES)
BY_KEY: Mapping[str, FigureDef] = {f.key: f for f in FIGURES}

# The counts `derive` reads from the aggregation; each is a plain sum over facts.
COUNTS = (
    "tickets_issued", "tickets_served", "tickets_no_show", "tickets_transferred",
    "cases_total", "cases_accepted", "cases_tolerated", "cases_one_time_notice", "cases_refused",
    "tolerance_on_time", "tolerance_late", "tolerance_returned",
    "completed_on_time", "completed_late", "open_overdue", "on_site_approvals", "approval_minutes_sum",
    "approval_minutes_n",
    "prereviews", "prereviews_missing",
    "services_to_rate", "ratings_rated", "ratings_satisfied", "bad_ratings", "bad_rectified_on_time",
    "complaints_received", "complaints_closed_on_time", "complaints_reopened", "complaints_substantiated",
    "open_minutes", "paused_minutes",
)


def ratio(part: float, whole: float) -> float | None:
    """part ÷ whole, or None when there is nothing to divide by."""
    return None if not whole else part / whole


def mean(values: Sequence[float]) -> float | None:
    return None if not values else sum(values) / len(values)


def median(sorted_values: Sequence[float]) -> float | None:
    """The middle of the sorted values; the mean of the two middle ones for an even count."""
    n = len(sorted_values)
    if not n:
        return None
    mid = n // 2
    return float(sorted_values[mid]) if n % 2 else (sorted_values[mid - 1] + sorted_values[mid]) / 2


def percentile(sorted_values: Sequence[float], p: float) -> float | None:
    """Nearest rank: the value at rank ⌈p·n⌉ (1-based) of the sorted values."""
    n = len(sorted_values)
    if not n:
        return None
    rank = max(1, math.ceil(p * n - 1e-9))
    return float(sorted_values[min(rank, n) - 1])


class Times:
    """Whole seconds as an exact histogram: each value with how often it occurs, in 1-second
    buckets (the facts are whole seconds, so nothing is rounded). The mean, median, 90th
    percentile and maximum read from it are exactly those of the sorted list of the values."""

    __slots__ = ("pairs", "n", "total")

    def __init__(self, counts: Mapping[int, int] | None = None) -> None:
        self.pairs: list[tuple[int, int]] = sorted((int(v), int(k)) for v, k in (counts or {}).items() if k)
        self.n = sum(k for _v, k in self.pairs)
        self.total = sum(v * k for v, k in self.pairs)

    @classmethod
    def from_sorted(cls, pairs: list[tuple[int, int]]) -> Times:
        """From (value, count) pairs already sorted by value, each value once."""
        found = cls()
        found.pairs = pairs
        found.n = sum(k for _v, k in pairs)
        found.total = sum(v * k for v, k in pairs)
        return found

    @classmethod
    def of(cls, values: Sequence[int] | Times) -> Times:
        if isinstance(values, Times):
            return values
        counts: dict[int, int] = {}
        for v in values:
            counts[int(v)] = counts.get(int(v), 0) + 1
        return cls(counts)

    @classmethod
    def merged(cls, parts: Iterable[Times]) -> Times:
        parts = list(parts)
        if len(parts) == 1:
            return parts[0]
        counts: Counter[int] = Counter()
        for part in parts:
            counts.update(dict(part.pairs))
        return cls(counts)

    def at_rank(self, rank: int) -> int:
        """The value at 1-based `rank` of the sorted values."""
        seen = 0
        for v, k in self.pairs:
            seen += k
            if seen >= rank:
                return v
        raise IndexError(rank)

    def mean(self) -> float | None:
        return None if not self.n else self.total / self.n

    def median(self) -> float | None:
        """As `median` of the sorted values."""
        if not self.n:
            return None
        mid = self.n // 2
        return float(self.at_rank(mid + 1)) if self.n % 2 else (self.at_rank(mid) + self.at_rank(mid + 1)) / 2

    def percentile(self, p: float) -> float | None:
        """As `percentile` of the sorted values (nearest rank)."""
        if not self.n:
            return None
        rank = max(1, math.ceil(p * self.n - 1e-9))
        return float(self.at_rank(min(rank, self.n)))

    def max(self) -> int | None:
        return self.pairs[-1][0] if self.pairs else None

    def top_threshold(self, count: int) -> int | None:
        """The smallest value among the `count` largest (every value ≥ it is among them or tied)."""
        return None if not self.n else self.at_rank(max(1, self.n - count + 1))


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def derive(counts: Mapping[str, float], waits: Sequence[int] | Times,
           services: Sequence[int] | Times) -> dict[str, Any]:
    """The figures of one group from its counts and its waiting and service seconds (sorted
    values, or their exact histogram: the same figures either way)."""
    waits, services = Times.of(waits), Times.of(services)
    c = {k: counts.get(k, 0) or 0 for k in COUNTS}
    overdue = c["completed_late"] + c["open_overdue"]
    out: dict[str, Any] = {k: int(c[k]) for k in (
        "tickets_issued", "tickets_served", "tickets_no_show", "tickets_transferred",
        "cases_total", "cases_accepted", "cases_tolerated", "cases_one_time_notice", "cases_refused",
        "tolerance_on_time", "tolerance_late", "tolerance_returned", "completed_on_time", "completed_late",
        "open_overdue", "on_site_approvals", "prereviews", "services_to_rate", "ratings_rated", "bad_ratings",
        "bad_rectified_on_time", "complaints_received", "complaints_closed_on_time", "complaints_reopened",
        "complaints_substantiated")}
    out["wait_mean_min"] = minutes(waits.mean())
    out["wait_median_min"] = minutes(waits.median())
    out["wait_p90_min"] = minutes(waits.percentile(0.9))
    out["wait_max_min"] = minutes(waits.max())
    out["service_mean_min"] = minutes(services.mean())
    out["service_median_min"] = minutes(services.median())
    out["service_p90_min"] = minutes(services.percentile(0.9))
    out["cases_overdue"] = int(overdue)
    out["completed_on_time_rate"] = ratio(c["completed_on_time"], c["completed_on_time"] + overdue)
    approval = ratio(c["approval_minutes_sum"], c["approval_minutes_n"])
    out["approval_mean_min"] = None if approval is None else round(approval, 1)
    out["prereview_missing_rate"] = ratio(c["prereviews_missing"], c["prereviews"])
    out["rated_share"] = ratio(c["ratings_rated"], c["services_to_rate"])
    out["satisfaction_rate"] = ratio(c["ratings_satisfied"], c["ratings_rated"])
    paused = min(c["paused_minutes"], c["open_minutes"])
    out["attendance_rate"] = None if not c["open_minutes"] else 1 - paused / c["open_minutes"]
    return out


def show(key: str, value: Any) -> str:
    """A figure as a reader sees it: 12 张, 8.5 分钟, 93.2%, 无数据."""
    if value is None:
        return "无数据"
    unit = BY_KEY[key].unit if key in BY_KEY else ""
    if unit == "%":
        return f"{value * 100:.1f}%"
    if unit == "分钟":
        return f"{value:.1f} 分钟"
    if isinstance(value, float):
        return f"{value:.2f}"
    return f"{value} {unit}".strip()
