"""The proxy's 预审 tab driven as proxy staff drive it: the applicant typed, consent, the window's
keys on the checklist, a remark per material and overall, save, the number, the sheet, the list."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hallclient.core.checklist import MaterialStatus
from hallclient.core.prereview import Consent, PrereviewOutcome
from hallclient.services import catalog
from hallclient.services import prereview as prereview_service
from hallclient.ui.prereview_panel import PrereviewPanel
from hallclient.ui.tasks import TaskRunner
from tests.services.conftest import FOOD, ID_NUMBER, PHONE, Hall
from tests.ui.test_approval_panel import SHOTS, TODAY, hall, press, shoot, type_text  # noqa: F401


@pytest.fixture
def panel(qtbot: QtBot, hall: Hall) -> Iterator[PrereviewPanel]:  # noqa: F811
    tasks = TaskRunner()
    widget = PrereviewPanel(hall.ctx, tasks, lambda: hall.proxy, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1076, 640)  # the tab beside the queue dock at 1366×768
    widget.show()
    yield widget
    tasks.wait_idle()


def key_on_row(qtbot: QtBot, panel: PrereviewPanel, row: int, key: Qt.Key) -> None:
    table = panel.ui.checklistTable
    table.setCurrentIndex(panel.model.index(row, 2))
    press(qtbot, table, key, Qt.KeyboardModifier.NoModifier)


def fill_applicant(qtbot: QtBot, panel: PrereviewPanel) -> None:
    panel.ui.nameEdit.setFocus()
    type_text(panel.ui.nameEdit, "张三")
    panel.ui.idNumberEdit.setText(ID_NUMBER)
    panel.ui.phoneEdit.setText(PHONE)


def test_save_a_prereview_that_found_something_missing(qtbot: QtBot, hall: Hall, panel: PrereviewPanel) -> None:  # noqa: F811
    items = catalog.load_items(hall.ctx, [FOOD])
    panel.start(items)
    assert panel.ui.prereviewTitle.text() == "预审：食品经营许可（新办）"
    fill_applicant(qtbot, panel)
    assert panel.ui.nameEdit.text() == "张三"
    key_on_row(qtbot, panel, 0, Qt.Key.Key_1)  # 申请书, original
    key_on_row(qtbot, panel, 1, Qt.Key.Key_3)  # 营业执照 from the e-license library
    key_on_row(qtbot, panel, 2, Qt.Key.Key_3)
    key_on_row(qtbot, panel, 4, Qt.Key.Key_Space)  # 食品安全管理制度 received
    # 平面布局图 missing, with a remark typed on its row (Enter goes to the remark field)
    key_on_row(qtbot, panel, 3, Qt.Key.Key_6)
    key_on_row(qtbot, panel, 3, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is panel.ui.materialRemarkEdit
    type_text(panel.ui.materialRemarkEdit, "需标注面积")
    qtbot.keyClick(panel.ui.materialRemarkEdit, Qt.Key.Key_Return)
    assert panel.remarks == {"floor_plan": "需标注面积"}
    assert panel.ui.checklistTable.currentIndex().row() == 4
    assert "备注：需标注面积" in panel.model.index(3, 3).data()
    assert panel.ui.outcomeLabel.text() == "需补齐以下材料"
    assert "经营场所平面布局图" in panel.ui.missingView.toPlainText()
    panel.ui.remarkEdit.setText("其余材料齐全")
    shoot(panel, "prereview_filled")
    with qtbot.waitSignal(panel.saved, timeout=5000) as saved:
        press(qtbot, panel.ui.checklistTable, Qt.Key.Key_Return)  # Ctrl+Enter saves
    made = saved.args[0]
    assert made.number.startswith("YS") and panel.ui.numberLabel.text() == made.number
    assert made.outcome is PrereviewOutcome.MISSING and made.remarks == {"floor_plan": "需标注面积"}
    assert made.remark == "其余材料齐全" and made.consent is Consent.HELP
    assert panel.preview is not None  # the 预审意见单 opened for printing
    qtbot.waitUntil(lambda: panel.mine.rowCount() == 1, timeout=5000)
    assert panel.mine.index(0, 0).data() == made.number
    assert panel.mine.index(0, 6).data() == "尚未到窗口办理"
    shoot(panel, "prereview_saved")
    shoot(panel.preview, "prereview_sheet_preview")


def test_agent_consent_needs_the_letter_and_the_reason_is_shown(qtbot: QtBot, hall: Hall, panel: PrereviewPanel) -> None:  # noqa: F811
    panel.start(catalog.load_items(hall.ctx, [FOOD]))
    fill_applicant(qtbot, panel)
    panel.ui.agentRadio.setChecked(True)
    assert panel.ui.poaCheck.isEnabled()
    panel.save()
    qtbot.waitUntil(lambda: panel.last_error is not None, timeout=5000)
    assert "代办须有申请人签署的委托书" in panel.last_error  # type: ignore[operator]
    panel.ui.poaCheck.setChecked(True)
    panel.ui.notHallCheck.setChecked(True)
    assert panel.ui.outcomeLabel.text() == "不属于本大厅事项"
    with qtbot.waitSignal(panel.saved, timeout=5000) as saved:
        panel.save()
    assert saved.args[0].consent is Consent.AGENT and saved.args[0].outcome is PrereviewOutcome.NOT_HALL


def test_the_list_says_what_became_of_each(qtbot: QtBot, hall: Hall, panel: PrereviewPanel) -> None:  # noqa: F811
    from hallclient.core.intake import Intake
    from hallclient.services import cases as case_service
    from tests.services.test_approval_prereview import ALL_FOOD

    items = catalog.load_items(hall.ctx, [FOOD])
    panel.start(items)
    fill_applicant(qtbot, panel)
    for row, key in enumerate(("application_form", "business_license", "id_card", "floor_plan", "food_safety_rules")):
        mark = ALL_FOOD[key]
        panel.mark_row(row, mark.status, original=mark.original)
    assert panel.ui.outcomeLabel.text() == "材料齐全，可到窗口受理"
    with qtbot.waitSignal(panel.saved, timeout=5000) as saved:
        panel.save()
    made = saved.args[0]
    taken = prereview_service.for_intake(hall.ctx, hall.clerk3, made.number)
    intake = Intake.from_prereview(taken, items, None)
    draft = intake.draft(intake.result(TODAY, catalog.load_calendar(hall.ctx)), today=TODAY, window="3", clerk="李三")
    case = case_service.create_case(hall.ctx, hall.clerk3, draft).value
    panel.refresh_mine()
    qtbot.waitUntil(lambda: panel.mine.rowCount() == 1 and "已在 3 号窗口受理" in panel.mine.index(0, 6).data(),
                    timeout=5000)
    assert case.case_number in panel.mine.index(0, 6).data()
    assert intake.marks["floor_plan"].status is MaterialStatus.RECEIVED
