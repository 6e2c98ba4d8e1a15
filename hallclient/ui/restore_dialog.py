"""Opening the workspace in the GUI: a damaged database offers its backups, never a fresh start.

`open_workspace_or_restore` opens the workspace; when the database is damaged it shows
`RestoreDialog` (what is wrong, the file, the backups newest first), restores the chosen
backup after a confirmation, and tries again. Any other storage problem is a dialog naming
the directory and the cause. The dialogs are injectable so the flow is tested headless.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from hallclient.services.maintenance import (
    BackupInfo,
    DatabaseDamaged,
    StoreProblem,
    backup_dir_for,
    list_backups,
    restore_backup,
    translate_error,
)

Ask = Callable[[DatabaseDamaged, list[BackupInfo], Path], BackupInfo | None]
Tell = Callable[[str, str], None]


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


class RestoreDialog(QDialog):
    """The database cannot be used: why, where, and the backups to restore from."""

    def __init__(self, problem: DatabaseDamaged, backups: list[BackupInfo], backup_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("数据库无法使用")
        self.backups = backups
        layout = QVBoxLayout(self)
        what = QLabel(f"<b>{problem.what}</b>")
        what.setWordWrap(True)
        layout.addWidget(what)
        where = QLabel(f"文件：{problem.path}")
        where.setWordWrap(True)
        layout.addWidget(where)
        note = QLabel("该文件未作任何修改，程序不会用空数据库替换它（否则未上传的办件会丢失、受理编号会重复）。")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget()
        if backups:
            layout.addWidget(QLabel("请选择要恢复的备份（建议选最新的一份）："))
            for info in backups:
                item = QListWidgetItem(f"{info.created_at:%Y-%m-%d %H:%M:%S}　{info.label}　{_size(info.size)}　{info.path.name}")
                item.setToolTip(str(info.path))
                self.list.addItem(item)
            self.list.setCurrentRow(0)
            self.list.itemDoubleClicked.connect(lambda _item: self.accept())
            layout.addWidget(self.list)
            after = QLabel("恢复后，备份之后受理的办件将在与中心服务同步时找回，受理编号不会重复使用。")
            after.setWordWrap(True)
            layout.addWidget(after)
        else:
            none = QLabel(f"没有找到备份（备份目录：{backup_dir}）。请联系管理员，切勿删除该数据库文件。")
            none.setWordWrap(True)
            layout.addWidget(none)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("恢复所选备份", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(backups))
        self.restore_button.setDefault(bool(backups))
        self.quit_button = buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 400 if backups else 220)

    def selected(self) -> BackupInfo | None:
        row = self.list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None


def confirm_restore(info: BackupInfo, parent: QWidget | None = None) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, "确认恢复",
                      f"从 {info.created_at:%Y-%m-%d %H:%M:%S} 的备份恢复数据库？\n\n"
                      f"当前的数据库文件会保留在原目录（文件名加上 .damaged 和时间），不会删除。",
                      parent=parent)
    yes = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes


def ask_with_dialog(problem: DatabaseDamaged, backups: list[BackupInfo], backup_dir: Path) -> BackupInfo | None:
    while True:
        dialog = RestoreDialog(problem, backups, backup_dir)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        chosen = dialog.selected()
        if chosen is not None and confirm_restore(chosen):
            return chosen


def tell_with_dialog(title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical if "失败" in title or "无法" in title else QMessageBox.Icon.Information,
                      title, text)
    box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def open_workspace_or_restore(data_dir: Path, *, ask: Ask = ask_with_dialog,
                              tell: Tell = tell_with_dialog):  # type: ignore[no-untyped-def]
    """The opened Workspace, or None when it cannot be opened (the clerk has been told why)."""
    from hallclient.services.maintenance import DB_FILENAME
    from hallclient.settings import Settings
    from hallclient.workspace import Workspace

    db_path = data_dir / DB_FILENAME
    while True:
        try:
            return Workspace(data_dir)
        except DatabaseDamaged as problem:
            settings = Settings.load(data_dir)
            backup_dir = backup_dir_for(data_dir, settings.backup_dir)
            chosen = ask(problem, list_backups(backup_dir, data_dir), backup_dir)
            if chosen is None:
                return None
            try:
                result = restore_backup(db_path, chosen.path, backup_dir,
                                        number_pattern=settings.case_number_pattern)
            except StoreProblem as error:
                tell("恢复失败", str(error))
                continue
            kept = f"\n原数据库已保留为：{result.previous_kept_as}" if result.previous_kept_as else ""
            tell("已从备份恢复", f"已从备份 {chosen.path.name} 恢复数据库。{kept}\n"
                               f"备份之后受理的办件将在与中心服务同步时找回。")
        except Exception as error:
            problem = error if isinstance(error, StoreProblem) else translate_error(error, db_path)
            if problem is None and not isinstance(error, _refusals()):
                raise  # a bug: the error hook shows 出错了 and logs the traceback
            tell("无法打开数据库", str(problem or error))
            return None


def _refusals() -> tuple[type[BaseException], ...]:
    """Errors whose message is already the Chinese explanation (schema too new, wrong key…)."""
    from hallclient.security import keys
    from hallclient.services.maintenance import database

    names = ("SchemaTooNewError", "KeyMismatch")
    return tuple(getattr(database, n) for n in names if hasattr(database, n)) + (keys.KeyUnavailable,)
