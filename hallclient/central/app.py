"""The central service as a FastAPI application: factory, authentication, error answers.

`create_app(store_or_url)` builds the app on an opened central store (or a database URL).
Every route needs `Authorization: Bearer <token>` except GET /api/v1/health. Every error is
answered as {"message": "...", "detail": ...} with a 4xx status: invalid input never reaches
the database as a 500.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from hallclient.central.accounts import Principal, TokenCache, hash_token, lookup_hash
from hallclient.central.database import feed_id, open_central, warm_pool
from hallclient.central.schemas import ErrorOut
from hallclient.store.database import Store

if TYPE_CHECKING:
    from hallclient.central.queue_service import QueueConfig

log = logging.getLogger("hallclient.central")
API = "/api/v1"


class SafeJSONResponse(JSONResponse):
    """Chinese stays readable; text that cannot be UTF-8 (a lone surrogate echoed back) is escaped."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(content, ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode()


def error(status: int, message: str, detail: Any = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return SafeJSONResponse({"message": message, "detail": detail}, status_code=status, headers=headers)


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

    @app.exception_handler(IntegrityError)
    async def conflict(_request: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity error: %s", exc)
        return error(409, "与同时进行的另一请求冲突，请重试")

    @app.exception_handler(PoolTimeout)
    @app.exception_handler(OperationalError)
    async def database_down(_request: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable: %s", exc)
        return error(503, "中心数据库暂时不可用，请稍后重试")

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return error(500, "中心服务内部错误，请联系管理员")


bearer = HTTPBearer(auto_error=False, description="a window's token: `hallclient central add-window`")


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """At start-up the database pool is filled (`warm_pool`); a failure there is only logged."""
    try:
        await run_in_threadpool(warm_pool, app.state.store.engine)
    except Exception as exc:  # the database may come up later: requests report it as usual
        log.warning("could not open the database connections at start-up: %s", exc)
    yield


async def db_session(request: Request) -> AsyncIterator[Session]:
    """The request's session. Opening one does no I/O, so this runs on the event loop rather than
    costing the request two more hops through the thread pool; a session the route left in a
    transaction (a read) is closed in the pool, since its rollback talks to the database."""
    store: Store = request.app.state.store
    session = store.session()
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


SessionDep = Annotated[Session, Depends(db_session)]


def _lookup(store: Store, token_hash: str) -> Principal | None:
    with store.session() as session:
        return lookup_hash(session, token_hash)


async def principal(request: Request,
                    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
    """The account of the request's token: from the app's `TokenCache` when it was looked up in the
    last few seconds, else from the database (in the thread pool)."""
    token = credentials.credentials if credentials else ""
    who = None
    if token and len(token) <= 200:
        token_hash = hash_token(token)
        tokens: TokenCache = request.app.state.tokens
        who = tokens.get(token_hash)
        if who is None:
            stamp = tokens.stamp()
            who = await run_in_threadpool(_lookup, request.app.state.store, token_hash)
            if who is not None:
                tokens.put(token_hash, who, stamp)
    if who is None:
        raise HTTPException(401, "缺少或无效的访问令牌：请在窗口设置中填写中心服务签发的令牌",
                            headers={"WWW-Authenticate": "Bearer"})
    return who


async def admin(who: Annotated[Principal, Depends(principal)]) -> Principal:
    if not who.is_admin:
        raise HTTPException(403, "此操作需要管理员令牌")
    return who


PrincipalDep = Annotated[Principal, Depends(principal)]
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "缺少或无效的访问令牌"},
    422: {"model": ErrorOut, "description": "请求数据无效"},
}
AdminDep = Annotated[Principal, Depends(admin)]


def create_app(store_or_url: Store | str, *, title: str = "hallclient central",
               queue: QueueConfig | None = None) -> FastAPI:
    """The central service on an opened central store or a database URL (created if new);
    `queue`: the hall's queue settings (categories and prefixes, calling rules, hall name)."""
    from hallclient.central import (
        queue_service,
        routes_admin,
        routes_cases,
        routes_catalog,
        routes_hall,
        routes_queue,
    )

    store = open_central(store_or_url) if isinstance(store_or_url, str) else store_or_url
    app = FastAPI(
        title=title, version="1",
        description="政务服务大厅中心服务：事项清单下发、节假日安排、办件汇集、窗口账号。",
        default_response_class=SafeJSONResponse, lifespan=_lifespan,
    )
    app.state.store = store
    app.state.tokens = TokenCache()
    app.state.feed_id = feed_id(store)
    app.state.queue = queue or queue_service.QueueConfig()
    _install_error_handlers(app)
    app.include_router(routes_catalog.public, prefix=API)
    for module in (routes_catalog, routes_cases, routes_admin, routes_queue):
        app.include_router(module.router, prefix=API, responses=AUTH_RESPONSES)
    app.include_router(routes_queue.public, prefix=API)
    app.include_router(routes_hall.router)  # /kiosk and /board
    return app
