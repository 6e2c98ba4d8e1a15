"""帮助 → 诊断信息…: save the support ZIP (hallclient.diagnostics) where the person chooses."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from hallclient.ui.messages import warn
from hallclient.ui.tasks import TaskRunner


def add_diagnostics_action(menu: QMenu, parent: QWidget, tasks: TaskRunner, data_dir: Path,
                           message: Any) -> QAction:
    """Add 诊断信息… to `menu`; `message(text)` reports in the status bar."""
    action = menu.addAction("诊断信息…")
    action.setStatusTip("把日志、版本和设置（不含口令、令牌和个人信息）导出为一个 ZIP 文件，供技术支持使用")

    def export() -> None:
        suggested = Path.home() / f"hallclient-诊断信息-{datetime.now():%Y%m%d-%H%M}.zip"
        chosen, _ = QFileDialog.getSaveFileName(parent, "导出诊断信息", str(suggested), "ZIP 文件 (*.zip)")
        if not chosen:
            return
        from hallclient.diagnostics import export_diagnostics

        def done(report: Any) -> None:
            message(f"诊断信息已导出：{report.path}（{len(report.members)} 个文件）")

        def failed(error: BaseException) -> None:
            warn(parent, "导出诊断信息失败", f"无法写入 {chosen}：{error}")

        tasks.run_net(lambda: export_diagnostics(data_dir, Path(chosen)), done, failed)

    action.triggered.connect(export)
    return action
