"""Serving the central: one process, or N worker processes on one port (`hallclient central
--workers N`, see docs/scaling.md).

With one process the app is built here and served by uvicorn in this process. With more, uvicorn
binds the port once and starts N worker processes (spawned, not forked) that share it; each
builds its own app through the factory `worker_app`, which reads the same `ServeSettings` from
the environment variable `SERVE_ENV` set by the command line before the workers start. So every
worker has the same database, keys (from the key file, or the keyring/key directory, read again
in each worker: the secret itself never travels through the environment), body limits, header
timeout, TLS certificate (uvicorn loads it in each worker), kiosk limits and their storage, and
token cache time-to-live.

What each worker keeps to itself (per process) and why that is safe, or how it is bounded:

* the connection pool (`pool_size` + `database.POOL_OVERFLOW` per worker): the database sees N
  pools; `connection_budget` compares them with PostgreSQL's max_connections;
* the token cache (`accounts.TokenCache`, app.state.tokens): a token rotated or an account
  disabled through one worker is forgotten there at once; the other workers keep accepting it
  for at most `token_cache_seconds` (the entry's time-to-live counts from before its read);
  0 turns the cache off;
* the kiosk limiter (`kiosk_limiter`, app.state.kiosk_limiter): with "memory://" each worker
  counts on its own, so a kiosk may get up to N times its limit; a shared `limiter_storage`
  (e.g. redis://) counts once for all (its test-then-hit is one step per process only, so a
  burst spread over workers may pass the limit by a ticket or two);
* the rating forwarder (app.state.province): one per worker, one pass at a time over all of them
  (provincial: a PostgreSQL advisory lock);
* the SQLite writers' lock (queue_store) and one-publish-at-a-time lock (publish): in-process
  only, which is why SQLite is served by one process (`hallclient central` refuses --workers on
  SQLite); a publish on PostgreSQL that finds the feed moved by another worker prepares again;
* read-only after start: the feed id, queue settings, sign-in settings, keys, HTTP limits.
  Sign-in failures, lockouts, sessions, the queue and the hall board are rows in the database.
"""

from __future__ import annotations

import copy
import gc
import json
import logging
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hallclient.central.http_limits import MB, FrontDoorProtocol, HttpLimits, serve_config

if TYPE_CHECKING:
    from fastapi import FastAPI

    from hallclient.security.keys import Keys

SERVE_ENV = "HALLCLIENT_CENTRAL_SERVE"
FACTORY = "hallclient.central.workers:worker_app"
WORKER_PROTOCOL = "hallclient.central.workers:WorkerProtocol"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
APPLICATION_NAME = "hallclient-central"


@dataclass(frozen=True)
class ServeSettings:
    """Everything a serving process needs besides the socket (plain values: JSON in the environment)."""

    db_url: str
    key_file: str | None = None
    workers: int = 1
    max_body_bytes: int = 2 * MB
    max_publish_bytes: int = 64 * MB
    api_docs: bool = False
    province: str = ""
    limiter_storage: str = "memory://"
    token_cache_seconds: float = 5.0
    pool_size: int | None = None  # None: database.POOL_SIZE
    log_level: str = "info"

    def limits(self) -> HttpLimits:
        return HttpLimits(max_body_bytes=self.max_body_bytes, max_publish_bytes=self.max_publish_bytes,
                          api_docs=self.api_docs)

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ServeSettings:
        raw = (os.environ if environ is None else environ).get(SERVE_ENV)
        if not raw:
            raise RuntimeError(f"{SERVE_ENV} is not set: worker processes are started by `hallclient central --workers N`")
        return cls(**json.loads(raw))


def application_name(workers: int) -> str:
    """What each PostgreSQL connection of this process says in pg_stat_activity.application_name:
    the worker's process ID when there are several (the same ID as in its log lines)."""
    return APPLICATION_NAME if workers <= 1 else f"{APPLICATION_NAME}-{os.getpid()}"


def build_app(settings: ServeSettings, *, keys: Keys | None = None) -> FastAPI:
    """The central's app for one serving process, on a store of its own."""
    from hallclient.central.accounts import TokenCache
    from hallclient.central.app import create_app
    from hallclient.central.crypto import central_keys
    from hallclient.central.database import open_central
    from hallclient.central.queue_service import QueueConfig

    if keys is None:
        keys = central_keys(settings.db_url, Path(settings.key_file) if settings.key_file else None)
    store = open_central(settings.db_url, keys=keys, pool_size=settings.pool_size,
                         application_name=application_name(settings.workers))
    try:
        province = None
        if settings.province:
            from hallclient.central.provincial import adapter_from_settings

            province = adapter_from_settings(settings.province)
        app = create_app(store, keys=keys, http=settings.limits(), province=province,
                         queue=QueueConfig(limiter_storage=settings.limiter_storage))
    except Exception:
        store.close()
        raise
    app.state.tokens = TokenCache(ttl=settings.token_cache_seconds)
    return app


