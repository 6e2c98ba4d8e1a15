"""The cases view as a clerk uses it, against a real SQLite store with real cases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hallclient.core.cases import Applicant, Case, CaseDraft, CaseState, ChecklistEntry
from hallclient.core.catalog_format import parse_catalog
from hallclient.core.checklist import MaterialMark, MaterialStatus, build_checklist, decide
from hallclient.core.permissions import Actor, Role
from hallclient.core.workdays import WorkCalendar
from hallclient.services.context import ServiceContext
from hallclient.settings import Settings
from hallclient.store import cases_repo
from hallclient.store.database import Store
from hallclient.ui.cases_models import (
    COL_DUE,
    COL_NUMBER,
    COL_STATE,
    COL_SUPPLEMENT,
    OVERDUE_BACKGROUND,
    OVERDUE_FOREGROUND,
    supplement_cell,
)
from hallclient.ui.cases_panel import CasesPanel
from hallclient.ui.supplement_dialog import ReturnDialog, SupplementDialog
from hallclient.ui.tasks import TaskRunner
from tests.conftest import small_catalog

PATTERN = "信高新受〔{year}〕{window:0>2}{seq:0>6}"
FOOD = parse_catalog(small_catalog()).item_map()["11411500MB1234567X-001"]
MONDAY = date(2026, 9, 28)  # supplement_by of a tolerance case accepted today: 2026-10-08
RECEIVED = MaterialMark(MaterialStatus.RECEIVED, original=True, copies=1)
ALL = {
    "application_form": RECEIVED, "business_license": MaterialMark(MaterialStatus.E_LICENSE, license_number="L1"),
    "id_card": MaterialMark(MaterialStatus.E_LICENSE), "floor_plan": RECEIVED, "food_safety_rules": RECEIVED,
    "power_of_attorney": MaterialMark(MaterialStatus.NOT_APPLICABLE, reason="本人办理"),
}
TOLERATED = dict(ALL, floor_plan=MaterialMark(MaterialStatus.TOLERATED))
NOTICED = {k: v for k, v in ALL.items() if k != "application_form"} | {
    "food_safety_rules": MaterialMark(MaterialStatus.DEFECTIVE, reason="未盖公章")}


def draft(marks: dict[str, MaterialMark], name: str, id_number: str) -> CaseDraft:
    rows = build_checklist([FOOD])
    result = decide([FOOD], marks, accepted_on=MONDAY, calendar=WorkCalendar())
    return CaseDraft(
        applicant=Applicant(name=name, id_number=id_number, phone="13812345678"),
        item_codes=(FOOD.code,), item_names=(FOOD.name,), bundle_code=None, bundle_name=None,
        checklist=tuple(ChecklistEntry(r.material.key, r.material.name, marks.get(r.material.key, MaterialMark()))
                        for r in rows),
        result=result, accepted_on=MONDAY, window_number="3", clerk_name="李四",
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open_file(tmp_path / "hallclient.db")
    yield s
    s.close()


@pytest.fixture
def cases(store: Store) -> dict[str, Case]:
    with store.session() as session, session.begin():
        return {
            "tolerance": cases_repo.create_case(session, draft(TOLERATED, "王五", "11010519491231002X"), PATTERN),
            "accepted": cases_repo.create_case(session, draft(ALL, "赵六", "410101199001011234"), PATTERN),
            "noticed": cases_repo.create_case(session, draft(NOTICED, "钱七", "41150219850612345X"), PATTERN),
        }


@pytest.fixture
def clock() -> dict[str, date]:
    return {"today": MONDAY}


@pytest.fixture
def panel(qtbot: QtBot, store: Store, cases: dict[str, Case], clock: dict[str, date]) -> Iterator[CasesPanel]:
    tasks = TaskRunner()
    ctx = ServiceContext(store, Settings(window_number="3"))
    clerk = Actor(login="lisi", name="李四", roles=frozenset({Role.CLERK}), window_number="3")
    widget = CasesPanel(ctx, tasks, lambda: clerk, lambda: clock["today"])
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    with qtbot.waitSignal(widget.refreshed, timeout=5000):
        widget.refresh()
    yield widget
    tasks.wait_idle()


def refreshed(qtbot: QtBot, panel: CasesPanel) -> None:
    with qtbot.waitSignal(panel.refreshed, timeout=5000):
        panel.refresh()


def column(panel: CasesPanel, col: int) -> list[str]:
    return [panel.model.index(r, col).data() for r in range(panel.model.rowCount())]


def names(panel: CasesPanel) -> list[str]:
    return sorted(column(panel, 1))


def choose_filter(qtbot: QtBot, panel: CasesPanel, label: str) -> None:
    combo = panel.ui.stateCombo
    index = combo.findText(label)
    assert index >= 0, label
    with qtbot.waitSignal(panel.refreshed, timeout=5000):
        combo.setCurrentIndex(index)


def search(qtbot: QtBot, panel: CasesPanel, text: str) -> None:
    with qtbot.waitSignal(panel.refreshed, timeout=5000):
        panel.ui.searchEdit.setText(text)  # Chinese via setText: keyClicks aborts on non-ASCII


def select(qtbot: QtBot, panel: CasesPanel, case: Case) -> None:
    row = panel.model.row_of(uuid=case.uuid)
    assert row >= 0
    panel.ui.casesTable.selectRow(row)
    qtbot.waitUntil(lambda: panel.detail_case is not None and panel.detail_case.uuid == case.uuid, timeout=5000)


def test_filter_lists_today_and_open_then_by_state(qtbot: QtBot, panel: CasesPanel, clock: dict[str, date]) -> None:
    assert panel.ui.stateCombo.currentText() == "今日及未结"
    assert names(panel) == ["王五", "赵六", "钱七"]
    assert [panel.ui.stateCombo.itemText(i) for i in range(panel.ui.stateCombo.count())] == [
        "今日及未结", "全部", "已受理", "待补正", "补正逾期", "已一次性告知", "不予受理", "已退件", "已办结",
        "已收件", "审批中", "不予许可", "已退回窗口"]
    clock["today"] = date(2026, 10, 20)  # the one-time notice was a past day's and is closed
    refreshed(qtbot, panel)
    assert names(panel) == ["王五", "赵六"]
    assert panel.ui.countLabel.text() == "共 2 件，补正逾期 1 件"
    choose_filter(qtbot, panel, "补正逾期")
    assert names(panel) == ["王五"]
    choose_filter(qtbot, panel, "待补正")
    assert names(panel) == []
    choose_filter(qtbot, panel, "已一次性告知")
    assert names(panel) == ["钱七"]
    choose_filter(qtbot, panel, "已受理")
    assert names(panel) == ["赵六"]
    choose_filter(qtbot, panel, "全部")
    assert names(panel) == ["王五", "赵六", "钱七"]
    clock["today"] = MONDAY
    choose_filter(qtbot, panel, "待补正")
    assert names(panel) == ["王五"]


def test_search_by_number_name_and_id(qtbot: QtBot, panel: CasesPanel, cases: dict[str, Case]) -> None:
    assert cases["accepted"].case_number == "信高新受〔2026〕03000002"
    search(qtbot, panel, "03000002")
    assert column(panel, COL_NUMBER) == ["信高新受〔2026〕03000002"]
    search(qtbot, panel, "钱")
    assert names(panel) == ["钱七"]
    search(qtbot, panel, "41150219850612345x")  # lower-case x finds the upper-case ID
    assert names(panel) == ["钱七"]
    search(qtbot, panel, "410101199001011234")  # ID numbers are encrypted: found whole, by blind index
    assert names(panel) == ["赵六"]
    search(qtbot, panel, "1990010")  # never by a part of one
    assert names(panel) == []
    search(qtbot, panel, "孙八")
    assert names(panel) == []
    assert panel.ui.countLabel.text() == "共 0 件（仅今日及未结，可选「全部」）"


def test_days_left_and_due_texts(qtbot: QtBot, panel: CasesPanel, clock: dict[str, date], cases: dict[str, Case]) -> None:
    def row_of(key: str) -> int:
        return panel.model.row_of(uuid=cases[key].uuid)

    tolerance = row_of("tolerance")
    # 09-29, 09-30 and 10-08 are the working days after Monday; the National Day week is not.
    assert panel.model.index(tolerance, COL_SUPPLEMENT).data() == "2026-10-08（剩 3 个工作日）"
    assert panel.model.index(tolerance, COL_SUPPLEMENT).data(Qt.ItemDataRole.ToolTipRole) == "待补正：经营场所平面布局图"
    assert panel.model.index(row_of("accepted"), COL_DUE).data() == "2026-10-10"
    assert panel.model.index(row_of("accepted"), COL_SUPPLEMENT).data() == ""
    assert panel.model.index(row_of("noticed"), COL_DUE).data() == ""
    clock["today"] = date(2026, 9, 30)
    refreshed(qtbot, panel)
    assert panel.model.index(row_of("tolerance"), COL_SUPPLEMENT).data() == "2026-10-08（剩 1 个工作日）"
    clock["today"] = date(2026, 10, 8)
    refreshed(qtbot, panel)
    assert panel.model.index(row_of("tolerance"), COL_SUPPLEMENT).data() == "2026-10-08（今日到期）"
    clock["today"] = date(2026, 10, 12)  # 10-09 Friday, 10-10 make-up Saturday, 10-12 Monday
    refreshed(qtbot, panel)
    assert panel.model.index(row_of("tolerance"), COL_SUPPLEMENT).data() == "2026-10-08（逾期 3 个工作日）"
    assert panel.model.index(row_of("tolerance"), COL_STATE).data() == "补正逾期"


def test_unknown_calendar_year_shows_the_date_only(cases: dict[str, Case]) -> None:
    cell = supplement_cell(cases["tolerance"], WorkCalendar(use_package=False), MONDAY)
    assert cell.text == "2026-10-08"
    assert cell.tooltip.startswith("待补正：经营场所平面布局图\n2026 年的节假日安排尚未载入")


def test_overdue_rows_are_highlighted(qtbot: QtBot, panel: CasesPanel, clock: dict[str, date], cases: dict[str, Case]) -> None:
    late = panel.model.row_of(uuid=cases["tolerance"].uuid)
    assert panel.model.index(late, COL_NUMBER).data(Qt.ItemDataRole.BackgroundRole) is None
    clock["today"] = date(2026, 10, 9)
    refreshed(qtbot, panel)
    late = panel.model.row_of(uuid=cases["tolerance"].uuid)
    for col in (COL_NUMBER, COL_STATE, COL_DUE):
        index = panel.model.index(late, col)
        assert index.data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_BACKGROUND
        assert index.data(Qt.ItemDataRole.ForegroundRole).color().name() == OVERDUE_FOREGROUND.name() == "#9b1c1c"
    assert panel.model.index(late, COL_SUPPLEMENT).data() == "2026-10-08（逾期 1 个工作日）"
    fine = panel.model.row_of(uuid=cases["accepted"].uuid)
    assert panel.model.index(fine, COL_NUMBER).data(Qt.ItemDataRole.BackgroundRole) is None
    assert panel.model.index(fine, COL_NUMBER).data(Qt.ItemDataRole.ForegroundRole) is None


def test_buttons_follow_the_state(qtbot: QtBot, panel: CasesPanel, clock: dict[str, date], cases: dict[str, Case]) -> None:
    ui = panel.ui
    assert not (ui.supplementButton.isEnabled() or ui.returnButton.isEnabled() or ui.reintakeButton.isEnabled())
    select(qtbot, panel, cases["tolerance"])
    assert (ui.supplementButton.isEnabled(), ui.returnButton.isEnabled(), ui.reintakeButton.isEnabled()) == (
        True, True, False)
    select(qtbot, panel, cases["accepted"])
    assert (ui.supplementButton.isEnabled(), ui.returnButton.isEnabled(), ui.reintakeButton.isEnabled()) == (
        False, True, False)
    select(qtbot, panel, cases["noticed"])
    assert (ui.supplementButton.isEnabled(), ui.returnButton.isEnabled(), ui.reintakeButton.isEnabled()) == (
        False, False, True)
    text = ui.detailBrowser.toPlainText()
    assert "信高新受〔2026〕03000003" in text and "已一次性告知" in text
    assert "4115**********345X" in text and "41150219850612345X" not in text  # the ID is masked
    assert "138****5678" in text
    assert "食品安全管理制度" in text and "不符合要求" in text and "未盖公章" in text
    assert "李四" in text  # the creation event


def test_record_supplement_through_the_dialog(qtbot: QtBot, panel: CasesPanel, store: Store, cases: dict[str, Case]) -> None:
    case = cases["tolerance"]
    select(qtbot, panel, case)
    qtbot.mouseClick(panel.ui.supplementButton, Qt.MouseButton.LeftButton)
    dialog = panel.active_dialog
    assert isinstance(dialog, SupplementDialog)
    assert dialog.materials.count() == 1
    assert dialog.materials.item(0).text() == "经营场所平面布局图　（补正期限 2026-10-08）"
    qtbot.keyClick(dialog.materials, Qt.Key.Key_Return)  # nothing ticked: refused in place
    assert dialog.isVisible() and dialog.error_label.text() == "请至少勾选一项已补交的材料。"
    qtbot.keyClick(dialog.materials, Qt.Key.Key_Space)
    assert dialog.selected_keys() == ["floor_plan"]
    with qtbot.waitSignal(panel.case_changed, timeout=5000) as changed, \
            qtbot.waitSignal(panel.refreshed, timeout=5000):
        qtbot.keyClick(dialog.materials, Qt.Key.Key_Return)
    assert changed.args == [case.uuid]
    assert panel.active_dialog is None
    with store.session() as session:
        stored = cases_repo.load_case(session, case.uuid)
    assert stored.state is CaseState.ACCEPTED
    assert [(e["kind"], e["clerk_name"]) for e in stored.events] == [("created", "李四"), ("supplemented", "李四")]
    row = panel.model.row_of(uuid=case.uuid)
    assert panel.model.index(row, COL_STATE).data() == "已受理"
    assert panel.model.index(row, COL_SUPPLEMENT).data() == "已补正"
    assert panel.ui.messageLabel.text() == "办件 信高新受〔2026〕03000001 已登记补正，当前状态：已受理。"
    qtbot.waitUntil(lambda: panel.detail_case is not None and panel.detail_case.state is CaseState.ACCEPTED)
    assert not panel.ui.supplementButton.isEnabled()


def test_return_with_reason_and_empty_reason_refused(
    qtbot: QtBot, panel: CasesPanel, store: Store, clock: dict[str, date], cases: dict[str, Case]
) -> None:
    clock["today"] = date(2026, 10, 20)
    refreshed(qtbot, panel)
    case = cases["tolerance"]
    select(qtbot, panel, case)
    qtbot.mouseClick(panel.ui.returnButton, Qt.MouseButton.LeftButton)
    dialog = panel.active_dialog
    assert isinstance(dialog, ReturnDialog)
    assert dialog.reason() == "容缺材料逾期未补正：经营场所平面布局图"  # suggested for an overdue case
    dialog.reason_edit.setPlainText("   ")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.error_label.text() == "退件原因不能为空。"
    with store.session() as session:
        assert cases_repo.load_case(session, case.uuid).state is CaseState.AWAITING_SUPPLEMENT
    dialog.reason_edit.setPlainText("逾期未补正平面布局图")
    with qtbot.waitSignal(panel.case_changed, timeout=5000), qtbot.waitSignal(panel.refreshed, timeout=5000):
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with store.session() as session:
        stored = cases_repo.load_case(session, case.uuid)
    assert stored.state is CaseState.RETURNED and stored.return_reason == "逾期未补正平面布局图"
    assert panel.ui.messageLabel.text() == "办件 信高新受〔2026〕03000001 已退件，当前状态：已退件。"
    assert names(panel) == ["赵六"]  # no longer open
    choose_filter(qtbot, panel, "已退件")
    assert column(panel, COL_STATE) == ["已退件"]
    assert panel.model.index(0, COL_STATE).data(Qt.ItemDataRole.ToolTipRole) == "退件原因：逾期未补正平面布局图"


def test_action_on_a_case_changed_elsewhere_shows_the_error(
    qtbot: QtBot, panel: CasesPanel, store: Store, cases: dict[str, Case]
) -> None:
    case = cases["tolerance"]
    select(qtbot, panel, case)
    with store.session() as session, session.begin():  # another window returns it meanwhile
        cases_repo.return_case(session, case.uuid, "申请人撤回", "周九")
    qtbot.mouseClick(panel.ui.supplementButton, Qt.MouseButton.LeftButton)
    dialog = panel.active_dialog
    assert isinstance(dialog, SupplementDialog)
    qtbot.keyClick(dialog.materials, Qt.Key.Key_Space)
    with qtbot.waitSignal(panel.failed, timeout=5000) as failed:
        qtbot.keyClick(dialog.materials, Qt.Key.Key_Return)
    expected = "登记补正失败：办件 信高新受〔2026〕03000001 当前为「已退件」，不能登记补正"
    assert failed.args == [expected]
    assert panel.ui.messageLabel.text() == expected


def test_reintake_emits_the_one_time_noticed_case(qtbot: QtBot, panel: CasesPanel, cases: dict[str, Case]) -> None:
    select(qtbot, panel, cases["noticed"])
    with qtbot.waitSignal(panel.reintake_requested, timeout=5000) as requested:
        qtbot.mouseClick(panel.ui.reintakeButton, Qt.MouseButton.LeftButton)
    case = requested.args[0]
    assert isinstance(case, Case)
    assert case.uuid == cases["noticed"].uuid and case.state is CaseState.ONE_TIME_NOTICED
    assert case.applicant.id_number == "41150219850612345X"
    assert next(e for e in case.checklist if e.key == "food_safety_rules").mark.reason == "未盖公章"
    assert [e["kind"] for e in case.events] == ["created"]


def test_show_case_number_searches_all_and_selects(qtbot: QtBot, panel: CasesPanel, clock: dict[str, date]) -> None:
    clock["today"] = date(2026, 10, 20)  # the noticed case is not in 今日及未结 any more
    refreshed(qtbot, panel)
    with qtbot.waitSignal(panel.refreshed, timeout=5000):
        panel.show_case_number("信高新受〔2026〕03000003")
    assert panel.ui.stateCombo.currentText() == "全部"
    qtbot.waitUntil(lambda: panel.detail_case is not None, timeout=5000)
    assert panel.selected_case().case_number == "信高新受〔2026〕03000003"  # type: ignore[union-attr]
    assert "钱七" in panel.ui.detailBrowser.toPlainText()
    with qtbot.waitSignal(panel.refreshed, timeout=5000):
        panel.show_case_number("信高新受〔2026〕03000099")
    assert panel.ui.messageLabel.text() == "未找到受理编号为 信高新受〔2026〕03000099 的办件。"


def test_refreshes_are_coalesced_and_stale_results_dropped(qtbot: QtBot, panel: CasesPanel) -> None:
    before = panel.queries_started
    emitted: list[int] = []
    panel.refreshed.connect(emitted.append)
    with qtbot.waitSignal(panel.refreshed, timeout=5000):
        for _ in range(5):
            panel.refresh()
        panel.ui.searchEdit.setText("王")
    assert panel.queries_started == before + 1
    assert names(panel) == ["王五"]
    # Two queries in flight: only the newer one's list is applied.
    panel.ui.searchEdit.blockSignals(True)
    panel.ui.searchEdit.setText("赵")
    panel._run_query()
    panel.ui.searchEdit.setText("钱")
    panel._run_query()
    panel.ui.searchEdit.blockSignals(False)
    panel.tasks.wait_idle()
    qtbot.waitUntil(lambda: len(emitted) == 2, timeout=5000)
    qtbot.wait(50)
    assert len(emitted) == 2 and names(panel) == ["钱七"]


def test_keyboard_f5_ctrl_k_and_enter(qtbot: QtBot, panel: CasesPanel) -> None:
    panel.activateWindow()
    ui = panel.ui
    ui.casesTable.setFocus()
    qtbot.waitUntil(lambda: ui.casesTable.hasFocus())
    before = panel.queries_started
    with qtbot.waitSignal(panel.refreshed, timeout=5000):
        qtbot.keyClick(ui.casesTable, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert panel.queries_started == before + 1
    qtbot.keyClick(ui.casesTable, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)  # Ctrl+L locks
    qtbot.waitUntil(lambda: ui.searchEdit.hasFocus())
    qtbot.keyClick(ui.searchEdit, Qt.Key.Key_Down)  # into the list, first row selected
    qtbot.waitUntil(lambda: ui.casesTable.hasFocus())
    assert panel.selected_case() is not None
    qtbot.keyClick(ui.casesTable, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ui.detailBrowser.hasFocus())
    first_enabled = next(b for b in (ui.supplementButton, ui.returnButton, ui.reintakeButton) if b.isEnabled())
    qtbot.keyClick(ui.detailBrowser, Qt.Key.Key_Tab)  # Tab leaves the detail for the actions
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first_enabled)
