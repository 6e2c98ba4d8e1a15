"""The main window as a clerk uses it: type, see results, pick, read the materials."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from hallclient.ui.main_window import MainWindow
from hallclient.workspace import Workspace
from tests.ui.conftest import sign_in


@pytest.fixture
def window(qtbot: QtBot, people_workspace: Workspace):  # type: ignore[no-untyped-def]
    workspace = people_workspace
    win = MainWindow(workspace, sign_in(workspace, "lisi"))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    with qtbot.waitSignal(win.catalog.index_ready, timeout=10000):
        win.start()
    yield win
    win.tasks.wait_idle()


def test_search_has_focus_and_results_follow_typing(window: MainWindow, qtbot: QtBot) -> None:
    ui = window.ui
    qtbot.waitUntil(lambda: ui.searchEdit.hasFocus() or window.focusWidget() is ui.searchEdit)
    qtbot.keyClicks(ui.searchEdit, "spjy")
    names = [ui.resultList.model().index(r, 0).data() for r in range(ui.resultList.model().rowCount())]
    assert names == ["食品经营许可（新办）", "食品经营许可（变更）"]
    assert ui.resultCountLabel.text() == "找到 2 项"


def test_selecting_shows_detail_and_materials(window: MainWindow, qtbot: QtBot) -> None:
    ui = window.ui
    ui.searchEdit.setText("食品经营许可（新办）")  # Chinese via setText: keyClicks aborts on non-ASCII
    qtbot.waitUntil(lambda: ui.itemTitle.text() == "食品经营许可（新办）", timeout=5000)
    assert ui.codeValue.text().startswith("11411500MB1234567X-001")
    assert ui.limitsValue.text() == "承诺 5 个工作日；法定 20 个工作日"
    assert "可容缺受理" in ui.flagsValue.text()
    table = ui.materialsTable.model()
    assert table.rowCount() == 6
    assert table.index(3, 0).data() == "经营场所平面布局图"
    assert table.index(3, 6).data() == "3日内补正"
    assert ui.startIntakeButton.isEnabled()


def test_immediate_and_suspended_items_are_shown_as_such(window: MainWindow, qtbot: QtBot) -> None:
    ui = window.ui
    ui.searchEdit.setText("ggcswsxk")
    qtbot.waitUntil(lambda: ui.itemTitle.text() == "公共场所卫生许可（新办）", timeout=5000)
    assert ui.limitsValue.text().startswith("即办件")
    ui.searchEdit.setText("小作坊")
    qtbot.waitUntil(lambda: ui.itemTitle.text() == "【暂停】食品小作坊登记", timeout=5000)
    assert not ui.startIntakeButton.isEnabled()


def test_ctrl_f_returns_to_search(window: MainWindow, qtbot: QtBot) -> None:
    ui = window.ui
    ui.resultList.setFocus()
    qtbot.waitUntil(lambda: ui.resultList.hasFocus())
    assert ui.actionFocusSearch.shortcut() == QKeySequence("Ctrl+F")
    qtbot.keyClick(ui.resultList, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: ui.searchEdit.hasFocus())


def test_status_bar_shows_window_clerk_and_catalog(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: "第 7 版" in window.status.catalog_label.text())
    assert window.status.catalog_label.text() == "事项清单：第 7 版（2026-11-20，5 项）"
    assert window.status.window_label.text() == "窗口：1 号"


def test_generated_forms_are_not_stale() -> None:
    from hallclient.ui.formbuild import stale_forms

    assert stale_forms() == []


def test_notice_then_the_applicant_comes_back(window: MainWindow, qtbot: QtBot) -> None:
    from hallclient.core.cases import CaseState
    from hallclient.core.checklist import MaterialStatus

    ui = window.ui
    ui.searchEdit.setText("食品经营许可（新办）")
    qtbot.waitUntil(lambda: ui.startIntakeButton.isEnabled(), timeout=5000)
    qtbot.keyClick(ui.resultList, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    intake = window.intake
    assert ui.mainTabs.currentWidget() is intake and intake.intake is not None
    intake.ui.nameEdit.setText("王小二")
    intake.ui.idNumberEdit.setText("11010519491231002X")
    intake.ui.phoneEdit.setText("0376-6201234")
    intake.mark_row(0, MaterialStatus.RECEIVED, original=True)
    with qtbot.waitSignal(intake.case_created, timeout=5000) as created:
        intake.confirm()
    noticed = created.args[0]
    assert noticed.state is CaseState.ONE_TIME_NOTICED
    qtbot.waitUntil(lambda: window.cases.model.rowCount() == 1, timeout=5000)
    with qtbot.waitSignal(window.cases.reintake_requested, timeout=5000):
        window.cases.show_case_number(noticed.case_number)
        qtbot.waitUntil(lambda: window.cases.selected_case() is not None, timeout=5000)
        window.cases.request_reintake()
    qtbot.waitUntil(lambda: intake.intake is not None and intake.intake.previous_case_uuid == noticed.uuid,
                    timeout=5000)
    assert intake.ui.nameEdit.text() == "王小二"
    assert intake.intake.mark("application_form").status is MaterialStatus.RECEIVED  # type: ignore[union-attr]
    assert intake.intake.mark("floor_plan").status is MaterialStatus.MISSING  # type: ignore[union-attr]


def test_confirmed_case_opens_its_documents_and_records_prints(window: MainWindow, qtbot: QtBot) -> None:
    from hallclient.store import cases_repo
    from tests.ui.window_steps import accept_with_form_received, open_intake

    open_intake(window, qtbot)
    case = accept_with_form_received(window, qtbot, "李雷")
    qtbot.waitUntil(lambda: window.documents_dialog is not None and window.documents_dialog.isVisible(), timeout=5000)
    dialog = window.documents_dialog
    assert dialog.list.count() == 1 and dialog.list.item(0).text() == "受理通知书"  # type: ignore[union-attr]
    preview = dialog.open_preview(dialog.list.item(0).data(Qt.ItemDataRole.UserRole))  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: preview.page_label.text() != "", timeout=5000)
    preview.printed.emit("acceptance_notice", False)  # what a successful print reports
    assert dialog.list.item(0).text() == "受理通知书（已打印，再打为补打）"  # type: ignore[union-attr]
    window.tasks.wait_idle()
    with window.workspace.store.session() as session:
        stored = cases_repo.load_case(session, case.uuid)
    assert [e["kind"] for e in stored.events] == ["created", "printed"]
    assert cases_repo.printed_documents(stored) == {"acceptance_notice"}


def test_bundle_starts_one_merged_intake(window: MainWindow, qtbot: QtBot) -> None:
    ui = window.ui
    qtbot.waitUntil(lambda: ui.bundleList.count() == 1, timeout=5000)
    entry = ui.bundleList.item(0)
    assert entry.text() == "开办餐饮店一件事" and "2 个事项" in entry.toolTip()
    ui.bundleList.itemActivated.emit(entry)
    qtbot.waitUntil(lambda: window.intake.intake is not None, timeout=5000)
    intake = window.intake.intake
    assert intake.bundle is not None and intake.bundle.code == "YJS-001"  # type: ignore[union-attr]
    keys = [row.material.key for row in intake.rows]  # type: ignore[union-attr]
    assert keys.count("id_card") == 1 and keys.count("floor_plan") == 1
    assert "health_certificates" in keys
    assert window.intake.ui.intakeTitle.text() == "开办餐饮店一件事"


def test_a_queue_line_no_item_belongs_to_shows_the_whole_catalog(window: MainWindow) -> None:
    """无差别受理 is a way of serving every category: its tickets must not see an empty catalog."""
    rows = window.ui.resultList.model().rowCount
    window.catalog.set_category("市场准入")
    assert window.catalog.category == "市场准入" and rows() > 0
    window.catalog.set_category("无差别受理")
    assert window.catalog.category is None and "仅「" not in window.ui.resultCountLabel.text()
