"""The status bar: window number, clerk, catalog version and date, and a busy indicator."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from hallclient.core.catalog import CatalogHeader

RED = "color: #c62828; font-weight: bold;"
AMBER = "color: #e65100; font-weight: bold;"


class WindowStatus:
    def __init__(self, bar: QStatusBar) -> None:
        self.bar = bar
        self.window_label = QLabel()
        self.clerk_label = QLabel()
        self.catalog_label = QLabel("事项清单：载入中…")
        self.sync_label = QLabel("单机运行")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate: "working", never a frozen window
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.hide()
        for widget in (self.sync_label, self.window_label, self.clerk_label, self.catalog_label):
            bar.addPermanentWidget(widget)
        bar.addPermanentWidget(self.busy)

    def set_window(self, number: str, clerk: str) -> None:
        self.window_label.setText(f"窗口：{number} 号")
        self.clerk_label.setText(f"受理人：{clerk or '未设置'}")

    def set_catalog(self, header: CatalogHeader | None, items: int) -> None:
        if header is None:
            self.catalog_label.setText("事项清单：无")
            return
        date = (header.generated_at or "")[:10] or "日期未知"
        self.catalog_label.setText(f"事项清单：第 {header.catalog_version} 版（{date}，{items} 项）")

    def set_sync(self, report: object, last_good: str | None) -> None:
        """Online/offline, the last good sync, and how many records wait for the central."""
        if getattr(report, "standalone", False):  # one clear state: nothing is "waiting" for a central
            waiting = getattr(report, "waiting", 0)
            self.sync_label.setText(self.tr("单机运行"))
            self.sync_label.setStyleSheet("")
            self.sync_label.setToolTip(self.tr("未配置中心服务（设置 → 窗口设置）。") + (
                self.tr("本机有 {n} 条记录，配置中心服务后自动上报。").replace("{n}", str(waiting)) if waiting else ""))
            return
        online = getattr(report, "online", False)
        when = f"，上次同步 {last_good[11:16]}" if last_good else "，尚未同步"
        waiting = getattr(report, "waiting", 0)
        tooltip = "\n".join(report.lines()) if hasattr(report, "lines") else ""
        if getattr(report, "auth_failed", False):  # never "online" when the central refuses the token
            self.sync_label.setText(f"{self.tr('认证失败（令牌无效或已停用）')} · 待上报 {waiting} 条")
            self.sync_label.setStyleSheet(RED)
            self.sync_label.setToolTip(tooltip)
            return
        notes = []
        if getattr(report, "central_restored", None):
            notes.append(self.tr("中心数据已回退，已重新上报"))
        if getattr(report, "conflicts", 0):
            notes.append(self.tr("有 {n} 条记录与中心冲突").replace("{n}", str(report.conflicts)))
        if getattr(report, "insecure", False):
            notes.append(self.tr("未加密连接"))
        extra = "".join(f" · {note}" for note in notes)
        self.sync_label.setText(f"{'在线' if online else '离线'}{when} · 待上报 {waiting} 条{extra}")
        self.sync_label.setStyleSheet(RED if not online else AMBER if notes else "")
        self.sync_label.setToolTip(tooltip)

    def tr(self, text: str) -> str:
        return QCoreApplication.translate("WindowStatus", text)

    def set_sync_progress(self, phase: str, done: int, total: int) -> None:
        label = {"download": "下载事项清单", "apply": "更新事项清单"}.get(phase, phase)
        self.bar.showMessage(f"{label}：{done}/{total}" if total else f"{label}…", 3000)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)

    def message(self, text: str, msecs: int = 8000) -> None:
        self.bar.showMessage(text, msecs)
