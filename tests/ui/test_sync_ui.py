"""The window against a real central on loopback: online, offline, back online; nothing lost."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hallclient.core.permissions import Actor, Role
from hallclient.services.accounts import SignedIn
from hallclient.ui.main_window import MainWindow
from hallclient.workspace import Workspace
from tests.central.support import Central, running_central
from tests.conftest import small_catalog
from tests.ui.window_steps import accept_with_form_received, open_intake


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    with running_central(f"sqlite:///{tmp_path / 'central.db'}") as running:
        running.publish(small_catalog())
        yield running


@pytest.fixture
def window(qtbot: QtBot, central: Central, data_dir: Path) -> Iterator[MainWindow]:
    workspace = Workspace(data_dir)
    workspace.settings = central.settings(clerk_name="李四", sync_interval_seconds=0)
    workspace.services.settings = workspace.settings
    # Signed in as the window's clerk (how sign-in at the central works is tested with the central).
    clerk = Actor(login="lisi", name="李四", roles=frozenset({Role.CLERK}),
                  window_number=workspace.settings.window_number)
    win = MainWindow(workspace, SignedIn(clerk))
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
    # the catalog panel reloads through the change hub (coalesced): wait for the new index
    qtbot.waitUntil(lambda: window.ui.resultList.model().rowCount() == 2, timeout=5000)


def test_offline_intake_is_kept_and_pushed_when_the_central_returns(
        window: MainWindow, central: Central, qtbot: QtBot) -> None:
    central.stop()
    report = sync_by_f9(qtbot, window)
    assert not report.online  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.status.sync_label.text().startswith("离线"), timeout=5000)

    open_intake(window, qtbot)
    case = accept_with_form_received(window, qtbot, "韩梅梅")  # the central is down: saved all the same
    report = sync_by_f9(qtbot, window)
    assert report.waiting == 2  # type: ignore[attr-defined]  # the case and its audit record
    qtbot.waitUntil(lambda: "待上报 2 条" in window.status.sync_label.text(), timeout=5000)

    central.start()
    report = sync_by_f9(qtbot, window)
    assert report.online and report.pushed == 2 and report.waiting == 0  # type: ignore[attr-defined]
    from tests.central.people_support import add_person, as_person, session_of

    add_person(central, "sun", ["supervisor"])  # reading a case at the central needs a person
    person = session_of(central, central.window_token, "sun")
    stored = as_person(central, central.window_token, person, "GET", f"/cases/{case.uuid}")
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
    open_intake(window, qtbot)
    assert window.intake.ui.intakeMeta.text().startswith(f"{issued['number']} 号")
    case = accept_with_form_received(window, qtbot, "李雷")
    assert case.ticket_number == issued["number"]
    assert window.intake.ticket_number is None
