"""The GUI's error hook and the dialogs of the window's database: restore offer, backups while open."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from hallclient.logging_setup import setup_logging
from hallclient.store import backup
from hallclient.store.database import Store
from hallclient.store.integrity import DatabaseDamaged, disk_full
from hallclient.ui import error_hook
from hallclient.ui.backup_timer import BackupTimer
from hallclient.ui.restore_dialog import RestoreDialog, open_workspace_or_restore
from tests.store.test_backup import add_cases
from tests.store.test_integrity import read_only_bind

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture(autouse=True)
def ui_font(qapp) -> None:  # type: ignore[no-untyped-def]
    from hallclient.ui.fonts import apply_ui_font

    apply_ui_font(qapp)  # as the app does: the screenshots show real Chinese glyphs


@pytest.fixture
def hook(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[error_hook.ErrorReporter]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(error_hook, "_installed", None)
    log_path = setup_logging(tmp_path / "data")
    reporter = error_hook.install_error_hook(log_path, tmp_path / "data" / "hallclient.db")
    yield reporter
    qInstallMessageHandler(None)
    if reporter.box is not None:
        with contextlib.suppress(RuntimeError):  # already deleted with its parent
            reporter.box.close()


def shown(reporter: error_hook.ErrorReporter) -> str:
    assert reporter.box is not None and reporter.box.isVisible()
    assert reporter.box.windowTitle() == "出错了"
    return reporter.box.text()


def log_text(reporter: error_hook.ErrorReporter) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert reporter.log_path is not None
    return reporter.log_path.read_text(encoding="utf-8")


def test_an_exception_in_a_slot_shows_a_short_chinese_dialog_and_logs_the_traceback(
        qtbot: QtBot, hook: error_hook.ErrorReporter) -> None:
    def clicked() -> None:
        with error_hook.doing("打印受理通知书"):
            raise KeyError("申请人 11010519491231002X")

    QTimer.singleShot(0, clicked)
    qtbot.waitUntil(lambda: hook.box is not None and hook.box.isVisible(), timeout=5000)
    text = shown(hook)
    assert "在「打印受理通知书」时出错了" in text and str(hook.log_path) in text
    assert "Traceback" not in text and "KeyError" not in text
    written = log_text(hook)
    assert "Traceback" in written and "in clicked" in written and "while 打印受理通知书" in written
    assert "11010519491231002X" not in written
    SHOTS.mkdir(parents=True, exist_ok=True)
    hook.box.grab().save(str(SHOTS / "error_hook.png"))


def test_repeats_are_only_logged_and_a_storage_problem_says_what_to_do(
        qtbot: QtBot, hook: error_hook.ErrorReporter, tmp_path: Path) -> None:
    for _ in range(3):  # e.g. an error in a paint handler, raised again and again
        sys.excepthook(ValueError, ValueError("same"), None)
    qtbot.waitUntil(lambda: hook.box is not None and hook.box.isVisible(), timeout=5000)
    first = hook.box
    hook.box.close()
    sys.excepthook(ValueError, ValueError("same"), None)
    qtbot.wait(50)
    assert hook.box is first and not first.isVisible()
    assert log_text(hook).count("ValueError: same") == 4
    sys.excepthook(type(problem := disk_full(tmp_path)), problem, None)
    qtbot.waitUntil(lambda: hook.box is not first and hook.box is not None and hook.box.isVisible(), timeout=5000)
    assert "磁盘空间已满" in shown(hook) and str(tmp_path) in shown(hook)


def test_an_exception_in_a_thread_reaches_the_dialog(qtbot: QtBot, hook: error_hook.ErrorReporter) -> None:
    worker = threading.Thread(target=lambda: 1 / 0)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: hook.box is not None and hook.box.isVisible(), timeout=5000)
    assert "程序遇到了意外的错误" in shown(hook)
    assert "ZeroDivisionError" in log_text(hook)


# -- the damaged database in the GUI ------------------------------------------------------------


def damaged_workspace_with_backup(data_dir: Path) -> Path:
    db = data_dir / "hallclient.db"
    store = Store.open_file(db)
    add_cases(store, 2)
    store.close()
    taken = backup.backup_database(db, backup.backup_dir_for(data_dir), keep=10)
    db.write_bytes(b"")
    return taken


def test_a_damaged_database_offers_its_backups_and_opens_after_the_restore(qtbot: QtBot, data_dir: Path) -> None:
    taken = damaged_workspace_with_backup(data_dir)
    told: list[tuple[str, str]] = []
    offered: list[tuple[DatabaseDamaged, list[backup.BackupInfo]]] = []

    def ask(problem: DatabaseDamaged, backups: list[backup.BackupInfo], _dir: Path) -> backup.BackupInfo:
        offered.append((problem, backups))
        return backups[0]

    workspace = open_workspace_or_restore(data_dir, ask=ask, tell=lambda t, m: told.append((t, m)))
    assert workspace is not None
    try:
        with workspace.store.session() as session:
            assert backup.read_restore_flag(session).restored_from == str(taken.resolve())  # type: ignore[union-attr]
    finally:
        workspace.close()
    problem, backups = offered[0]
    assert problem.kind == "empty" and [b.path for b in backups] == [taken]
    assert told[0][0] == "已从备份恢复" and "hallclient.db.damaged-" in told[0][1]


def test_declining_the_restore_leaves_the_file_and_opens_nothing(qtbot: QtBot, data_dir: Path) -> None:
    damaged_workspace_with_backup(data_dir)
    assert open_workspace_or_restore(data_dir, ask=lambda *_a: None, tell=lambda *_a: None) is None
    assert (data_dir / "hallclient.db").read_bytes() == b""


def test_an_unwritable_data_directory_is_a_dialog_naming_it(qtbot: QtBot, data_dir: Path) -> None:
    Store.open_file(data_dir / "hallclient.db").close()
    told: list[tuple[str, str]] = []
    with read_only_bind(data_dir):
        assert open_workspace_or_restore(data_dir, tell=lambda t, m: told.append((t, m))) is None
    assert told[0][0] == "无法打开数据库" and str(data_dir) in told[0][1] and "只读" in told[0][1]


def test_the_restore_dialog_lists_backups_newest_first(qtbot: QtBot, data_dir: Path) -> None:
    taken = damaged_workspace_with_backup(data_dir)
    older = taken.with_name("hallclient-20200101-080000.db")
    older.write_bytes(taken.read_bytes())
    bdir = backup.backup_dir_for(data_dir)
    problem = DatabaseDamaged("empty", data_dir / "hallclient.db", "数据库文件是空的（0 字节）", "")
    dialog = RestoreDialog(problem, backup.list_backups(bdir, data_dir), bdir)
    qtbot.addWidget(dialog)
    dialog.resize(640, 400)
    dialog.show()
    assert dialog.list.count() == 2 and dialog.selected().path == taken  # type: ignore[union-attr]
    assert "定期备份" in dialog.list.item(0).text() and dialog.restore_button.isEnabled()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "restore_dialog.png"))
    empty = RestoreDialog(problem, [], bdir)
    qtbot.addWidget(empty)
    empty.show()
    assert not empty.restore_button.isEnabled() and empty.quit_button.text() == "退出"
    empty.grab().save(str(SHOTS / "restore_dialog_no_backups.png"))


# -- backups while the window is open -------------------------------------------------------------


def test_backups_at_start_and_a_failure_is_told_once(qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "data" / "hallclient.db"
    Store.open_file(db).close()
    notes: list[str] = []
    bdir = tmp_path / "b"
    timer = BackupTimer(db, bdir, 2, 4, notes.append)
    timer.start()
    qtbot.waitUntil(lambda: timer.last_result is not None, timeout=10000)
    assert isinstance(timer.last_result, Path) and timer.last_result.parent == bdir
    assert timer.timer.isActive() and timer.timer.interval() == 4 * 3600 * 1000
    assert notes == [f"数据库已备份：{timer.last_result.name}"]
    timer.stop()

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    db.write_bytes(b"garbage" * 1000)
    parent = QMessageBox()  # any widget: the dialog's parent
    qtbot.addWidget(parent)
    failing = BackupTimer(db, bdir, 2, 0, notes.append, parent)
    failing.start()
    qtbot.waitUntil(lambda: failing.last_result is not None, timeout=10000)
    assert isinstance(failing.last_result, DatabaseDamaged) and not failing.timer.isActive()
    assert notes[-1].startswith("数据库备份失败：") and failing.box.isVisible()
    assert [p.name for p in bdir.iterdir()] == [timer.last_result.name]
    failing.box.grab().save(str(SHOTS / "backup_failed.png"))
    failing.box.close()
    failing.last_result = None
    failing.run_now()
    qtbot.waitUntil(lambda: failing.last_result is not None, timeout=10000)
    assert not failing.box.isVisible()  # the second failure only in the status bar
