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

# json's own messages, said in words a catalog maintainer can act on.
JSON_PROBLEMS = (
    ("Expecting property name enclosed in double quotes", "应为用双引号括起的字段名（常见原因：最后一项后面多了逗号）"),
    ("Expecting value", "此处缺少值（常见原因：多了逗号，或文件不完整）"),
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Expecting ':' delimiter", "字段名后缺少冒号"),
    ("Unterminated string", "引号没有闭合"),
    ("Extra data", "文件结尾后还有多余的内容"),
    ("Invalid control character", "文本中有不允许的控制字符（如未转义的换行）"),
    ("Invalid \\escape", "文本中有无效的反斜杠转义"),
)
FIELD_PROBLEMS = (
    (r"must be a string, got (\w+)", "必须是文本"),
    (r"must not be empty", "不能为空"),
    (r"is required", "缺少此字段（必填）"),
    (r"must be at most (\d+) characters", "最多 {0} 个字符"),
    (r"must be an integer, got (.+)", "必须是整数，实际为 {0}"),
    (r"must be ≥ (\S+), got (.+)", "不能小于 {0}，实际为 {1}"),
    (r"must be true or false, got (.+)", "必须是 true 或 false，实际为 {0}"),
    (r"must be one of (.+), got (.+)", "必须是 {0} 之一，实际为 {1}"),
    (r"must be a list of item codes", "必须是事项编码的列表"),
    (r"must be a list", "必须是列表"),
    (r"must be (.+)", "必须是 {0}"),
    (r"only a tolerable material has a supplement period", "只有可容缺的材料才有补正期限"),
    (r"a bundle names at least two items", "一件事至少包含两个事项"),
    (r"names an item twice", "同一事项列了两次"),
    (r"version (\S+) is not supported \(this client reads (\S+)\)", "格式版本 {0} 不受支持（本客户端读取版本 {1}），请升级客户端"),
    (r"appears twice in the catalog", "在清单中重复出现"),
    (r"item (\S+) is not in the catalog", "事项 {0} 不在清单中"),
    (r"an item cannot produce its own material", "事项不能产生自己的材料"),
)
TYPE_NAMES = {"list": "列表", "str": "文本", "int": "整数", "float": "数字", "bool": "true/false",
              "NoneType": "null", "dict": "对象"}


def _where(text: str) -> str:
    """`item 11…: material 'form'` → 事项 11… 的材料 form."""
    import re

    parts = []
    for piece in text.split(": "):
        piece = piece.strip()
        if piece == "catalog":
            parts.append("清单")
        elif m := re.fullmatch(r"(item|bundle|material) #(\d+)", piece):
            parts.append(f"第 {m.group(2)} 个{ {'item': '事项', 'bundle': '一件事', 'material': '材料'}[m.group(1)] }")
        elif m := re.fullmatch(r"(item|bundle|material) '?([^']+)'?", piece):
            parts.append(f"{ {'item': '事项', 'bundle': '一件事', 'material': '材料'}[m.group(1)] } {m.group(2)}")
        else:
            parts.append(piece)
    return "的".join(parts)


def catalog_error_text(error: BaseException) -> str:
    """A catalog file's problem in Chinese: where it is and what is wrong (never json's English)."""
    import re

    text = str(error)
    if m := re.fullmatch(r"cannot read (.+): (.+)", text, re.S):
        why = {"No such file or directory": "文件不存在", "Permission denied": "没有读取权限",
               "Is a directory": "这是一个文件夹"}.get(m.group(2), m.group(2))
        return f"无法读取文件“{m.group(1)}”：{why}。"
    if m := re.fullmatch(r"(.+): not UTF-8 text \(.* at byte (\d+)\)", text, re.S):
        return (f"文件不是 UTF-8 编码的文本（第 {int(m.group(2)) + 1} 个字节无法识别）。"
                "请用文本编辑器以“UTF-8”编码重新保存后再导入。")
    if m := re.fullmatch(r"(.+): not valid JSON: (.+) \(line (\d+), column (\d+)\)", text, re.S):
        problem = next((zh for en, zh in JSON_PROBLEMS if m.group(2).startswith(en)), "格式不正确")
        return f"文件不是有效的 JSON：第 {m.group(3)} 行第 {m.group(4)} 列附近{problem}。"
    if m := re.fullmatch(r"(.+): expected an object, got (\w+)", text, re.S):
        got = TYPE_NAMES.get(m.group(2), m.group(2))
        return f"{_where(m.group(1))}：应为对象（{{…}}），实际是{got}。"
    if m := re.fullmatch(r"(.+): field '([^']+)': (.+)", text, re.S):
        for pattern, zh in FIELD_PROBLEMS:
            if found := re.fullmatch(pattern, m.group(3)):
                groups = [TYPE_NAMES.get(g, g) for g in found.groups()]
                return f"{_where(m.group(1))}的字段 {m.group(2)}：{zh.format(*groups)}。"
        return f"{_where(m.group(1))}的字段 {m.group(2)} 有误（{m.group(3)}）。"
    if m := re.fullmatch(r"(.+): core material cannot be tolerable", text, re.S):
        return f"{_where(m.group(1))}：核心材料不能设为可容缺。"
    if m := re.fullmatch(r"(.+): material '([^']+)': key appears twice", text, re.S):
        return f"{_where(m.group(1))}：材料编号 {m.group(2)} 重复。"
    return text


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
        from hallclient.core.catalog_format import read_catalog_file

        ctx, actor = self.ctx, self.actor()

        def work():  # type: ignore[no-untyped-def]
            return catalog_service.replace_catalog(ctx, actor, read_catalog_file(path))

        self._busy("正在导入事项清单…")
        self.tasks.run_op(work, self._imported, source=self)

    def _imported(self, result: object) -> None:
        self._done()
        if isinstance(result, BaseException):  # a refusal names the role: 需要系统管理员权限
            from hallclient.core.catalog_format import CatalogFormatError

            reason = catalog_error_text(result) if isinstance(result, CatalogFormatError) else str(result)
            self.last_error = f"事项清单未导入，当前清单保持不变。\n\n原因：{reason}"
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
