"""Routes: a person signs in on a device, and signs out.

The contract the window client relies on (hallclient.sync.auth_client):

- `POST /api/v1/auth/sign-in` with the device's `Authorization: Bearer <window token>` and
  `{"login", "password"}` → 200 `{"session", "expires_at", "user": {"login", "name", "roles",
  "departments"}, "window_number"}` (the window number is the device account's);
  wrong password → 401 `{"message": "用户名或密码错误（还可尝试 N 次）", "detail": {"remaining": N}}`
  (`remaining` is null for an unknown login); the fifth failure in a row, and every attempt
  while locked → 423 `{"message": "…请于 HH:MM:SS 后再试…", "detail": {"locked_until": iso}}`;
  a disabled account (right password) → 403; a bad device token → 401 (no `detail`).
- Later requests send `X-Hallclient-Session: <session>` beside the device token; a session is
  valid on the device that opened it only, until `expires_at` or sign-out.
- `POST /api/v1/auth/sign-out` → 204 (also when the session had already ended).
- `GET /api/v1/auth/me` → the signed-in person (401 when the session is missing or over).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from hallclient.central.answers import error
from hallclient.central.deps import ActorDep, PrincipalDep, SessionDep, SessionHeader
from hallclient.central.people_schemas import SignInBody, SignInOut, UserOut
from hallclient.central.schemas import ErrorOut
from hallclient.central.signin import (
    AccountLocked,
    SignInRefused,
    WrongCredentials,
    sign_in,
    sign_out,
)

router = APIRouter()


@router.post(
    "/auth/sign-in", response_model=SignInOut, tags=["auth"],
    summary="Sign a person in on this device",
    description=__doc__.split("relies on (hallclient.sync.auth_client):", 1)[1].strip(),  # type: ignore[union-attr]
    responses={401: {"model": ErrorOut, "description": "wrong login or password; detail.remaining"},
               403: {"model": ErrorOut, "description": "the account is disabled"},
               423: {"model": ErrorOut, "description": "locked after too many wrong passwords; detail.locked_until"}})
def post_sign_in(body: SignInBody, request: Request, session: SessionDep, device: PrincipalDep):  # type: ignore[no-untyped-def]
    state = request.app.state
    try:
        done = sign_in(session, state.keys.audit, state.auth, login=body.login, password=body.password,
                       window=device.window_number)
    except SignInRefused as exc:
        session.commit()  # the failure count and its audit record stay
        detail: dict[str, object] | None = None
        if isinstance(exc, WrongCredentials):
            detail = {"remaining": exc.remaining}
        elif isinstance(exc, AccountLocked):
            detail = {"locked_until": exc.until.isoformat(timespec="seconds")}
        return error(exc.status, str(exc), detail)
    session.commit()
    user = done.user
    return SignInOut(session=done.session, expires_at=done.expires_at.isoformat(timespec="seconds"),
                     user=UserOut(login=user.login, name=user.name, roles=[r.value for r in user.roles],
                                  departments=list(user.departments)),
                     window_number=done.window_number)


@router.post("/auth/sign-out", status_code=204, tags=["auth"], summary="End the person's session")
def post_sign_out(request: Request, session: SessionDep, device: PrincipalDep,
                  session_token: SessionHeader = None) -> Response:
    if session_token:
        sign_out(session, request.app.state.keys.audit, session_token, device.window_number)
        session.commit()
    return Response(status_code=204)


@router.get("/auth/me", response_model=UserOut, tags=["auth"], summary="The person signed in on this device",
            responses={401: {"model": ErrorOut, "description": "no valid session"}})
def get_me(actor: ActorDep) -> UserOut:
    if not actor.login:
        raise HTTPException(401, "请先登录")
    return UserOut(login=actor.login, name=actor.name, roles=sorted(r.value for r in actor.roles),
                   departments=list(actor.departments))
