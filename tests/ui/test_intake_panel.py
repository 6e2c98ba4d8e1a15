"""The intake tab driven as a clerk drives it: keys on checklist rows, live decision, confirm."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from hallclient.core.cases import CaseState
from hallclient.core.catalog_format import parse_catalog
from hallclient.core.checklist import Decision, MaterialStatus
from hallclient.core.intake import Intake, IntakeNotAllowed
from hallclient.store import cases_repo
from hallclient.store.cases_repo import CaseFilter
from hallclient.store.models import OutboxRow
from hallclient.ui.intake_panel import IntakePanel
from hallclient.ui.tasks import TaskRunner
from hallclient.workspace import Workspace
from tests.conftest import small_catalog
from tests.ui.conftest import sign_in

ITEMS = parse_catalog(small_catalog()).item_map()
FOOD = ITEMS["11411500MB1234567X-001"]
MONDAY = date(2026, 9, 28)


@pytest.fixture
def panel(qtbot: QtBot, people_dir: Path):  # type: ignore[no-untyped-def]
    workspace = Workspace(people_dir)
    workspace.settings.window_number = "3"
    clerk = sign_in(workspace, "lisi").actor  # 李四, signed in at window 3
    tasks = TaskRunner()
    widget = IntakePanel(workspace.services, tasks, lambda: clerk, today=lambda: MONDAY)
    qtbot.addWidget(widget)
    widget.resize(1340, 660)
    widget.show()
    qtbot.waitUntil(lambda: widget.calendar is not None)
    widget.start(Intake((FOOD,)))
    yield widget
    tasks.wait_idle()
    workspace.close()


def press_on_row(qtbot: QtBot, panel: IntakePanel, row: int, key: Qt.Key) -> None:
    table = panel.ui.checklistTable
    table.setCurrentIndex(panel.model.index(row, 2))
    qtbot.keyClick(table, key)


def fill_applicant(panel: IntakePanel) -> None:
    panel.ui.nameEdit.setText("张三")
    panel.ui.idNumberEdit.setText("11010519491231002x")
    panel.ui.phoneEdit.setText("13812345678")


def test_keys_tick_rows_and_the_decision_follows(panel: IntakePanel, qtbot: QtBot) -> None:
    assert panel.ui.decisionLabel.text() == "一次性告知"
    press_on_row(qtbot, panel, 0, Qt.Key.Key_1)  # application form, original
    assert panel.intake.mark("application_form").status is MaterialStatus.RECEIVED  # type: ignore[union-attr]
    assert panel.intake.mark("application_form").original is True  # type: ignore[union-attr]
    panel.mark_row(1, MaterialStatus.E_LICENSE, text="91411500MA9XXXXX1")
    panel.mark_row(2, MaterialStatus.E_LICENSE, text="")
    press_on_row(qtbot, panel, 3, Qt.Key.Key_5)  # floor plan tolerated
    press_on_row(qtbot, panel, 4, Qt.Key.Key_4)  # safety rules by commitment
    panel.mark_row(5, MaterialStatus.NOT_APPLICABLE, text="本人办理")
    assert panel.ui.decisionLabel.text() == "容缺受理"
    assert "「经营场所平面布局图」：2026年10月8日前补正" in panel.ui.reasonsView.toPlainText()
    press_on_row(qtbot, panel, 3, Qt.Key.Key_Space)  # floor plan now received
    assert panel.ui.decisionLabel.text() == "受理"
    assert panel.result.decision is Decision.ACCEPT  # type: ignore[union-attr]
    assert panel.result.due_date == date(2026, 10, 10)  # type: ignore[union-attr]


def test_rules_refuse_a_mark_with_the_reason(panel: IntakePanel, qtbot: QtBot) -> None:
    press_on_row(qtbot, panel, 0, Qt.Key.Key_5)  # core material cannot be tolerated
    assert panel.intake.mark("application_form").status is MaterialStatus.MISSING  # type: ignore[union-attr]
    assert "核心材料不可容缺" in panel.ui.markProblem.text()
    press_on_row(qtbot, panel, 0, Qt.Key.Key_8)
    assert "必要材料不能标记为不适用" in panel.ui.markProblem.text()


def test_bad_credit_resets_tolerance(panel: IntakePanel, qtbot: QtBot) -> None:
    press_on_row(qtbot, panel, 3, Qt.Key.Key_5)
    assert panel.intake.mark("floor_plan").status is MaterialStatus.TOLERATED  # type: ignore[union-attr]
    panel.ui.badCreditCheck.setChecked(True)
    assert panel.intake.mark("floor_plan").status is MaterialStatus.MISSING  # type: ignore[union-attr]
    assert "失信" in panel.ui.markProblem.text()


def test_tab_moves_between_rows(panel: IntakePanel, qtbot: QtBot) -> None:
    table = panel.ui.checklistTable
    table.setCurrentIndex(panel.model.index(0, 2))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert table.currentIndex().row() == 1
    qtbot.keyClick(table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert table.currentIndex().row() == 0


def test_bad_applicant_blocks_confirm_and_names_the_field(panel: IntakePanel, qtbot: QtBot) -> None:
    panel.ui.nameEdit.setText("张三")
    panel.ui.idNumberEdit.setText("110105194912310021")  # wrong check digit
    panel.ui.phoneEdit.setText("1381234567")
    with qtbot.waitSignal(panel.message):
        qtbot.keyClick(panel.ui.nameEdit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    text = panel.ui.applicantProblems.text()
    assert "证件号码：校验位错误" in text and "联系电话" in text
    assert "c62828" in panel.ui.idNumberEdit.styleSheet()
    assert panel.intake is not None  # nothing saved, nothing lost


def test_confirm_creates_the_case_before_anything_else(panel: IntakePanel, qtbot: QtBot) -> None:
    fill_applicant(panel)
    for row in range(5):
        press_on_row(qtbot, panel, row, Qt.Key.Key_1)
    panel.mark_row(1, MaterialStatus.E_LICENSE, text="")
    panel.mark_row(5, MaterialStatus.NOT_APPLICABLE, text="本人办理")
    with qtbot.waitSignal(panel.case_created, timeout=5000) as created:
        qtbot.keyClick(panel.ui.checklistTable, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    case = created.args[0]
    assert case.case_number == "信高新受〔2026〕03000001"
    assert case.state is CaseState.ACCEPTED and case.applicant.id_number == "11010519491231002X"
    assert case.window_number == "3" and case.clerk_name == "李四"
    assert panel.intake is None
    with panel.ctx.store.session() as session:
        stored = cases_repo.list_cases(session, CaseFilter(), MONDAY)
        assert [c.case_number for c in stored] == [case.case_number]
        # The case and its audit record wait for the central (with the sign-in's audit record).
        kinds = [row.kind for row in session.execute(select(OutboxRow.__table__).where(
            OutboxRow.__table__.c.done_at.is_(None)))]
        assert kinds.count("case") == 1 and kinds.count("audit") >= 2


def test_refusal_with_a_reason(panel: IntakePanel, qtbot: QtBot) -> None:
    fill_applicant(panel)
    with qtbot.waitSignal(panel.case_created, timeout=5000) as created:
        panel.refuse_with("申请事项不属于本机关职权范围")
    assert created.args[0].decision is Decision.REFUSE
    assert created.args[0].reasons == ("申请事项不属于本机关职权范围",)


def test_suspended_item_cannot_start() -> None:
    with pytest.raises(IntakeNotAllowed, match="已暂停办理"):
        Intake((ITEMS["11411500MB1234567X-020"],))
