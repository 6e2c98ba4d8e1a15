"""How the queue panel shows its state: the current ticket and its times, counts, buttons.

`PanelState` is what the panel knows; `render` and `render_times` write it into the compiled
form (hallclient/ui/forms/ui_queue_panel.py). The 1 s timer calls only `render_times`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem, QPushButton

from hallclient.core.queue import (
    GREEN_REASON_LABELS,
    TICKET_STATE_LABELS,
    TICKET_TYPE_LABELS,
    TicketState,
    TicketType,
)
from hallclient.ui.forms.ui_queue_panel import Ui_QueuePanel

if TYPE_CHECKING:  # the sync client (requests) is imported when the queue first talks to the central
    from hallclient.services.sync_ops import QueueTicket

ONLINE_STYLE = "color:white;background:#2e7d32;padding:2px 8px;border-radius:3px;"
OFFLINE_STYLE = "color:white;background:#c62828;padding:2px 8px;border-radius:3px;font-weight:bold;"
STANDALONE_STYLE = "color:white;background:#546e7a;padding:2px 8px;border-radius:3px;"  # not an alarm
BUTTON_STYLE = "QPushButton{font-size:15pt;font-weight:bold;} QPushButton:disabled{color:#999;}"


@dataclass
class PanelState:
    current: QueueTicket | None = None
    parked: list[QueueTicket] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    for_window: int = 0  # tickets transferred to this window (and its handed-over walk-ins)
    walkins: int = 0  # walk-ins waiting that this window still calls itself
    paused: bool = False
    online: bool | None = None  # None: standalone, or not known yet
    auth_failed: bool = False  # the central answered 401/403: never shown as online
    busy: bool = False
    started_at: float | None = None  # monotonic time service started on the current ticket


AUTH_FAILED = "认证失败（令牌无效或已停用）"


def buttons(ui: Ui_QueuePanel) -> list[QPushButton]:
    return [ui.callNextButton, ui.recallButton, ui.noShowButton, ui.serviceButton, ui.transferButton,
            ui.parkButton, ui.pauseButton, ui.walkinButton]


def style(ui: Ui_QueuePanel) -> None:
    ui.currentNumber.setStyleSheet("font-size:40pt;font-weight:bold;color:#0d47a1;")
    ui.currentInfo.setStyleSheet("font-size:13pt;")
    ui.waitLabel.setStyleSheet("font-size:13pt;color:#37474f;")
    ui.countsLabel.setStyleSheet("font-size:12pt;")
    ui.titleLabel.setStyleSheet("font-size:13pt;font-weight:bold;")
    # The dock is narrow at 1366×768: lines wrap between whole pieces, never inside a category.
    ui.currentInfo.setWordWrap(True)
    ui.countsLabel.setWordWrap(True)
    ui.countsLabel.setTextFormat(Qt.TextFormat.RichText)
    for button in buttons(ui):
        button.setStyleSheet(BUTTON_STYLE)


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


def render(ui: Ui_QueuePanel, state: PanelState) -> None:
    ticket = state.current
    if state.auth_failed:
        ui.connectionLabel.setText(AUTH_FAILED)
        ui.connectionLabel.setStyleSheet(OFFLINE_STYLE)
    else:
        ui.connectionLabel.setText({True: "在线", False: "离线", None: "单机"}[state.online])
        ui.connectionLabel.setStyleSheet(ONLINE_STYLE if state.online else OFFLINE_STYLE
                                         if state.online is False else STANDALONE_STYLE)
    ui.currentNumber.setText(ticket.number if ticket else "—")
    if ticket is None:
        ui.currentInfo.setText("暂停叫号（暂离）" if state.paused else "按 F1 叫下一位")
    else:
        label = TICKET_STATE_LABELS.get(TicketState(ticket.state), ticket.state)
        kind = TICKET_TYPE_LABELS.get(TicketType(ticket.type), ticket.type)
        calls = f"（第 {ticket.calls} 次呼叫）" if ticket.state == "called" else ""
        green = ""
        if ticket.green_reason:
            reason = GREEN_REASON_LABELS.get(ticket.green_reason, ticket.green_reason)
            check = {"pending": "，请核验资格", "ok": "，已核验", "refused": "，核验不符"}.get(ticket.green_check or "", "")
            green = f" · 自助取号：{reason}{check}"
        ui.currentInfo.setText(f"{ticket.category}\n{kind} · {label}{calls}{green}")
        ui.currentInfo.setToolTip(f"{ticket.number} · {ticket.category} · {kind} · {label}{calls}{green}")
    parts = [f"{category} {count}" for category, count in state.counts.items()]
    if state.for_window:
        parts.append(f"转本窗口 {state.for_window}")
    if state.walkins:
        parts.append(f"本窗口号 {state.walkins}")
    caption = "等候（离线前）：" if state.online is False else "等候："
    ui.countsLabel.setText(counts_html(caption, parts))
    ui.countsLabel.setToolTip(caption + ("、".join(parts) if parts else "无"))
    ui.parkedList.clear()
    for parked in state.parked:
        item = QListWidgetItem(f"{parked.number}　{parked.category}")
        item.setData(Qt.ItemDataRole.UserRole, parked)
        ui.parkedList.addItem(item)
    render_buttons(ui, state)
    render_times(ui, state)


def counts_html(caption: str, parts: list[str]) -> str:
    """Two whole "category count" cells a row: a category name is never cut or broken."""
    from html import escape

    if not parts:
        return escape(caption + "—")
    cells = [f"<td style='white-space:nowrap;padding-right:10px'>{escape(p)}</td>" for p in parts]
    rows = "".join(f"<tr>{''.join(cells[i:i + 2])}</tr>" for i in range(0, len(cells), 2))
    return f"{escape(caption)}<table cellspacing=0 cellpadding=0>{rows}</table>"


def render_buttons(ui: Ui_QueuePanel, state: PanelState) -> None:
    ticket, free = state.current, not state.busy
    current = ticket.state if ticket else None
    ui.callNextButton.setEnabled(free and not state.paused)
    ui.recallButton.setEnabled(free and current == "called")
    ui.noShowButton.setEnabled(free and current == "called")
    ui.serviceButton.setEnabled(free and current in ("called", "serving"))
    ui.serviceButton.setText("办结\nF4" if current == "serving" else "开始办理\nF4")
    ui.transferButton.setEnabled(free and current in ("called", "serving") and bool(state.online))
    resumable = ticket is None and bool(state.parked)
    ui.parkButton.setEnabled(free and (current in ("called", "serving") or resumable))
    ui.parkButton.setText("恢复\nF6" if resumable else "挂起\nF6")
    ui.pauseButton.setEnabled(free)
    ui.pauseButton.setText("恢复叫号\nF7" if state.paused else "暂离\nF7")
    ui.walkinButton.setVisible(not state.online)
    ui.walkinButton.setEnabled(free)


def render_times(ui: Ui_QueuePanel, state: PanelState) -> None:
    """候时 (issue → call), then time since the call, or the service time."""
    ticket = state.current
    if ticket is None or ticket.issued_at is None:
        ui.waitLabel.setText("")
        return
    now = datetime.now(ticket.issued_at.tzinfo)
    called = ticket.last_called_at or now
    text = f"候时 {clock((called - ticket.issued_at).total_seconds())}"
    if ticket.state == "serving":
        since = state.started_at
        elapsed = time.monotonic() - since if since is not None else (now - called).total_seconds()
        text += f"　办理 {clock(elapsed)}"
    elif ticket.state == "called":
        text += f"　叫号后 {clock((now - called).total_seconds())}"
    ui.waitLabel.setText(text)
