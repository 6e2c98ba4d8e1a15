"""有诉即办: a complaint (or a 办不成事 report, or a finding of a 政务服务体验官) from first
contact to the archive.

Whoever is first asked registers it and owns it (首问负责) until they hand it on, each hand-over
recorded. It goes 登记 → 受理 → 办理 → 回访 → 归档, each stage with a deadline in working days from
the hall's settings (by complexity: handled on the spot, ordinary, complex, at most 10); a
complainant not satisfied at the callback reopens it (back to 办理).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any


class ComplaintKind(StrEnum):
    COMPLAINT = "complaint"  # 投诉
    CANNOT_GET_DONE = "cannot_get_done"  # 办不成事
    EXPERIENCE_OFFICER = "experience_officer"  # 政务服务体验官 finding


KIND_LABELS = {ComplaintKind.COMPLAINT: "投诉", ComplaintKind.CANNOT_GET_DONE: "办不成事反映",
               ComplaintKind.EXPERIENCE_OFFICER: "体验官发现问题"}


class Stage(StrEnum):
    REGISTERED = "registered"
    ACCEPTED = "accepted"
    HANDLING = "handling"
    CALLBACK = "callback"
    ARCHIVED = "archived"


STAGE_LABELS = {Stage.REGISTERED: "登记", Stage.ACCEPTED: "受理", Stage.HANDLING: "办理",
                Stage.CALLBACK: "回访", Stage.ARCHIVED: "归档"}


class Complexity(StrEnum):
    ON_SPOT = "on_spot"
    ORDINARY = "ordinary"
    COMPLEX = "complex"


COMPLEXITY_LABELS = {Complexity.ON_SPOT: "当场办理", Complexity.ORDINARY: "一般", Complexity.COMPLEX: "复杂"}

# action → (stages it may be taken from, stage after)
ACTIONS: dict[str, tuple[tuple[Stage, ...], Stage]] = {
    "accept": ((Stage.REGISTERED,), Stage.ACCEPTED),
    "handle": ((Stage.ACCEPTED, Stage.HANDLING), Stage.HANDLING),  # a note on the handling
    "handled": ((Stage.ACCEPTED, Stage.HANDLING), Stage.CALLBACK),  # done: call the complainant back
    "callback": ((Stage.CALLBACK,), Stage.CALLBACK),  # the complainant's verdict (reopens if not satisfied)
    "archive": ((Stage.CALLBACK,), Stage.ARCHIVED),
    "handover": ((Stage.REGISTERED, Stage.ACCEPTED, Stage.HANDLING, Stage.CALLBACK), Stage.REGISTERED),
}
ACTION_LABELS = {"accept": "受理", "handle": "办理记录", "handled": "办理完毕", "callback": "回访",
                 "archive": "归档", "handover": "移交"}
VERDICTS = ("满意", "基本满意", "不满意")


class ComplaintRefused(ValueError):
    pass


@dataclass(frozen=True)
class Complaint:
    uuid: str
    number: str
    kind: ComplaintKind
    stage: Stage
    complexity: Complexity
    owner_login: str
    registered_by: str
    registered_at: str
    stage_due: date | None
    complainant: str
    contact: str  # how to reach them (stored encrypted)
    about_window: str | None
    about_clerk: str | None
    case_number: str | None
    item_code: str | None
    what_happened: str
    what_they_ask: str
    history: tuple[dict[str, Any], ...]
    rating_uuid: str | None = None
    reopened: int = 0
    closed_on_time: bool | None = None

    def overdue(self, today: date) -> bool:
        return self.stage is not Stage.ARCHIVED and self.stage_due is not None and today > self.stage_due


def check_new(complainant: str, what_happened: str) -> None:
    if not complainant.strip():
        raise ComplaintRefused("complainant: 请填写反映人")
    if not what_happened.strip():
        raise ComplaintRefused("what: 请填写反映的问题")


def next_stage(complaint: Complaint, action: str, *, note: str, verdict: str | None, to_login: str | None) -> Stage:
    if action not in ACTIONS:
        raise ComplaintRefused(f"未知的操作：{action}（可选：{'、'.join(ACTIONS)}）")
    allowed, after = ACTIONS[action]
    if complaint.stage not in allowed:
        raise ComplaintRefused(f"当前处于「{STAGE_LABELS[complaint.stage]}」阶段，不能{ACTION_LABELS[action]}")
    if action in ("handle", "handled", "callback") and not note.strip():
        raise ComplaintRefused(f"{ACTION_LABELS[action]}须填写说明")
    if action == "callback":
        if verdict not in VERDICTS:
            raise ComplaintRefused(f"回访须记录反映人的评价（{'/'.join(VERDICTS)}）")
        return Stage.HANDLING if verdict == "不满意" else Stage.CALLBACK
    callbacks = [h for h in complaint.history if h["action"] == "callback"]
    if action == "archive" and (not callbacks or callbacks[-1].get("verdict") == "不满意"):
        raise ComplaintRefused("须回访且反映人不再不满意，方可归档")  # the latest callback decides
    if action == "handover":
        if not to_login:
            raise ComplaintRefused("移交须指定接手人")
        return complaint.stage
    return after
