"""Statements of the queue's hot paths, compiled once per dialect and run on the write
transaction's own DBAPI cursor.

Why: a call-next runs six or seven small statements. Through `Session.execute` each one costs
about 0.1–0.2 ms of Python (cache key, execution context, result wrapping) here, fifteen times
what the driver itself spends on it (measured: 194 µs against 13 µs for a primary-key SELECT on
SQLite). The statements stay SQLAlchemy constructs, written once in `queue_store`; this module
compiles each for the database's dialect the first time it runs and then hands the SQL text
and the parameters straight to the driver, inside the same transaction the session opened (the
cursor belongs to the session's connection, so commit and rollback are the session's).

Only statements without expanding parameters take this way; rows come back as named tuples
(attribute access, as SQLAlchemy's rows).
"""

from __future__ import annotations

import threading
from collections import namedtuple
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement

_CURSOR = "queue_raw_cursor"


class _Compiled:
    __slots__ = ("defaults", "names", "returns_rows", "row", "sql")

    def __init__(self, statement: ClauseElement, dialect: Dialect, sample: Mapping[str, Any]) -> None:
        keys = list(sample)
        # column_keys: an UPDATE or INSERT sets exactly the columns it is given (as at execution)
        # render_postcompile: a literal IN list (state IN ('called', 'serving')) becomes plain
        # parameters whose values the statement carries (`defaults`)
        # parameters whose values the statement carries (`defaults`); rendering needs a value for
        # every parameter, the first call's (the text does not depend on them)
        # (INSERT and UPDATE take no literal IN lists here: compiled as they are)
        if getattr(statement, "is_dml", False):
            compiled = statement.compile(dialect=dialect, column_keys=keys)
        else:
            bound = statement.params(dict(sample))  # type: ignore[attr-defined]
            compiled = bound.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        self.sql = compiled.string
        self.defaults = {name: value for name, value in compiled.params.items() if name not in keys}
        # qmark/numeric drivers (sqlite3) take a sequence in this order; pyformat ones (psycopg) a mapping
        self.names: Sequence[str] | None = compiled.positiontup if compiled.positional else None
        self.row: Any = None  # the row type, made from the first result's description
        self.returns_rows: bool | None = None  # known after the first run (psycopg makes a new description each read)


# By statement (the module-level constants of queue_store live as long as the process), dialect
# and the parameters' names.
_COMPILED: dict[tuple[int, str, tuple[str, ...]], _Compiled] = {}


_COMPILING = threading.Lock()


def _compiled(statement: ClauseElement, dialect: Dialect, sample: Mapping[str, Any]) -> _Compiled:
    key = (id(statement), dialect.name, tuple(sample))
    found = _COMPILED.get(key)
    if found is None:
        with _COMPILING:  # forty threads meeting a new statement at once compile it once, not forty times
            found = _COMPILED.get(key)
            if found is None:
                found = _COMPILED[key] = _Compiled(statement, dialect, sample)
    return found


class Result:
    """What the queue's code reads of a result: rows (first, one, all, iteration), a scalar,
    the count of rows an UPDATE changed."""

    __slots__ = ("_rows", "rowcount")

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    def first(self) -> Any:
        return self._rows[0] if self._rows else None

    def one(self) -> Any:
        if len(self._rows) != 1:
            raise LookupError(f"expected one row, got {len(self._rows)}")
        return self._rows[0]

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None

    def all(self) -> list[Any]:
        return self._rows

    def __iter__(self) -> Any:
        return iter(self._rows)


# PostgreSQL plans a prepared statement anew at every run while it judges a plan made for the
# values at hand ("custom") better than one made for any values ("generic"); for call-next's
# candidates it always did, and planning that statement costs more than running it (3-18 ms of the
# database's CPU per call against 0.2 ms; pg_stat_statements counted 501 plans in 676 runs). The
# queue's statements are equalities on indexed columns, whose best plan does not depend on the
# values, so inside the queue's write transactions (and nowhere else: SET LOCAL ends with the
# transaction) PostgreSQL plans each of them once per connection.
_GENERIC_PLANS = "SET LOCAL plan_cache_mode = force_generic_plan"


def begin(session: Session, *, generic_plans: bool = True) -> None:
    """At the start of a write transaction: its cursor, for `execute` until `end`; on PostgreSQL
    its statements planned for any values unless `generic_plans` is False (see _GENERIC_PLANS)."""
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    session.info[_CURSOR] = cursor
    if generic_plans and session.get_bind().dialect.name == "postgresql":
        cursor.execute(_GENERIC_PLANS)


def active(session: Session) -> bool:
    return _CURSOR in session.info


def end(session: Session) -> None:
    cursor = session.info.pop(_CURSOR, None)
    if cursor is not None:
        cursor.close()


def execute(session: Session, statement: ClauseElement, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> Any:
    """`statement` with `params` (a list of them: executemany, no rows back): on the
    transaction's cursor inside `begin`/`end`, else through the session as usual (reads outside a
    write transaction are rare and not hot). Statements must be module-level constants."""
    cursor = session.info.get(_CURSOR)
    if cursor is None:
        return session.execute(statement, params)
    dialect = session.get_bind().dialect
    many = not isinstance(params, Mapping)
    first: Mapping[str, Any] = params[0] if many else params  # type: ignore[index,assignment]
    compiled = _compiled(statement, dialect, first)
    names, defaults = compiled.names, compiled.defaults
    try:
        if many:
            rows = [{**defaults, **p} for p in params]  # type: ignore[union-attr]
            cursor.executemany(compiled.sql, rows if names is None else [[p[n] for n in names] for p in rows])
            return Result([], cursor.rowcount)
        return _run(cursor, compiled, {**defaults, **first} if defaults else first, names)
    except dialect.loaded_dbapi.Error as error:
        # as SQLAlchemy would raise it (IntegrityError, OperationalError…), so callers catch one kind
        raise DBAPIError.instance(compiled.sql, params, error, dialect.loaded_dbapi.Error,
                                  dialect=dialect) from error


def _run(cursor: Any, compiled: _Compiled, values: Mapping[str, Any], names: Sequence[str] | None) -> Result:
    if names is None:
        # psycopg: prepared on the server at the first run rather than the fifth (see _GENERIC_PLANS)
        cursor.execute(compiled.sql, values, prepare=True)
    else:
        cursor.execute(compiled.sql, [values[name] for name in names])
    if compiled.returns_rows is None:  # the first run (in any thread)
        description = cursor.description
        if description is not None:  # the row type before the flag: another thread reads them in that order
            compiled.row = namedtuple("Row", [column[0] for column in description])  # type: ignore[misc]
        compiled.returns_rows = description is not None
    if not compiled.returns_rows:
        return Result([], cursor.rowcount)
    make = compiled.row._make
    return Result([make(values) for values in cursor.fetchall()], cursor.rowcount)
