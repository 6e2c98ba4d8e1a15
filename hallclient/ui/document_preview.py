"""Preview a generated document and print it: dialog, default printer (Ctrl+P), or PDF file.

The dialog takes a `build(reprint) -> bytes` callable so that, once a copy has been printed,
every further print is built again with the visible 补打 mark. `printed(kind, reprint)` is
emitted after each successful print so the caller can record it (and reprints) on the case.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hallclient.documents.kinds import write_pdf_atomic
from hallclient.ui.print_service import (
    LoadedPdf,
    PrintError,
    default_printer,
    print_document,
)


class DocumentPreviewDialog(QDialog):
    """Shows a PDF (QtPdf) with 打印…, 直接打印 (Ctrl+P) and 另存为 PDF…."""

    printed = Signal(str, bool)  # document kind, reprint
    saved = Signal(str)  # path of a PDF saved with 另存为

    def __init__(
        self,
        kind: str,
        build: Callable[[bool], bytes],
        *,
        title: str = "",
        already_printed: bool = False,
        parent: QWidget | None = None,
        file_name: str = "",
        folder: str = "",
        close_when_done: bool = False,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self._build = build
        self.reprint = already_printed
        # 另存为 offers `folder`/`file_name` (case number + title); after a print or a save the
        # preview may close itself so the clerk is back on the documents list at once.
        self.file_name = file_name or f"{kind}.pdf"
        self.folder = folder
        self.close_when_done = close_when_done
        self._pdf: LoadedPdf | None = None
        self._retired: list[LoadedPdf] = []
        self._printer: QPrinter | None = None  # kept referenced: a preview widget whose QPrinter is freed under it crashes (PySide6 6.12)
        self.setWindowTitle(f"打印预览 - {title}" if title else "打印预览")
        self._fit_screen()

        self.view = self._new_view()
        self.page_label = QLabel(self)
        self.reprint_label = QLabel(self)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.print_button = QPushButton("打印…", self)
        self.direct_button = QPushButton("直接打印 (Ctrl+P)", self)
        self.save_button = QPushButton("另存为 PDF…", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_with_dialog)
        self.direct_button.clicked.connect(self.print_direct)
        self.save_button.clicked.connect(self.save_with_dialog)
        self.direct_button.setDefault(True)
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_direct)

        top = QHBoxLayout()
        top.addWidget(self.page_label)
        top.addWidget(self.reprint_label)
        top.addStretch(1)
        row = QHBoxLayout()
        for button in (self.print_button, self.direct_button, self.save_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(row)
        self._load()

    def _fit_screen(self) -> None:
        """A4 proportions, as tall as the screen allows (1366×768: title bar, buttons visible)."""
        from PySide6.QtGui import QGuiApplication

        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        height = 960 if area is None else min(960, area.height() - 60)
        width = 820 if area is None else min(820, area.width() - 40)
        self.resize(width, max(400, height))

    @classmethod
    def from_bytes(cls, kind: str, data: bytes, *, title: str = "", reprint: bool = False,
                   parent: QWidget | None = None) -> DocumentPreviewDialog:
        """A preview of fixed bytes (no rebuild: the caller marks reprints itself)."""
        return cls(kind, lambda _reprint: data, title=title, already_printed=reprint, parent=parent)

    # --- state ----------------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        return self._pdf.document.pageCount() if self._pdf else 0

    @property
    def pdf_bytes(self) -> bytes:
        return bytes(self._pdf.bytes.data()) if self._pdf else b""

    def _load(self) -> None:
        old = self._pdf
        try:
            self._pdf = LoadedPdf(self._build(self.reprint), self)
        except PrintError as exc:
            self._show_error(str(exc))
            return
        if old is not None:
            # A fresh view: QPdfView may otherwise show a page image it was still rendering
            # from the old document (seen when a print follows the preview at once).
            view = self._new_view()
            self.layout().replaceWidget(self.view, view)
            self.view.setDocument(None)
            self.view.deleteLater()
            self.view = view
        self.view.setDocument(self._pdf.document)
        if old is not None:
            old.document.deleteLater()  # the buffer stays alive with `old` until then
            self._retired.append(old)
            del self._retired[:-2]
        self.page_label.setText(f"共 {self.page_count} 页")
        self.reprint_label.setText("（补打）" if self.reprint else "")

    def _new_view(self) -> QPdfView:
        view = QPdfView(self)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        view.setStyleSheet("background: #6b6b6b;")
        return view

    def _show_error(self, message: str) -> None:
        self.status_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.status_label.setText(message)

    def _show_info(self, message: str) -> None:
        self.status_label.setStyleSheet("color: #1b5e20;")
        self.status_label.setText(message)

    # --- actions --------------------------------------------------------------------------

    def print_direct(self) -> bool:
        """Print on the default printer with no dialog (one keystroke: Ctrl+P)."""
        try:
            printer = default_printer()
        except PrintError as exc:
            self._show_error(str(exc))
            return False
        return self.print_to(printer)

    def print_with_dialog(self) -> bool:
        """Let the clerk choose the printer and options (the system print dialog)."""
        try:
            printer = default_printer()
        except PrintError:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self._printer = printer
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Print the current document on `printer`; on failure show why and keep everything."""
        if self._pdf is None:
            self._show_error("没有可打印的文档。")
            return False
        self._printer = printer
        try:
            pages = print_document(self._pdf.document, printer)
        except PrintError as exc:
            self._show_error(str(exc))
            return False
        was_reprint = self.reprint
        where = printer.printerName() or printer.outputFileName()
        self._show_info(f"已发送到“{where}”，共 {pages} 页" + ("（补打）。" if was_reprint else "。"))
        self.printed.emit(self.kind, was_reprint)
        if not was_reprint:
            self.reprint = True  # any later copy is a reprint and must say so on paper
            self._load()
        if self.close_when_done:
            self.accept()
        return True

    def save_with_dialog(self) -> bool:
        start = str(Path(self.folder) / self.file_name) if self.folder else self.file_name
        path, _ = QFileDialog.getSaveFileName(self, "另存为 PDF", start, "PDF 文件 (*.pdf)")
        if not path:
            return False
        return self.save_pdf(path)

    def save_pdf(self, path: str | Path) -> bool:
        """Write the previewed PDF (as shown, with or without 补打) crash-safely."""
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        try:
            write_pdf_atomic(target, self.pdf_bytes)
        except OSError as exc:
            self._show_error(f"无法保存 PDF 文件“{target}”：{exc.strerror or exc}。请换一个位置再试。")
            return False
        self._show_info(f"已保存：{target}")
        self.saved.emit(str(target))
        if self.close_when_done:
            self.accept()
        return True
