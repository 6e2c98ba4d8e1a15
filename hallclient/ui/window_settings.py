"""The window settings dialog: window number and clerk, remembered between sessions."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from hallclient.settings import Settings


def edit_window_settings(parent: QWidget, settings: Settings) -> bool:
    dialog = QDialog(parent)
    dialog.setWindowTitle("窗口设置")
    form = QFormLayout(dialog)
    window = QLineEdit(settings.window_number)
    clerk = QLineEdit(settings.clerk_name)
    authority = QLineEdit(settings.authority)
    central = QLineEdit(settings.central_url)
    central.setPlaceholderText("留空：单机运行，不连接中心服务")
    form.addRow("窗口号", window)
    form.addRow("受理人", clerk)
    form.addRow("发文机关", authority)
    form.addRow("中心服务地址", central)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    settings.window_number = window.text().strip() or settings.window_number
    settings.clerk_name = clerk.text().strip()
    settings.authority = authority.text().strip() or settings.authority
    settings.central_url = central.text().strip()
    return True
