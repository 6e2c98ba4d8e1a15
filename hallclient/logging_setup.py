"""The log file: rotating, in the data directory, with personal data and tokens masked.

`setup_logging(data_dir)` is called once at the start of the GUI and of every command. Every
record that reaches the file goes through `PersonalDataFilter` first: 18-digit ID numbers,
USCCs, mobile numbers, window tokens (``hc_…``) and ``Bearer …`` credentials are masked in the
message, its arguments and any traceback. A log that cannot be written (read-only directory,
full disk) never stops the program and never prints a traceback: the record is dropped.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_DIRNAME = "logs"
LOG_FILENAME = "hallclient.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

_EDGE_L = r"(?<![0-9A-Za-z])"
_EDGE_R = r"(?![0-9A-Za-z])"
_USCC_CHARS = "0-9A-HJ-NPQRTUWXY"
# Order matters: tokens first (they may contain digits), then the 18-character identifiers.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\bBearer\s+[A-Za-z0-9._~+/=\-]+"), "Bearer ***"),
    (re.compile(r"\bhc_[A-Za-z0-9_\-]+"), "hc_***"),
    # Resident ID number (GB 11643): 17 digits and a digit or X.
    (re.compile(_EDGE_L + r"(\d{6})\d{8}(\d{3}[\dXx])" + _EDGE_R), r"\1********\2"),
    # USCC (GB 32100), but not a catalog item code made of a department's USCC and "-001".
    (re.compile(_EDGE_L + rf"([{_USCC_CHARS}]{{2}})[{_USCC_CHARS}]{{12}}([{_USCC_CHARS}]{{4}})"
                + r"(?![0-9A-Za-z]|-\d)"), r"\1************\2"),
    # Mainland mobile numbers, also written +86 138-1234-5678.
    (re.compile(_EDGE_L + r"((?:\+?86[- ]?)?1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})" + _EDGE_R), r"\1****\2"),
)


def mask(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class PersonalDataFilter(logging.Filter):
    """Masks personal data and tokens in the whole record (message, arguments, traceback)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is, masked
            message = f"{record.msg} {record.args}"
        record.msg = mask(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


class _QuietRotatingHandler(RotatingFileHandler):
    """Rotating, 0600, and silent when the disk is full or the file cannot be written."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().flush()

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().close()

    def handleError(self, record: logging.LogRecord) -> None:
        # The default prints a traceback to stderr; a log that cannot be written is dropped.
        pass


def log_path_for(data_dir: Path) -> Path:
    return Path(data_dir) / LOG_DIRNAME / LOG_FILENAME


def current_log_path() -> Path | None:
    """The file the installed handler writes to, if any."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _QuietRotatingHandler):
            return Path(handler.baseFilename)
    return None


def setup_logging(data_dir: Path, *, level: int = logging.INFO) -> Path | None:
    """Log to ``<data dir>/logs/hallclient.log`` (1 MB × 5); the path, or None if impossible.

    Called again (the tests run many commands in one process), it replaces its own handler.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _QuietRotatingHandler):
            root.removeHandler(handler)
            handler.close()
    path = log_path_for(data_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = _QuietRotatingHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                        encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(PersonalDataFilter())
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    logging.captureWarnings(True)
    return path


def describe_failure(error: BaseException, db_path: Path, log_path: Path | None) -> str:
    """What a command prints for an error it did not expect: a storage problem's own message,
    or one Chinese line naming the log. The traceback goes to the log only."""
    from hallclient.store.integrity import translate_error

    problem = translate_error(error, db_path)
    if problem is not None:
        logging.getLogger("hallclient").warning("command stopped: %s", problem)
        return str(problem)
    logging.getLogger("hallclient").error("command failed", exc_info=error)
    where = f"详细情况已记入日志：{log_path}" if log_path else "日志无法写入"
    return f"出错了：意外的错误（{type(error).__name__}），操作可能没有完成。{where}"
