"""Routes: who am I, and window accounts (admin): add, list, new token, disable."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request

from hallclient.central import accounts
from hallclient.central.deps import AdminDep, PrincipalDep, SessionDep
from hallclient.central.schemas import (
    WINDOW_PATTERN,
    AccountCreate,
    AccountOut,
    AccountToken,
    ErrorOut,
    Whoami,
)

router = APIRouter()
WindowPath = Annotated[str, Path(pattern=WINDOW_PATTERN, description="the window number")]
_ADMIN_ONLY = {403: {"model": ErrorOut, "description": "not an administrator"}}


@router.get("/whoami", response_model=Whoami, tags=["accounts"], summary="The account of the token sent")
def whoami(who: PrincipalDep) -> Whoami:
    return Whoami(window_number=who.window_number, name=who.name, role=who.role)


@router.post("/accounts", response_model=AccountToken, status_code=201, tags=["accounts"],
             summary="Add a window account and issue its token (admin)",
             responses={**_ADMIN_ONLY, 409: {"model": ErrorOut, "description": "the window has an account"}})
def add_account(body: AccountCreate, session: SessionDep, _admin: AdminDep) -> AccountToken:
    try:
        token = accounts.create_account(session, body.window_number, body.name, body.role)
    except accounts.AccountExists as exc:
        session.rollback()
        raise HTTPException(409, str(exc)) from None
    session.commit()
    return AccountToken(window_number=body.window_number, name=body.name, role=body.role, token=token)


@router.get("/accounts", response_model=list[AccountOut], tags=["accounts"],
            summary="Window accounts (admin)", responses=_ADMIN_ONLY)
def list_accounts(session: SessionDep, _admin: AdminDep) -> list[AccountOut]:
    return [AccountOut(**row) for row in accounts.list_accounts(session)]  # type: ignore[arg-type]


@router.post("/accounts/{window_number}/token", response_model=AccountToken, tags=["accounts"],
             summary="Issue a new token for a window; the old one stops working (admin)",
             responses={**_ADMIN_ONLY, 404: {"model": ErrorOut, "description": "no such account"},
                        409: {"model": ErrorOut, "description": "the caller's own token"}})
def new_token(window_number: WindowPath, request: Request, session: SessionDep, who: AdminDep) -> AccountToken:
    if window_number == who.window_number:
        raise HTTPException(409, "不能通过接口重新签发正在使用的令牌：请用 hallclient central new-token")
    try:
        token = accounts.rotate_token(session, window_number)
    except accounts.AccountNotFound as exc:
        session.rollback()
        raise HTTPException(404, str(exc)) from None
    session.commit()
    request.app.state.tokens.forget()  # the old token stops working now, not in a few seconds
    row = next(r for r in accounts.list_accounts(session) if r["window_number"] == window_number)
    return AccountToken(**row, token=token)  # type: ignore[arg-type]


@router.delete("/accounts/{window_number}", status_code=204, tags=["accounts"],
               summary="Disable a window account (admin)",
               responses={**_ADMIN_ONLY, 404: {"model": ErrorOut, "description": "no such account"},
                          409: {"model": ErrorOut, "description": "the caller's own account"}})
def disable(window_number: WindowPath, request: Request, session: SessionDep, who: AdminDep) -> None:
    if window_number == who.window_number:
        raise HTTPException(409, "不能停用正在使用的管理员账号")
    try:
        accounts.disable_account(session, window_number)
    except accounts.AccountNotFound as exc:
        session.rollback()
        raise HTTPException(404, str(exc)) from None
    session.commit()
    request.app.state.tokens.forget()
