"""Opening the local store: engine, pragmas, schema version and step-by-step migrations.

SQLite in WAL mode by default; a database written by a newer hallclient is refused rather than
damaged, and an existing database is copied aside before a migration touches it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from hallclient.security.keys import Keys
from hallclient.security.pii import PiiCipher
from hallclient.store import integrity, models
from hallclient.store.migrations import MIGRATIONS

DB_FILENAME = "hallclient.db"
T = TypeVar("T")


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer hallclient."""

    def __init__(self, found: int, supported: int) -> None:
        super().__init__(
            f"数据库结构版本为 {found}，本程序只支持到版本 {supported}。"
            f"请升级 hallclient 后再打开（数据未作任何修改）。"
        )
        self.found = found
        self.supported = supported


# The steps live in migrations.py, each with its DDL written out (never from today's models).
SCHEMA_VERSION = len(MIGRATIONS)


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a confirmed case survives a power cut too, not only a crash (one fsync per commit).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Deleted and overwritten rows are zeroed, so an old plain value never lingers in a free page.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    # The GUI hands database work to one worker thread that Qt may recycle: allow a
    # connection to move between threads (never used by two at once).
    connect_args = {"check_same_thread": False} if url.startswith("sqlite") else {}
    engine = create_engine(url, connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def read_schema_version(conn: Connection, version_key: str = "schema_version") -> int:
    if not conn.dialect.has_table(conn, "meta"):
        return 0
    value = conn.execute(select(models.Meta.value).where(models.Meta.key == version_key)).scalar()
    return int(value) if value else 0


def _backup_sqlite(path: Path, version: int) -> Path:
    """The copy taken before a migration: written to a temporary name, synced, then renamed, so
    a full disk never leaves a half-written copy that looks like a backup."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    partial = target.with_name(target.name + ".partial")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(partial)
        os.chmod(partial, 0o600)
        try:
            src.backup(dst)
        finally:
            dst.close()
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return target


def migrate(
    engine: Engine,
    sqlite_path: Path | None = None,
    *,
    migrations: list[Callable[[Connection], None]] | None = None,
    version_key: str = "schema_version",
) -> list[int]:
    """Bring the schema to the last step of `migrations` (the client's by default).

    The central service passes its own list and version key (hallclient.central.database).
    Returns the steps applied.
    """
    steps = MIGRATIONS if migrations is None else migrations
    target = len(steps)
    with engine.connect() as conn:
        found = read_schema_version(conn, version_key)
    if found > target:
        raise SchemaTooNewError(found, target)
    if found == target:
        return []
    if found > 0 and sqlite_path is not None and sqlite_path.exists():
        _backup_sqlite(sqlite_path, found)
    applied: list[int] = []
    with engine.begin() as conn:  # every step in one transaction: all or nothing
        for version in range(found + 1, target + 1):
            steps[version - 1](conn)
            applied.append(version)
        set_meta(conn, version_key, str(target))
    return applied


def set_meta(conn: Connection | Session, key: str, value: str | None) -> None:
    if isinstance(conn, Session):
        conn = conn.connection()
    table = models.Meta.__table__
    updated = conn.execute(table.update().where(table.c.key == key).values(value=value)).rowcount
    if not updated:
        conn.execute(table.insert().values(key=key, value=value))


def get_meta(session: Session, key: str) -> str | None:
    return session.execute(select(models.Meta.value).where(models.Meta.key == key)).scalar()


class KeyMismatch(RuntimeError):
    """The key found for this database is not the one its personal data was encrypted with."""


def _window_keys(engine: Engine) -> Keys:
    """The keys of this database, found by the random key id kept in its meta table.

    The id travels with the file (a copy or a restored backup opens with the same key); the key
    itself never does. A database that already holds encrypted data and whose key cannot be found
    or does not fit is refused untouched.
    """
    with engine.begin() as conn:
        rows = dict(conn.execute(select(models.Meta.key, models.Meta.value)
                                 .where(models.Meta.key.in_(("key_id", "key_check")))).all())
        key_id = rows.get("key_id")
        if key_id is None:
            key_id = str(uuid.uuid4())
            set_meta(conn, "key_id", key_id)
        check = rows.get("key_check")
        keys = Keys.for_identity("window-db:" + key_id, create=check is None)
        if check is None:
            set_meta(conn, "key_check", keys.check_value())
        elif check != keys.check_value():
            raise KeyMismatch("数据库的密钥与本机保存的密钥不符：个人信息无法解密。"
                              "请恢复原来的密钥文件（或系统密钥环中的条目），数据未作任何修改。")
    return keys


class Store:
    """One opened database: an engine, a session factory, and (on a window) its keys.

    Sessions carry the personal-data cipher in `session.info["cipher"]`, so the repositories
    encrypt and decrypt without every caller passing it along.
    """

    def __init__(self, engine: Engine, path: Path | None = None, keys: Keys | None = None) -> None:
        self.engine = engine
        self.path = path
        self.keys = keys
        self.cipher = PiiCipher(keys.encryption, keys.blind_index) if keys else None
        self.sessions = sessionmaker(engine, expire_on_commit=False, info={"cipher": self.cipher})
        # Where write transactions of background network work run (the window's database worker,
        # `ui.tasks.TaskRunner.call_db`); None: in the calling thread (CLI, central, tests).
        self.write_executor: Callable[[Callable[[], Any]], Any] | None = None

    def write(self, work: Callable[[Session], T]) -> T:
        """`work(session)` in one write transaction, on the write executor when there is one."""
        def run() -> T:
            with self.session() as session, session.begin():
                return work(session)

        return run() if self.write_executor is None else self.write_executor(run)  # type: ignore[no-any-return]

    @classmethod
    def open_url(cls, url: str) -> Store:
        engine = make_engine(url)
        migrate(engine)
        return cls(engine)

    @classmethod
    def open_file(cls, path: Path, keys: Keys | None = None) -> Store:
        """Open (or create) a window database; its key comes from the keyring or the key file."""
        from hallclient.store.pii_migration import encrypt_plain_rows

        integrity.check_before_open(path)  # an existing file is never replaced or reseeded
        _private_dir(path.parent)
        engine = make_engine(f"sqlite:///{path}")
        integrity.install_error_translation(engine, path)  # full disk, locked… in Chinese
        try:
            migrate(engine, sqlite_path=path)
            keys = keys or _window_keys(engine)
            store = cls(engine, path, keys)
            encrypt_plain_rows(engine, store.cipher)  # type: ignore[arg-type]
        except Exception:
            engine.dispose()
            raise
        _private_files(path)  # SQLite gives its -wal and -shm the main file's mode
        return store

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()


def _private_dir(directory: Path) -> None:
    """The data directory: 0700, since the database holds (encrypted) personal data."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    # not ours to change (a shared mount): the files themselves stay 0600
    with contextlib.suppress(OSError):
        os.chmod(directory, 0o700)


def _private_files(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if candidate.exists():
            os.chmod(candidate, 0o600)
