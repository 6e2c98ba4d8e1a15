"""Rotating backups of the window's database, and restoring one without reusing case numbers.

Backups are made with SQLite's online backup API (a consistent copy while the window keeps
working), written crash-safely (a 0600 temp file in the backup directory, checked with
``PRAGMA quick_check``, fsync, rename, fsync of the directory) and rotated: the newest
`keep` files named ``hallclient-YYYYMMDD-HHMMSS.db`` are kept. A copy that fails its check is
thrown away and the older backups stay, so a database damaged while the window runs never
rotates the good backups out. Keys never travel with a backup: the database keeps only a key
id, the key lives in the keyring or the key file (hallclient.security.keys).

Restoring (`restore_backup`):

1. the backup is checked first (SQLite, ``quick_check``, a hallclient schema this program
   knows); a damaged or foreign file is refused and nothing changes;
2. the current database is kept: a healthy one is backed up (``…-before-restore.db``, outside
   the rotation), a damaged one is kept beside it as ``hallclient.db.damaged-…`` (hard link or
   copy, with its -wal) — nothing is ever deleted;
3. the backup is copied to a temp file beside the database, its case-number counters are
   raised to at least the highest number found in its own cases and counters and in the
   counters of the database it replaces (when still readable), the flag below is written, and
   the temp file replaces the database in one rename.

After a restore the window may have issued numbers (and pushed cases) the backup does not know.
The meta key ``restored_from`` then holds ``restored_from=<backup file>,at=<ISO time>``. The
sync round, seeing it (`read_restore_flag`), asks the central for the highest case number it
knows for this window in each year, calls ``raise_counters_to(session, year, seq)`` for each,
pulls back what it pushed since the backup, and only then calls `clear_restore_flag`. Counters
only ever go up: `raise_counters_to` never lowers one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import string
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from hallclient.store import integrity
from hallclient.store.integrity import DatabaseDamaged, StorageUnavailable

BACKUP_DIRNAME = "backups"
DEFAULT_KEEP = 10
RESTORE_FLAG_KEY = "restored_from"
_ROTATING = re.compile(r"^hallclient-(\d{8}-\d{6})(?:-\d+)?\.db$")
_BEFORE_RESTORE = re.compile(r"^hallclient-(\d{8}-\d{6})(?:-\d+)?-before-restore\.db$")
_MIGRATION = re.compile(r"^.+\.db\.v\d+-(\d{8}-\d{6})\.bak$")  # store.database, before a migration
KIND_LABELS = {"rotating": "定期备份", "before_restore": "恢复前备份", "migration": "升级前备份"}


def counter_name(year: int) -> str:
    """The counter behind a year's case numbers (as cases_repo.create_case names it)."""
    return f"case_number:{year}"


def backup_dir_for(data_dir: Path, configured: str = "") -> Path:
    """The `backup_dir` setting, or ``<data dir>/backups`` when it is empty."""
    return Path(configured).expanduser() if configured.strip() else Path(data_dir) / BACKUP_DIRNAME


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: datetime
    size: int
    kind: str  # rotating / before_restore / migration

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def to_json(self) -> dict[str, object]:
        return {"path": str(self.path), "name": self.path.name, "created_at": self.created_at.isoformat(),
                "size": self.size, "kind": self.kind}


def _info(path: Path, kind: str, stamp: str) -> BackupInfo | None:
    try:
        size = path.stat().st_size
        created = datetime.strptime(stamp, "%Y%m%d-%H%M%S")
    except (OSError, ValueError):
        return None
    return BackupInfo(path, created, size, kind)


def list_backups(backup_dir: Path, data_dir: Path | None = None) -> list[BackupInfo]:
    """Backups in `backup_dir` (and the migration copies in `data_dir`), newest first."""
    found: list[BackupInfo] = []
    places = [(backup_dir, ((_ROTATING, "rotating"), (_BEFORE_RESTORE, "before_restore")))]
    if data_dir is not None:
        places.append((data_dir, ((_MIGRATION, "migration"),)))
    for directory, patterns in places:
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        for name in names:
            for pattern, kind in patterns:
                match = pattern.match(name)
                if match and (info := _info(Path(directory) / name, kind, match.group(1))):
                    found.append(info)
    return sorted(found, key=lambda b: (b.created_at, b.path.name), reverse=True)


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    if os.name == "posix":
        _fsync_path(directory)


