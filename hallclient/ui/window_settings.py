"""The window settings dialog: the window's own settings and (for an administrator) the hall's.

The dialog only collects the values; the caller saves them through
`services.settings.update_settings`, which requires an administrator for the hall settings
(authority, seal, case-number pattern) and records the change in the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
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
    dialog, collect = settings_dialog(parent, settings, actor)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return collect()


def settings_dialog(parent: QWidget | None, settings: Settings,
                    actor: Actor) -> tuple[QDialog, Callable[[], dict[str, Any]]]:
    """The dialog and the function that reads its values (tests look at it without exec)."""
    from hallclient.settings import legal_setup_warnings

    dialog = QDialog(parent)
    dialog.setWindowTitle("窗口设置")
    form = QFormLayout(dialog)
    hall_editable = allowed(actor, Action.SETTINGS_MANAGE)
    warnings = legal_setup_warnings(settings)
    dialog.setProperty("legal_warnings", warnings)
    if warnings:  # the refusals and negative decisions print 待设置 until the hall sets them
        notice = QLabel("\n".join(f"⚠ {w}" for w in warnings))
        notice.setObjectName("legalWarnings")
        notice.setWordWrap(True)
        notice.setStyleSheet("color: #9b1c1c; background: #fff4e5; padding: 6px; border: 1px solid #f0c36d;")
        form.addRow(notice)
    window = QLineEdit(settings.window_number)
    authority = QLineEdit(settings.authority)
    seal = QLineEdit(settings.seal_name)
    pattern = QLineEdit(settings.case_number_pattern)
    pattern.setToolTip("{year} 年份，{window} 窗口号，{seq} 本窗口当年流水号；须含 {window} 和 {seq}")
    reconsideration = QLineEdit(settings.reconsideration_body)
    reconsideration.setPlaceholderText("待设置：如 信阳市平桥区人民政府（与法制部门确认）")
    court = QLineEdit(settings.court)
    reconsideration.setObjectName("reconsiderationEdit")
    court.setObjectName("courtEdit")
    court.setPlaceholderText("待设置：本地行政案件的管辖法院（与法制部门确认）")
    for edit in (authority, seal, pattern, reconsideration, court):
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
    form.addRow("行政复议机关", reconsideration)
    form.addRow("管辖法院", court)
    if not hall_editable:
        note = QLabel(f"发文机关、印章名称、受理编号格式、复议机关和管辖法院是大厅设置，{ADMIN_ONLY}。")
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

    def collect() -> dict[str, Any]:
        return {
            "window_number": window.text().strip() or settings.window_number,
            "authority": authority.text().strip() or settings.authority,
            "seal_name": seal.text().strip() or settings.seal_name,
            "case_number_pattern": pattern.text(),
            "central_url": central.text().strip(),
            "central_token": token.text().strip(),
            "idle_lock_minutes": idle.value(),
            "reconsideration_body": reconsideration.text().strip(),
            "court": court.text().strip(),
        }

    return dialog, collect
