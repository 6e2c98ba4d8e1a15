"""The clerk's day at 1366×768 (issue 14): the status bar says one thing, the documents list
stays until every document is done, checklist keys never swallow the next keys, a new ticket
starts clean, a walk-in number prints its slip, Shift+F1 lists every key, import errors speak
Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hallclient.core.checklist import MaterialStatus
from hallclient.services.sync_ops import QueueTicket
from hallclient.ui import document_preview, print_service
from hallclient.ui.case_documents_dialog import (
    CaseDocumentsDialog,
    remembered_folder,
    safe_file_name,
)
from hallclient.ui.checklist_model import STATUS_COLUMN
from hallclient.ui.intake_panel import CHECKLIST_HINT
from hallclient.ui.main_window import MainWindow
from hallclient.ui.shortcuts_help import shortcuts_html
from hallclient.workspace import Workspace
from tests.ui.conftest import sign_in
from tests.ui.window_steps import open_intake

NEW_ITEM = "食品经营许可（新办）"  # six materials in the small test catalog


@pytest.fixture
def window(qtbot: QtBot, people_workspace: Workspace):  # type: ignore[no-untyped-def]
    win = MainWindow(people_workspace, sign_in(people_workspace, "lisi"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    with qtbot.waitSignal(win.sync.report_ready, timeout=10000):
        win.start()
    yield win
    win.tasks.wait_idle()


@pytest.fixture
def pdf_printer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The window's printer is a PDF file per print (the same rendering path as paper)."""
    printed: list[Path] = []

    def printer():  # type: ignore[no-untyped-def]
        path = tmp_path / f"printed-{len(printed) + 1}.pdf"
        printed.append(path)
        made = print_service.pdf_file_printer(path)
        printer.keep.append(made)  # type: ignore[attr-defined]
        return made

    printer.keep = []  # type: ignore[attr-defined]
    monkeypatch.setattr(print_service, "default_printer", printer)
    monkeypatch.setattr(document_preview, "default_printer", printer)
    return printed


def test_standalone_status_bar_says_one_thing(window: MainWindow) -> None:
    assert window.status.sync_label.text() == "单机运行"
    assert "待上报" not in window.status.sync_label.text()
    assert window.statusBar().currentMessage() != "同步完成"
    assert window.queue.ui.connectionLabel.text() == "单机"
    assert "#c62828" not in window.queue.ui.connectionLabel.styleSheet()  # not an alarm


def test_saving_the_central_address_starts_a_sync_at_once(window: MainWindow, qtbot: QtBot) -> None:
    window.workspace.settings.central_url = "http://127.0.0.1:9"
    window.workspace.settings.central_token = "token"
    with qtbot.waitSignal(window.sync.started, timeout=2000), \
            qtbot.waitSignal(window.sync.report_ready, timeout=20000) as reported:
        window._settings_saved(["central_token", "central_url"])
    assert not reported.args[0].standalone
    qtbot.waitUntil(lambda: "离线" in window.status.sync_label.text(), timeout=5000)


def test_a_malformed_catalog_file_is_explained_in_chinese(window: MainWindow, qtbot: QtBot,
                                                          tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "hallclient-catalog", "items": [ {"code": "x",} ]}', encoding="utf-8")
    window.catalog_files.import_path(bad)
    qtbot.waitUntil(lambda: window.catalog_files.last_error is not None, timeout=5000)
    error = window.catalog_files.last_error
    assert "第 1 行" in error and "多了逗号" in error, error
    assert "Expecting" not in error and "JSON:" not in error


