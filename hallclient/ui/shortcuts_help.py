"""快捷键一览 (Shift+F1): every key the clerk has, F1–F7 included, and every menu action's
shortcut found on the window (so a key added to a menu is listed without editing this file)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from hallclient.ui.queue_panel import KEYS as QUEUE_KEYS

QUEUE_WORDS = {"call_next": "叫下一位", "recall": "重呼", "no_show": "过号", "toggle_service": "开始办理 / 办结",
               "transfer": "转移（转其他类别或窗口）", "toggle_park": "挂起 / 恢复", "toggle_pause": "暂离 / 恢复叫号"}

GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    ("排队叫号（任何页面均可用）", [(key, QUEUE_WORDS[name]) for key, name in QUEUE_KEYS.items()]),
    ("查找事项", [
        ("Ctrl+F", "回到搜索框"),
        ("↓ / Enter", "从搜索框进入结果列表"),
        ("Esc", "只看本号类别时：显示全部事项"),
        ("Enter / Ctrl+N", "开始受理所选事项"),
        ("Ctrl+Shift+N", "按事项编码受理"),
    ]),
    ("受理", [
        ("1 / 2", "原件 / 复印件已收"),
        ("3", "电子证照（证照编号在确认时填写，可留空）"),
        ("4 / 5 / 6", "告知承诺 / 容缺 / 缺少"),
        ("7", "不符合要求（原因在确认时填写）"),
        ("8", "不适用（原因在确认时填写）"),
        ("空格 / + / -", "收取或缺少 / 份数加减"),
        ("Tab / Shift+Tab", "下一行 / 上一行材料"),
        ("Ctrl+Enter", "确认受理（补填 3、7、8 的编号或原因）"),
        ("Ctrl+R / Ctrl+W", "不予受理 / 放弃本次受理"),
        ("Ctrl+Shift+Y", "输入或扫描预审编号（搜索框中扫码亦可）"),
        ("Enter / Ctrl+Shift+A", "核对来自预审的本行 / 全部核对"),
    ]),
    ("文书", [
        ("Enter", "文书列表中：预览所选文书；预览中：直接打印并回到列表"),
        ("Ctrl+P", "预览中：直接打印到本窗口打印机"),
        ("Ctrl+Shift+P", "打印 / 补打所选办件的文书"),
        ("Esc", "关闭预览，回到文书列表"),
    ]),
    ("办件、审批与其他", [
        ("Ctrl+K / Ctrl+R", "「办件」中：回到搜索框 / 刷新"),
        ("Ctrl+Enter / D / B / T / G", "「审批」中：准予 / 不予许可 / 退回窗口 / 转后台审批 / 延长期限（Ctrl+）"),
        ("Ctrl+Shift+T", "登记投诉（首问负责）"),
        ("F9", "立即与中心服务同步"),
        ("Ctrl+L", "锁屏（本人输入密码解锁）"),
        ("Ctrl+Shift+L", "切换用户（交班）"),
        ("Ctrl+,", "窗口设置"),
        ("Ctrl+I / Ctrl+E", "导入 / 导出事项清单"),
        ("Shift+F1", "本快捷键一览"),
    ]),
]


def _native(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) or key


def listed_keys() -> set[str]:
    keys = set()
    for _title, rows in GROUPS:
        for key, _what in rows:
            keys.update(part.strip() for part in key.replace(" / ", "/").split("/"))
    return keys


def menu_rows(window: QWidget) -> list[tuple[str, str]]:
    """Menu actions with a shortcut that the groups above do not name."""
    known = listed_keys()
    rows = []
    for action in window.findChildren(QAction):
        key = action.shortcut().toString()
        if key and key not in known and action.text():
            rows.append((key, action.text().replace("&", "").rstrip("…")))
            known.add(key)
    return rows


def shortcuts_html(window: QWidget | None = None) -> str:
    groups = list(GROUPS)
    extra = menu_rows(window) if window is not None else []
    if extra:
        groups.append(("菜单", extra))
    parts = []
    for title, rows in groups:
        parts.append(f"<h3 style='margin:8px 0 2px 0'>{title}</h3><table cellpadding=2>")
        parts.extend(f"<tr><td width=190><b>{_native(key) if '/' not in key else key}</b></td><td>{what}</td></tr>"
                     for key, what in rows)
        parts.append("</table>")
    return "".join(parts)


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setWindowTitle("快捷键一览")
        self.view = QTextBrowser(self)
        self.view.setHtml(shortcuts_html(window))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        screen = window.screen()
        height = min(680, screen.availableGeometry().height() - 60) if screen is not None else 680
        self.resize(640, height)


def show_shortcuts(window: QWidget) -> ShortcutsDialog:
    dialog = ShortcutsDialog(window)
    dialog.open()
    return dialog
