"""How cases read on screen: the cases table model, deadline texts and the detail page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from hallclient.core.cases import CASE_STATE_LABELS, Case, CaseState
from hallclient.core.checklist import (
    DECISION_LABELS,
    MATERIAL_STATUS_LABELS,
    Decision,
)
from hallclient.core.workdays import WorkCalendar
from hallclient.ui.case_detail import (
    EVENT_LABELS,
    document_title,
    event_detail,
    mark_details,
    mask_id_number,
    mask_phone,
    sent_back_opinion,
    when_text,
)

AnyIndex = QModelIndex | QPersistentModelIndex
CaseRole = Qt.ItemDataRole.UserRole + 1  # the Case of the row
OverdueRole = Qt.ItemDataRole.UserRole + 2  # True on a supplement-overdue row

OVERDUE_BACKGROUND = QColor("#fde2e2")
OVERDUE_FOREGROUND = QColor("#9b1c1c")

COLUMNS = ("受理编号", "申请人", "事项", "结果", "状态", "受理日期", "补正期限/剩余", "办结期限")
COL_NUMBER, COL_APPLICANT, COL_ITEMS, COL_DECISION, COL_STATE, COL_ACCEPTED, COL_SUPPLEMENT, COL_DUE = range(8)



@dataclass(frozen=True)
class Cell:
    text: str
    tooltip: str = ""


def outstanding_tolerated(case: Case) -> list[dict[str, Any]]:
    """Tolerated materials not yet supplemented."""
    return [t for t in case.tolerated if not t.get("supplemented_at")]


def supplement_cell(case: Case, calendar: WorkCalendar | None, today: date) -> Cell:
    """补正期限/剩余: the deadline and the working days left (or overdue) where it applies."""
    state = case.effective_state(today)
    if state not in (CaseState.AWAITING_SUPPLEMENT, CaseState.SUPPLEMENT_OVERDUE):
        if case.tolerated and not outstanding_tolerated(case):
            return Cell("已补正")
        return Cell("")
    pending = "、".join(t["name"] for t in outstanding_tolerated(case))
    tooltip = f"待补正：{pending}" if pending else ""
    deadline = case.supplement_by
    if deadline is None:
        return Cell("待定", case.deadline_problem or tooltip)
    day = deadline.isoformat()
    try:
        if state is CaseState.SUPPLEMENT_OVERDUE:
            late = calendar.working_days_between(deadline, today) if calendar else None
            if late is None:
                return Cell(day, tooltip)
            return Cell(f"{day}（逾期 {late} 个工作日）" if late else f"{day}（已逾期）", tooltip)
        if today == deadline:
            return Cell(f"{day}（今日到期）", tooltip)
        if calendar is None:
            return Cell(day, tooltip)
        left = calendar.working_days_between(today, deadline)
        return Cell(f"{day}（剩 {left} 个工作日）", tooltip)
    except LookupError as error:  # UnknownCalendarYear: never guess, show the date only
        return Cell(day, "\n".join(p for p in (tooltip, str(error)) if p))


def due_cell(case: Case) -> Cell:
    """办结期限: the due date; 待定 with the reason when the calendar could not give one."""
    if case.due_date is not None:
        return Cell(case.due_date.isoformat())
    if case.deadline_problem:
        return Cell("待定", case.deadline_problem)
    if case.state in (CaseState.ACCEPTED, CaseState.AWAITING_SUPPLEMENT):
        return Cell("待定")
    return Cell("")


def items_text(case: Case) -> str:
    names = "、".join(case.item_names)
    return f"{case.bundle_name}（{names}）" if case.bundle_name else names


@dataclass(frozen=True)
class _Row:
    case: Case
    overdue: bool
    cells: tuple[Cell, ...]


def _row(case: Case, calendar: WorkCalendar | None, today: date) -> _Row:
    state = case.effective_state(today)
    overdue = state is CaseState.SUPPLEMENT_OVERDUE
    items = items_text(case)
    cells = (
        Cell(case.case_number),
        Cell(case.applicant.name, f"法定代表人：{rep}" if (rep := case.applicant.legal_representative) else ""),
        Cell(items, items),
        Cell(DECISION_LABELS[case.decision]),
        Cell(CASE_STATE_LABELS[state], f"退件原因：{case.return_reason}" if case.return_reason else ""),
        Cell(case.accepted_on.isoformat()),
        supplement_cell(case, calendar, today),
        due_cell(case),
    )
    return _Row(case, overdue, cells)


class CaseTableModel(QAbstractTableModel):
    """The listed cases; texts are computed once per refresh, not per paint."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[_Row] = []

    def set_cases(self, cases: Sequence[Case], calendar: WorkCalendar | None, today: date) -> None:
        self.beginResetModel()
        self._rows = [_row(case, calendar, today) for case in cases]
        self.endResetModel()

    def case_at(self, row: int) -> Case:
        return self._rows[row].case

    def row_of(self, *, uuid: str | None = None, number: str | None = None) -> int:
        for i, row in enumerate(self._rows):
            if (uuid is not None and row.case.uuid == uuid) or (number is not None and row.case.case_number == number):
                return i
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[index.column()].text
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.cells[index.column()].tooltip or None
        if role == Qt.ItemDataRole.BackgroundRole and row.overdue:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue:
            return QBrush(OVERDUE_FOREGROUND)
        if role == CaseRole:
            return row.case
        if role == OverdueRole:
            return row.overdue
        return None


