"""Backups while the window is open: one at start, then every `backup_interval_hours`.

The copy runs on its own thread (SQLite's online backup reads a snapshot; the window keeps
writing meanwhile) and the result comes back to the GUI thread through a queued signal.
A failed backup is logged, shown in the status bar, and the first failure also in a dialog.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)
MAX_TIMER_MS = 2**31 - 1


class BackupTimer(QObject):
    finished = Signal(object)  # the new backup's Path, or the exception

    def __init__(self, db_path: Path, backup_dir: Path, keep: int, interval_hours: float,
                 notify: Callable[[str], None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.backup_dir = backup_dir
        self.keep = keep
        self.notify = notify or (lambda _text: None)
        self.window = parent
        self.running = False
        self.warned = False
        self.last_result: object = None
        self.timer = QTimer(self)
        self.timer.setInterval(min(int(interval_hours * 3600 * 1000), MAX_TIMER_MS))
        self.timer.timeout.connect(self.run_now)
        self.interval_hours = interval_hours
        self.finished.connect(self._done)
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.run_now()
        if self.interval_hours > 0:
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.thread is not None:
            self.thread.join(60)  # a backup in progress completes (or leaves only its temp file)

    @Slot()
    def run_now(self) -> None:
        if self.running:
            return
        self.running = True
        self.thread = threading.Thread(target=self._work, name="backup", daemon=False)
        self.thread.start()

    def _work(self) -> None:
        from hallclient.services.maintenance import backup_database

        try:
            result: object = backup_database(self.db_path, self.backup_dir, keep=self.keep)
        except Exception as error:
            result = error
        self.finished.emit(result)

    @Slot(object)
    def _done(self, result: object) -> None:
        self.running = False
        self.last_result = result
        if isinstance(result, Path):
            log.info("database backed up to %s", result)
            self.notify(f"数据库已备份：{result.name}")
            return
        log.warning("database backup failed: %s", result)
        message = f"数据库备份失败：{result}"
        self.notify(message.splitlines()[0])
        if not self.warned and self.window is not None:
            self.warned = True  # one dialog per session; later failures go to the status bar
            box = QMessageBox(QMessageBox.Icon.Warning, "备份失败", message, parent=self.window)
            box.addButton("知道了", QMessageBox.ButtonRole.AcceptRole)
            self.box = box
            box.show()
