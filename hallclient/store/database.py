"""Opening the local store: engine, pragmas, schema version and step-by-step migrations.

SQLite in WAL mode by default; a database written by a newer hallclient is refused rather than
damaged, and an existing database is copied aside before a migration touches it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from hallclient.store import models

DB_FILENAME = "hallclient.db"


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer hallclient."""

    def __init__(self, found: int, supported: int) -> None:
        super().__init__(
            f"数据库结构版本为 {found}，本程序只支持到版本 {supported}。"
            f"请升级 hallclient 后再打开（数据未作任何修改）。"
        )
        self.found = found
        self.supported = supported


def _step_1(conn: Connection) -> None:
    """Catalog, bundles, meta, loaded calendar years."""
    for table in (
        models.Meta, models.ServiceItemRow, models.MaterialRow,
        models.BundleRow, models.BundleItemRow, models.CalendarYearRow,
    ):
        table.__table__.create(conn)  # type: ignore[attr-defined]


def _step_2(conn: Connection) -> None:
    """Cases, case events, the outbox and number counters."""
    for table in (models.CaseRow, models.CaseEventRow, models.OutboxRow, models.CounterRow):
        table.__table__.create(conn)  # type: ignore[attr-defined]


def _step_3(conn: Connection) -> None:
    """Walk-in queue numbers issued while the central service was unreachable."""
    models.WalkinTicketRow.__table__.create(conn)  # type: ignore[attr-defined]


# Each step takes the schema from version N-1 to N. Once a released step's tables change shape,
# that step must keep the DDL of its own time (frozen fixtures in tests/store/fixtures check it).
MIGRATIONS: list[Callable[[Connection], None]] = [_step_1, _step_2, _step_3]
SCHEMA_VERSION = len(MIGRATIONS)


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a confirmed case survives a power cut too, not only a crash (one fsync per commit).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
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
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
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


class Store:
    """One opened database: an engine and a session factory."""

    def __init__(self, engine: Engine, path: Path | None = None) -> None:
        self.engine = engine
        self.path = path
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open_url(cls, url: str) -> Store:
        engine = make_engine(url)
        migrate(engine)
        return cls(engine)

    @classmethod
    def open_file(cls, path: Path) -> Store:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(f"sqlite:///{path}")
        try:
            migrate(engine, sqlite_path=path)
        except Exception:
            engine.dispose()
            raise
        return cls(engine, path)

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()