# -- the detail page ---------------------------------------------------------------------------



def _event_text(event: dict[str, Any], names: dict[str, str]) -> str:
    data = event.get("data") or {}
    kind = event.get("kind", "")
    detail = ""
    if kind == "created" and data.get("decision"):
        detail = DECISION_LABELS.get(Decision(data["decision"]), data["decision"])
    elif kind == "supplemented":
        detail = "、".join(names.get(k, k) for k in data.get("keys", []))
        if data.get("complete"):
            detail += "（容缺材料已补齐）"
    elif kind == "returned":
        detail = data.get("reason", "")
    elif kind in ("printed", "reprinted"):
        detail = document_title(str(data.get("document", "")))
    else:  # the chief representative's decisions and later steps
        detail = event_detail(event)
    label = EVENT_LABELS.get(kind, kind)
    clerk = event.get("clerk_name") or ""
    return f"{when_text(event.get('at', ''))}　{label}　{escape(clerk)}　{escape(str(detail))}"


def _field(label: str, value: str) -> str:
    return f"<tr><td style='color:#555; padding-right:8px; white-space:nowrap'>{label}</td><td>{value}</td></tr>"


def case_detail_html(case: Case, calendar: WorkCalendar | None, today: date) -> str:
    """The selected case in full: applicant (masked), items, decision, checklist, deadlines, events."""
    state = case.effective_state(today)
    a = case.applicant
    colour = "#9b1c1c" if state is CaseState.SUPPLEMENT_OVERDUE else "#1d4e89"
    title = (f"<p style='font-size:13pt'><b>{escape(case.case_number)}</b>　"
             f"<span style='color:{colour}'><b>{CASE_STATE_LABELS[state]}</b></span></p>")
    who = escape(a.name)
    if a.uscc:
        who += f"　统一社会信用代码 {escape(a.uscc)}"
    if a.legal_representative:
        who += f"　法定代表人 {escape(a.legal_representative)}"
    left = [_field("申请人", who)]
    if a.id_number:
        left.append(_field("证件号", escape(mask_id_number(a.id_number))))
    if a.phone:
        left.append(_field("电话", escape(mask_phone(a.phone))))
    if a.agent_name:
        left.append(_field("代理人", f"{escape(a.agent_name)}　{escape(mask_id_number(a.agent_id_number))}"))
    left.append(_field("事项", escape(items_text(case))))
    left.append(_field("受理", f"{case.accepted_on.isoformat()}　{escape(case.window_number)} 号窗口　"
                               f"{escape(case.clerk_name)}" + (f"　号票 {escape(case.ticket_number)}"
                                                               if case.ticket_number else "")))
    left.append(_field("结果", DECISION_LABELS[case.decision]))
    left.append(_field("理由", "<br>".join(escape(r) for r in case.reasons) or "—"))
    if case.commitments:
        left.append(_field("告知承诺", escape("、".join(case.commitments))))
    due = due_cell(case)
    if due.text:
        left.append(_field("办结期限", escape(due.text + (f"（{due.tooltip}）" if due.tooltip else ""))))
    for t in case.tolerated:
        done = t.get("supplemented_at")
        status = f"已于 {when_text(done)} 补正" if done else f"补正期限 {t.get('supplement_by') or '待定'}"
        left.append(_field("容缺材料", f"{escape(t['name'])}　{status}"))
    supplement = supplement_cell(case, calendar, today)
    if supplement.text and supplement.text != "已补正":
        left.append(_field("补正状态", escape(supplement.text)))
    opinion = sent_back_opinion(case) if state is CaseState.SENT_BACK else None
    if opinion:
        left.append(_field("退回意见", f"<span style='color:#9b1c1c'><b>{escape(opinion)}</b></span>"
                                       "（可按意见更正材料清单或出具一次性告知：按「按退回意见重新受理」）"))
    if case.return_reason:
        left.append(_field("退件原因", f"<span style='color:#9b1c1c'>{escape(case.return_reason)}</span>"))
    if case.previous_case_uuid:
        left.append(_field("前次办件", "本件由前次一次性告知的办件再次受理"))

    rows = "".join(
        f"<tr><td>{escape(e.name)}</td><td style='padding:0 8px'>{MATERIAL_STATUS_LABELS[e.mark.status]}</td>"
        f"<td>{escape(mark_details(e.mark))}</td></tr>"
        for e in case.checklist
    )
    names = {e.key: e.name for e in case.checklist}
    events = "<br>".join(_event_text(e, names) for e in case.events) or "—"
    right = (f"<p><b>材料清单</b>（{len(case.checklist)} 项）</p><table cellspacing=0>{rows}</table>"
             f"<p><b>办理记录</b></p><p>{events}</p>")
    return (f"{title}<table width='100%' cellspacing=0 cellpadding=0><tr>"
            f"<td width='50%' valign='top'><table cellspacing=0 cellpadding=2>{''.join(left)}</table></td>"
            f"<td width='50%' valign='top' style='padding-left:16px'>{right}</td></tr></table>")
