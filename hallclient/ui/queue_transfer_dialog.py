"""The transfer dialog (F5): to another category's queue or to one window, at its front or back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)


class TransferTarget(NamedTuple):
    category: str | None
    window: str | None
    front: bool


class TransferDialog(QDialog):
    def __init__(self, number: str, categories: Sequence[str], current_category: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"转移 {number} 号")
        self.kind = QComboBox()
        self.kind.addItem("转到其他类别的队列", "category")
        self.kind.addItem("转到指定窗口", "window")
        self.category = QComboBox()
        for category in categories:
            self.category.addItem(category, category)
        index = self.category.findData(current_category)
        if index >= 0:
            self.category.setCurrentIndex(index)
        self.window = QLineEdit()
        self.window.setPlaceholderText("窗口号，如 5")
        self.window.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9A-Za-z_-]{1,16}")))
        self.front = QRadioButton("排在队首（优先叫）")
        self.back = QRadioButton("排在队尾")
        self.back.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.front)
        group.addButton(self.back)
        where = QHBoxLayout()
        where.addWidget(self.front)
        where.addWidget(self.back)
        form = QFormLayout()
        form.addRow("转移方式(&K)：", self.kind)
        form.addRow("类别(&C)：", self.category)
        form.addRow("窗口(&W)：", self.window)
        form.addRow("位置：", where)
        self.problem = QLabel()
        self.problem.setStyleSheet("color:#c62828;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        to_window = self.kind.currentData() == "window"
        self.window.setEnabled(to_window)
        self.category.setEnabled(not to_window)
        (self.window if to_window else self.category).setFocus()

    def _accept(self) -> None:
        if self.kind.currentData() == "window" and not self.window.text().strip():
            self.problem.setText("请填写要转往的窗口号")
            return
        self.accept()

    def target(self) -> TransferTarget:
        if self.kind.currentData() == "window":
            return TransferTarget(None, self.window.text().strip(), self.front.isChecked())
        return TransferTarget(self.category.currentData(), None, self.front.isChecked())
