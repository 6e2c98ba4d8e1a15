"""Printing through a real spooler, as a hall's PC does: Enter on the document in the list opens
it, Enter in the preview prints it on the default printer (CUPS with a virtual PDF printer) and
the PDF arrives with its pages; a stopped queue says so and leaves the case untouched; after
`cupsenable` the next print works and is recorded as a reprint (补打)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hallclient.ui.main_window import MainWindow
from hallclient.workspace import Workspace
from tests.printing.conftest import OUT
from tests.ui.conftest import sign_in
from tests.ui.window_steps import accept_with_form_received, open_intake

A4_POINTS = (595, 842)


def _pdfs() -> set[tuple[Path, float]]:
    return {(path, path.stat().st_mtime) for path in OUT.glob("*.pdf")} if OUT.is_dir() else set()


def _arrived(before: set[tuple[Path, float]], preview, timeout: float = 90) -> Path:  # type: ignore[no-untyped-def]
    """The new PDF cups-pdf wrote, once its size stops changing."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = _pdfs() - before
        if new:
            path = new.pop()[0]
            size = -1
            while size != path.stat().st_size:
                size = path.stat().st_size
                time.sleep(0.5)
            if size > 0:
                return path
        QApplication.processEvents()
        time.sleep(0.2)
    jobs = subprocess.run(["lpstat", "-o"], capture_output=True, text=True).stdout
    raise AssertionError(f"no PDF arrived in {OUT} within {timeout} s; queue: {jobs!r}; "
                         f"preview says: {preview.status_label.text()!r}")


def _events(window: MainWindow, case_uuid: str) -> list[str]:
    from hallclient.services import cases

    window.tasks.wait_idle()
    case, _items = cases.case_with_items(window.ctx, window.session.actor, case_uuid)
    return [event["kind"] for event in case.events]


def _press_enter(preview, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    """The clerk's one keystroke: Enter in the preview presses its default button, 直接打印."""
    qtbot.keyClick(preview, Qt.Key.Key_Return)


def test_enter_prints_through_cups_then_a_stopped_queue_then_a_reprint(
        cups_printer: str, people_workspace: Workspace, qtbot: QtBot) -> None:
    window = MainWindow(people_workspace, sign_in(people_workspace, "lisi"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(window.catalog.index_ready, timeout=10000):
        window.start()
    open_intake(window, qtbot)
    case = accept_with_form_received(window, qtbot, "李雷")
    qtbot.waitUntil(lambda: window.documents_dialog is not None and window.documents_dialog.isVisible(),
                    timeout=5000)
    dialog = window.documents_dialog
    assert dialog is not None
    dialog.activateWindow()
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)  # Enter on the document opens its preview
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.preview.isVisible(), timeout=5000)
    preview = dialog.preview
    qtbot.waitUntil(lambda: preview.page_count > 0, timeout=10000)
    pages = preview.page_count

    # 1. One keystroke: the document reaches the spooler and comes out as a PDF of its pages.
    before = _pdfs()
    _press_enter(preview, qtbot)
    printed = _arrived(before, preview)
    reader = PdfReader(printed)
    assert len(reader.pages) == pages
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
    qtbot.waitUntil(lambda: _events(window, case.uuid)[-1:] == ["printed"], timeout=5000)
    events_after_print = _events(window, case.uuid)
    qtbot.waitUntil(lambda: not preview.isVisible(), timeout=5000)  # printed: back to the list

    # 2. A stopped queue: a clear message, nothing recorded, nothing printed.
    subprocess.run(["cupsdisable", cups_printer], check=True)
    dialog.show()
    again = dialog.open_preview(dialog.kinds()[0])  # printed once already: the next copy is 补打
    qtbot.waitUntil(lambda: again.page_count > 0, timeout=10000)
    before = _pdfs()
    _press_enter(again, qtbot)
    message = again.status_label.text()
    assert "打印机" in message and "错误状态" in message and "重新打印" in message, message
    assert again.isVisible()  # the clerk can print again from here
    assert _events(window, case.uuid) == events_after_print
    time.sleep(3)
    assert _pdfs() == before
    jobs = subprocess.run(["lpstat", "-o", cups_printer], capture_output=True, text=True).stdout
    assert jobs.strip() == "", f"a job was queued on the stopped printer: {jobs}"

    # 3. The queue back: the next Enter prints, and it is a reprint (补打).
    subprocess.run(["cupsenable", cups_printer], check=True)
    before = _pdfs()
    _press_enter(again, qtbot)
    reprinted = _arrived(before, again)
    assert len(PdfReader(reprinted).pages) == pages
    qtbot.waitUntil(lambda: _events(window, case.uuid)[-1:] == ["reprinted"], timeout=5000)
    assert _events(window, case.uuid) == [*events_after_print, "reprinted"]
    dialog.close()
    window.tasks.wait_idle()
