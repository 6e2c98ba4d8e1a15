"""The one small dialog each decision of the chief representative asks: what the law wants
written (reasons, an opinion, the extension's reason) and how many working days.

The dialog only collects; the panel hands the values to `services.approval.decide`, which
checks them again and refuses with the reason a person reads."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from hallclient.core.approval import MAX_EXTENSION_DAYS, ApprovalOutcome


@dataclass(frozen=True)
class Ask:
    title: str
    intro: str
    text_label: str = ""  # empty: no text asked
    text_required: bool = False
    days_label: str = ""  # empty: no number asked
    days_range: tuple[int, int] = (1, MAX_EXTENSION_DAYS)
    days_default: int = 0
    ok_text: str = "确定"


ASKS: dict[ApprovalOutcome, Ask] = {
    ApprovalOutcome.APPROVED: Ask(
        "准予", "材料齐全、符合法定形式，当场作出准予决定（行政许可法第三十四条），办件办结。\n"
        "决定书将以您的姓名出具。确认准予？", ok_text="确认准予"),
    ApprovalOutcome.DENIED: Ask(
        "不予许可", "不予许可须书面说明理由，并告知申请人申请行政复议或者提起行政诉讼的权利"
        "（行政许可法第三十八条第二款）。", text_label="不予许可的理由（每行一条）", text_required=True,
        ok_text="作出不予许可决定"),
    ApprovalOutcome.SENT_BACK: Ask(
        "退回窗口", "办件将退回受理窗口，窗口可据此出具一次性告知或更正材料清单。",
        text_label="退回意见（窗口将看到）", text_required=True, ok_text="退回窗口"),
    ApprovalOutcome.TO_BACK_OFFICE: Ask(
        "转后台审批", "需论证、勘察、听证或集体研究的事项转后台审批。", text_label="说明（可不填）",
        days_label="预计作出决定", days_range=(1, 60), days_default=5, ok_text="转后台审批"),
    ApprovalOutcome.EXTENDED: Ask(
        "延长期限", f"经本机关负责人批准，可延长不超过 {MAX_EXTENSION_DAYS} 个工作日，并将延长期限的理由"
        "告知申请人（行政许可法第四十二条）。", text_label="延长理由（将写入告知书）", text_required=True,
        days_label="延长", days_range=(1, MAX_EXTENSION_DAYS), days_default=MAX_EXTENSION_DAYS,
        ok_text="延长期限"),
}


class DecisionDialog(QDialog):
    """Ctrl+Enter (or the button) takes the decision; Esc cancels."""

    def __init__(self, outcome: ApprovalOutcome, case_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome = outcome
        ask = self.ask = ASKS[outcome]
        self.setWindowTitle(f"{ask.title} - {case_number}")
        form = QFormLayout(self)
        intro = QLabel(ask.intro)
        intro.setWordWrap(True)
        form.addRow(intro)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(110)
        self.days = QSpinBox()
        self.days.setRange(*ask.days_range)
        self.days.setValue(ask.days_default or ask.days_range[0])
        self.days.setSuffix(" 个工作日")
        if ask.text_label:
            form.addRow(ask.text_label, self.text)
        else:
            self.text.hide()
        if ask.days_label:
            form.addRow(ask.days_label, self.days)
        else:
            self.days.hide()
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828;")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(f"{ask.ok_text} (Ctrl+Enter)")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消 (Esc)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept, Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.setMinimumWidth(520)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.activateWindow()  # the keys go here at once, not to the window behind
        (self.text if self.ask.text_label else self.ok_button).setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def accept(self) -> None:
        if self.ask.text_required and not self.text.toPlainText().strip():
            self.problem.setText(f"请填写{self.ask.text_label.split('（')[0]}")
            self.text.setFocus()
            return
        super().accept()

    def values(self) -> dict[str, object]:
        """The keyword arguments of `services.approval.decide` for this decision."""
        text = self.text.toPlainText().strip()
        if self.outcome is ApprovalOutcome.DENIED:
            return {"reasons": [line.strip() for line in text.splitlines() if line.strip()]}
        if self.outcome is ApprovalOutcome.SENT_BACK:
            return {"opinion": text}
        if self.outcome is ApprovalOutcome.TO_BACK_OFFICE:
            return {"expected_days": self.days.value(), "reason": text}
        if self.outcome is ApprovalOutcome.EXTENDED:
            return {"days": self.days.value(), "reason": text}
        return {}
