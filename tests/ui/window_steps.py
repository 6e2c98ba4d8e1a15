"""Steps a clerk takes in the main window, shared by the window-level UI tests."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from hallclient.core.checklist import MaterialStatus
from hallclient.ui.main_window import MainWindow

# 食品经营许可（变更） of the small test catalog has one material: the application form.
CHANGE_ITEM = "食品经营许可（变更）"


def open_intake(window: MainWindow, qtbot: QtBot, item_name: str = CHANGE_ITEM) -> None:
    window.ui.searchEdit.setText(item_name)  # Chinese via setText: keyClicks aborts on non-ASCII
    qtbot.waitUntil(lambda: window.ui.startIntakeButton.isEnabled(), timeout=5000)
    window.catalog.request_intake()


def accept_with_form_received(window: MainWindow, qtbot: QtBot, applicant: str) -> Any:
    """Fill a valid applicant, tick the one material received, confirm; returns the case."""
    intake = window.intake
    intake.ui.nameEdit.setText(applicant)
    intake.ui.idNumberEdit.setText("11010519491231002X")
    intake.ui.phoneEdit.setText("13812345678")
    intake.mark_row(0, MaterialStatus.RECEIVED, original=True)
    with qtbot.waitSignal(intake.case_created, timeout=5000) as created:
        intake.confirm()
    return created.args[0]
