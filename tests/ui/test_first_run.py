"""The first-run wizard: standalone with its first administrator, or a live central (plain and
TLS with the hall CA); window number and categories; the printer with a test page; settings
saved through the settings service, once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinterInfo
from pytestqt.qtbot import QtBot

from hallclient.services import accounts, audit
from hallclient.services import settings as settings_service
from hallclient.settings import SETTINGS_FILENAME
from hallclient.ui.first_run_wizard import (
    ADMIN_PAGE,
    MODE_PAGE,
    PRINTER_PAGE,
    WINDOW_PAGE,
    FirstRunWizard,
    needs_first_run,
)
from hallclient.ui.tasks import TaskRunner
from hallclient.workspace import Workspace
from tests.central.support import Central, central, central_keys_in_tmp  # noqa: F401
from tests.sync.test_tls import tls_central  # noqa: F401

PASSWORD = "guanliyuan-123"


@pytest.fixture
def central_db_url(tmp_path: Path) -> str:
    """The wizard meets a central on SQLite (the central's engines are tested with the central)."""
    return f"sqlite:///{tmp_path / 'central.db'}"


@pytest.fixture
def fresh(data_dir: Path):  # type: ignore[no-untyped-def]
    assert needs_first_run(data_dir)
    workspace = Workspace(data_dir)
    yield workspace
    workspace.close()


def open_wizard(qtbot: QtBot, workspace: Workspace) -> FirstRunWizard:
    tasks = TaskRunner()
    wizard = FirstRunWizard(workspace.services, tasks)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentId() == MODE_PAGE
    return wizard


def finish(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    assert wizard.currentId() == PRINTER_PAGE
    wizard.accept()
    qtbot.waitUntil(lambda: wizard.saved is not None, timeout=10000)
    assert wizard.result() == wizard.DialogCode.Accepted
    wizard.tasks.wait_idle()


def saved_file(data_dir: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((data_dir / SETTINGS_FILENAME).read_text(encoding="utf-8"))


def test_standalone_window_number_categories_first_admin_and_printer(
        qtbot: QtBot, fresh: Workspace, data_dir: Path) -> None:
    wizard = open_wizard(qtbot, fresh)
    page = wizard.mode_page
    page.standalone.setChecked(True)
    assert page.isComplete() and not page.url_edit.isEnabled()
    wizard.next()
    assert wizard.currentId() == WINDOW_PAGE
    window = wizard.window_page
    window.number_edit.setText("")
    assert not window.isComplete() and "窗口号" in window.problem.text()
    window.number_edit.setText("7")
    for row in range(window.categories.count()):
        item = window.categories.item(row)
        wanted = item.data(Qt.ItemDataRole.UserRole) in ("市场准入", "社会事务")
        item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
    assert window.isComplete()
    wizard.next()
    assert wizard.currentId() == ADMIN_PAGE
    admin = wizard.admin_page
    admin.login_edit.setText("admin")
    admin.name_edit.setText("系统管理员")
    admin.password_edit.setText(PASSWORD)
    admin.again_edit.setText("other")
    wizard.next()
    assert wizard.currentId() == ADMIN_PAGE and "不一致" in admin.error_label.text()
    admin.again_edit.setText(PASSWORD)
    wizard.next()  # made on the database worker; the wizard moves on when it is
    qtbot.waitUntil(lambda: wizard.currentId() == PRINTER_PAGE, timeout=10000)
    assert admin.created is not None and not accounts.needs_first_admin(fresh.services)
    assert needs_first_run(data_dir)  # nothing saved before the wizard finishes
    finish(qtbot, wizard)

    saved = saved_file(data_dir)
    assert saved["window_number"] == "7" and saved["central_url"] == ""
    assert saved["window_categories"] == ["市场准入", "社会事务"]
    assert saved["last_login"] == "admin"
    assert not needs_first_run(data_dir)
    records = audit.list_records(fresh.services, accounts.actor_of(admin.created, "7"),
                                 audit.AuditFilter(kind="settings_changed")).value
    assert records[0]["actor"] == "admin" and records[0]["detail"]["first_run"], records
    # The second time the service refuses: later changes go through the settings dialog.
    with pytest.raises(settings_service.AlreadySetUp):
        settings_service.save_first_run(fresh.services, None, {"window_number": "8"})


def test_every_category_checked_means_all(qtbot: QtBot, fresh: Workspace, data_dir: Path) -> None:
    accounts.add_user(fresh.services, None, "admin", name="管理员", roles=["admin"], departments=[],
                      password=PASSWORD)
    wizard = open_wizard(qtbot, fresh)
    wizard.next()
    wizard.next()  # an administrator exists: no admin page
    assert wizard.currentId() == PRINTER_PAGE
    finish(qtbot, wizard)
    assert saved_file(data_dir)["window_categories"] is None


def test_a_central_is_tested_live_before_going_on(qtbot: QtBot, fresh: Workspace, data_dir: Path,
                                                  central: Central) -> None:  # noqa: F811
    wizard = open_wizard(qtbot, fresh)
    page = wizard.mode_page
    page.central.setChecked(True)
    assert not page.isComplete()  # not tested yet
    page.url_edit.setText(central.url)
    page.token_edit.setText("wrong-token")
    page.test_connection()
    qtbot.waitUntil(lambda: not page.testing, timeout=15000)
    assert not page.isComplete() and "令牌无效" in page.result_label.text()
    page.token_edit.setText(central.window_token)
    page.test_connection()
    qtbot.waitUntil(lambda: not page.testing, timeout=15000)
    assert page.isComplete(), page.result_label.text()
    assert "3 号窗口" in page.result_label.text() and "未加密" in page.result_label.text()
    assert wizard.window_page.number_edit.text() == "3"  # the token's window
    page.token_edit.setText(central.window_token + "x")  # changed after the test: test again
    assert not page.isComplete()
    page.token_edit.setText(central.window_token)
    page.test_connection()
    qtbot.waitUntil(lambda: not page.testing, timeout=15000)
    wizard.next()
    wizard.next()  # joining a central: no first administrator here
    finish(qtbot, wizard)
    saved = saved_file(data_dir)
    assert saved["central_url"] == central.url and saved["central_token"] == central.window_token
    assert saved["window_number"] == "3"
    assert central.window_token not in (data_dir / "hallclient.db").read_bytes().decode("latin-1")


def test_an_unreachable_central_says_so(qtbot: QtBot, fresh: Workspace) -> None:
    wizard = open_wizard(qtbot, fresh)
    page = wizard.mode_page
    page.central.setChecked(True)
    page.url_edit.setText("192.168.1.10")
    page.token_edit.setText("t")
    page.test_connection()
    qtbot.waitUntil(lambda: not page.testing, timeout=15000)
    assert "http://" in page.result_label.text() and not page.isComplete()
    page.url_edit.setText("http://127.0.0.1:9")  # nothing listens on the discard port
    page.test_connection()
    qtbot.waitUntil(lambda: not page.testing, timeout=15000)
    assert "无法连接" in page.result_label.text() and not page.isComplete()


def test_tls_central_needs_the_hall_ca(qtbot: QtBot, fresh: Workspace, data_dir: Path,
                                       tls_central: tuple[Central, str, Path]) -> None:  # noqa: F811
    central_, url, ca = tls_central
    wizard = open_wizard(qtbot, fresh)
    page = wizard.mode_page
    page.central.setChecked(True)
    page.url_edit.setText(url)
    page.token_edit.setText(central_.window_token)
    page.test_connection()
    qtbot.waitUntil(lambda: not page.testing, timeout=15000)
    assert "证书验证失败" in page.result_label.text() and not page.isComplete()
    page.ca_edit.setText(str(ca))
    page.test_connection()
    qtbot.waitUntil(lambda: not page.testing, timeout=15000)
    assert page.isComplete() and "已加密" in page.result_label.text()
    wizard.next()
    wizard.next()
    finish(qtbot, wizard)
    assert saved_file(data_dir)["central_ca_file"] == str(ca)


def test_printer_page_lists_printers_and_prints_a_test_page(qtbot: QtBot, fresh: Workspace,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    wizard = open_wizard(qtbot, fresh)
    combo = wizard.printer_page.combo
    names = [info.printerName() for info in QPrinterInfo.availablePrinters()]
    assert [combo.itemData(i) for i in range(combo.count())] == ["", *names]
    sent: list[tuple[bytes, str]] = []

    def fake_print(data: bytes, printer, dpi: int = 0) -> int:  # type: ignore[no-untyped-def]
        sent.append((data, printer.printerName()))
        return 1

    monkeypatch.setattr("hallclient.ui.print_service.print_pdf_bytes", fake_print)
    if not names:
        assert not wizard.printer_page.print_test_page()
        assert "没有" in wizard.printer_page.result_label.text()
        return
    combo.setCurrentIndex(1)
    assert wizard.printer_page.print_test_page(), wizard.printer_page.result_label.text()
    assert sent and sent[0][0].startswith(b"%PDF") and sent[0][1] == names[0]
    assert "测试页已发送" in wizard.printer_page.result_label.text()
    assert wizard.values()["printer_name"] == names[0]