def test_documents_list_stays_until_every_document_is_printed_or_saved(
        window: MainWindow, qtbot: QtBot, pdf_printer: list[Path], tmp_path: Path) -> None:
    open_intake(window, qtbot, NEW_ITEM)
    intake = window.intake
    intake.ui.nameEdit.setText("张三")
    intake.ui.idNumberEdit.setText("11010519491231002X")
    intake.ui.phoneEdit.setText("13812345678")
    for row in range(3):
        assert intake.mark_row(row, MaterialStatus.RECEIVED, original=True)
    assert intake.mark_row(3, MaterialStatus.TOLERATED), intake.ui.markProblem.text()
    assert intake.mark_row(4, MaterialStatus.COMMITMENT), intake.ui.markProblem.text()
    assert intake.mark_row(5, MaterialStatus.NOT_APPLICABLE, text="本人办理")
    with qtbot.waitSignal(intake.case_created, timeout=5000) as created:
        intake.confirm()
    case = created.args[0]
    qtbot.waitUntil(lambda: window.documents_dialog is not None, timeout=5000)
    dialog = window.documents_dialog
    assert isinstance(dialog, CaseDocumentsDialog)
    kinds = dialog.kinds()
    assert len(kinds) >= 2, kinds
    dialog.activateWindow()
    dialog.list.setCurrentRow(0)
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)  # Enter opens the document (and nothing else)
    preview = dialog.preview
    assert preview is not None and preview.isVisible()
    assert preview.file_name == safe_file_name(case.case_number, preview.windowTitle().split(" - ")[1])
    qtbot.keyClick(preview, Qt.Key.Key_Return)  # Enter there prints it (the default button)
    qtbot.waitUntil(lambda: not preview.isVisible() and dialog.list.currentRow() == 1, timeout=10000)
    assert pdf_printer and pdf_printer[0].read_bytes().startswith(b"%PDF")
    assert dialog.isVisible()  # back on the list, which stays
    assert dialog.list.item(0).checkState() == Qt.CheckState.Checked
    assert dialog.list.item(1).checkState() == Qt.CheckState.Unchecked
    assert dialog.list.currentRow() == 1  # the next document not yet done

    folder = tmp_path / "保存的文书"
    folder.mkdir()
    for row in range(1, len(kinds)):
        preview = dialog.open_preview(kinds[row])
        qtbot.waitUntil(preview.isVisible, timeout=5000)
        qtbot.wait(100)
        if row == 2:
            assert preview.folder == str(folder)  # the folder used last
        assert preview.save_pdf(folder / preview.file_name)
        qtbot.waitUntil(lambda p=preview: not p.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)  # every document done: the list closed itself
    saved = sorted(p.name for p in folder.iterdir())
    assert all(name.startswith("".join(c if c.isalnum() else "_" for c in case.case_number)) for name in saved)
    assert remembered_folder(window.workspace.data_dir) == str(folder)


def test_preview_fits_the_screen_with_its_buttons(window: MainWindow) -> None:
    from hallclient.ui.document_preview import DocumentPreviewDialog
    from hallclient.ui.walkin_slip import slip_pdf

    ticket = QueueTicket(id="t", number="W1-001", category="市场准入")
    preview = DocumentPreviewDialog.from_bytes("queue_slip", slip_pdf(ticket, 0, "1"), parent=window)
    area = preview.screen().availableGeometry()
    assert preview.height() <= area.height() - 60 and preview.width() <= area.width()
    preview.close()


def test_checklist_keys_never_swallow_the_next_keys(window: MainWindow, qtbot: QtBot) -> None:
    open_intake(window, qtbot, NEW_ITEM)
    intake = window.intake
    assert "3、7、8" in intake.ui.checklistHint.text() and intake.ui.checklistHint.text() == CHECKLIST_HINT
    intake.ui.nameEdit.setText("张三")
    intake.ui.idNumberEdit.setText("11010519491231002X")
    intake.ui.phoneEdit.setText("13812345678")
    table = intake.ui.checklistTable
    table.setFocus()
    table.setCurrentIndex(intake.model.index(0, STATUS_COLUMN))
    down, up = Qt.Key.Key_Down, Qt.Key.Key_Up
    typed = (Qt.Key.Key_7, down, Qt.Key.Key_3, down, Qt.Key.Key_1, down, Qt.Key.Key_5, down, Qt.Key.Key_4,
             down, Qt.Key.Key_8, up, Qt.Key.Key_1)
    for key in typed:
        qtbot.keyClick(table, key)
        assert QApplication.activeModalWidget() is None  # no prompt took the next key
    keys = [row.material.key for row in intake.intake.rows]
    assert [intake.intake.mark(k).status for k in keys] == [
        MaterialStatus.DEFECTIVE, MaterialStatus.E_LICENSE, MaterialStatus.RECEIVED,
        MaterialStatus.TOLERATED, MaterialStatus.RECEIVED, MaterialStatus.NOT_APPLICABLE]
    assert "确认受理时填写" in intake.ui.markProblem.text() or intake.ui.markProblem.text() == ""

    asked: list[list[tuple[str, str, bool]]] = []

    def answer(rows):  # type: ignore[no-untyped-def]
        asked.append(rows)
        return {key: ("签字缺失" if required else "") for key, _label, required in rows}

    intake.ask_details = answer
    details = intake.missing_details()
    assert [(k, required) for k, _label, required in details] == [(keys[0], True), (keys[1], False), (keys[5], True)]
    with qtbot.waitSignal(intake.case_created, timeout=5000):
        intake.confirm()
    assert len(asked) == 1  # one form for every detail
    assert intake.intake is None  # confirmed with the details


