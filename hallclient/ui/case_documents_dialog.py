"""The documents of one case: pick one, preview it, print it; later prints are reprints (补打)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hallclient.case_documents import document_case, document_settings
from hallclient.core.cases import Case
from hallclient.core.catalog import ServiceItem
from hallclient.core.permissions import Actor
from hallclient.documents import KIND_TITLES, DocumentKind, build_document, documents_for
from hallclient.services import cases as case_service
from hallclient.services.context import ServiceContext
from hallclient.ui.document_preview import DocumentPreviewDialog
from hallclient.ui.messages import warn
from hallclient.ui.tasks import TaskRunner


class CaseDocumentsDialog(QDialog):
    def __init__(self, case: Case, items: Sequence[ServiceItem], ctx: ServiceContext, actor: Actor,
                 tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.ctx = ctx
        self.tasks = tasks
        self.actor = actor
        self.doc_case = document_case(case, items)
        self.doc_settings = document_settings(ctx.settings)
        self.printed = case_service.printed_documents(case)
        self.last_error: str | None = None
        self.preview: DocumentPreviewDialog | None = None
        self.setWindowTitle(f"办件文书 - {case.case_number}")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"办件 {case.case_number} 的文书（Enter 预览并打印）："))
        self.list = QListWidget()
        for kind in documents_for(self.doc_case):
            entry = QListWidgetItem()
            entry.setData(Qt.ItemDataRole.UserRole, kind)
            self.list.addItem(entry)
        self._label_rows()
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(
            lambda entry: self.open_preview(DocumentKind(entry.data(Qt.ItemDataRole.UserRole))))
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(420, 260)

    def _label_rows(self) -> None:
        for row in range(self.list.count()):
            entry = self.list.item(row)
            kind = DocumentKind(entry.data(Qt.ItemDataRole.UserRole))  # Qt hands back a plain str
            done = "（已打印，再打为补打）" if kind.value in self.printed else ""
            entry.setText(f"{KIND_TITLES[kind]}{done}")

    def open_preview(self, kind: DocumentKind | str) -> DocumentPreviewDialog:
        kind = DocumentKind(kind)
        doc_case, settings = self.doc_case, self.doc_settings
        self.preview = DocumentPreviewDialog(
            kind.value, lambda reprint: build_document(kind, doc_case, settings, reprint=reprint),
            title=KIND_TITLES[kind], already_printed=kind.value in self.printed, parent=self)
        self.preview.printed.connect(self._record_print)
        self.preview.open()
        return self.preview

    def _record_print(self, kind: str, reprint: bool) -> None:
        ctx, case_uuid, actor = self.ctx, self.case.uuid, self.actor
        self.printed.add(kind)
        self._label_rows()

        def recorded(result: object) -> None:
            if isinstance(result, BaseException):  # e.g. a refusal: printed, but not recorded
                self.last_error = f"打印记录未保存：{result}"
                warn(self, "打印记录未保存", self.last_error)

        self.tasks.run_op(lambda: case_service.record_print(ctx, actor, case_uuid, kind, reprint=reprint),
                          recorded, source=self)
