"""The central service as a FastAPI application: factory, authentication, error answers.

`create_app(store_or_url)` builds the app on an opened central store (or a database URL).
Every route needs `Authorization: Bearer <token>` (the device) except GET /api/v1/health; reading
cases, managing people and reading the audit also need a person's `X-Hallclient-Session`
(hallclient.central.deps). Every error is
answered as {"message": "...", "detail": ...} with a 4xx status: invalid input never reaches
the database as a 500.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from hallclient.central.accounts import TokenCache
from hallclient.central.answers import CONFLICT, DATABASE_DOWN, INTERNAL, SafeJSONResponse, error
from hallclient.central.database import feed_id, open_central, warm_pool

# The dependencies live in deps; they are re-exported here for route modules that import them
# from app (new code imports hallclient.central.deps).
from hallclient.central.deps import (  # noqa: F401
    AUTH_RESPONSES,
    AdminDep,
    PrincipalDep,
    SessionDep,
    admin,
    bearer,
    db_session,
    principal,
)
from hallclient.central.http_limits import BodyLimitMiddleware, HttpLimits
from hallclient.central.signin import AuthSettings
from hallclient.core.permissions import PermissionDenied
from hallclient.store.database import Store

if TYPE_CHECKING:
    from hallclient.central.queue_service import QueueConfig
    from hallclient.security.keys import Keys

log = logging.getLogger("hallclient.central")
API = "/api/v1"


def _describe(errors: list[Any]) -> tuple[str, list[dict[str, Any]]]:
    clean = []
    for e in errors[:20]:
        loc = [str(part)[:80] for part in e.get("loc", ())]
        clean.append({"loc": loc, "msg": str(e.get("msg", ""))[:300], "type": str(e.get("type", ""))})
    if not clean:
        return "请求数据无效", clean
    first = clean[0]
    where = ".".join(part for part in first["loc"] if part not in ("body",)) or "请求"
    return f"请求数据无效：{where}：{first['msg']}", clean


def _allowed_methods(request: Request) -> list[str]:
    path = request.url.path
    methods: set[str] = set()
    for route in request.app.routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        message, detail = _describe(list(exc.errors()))
        return error(422, message, detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
            return error(422, "请求内容不是有效的 JSON")
        if exc.status_code == 405:  # every method of the path, not only the first route's
            headers["Allow"] = ", ".join(_allowed_methods(request))
            return error(405, "不支持这种请求方法", headers=headers)
        if exc.status_code == 404 and exc.detail == "Not Found":
            return error(404, "没有这个地址")
        message = exc.detail if isinstance(exc.detail, str) else "请求有误"
        return error(exc.status_code, message, headers=headers or None)

    @app.exception_handler(PermissionDenied)
    async def denied(request: Request, exc: PermissionDenied) -> JSONResponse:
        actor = getattr(request.state, "actor", None)
        if actor is not None:
            await run_in_threadpool(_audit_denied, request, actor, exc)
        return error(403, str(exc), {"needed": exc.needed})

    @app.exception_handler(IntegrityError)
    async def conflict(_request: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity error: %s", exc)
        return error(409, CONFLICT)

    @app.exception_handler(PoolTimeout)
    @app.exception_handler(OperationalError)
    async def database_down(_request: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable: %s", exc)
        return error(503, DATABASE_DOWN)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return error(500, INTERNAL)


def _audit_denied(request: Request, actor: Any, exc: PermissionDenied) -> None:
    """A refused action is recorded too (in its own transaction: the request's was rolled back)."""
    from hallclient.central.audit_log import append

    try:
        with request.app.state.store.session() as session, session.begin():
            append(session, request.app.state.keys.audit, actor=actor.login,
                   roles=sorted(r.value for r in actor.roles), window=actor.window_number, kind="denied",
                   detail={"action": exc.action.value, "path": request.url.path[:200], "method": request.method})
    except Exception as failure:  # the refusal is answered all the same
        log.error("could not record a refused action: %s", failure)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """At start-up the database pool is filled (`warm_pool`); a failure there is only logged."""
    try:
        await run_in_threadpool(warm_pool, app.state.store.engine)
    except Exception as exc:  # the database may come up later: requests report it as usual
        log.warning("could not open the database connections at start-up: %s", exc)
    else:
        from hallclient.central import items_catch_up

        try:  # before serving: who may see which case is decided by the items table
            await run_in_threadpool(items_catch_up.catch_up_items, app.state.store)
        except Exception as exc:  # noqa: BLE001  # the next publish tries again; serving goes on
            log.error("the items table could not be brought to the feed at start-up: %s", exc)
    forwarder = None
    if getattr(app.state, "province", None) is not None:
        forwarder = asyncio.create_task(_forward_ratings_forever(app))
    yield
    if forwarder is not None:
        forwarder.cancel()


async def _forward_ratings_forever(app: FastAPI, every_s: float = 30.0) -> None:
    """Ratings go to the provincial system in the background; a failure waits for the next pass."""
    from hallclient.central.provincial import HallIdentity, forward_pending

    while True:
        try:
            await run_in_threadpool(forward_pending, app.state.store.session, app.state.province,
                                    app.state.cipher, HallIdentity())
        except Exception as exc:  # never let forwarding take the central down
            log.warning("forwarding ratings failed: %s", exc)
        await asyncio.sleep(every_s)


def _docs_urls(http: HttpLimits) -> dict[str, Any]:
    """/docs, /redoc and /openapi.json only when the central's settings allow (HttpLimits.api_docs)."""
    return {} if http.api_docs else {"docs_url": None, "redoc_url": None, "openapi_url": None}


class CentralApp(FastAPI):
    """The central's FastAPI application, with the queue's fast path in front of everything
    (hallclient.central.queue_fast_path): the window's call-next and ticket actions on their
    happy path do not walk Starlette's middleware stack or FastAPI's router."""

    fast_path: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.fast_path is not None and scope["type"] == "http":
            await self.fast_path(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


# Threads of the queue's fast path on PostgreSQL. A call-next is ~1 ms of waiting for the
# database and ~3 ms of Python holding the interpreter lock, so a few threads keep one process
# busy; forty (one per pooled connection, as before) only fought over the lock: 4.8 ms of CPU per
# call-next against 3.7 with eight, the paced hall's p99 no better (bench/bench_queue.py
# --pool-size). The other routes keep the whole pool.
QUEUE_THREADS = 8


def create_app(store_or_url: Store | str, *, title: str = "hallclient central",
               queue: QueueConfig | None = None, keys: Keys | None = None,
               auth: AuthSettings | None = None, http: HttpLimits | None = None,
               province: Any = None, fast_path: bool = True) -> FastAPI:
    """The central service on an opened central store or a database URL (created if new);
    `queue`: the hall's queue settings (categories and prefixes, calling rules, hall name);
    `keys`: of the database's personal data and audit chain (default: the database's own, from
    the keyring or key directory); `auth`: lockout and session lengths; `province`: a
    `provincial.ProvincialAdapter` that ratings are forwarded to in the background (None: they
    wait for `hallclient central forward-ratings`); `fast_path`: the window's call-next and ticket
    actions bypass FastAPI's routing on their happy path (hallclient.central.queue_fast_path; off
    only to compare the two in tests)."""
    from hallclient.central import (
        queue_service,
        routes_admin,
        routes_approval,
        routes_audit,
        routes_auth,
        routes_cases,
        routes_catalog,
        routes_hall,
        routes_queue,
        routes_rate,
        routes_records,
        routes_stats,
        routes_users,
        routes_windows,
    )
    from hallclient.central.crypto import CaseCipher, central_keys, check_keys

    store = open_central(store_or_url, keys=keys) if isinstance(store_or_url, str) else store_or_url
    app = CentralApp(
        title=title, version="1",
        description="政务服务大厅中心服务：事项清单下发、节假日安排、办件汇集、窗口账号。",
        default_response_class=SafeJSONResponse, lifespan=_lifespan,
        **_docs_urls(http or HttpLimits()),
    )
    app.state.store = store
    app.state.tokens = TokenCache()
    app.state.feed_id = feed_id(store)
    app.state.queue = queue or queue_service.QueueConfig()
    app.state.keys = keys or central_keys(store.engine.url)
    check_keys(store, app.state.keys)  # WrongKey: refuse to serve rather than fail on every read
    app.state.cipher = CaseCipher(app.state.keys)
    app.state.auth = auth or AuthSettings()
    app.state.http = http or HttpLimits()
    if fast_path:
        from hallclient.central.queue_fast_path import QueueFastPath

        # SQLite takes one writer at a time (queue_store): its calls are committed in groups by
        # one thread; PostgreSQL writes in parallel, in a few threads (QUEUE_THREADS).
        pool = store.engine.pool
        sqlite_db = store.engine.dialect.name == "sqlite"
        threads = min(pool.size(), QUEUE_THREADS) if hasattr(pool, "size") else QUEUE_THREADS
        app.fast_path = QueueFastPath(super(CentralApp, app).__call__, app.state, threads=threads,
                                      group_commit=sqlite_db)
    app.add_middleware(BodyLimitMiddleware, limits=app.state.http)  # outermost: before any body is read
    _install_error_handlers(app)
    app.include_router(routes_catalog.public, prefix=API)
    for module in (routes_catalog, routes_approval, routes_cases, routes_admin, routes_queue, routes_auth, routes_users,
                   routes_audit, routes_windows, routes_records, routes_stats):
        app.include_router(module.router, prefix=API, responses=AUTH_RESPONSES)
    app.include_router(routes_queue.public, prefix=API)
    app.include_router(routes_hall.router)  # /kiosk and /board
    app.include_router(routes_rate.router)  # /rate/{token}: the QR rating page
    app.state.province = province
    return app
