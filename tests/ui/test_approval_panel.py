"""The chief representative's 审批 tab driven by keyboard: the inbox, the case, each decision,
a refusal with the service's reason; and a clerk never sees the tab."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from hallclient.core.approval import ApprovalOutcome, Authorisation
from hallclient.core.cases import CaseState
from hallclient.services import approval
from hallclient.services import cases as case_service
from hallclient.ui.approval_panel import ApprovalPanel
from hallclient.ui.tasks import TaskRunner
from tests.services.conftest import CLINIC, FOOD, HEALTH, MARKET, Hall, accept

TODAY = date(2026, 9, 28)
SHOTS = Path(os.environ.get("HALLCLIENT_SHOTS", "/tmp/hallclient-shots"))


def type_text(widget: QWidget, text: str) -> None:
    """Chinese typed as key events with text (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                                                 Qt.KeyboardModifier.NoModifier, ch))


def shoot(widget: QWidget, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    widget.grab().save(str(path))
    return path


RUNNERS: list[TaskRunner] = []


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[Hall]:
    from dataclasses import replace

    from hallclient.core.catalog_format import parse_catalog
    from hallclient.services import catalog
    from hallclient.workspace import Workspace
    from tests.conftest import small_catalog
    from tests.services.conftest import make_people

    ws = Workspace(tmp_path / "window")
    ws.settings.window_number = "3"
    people = make_people(ws)
    catalog.replace_catalog(ws.services, people["admin"], parse_catalog(small_catalog()))
    people["clerk7"] = replace(people["clerk7"], window_number="7")
    yield Hall(ws, **people)
    while RUNNERS:  # no work of this test may land in the next one
        RUNNERS.pop().wait_idle()
    ws.close()


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.ControlModifier) -> None:  # type: ignore[no-untyped-def]
    """A key as a person presses it: into the active window, where the focus is."""
    widget.window().activateWindow()
    qtbot.waitUntil(widget.window().isActiveWindow, timeout=3000)
    widget.setFocus()
    qtbot.keyClick(widget, key, modifier)


def make_panel(qtbot: QtBot, hall: Hall, actor) -> ApprovalPanel:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    RUNNERS.append(tasks)
    panel = ApprovalPanel(hall.ctx, tasks, lambda: actor, today=lambda: TODAY)
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    qtbot.waitUntil(lambda: panel.refreshes >= 1, timeout=5000)
    return panel


def authorise(hall: Hall, login: str, dept: str, **kw: object) -> None:
    approval.set_authorisation(hall.ctx, hall.admin, Authorisation(login, 0, (dept,), **kw))  # type: ignore[arg-type]


def test_inbox_newest_first_with_the_authorisation(qtbot: QtBot, hall: Hall) -> None:
    authorise(hall, "chief_health", HEALTH, valid_to=date(2026, 12, 31))
    first = accept(hall, hall.clerk3, CLINIC, name="张三")
    second = accept(hall, hall.clerk3, CLINIC, name="王五")
    accept(hall, hall.clerk3, FOOD, name="赵六")  # another department: not here
    panel = make_panel(qtbot, hall, hall.chief_health)
    assert [c.uuid for c in panel.model.cases] == [second.uuid, first.uuid]
    assert "授权书第 1 版" in panel.auth_label.text() and HEALTH in panel.auth_label.text()
    assert "2026-12-31" in panel.auth_label.text()
    assert panel.model.index(0, 3).data() == "3 号"
    assert "分钟" in panel.model.index(0, 5).data()
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.uuid == second.uuid)
    html = panel.browser.toPlainText()
    assert "王五" in html and "1101**********002X" in html and "从业人员健康证明" in html
    assert panel.buttons[ApprovalOutcome.APPROVED].isEnabled()
    shoot(panel.window(), "approval_inbox")


def test_approve_by_keyboard_and_the_decision_document_follows(qtbot: QtBot, hall: Hall) -> None:
    authorise(hall, "chief_health", HEALTH)
    case = accept(hall, hall.clerk3, CLINIC)
    panel = make_panel(qtbot, hall, hall.chief_health)
    qtbot.waitUntil(lambda: panel.detail is not None)
    panel.table.setFocus()
    press(qtbot, panel.table, Qt.Key.Key_Return)
    dialog = panel.active_dialog
    assert dialog is not None and dialog.outcome is ApprovalOutcome.APPROVED
    shoot(dialog, "approval_approve_dialog")
    with qtbot.waitSignal(panel.decided, timeout=5000) as decided:
        qtbot.keyClick(dialog.ok_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    done, kind = decided.args
    assert done.uuid == case.uuid and done.state is CaseState.COMPLETED
    assert kind == "approval_decision"  # 公共场所卫生许可 is a 行政许可
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)
    assert "已准予" in panel.message_label.text()


