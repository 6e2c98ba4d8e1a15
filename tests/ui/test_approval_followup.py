"""What follows the chief representative's decision at the accepting window: the states after
acceptance listed and filterable, the opinion on a sent-back case and taking it again, the
收件回执 of a received case on request; the decision's document after a decision; and the
settings dialog's warning while the 复议机关/court are not set."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from hallclient.core.approval import ApprovalOutcome, Authorisation
from hallclient.core.cases import CaseState
from hallclient.services import approval
from hallclient.store.models import CaseRow
from hallclient.ui.cases_panel import CasesPanel
from hallclient.ui.tasks import TaskRunner
from hallclient.ui.window_settings import settings_dialog
from tests.services.conftest import CLINIC, HEALTH, Hall, accept
from tests.ui.test_approval_panel import RUNNERS, TODAY, hall, shoot  # noqa: F401
from tests.ui.test_prereview_intake import window_for


@pytest.fixture
def cases(qtbot: QtBot, hall: Hall) -> Iterator[CasesPanel]:  # noqa: F811
    tasks = TaskRunner()
    RUNNERS.append(tasks)
    panel = CasesPanel(hall.ctx, tasks, lambda: hall.clerk3, today=lambda: TODAY)
    qtbot.addWidget(panel)
    panel.resize(1076, 640)
    panel.show()
    yield panel


def choose_state(qtbot: QtBot, panel: CasesPanel, state: CaseState) -> None:
    combo = panel.ui.stateCombo
    with qtbot.waitSignal(panel.refreshed, timeout=5000):
        combo.setCurrentIndex(combo.findData(state.value))


def test_a_sent_back_case_shows_the_opinion_and_can_be_taken_again(qtbot: QtBot, hall: Hall, cases: CasesPanel) -> None:  # noqa: F811
    approval.set_authorisation(hall.ctx, hall.admin, Authorisation("chief_health", 0, (HEALTH,)))
    back = accept(hall, hall.clerk3, CLINIC, name="王五")
    done = accept(hall, hall.clerk3, CLINIC, name="张三")
    approval.decide(hall.ctx, hall.chief_health, back.uuid, ApprovalOutcome.SENT_BACK, opinion="健康证明须为本年度")
    approval.decide(hall.ctx, hall.chief_health, done.uuid, ApprovalOutcome.APPROVED)
    labels = [cases.ui.stateCombo.itemText(i) for i in range(cases.ui.stateCombo.count())]
    for label in ("已收件", "审批中", "已办结", "不予许可", "已退回窗口"):
        assert label in labels
    choose_state(qtbot, cases, CaseState.COMPLETED)
    assert cases.model.rowCount() == 1 and cases.model.case_at(0).uuid == done.uuid
    choose_state(qtbot, cases, CaseState.SENT_BACK)
    assert cases.model.rowCount() == 1
    cases.ui.casesTable.selectRow(0)
    qtbot.waitUntil(lambda: cases.detail_case is not None and bool(cases.detail_case.events), timeout=5000)
    text = cases.ui.detailBrowser.toPlainText()
    assert "退回意见" in text and "健康证明须为本年度" in text and "退回窗口" in text
    button = cases.ui.reintakeButton
    assert button.isEnabled() and "按退回意见重新受理" in button.text()
    shoot(cases, "cases_sent_back")
    with qtbot.waitSignal(cases.reintake_requested, timeout=5000) as wanted:
        qtbot.keyClick(cases.ui.casesTable, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert wanted.args[0].uuid == back.uuid


def test_a_received_case_prints_its_receipt_on_request(qtbot: QtBot, hall: Hall, cases: CasesPanel) -> None:  # noqa: F811
    case = accept(hall, hall.clerk3, CLINIC)
    with hall.ctx.store.session() as session, session.begin():  # 收件 without 受理 (made elsewhere)
        session.execute(update(CaseRow.__table__).where(CaseRow.__table__.c.uuid == case.uuid)
                        .values(state=CaseState.RECEIVED.value))
    choose_state(qtbot, cases, CaseState.RECEIVED)
    cases.ui.casesTable.selectRow(0)
    qtbot.waitUntil(lambda: cases.ui.receiptButton.isEnabled(), timeout=5000)
    with qtbot.waitSignal(cases.documents_requested, timeout=5000) as asked:
        qtbot.keyClick(cases.ui.casesTable, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)
    assert asked.args[0].uuid == case.uuid and asked.args[1] == "receipt"


def test_after_approving_the_decision_document_opens(qtbot: QtBot, hall: Hall) -> None:  # noqa: F811
    from hallclient.case_documents import document_case
    from hallclient.documents import DocumentKind, documents_for

    approval.set_authorisation(hall.ctx, hall.admin, Authorisation("chief_health", 0, (HEALTH,)))
    case = accept(hall, hall.clerk3, CLINIC)
    chief = window_for(qtbot, hall, "chief_health")
    panel = chief.approval_panel
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.uuid == case.uuid, timeout=5000)  # type: ignore[union-attr]
    shoot(chief, "window_chief_case")
    dialog = panel.ask_decision(ApprovalOutcome.APPROVED)  # type: ignore[union-attr]
    assert dialog is not None
    dialog.accept()
    qtbot.waitUntil(lambda: chief.documents_dialog is not None, timeout=8000)
    docs = chief.documents_dialog
    kinds = [str(docs.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(docs.list.count())]  # type: ignore[union-attr]
    from hallclient.services import cases as case_service

    fresh, items = case_service.case_with_items(hall.ctx, hall.chief_health, case.uuid)
    if DocumentKind.APPROVAL_DECISION in documents_for(document_case(fresh, items)):
        assert "approval_decision" in kinds and docs.preview is not None  # type: ignore[union-attr]
        assert docs.preview.kind == "approval_decision"  # type: ignore[union-attr]
    shoot(docs, "chief_documents_after_approval")  # type: ignore[arg-type]
    chief.close()


def test_settings_warn_while_the_legal_bodies_are_not_set(qtbot: QtBot, hall: Hall) -> None:  # noqa: F811
    settings = hall.ctx.settings
    settings.reconsideration_body, settings.court = "", ""
    dialog, collect = settings_dialog(None, settings, hall.admin)
    qtbot.addWidget(dialog)
    notice = dialog.findChild(QLabel, "legalWarnings")
    assert notice is not None and "尚未设置行政复议机关" in notice.text() and "尚未设置管辖法院" in notice.text()
    dialog.show()
    shoot(dialog, "settings_legal_warning")
    dialog.findChild(QLineEdit, "reconsiderationEdit").setText("信阳市平桥区人民政府")
    assert collect()["reconsideration_body"] == "信阳市平桥区人民政府"
    settings.reconsideration_body, settings.court = "信阳市平桥区人民政府", "信阳市平桥区人民法院"
    dialog2, _ = settings_dialog(None, settings, hall.clerk3)
    qtbot.addWidget(dialog2)
    assert dialog2.findChild(QLabel, "legalWarnings") is None
    court = dialog2.findChild(QLineEdit, "courtEdit")
    assert court.text() == "信阳市平桥区人民法院" and court.isReadOnly()  # a hall setting: the clerk reads it only
