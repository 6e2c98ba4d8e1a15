"""设置 → 窗口设置 holds everything the first-run wizard asks (issue 14): the queue categories, the
central's CA file and the printer beside the number, address and token; written through the
settings service, with the hall settings an administrator's. And long catalog texts at
1366×768: an elided cell or value shows its whole text in the tooltip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolTip,
)
from pytestqt.qtbot import QtBot

from hallclient.core.catalog_format import load_catalog_file
from hallclient.core.permissions import PermissionDenied
from hallclient.services import audit, catalog
from hallclient.services import settings as settings_service
from hallclient.settings import SETTINGS_FILENAME
from hallclient.ui import print_service
from hallclient.ui.main_window import MainWindow
from hallclient.ui.tasks import TaskRunner
from hallclient.ui.text_fit import full_text, is_elided
from hallclient.ui.window_settings import settings_dialog
from hallclient.workspace import Workspace
from tests.conftest import small_catalog, write_catalog
from tests.ui.conftest import add_people, sign_in

LONG_STANDARD = ("平面布局图须标明经营场所的总面积、各功能区的位置和面积、加工制作间的布局与流程、"
                 "设备设施的摆放位置，以及更衣、清洗、消毒、贮存等场所的设置，图上须有申请人签字或盖章，"
                 "与现场核查的情况一致")
LONG_FEE = "住宅类每件80元，非住宅类每件550元；每增加一本不动产权证书加收证书工本费10元（按省物价部门核定的标准收取）"
LONG_NAME = "法定代表人、企业负责人、质量负责人及委托代理人的居民身份证或其他有效身份证件"


def saved_file(data_dir: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((data_dir / SETTINGS_FILENAME).read_text(encoding="utf-8"))


@pytest.fixture
def workspace(data_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The small catalog with one long 受理标准, a long fee and a long material name."""
    data = small_catalog()
    item = data["items"][0]
    item["fee"] = LONG_FEE
    item["materials"][3]["standard"] = LONG_STANDARD
    item["materials"][2]["name"] = LONG_NAME
    ws = Workspace(data_dir)
    add_people(ws, ("admin", "lisi"))
    admin = sign_in(ws, "admin").actor
    catalog.replace_catalog(ws.services, admin, load_catalog_file(write_catalog(tmp_path / "long.json", data)))
    ws.save_settings()  # not a first run
    yield ws
    ws.close()


@pytest.fixture
def tasks():  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    yield runner
    runner.wait_idle()


