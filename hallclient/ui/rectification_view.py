"""One piece of supervision work, shown whole: its facts, its history, and its next step as the
default (primary) button with the other allowed steps beside it. `WorkView` is shared by the
rectification task (here) and the complaint (`complaint_view.py`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hallclient.core.evaluation import (
    LEVEL_LABELS,
    RECT_ACTION_LABELS,
    RECT_ACTIONS,
    RECT_LABELS,
    VERDICTS,
    Rectification,
    RectState,
)
from hallclient.ui.rectification_action import StepSpec

PRIMARY = ("QPushButton { background: #2c4a6b; color: white; font-weight: bold; padding: 6px 16px; "
           "border-radius: 4px; } QPushButton:disabled { background: #9aa7b4; }")
OVERDUE = "color: #c62828; font-weight: bold;"
HISTORY_COLUMNS = ("时间", "人员", "操作", "说明", "结果")

NEXT_STEP = {RectState.OPEN: "contact", RectState.CONTACTED: "rectify", RectState.RECTIFIED: "close",
             RectState.EXPLAINED: "close", RectState.APPEALED: "decide_appeal"}


def rect_spec(action: str, state: RectState) -> StepSpec:
    label = RECT_ACTION_LABELS[action]
    return {
        "contact": StepSpec(label, "回访情况"),
        "rectify": StepSpec(label, "整改措施"),
        "explain": StepSpec(label, "情况说明"),
        "appeal": StepSpec(label, "申诉理由"),
        "decide_appeal": StepSpec(label, "复核理由", upheld=True),
        "close": StepSpec(label, "办结说明", verdicts=VERDICTS, verdict_required=state is RectState.RECTIFIED),
    }[action]


class WorkView(QWidget):
    """Facts (a form), history (a table), steps (buttons; the next one primary, Ctrl+Enter)."""

    step_requested = Signal(str)  # action

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(4)
        layout.addLayout(self.form)
        self.extra = QHBoxLayout()  # e.g. 查看回访电话, 转为投诉
        layout.addLayout(self.extra)
        layout.addWidget(QLabel(self.tr("处理经过")))
        self.history = QTableWidget(0, len(HISTORY_COLUMNS))
        self.history.setHorizontalHeaderLabels(list(HISTORY_COLUMNS))
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        self.history.setWordWrap(True)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.history, 1)
        self.steps = QHBoxLayout()
        layout.addLayout(self.steps)
        self.step_buttons: dict[str, QPushButton] = {}
        self.default_action: str | None = None
        self._default = QShortcut(QKeySequence("Ctrl+Return"), self)
        self._default.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._default.activated.connect(self.take_default)
        self.values: dict[str, QLabel] = {}

    @property
    def default_button(self) -> QPushButton | None:
        return self.step_buttons.get(self.default_action or "")

    def take_default(self) -> None:
        button = self.default_button
        if button is not None and button.isEnabled():
            button.click()

    def set_facts(self, title: str, rows: list[tuple[str, str, bool]]) -> None:
        """(caption, value, flagged red) rows."""
        self.title.setText(title)
        while self.form.rowCount():
            self.form.removeRow(0)
        self.values = {}
        for caption, value, red in rows:
            label = QLabel(value or "—")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if red:
                label.setStyleSheet(OVERDUE)
            self.values[caption] = label
            self.form.addRow(caption, label)

    def set_history(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        self.history.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.history.setItem(r, c, QTableWidgetItem(text))
        self.history.resizeRowsToContents()

    def set_steps(self, steps: list[tuple[str, str]], default: str | None) -> None:
        """(action, label) in order; `default` is the next step."""
        while self.steps.count():
            item = self.steps.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.step_buttons = {}
        self.default_action = default if any(a == default for a, _l in steps) else None
        ordered = sorted(steps, key=lambda s: s[0] != self.default_action)
        for action, label in ordered:
            text = f"{label}（Ctrl+Enter）" if action == self.default_action else label
            button = QPushButton(text)
            if action == self.default_action:
                button.setStyleSheet(PRIMARY)
                button.setDefault(True)
            button.clicked.connect(lambda _c=False, a=action: self.step_requested.emit(a))
            self.step_buttons[action] = button
            self.steps.addWidget(button)
        self.steps.addStretch(1)

    def clear(self, text: str) -> None:
        self.set_facts(text, [])
        self.set_history([])
        self.set_steps([], None)


def _by(login: str, names: Callable[[str], str]) -> str:
    return names(login) if login else ""


def history_rows(history: tuple[dict[str, Any], ...], labels: dict[str, str],
                 names: Callable[[str], str] = lambda s: s) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for h in history:
        result = []
        if h.get("verdict"):
            result.append(f"申请人：{h['verdict']}")
        if "upheld" in h and h["upheld"] is not None:
            result.append("申诉成立" if h["upheld"] else "申诉不成立")
        if h.get("to"):
            result.append(f"移交 {h['to']}")
        rows.append((str(h.get("at", ""))[:16].replace("T", " "), _by(h.get("by", ""), names),
                     labels.get(h.get("action", ""), h.get("action", "")), h.get("note", ""), "；".join(result)))
    return rows


def show_rectification(view: WorkView, rect: Rectification, today: date) -> None:
    late = rect.overdue(today)
    contact_late, rectify_late = "回访逾期" in late, "整改逾期" in late
    outcome = ""
    if rect.appeal_upheld is not None:
        outcome = "申诉成立" if rect.appeal_upheld else "申诉不成立"
    view.set_facts(
        f"差评整改 · {rect.case_number or f'{rect.window_number} 号窗口'}" + (f" · {'、'.join(late)}" if late else ""),
        [("状态", RECT_LABELS[rect.state], False),
         ("窗口 / 人员", f"{rect.window_number} 号窗口 · {rect.clerk_login}", False),
         ("评价", LEVEL_LABELS[rect.level], False),
         ("差评原因", "、".join(rect.reasons), False),
         ("评价意见", rect.comment, False),
         ("实名", "是（留有回访电话）" if rect.real_name else "否", False),
         ("回访期限", f"{rect.contact_by or '未定'}" + ("（已逾期）" if contact_late else ""), contact_late),
         ("整改期限", f"{rect.rectify_by or '未定'}" + ("（已逾期）" if rectify_late else ""), rectify_late),
         ("申请人对整改的评价", rect.verdict or "", False),
         ("申诉复核", outcome, False)])
    view.set_history(history_rows(rect.history, RECT_ACTION_LABELS))
    steps = [(a, RECT_ACTION_LABELS[a]) for a, (states, _after) in RECT_ACTIONS.items() if rect.state in states]
    view.set_steps(steps, NEXT_STEP.get(rect.state))