def test_deny_needs_reasons_send_back_needs_an_opinion(qtbot: QtBot, hall: Hall) -> None:
    authorise(hall, "chief_health", HEALTH)
    first = accept(hall, hall.clerk3, CLINIC, name="张三")
    panel = make_panel(qtbot, hall, hall.chief_health)
    qtbot.waitUntil(lambda: panel.detail is not None)
    press(qtbot, panel.table, Qt.Key.Key_D)
    dialog = panel.active_dialog
    assert dialog is not None and dialog.outcome is ApprovalOutcome.DENIED
    dialog.accept()  # nothing written: the dialog stays and says why
    assert dialog.isVisible() and "请填写不予许可的理由" in dialog.problem.text()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.text, timeout=3000)
    type_text(QApplication.focusWidget(), "选址不符合规划")  # typed where the focus is
    with qtbot.waitSignal(panel.decided, timeout=5000) as decided:
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert decided.args[0].state is CaseState.DENIED and decided.args[1] == "denial_decision"
    assert case_service.load_case(hall.ctx, hall.clerk3, first.uuid).events[-1]["data"]["reasons"] == ["选址不符合规划"]

    second = accept(hall, hall.clerk3, CLINIC, name="王五")
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.uuid == second.uuid, timeout=8000)
    press(qtbot, panel.table, Qt.Key.Key_B)
    dialog = panel.active_dialog
    assert dialog is not None and dialog.outcome is ApprovalOutcome.SENT_BACK
    dialog.text.setPlainText("健康证明须为本年度")
    shoot(dialog, "approval_send_back_dialog")
    with qtbot.waitSignal(panel.decided, timeout=5000) as decided:
        dialog.accept()
    assert decided.args[0].state is CaseState.SENT_BACK and decided.args[1] == ""


def test_back_office_and_extension(qtbot: QtBot, hall: Hall) -> None:
    case = accept(hall, hall.clerk3, FOOD)  # 食品经营许可 needs the back office
    panel = make_panel(qtbot, hall, hall.chief_market)
    assert panel.model.rowCount() == 0  # not an on-site item: not in the inbox
    panel._show(case_service.load_case(hall.ctx, hall.chief_market, case.uuid))
    press(qtbot, panel.browser, Qt.Key.Key_G)
    dialog = panel.active_dialog
    assert dialog is not None and dialog.outcome is ApprovalOutcome.EXTENDED
    assert dialog.days.maximum() == 10
    dialog.days.setValue(5)
    type_text(dialog.text, "需现场核查")
    shoot(dialog, "approval_extend_dialog")
    with qtbot.waitSignal(panel.decided, timeout=5000) as decided:
        dialog.accept()
    extended, kind = decided.args
    assert kind == "extension_notice" and extended.due_date > case.due_date
    panel._show(case_service.load_case(hall.ctx, hall.chief_market, case.uuid))
    press(qtbot, panel.browser, Qt.Key.Key_T)
    dialog = panel.active_dialog
    assert dialog is not None and dialog.outcome is ApprovalOutcome.TO_BACK_OFFICE
    with qtbot.waitSignal(panel.decided, timeout=5000) as decided:
        dialog.accept()
    assert decided.args[0].state is CaseState.IN_APPROVAL


def test_a_refused_decision_shows_the_service_reason(qtbot: QtBot, hall: Hall) -> None:
    accept(hall, hall.clerk3, CLINIC)
    panel = make_panel(qtbot, hall, hall.chief_health)  # no authorisation yet
    assert "尚无有效的首席代表授权书" in panel.auth_label.text()
    qtbot.waitUntil(lambda: panel.detail is not None)
    dialog = panel.ask_decision(ApprovalOutcome.APPROVED)
    assert dialog is not None
    dialog.accept()
    qtbot.waitUntil(lambda: panel.last_error is not None, timeout=5000)
    assert "没有有效的首席代表授权书" in panel.last_error  # type: ignore[operator]
    assert "没有有效的首席代表授权书" in panel.message_label.text()
    assert panel.buttons[ApprovalOutcome.APPROVED].isEnabled()  # the case is still there to decide
    shoot(panel.window(), "approval_refused")


def test_another_department_sees_nothing(qtbot: QtBot, hall: Hall) -> None:
    authorise(hall, "chief_market", MARKET)
    accept(hall, hall.clerk3, CLINIC)
    panel = make_panel(qtbot, hall, hall.chief_market)
    assert panel.model.rowCount() == 0 and "待审批：0 件" in panel.count_label.text()


def test_the_timer_calls_the_poll_and_shows_a_new_case(qtbot: QtBot, hall: Hall) -> None:
    authorise(hall, "chief_health", HEALTH)
    polls: list[int] = []
    tasks = TaskRunner()
    RUNNERS.append(tasks)
    panel = ApprovalPanel(hall.ctx, tasks, lambda: hall.chief_health, today=lambda: TODAY,
                          poll=lambda: polls.append(1))
    qtbot.addWidget(panel)
    panel.timer.setInterval(100)
    panel.show()
    accept(hall, hall.clerk3, CLINIC)  # made elsewhere: no change notice reaches this panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    assert polls
