"""Checks before the window's database is opened, and storage errors in words a clerk can act on.

A database file that exists is never replaced or reseeded: when it is empty (0 bytes), is not
SQLite, is SQLite but not a hallclient database, fails ``PRAGMA quick_check`` or cannot be
read, opening stops with `DatabaseDamaged` and the file is left exactly as it was. (A fresh
database would restart the case counters at 000001 and issue official numbers twice.)

An unwritable data directory, a full disk, a locked or read-only database become
`StorageUnavailable`, naming the directory or file and the cause. `install_error_translation`
does the same for every statement and commit of an opened engine, so a disk that fills up
while the window runs is reported in Chinese too; SQLite's transaction has been rolled back by
then, so nothing is half-written.

No Qt here; the messages are Simplified Chinese because the clerk and the operator read them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
PROBE_BYTES = 4096

RESTORE_ADVICE = (
    "文件未作任何修改，也不会被新的空数据库替换。请从备份恢复：在窗口中选择备份，"
    "或运行 hallclient backup list 查看备份、hallclient backup restore 备份文件 恢复。"
    "没有备份时请联系管理员，切勿删除该文件。"
)


class StoreProblem(RuntimeError):
    """A storage problem told to the clerk: what is wrong, where, what to do."""

    def __init__(self, kind: str, path: Path | str, what: str, advice: str) -> None:
        self.kind = kind
        self.path = Path(path)
        self.what = what
        self.advice = advice
        super().__init__(f"{what}：{self.path}\n{advice}")


class DatabaseDamaged(StoreProblem):
    """The database file exists but cannot be used as it is (kind: empty, not_sqlite,
    foreign, corrupt, unreadable). Only a restore from a backup brings the window back."""


class StorageUnavailable(StoreProblem):
    """The data cannot be written now (kind: unwritable, disk_full, locked, readonly, io_error).
    Nothing was changed; retrying after the cause is removed is safe."""


# -- causes ------------------------------------------------------------------------------------

_ERRNO_CAUSES = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "操作不被允许（文件或目录可能被设为不可修改）",
    errno.EROFS: "所在文件系统为只读",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.ENOENT: "目录不存在",
    errno.ENOTDIR: "路径中有一部分不是目录",
    errno.EIO: "磁盘读写错误",
}


STORAGE_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EIO})


def os_cause(error: OSError) -> str:
    known = _ERRNO_CAUSES.get(error.errno or 0)
    if known:
        return known
    name = errno.errorcode.get(error.errno or 0, "未知")
    return f"系统错误 {name}"


def unwritable(directory: Path, error: OSError) -> StorageUnavailable:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(directory)
    return StorageUnavailable(
        "unwritable", directory, f"数据目录无法写入（{os_cause(error)}）",
        "请检查该目录的权限、磁盘是否以只读方式挂载，或用 --data-dir 指定其他目录。本次未写入任何内容。",
    )


def disk_full(where: Path) -> StorageUnavailable:
    return StorageUnavailable(
        "disk_full", where, "磁盘空间已满，无法保存",
        "请清理该磁盘的空间后重试。本次操作未保存任何内容，数据库保持操作前的状态。",
    )


def locked(db_path: Path) -> StorageUnavailable:
    return StorageUnavailable(
        "locked", db_path, "数据库正被其他程序锁定",
        "可能另一个 hallclient 窗口或命令正在写入或备份。请稍候或关闭其他程序后重试；本次操作未保存。",
    )


def damaged(kind: str, path: Path, what: str) -> DatabaseDamaged:
    advice = RESTORE_ADVICE
    if kind == "empty":
        advice += "（如确认这是新安装、从未受理过办件，可先将该文件移走再启动。）"
    return DatabaseDamaged(kind, path, what, advice)


def _place_cause(directory: Path) -> str:
    """Why SQLite may not open or write in `directory`, when it can be told: "（…）" or ""."""
    try:
        if os.statvfs(directory).f_flag & os.ST_RDONLY:
            return "（所在文件系统为只读）"
    except (OSError, AttributeError):  # no statvfs on Windows
        pass
    if directory.exists() and not os.access(directory, os.W_OK):
        return "（没有写入权限）"
    return ""


def translate_sqlite_error(error: BaseException, db_path: Path) -> StoreProblem | None:
    """The StoreProblem a sqlite3 error stands for, or None for an ordinary error (e.g. a bug)."""
    if isinstance(error, StoreProblem):
        return error
    if isinstance(error, OSError):
        if error.errno not in STORAGE_ERRNOS:
            return None  # e.g. a closed pipe: not the data's problem
        where = db_path.parent
        if isinstance(error.filename, str):
            named = Path(error.filename)
            where = named if named == db_path.parent or named.is_dir() else named.parent
        return unwritable(where, error)
    if not isinstance(error, sqlite3.Error):
        return None
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return locked(db_path)
    if name.startswith("SQLITE_FULL") or "database or disk is full" in text:
        return disk_full(db_path.parent)
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return StorageUnavailable(
            "readonly", db_path, f"数据库文件只能读取，无法写入{_place_cause(db_path.parent)}",
            "请检查该文件及其目录的权限、磁盘是否以只读方式挂载。本次操作未保存。",
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
        return damaged("corrupt", db_path, "数据库文件已损坏")
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM")) or "unable to open" in text:
        return StorageUnavailable(
            "unwritable", db_path.parent, f"无法打开数据目录中的数据库{_place_cause(db_path.parent)}",
            "请检查该目录是否存在、是否有读写权限。本次未写入任何内容。",
        )
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return StorageUnavailable(
            "io_error", db_path, "读写数据库时发生磁盘错误",
            "请检查磁盘是否已满、是否被拔出或损坏，然后重试。本次操作未保存。",
        )
    return None


def translate_error(error: BaseException, db_path: Path) -> StoreProblem | None:
    """Like `translate_sqlite_error`, looking through SQLAlchemy's wrapper and causes."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        found = translate_sqlite_error(current, db_path)
        if found is not None:
            return found
        orig = getattr(current, "orig", None)  # sqlalchemy.exc.DBAPIError
        current = orig if isinstance(orig, BaseException) else (current.__cause__ or current.__context__)
    return None


