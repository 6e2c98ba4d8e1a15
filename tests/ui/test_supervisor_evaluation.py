"""The supervisor's 差评整改 and 投诉 tabs, and the clerk's 我的评价: lists overdue first and in
red with counts in the tab titles, the next step as the default button advancing a task and a
complaint, 申诉复核, the callback phone on request (audited), a 差评 turned into a complaint in
one step, 登记投诉 from a clerk's window, and a clerk seeing only their own ratings."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from hallclient.core.complaints import Stage
from hallclient.core.evaluation import Level, RectState
from hallclient.services import audit, complaints, evaluation
from hallclient.ui.main_window import MainWindow
from hallclient.workspace import Workspace
from tests.ui.conftest import sign_in
from tests.ui.test_rating_pad import cjk_font, open_window, shoot  # noqa: F401 (a fixture)

TODAY = datetime(2026, 10, 14, 10, 0).astimezone()  # a Wednesday after National Day


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T09:30").astimezone()


@pytest.fixture
def hall(people_workspace: Workspace) -> Workspace:
    """Ratings of two clerks: an old 差评 not yet overdue (a long contact deadline), a newer one
    overdue (contact within 1 working day), a good rating; complaints, one of them overdue."""
    ws = people_workspace
    ctx = ws.services
    lisi, wangfang = sign_in(ws, "lisi").actor, sign_in(ws, "wangfang").actor
    ctx.settings.rectification_contact_days, ctx.settings.rectification_days = 10, 15
    ctx.clock = lambda: at("2026-10-09")
    evaluation.rate(ctx, wangfang, ticket_number="B001", level=Level.VERY_UNSATISFIED, reasons=("办事效率低",))
    ctx.settings.rectification_contact_days, ctx.settings.rectification_days = 1, 5
    ctx.clock = lambda: at("2026-10-12")
    evaluation.rate(ctx, lisi, ticket_number="A001", level=Level.UNSATISFIED, reasons=("等候时间长",),
                    comment="等了一个小时", phone="13912345678")
    complaints.register(ctx, lisi, complainant="刘女士", contact="13700000000", what_happened="窗口要求重复提交材料",
                        about_window="1")  # 2 working days: due 10-14, not overdue today
    ctx.clock = lambda: at("2026-09-28")
    complaints.register(ctx, wangfang, complainant="陈先生", contact="13600000000", what_happened="排队叫号后无人接待")
    ctx.clock = lambda: TODAY
    evaluation.rate(ctx, lisi, ticket_number="A002", level=Level.VERY_SATISFIED)
    return ws


@pytest.fixture
def supervisor(qtbot: QtBot, hall: Workspace):  # type: ignore[no-untyped-def]
    win = open_window(qtbot, hall, "zhaoyun")
    yield win
    win.tasks.wait_idle()


def loaded(qtbot: QtBot, panel) -> None:  # type: ignore[no-untyped-def]
    before = panel.loaded
    panel.refresh()
    qtbot.waitUntil(lambda: panel.loaded > before, timeout=5000)


def tab_titles(window: MainWindow) -> list[str]:
    tabs = window.ui.mainTabs
    return [tabs.tabText(i) for i in range(tabs.count())]


def take_default_step(qtbot: QtBot, panel, note: str, *, verdict: int | None = None,  # type: ignore[no-untyped-def]
                      upheld: bool | None = None) -> None:
    before = panel.steps_done
    panel.view.take_default()  # Ctrl+Enter, or a click on the primary button
    dialog = panel.step_dialog
    assert dialog.isVisible()
    dialog.note_edit.setPlainText(note)
    if verdict is not None:
        dialog.verdict_group.button(verdict).setChecked(True)
    if upheld is not None:
        dialog.upheld_group.button(0 if upheld else 1).setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.steps_done > before, timeout=5000)


def test_lists_put_overdue_first_in_red_with_counts_in_the_tab_titles(supervisor: MainWindow, qtbot: QtBot) -> None:
    rect, comp = supervisor.rectification_panel, supervisor.complaint_panel
    loaded(qtbot, rect)
    loaded(qtbot, comp)
    assert "差评整改（2）·逾期 1" in tab_titles(supervisor) and "投诉（2）·逾期 1" in tab_titles(supervisor)
    assert not hasattr(supervisor, "my_ratings_panel") or supervisor.my_ratings_panel is None
    # the newer task is overdue and comes first, ahead of the older one still in time
    first, second = rect.shown
    assert first.clerk_login == "lisi" and first.overdue(TODAY.date()) == ["回访逾期"]
    assert second.clerk_login == "wangfang" and second.overdue(TODAY.date()) == []
    assert rect.table.item(0, 0).text() == "回访逾期" and rect.table.item(0, 3).foreground().color().name() == "#c62828"
    assert rect.table.item(1, 0).text() == ""
    assert rect.view.values["回访期限"].text() == "2026-10-13（已逾期）"
    assert comp.shown[0].complainant == "陈先生" and comp.table.item(0, 0).text() == "逾期"
    # filters
    rect.filter_combo.setCurrentIndex(rect.filter_combo.findData("overdue"))
    assert [r.clerk_login for r in rect.shown] == ["lisi"]
    rect.filter_combo.setCurrentIndex(0)
    rect.search_edit.setText("wangfang")
    assert [r.clerk_login for r in rect.shown] == ["wangfang"]
    rect.search_edit.clear()
    rect.table.selectRow(0)
    supervisor.ui.mainTabs.setCurrentWidget(rect)
    shoot(supervisor, "supervisor_rectifications.png")
    supervisor.ui.mainTabs.setCurrentWidget(comp)
    comp.table.selectRow(0)
    shoot(supervisor, "supervisor_complaints.png")


def test_the_default_step_advances_a_task_to_its_end(supervisor: MainWindow, qtbot: QtBot, hall: Workspace) -> None:
    panel = supervisor.rectification_panel
    loaded(qtbot, panel)
    panel.table.selectRow(0)
    assert panel.view.default_button.text() == "回访（Ctrl+Enter）"  # an open task: call the applicant back
    assert set(panel.view.step_buttons) == {"contact", "rectify", "explain", "appeal"}
    take_default_step(qtbot, panel, "已电话联系申请人，致歉并说明高峰时段安排")
    assert panel.current.state is RectState.CONTACTED and panel.current.overdue(TODAY.date()) == []
    assert panel.view.default_button.text().startswith("整改")
    take_default_step(qtbot, panel, "高峰时段增开两个综合窗口")
    assert panel.view.default_button.text().startswith("办结")
    panel.view.take_default()
    dialog = panel.step_dialog
    dialog.note_edit.setPlainText("整改完成")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error_label.text() == "请选择申请人的评价"  # 办结 asks the verdict
    shoot(dialog, "supervisor_close_step.png")
    dialog.verdict_group.button(0).setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.steps_done == 3, timeout=5000)
    done = panel.current
    assert done.state is RectState.CLOSED and done.verdict == "满意"
    assert panel.view.history.rowCount() == 3 and panel.view.history.item(2, 4).text() == "申请人：满意"
    assert panel.view.default_button is None  # nothing left to do
    qtbot.waitUntil(lambda: "差评整改（1）" in tab_titles(supervisor), timeout=5000)


def test_an_appeal_is_decided_with_a_reason(supervisor: MainWindow, qtbot: QtBot) -> None:
    panel = supervisor.rectification_panel
    loaded(qtbot, panel)
    panel.table.selectRow(1)  # wangfang's, anonymous
    assert not panel.phone_button.isEnabled()  # no phone was left
    panel.view.step_buttons["appeal"].click()
    panel.step_dialog.note_edit.setPlainText("系统故障导致等候，非窗口原因")
    qtbot.mouseClick(panel.step_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.steps_done == 1, timeout=5000)
    assert panel.view.default_button.text().startswith("复核决定")
    take_default_step(qtbot, panel, "经查属实，差评不计", upheld=True)
    task = panel.current
    assert task.state is RectState.CLOSED and task.appeal_upheld is True
    assert panel.view.values["申诉复核"].text() == "申诉成立"


def test_the_callback_phone_is_shown_on_request_and_the_reading_audited(supervisor: MainWindow, qtbot: QtBot,
                                                                         hall: Workspace) -> None:
    panel = supervisor.rectification_panel
    loaded(qtbot, panel)
    panel.table.selectRow(0)
    assert "13912345678" not in panel.view.title.text() + "".join(v.text() for v in panel.view.values.values())
    panel.phone_button.click()
    qtbot.waitUntil(lambda: "13912345678" in panel.phone_label.text(), timeout=5000)
    assert "已记入审计日志" in panel.phone_label.text()
    records = audit.list_records(hall.services, supervisor.current_actor(), audit.AuditFilter()).value
    assert any(r["kind"] == "callback_phone_read" for r in records)


def test_a_bad_rating_becomes_a_complaint_in_one_step(supervisor: MainWindow, qtbot: QtBot, hall: Workspace) -> None:
    panel = supervisor.rectification_panel
    loaded(qtbot, panel)
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.complaint_made, timeout=5000) as made:
        panel.complaint_button.click()
    number = made.args[0]
    comp = supervisor.complaint_panel
    qtbot.waitUntil(lambda: comp.current is not None and comp.current.number == number, timeout=5000)
    assert supervisor.ui.mainTabs.currentWidget() is comp
    made_complaint = comp.current
    assert made_complaint.about_window == "1" and made_complaint.about_clerk == "lisi"
    assert "等候时间长" in made_complaint.what_happened and made_complaint.contact == "13912345678"
    assert comp.view.values["受理编号"].text().endswith("（由差评转入）")
    panel.complaint_button.click()  # twice: refused, the first one named
    qtbot.waitUntil(lambda: any(f"该差评已转为投诉 {number}" in box.text()
                                for box in panel.findChildren(QMessageBox) if box.isVisible()), timeout=5000)
    assert len(complaints.list_complaints(hall.services, supervisor.current_actor())) == 3


def test_a_complaint_goes_from_registration_to_the_archive_by_default_steps(supervisor: MainWindow,
                                                                           qtbot: QtBot) -> None:
    panel = supervisor.complaint_panel
    loaded(qtbot, panel)
    panel.table.selectRow(1)  # 刘女士's
    assert panel.view.default_button.text().startswith("受理")
    take_default_step(qtbot, panel, "")
    assert panel.current.stage is Stage.ACCEPTED and panel.view.default_button.text().startswith("办理完毕")
    take_default_step(qtbot, panel, "已核实并向窗口说明材料共享规则")
    assert panel.view.default_button.text().startswith("回访")
    take_default_step(qtbot, panel, "反映人仍不满意", verdict=2)  # 不满意: reopened
    assert panel.current.stage is Stage.HANDLING and panel.current.reopened == 1
    take_default_step(qtbot, panel, "材料改为内部调取")
    take_default_step(qtbot, panel, "反映人认可", verdict=0)
    assert panel.view.default_button.text().startswith("归档")
    take_default_step(qtbot, panel, "")
    assert panel.current.stage is Stage.ARCHIVED and panel.view.history.rowCount() == 7


def test_a_clerk_registers_a_complaint_from_the_menu_and_sees_only_their_own_ratings(
        qtbot: QtBot, hall: Workspace) -> None:
    clerk = open_window(qtbot, hall, "lisi")
    try:
        titles = tab_titles(clerk)
        assert "我的评价" in titles and not any(t.startswith("差评整改") for t in titles)
        action = clerk.complaint_action
        assert action in clerk.ui.menuCase.actions() and action.shortcut() == QKeySequence("Ctrl+Shift+T")
        action.trigger()
        dialog = clerk.complaint_dialog
        dialog.complainant_edit.setText("周先生")
        dialog.contact_edit.setText("13500000000")
        dialog.what_edit.setPlainText("自助机无法打印回执")
        shoot(dialog, "complaint_register.png")
        with qtbot.waitSignal(dialog.registered, timeout=5000) as registered:
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert registered.args[0].owner_login == "lisi"  # 首问负责
        mine = clerk.complaint_panel
        qtbot.waitUntil(lambda: "我的投诉（2）" in tab_titles(clerk), timeout=5000)  # 刘女士's and 周先生's
        assert {c.complainant for c in mine.items} == {"刘女士", "周先生"}
        panel = clerk.my_ratings_panel
        loaded(qtbot, panel)
        assert {r.ticket_number for r, _ in panel.rows} == {"A001", "A002"}  # not wangfang's B001
        shown = [panel.table.item(r, c).text() for r in range(panel.table.rowCount())
                 for c in range(panel.table.columnCount())]
        assert "13912345678" not in " ".join(shown) and "等了一个小时" in shown
        assert panel.summary.text() == "共 2 次服务：非常满意 1、不满意 1；差评 1（已办结 0）"
        clerk.ui.mainTabs.setCurrentWidget(panel)
        shoot(clerk, "clerk_my_ratings.png")
    finally:
        clerk.tasks.wait_idle()
