"""The central database: the client's catalog/calendar tables plus the central's own.

Its schema is versioned like the client's (hallclient.store.database.migrate) but with its own
list of steps and its own meta key, so the two schemas evolve independently. SQLite by default,
PostgreSQL by URL (`postgresql+psycopg://user:password@host/db`).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from hallclient.central import models as central_models
from hallclient.central import queue_models
from hallclient.store import database as store_database
from hallclient.store import models
from hallclient.store.database import Store, get_meta, migrate, read_schema_version, set_meta

if TYPE_CHECKING:
    from hallclient.security.keys import Keys

VERSION_KEY = "central_schema_version"
FEED_ID_KEY = "feed_id"


def _central_step_1(conn: Connection) -> None:
    """Catalog, bundles, meta and calendar (as on a window) + feed, cases, accounts."""
    for table in (
        models.Meta, models.ServiceItemRow, models.MaterialRow,
        models.BundleRow, models.BundleItemRow, models.CalendarYearRow,
    ):
        table.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
    # The tables of this step by name: later steps add theirs to the same MetaData.
    for central_table in (
        central_models.FeedEntry, central_models.CentralCase,
        central_models.CentralCaseEvent, central_models.Account,
    ):
        central_table.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
    # The feed's identity: a window that synced from another central (or imported a file)
    # must download the whole catalog rather than apply changes to a different lineage.
    set_meta(conn, FEED_ID_KEY, str(uuid.uuid4()))


def _central_step_2(conn: Connection) -> None:
    """The hall queue: tickets, their events, daily counters, windows, appointments."""
    for table in queue_models.QUEUE_TABLES:
        table.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]


def _central_step_3(conn: Connection, keys: Callable[[], Keys] | None = None) -> None:
    """People, sessions, audit chain, case items; existing cases' personal data sealed."""
    from hallclient.central.schema_v3 import step_3

    if keys is None:
        url = conn.engine.url

        def keys() -> Keys:
            from hallclient.central.crypto import central_keys

            return central_keys(url)

    step_3(conn, keys)


def _central_step_4(conn: Connection) -> None:
    """The kiosk's green channel: reason and eligibility check on queue tickets."""
    from hallclient.central.queue_schema import step_4

    step_4(conn)


# The catalog fields the window's schema step 5 added (a material's 设定依据 and producing item,
# an item's back office, service guide and limit wording). Step 1 builds the catalog tables from
# the window's models, so a central created after those fields exist has them already: add what
# is missing, as the DDL of this step.
_CATALOG_COLUMNS_5 = (("materials", "basis", "TEXT"), ("materials", "produced_by", "VARCHAR(64)"),
                      ("service_items", "back_office", "TEXT"), ("service_items", "guide", "TEXT"),
                      ("service_items", "limit_note", "TEXT"))


def _central_step_5(conn: Connection) -> None:
    """The optional catalog fields of the window's schema 5, on the central's catalog tables."""
    from sqlalchemy import inspect

    inspector = inspect(conn)
    for table, column, kind in _CATALOG_COLUMNS_5:
        if column not in {c["name"] for c in inspector.get_columns(table)}:
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


def _central_step_6(conn: Connection) -> None:
    """The statistics' fact tables (tickets, cases, window days, final days)."""
    from hallclient.central.stats_schema import step_6

    step_6(conn)


def _central_step_7(conn: Connection) -> None:
    """Ratings (and their forwarding to the province), rectifications, complaints, pre-reviews,
    the QR rating tokens of cases."""
    from hallclient.central.records_store import step_7

    step_7(conn)


def _central_step_8(conn: Connection) -> None:
    """Chief representatives' authorisations, the feed order of case events (and the conflict
    note of a decision that came second), where a pre-review was used."""
    from hallclient.central.approval_schema import step_8

    step_8(conn)


def _central_step_9(conn: Connection) -> None:
    """The statistics' per-day summary (ticket counts and exact time histograms), filled from the
    facts already there; indexes on when cases and case events were received."""
    from hallclient.central.stats_summary import step_9

    step_9(conn)


def _central_step_10(conn: Connection) -> None:
    """Call-next's candidates: partial indexes of the waiting tickets in call order."""
    from hallclient.central.queue_schema import step_10

    step_10(conn)


CENTRAL_MIGRATIONS: list[Callable[[Connection], None]] = [_central_step_1, _central_step_2, _central_step_3,
                                                          _central_step_4, _central_step_5, _central_step_6,
                                                          _central_step_7, _central_step_8, _central_step_9,
                                                          _central_step_10]
