"""Printing PDF documents with Qt: the default printer, a chosen printer, or a PDF file.

Pages are rendered with QPdfDocument.render (transparent background, so painted on white) and
drawn at their true size onto a QPrinter. Every failure raises `PrintError` with a message for
the clerk; nothing is changed on the case, so the document can simply be printed again.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

RENDER_DPI = 300  # enough for text and QR codes; 600 dpi A4 pages cost ~140 MB each
RETRY_HINT = "文档未丢失，处理后可重新打印。"


class PrintError(RuntimeError):
    """Printing failed; str(error) is the Chinese message for the clerk."""


def available_printer_names() -> list[str]:
    return [info.printerName() for info in QPrinterInfo.availablePrinters()]


def printer_problem(info: QPrinterInfo) -> str | None:
    """Why `info` cannot print now, in Chinese, or None when it looks ready."""
    if info.isNull():
        return "找不到该打印机，可能已被删除或未连接。"
    if info.state() == QPrinter.PrinterState.Error:
        return f"打印机“{info.printerName()}”处于错误状态：可能已关闭、缺纸、卡纸或脱机。"
    return None


_preferred = {"name": ""}  # the window's printer (settings.printer_name), set at start and on change


def set_preferred_printer(name: str) -> None:
    """Documents go to `name` with one key; empty: the system's default printer."""
    _preferred["name"] = (name or "").strip()


def default_printer() -> QPrinter:
    """A QPrinter for the window's printer (the one chosen in the settings, else the system
    default); PrintError when there is none usable."""
    if not QPrinterInfo.availablePrinters():
        raise PrintError("本机没有安装任何打印机。请联系管理员安装打印机，或先“另存为 PDF”。" + RETRY_HINT)
    info = QPrinterInfo.printerInfo(_preferred["name"]) if _preferred["name"] else QPrinterInfo.defaultPrinter()
    if _preferred["name"] and info.isNull():
        raise PrintError(f"窗口设置中的打印机“{_preferred['name']}”不存在或未连接。"
                         "请在“设置 → 窗口设置”中选择打印机。" + RETRY_HINT)
    if info.isNull():
        raise PrintError("尚未设置默认打印机。请使用“打印…”选择打印机，或在系统中设置默认打印机。")
    problem = printer_problem(info)
    if problem:
        raise PrintError(problem + RETRY_HINT)
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def pdf_file_printer(path: str | Path) -> QPrinter:
    """A QPrinter that writes a PDF file (the same rendering path as paper)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


class LoadedPdf:
    """A QPdfDocument loaded from bytes, keeping its buffer alive as long as the document."""

    def __init__(self, data: bytes, parent: object | None = None) -> None:
        self.bytes = QByteArray(data)
        self.buffer = QBuffer(self.bytes)
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(parent)  # type: ignore[arg-type]
        self.document.load(self.buffer)
        if self.document.status() != QPdfDocument.Status.Ready or self.document.pageCount() < 1:
            raise PrintError("文档无法打开（PDF 数据无效）。请重新生成文档后再试。")

    def close(self) -> None:
        self.document.close()
        self.buffer.close()


def _page_size(document: QPdfDocument, page: int) -> QPageSize:
    points = document.pagePointSize(page)
    return QPageSize(QSizeF(points.width(), points.height()), QPageSize.Unit.Point, "",
                     QPageSize.SizeMatchPolicy.FuzzyMatch)


def render_page(document: QPdfDocument, page: int, dpi: int = RENDER_DPI) -> QImage:
    """The page as an opaque image on white at `dpi`."""
    points = document.pagePointSize(page)
    size = QSize(max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72)))
    rendered = document.render(page, size)
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return image


def print_document(document: QPdfDocument, printer: QPrinter, *, dpi: int = RENDER_DPI) -> int:
    """Print every page of `document` at true size on `printer`; returns the page count.

    Raises PrintError when the printer cannot start, fails midway, or reports an error state.
    """
    pages = document.pageCount()
    if pages < 1:
        raise PrintError("文档没有可打印的页面。")
    printer.setFullPage(True)
    printer.setPageLayout(QPageLayout(_page_size(document, 0), QPageLayout.Orientation.Portrait,
                                      QMarginsF(0, 0, 0, 0)))
    name = printer.printerName() or printer.outputFileName() or "打印机"
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(f"无法开始打印：“{name}”不可用（可能未连接、已关闭、缺纸，或文件无法写入）。"
                         + RETRY_HINT)
    try:
        for page in range(pages):
            if page and not printer.newPage():
                raise PrintError(f"打印第 {page + 1} 页时出错：请检查“{name}”。" + RETRY_HINT)
            image = render_page(document, page, dpi)
            res = printer.resolution()
            points = document.pagePointSize(page)
            target = QRectF(0, 0, points.width() * res / 72, points.height() * res / 72)
            painter.drawImage(target, image)
    finally:
        with contextlib.suppress(RuntimeError):
            painter.end()
    if printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        raise PrintError(f"打印机“{name}”报告错误，打印可能未完成：请检查电源、纸张和连线。"
                         + RETRY_HINT)
    return pages


def print_pdf_bytes(data: bytes, printer: QPrinter, *, dpi: int = RENDER_DPI) -> int:
    """Load PDF bytes and print them (see `print_document`)."""
    pdf = LoadedPdf(data)
    try:
        return print_document(pdf.document, printer, dpi=dpi)
    finally:
        pdf.close()


def print_test_page(name: str, window_number: str) -> tuple[bool, str, QPrinter | None]:
    """One test page on the printer `name` (empty: the system default), as the first-run wizard
    and the window settings offer it: (printed, what to tell the person, the QPrinter used — keep
    it referenced until the job is spooled)."""
    from hallclient.documents.test_page import build_test_page

    info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo.defaultPrinter()
    problem = printer_problem(info) if not info.isNull() else (
        f"找不到打印机“{name}”。" if name else "本机没有设置系统默认打印机，请在列表中选择一台。")
    if problem:
        return False, problem, None
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    try:
        pages = print_pdf_bytes(build_test_page(window_number or "1", info.printerName()), printer, dpi=150)
    except PrintError as exc:
        return False, str(exc), printer
    return True, f"测试页已发送到“{info.printerName()}”（{pages} 页）：请到打印机取页核对。", printer