def test_going_back_from_the_details_keeps_the_intake(window: MainWindow, qtbot: QtBot) -> None:
    open_intake(window, qtbot, NEW_ITEM)
    intake = window.intake
    intake.ui.nameEdit.setText("张三")
    intake.ui.idNumberEdit.setText("11010519491231002X")
    intake.ui.phoneEdit.setText("13812345678")
    assert intake.mark_row(0, MaterialStatus.DEFECTIVE)
    intake.ask_details = lambda rows: None
    created: list[object] = []
    intake.case_created.connect(created.append)
    intake.confirm()
    window.tasks.wait_idle()
    assert not created and intake.active and intake.intake.mark(intake.model.key_at(0)).reason is None


def test_serving_a_new_ticket_clears_the_last_applicant(window: MainWindow, qtbot: QtBot) -> None:
    open_intake(window, qtbot)
    window.intake.ui.nameEdit.setText("上一位申请人")
    window.ui.searchEdit.setText("食品")
    assert window.intake.dirty
    window.start_ticket_intake(QueueTicket(id="t2", number="B002", category="市场准入", state="serving"))
    assert window.ui.searchEdit.text() == ""
    assert not window.intake.active and window.intake.ui.nameEdit.text() == ""
    assert window.ui.itemTitle.text() == "请选择事项" and window.catalog.current is None
    assert window.catalog.materials.rowCount() == 0
    assert window.intake.ticket_number == "B002"


def test_a_walkin_number_issued_offline_prints_its_slip(window: MainWindow, qtbot: QtBot,
                                                         pdf_printer: list[Path]) -> None:
    assert window.queue.ui.walkinButton.isVisible()
    with qtbot.waitSignal(window.queue.walkin_issued, timeout=5000) as issued:
        window.queue.issue_walkin()
    number = issued.args[0].number
    assert pdf_printer and pdf_printer[0].read_bytes().startswith(b"%PDF")
    assert "小票已打印" in window.statusBar().currentMessage() and number in window.statusBar().currentMessage()


def test_a_walkin_slip_that_cannot_print_opens_its_preview(window: MainWindow, qtbot: QtBot,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    def no_printer():  # type: ignore[no-untyped-def]
        raise print_service.PrintError("本机没有安装任何打印机。")

    monkeypatch.setattr(print_service, "default_printer", no_printer)
    with qtbot.waitSignal(window.queue.walkin_issued, timeout=5000):
        window.queue.issue_walkin()
    assert "未打印" in window.statusBar().currentMessage()
    assert window._slip_preview.isVisible() and window._slip_preview.page_count == 1  # type: ignore[attr-defined]
    window._slip_preview.close()  # type: ignore[attr-defined]


def test_shift_f1_lists_every_shortcut(window: MainWindow) -> None:
    assert window.ui.actionShortcuts.shortcut().toString() == "Shift+F1"
    html = shortcuts_html(window)
    for key in ("F1", "F2", "F3", "F4", "F5", "F6", "F7", "F9", "Ctrl+L", "Ctrl+Shift+L", "Ctrl+Shift+Y",
                "Ctrl+Shift+T", "Ctrl+Shift+P", "Ctrl+Enter", "Shift+F1"):
        assert f"<b>{key}" in html or f"{key} /" in html or f"/ {key}" in html, key
    for action in window.findChildren(QAction):
        key = action.shortcut().toString()
        if key:
            assert key in html, (key, action.text())
    dialog = window.show_shortcuts()
    assert dialog.isVisible() and "叫下一位" in dialog.view.toPlainText()
    dialog.close()
