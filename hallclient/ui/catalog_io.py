"""Importing and exporting catalog files from the GUI, off the GUI thread, with clear errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from hallclient.core.permissions import Actor
from hallclient.services import catalog as catalog_service
from hallclient.services.context import ServiceContext
from hallclient.ui.messages import warn
from hallclient.ui.tasks import TaskRunner

FILE_FILTER = "事项清单 (*.json)"


class CatalogFileActions(QObject):
    """Import (an administrator's act: the service refuses anyone else) and export."""

    catalog_replaced = Signal()

    def __init__(self, parent: QWidget, tasks: TaskRunner, ctx: ServiceContext,
                 actor: Callable[[], Actor]) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.tasks = tasks
        self.ctx = ctx
        self.actor = actor
        self.last_error: str | None = None
        self._progress: QProgressDialog | None = None

    def _busy(self, text: str) -> None:
        self._progress = QProgressDialog(text, "", 0, 0, self.parent_widget)
        self._progress.setCancelButton(None)
        self._progress.setWindowTitle("请稍候")
        self._progress.setMinimumDuration(300)

    def _done(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress = None

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.parent_widget, "导入事项清单", "", FILE_FILTER)
        if path:
            self.import_path(Path(path))

    def import_path(self, path: Path) -> None:
        from hallclient.core.catalog_format import load_catalog_file

        ctx, actor = self.ctx, self.actor()

        def work():  # type: ignore[no-untyped-def]
            return catalog_service.replace_catalog(ctx, actor, load_catalog_file(path))

        self._busy("正在导入事项清单…")
        self.tasks.run_op(work, self._imported, source=self)

    def _imported(self, result: object) -> None:
        self._done()
        if isinstance(result, BaseException):  # a refusal names the role: 需要系统管理员权限
            self.last_error = f"事项清单未导入，当前清单保持不变。\n\n原因：{result}"
            warn(self.parent_widget, "导入失败", self.last_error)
            return
        diff = result
        QMessageBox.information(
            self.parent_widget, "导入完成",
            f"事项清单已更新到第 {diff.version_after} 版：新增 {len(diff.added)} 项，"  # type: ignore[attr-defined]
            f"更新 {len(diff.updated)} 项，删除 {len(diff.removed)} 项。",  # type: ignore[attr-defined]
        )
        self.catalog_replaced.emit()  # the panels refresh through the change hub

    def export_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, "导出事项清单", "catalog.json", FILE_FILTER)
        if not path:
            return
        from hallclient.atomicfile import write_atomic
        from hallclient.core.catalog_format import dump_catalog
        ctx = self.ctx

        def work() -> int:
            catalog = catalog_service.export_catalog(ctx)
            write_atomic(path, dump_catalog(catalog).encode("utf-8"))
            return len(catalog.items)

        self._busy("正在导出事项清单…")
        self.tasks.run_db(work, self._exported)

    def _exported(self, result: object) -> None:
        self._done()
        if isinstance(result, BaseException):
            QMessageBox.warning(self.parent_widget, "导出失败", f"导出未完成：{result}")
        else:
            QMessageBox.information(self.parent_widget, "导出完成", f"已导出 {result} 项事项。")
