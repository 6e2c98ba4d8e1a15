"""The window settings dialog: the window's own settings and (for an administrator) the hall's.

The dialog only collects the values; the caller saves them through
`services.settings.update_settings`, which requires an administrator for the hall settings
(authority, seal, case-number pattern) and records the change in the audit trail.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from hallclient.core.cases import CaseNumberPatternError, format_case_number
from hallclient.core.permissions import Action, Actor, allowed
from hallclient.settings import Settings

ADMIN_ONLY = "仅系统管理员可修改"


def edit_window_settings(parent: QWidget, settings: Settings, actor: Actor) -> dict[str, Any] | None:
    """Ask for new values; None when cancelled, else field name → value (changed or not)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("窗口设置")
    form = QFormLayout(dialog)
    hall_editable = allowed(actor, Action.SETTINGS_MANAGE)
    window = QLineEdit(settings.window_number)
    authority = QLineEdit(settings.authority)
    seal = QLineEdit(settings.seal_name)
    pattern = QLineEdit(settings.case_number_pattern)
    pattern.setToolTip("{year} 年份，{window} 窗口号，{seq} 本窗口当年流水号；须含 {window} 和 {seq}")
    for edit in (authority, seal, pattern):
        if not hall_editable:
            edit.setReadOnly(True)
            edit.setToolTip(f"大厅设置，{ADMIN_ONLY}")
    example = QLabel()
    central = QLineEdit(settings.central_url)
    central.setPlaceholderText("留空：单机运行，不连接中心服务")
    idle = QSpinBox()
    idle.setRange(0, 120)
    idle.setSuffix(" 分钟")
    idle.setSpecialValueText("不自动锁屏")
    idle.setValue(int(settings.idle_lock_minutes))
    form.addRow("窗口号", window)
    form.addRow("当前登录", QLabel(actor.describe()))
    form.addRow("发文机关", authority)
    form.addRow("印章名称", seal)
    form.addRow("受理编号格式", pattern)
    form.addRow("", example)
    if not hall_editable:
        note = QLabel(f"发文机关、印章名称和受理编号格式是大厅设置，{ADMIN_ONLY}。")
        note.setStyleSheet("color: #555;")
        note.setWordWrap(True)
        form.addRow("", note)
    form.addRow("中心服务地址", central)
    token = QLineEdit(settings.central_token)
    token.setEchoMode(QLineEdit.EchoMode.Password)
    token.setPlaceholderText("由中心服务管理员发放（hallclient central add-window）")
    form.addRow("窗口令牌", token)
    form.addRow("无操作自动锁屏", idle)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")

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
    dialog.setMinimumWidth(560)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return {
        "window_number": window.text().strip() or settings.window_number,
        "authority": authority.text().strip() or settings.authority,
        "seal_name": seal.text().strip() or settings.seal_name,
        "case_number_pattern": pattern.text(),
        "central_url": central.text().strip(),
        "central_token": token.text().strip(),
        "idle_lock_minutes": idle.value(),
    }