class WorkerProtocol(FrontDoorProtocol):  # type: ignore[misc,valid-type]
    """The header deadline in a worker: uvicorn hands its settings to worker processes by pickling
    them, so the protocol is named by import string and its deadline set by `worker_app`."""


def worker_app() -> FastAPI:
    """uvicorn's app factory in each worker process."""
    settings = ServeSettings.from_env()
    WorkerProtocol.header_timeout = settings.limits().header_timeout
    WorkerProtocol.max_header_bytes = settings.limits().max_header_bytes
    _worker_logging(settings.log_level)
    app = build_app(settings)
    settle_heap()
    return app


def settle_heap() -> None:
    """Once the serving process is built: what exists now lives as long as the process, so the
    garbage collector stops looking at it (gc.freeze). Python's full collection walks every
    object; with the central's ~140,000 (modules, SQLAlchemy, pydantic, FastAPI) each one stopped
    every request for 130-145 ms here, a few times a minute under load, the whole of the paced
    hall's 99th percentile. Garbage of the start-up is collected first."""
    gc.collect()
    gc.freeze()


def _worker_logging(level: str) -> None:
    """A worker's own messages go to standard error, masked like the log file, with the process ID
    (N processes rotating one file would overwrite each other's rotations)."""
    from hallclient.logging_setup import PersonalDataFilter

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"))
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level.upper())


def log_config(with_pid: bool) -> dict[str, Any]:
    """uvicorn's logging settings; with several workers each line says its process ID."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    if with_pid:
        config["formatters"]["default"]["fmt"] = "%(levelprefix)s [%(process)d] %(message)s"
        config["formatters"]["access"]["fmt"] = \
            '%(levelprefix)s [%(process)d] %(client_addr)s - "%(request_line)s" %(status_code)s'
    return config


def connection_budget(engine: Any, workers: int, pool_size: int, overflow: int) -> str | None:
    """A warning (Chinese) when N workers' pools could open more connections than PostgreSQL
    accepts (max_connections less the superuser reserve); None when they fit or on SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        most = int(conn.exec_driver_sql("SHOW max_connections").scalar())
        reserved = int(conn.exec_driver_sql("SHOW superuser_reserved_connections").scalar())
    wanted = workers * (pool_size + overflow)
    if wanted <= most - reserved:
        return None
    return (f"提示：{workers} 个进程 ×（连接池 {pool_size} + 突发 {overflow}）最多需要 {wanted} 个数据库连接，"
            f"而 PostgreSQL 只接受 {most - reserved} 个（max_connections={most}）。请减小 --pool-size "
            f"或调大 max_connections，否则繁忙时请求会因连不上数据库而失败")


def uvicorn_options(settings: ServeSettings, host: str, port: int, *, certfile: Path | None = None,
                    keyfile: Path | None = None, access_log: bool = True) -> dict[str, Any]:
    """uvicorn.run's keyword arguments. With several workers uvicorn pickles its settings for each
    worker process, so everything here is a plain value or an import string."""
    options: dict[str, Any] = {"host": host, "port": port, "log_level": settings.log_level, "access_log": access_log,
                               **serve_config(settings.limits())}
    if certfile and keyfile:
        options.update(ssl_certfile=str(certfile), ssl_keyfile=str(keyfile))
    if settings.workers > 1:
        options.update(factory=True, workers=settings.workers, http=WORKER_PROTOCOL, log_config=log_config(True))
    return options


def serve(settings: ServeSettings, host: str, port: int, *, certfile: Path | None = None,
          keyfile: Path | None = None, access_log: bool = True, keys: Keys | None = None) -> None:
    """Serve until stopped (Ctrl+C, SIGTERM): in this process, or in `settings.workers` workers."""
    import uvicorn

    options = uvicorn_options(settings, host, port, certfile=certfile, keyfile=keyfile, access_log=access_log)
    if settings.workers <= 1:
        app = build_app(settings, keys=keys)
        settle_heap()
        try:
            uvicorn.run(app, **options)
        finally:
            app.state.store.close()
        return
    os.environ[SERVE_ENV] = settings.to_env()  # inherited by the spawned workers
    uvicorn.run(FACTORY, **options)
