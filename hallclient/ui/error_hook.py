"""The GUI's last line: an unexpected error becomes a short dialog and a logged traceback.

`install_error_hook(log_path)` replaces ``sys.excepthook`` (which PySide6 calls for an
exception escaping a slot or an event handler) and ``threading.excepthook``, and routes Qt's
own warnings to the log. The clerk sees "出错了", what was being done when it is known
(`doing("保存办件")` around the work), and where the log is; the window keeps running.
A storage problem (full disk, locked database…) shows its own Chinese message instead.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QtMsgType, Signal, Slot, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("hallclient.errors")
REPEAT_QUIET_SECONDS = 10  # the same error again within this time is only logged
_activity = threading.local()


@contextlib.contextmanager
def doing(what: str) -> Iterator[None]:
    """Name the work in progress, for the dialog of an error raised inside it."""
    previous = getattr(_activity, "what", None)
    _activity.what = what
    try:
        yield
    except BaseException as error:
        # The hook runs after this block has been left: the error carries its activity along.
        if not hasattr(error, "hallclient_activity"):
            with contextlib.suppress(AttributeError, TypeError):
                error.hallclient_activity = what  # type: ignore[attr-defined]
        raise
    finally:
        _activity.what = previous


def current_activity() -> str | None:
    return getattr(_activity, "what", None)


def error_text(error: BaseException, activity: str | None, log_path: Path | None) -> str:
    """The dialog's text: short, Chinese, no traceback."""
    from hallclient.services.maintenance import StoreProblem, translate_error

    problem = error if isinstance(error, StoreProblem) else None
    if problem is None:
        # A raw sqlite3/OS error names no file; the workspace's data dir is the best guess.
        problem = translate_error(error, _db_path_guess()) if _looks_like_storage(error) else None
    lines = [f"在「{activity}」时出错了。" if activity else "程序遇到了意外的错误。"]
    if problem is not None:
        lines.append(str(problem))
    else:
        lines.append("刚才的操作可能没有完成，请检查后重试；窗口可以继续使用。")
    if log_path is not None:
        lines.append(f"详细情况已记入日志：{log_path}")
    lines.append("如果问题反复出现，请把日志文件交给管理员。")
    return "\n".join(lines)


def _looks_like_storage(error: BaseException) -> bool:
    import sqlite3

    return isinstance(error, (OSError, sqlite3.Error)) or type(error).__module__.startswith("sqlalchemy")


_db_path = None


def _db_path_guess() -> Path:
    return _db_path or Path("hallclient.db")


class ErrorReporter(QObject):
    """Lives on the GUI thread; `report` may be emitted from any thread."""

    report = Signal(str, str)  # summary for repeats, dialog text

    def __init__(self, log_path: Path | None) -> None:
        super().__init__()
        self.log_path = log_path
        self.box: QMessageBox | None = None
        self._last: tuple[str, float] | None = None
        self.report.connect(self._show)

    def handle(self, kind: type[BaseException], error: BaseException | None, tb: TracebackType | None) -> None:
        error = error if error is not None else RuntimeError(kind.__name__)
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        activity = getattr(error, "hallclient_activity", None) or current_activity()
        log.error("unexpected error%s:\n%s", f" while {activity}" if activity else "",
                  "".join(traceback.format_exception(kind, error, tb)))
        try:
            text = error_text(error, activity, self.log_path)
        except Exception:  # the hook itself must never fail
            text = "程序遇到了意外的错误。"
        self.report.emit(f"{kind.__name__}: {error}", text)

    @Slot(str, str)
    def _show(self, summary: str, text: str) -> None:
        now = time.monotonic()
        repeat = self._last is not None and self._last[0] == summary and now - self._last[1] < REPEAT_QUIET_SECONDS
        self._last = (summary, now)
        if repeat or (self.box is not None and self.box.isVisible()):
            return  # one dialog at a time; an error repeated in a paint loop is only logged
        parent = QApplication.activeWindow()
        box = QMessageBox(QMessageBox.Icon.Critical, "出错了", text, QMessageBox.StandardButton.Ok, parent)
        box.button(QMessageBox.StandardButton.Ok).setText("知道了")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the log path can be copied
        self.box = box
        box.show()


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


_installed: ErrorReporter | None = None


def install_error_hook(log_path: Path | None, db_path: Path | None = None) -> ErrorReporter:
    """Install the hooks (once; a second call updates the log path). Needs a QApplication."""
    global _installed, _db_path
    _db_path = db_path
    if _installed is not None:
        _installed.log_path = log_path
        return _installed
    reporter = ErrorReporter(log_path)
    sys.excepthook = reporter.handle
    threading.excepthook = lambda args: reporter.handle(args.exc_type, args.exc_value, args.exc_traceback)
    qInstallMessageHandler(_qt_message)
    _installed = reporter
    return reporter
