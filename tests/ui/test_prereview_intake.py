"""The clerk takes a pre-review up at the intake: typed or scanned (key events ending with Enter),
the intake pre-filled and marked 来自预审, each row to be checked before deciding; refusals with
their reason; a statutory holiday asks first; the tabs each role sees in the main window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from hallclient.core.cases import Applicant
from hallclient.core.checklist import MaterialMark, MaterialStatus
from hallclient.core.intake import Intake
from hallclient.services import accounts, catalog
from hallclient.services import prereview as prereview_service
from hallclient.ui.intake_panel import IntakePanel
from hallclient.ui.main_window import MainWindow
from hallclient.ui.tasks import TaskRunner
from tests.services.conftest import FOOD, ID_NUMBER, PASSWORD, PHONE, Hall
from tests.services.test_approval_prereview import ALL_FOOD
from tests.ui.test_approval_panel import RUNNERS, TODAY, hall, press, shoot  # noqa: F401

CHANGE = "11411500MB1234567X-002"  # 食品经营许可（变更）: one material


def make_prereview(hall: Hall, **kw: object):  # type: ignore[no-untyped-def]  # noqa: F811
    items = catalog.load_items(hall.ctx, [FOOD])
    return prereview_service.create(
        hall.ctx, hall.proxy, items=items, bundle=None, applicant=Applicant(name="张三", id_number=ID_NUMBER, phone=PHONE),
        marks={**ALL_FOOD, "power_of_attorney": MaterialMark(MaterialStatus.NOT_APPLICABLE, reason="本人办理")},
        remarks={"floor_plan": "需标注面积"}, remark="材料齐全", **kw).value  # type: ignore[arg-type]


def scan(qtbot: QtBot, edit, number: str) -> None:  # type: ignore[no-untyped-def]
    """A QR scanner types the number like a keyboard and ends with Enter."""
    edit.setFocus()
    qtbot.keyClicks(edit, number)  # ASCII only: keyClicks is safe here
    qtbot.keyClick(edit, Qt.Key.Key_Return)


@pytest.fixture
def panel(qtbot: QtBot, hall: Hall) -> Iterator[IntakePanel]:  # noqa: F811
    tasks = TaskRunner()
    RUNNERS.append(tasks)
    widget = IntakePanel(hall.ctx, tasks, lambda: hall.clerk3, today=lambda: TODAY)
    widget.prereview_ready.connect(widget.start)
    widget.questions: list[str] = []  # type: ignore[misc]
    widget.answer = False  # type: ignore[attr-defined]
    widget.ask = lambda title, text: widget.questions.append(text) or widget.answer  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1076, 640)
    widget.show()
    qtbot.waitUntil(lambda: widget.calendar is not None, timeout=5000)
    yield widget


def test_a_scanned_prereview_opens_the_intake_prefilled(qtbot: QtBot, hall: Hall, panel: IntakePanel) -> None:  # noqa: F811
    made = make_prereview(hall)
    scan(qtbot, panel.ui.prereviewEdit, made.number)
    qtbot.waitUntil(lambda: panel.intake is not None, timeout=5000)
    intake = panel.intake
    assert intake.prereview is not None and intake.prereview.number == made.number  # type: ignore[union-attr]
    assert "来自预审" in panel.ui.intakeMeta.text() and made.number in panel.ui.intakeMeta.text()
    assert panel.ui.nameEdit.text() == "张三" and panel.ui.idNumberEdit.text() == ID_NUMBER
    assert panel.model.index(0, 2).data().endswith("·待核对")
    assert "预审：需标注面积" in panel.model.index(3, 3).data()
    assert panel.ui.decisionLabel.text() == "受理", panel.ui.reasonsView.toPlainText()
    shoot(panel, "intake_from_prereview")
    # Confirming with unchecked rows asks first; "no" keeps the intake open.
    press(qtbot, panel.ui.checklistTable, Qt.Key.Key_Return)
    assert panel.questions and "尚未逐项核对" in panel.questions[-1]
    assert panel.intake is intake
    # Enter checks a row and moves to the next; a mark key checks its row too.
    table = panel.ui.checklistTable
    table.setCurrentIndex(panel.model.index(0, 2))
    press(qtbot, table, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    assert "application_form" not in intake.unconfirmed and table.currentIndex().row() == 1
    assert not panel.model.index(0, 2).data().endswith("·待核对")
    press(qtbot, table, Qt.Key.Key_2, Qt.KeyboardModifier.NoModifier)  # 营业执照: the copy seen
    assert "business_license" not in intake.unconfirmed
    # Ctrl+Shift+A checks the rest, after the clerk says so.
    panel.answer = False  # type: ignore[attr-defined]
    press(qtbot, table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "尚未核对的 4 项" in panel.questions[-1] and len(intake.unconfirmed) == 4
    panel.answer = True  # type: ignore[attr-defined]
    press(qtbot, table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not intake.unconfirmed
    asked = len(panel.questions)
    with qtbot.waitSignal(panel.case_created, timeout=5000) as created:
        press(qtbot, table, Qt.Key.Key_Return)
    assert len(panel.questions) == asked  # nothing left to ask
    case = created.args[0]
    assert case.prereview_number == made.number
    # The same sheet again: refused with the reason.
    scan(qtbot, panel.ui.prereviewEdit, made.number)
    qtbot.waitUntil(lambda: panel.last_error is not None and "已被使用" in panel.last_error, timeout=5000)
    assert case.case_number in panel.last_error  # type: ignore[operator]


def test_expired_unknown_and_not_hall_prereviews_are_refused(qtbot: QtBot, hall: Hall, panel: IntakePanel) -> None:  # noqa: F811
    panel.ui.prereviewEdit.setFocus()
    qtbot.keyClicks(panel.ui.prereviewEdit, "abc")
    qtbot.keyClick(panel.ui.prereviewEdit, Qt.Key.Key_Return)
    assert "不是预审编号" in panel.last_error  # type: ignore[operator]
    scan(qtbot, panel.ui.prereviewEdit, "YS2026092803999")
    qtbot.waitUntil(lambda: "没有编号为 YS2026092803999 的预审" in (panel.last_error or ""), timeout=5000)
    not_hall = make_prereview(hall, not_hall=True)
    scan(qtbot, panel.ui.prereviewEdit, not_hall.number.lower())  # a scanner may send lower case
    qtbot.waitUntil(lambda: "不属于本大厅事项" in (panel.last_error or ""), timeout=5000)
    made = make_prereview(hall)
    later = hall.ctx.clock() + timedelta(days=hall.ctx.settings.prereview_valid_days + 1)
    hall.ctx.clock = lambda: later
    scan(qtbot, panel.ui.prereviewEdit, made.number)
    qtbot.waitUntil(lambda: "过期" in (panel.last_error or ""), timeout=5000)
    assert panel.intake is None


def accept_change_item(qtbot: QtBot, panel: IntakePanel, where: Hall, day: date) -> list[str]:
    panel.today = lambda: day
    panel.start(Intake(tuple(catalog.load_items(where.ctx, [CHANGE]))))
    panel.ui.nameEdit.setText("张三")
    panel.ui.idNumberEdit.setText(ID_NUMBER)
    panel.ui.phoneEdit.setText(PHONE)
    table = panel.ui.checklistTable
    table.setCurrentIndex(panel.model.index(0, 2))
    press(qtbot, table, Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier)
    before = len(panel.questions)
    press(qtbot, table, Qt.Key.Key_Return)
    return panel.questions[before:]


def test_accepting_on_a_statutory_holiday_asks(qtbot: QtBot, hall: Hall, panel: IntakePanel) -> None:  # noqa: F811
    asked = accept_change_item(qtbot, panel, hall, date(2026, 10, 1))  # 国庆节
    assert len(asked) == 1 and "2026年10月1日是法定节假日" in asked[0]
    assert panel.intake is not None and "请核对受理日期" in panel.ui.reasonsView.toPlainText() or panel.intake
    panel.answer = True  # type: ignore[attr-defined]
    with qtbot.waitSignal(panel.case_created, timeout=5000):
        press(qtbot, panel.ui.checklistTable, Qt.Key.Key_Return)
    # A Saturday is ordinary weekend service: nothing is asked.
    panel.answer = False  # type: ignore[attr-defined]
    with qtbot.waitSignal(panel.case_created, timeout=5000):
        asked = accept_change_item(qtbot, panel, hall, date(2026, 9, 12))
    assert asked == []


def window_for(qtbot: QtBot, hall: Hall, login: str) -> MainWindow:  # noqa: F811
    signed = accounts.sign_in(hall.ctx, login, PASSWORD)
    win = MainWindow(hall.workspace, signed)
    RUNNERS.append(win.tasks)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    with qtbot.waitSignal(win.catalog.index_ready, timeout=10000):
        win.start()
    return win


def tab_titles(win: MainWindow) -> list[str]:
    tabs = win.ui.mainTabs
    return [tabs.tabText(i) for i in range(tabs.count())]


def test_each_role_sees_its_tabs_and_a_scan_in_the_search_box_opens_the_intake(qtbot: QtBot, hall: Hall) -> None:  # noqa: F811
    made = make_prereview(hall)
    clerk = window_for(qtbot, hall, "clerk3")
    assert "审批" not in tab_titles(clerk) and "预审" not in tab_titles(clerk)
    scan(qtbot, clerk.ui.searchEdit, made.number)  # the cursor is in the catalog's search box
    qtbot.waitUntil(lambda: clerk.intake.intake is not None, timeout=5000)
    assert clerk.ui.mainTabs.currentWidget() is clerk.intake
    assert clerk.intake.intake.prereview.number == made.number  # type: ignore[union-attr]
    shoot(clerk, "window_clerk_intake_from_prereview")
    clerk.intake.discard()
    clerk.close()

    chief = window_for(qtbot, hall, "chief_health")
    assert tab_titles(chief)[0] == "审批" and "预审" not in tab_titles(chief)
    assert chief.ui.mainTabs.currentWidget() is chief.approval_panel
    qtbot.waitUntil(lambda: chief.approval_panel.refreshes >= 1, timeout=5000)  # type: ignore[union-attr]
    shoot(chief, "window_chief_approval")
    chief.close()

    proxy = window_for(qtbot, hall, "proxy")
    assert "预审" in tab_titles(proxy) and "审批" not in tab_titles(proxy)
    proxy.ui.searchEdit.setText("食品经营许可（新办）")
    qtbot.waitUntil(lambda: proxy.ui.startIntakeButton.isEnabled(), timeout=5000)
    proxy.catalog.request_intake()  # Enter on the chosen item
    assert proxy.ui.mainTabs.currentWidget() is proxy.prereview_panel
    assert proxy.prereview_panel.intake is not None  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: proxy.prereview_panel.mine.rowCount() == 1, timeout=5000)  # type: ignore[union-attr]
    shoot(proxy, "window_proxy_prereview")
    proxy.close()
