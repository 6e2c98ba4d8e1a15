"""Routes: person accounts (a 系统管理员's session required; 403 naming 系统管理员 otherwise).

- `GET /api/v1/users` → `[{"login", "name", "roles", "departments", "disabled", "locked_until"}]`
- `POST /api/v1/users` `{"login", "name", "roles": [...], "departments": [...], "password"}` → 201
- `POST /api/v1/users/{login}/disable` → 200 the account (its sessions end)
- `POST /api/v1/users/{login}/enable` → 200 (also unlocks)
- `POST /api/v1/users/{login}/password` `{"password"}` → 200 (unlocks, ends its sessions)
- `POST /api/v1/users/{login}/roles` `{"roles": [...], "departments": [...]}` → 200

Bad input → 422 with `detail.field` naming the field (`login`, `role`, `department`,
`password`, `name`); an unknown login → 404; an existing login → 409. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import JSONResponse

from hallclient.central import people
from hallclient.central.answers import error
from hallclient.central.audit_log import now_text
from hallclient.central.deps import PERSON_RESPONSES, ActorDep, SessionDep
from hallclient.central.people_schemas import PasswordBody, RolesBody, UserAdminOut, UserCreate
from hallclient.central.schemas import ErrorOut

router = APIRouter()
LoginPath = Annotated[str, Path(pattern=people.LOGIN_PATTERN, description="the person's login")]
_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PERSON_RESPONSES, 404: {"model": ErrorOut, "description": "no such account"},
    422: {"model": ErrorOut, "description": "bad input; detail.field names it"}}
_ADD_RESPONSES: dict[int | str, dict[str, Any]] = {
    **_RESPONSES, 409: {"model": ErrorOut, "description": "the login exists"}}


def _out(user: people.UserInfo) -> UserAdminOut:
    return UserAdminOut(**user.to_json())


def _run(session: Any, change: Callable[[], people.UserInfo], status: int = 200) -> UserAdminOut | JSONResponse:
    try:
        user = change()
    except people.BadUserInput as exc:
        session.rollback()
        return error(422, str(exc), {"field": exc.field})
    except people.UserNotFound as exc:
        session.rollback()
        raise HTTPException(404, str(exc)) from None
    except people.UserExists as exc:
        session.rollback()
        raise HTTPException(409, str(exc)) from None
    session.commit()
    if status != 200:
        return JSONResponse(_out(user).model_dump(), status_code=status)
    return _out(user)


@router.get("/users", response_model=list[UserAdminOut], tags=["users"], summary="Person accounts (admin)",
            description=__doc__, responses=PERSON_RESPONSES)
def get_users(session: SessionDep, actor: ActorDep) -> list[UserAdminOut]:
    from hallclient.core.permissions import Action, require

    require(actor, Action.USERS_MANAGE)
    return [_out(user) for user in people.list_users(session)]


@router.post("/users", response_model=UserAdminOut, status_code=201, tags=["users"],
             summary="Add a person account (admin)", responses=_ADD_RESPONSES)
def post_user(body: UserCreate, request: Request, session: SessionDep, actor: ActorDep):  # type: ignore[no-untyped-def]
    key = request.app.state.keys.audit
    return _run(session, lambda: people.add_user(
        session, key, actor, login=body.login, name=body.name, roles=body.roles, departments=body.departments,
        password=body.password, now=now_text()), status=201)


@router.post("/users/{login}/disable", response_model=UserAdminOut, tags=["users"],
             summary="Disable a person account; its sessions end (admin)", responses=_RESPONSES)
def post_disable(login: LoginPath, request: Request, session: SessionDep, actor: ActorDep):  # type: ignore[no-untyped-def]
    key = request.app.state.keys.audit
    return _run(session, lambda: people.disable_user(session, key, actor, login, now_text()))


@router.post("/users/{login}/enable", response_model=UserAdminOut, tags=["users"],
             summary="Enable (and unlock) a person account (admin)", responses=_RESPONSES)
def post_enable(login: LoginPath, request: Request, session: SessionDep, actor: ActorDep):  # type: ignore[no-untyped-def]
    key = request.app.state.keys.audit
    return _run(session, lambda: people.enable_user(session, key, actor, login, now_text()))


@router.post("/users/{login}/password", response_model=UserAdminOut, tags=["users"],
             summary="Set a new password; unlocks the account and ends its sessions (admin)",
             responses=_RESPONSES)
def post_password(login: LoginPath, body: PasswordBody, request: Request, session: SessionDep,  # type: ignore[no-untyped-def]
                  actor: ActorDep):
    key = request.app.state.keys.audit
    return _run(session, lambda: people.reset_password(session, key, actor, login, body.password, now_text()))


@router.post("/users/{login}/roles", response_model=UserAdminOut, tags=["users"],
             summary="Replace a person's roles and departments (admin)", responses=_RESPONSES)
def post_roles(login: LoginPath, body: RolesBody, request: Request, session: SessionDep,  # type: ignore[no-untyped-def]
               actor: ActorDep):
    key = request.app.state.keys.audit
    return _run(session, lambda: people.set_roles(session, key, actor, login, body.roles, body.departments,
                                                  now_text()))
