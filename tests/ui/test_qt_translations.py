"""Qt's own dialogs speak Chinese: the zh_CN translations of qtbase are loaded at start."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from hallclient.ui.app import install_qt_translations


def test_message_box_standard_buttons_read_chinese(qtbot: QtBot) -> None:
    app = QApplication.instance()
    loaded = install_qt_translations(app)
    assert any(path.endswith("qtbase_zh_CN.qm") for path in loaded)
    assert install_qt_translations(app) == loaded  # loading twice adds nothing
    box = QMessageBox()
    qtbot.addWidget(box)
    box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    assert box.button(QMessageBox.StandardButton.Ok).text() == "确定"
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "取消"