CENTRAL_SCHEMA_VERSION = len(CENTRAL_MIGRATIONS)

# Connections kept open: as many as the server's thread pool runs requests at once (AnyIO's
# default, 40). With SQLAlchemy's default (5 kept + 10 overflow) a busy central opened and closed
# a connection for nearly every request: a new PostgreSQL backend process, or a SQLite file
# opened and its pragmas set, each time.
POOL_SIZE = 40
POOL_OVERFLOW = 10


def sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def make_central_engine(url: str, *, pool_size: int | None = None, application_name: str | None = None) -> Engine:
    """As the client's `make_engine` (same SQLite pragmas), with a pool sized for a server:
    `pool_size` connections kept (default `POOL_SIZE`) plus `POOL_OVERFLOW`; on PostgreSQL each
    connection says `application_name` (seen in pg_stat_activity) when given."""
    parsed = make_url(url)
    sqlite_db = parsed.get_backend_name() == "sqlite"
    if sqlite_db and parsed.database in (None, "", ":memory:"):
        return store_database.make_engine(url)  # one connection (SQLAlchemy's own pool for it)
    connect_args: dict[str, object] = {"check_same_thread": False} if sqlite_db else {}
    if application_name and parsed.get_backend_name() == "postgresql":
        connect_args["application_name"] = application_name[:63]
    engine = create_engine(url, connect_args=connect_args, pool_size=pool_size or POOL_SIZE,
                           max_overflow=POOL_OVERFLOW)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", store_database._sqlite_pragmas)
        event.listen(engine, "connect", _secure_delete)
    return engine


def _secure_delete(dbapi_conn, _record: object) -> None:  # type: ignore[no-untyped-def]
    """Freed space is overwritten with zeros: a rewritten case leaves no plain text behind."""
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def warm_pool(engine: Engine, count: int | None = None) -> int:
    """Open up to `count` pooled connections now (PostgreSQL only; default: as many as the pool
    keeps): a server's first busy moments would otherwise each open one, a new backend process
    and a password exchange, tens of milliseconds on a loaded machine, on the request that
    needed it. Returns how many were opened."""
    if engine.dialect.name != "postgresql":
        return 0
    if count is None:
        size = getattr(engine.pool, "size", None)
        count = size() if callable(size) else POOL_SIZE
    opened = []
    try:
        for _ in range(count):
            opened.append(engine.connect())
    finally:
        for conn in opened:
            conn.close()  # back to the pool, still open
    return len(opened)


def open_central(url: str, *, keys: Keys | Callable[[], Keys] | None = None, pool_size: int | None = None,
                 application_name: str | None = None) -> Store:
    """Open (creating or migrating) a central database. `keys` (or a function giving them) are
    needed only when existing cases are to be sealed; by default they are the database's own
    (hallclient.central.crypto.central_keys). `pool_size`, `application_name`: of the
    connection pool (`make_central_engine`)."""
    path = sqlite_file(url)
    if path is not None and not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    new_file = path is not None and not path.exists()
    engine = make_central_engine(url, pool_size=pool_size, application_name=application_name)
    steps = CENTRAL_MIGRATIONS
    if keys is not None:
        provider = keys if callable(keys) else (lambda: keys)  # type: ignore[return-value]
        steps = [*CENTRAL_MIGRATIONS[:2], partial(_central_step_3, keys=provider), *CENTRAL_MIGRATIONS[3:]]
    try:
        with engine.connect() as conn:
            before = read_schema_version(conn, VERSION_KEY)
        applied = migrate(engine, sqlite_path=path, migrations=steps, version_key=VERSION_KEY)
        if path is not None and (new_file or applied):
            _private_files(engine, path, sealed=bool(applied) and before > 0)
    except Exception:
        engine.dispose()
        raise
    return Store(engine, path)


def _private_files(engine: Engine, path: Path, *, sealed: bool) -> None:
    """The database (and its backups) readable by its owner only; after sealing existing cases,
    the WAL is checkpointed and truncated so no frame of the plain rows is left in it."""
    if sealed:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    for candidate in [path, *path.parent.glob(path.name + "-*"), *path.parent.glob(path.name + ".v*.bak")]:
        with contextlib.suppress(OSError):
            os.chmod(candidate, 0o600)


def feed_id(store: Store) -> str:
    with store.session() as session:
        value = get_meta(session, FEED_ID_KEY)
    assert value, "central database without a feed id"
    return value
