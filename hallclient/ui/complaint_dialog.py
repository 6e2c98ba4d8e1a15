"""登记投诉: whoever is first asked registers the complaint here and owns it (首问负责) until
they hand it on. Reached from every role's window (办件 → 登记投诉…, Ctrl+Shift+T); not modal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hallclient.core.complaints import COMPLEXITY_LABELS, KIND_LABELS, ComplaintKind, Complexity
from hallclient.core.permissions import Actor
from hallclient.services import complaints as complaint_service
from hallclient.services.context import ServiceContext
from hallclient.ui.rating_wiring import SHORTCUT  # noqa: F401  Ctrl+Shift+T (T: 投诉, tousu), defined there
from hallclient.ui.tasks import TaskRunner


class ComplaintDialog(QDialog):
    registered = Signal(object)  # Complaint

    def __init__(self, ctx: ServiceContext, tasks: TaskRunner, actor: Callable[[], Actor],
                 parent: QWidget | None = None, *, case_number: str = "") -> None:
        super().__init__(parent)
        self.ctx, self.tasks, self.actor = ctx, tasks, actor
        self.setWindowTitle(self.tr("登记投诉（首问负责）"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        who = actor()
        intro = QLabel(self.tr("登记人 %s 为首问责任人，移交前由其跟进办理。") % who.describe())
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.kind_combo = QComboBox()
        for kind in ComplaintKind:
            self.kind_combo.addItem(KIND_LABELS[kind], kind.value)
        self.complexity_combo = QComboBox()
        for c in (Complexity.ORDINARY, Complexity.ON_SPOT, Complexity.COMPLEX):
            self.complexity_combo.addItem(COMPLEXITY_LABELS[c], c.value)
        self.complainant_edit = QLineEdit()
        self.contact_edit = QLineEdit()
        self.contact_edit.setPlaceholderText(self.tr("电话或其他联系方式"))
        self.window_edit = QLineEdit()
        self.window_edit.setPlaceholderText(self.tr("窗口号，选填"))
        self.clerk_edit = QLineEdit()
        self.clerk_edit.setPlaceholderText(self.tr("工作人员登录名，选填"))
        self.case_edit = QLineEdit(case_number)
        self.case_edit.setPlaceholderText(self.tr("受理编号，选填"))
        self.item_edit = QLineEdit()
        self.item_edit.setPlaceholderText(self.tr("事项编码，选填"))
        self.what_edit = QPlainTextEdit()
        self.what_edit.setFixedHeight(80)
        self.ask_edit = QPlainTextEdit()
        self.ask_edit.setFixedHeight(56)
        form.addRow(self.tr("类型"), self.kind_combo)
        form.addRow(self.tr("复杂程度"), self.complexity_combo)
        form.addRow(self.tr("反映人"), self.complainant_edit)
        form.addRow(self.tr("联系方式"), self.contact_edit)
        form.addRow(self.tr("涉及窗口"), self.window_edit)
        form.addRow(self.tr("涉及人员"), self.clerk_edit)
        form.addRow(self.tr("涉及办件"), self.case_edit)
        form.addRow(self.tr("涉及事项"), self.item_edit)
        form.addRow(self.tr("反映的问题"), self.what_edit)
        form.addRow(self.tr("诉求（选填）"), self.ask_edit)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(self.tr("登记"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def submit(self) -> None:
        ctx, actor = self.ctx, self.actor()
        values: dict[str, Any] = {
            "complainant": self.complainant_edit.text(), "contact": self.contact_edit.text(),
            "what_happened": self.what_edit.toPlainText(), "what_they_ask": self.ask_edit.toPlainText(),
            "kind": ComplaintKind(self.kind_combo.currentData()),
            "complexity": Complexity(self.complexity_combo.currentData()),
            "about_window": self.window_edit.text().strip() or None,
            "about_clerk": self.clerk_edit.text().strip() or None,
            "case_number": self.case_edit.text().strip() or None,
            "item_code": self.item_edit.text().strip() or None,
        }
        self.ok_button.setEnabled(False)
        self.error_label.setText(self.tr("正在登记…"))
        self.tasks.run_op(lambda: complaint_service.register(ctx, actor, **values), self._done, source=self)

    def _done(self, result: object) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(result, BaseException):
            text = str(result)
            self.error_label.setText(text.split(": ", 1)[-1] if ": " in text else text)
            return
        self.error_label.clear()
        self.registered.emit(result)
        self.accept()
