"""有诉即办: the complaints list (a supervisor: all; anyone else: the complaints they own, 首问负责)
and the complaint itself with its whole history and its next step as the default button.

Next steps: 登记 → 受理; 受理/办理 → 办理完毕; 回访 → 回访 (the complainant's verdict; 不满意
reopens it) until a satisfied callback, then 归档. 办理记录 and 移交 are there at every open stage.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton

from hallclient.core.complaints import (
    ACTION_LABELS,
    ACTIONS,
    COMPLEXITY_LABELS,
    KIND_LABELS,
    STAGE_LABELS,
    VERDICTS,
    Complaint,
    Complexity,
    Stage,
)
from hallclient.core.permissions import Actor, Role
from hallclient.services import complaints as complaint_service
from hallclient.services.context import ServiceContext
from hallclient.ui.case_detail import mask_phone
from hallclient.ui.rectification_action import StepSpec
from hallclient.ui.rectification_panel import SupervisionPanel
from hallclient.ui.rectification_view import history_rows

HISTORY_LABELS = {"register": "登记", **ACTION_LABELS}


def satisfied_since_handled(complaint: Complaint) -> bool:
    """The last callback after the last 办理完毕 found the complainant satisfied."""
    verdict = None
    for h in complaint.history:
        if h.get("action") == "handled":
            verdict = None
        elif h.get("action") == "callback":
            verdict = h.get("verdict")
    return verdict is not None and verdict != "不满意"


def next_step(complaint: Complaint) -> str | None:
    return {Stage.REGISTERED: "accept", Stage.ACCEPTED: "handled", Stage.HANDLING: "handled",
            Stage.CALLBACK: "archive" if satisfied_since_handled(complaint) else "callback"}.get(complaint.stage)


def complaint_spec(action: str, complaint: Complaint) -> StepSpec:
    label = ACTION_LABELS[action]
    complexities = tuple((c.value, COMPLEXITY_LABELS[c]) for c in
                         sorted(Complexity, key=lambda c: c is not complaint.complexity))
    return {
        "accept": StepSpec(label, "受理说明", note_required=False, complexities=complexities),
        "handle": StepSpec(label, "办理记录"),
        "handled": StepSpec(label, "办理结果"),
        "callback": StepSpec(label, "回访情况", verdicts=VERDICTS, verdict_required=True),
        "archive": StepSpec(label, "归档说明", note_required=False),
        "handover": StepSpec(label, "移交说明", note_required=False, to_login=True),
    }[action]


class ComplaintPanel(SupervisionPanel):
    COLUMNS = ("逾期", "阶段", "编号", "反映人", "窗口", "责任人", "本阶段期限", "类型")
    FILTERS = (("open", "未归档"), ("overdue", "逾期"), ("all", "全部"),
               *((s.value, STAGE_LABELS[s]) for s in Stage))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contact_button = QPushButton(self.tr("显示联系方式"))
        self.view.extra.addStretch(1)
        self.view.extra.addWidget(self.contact_button)
        self.contact_button.clicked.connect(self.reveal_contact)

    def reveal_contact(self) -> None:
        item, label = self.current, self.view.values.get("联系方式")
        if item is not None and label is not None:
            label.setText(item.contact or "—")

    def load(self, ctx: ServiceContext, actor: Actor) -> list[Complaint]:
        return complaint_service.list_complaints(ctx, actor)

    def key(self, item: Complaint) -> str:
        return item.number

    def subject(self, item: Complaint) -> str:
        return self.tr("投诉 %s") % item.number

    def cells(self, item: Complaint) -> tuple[list[str], bool]:
        late = item.overdue(self.today)
        return (["逾期" if late else "", STAGE_LABELS[item.stage], item.number, item.complainant,
                 item.about_window or "", item.owner_login, str(item.stage_due or ""), KIND_LABELS[item.kind]], late)

    def is_open(self, item: Complaint) -> bool:
        return item.stage is not Stage.ARCHIVED

    def matches(self, item: Complaint, flt: str) -> bool:
        if flt == "open":
            return self.is_open(item)
        if flt == "overdue":
            return item.overdue(self.today)
        return flt == "all" or item.stage.value == flt

    def title(self) -> str:
        opened, late = self.counts()
        name = self.tr("投诉") if self.actor().has(Role.SUPERVISOR) else self.tr("我的投诉")
        return f"{name}（{opened}）" + (self.tr("·逾期 %d") % late if late else "")

    def show_item(self, item: Complaint) -> None:
        late = item.overdue(self.today)
        about = "；".join(x for x in (f"{item.about_window} 号窗口" if item.about_window else "",
                                      f"人员 {item.about_clerk}" if item.about_clerk else "",
                                      f"事项 {item.item_code}" if item.item_code else "") if x)
        self.view.set_facts(
            f"{KIND_LABELS[item.kind]} {item.number}" + (" · 逾期" if late else ""),
            [("阶段", STAGE_LABELS[item.stage] + (f"（已重新办理 {item.reopened} 次）" if item.reopened else ""), False),
             ("本阶段期限", f"{item.stage_due or '—'}" + ("（已逾期）" if late else ""), late),
             ("复杂程度", COMPLEXITY_LABELS[item.complexity], False),
             ("责任人（首问负责）", item.owner_login + (f"，登记人 {item.registered_by}"
                                                if item.registered_by != item.owner_login else ""), False),
             ("反映人", item.complainant, False),
             ("联系方式", mask_phone(item.contact) if item.contact else "", False),
             ("涉及", about, False),
             ("受理编号", (item.case_number or "") + ("（由差评转入）" if item.rating_uuid else ""), False),
             ("反映的问题", item.what_happened, False),
             ("诉求", item.what_they_ask, False)])
        self.view.set_history(history_rows(item.history, HISTORY_LABELS))
        steps = [(a, ACTION_LABELS[a]) for a, (stages, _after) in ACTIONS.items() if item.stage in stages]
        self.view.set_steps(steps, next_step(item))

    def spec(self, item: Complaint, action: str) -> StepSpec:
        return complaint_spec(action, item)

    def advance(self, ctx: ServiceContext, actor: Actor, item: Complaint, action: str,
                values: dict[str, Any]) -> Any:
        complexity = values.get("complexity")
        return complaint_service.advance(ctx, actor, item.number, action, note=str(values.get("note") or ""),
                                         verdict=values.get("verdict"), to_login=values.get("to_login"),
                                         complexity=Complexity(complexity) if complexity else None)