def install_error_translation(engine: object, db_path: Path) -> None:
    """Every statement, commit and connect of `engine` raises a StoreProblem for storage faults."""
    from sqlalchemy import event

    def handle_error(context) -> None:  # type: ignore[no-untyped-def]
        problem = translate_sqlite_error(context.original_exception, db_path)
        if problem is not None:
            raise problem from context.original_exception

    event.listen(engine, "handle_error", handle_error)


# -- checks before opening ---------------------------------------------------------------------


def check_directory_writable(directory: Path) -> None:
    """Make the directory if needed and prove a file can be written, synced and removed there."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise unwritable(directory, error) from error
    probe = directory / f".hallclient-write-probe-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, b"\0" * PROBE_BYTES)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        raise unwritable(directory, error) from error
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()


def read_header(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(len(SQLITE_HEADER))


def _connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)


def check_database_file(path: Path, *, require_schema: bool = False) -> None:
    """Raise DatabaseDamaged when an existing file cannot serve as the window's database.

    A missing file passes (a first start makes it). The file is opened read-only and never
    changed. `require_schema` (used for backups) also refuses SQLite files without tables.
    """
    if not path.exists() and not path.is_symlink():
        return
    if path.is_dir():
        raise damaged("unreadable", path, "数据库路径是一个目录，不是文件")
    try:
        size = path.stat().st_size
        header = read_header(path) if size else b""
    except OSError as error:
        raise damaged("unreadable", path, f"数据库文件无法读取（{os_cause(error)}）") from error
    if size == 0:
        raise damaged("empty", path, "数据库文件是空的（0 字节）")
    if header != SQLITE_HEADER:
        raise damaged("not_sqlite", path, "数据库文件不是 SQLite 数据库（文件头不符）")
    try:
        conn = _connect_readonly(path)
    except sqlite3.Error as error:
        raise damaged("unreadable", path, f"数据库文件无法打开（{error}）") from error
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = None
        if "meta" in tables:
            version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.Error as error:
        problem = translate_sqlite_error(error, path)
        if isinstance(problem, StorageUnavailable):  # locked, read-only place…: not damage
            raise problem from error
        raise damaged("corrupt", path, "数据库文件已损坏，无法读取") from error
    finally:
        conn.close()
    if rows != ["ok"]:
        raise damaged("corrupt", path, f"数据库文件已损坏（完整性检查未通过：{'；'.join(map(str, rows[:3]))}）")
    if tables and not version:
        # Tables but no schema version: not ours, or its meta was lost. Migrating would
        # "create" a hallclient database inside it with counters from 1: refuse.
        raise damaged("foreign", path, "该文件不是 hallclient 的数据库（缺少结构版本信息）")
    if require_schema and not tables:
        raise damaged("foreign", path, "该文件是空的 SQLite 数据库，不含任何数据")


def check_file_writable(path: Path) -> None:
    if not path.exists():
        return
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError as error:
        raise StorageUnavailable(
            "readonly", path, f"数据库文件无法写入（{os_cause(error)}）",
            "请检查该文件的权限或属性（例如 chattr +i）。文件未作任何修改。",
        ) from error
    os.close(fd)


def check_before_open(path: Path) -> None:
    """Everything `Store.open_file` needs to know before SQLite may touch the file."""
    check_directory_writable(path.parent)
    check_database_file(path)
    check_file_writable(path)