def test_the_wizards_settings_are_rows_of_the_settings_dialog(qtbot: QtBot, workspace: Workspace,
                                                              tasks: TaskRunner, data_dir: Path) -> None:
    clerk = sign_in(workspace, "lisi").actor
    settings = workspace.settings
    settings.printer_name = "二楼柜台打印机"  # set once, not installed now: kept, said so
    dialog, collect = settings_dialog(None, settings, clerk, tasks=tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    boxes = {box.property("category"): box for box in dialog.findChildren(QCheckBox)}
    assert set(boxes) == {"无差别受理", "市场准入", "建设工程", "不动产登记", "社会事务"}
    assert all(box.isChecked() for box in boxes.values())  # None: every category
    printer = dialog.findChild(QComboBox, "printerCombo")
    assert printer.currentData() == "二楼柜台打印机" and "未找到" in printer.currentText()
    assert printer.itemData(0) == ""  # the system default first
    ca = dialog.findChild(QLineEdit, "caFileEdit")
    assert ca.text() == "" and dialog.findChild(QPushButton, "caFileButton") is not None

    boxes["建设工程"].setChecked(False)
    boxes["社会事务"].setChecked(False)
    ca.setText("/etc/hallclient/hall-ca.pem")
    printer.setCurrentIndex(0)
    values = collect()
    assert values["window_categories"] == ["无差别受理", "市场准入", "不动产登记"]
    assert values["central_ca_file"] == "/etc/hallclient/hall-ca.pem"
    assert values["printer_name"] == ""

    # The window's own settings: the clerk signed in here may change them, through the service.
    result = settings_service.update_settings(workspace.services, clerk, values)
    assert set(result.value) == {"window_categories", "central_ca_file", "printer_name"}
    assert result.changes.settings
    on_disk = saved_file(data_dir)
    assert on_disk["window_categories"] == ["无差别受理", "市场准入", "不动产登记"]
    assert on_disk["central_ca_file"] == "/etc/hallclient/hall-ca.pem" and on_disk["printer_name"] == ""
    record = audit.list_records(workspace.services, sign_in(workspace, "admin").actor,
                                audit.AuditFilter(kind="settings_changed")).value[0]  # newest first
    assert record["actor"] == "lisi"
    assert set(record["detail"]["fields"]) == {"window_categories", "central_ca_file", "printer_name"}

    # Opened again it shows what was saved; all categories ticked again is saved as "all" (None).
    dialog2, collect2 = settings_dialog(None, settings, clerk, tasks=tasks)
    qtbot.addWidget(dialog2)
    boxes2 = {box.property("category"): box for box in dialog2.findChildren(QCheckBox)}
    assert [name for name, box in boxes2.items() if box.isChecked()] == ["无差别受理", "市场准入", "不动产登记"]
    assert dialog2.findChild(QLineEdit, "caFileEdit").text() == "/etc/hallclient/hall-ca.pem"
    for box in boxes2.values():
        box.setChecked(True)
    assert collect2()["window_categories"] is None


def test_a_window_needs_a_category_and_a_plain_number(qtbot: QtBot, workspace: Workspace) -> None:
    dialog, _collect = settings_dialog(None, workspace.settings, sign_in(workspace, "lisi").actor)
    qtbot.addWidget(dialog)
    ok = next(b for b in dialog.findChildren(QPushButton) if b.text() == "确定")
    problem = dialog.findChild(QLabel, "settingsProblem")
    for box in dialog.findChildren(QCheckBox):
        box.setChecked(False)
    assert not ok.isEnabled() and problem.text() == "请至少勾选一个受理类别"
    dialog.findChildren(QCheckBox)[1].setChecked(True)
    assert ok.isEnabled()
    dialog.findChild(QLineEdit, "windowNumberEdit").setText("3 号")
    assert not ok.isEnabled() and problem.text() == "窗口号只能由数字或字母组成"
    dialog.findChild(QLineEdit, "windowNumberEdit").setText("3")
    assert ok.isEnabled()


def test_hall_settings_are_refused_to_a_clerk(qtbot: QtBot, workspace: Workspace, data_dir: Path) -> None:
    clerk = sign_in(workspace, "lisi").actor
    dialog, collect = settings_dialog(None, workspace.settings, clerk)
    qtbot.addWidget(dialog)
    authority = dialog.findChild(QLineEdit, "authorityEdit")
    assert authority.isReadOnly() and "仅系统管理员可修改" in authority.toolTip()
    assert not dialog.findChild(QLineEdit, "caFileEdit").isReadOnly()  # the window's own
    values = collect() | {"authority": "另一个机关", "window_categories": ["市场准入"]}
    with pytest.raises(PermissionDenied, match="系统管理员"):
        settings_service.update_settings(workspace.services, clerk, values)
    assert workspace.settings.authority != "另一个机关" and workspace.settings.window_categories is None
    assert saved_file(data_dir)["window_categories"] is None  # nothing written
    admin = sign_in(workspace, "admin").actor
    assert "authority" in settings_service.update_settings(workspace.services, admin, values).value


def test_the_central_test_says_what_went_wrong(qtbot: QtBot, workspace: Workspace, tasks: TaskRunner) -> None:
    dialog, _collect = settings_dialog(None, workspace.settings, sign_in(workspace, "lisi").actor, tasks=tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    result = dialog.findChild(QLabel, "centralResult")
    button = dialog.findChild(QPushButton, "testCentralButton")
    dialog.findChild(QLineEdit, "centralUrlEdit").setText("10.0.0.5:8765")  # no scheme
    dialog.findChild(QLineEdit, "centralTokenEdit").setText("token")
    button.click()
    qtbot.waitUntil(lambda: button.isEnabled() and "http" in full_text(result), timeout=15000)
    assert result.isVisible() and "中心服务地址须以 http:// 或 https:// 开头" in full_text(result)
    assert result.toolTip() == full_text(result)  # a long message: the whole of it in the tooltip
    height = dialog.height()
    dialog.findChild(QLineEdit, "caFileEdit").setText("/tmp/无此文件.pem")
    dialog.findChild(QLineEdit, "centralUrlEdit").setText("https://127.0.0.1:9")
    button.click()
    qtbot.waitUntil(lambda: button.isEnabled() and "CA 证书文件" in full_text(result), timeout=15000)
    assert "/tmp/无此文件.pem" in full_text(result) and dialog.height() == height  # said in place


def test_the_printer_row_prints_a_test_page(qtbot: QtBot, workspace: Workspace,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []

    def fake_print(data: bytes, printer, dpi: int = 0) -> int:  # type: ignore[no-untyped-def]
        assert data.startswith(b"%PDF")
        sent.append(printer.printerName())
        return 1

    monkeypatch.setattr(print_service, "print_pdf_bytes", fake_print)
    dialog, _collect = settings_dialog(None, workspace.settings, sign_in(workspace, "lisi").actor)
    qtbot.addWidget(dialog)
    combo = dialog.findChild(QComboBox, "printerCombo")
    names = [info.printerName() for info in QPrinterInfo.availablePrinters()]
    assert [combo.itemData(i) for i in range(combo.count())] == ["", *names]
    result = dialog.findChild(QLabel, "printerResult")
    if not names:  # no printer on this machine: said, nothing sent
        dialog.findChild(QPushButton, "testPageButton").click()
        assert not sent and full_text(result)
        return
    combo.setCurrentIndex(1)
    dialog.findChild(QPushButton, "testPageButton").click()
    assert sent == [names[0]] and "测试页已发送" in full_text(result)


# -- long texts at 1366×768 ---------------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace):  # type: ignore[no-untyped-def]
    win = MainWindow(workspace, sign_in(workspace, "lisi"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    with qtbot.waitSignal(win.catalog.index_ready, timeout=10000):
        win.start()
    win.ui.searchEdit.setText("食品经营许可（新办）")
    qtbot.waitUntil(lambda: win.ui.itemTitle.text() == "食品经营许可（新办）", timeout=5000)
    yield win
    win.tasks.wait_idle()


def tooltip_at(qtbot: QtBot, view, index) -> str:  # type: ignore[no-untyped-def]
    """What the view's tooltip says when the mouse rests on `index`."""
    rect = view.visualRect(index)
    point = rect.center()
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(lambda: QToolTip.isVisible(), timeout=3000)
    text = QToolTip.text()
    QToolTip.hideText()
    return text


def test_a_long_standard_is_elided_with_the_whole_text_in_its_tooltip(qtbot: QtBot, window: MainWindow) -> None:
    table = window.ui.materialsTable
    model = table.model()
    standard = model.columnCount() - 1
    assert model.headerData(standard, Qt.Orientation.Horizontal) == "受理标准"
    index = model.index(3, standard)
    assert index.data() == LONG_STANDARD
    width = table.columnWidth(standard)
    # Usable: the standard has the widest column, wraps onto three lines, and ends in "…".
    assert width >= max(table.columnWidth(c) for c in range(model.columnCount()) if c != standard)
    assert width > 200 and table.viewport().width() - table.horizontalHeader().length() <= 2  # nothing off screen
    lines = table.rowHeight(3) // table.fontMetrics().lineSpacing()
    assert lines == 3 and is_elided(table, LONG_STANDARD, width * 3)
    assert LONG_STANDARD in tooltip_at(qtbot, table, index)
    name = model.index(2, 0)
    assert LONG_NAME in tooltip_at(qtbot, table, name)
    assert table.rowHeight(0) < table.rowHeight(3)  # a short row stays one line


def test_the_checklist_shows_the_requirement_and_tooltips_what_is_cut(qtbot: QtBot, window: MainWindow) -> None:
    window.catalog.request_intake()
    table = window.intake.ui.checklistTable
    model = table.model()
    assert model.headerData(1, Qt.Orientation.Horizontal) == "要求"
    qtbot.waitUntil(lambda: model.rowCount() == 6, timeout=5000)
    qtbot.wait(50)
    for row in range(model.rowCount()):  # every requirement readable in full, one line a row
        text = model.index(row, 1).data()
        assert not is_elided(table, text, table.columnWidth(1) - 12), text
        assert table.rowHeight(row) == 26
    assert table.columnWidth(0) > table.columnWidth(1)  # the name keeps the most room
    assert table.viewport().width() - table.horizontalHeader().length() <= 2
    assert LONG_NAME in tooltip_at(qtbot, table, model.index(2, 0))
    assert "受理标准：" + LONG_STANDARD in tooltip_at(qtbot, table, model.index(3, 1))


def test_a_long_fee_is_one_line_with_the_whole_fee_in_the_tooltip(window: MainWindow) -> None:
    fee = window.ui.feeValue
    assert full_text(fee) == LONG_FEE and fee.toolTip() == LONG_FEE
    assert fee.text().endswith("…") and "\n" not in fee.text()
    assert fee.fontMetrics().horizontalAdvance(fee.text()) <= fee.contentsRect().width()
    assert window.ui.limitsValue.text() == "承诺 5 个工作日；法定 20 个工作日"  # short values as they are