def _remove_temp(tmp: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.unlink(f"{tmp}{suffix}")


def _remove_stale_temps(backup_dir: Path) -> None:
    """Temp files of a backup cut short (power cut, kill -9) by another process."""
    mine = f".{os.getpid()}."
    with contextlib.suppress(OSError):
        for name in os.listdir(backup_dir):
            if name.startswith(".hallclient-backup.") and name.endswith(".tmp") and mine not in name:
                _remove_temp(backup_dir / name)


def _private_temp(directory: Path, stem: str) -> Path:
    for n in range(1000):
        tmp = directory / f".{stem}.{os.getpid()}.{n}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        os.chmod(tmp, 0o600)  # whatever the umask
        return tmp
    raise FileExistsError(directory / stem)


def _copy_into(source: sqlite3.Connection, tmp: Path) -> None:
    """Online backup of `source` into `tmp`, made a self-contained rollback-journal file."""
    dst = sqlite3.connect(tmp)
    try:
        source.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("database disk image is malformed")
    finally:
        dst.close()


def _storage_problem(error: BaseException, db_path: Path, target_dir: Path) -> BaseException:
    problem = integrity.translate_error(error, target_dir / "backup.db")
    if isinstance(problem, DatabaseDamaged):  # the copy is bad because the source is
        return integrity.damaged("corrupt", db_path, "数据库文件已损坏，无法备份")
    return problem or error


def _unique_target(backup_dir: Path, stamp: str, suffix: str) -> Path:
    target = backup_dir / f"hallclient-{stamp}{suffix}.db"
    n = 2
    while target.exists():
        target = backup_dir / f"hallclient-{stamp}-{n}{suffix}.db"
        n += 1
    return target


def _write_backup(source: sqlite3.Connection, db_path: Path, backup_dir: Path, suffix: str,
                  now: datetime | None) -> Path:
    try:
        backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise integrity.unwritable(backup_dir, error) from error
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    tmp: Path | None = None
    try:
        tmp = _private_temp(backup_dir, "hallclient-backup")
        _copy_into(source, tmp)
        _fsync_path(tmp)
        target = _unique_target(backup_dir, stamp, suffix)
        os.replace(tmp, target)
        tmp = None
        _fsync_dir(backup_dir)
    except (OSError, sqlite3.Error) as error:
        raise _storage_problem(error, db_path, backup_dir) from error
    finally:
        if tmp is not None:
            _remove_temp(tmp)
    return target


def rotate(backup_dir: Path, keep: int) -> list[Path]:
    """Delete the rotating backups beyond the newest `keep` (at least one is always kept)."""
    rotating = [b for b in list_backups(backup_dir) if b.kind == "rotating"]
    removed = []
    for old in rotating[max(keep, 1):]:
        with contextlib.suppress(OSError):
            old.path.unlink()
            removed.append(old.path)
    return removed


def backup_database(db_path: Path, backup_dir: Path, *, keep: int = DEFAULT_KEEP,
                    now: datetime | None = None) -> Path:
    """One rotating backup of the database at `db_path`; returns the new file.

    Raises DatabaseDamaged (the database cannot be copied whole; no backup is rotated out)
    or StorageUnavailable (the backup directory cannot be written; nothing is left behind).
    """
    if not db_path.exists():
        raise integrity.damaged("unreadable", db_path, "数据库文件不存在，无法备份")
    # An empty or foreign file would copy "successfully" and rotate the good backups out.
    integrity.check_database_file(db_path, require_schema=True)
    _remove_stale_temps(backup_dir)
    try:
        source = integrity._connect_readonly(db_path)
    except sqlite3.Error as error:
        raise integrity.damaged("unreadable", db_path, f"数据库文件无法打开（{error}）") from error
    try:
        target = _write_backup(source, db_path, backup_dir, "", now)
    finally:
        source.close()
    rotate(backup_dir, keep)
    return target


# -- counters -----------------------------------------------------------------------------------

_RAISE = "UPDATE counters SET value = :seq WHERE name = :name AND value < :seq"
_INSERT = ("INSERT INTO counters (name, value) SELECT :name, :seq "
           "WHERE NOT EXISTS (SELECT 1 FROM counters WHERE name = :name)")


def raise_counters_to(session: Session, year: int, seq: int) -> bool:
    """Make the next case number of `year` come after `seq`; never lowers a counter.

    For the sync layer after a restore, with the central's high-water mark for this window.
    Runs in the caller's transaction; True when the counter went up.
    """
    params = {"name": counter_name(year), "seq": int(seq)}
    changed = session.execute(text(_RAISE), params).rowcount
    changed += session.execute(text(_INSERT), params).rowcount
    return bool(changed)


def _number_regex(pattern: str, window: str) -> re.Pattern[str] | None:
    parts = []
    try:
        for literal, field, spec, _conv in string.Formatter().parse(pattern):
            parts.append(re.escape(literal))
            if field == "year":
                parts.append(r"(?P<year>\d{4})")
            elif field == "seq":
                parts.append(r"(?P<seq>\d+)")
            elif field == "window":
                parts.append(re.escape(format(window, spec or "")))
            elif field:
                return None
        return re.compile("".join(parts) + r"\Z")
    except (ValueError, TypeError):
        return None


def highest_sequences(conn: sqlite3.Connection, number_pattern: str) -> dict[int, int]:
    """Year → the highest sequence in this database's counters and case numbers."""
    best: dict[int, int] = {}

    def note(year: int, seq: int) -> None:
        best[year] = max(best.get(year, 0), seq)

    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "counters" in tables:
        for name, value in conn.execute("SELECT name, value FROM counters"):
            if str(name).startswith("case_number:") and str(name)[12:].isdigit():
                note(int(str(name)[12:]), int(value or 0))
    if "cases" in tables:
        regexes: dict[str, re.Pattern[str] | None] = {}
        for number, accepted_on, window in conn.execute(
                "SELECT case_number, accepted_on, window_number FROM cases"):
            regex = regexes.setdefault(window, _number_regex(number_pattern, str(window)))
            match = regex.match(str(number)) if regex else None
            if match:
                year = match.groupdict().get("year") or str(accepted_on)[:4]
                if year.isdigit():
                    note(int(year), int(match.group("seq")))
    return best


def _readable_sequences(db_path: Path, number_pattern: str) -> dict[int, int]:
    """The counters of a database that may be damaged: whatever can still be read."""
    try:
        if integrity.read_header(db_path) != integrity.SQLITE_HEADER:
            return {}
        conn = integrity._connect_readonly(db_path)
        try:
            return highest_sequences(conn, number_pattern)
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return {}


# -- the restore flag ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreFlag:
    restored_from: str
    at: str

    def value(self) -> str:
        return f"restored_from={self.restored_from},at={self.at}"

    @classmethod
    def parse(cls, value: str) -> RestoreFlag:
        head, _, at = value.rpartition(",at=")
        return cls(head.removeprefix("restored_from="), at)


def read_restore_flag(session: Session) -> RestoreFlag | None:
    value = session.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": RESTORE_FLAG_KEY}).scalar()
    return RestoreFlag.parse(value) if value else None


def clear_restore_flag(session: Session) -> None:
    """Once the central's high-water marks are applied and its records pulled back."""
    session.execute(text("DELETE FROM meta WHERE key = :k"), {"k": RESTORE_FLAG_KEY})


# -- restore ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous_kept_as: Path | None  # the before-restore backup, or the damaged file kept aside
    previous_damaged: bool
    counters: dict[int, int]  # year → the counter after the restore
    flag: RestoreFlag


def check_backup_file(source: Path) -> None:
    """Refuse a backup that is not a healthy hallclient database this program can open."""
    from hallclient.store.database import SCHEMA_VERSION

    if not source.is_file():
        raise integrity.damaged("unreadable", source, "备份文件不存在")
    try:
        integrity.check_database_file(source, require_schema=True)
    except DatabaseDamaged as problem:
        raise DatabaseDamaged(problem.kind, source, "备份" + problem.what.removeprefix("数据库"),
                              "未作任何恢复，当前数据库保持原样。请选择其他备份文件。") from problem
    conn = integrity._connect_readonly(source)
    try:
        version = int(conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
    finally:
        conn.close()
    if version > SCHEMA_VERSION:
        raise DatabaseDamaged("too_new", source, f"备份的结构版本为 {version}，本程序只支持到 {SCHEMA_VERSION}",
                              "请升级 hallclient 后再恢复。当前数据库保持原样。")


def _in_use(db_path: Path) -> StorageUnavailable:
    return StorageUnavailable("locked", db_path, "数据库正在被使用，不能恢复",
                              "请先关闭所有使用该数据目录的 hallclient 窗口和命令，再恢复。当前数据库保持原样。")


def _keep_current(db_path: Path, backup_dir: Path, stamp: str, pattern: str) -> tuple[Path, bool, dict[int, int]]:
    """Save the database about to be replaced; returns where, whether damaged, its counters."""
    try:
        integrity.check_database_file(db_path)
    except DatabaseDamaged:
        kept = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):  # kept first: even a read-only open may drop a -wal
            part = Path(f"{db_path}{suffix}")
            if part.exists():
                try:
                    os.link(part, f"{kept}{suffix}")
                except OSError:
                    shutil.copy2(part, f"{kept}{suffix}")
        sequences = _readable_sequences(db_path, pattern)
        for suffix in ("-wal", "-shm"):  # a damaged file's WAL must never meet the restored one
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{db_path}{suffix}")
        return kept, True, sequences
    conn = sqlite3.connect(db_path, timeout=0.5, isolation_level=None)
    try:
        try:  # held until close: proves no other hallclient has the database open
            conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            raise _in_use(db_path) from error
        kept = _write_backup(conn, db_path, backup_dir, "-before-restore", None)
        sequences = highest_sequences(conn, pattern)
        conn.execute("PRAGMA journal_mode=DELETE")  # folds the WAL in and removes -wal/-shm
    finally:
        conn.close()
    return kept, False, sequences


def restore_backup(db_path: Path, source: Path, backup_dir: Path, *, number_pattern: str,
                   now: datetime | None = None) -> RestoreResult:
    """Replace the database at `db_path` with the backup `source` (see the module docstring).

    No connection to `db_path` may be open. Raises DatabaseDamaged for a bad backup and
    StorageUnavailable when the database is in use or cannot be written.
    """
    source = Path(source).resolve()
    check_backup_file(source)
    integrity.check_directory_writable(db_path.parent)
    moment = now or datetime.now()
    stamp = moment.strftime("%Y%m%d-%H%M%S")
    kept: Path | None = None
    damaged = False
    floor: dict[int, int] = {}
    if db_path.exists():
        kept, damaged, floor = _keep_current(db_path, backup_dir, stamp, number_pattern)
    flag = RestoreFlag(str(source), moment.astimezone().isoformat(timespec="seconds"))
    tmp = _private_temp(db_path.parent, db_path.name + ".restore")
    try:
        src = integrity._connect_readonly(source)
        try:
            _copy_into(src, tmp)
        finally:
            src.close()
        counters = _apply_floor(tmp, floor, number_pattern, flag)
        _fsync_path(tmp)
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
    except (OSError, sqlite3.Error) as error:
        _remove_temp(tmp)
        raise integrity.translate_error(error, db_path) or error from error
    return RestoreResult(source, kept, damaged, counters, flag)


def _apply_floor(tmp: Path, floor: dict[int, int], pattern: str, flag: RestoreFlag) -> dict[int, int]:
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        wanted = highest_sequences(conn, pattern)
        for year, seq in floor.items():
            wanted[year] = max(wanted.get(year, 0), seq)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "counters" in tables:
            for year, seq in wanted.items():
                params = {"name": counter_name(year), "seq": seq}
                conn.execute(_RAISE, params)
                conn.execute(_INSERT, params)
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (RESTORE_FLAG_KEY, flag.value()))
        conn.execute("COMMIT")
        return wanted
    finally:
        conn.close()
