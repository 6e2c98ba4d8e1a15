"""The window settings dialog: window number and clerk, remembered between sessions."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from hallclient.core.cases import CaseNumberPatternError, format_case_number
from hallclient.settings import Settings


def edit_window_settings(parent: QWidget, settings: Settings) -> bool:
    dialog = QDialog(parent)
    dialog.setWindowTitle("窗口设置")
    form = QFormLayout(dialog)
    window = QLineEdit(settings.window_number)
    clerk = QLineEdit(settings.clerk_name)
    authority = QLineEdit(settings.authority)
    pattern = QLineEdit(settings.case_number_pattern)
    pattern.setToolTip("{year} 年份，{window} 窗口号，{seq} 本窗口当年流水号；须含 {window} 和 {seq}")
    example = QLabel()
    central = QLineEdit(settings.central_url)
    central.setPlaceholderText("留空：单机运行，不连接中心服务")
    form.addRow("窗口号", window)
    form.addRow("受理人", clerk)
    form.addRow("发文机关", authority)
    form.addRow("受理编号格式", pattern)
    form.addRow("", example)
    form.addRow("中心服务地址", central)
    token = QLineEdit(settings.central_token)
    token.setEchoMode(QLineEdit.EchoMode.Password)
    token.setPlaceholderText("由中心服务管理员发放（hallclient central add-window）")
    form.addRow("窗口令牌", token)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)

    def preview() -> None:
        try:
            sample = format_case_number(pattern.text(), year=2026, window=window.text().strip() or "1", seq=123)
        except (CaseNumberPatternError, ValueError, IndexError, KeyError) as error:
            example.setText(f"<span style='color:#c62828'>{error}</span>")
            ok_button.setEnabled(False)
        else:
            example.setText(f"示例：{sample}")
            ok_button.setEnabled(True)

    pattern.textChanged.connect(preview)
    window.textChanged.connect(preview)
    preview()
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    settings.window_number = window.text().strip() or settings.window_number
    settings.clerk_name = clerk.text().strip()
    settings.authority = authority.text().strip() or settings.authority
    settings.case_number_pattern = pattern.text()
    settings.central_url = central.text().strip()
    settings.central_token = token.text().strip()
    return True
