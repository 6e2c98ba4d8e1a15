"""FastAPI dependencies of the central: the request's database session, the device that calls
(its token), and the person signed in on it (their session).

Two identities travel with a request: `Authorization: Bearer <token>` names the device (a
window, or an administrator's workstation) and `X-Hallclient-Session: <session>` the person
signed in on it (`POST /api/v1/auth/sign-in`). The person's `Actor` takes its window number from
the device account, never from anything the request says.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from hallclient.central.accounts import Principal, TokenCache, hash_token, lookup_hash
from hallclient.central.schemas import ErrorOut
from hallclient.central.signin import SESSION_HEADER, SessionInvalid, session_user
from hallclient.core.permissions import Actor
from hallclient.store.database import Store

bearer = HTTPBearer(auto_error=False, description="a window's token: `hallclient central add-window`")


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
AdminDep = Annotated[Principal, Depends(admin)]
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "缺少或无效的访问令牌"},
    422: {"model": ErrorOut, "description": "请求数据无效"},
}
SessionHeader = Annotated[str | None, Header(alias=SESSION_HEADER, include_in_schema=True,
                                             description="the person's session from POST /auth/sign-in")]


def _person(store: Store, request: Request, token: str, window: str) -> Actor:
    with store.session() as session:
        user = session_user(session, request.app.state.auth, token, window)
    return user.actor(window)


async def person(request: Request, who: PrincipalDep, session_token: SessionHeader = None) -> Actor:
    """The person signed in on the calling device: 401 without a valid, unexpired session."""
    if not session_token:
        raise HTTPException(401, "此操作需要先登录：请在窗口登录后重试")
    try:
        actor = await run_in_threadpool(_person, request.app.state.store, request, session_token,
                                        who.window_number)
    except SessionInvalid as exc:
        raise HTTPException(401, str(exc)) from None
    request.state.actor = actor  # a refusal is audited under this person (app.py)
    return actor


ActorDep = Annotated[Actor, Depends(person)]
PERSON_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "no device token, or no valid person session"},
    403: {"model": ErrorOut, "description": "the person's roles do not allow it (the message names who may)"},
}
