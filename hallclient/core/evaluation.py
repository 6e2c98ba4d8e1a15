"""好差评: rating a service, and following every bad rating to its end (回访整改).

Five levels (国办发〔2019〕51号); the last two are 差评. One rating per service (a case, or a
served ticket without a case); a service the applicant did not rate is recorded as 未评价 and
counted as such, never as satisfied. Every 差评 opens a rectification task for the supervisor:
call back within a setting's working days (1), rectify within another (5; halls use 3, 5, 7
or 15), or explain where the rating was mistaken, or send it to 申诉复核 (appeal). A 实名差评
(the applicant left a phone) cannot close without a callback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    BASIC = "basically_satisfied"
    UNSATISFIED = "unsatisfied"
    VERY_UNSATISFIED = "very_unsatisfied"


LEVEL_LABELS: dict[Level, str] = {
    Level.VERY_SATISFIED: "非常满意", Level.SATISFIED: "满意", Level.BASIC: "基本满意",
    Level.UNSATISFIED: "不满意", Level.VERY_UNSATISFIED: "非常不满意",
}
BAD_LEVELS = frozenset({Level.UNSATISFIED, Level.VERY_UNSATISFIED})
SATISFIED_LEVELS = frozenset({Level.VERY_SATISFIED, Level.SATISFIED, Level.BASIC})
UNRATED_LABEL = "未评价"

INDICATORS: dict[str, str] = {"overall": "整体", "efficiency": "办事效率", "competence": "业务水平",
                              "attitude": "服务态度"}

# 差评 categories a hall uses (a setting overrides them).
DEFAULT_BAD_REASONS = ("等候时间长", "办事效率低", "服务态度差", "业务不熟练", "一次性告知不清",
                       "多次跑动", "材料要求不合理", "其他")


class Channel(StrEnum):
    PAD = "pad"  # 评价器 (the provincial code PJQ)
    QR = "qr"  # 二维码 on a printed notice
    WINDOW = "window"  # the clerk's screen turned to the applicant


CHANNEL_LABELS = {Channel.PAD: "评价器", Channel.QR: "二维码", Channel.WINDOW: "窗口"}
PROVINCIAL_CHANNEL_CODES = {Channel.PAD: "PJQ", Channel.QR: "EWM", Channel.WINDOW: "CK"}


class RatingRefused(ValueError):
    """A rating that cannot be recorded (a second one, a bad level, bad input)."""


def parse_level(text: str) -> Level:
    value = text.strip()
    for level, label in LEVEL_LABELS.items():
        if value in (label, level.value):
            return level
    raise RatingRefused(f"未知的评价等级「{text}」，可选：{'、'.join(LEVEL_LABELS.values())}")


@dataclass(frozen=True)
class Rating:
    uuid: str
    service_key: str  # case:<uuid> or ticket:<number>@<day>: one rating per service
    level: Level | None  # None: 未评价
    channel: Channel
    window_number: str
    clerk_login: str
    rated_at: str
    case_uuid: str | None = None
    case_number: str | None = None
    ticket_number: str | None = None
    indicators: Mapping[str, Level] = field(default_factory=dict)
    comment: str = ""
    reasons: tuple[str, ...] = ()
    has_phone: bool = False  # 实名: a phone for the callback was left (never shown to the clerk)

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level] if self.level else UNRATED_LABEL


def check_rating(level: Level, reasons: tuple[str, ...], comment: str, allowed_reasons: tuple[str, ...]) -> None:
    if level in BAD_LEVELS and not reasons:
        raise RatingRefused("差评请选择原因")
    unknown = [r for r in reasons if r not in allowed_reasons]
    if unknown:
        raise RatingRefused(f"未知的差评原因：{'、'.join(unknown)}")
    if len(comment) > 500:
        raise RatingRefused("评价意见不超过 500 字")


# -- rectification --------------------------------------------------------------------------------


class RectState(StrEnum):
    OPEN = "open"  # 待核实/回访
    CONTACTED = "contacted"  # 已回访
    RECTIFIED = "rectified"  # 已整改，待申请人评价
    EXPLAINED = "explained"  # 已说明（评价有误）
    APPEALED = "appealed"  # 申诉复核中
    CLOSED = "closed"  # 已办结


RECT_LABELS = {RectState.OPEN: "待回访", RectState.CONTACTED: "已回访", RectState.RECTIFIED: "已整改",
               RectState.EXPLAINED: "已说明", RectState.APPEALED: "申诉复核中", RectState.CLOSED: "已办结"}
RECTIFY_DAY_CHOICES = (3, 5, 7, 15)
VERDICTS = ("满意", "基本满意", "不满意")

# action → (states it may be taken from, state after)
RECT_ACTIONS: dict[str, tuple[tuple[RectState, ...], RectState]] = {
    "contact": ((RectState.OPEN,), RectState.CONTACTED),
    "rectify": ((RectState.OPEN, RectState.CONTACTED), RectState.RECTIFIED),
    "explain": ((RectState.OPEN, RectState.CONTACTED), RectState.EXPLAINED),
    "appeal": ((RectState.OPEN, RectState.CONTACTED), RectState.APPEALED),
    "decide_appeal": ((RectState.APPEALED,), RectState.CLOSED),
    "close": ((RectState.RECTIFIED, RectState.EXPLAINED, RectState.CONTACTED), RectState.CLOSED),
}
RECT_ACTION_LABELS = {"contact": "回访", "rectify": "整改", "explain": "说明情况", "appeal": "申诉复核",
                      "decide_appeal": "复核决定", "close": "办结"}


@dataclass(frozen=True)
class Rectification:
    uuid: str
    rating_uuid: str
    state: RectState
    opened_on: date
    contact_by: date | None
    rectify_by: date | None
    history: tuple[dict[str, Any], ...]
    real_name: bool
    window_number: str
    clerk_login: str
    case_number: str | None
    level: Level
    reasons: tuple[str, ...]
    comment: str = ""
    verdict: str | None = None
    appeal_upheld: bool | None = None

    @property
    def contacted(self) -> bool:
        return any(h["action"] == "contact" for h in self.history)

    def overdue(self, today: date) -> list[str]:
        """What is late today: the first contact, the rectification."""
        late = []
        if not self.contacted and self.contact_by and today > self.contact_by and self.state is not RectState.CLOSED:
            late.append("回访逾期")
        if self.state in (RectState.OPEN, RectState.CONTACTED) and self.rectify_by and today > self.rectify_by:
            late.append("整改逾期")
        return late


def next_rect_state(rect: Rectification, action: str, *, note: str, verdict: str | None,
                    upheld: bool | None) -> RectState:
    """The state after `action`, or RatingRefused with the reason."""
    if action not in RECT_ACTIONS:
        raise RatingRefused(f"未知的整改操作：{action}")
    allowed, after = RECT_ACTIONS[action]
    if rect.state not in allowed:
        raise RatingRefused(f"整改任务当前为「{RECT_LABELS[rect.state]}」，不能{RECT_ACTION_LABELS[action]}")
    if not note.strip():
        raise RatingRefused(f"{RECT_ACTION_LABELS[action]}须填写说明")
    if action == "decide_appeal" and upheld is None:
        raise RatingRefused("复核决定须说明申诉是否成立")
    if action == "close":
        if rect.real_name and not rect.contacted:
            raise RatingRefused("实名差评须先回访申请人，才能办结")
        if rect.state is RectState.RECTIFIED and verdict not in VERDICTS:
            raise RatingRefused(f"办结须记录申请人对整改的评价（{'/'.join(VERDICTS)}）")
    return after
