"""The documents of one case: pick one, preview it, print it; later prints are reprints (补打).

The list stays open until every document was printed or saved, or the clerk closes it: Enter
opens the current document, Enter there prints it and brings the clerk back to the list with
that row ticked and the next one selected. 另存为 offers the case number and the document's
title as the file name (as `hallclient documents case` writes them) in the folder used last.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
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

UI_STATE = "ui_state.json"  # small things the window remembers (the folder PDFs were saved to)


def safe_file_name(case_number: str, title: str) -> str:
    """`信高新受〔2026〕01000123` + 受理通知书 → 信高新受_2026_01000123-受理通知书.pdf (as the CLI)."""
    safe_number = "".join(ch if ch.isalnum() else "_" for ch in case_number)
    return f"{safe_number}-{title}.pdf"


def remembered_folder(data_dir: Path | None) -> str:
    if data_dir is None:
        return ""
    try:
        return str(json.loads((data_dir / UI_STATE).read_text(encoding="utf-8")).get("documents_folder", ""))
    except (OSError, ValueError, AttributeError):
        return ""


def remember_folder(data_dir: Path | None, folder: str) -> None:
    if data_dir is None:
        return
    from hallclient.atomicfile import write_atomic

    try:
        state = json.loads((data_dir / UI_STATE).read_text(encoding="utf-8"))
        state = state if isinstance(state, dict) else {}
    except (OSError, ValueError):
        state = {}
    state["documents_folder"] = folder
    with contextlib.suppress(OSError):  # only a convenience: the next save starts elsewhere
        write_atomic(data_dir / UI_STATE, json.dumps(state, ensure_ascii=False).encode("utf-8"))


class CaseDocumentsDialog(QDialog):
    all_done = Signal(str)  # the case number: every document printed or saved

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
        self.done_kinds: set[str] = set()  # printed or saved while this list was open (not `done`: QDialog.done)
        self.last_error: str | None = None
        self.preview: DocumentPreviewDialog | None = None
        self.setWindowTitle(f"办件文书 - {case.case_number}")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"办件 {case.case_number} 的文书（Enter 预览，预览中 Enter 打印并回到本列表）："))
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
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("关闭")
        close.setAutoDefault(False)  # Enter opens a document; it never closes the list
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, 300)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The list passes Enter on after activating a row; QDialog would then press a button.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not self.list.hasFocus() and self.list.currentItem() is not None:
                self.open_preview(str(self.list.currentItem().data(Qt.ItemDataRole.UserRole)))
            event.accept()
            return
        super().keyPressEvent(event)

    def kinds(self) -> list[str]:
        return [str(self.list.item(row).data(Qt.ItemDataRole.UserRole)) for row in range(self.list.count())]

    def _label_rows(self) -> None:
        for row in range(self.list.count()):
            entry = self.list.item(row)
            kind = DocumentKind(entry.data(Qt.ItemDataRole.UserRole))  # Qt hands back a plain str
            if kind.value in self.printed:
                note = "（已打印，再打为补打）"
            elif kind.value in self.done_kinds:
                note = "（已保存）"
            else:
                note = ""
            entry.setText(f"{KIND_TITLES[kind]}{note}")
            # A tick shows what is done (not a control: Enter opens the document).
            entry.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            entry.setCheckState(Qt.CheckState.Checked if kind.value in self.done_kinds | self.printed
                                else Qt.CheckState.Unchecked)

    def open_preview(self, kind: DocumentKind | str) -> DocumentPreviewDialog:
        kind = DocumentKind(kind)
        doc_case, settings = self.doc_case, self.doc_settings
        self.preview = DocumentPreviewDialog(
            kind.value, lambda reprint: build_document(kind, doc_case, settings, reprint=reprint),
            title=KIND_TITLES[kind], already_printed=kind.value in self.printed, parent=self,
            file_name=safe_file_name(self.case.case_number, KIND_TITLES[kind]),
            folder=remembered_folder(self.ctx.data_dir), close_when_done=True)
        self.preview.printed.connect(self._record_print)
        self.preview.saved.connect(lambda path, k=kind.value: self._saved(k, path))
        self.preview.finished.connect(self._back_to_list)
        self.preview.open()
        return self.preview

    def _saved(self, kind: str, path: str) -> None:
        remember_folder(self.ctx.data_dir, str(Path(path).parent))
        self.done_kinds.add(kind)
        self._label_rows()

    def _back_to_list(self, _result: int = 0) -> None:
        """The preview closed: the list again, on the next document not yet done; the list
        closes itself once every document was printed or saved (after the preview has fully
        closed: never inside its own finished signal)."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self._after_preview)

    def _after_preview(self) -> None:
        from shiboken6 import isValid

        if not isValid(self) or not self.isVisible():
            return
        kinds = self.kinds()
        if kinds and all(k in self.done_kinds for k in kinds):
            self.all_done.emit(self.case.case_number)
            self.accept()
            return
        current = self.list.currentRow()
        order = list(range(current + 1, len(kinds))) + list(range(0, current + 1))
        nxt = next((row for row in order if kinds[row] not in self.done_kinds), current)
        self.list.setCurrentRow(nxt)
        self.activateWindow()
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _record_print(self, kind: str, reprint: bool) -> None:
        ctx, case_uuid, actor = self.ctx, self.case.uuid, self.actor
        self.printed.add(kind)
        self.done_kinds.add(kind)
        self._label_rows()

        def recorded(result: object) -> None:
            if isinstance(result, BaseException):  # e.g. a refusal: printed, but not recorded
                self.last_error = f"打印记录未保存：{result}"
                warn(self, "打印记录未保存", self.last_error)

        self.tasks.run_op(lambda: case_service.record_print(ctx, actor, case_uuid, kind, reprint=reprint),
                          recorded, source=self)
