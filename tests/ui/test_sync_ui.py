"""The window against a real central on loopback: online, offline, back online; nothing lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hallclient.core.checklist import MaterialStatus
from hallclient.ui.main_window import MainWindow
from hallclient.workspace import Workspace
from tests.central.support import Central, running_central
from tests.conftest import small_catalog


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    with running_central(f"sqlite:///{tmp_path / 'central.db'}") as running:
        running.publish(small_catalog())
        yield running


@pytest.fixture
def window(qtbot: QtBot, central: Central, data_dir: Path) -> Iterator[MainWindow]:
    workspace = Workspace(data_dir)
    workspace.settings = central.settings(clerk_name="李四", sync_interval_seconds=0)
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.sync.report_ready, timeout=20000) as first:
        win.start()
    assert first.args[0].ok, first.args[0].errors
    yield win
    win.tasks.wait_idle()
    workspace.close()


def sync_by_f9(qtbot: QtBot, win: MainWindow) -> object:
    with qtbot.waitSignal(win.sync.report_ready, timeout=20000) as done:
        qtbot.keyClick(win, Qt.Key.Key_F9)
    return done.args[0]


def test_first_sync_brings_the_central_catalog_and_shows_online(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: window.status.sync_label.text().startswith("在线"), timeout=5000)
    assert "待上报 0 条" in window.status.sync_label.text()
    qtbot.waitUntil(lambda: "第 7 版" in window.status.catalog_label.text(), timeout=5000)
    window.ui.searchEdit.setText("spjy")
    assert window.ui.resultList.model().rowCount() == 2


def test_offline_intake_is_kept_and_pushed_when_the_central_returns(
        window: MainWindow, central: Central, qtbot: QtBot) -> None:
    central.stop()
    report = sync_by_f9(qtbot, window)
    assert not report.online  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.status.sync_label.text().startswith("离线"), timeout=5000)

    window.ui.searchEdit.setText("食品经营许可（变更）")
    qtbot.waitUntil(lambda: window.ui.startIntakeButton.isEnabled(), timeout=5000)
    window.catalog.request_intake()
    intake = window.intake
    intake.ui.nameEdit.setText("韩梅梅")
    intake.ui.idNumberEdit.setText("11010519491231002X")
    intake.ui.phoneEdit.setText("13812345678")
    intake.mark_row(0, MaterialStatus.RECEIVED, original=True)
    with qtbot.waitSignal(intake.case_created, timeout=5000) as created:
        intake.confirm()  # the central is down: the window decides and saves all the same
    case = created.args[0]
    report = sync_by_f9(qtbot, window)
    assert report.waiting == 1  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "待上报 1 条" in window.status.sync_label.text(), timeout=5000)

    central.start()
    report = sync_by_f9(qtbot, window)
    assert report.online and report.pushed == 1 and report.waiting == 0  # type: ignore[attr-defined]
    stored = central.window("GET", f"/cases/{case.uuid}")
    assert stored.status_code == 200 and stored.json()["case"]["case_number"] == case.case_number


def test_a_called_ticket_becomes_the_case_ticket(window: MainWindow, central: Central, qtbot: QtBot) -> None:
    from tests.central.queue_support import kiosk

    issued = kiosk(central, category="市场准入", green=False)
    panel = window.queue
    qtbot.waitUntil(lambda: panel.online is True, timeout=10000)
    qtbot.keyClick(window, Qt.Key.Key_F1)  # call next, from the main window
    qtbot.waitUntil(lambda: panel.current_ticket is not None, timeout=10000)
    assert panel.current_ticket.number == issued["number"]  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not panel.busy, timeout=10000)
    with qtbot.waitSignal(panel.service_started, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_F4)  # start service
    assert window.catalog.category == "市场准入"
    names = [window.ui.resultList.model().index(r, 0).data() for r in range(window.ui.resultList.model().rowCount())]
    assert names and "不动产首次登记" not in names
    window.ui.searchEdit.setText("食品经营许可（变更）")
    qtbot.waitUntil(lambda: window.ui.startIntakeButton.isEnabled(), timeout=5000)
    window.catalog.request_intake()
    intake = window.intake
    assert intake.ui.intakeMeta.text().startswith(f"{issued['number']} 号")
    intake.ui.nameEdit.setText("李雷")
    intake.ui.idNumberEdit.setText("11010519491231002X")
    intake.ui.phoneEdit.setText("13812345678")
    intake.mark_row(0, MaterialStatus.RECEIVED, original=True)
    with qtbot.waitSignal(intake.case_created, timeout=5000) as created:
        intake.confirm()
    assert created.args[0].ticket_number == issued["number"]
    assert intake.ticket_number is None
