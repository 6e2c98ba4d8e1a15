"""The follow-up dialogs of the cases view: record supplemented materials, return a case (退件).

Both are opened with ``open()`` (window-modal, not blocking) and refuse an empty answer in place,
so the clerk can correct it without starting over.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hallclient.core.cases import Case

KeyRole = Qt.ItemDataRole.UserRole + 1
ERROR_STYLE = "color: #9b1c1c;"


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class SupplementDialog(QDialog):
    """Tick the tolerated materials the applicant has brought: Space toggles, Enter confirms."""

    def __init__(self, case: Case, outstanding: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("登记补正")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(f"办件 {case.case_number}（{case.applicant.name}）\n"
                       "勾选申请人本次补交的容缺材料（空格键勾选，Enter 确认）：", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.materials = QListWidget(self)
        for entry in outstanding:
            by = entry.get("supplement_by") or "待定"
            item = QListWidgetItem(f"{entry['name']}　（补正期限 {by}）")
            item.setData(KeyRole, entry["key"])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.materials.addItem(item)
        self.materials.setCurrentRow(0)
        layout.addWidget(self.materials)
        self.error_label = QLabel("", self)
        self.error_label.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error_label)
        self.buttons = _buttons(self, "确认补正")
        layout.addWidget(self.buttons)
        self.materials.setFocus()

    def selected_keys(self) -> list[str]:
        return [self.materials.item(i).data(KeyRole) for i in range(self.materials.count())
                if self.materials.item(i).checkState() == Qt.CheckState.Checked]

    def accept(self) -> None:
        if not self.selected_keys():
            self.error_label.setText("请至少勾选一项已补交的材料。")
            self.materials.setFocus()
            return
        super().accept()


class ReturnDialog(QDialog):
    """退件 with a reason the applicant will read: Ctrl+Enter confirms; an empty reason is refused."""

    def __init__(self, case: Case, suggested: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("退件")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(f"退回办件 {case.case_number}（{case.applicant.name}）。\n"
                       "请填写退件原因，将告知申请人（Ctrl+Enter 确认）：", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlainText(suggested)
        self.reason_edit.selectAll()
        self.reason_edit.setMinimumHeight(90)
        self.reason_edit.installEventFilter(self)
        layout.addWidget(self.reason_edit)
        self.error_label = QLabel("", self)
        self.error_label.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error_label)
        self.buttons = _buttons(self, "确认退件")
        layout.addWidget(self.buttons)
        self.reason_edit.setFocus()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.reason_edit and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        if not self.reason():
            self.error_label.setText("退件原因不能为空。")
            self.reason_edit.setFocus()
            return
        super().accept()
