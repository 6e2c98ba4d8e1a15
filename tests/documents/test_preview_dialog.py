"""DocumentPreviewDialog offscreen: page count, printing, reprints, and printer faults."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdf
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo  # noqa: E402

from hallclient.documents import DocumentKind, build_document  # noqa: E402
from hallclient.ui import print_service  # noqa: E402
from hallclient.ui.document_preview import DocumentPreviewDialog  # noqa: E402
from hallclient.ui.fonts import register_fonts  # noqa: E402
from hallclient.ui.print_service import PrintError, pdf_file_printer  # noqa: E402
from tests.documents.doc_cases import CASES, SETTINGS  # noqa: E402

KIND = DocumentKind.ACCEPTANCE_NOTICE
NO_PRINTERS = not QPrinterInfo.availablePrinters()


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "".join((p.extract_text() or "") for p in reader.pages).replace(" ", "")


@pytest.fixture
def dialog(qtbot):
    built: list[bool] = []

    def build(reprint: bool) -> bytes:
        built.append(reprint)
        return build_document(KIND, CASES["accept"], SETTINGS, reprint=reprint)

    dlg = DocumentPreviewDialog(KIND.value, build, title=KIND.title)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.built = built  # type: ignore[attr-defined]
    return dlg


def test_shows_page_count(dialog) -> None:
    assert dialog.page_count == 1
    assert dialog.page_label.text() == "共 1 页"
    assert dialog.reprint_label.text() == ""
    assert "受理通知书" in dialog.windowTitle()


@pytest.mark.skipif(not NO_PRINTERS, reason="a printer is installed: not printing on it in tests")
def test_direct_print_without_printer_says_so(dialog, qtbot) -> None:
    with qtbot.assertNotEmitted(dialog.printed):
        assert dialog.print_direct() is False
    assert "没有安装任何打印机" in dialog.status_label.text()
    assert dialog.reprint is False
    # Ctrl+P, the one-keystroke print, takes the same path
    dialog.status_label.clear()
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert "没有安装任何打印机" in dialog.status_label.text()


def test_print_to_pdf_then_every_later_print_is_a_reprint(dialog, qtbot, tmp_path: Path) -> None:
    first = tmp_path / "first.pdf"
    with qtbot.waitSignal(dialog.printed) as signal:
        assert dialog.print_to(pdf_file_printer(first)) is True
    assert signal.args == [KIND.value, False]
    assert first.stat().st_size > 10_000
    reader = pypdf.PdfReader(str(first))
    assert len(reader.pages) == 1
    assert float(reader.pages[0].mediabox.width) == pytest.approx(595.3, abs=1)  # A4, true size
    # the preview now shows the reprint, marked 补打 on paper
    assert dialog.reprint is True and dialog.reprint_label.text() == "（补打）"
    assert dialog.built == [False, True]
    assert "补打" in text_of(dialog.pdf_bytes)
    with qtbot.waitSignal(dialog.printed) as signal:
        assert dialog.print_to(pdf_file_printer(tmp_path / "second.pdf")) is True
    assert signal.args == [KIND.value, True]
    assert "补打" in dialog.status_label.text()


def test_printer_that_cannot_start_keeps_everything(dialog, qtbot, tmp_path: Path) -> None:
    broken = pdf_file_printer(tmp_path / "no-such-dir" / "x.pdf")  # painter.begin() fails
    with qtbot.assertNotEmitted(dialog.printed):
        assert dialog.print_to(broken) is False
    assert "无法开始打印" in dialog.status_label.text()
    assert "可重新打印" in dialog.status_label.text()
    assert dialog.reprint is False and dialog.page_count == 1
    # fixed, printed again: still the first print
    with qtbot.waitSignal(dialog.printed) as signal:
        assert dialog.print_to(pdf_file_printer(tmp_path / "ok.pdf")) is True
    assert signal.args == [KIND.value, False]


def test_save_as_pdf(dialog, qtbot, tmp_path: Path) -> None:
    with qtbot.waitSignal(dialog.saved), qtbot.assertNotEmitted(dialog.printed):
        assert dialog.save_pdf(tmp_path / "copy") is True
    saved = tmp_path / "copy.pdf"
    assert saved.read_bytes() == dialog.pdf_bytes
    assert [p.name for p in tmp_path.iterdir()] == ["copy.pdf"]
    # a folder that cannot exist (its parent is a file): a message, no exception
    with qtbot.assertNotEmitted(dialog.saved):
        assert dialog.save_pdf(saved / "x.pdf") is False
    assert "无法保存" in dialog.status_label.text()


class _FakeInfo:
    """A printer in error state: a fault that cannot be caused without a real printer."""

    def __init__(self, state: QPrinter.PrinterState, null: bool = False) -> None:
        self._state = state
        self._null = null

    def isNull(self) -> bool:  # noqa: N802
        return self._null

    def state(self) -> QPrinter.PrinterState:
        return self._state

    def printerName(self) -> str:  # noqa: N802
        return "窗口打印机"


def test_default_printer_faults(monkeypatch) -> None:
    fake_class = type("Info", (), {})
    monkeypatch.setattr(print_service, "QPrinterInfo", fake_class)
    fake_class.availablePrinters = staticmethod(lambda: [_FakeInfo(QPrinter.PrinterState.Idle)])
    fake_class.defaultPrinter = staticmethod(lambda: _FakeInfo(QPrinter.PrinterState.Idle, null=True))
    with pytest.raises(PrintError, match="尚未设置默认打印机"):
        print_service.default_printer()
    fake_class.defaultPrinter = staticmethod(lambda: _FakeInfo(QPrinter.PrinterState.Error))
    with pytest.raises(PrintError, match="错误状态.*缺纸"):
        print_service.default_printer()


def test_ui_font_is_the_document_font(qapp) -> None:
    assert register_fonts()[0] == "WenQuanYi Micro Hei"
