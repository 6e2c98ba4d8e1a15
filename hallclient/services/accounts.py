"""People: accounts, sign-in (online and offline), lockout, lock and unlock, switching users.

Accounts live where the catalog comes from: on the central when the window has one (the
window then keeps, per person who signed in here online, a local Argon2id verifier that lets
them sign in while the central is down, until it expires), in the local database when the window
runs standalone. Five wrong passwords lock sign-in for a while, online (the central counts) and
offline (this window counts).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from hallclient.core.permissions import ROLE_LABELS, Action, Actor, Role, parse_role, require
from hallclient.security import passwords
from hallclient.services import audit
from hallclient.services.changes import Changes, Result
from hallclient.services.context import ServiceContext
from hallclient.store.models import SignInAttemptRow, UserRow

USERS = cast(Table, UserRow.__table__)
ATTEMPTS = cast(Table, SignInAttemptRow.__table__)
LOGIN_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


class SignInFailed(Exception):
    """A sign-in that did not succeed; the message says why in words a clerk can act on."""


class BadAccountInput(ValueError):
    """An account field that is not acceptable; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class UserInfo:
    login: str
    name: str
    roles: tuple[Role, ...]
    departments: tuple[str, ...]
    disabled: bool
    source: str

    def to_json(self) -> dict[str, Any]:
        return {"login": self.login, "name": self.name, "roles": [r.value for r in self.roles],
                "departments": list(self.departments), "disabled": self.disabled, "source": self.source}


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    offline: bool = False  # checked against this window's verifier, the central unreachable
    session_token: str | None = None  # the central's session, when signed in online


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def check_login(login: str) -> str:
    value = login.strip().lower()
    if not value or len(value) > 64 or set(value) - LOGIN_CHARS:
        raise BadAccountInput("login", "登录名须为 1–64 位小写字母、数字或 . _ -")
    return value


def _roles(texts: list[str] | tuple[str, ...]) -> tuple[Role, ...]:
    if not texts:
        raise BadAccountInput("role", "至少要有一个角色")
    try:
        roles = {parse_role(t) for t in texts}
    except ValueError as exc:
        raise BadAccountInput("role", str(exc)) from None
    return tuple(r for r in Role if r in roles)


def _info(row: Any) -> UserInfo:
    return UserInfo(row.login, row.name, tuple(Role(r) for r in json.loads(row.roles)),
                    tuple(json.loads(row.departments)), bool(row.disabled), row.source)


def actor_of(info: UserInfo, window: str) -> Actor:
    return Actor(login=info.login, name=info.name or info.login, roles=frozenset(info.roles),
                 departments=info.departments, window_number=window)


def _local_count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(USERS)
                               .where(USERS.c.source == "local")).scalar_one())


def needs_first_admin(ctx: ServiceContext) -> bool:
    """A standalone window with no account yet: the first one is made without signing in."""
    with ctx.store.session() as session:
        return _local_count(session) == 0


def add_user(ctx: ServiceContext, actor: Actor | None, login: str, *, name: str, roles: list[str],
             departments: list[str], password: str) -> Result[UserInfo]:
    """A local account. With no account at all, `actor` may be None and the account must be an
    administrator's; every later account needs an administrator."""
    login = check_login(login)
    role_set = _roles(roles)
    if Role.CHIEF in role_set and not [d for d in departments if d.strip()]:
        raise BadAccountInput("department", "首席代表须指定所属部门（--department）")
    try:
        passwords.check_strength(password)
    except passwords.WeakPassword as exc:
        raise BadAccountInput("password", str(exc)) from None
    digest = passwords.hash_password(password)
    now = _iso(ctx.clock())
    with ctx.store.session() as session, session.begin():
        first = _local_count(session) == 0
        if first:
            if Role.ADMIN not in role_set:
                raise BadAccountInput("role", "第一个账号必须是系统管理员（--role admin）")
        elif actor is None:
            raise SignInFailed("请先以系统管理员身份登录（HALLCLIENT_USER / HALLCLIENT_PASSWORD）")
        else:
            require(actor, Action.USERS_MANAGE)
        if session.execute(select(USERS.c.login).where(USERS.c.login == login)).first():
            raise BadAccountInput("login", f"登录名 {login} 已存在")
        session.execute(insert(USERS).values(
            login=login, name=name.strip() or login, roles=json.dumps([r.value for r in role_set]),
            departments=json.dumps([d.strip() for d in departments if d.strip()], ensure_ascii=False),
            password_hash=digest, source="local", disabled=False, verified_at=None,
            created_at=now, updated_at=now))
        audit.append(session, ctx.audit_key, actor, "user_added", window=ctx.window_number, at=now,
                     login=actor.login if actor else login,
                     detail={"login": login, "roles": [r.value for r in role_set], "first": first})
        row = session.execute(select(USERS).where(USERS.c.login == login)).one()
    return Result(_info(row), Changes(users=True, audit=True, outbox=True))


def list_users(ctx: ServiceContext, actor: Actor) -> list[UserInfo]:
    require(actor, Action.USERS_MANAGE)
    with ctx.store.session() as session:
        rows = session.execute(select(USERS).where(USERS.c.source == "local").order_by(USERS.c.login))
        return [_info(r) for r in rows]


def _change(ctx: ServiceContext, actor: Actor, login: str, kind: str, values: dict[str, Any],
            detail: dict[str, Any]) -> Result[UserInfo]:
    require(actor, Action.USERS_MANAGE)
    login = check_login(login)
    now = _iso(ctx.clock())
    with ctx.store.session() as session, session.begin():
        done = cast(CursorResult[Any], session.execute(update(USERS).where(USERS.c.login == login, USERS.c.source == "local")
                               .values(updated_at=now, **values))).rowcount
        if not done:
            raise BadAccountInput("login", f"没有账号 {login}")
        if kind == "password_reset":
            session.execute(delete(ATTEMPTS).where(ATTEMPTS.c.login == login))
        audit.append(session, ctx.audit_key, actor, kind, window=ctx.window_number, at=now,
                     detail={"login": login, **detail})
        row = session.execute(select(USERS).where(USERS.c.login == login)).one()
    return Result(_info(row), Changes(users=True, audit=True, outbox=True))


def disable_user(ctx: ServiceContext, actor: Actor, login: str) -> Result[UserInfo]:
    if check_login(login) == actor.login:
        raise BadAccountInput("login", "不能停用自己正在使用的账号")
    return _change(ctx, actor, login, "user_disabled", {"disabled": True}, {})


def reset_password(ctx: ServiceContext, actor: Actor, login: str, password: str) -> Result[UserInfo]:
    try:
        passwords.check_strength(password)
    except passwords.WeakPassword as exc:
        raise BadAccountInput("password", str(exc)) from None
    return _change(ctx, actor, login, "password_reset",
                   {"password_hash": passwords.hash_password(password), "disabled": False}, {})


def set_roles(ctx: ServiceContext, actor: Actor, login: str, roles: list[str],
              departments: list[str]) -> Result[UserInfo]:
    role_set = _roles(roles)
    if Role.CHIEF in role_set and not [d for d in departments if d.strip()]:
        raise BadAccountInput("department", "首席代表须指定所属部门（--department）")
    depts = [d.strip() for d in departments if d.strip()]
    return _change(ctx, actor, login, "roles_changed",
                   {"roles": json.dumps([r.value for r in role_set]),
                    "departments": json.dumps(depts, ensure_ascii=False)},
                   {"roles": [r.value for r in role_set], "departments": depts})


# -- sign-in -------------------------------------------------------------------------------------


def _locked_until(session: Session, login: str, now: datetime) -> datetime | None:
    until = session.execute(select(ATTEMPTS.c.locked_until).where(ATTEMPTS.c.login == login)).scalar()
    if until and datetime.fromisoformat(until) > now:
        return datetime.fromisoformat(until)
    return None


def _count_failure(session: Session, ctx: ServiceContext, login: str, now: datetime) -> tuple[int, datetime | None]:
    """One more wrong password; returns (failures so far, locked until)."""
    row = session.execute(select(ATTEMPTS).where(ATTEMPTS.c.login == login)).first()
    count = (row.failed_count if row else 0) + 1
    until = now + timedelta(minutes=ctx.settings.signin_lock_minutes) \
        if count >= ctx.settings.signin_max_failures else None
    values = {"failed_count": 0 if until else count, "locked_until": _iso(until) if until else None}
    if row:
        session.execute(update(ATTEMPTS).where(ATTEMPTS.c.login == login).values(**values))
    else:
        session.execute(insert(ATTEMPTS).values(login=login, **values))
    return count, until


def _fail(ctx: ServiceContext, login: str, now: datetime, reason: str) -> SignInFailed:
    with ctx.store.session() as session, session.begin():
        count, until = _count_failure(session, ctx, login, now)
        at = _iso(now)
        audit.append(session, ctx.audit_key, None, "sign_in_failed", window=ctx.window_number, at=at,
                     login=login, detail={"reason": reason})
        if until:
            audit.append(session, ctx.audit_key, None, "sign_in_locked", window=ctx.window_number, at=at,
                         login=login, detail={"until": _iso(until)})
    if until:
        return SignInFailed(f"密码连续错误 {ctx.settings.signin_max_failures} 次，"
                            f"登录已锁定至 {until:%H:%M}，请稍后再试或联系管理员")
    left = ctx.settings.signin_max_failures - count
    return SignInFailed(f"用户名或密码错误（还可尝试 {left} 次）")


def _succeed(ctx: ServiceContext, session: Session, info: UserInfo, now: datetime, *, offline: bool,
             kind: str = "sign_in") -> Actor:
    session.execute(delete(ATTEMPTS).where(ATTEMPTS.c.login == info.login))
    actor = actor_of(info, ctx.window_number)
    audit.append(session, ctx.audit_key, actor, kind, window=ctx.window_number, at=_iso(now),
                 detail={"offline": offline, "source": info.source})
    return actor


def sign_in(ctx: ServiceContext, login: str, password: str, *, kind: str = "sign_in") -> SignedIn:
    """Sign a person in: at the central when there is one (falling back to this window's
    verifier when it cannot be reached), else against the local account."""
    try:
        login = check_login(login)
    except BadAccountInput:
        raise SignInFailed("用户名或密码错误") from None
    now = ctx.clock()
    with ctx.store.session() as session:
        until = _locked_until(session, login, now)
        row = session.execute(select(USERS).where(USERS.c.login == login)).first()
    if until:
        raise SignInFailed(f"登录已锁定至 {until:%H:%M}（密码连续错误），请稍后再试或联系管理员")
    if ctx.has_central:
        return _sign_in_central(ctx, login, password, now, row, kind)
    if row is None or row.source != "local" or not row.password_hash \
            or not passwords.verify_password(row.password_hash, password):
        raise _fail(ctx, login, now, "wrong_password")
    if row.disabled:
        raise SignInFailed("该账号已停用，请联系系统管理员")
    with ctx.store.session() as session, session.begin():
        actor = _succeed(ctx, session, _info(row), now, offline=False, kind=kind)
    return SignedIn(actor)


def _sign_in_central(ctx: ServiceContext, login: str, password: str, now: datetime, row: Any,
                     kind: str) -> SignedIn:
    from hallclient.sync import auth_client

    settings = ctx.settings
    auth_client.use_ca_file(settings.central_url, getattr(settings, "central_ca_file", "") or None)
    try:
        answer = auth_client.sign_in(settings.central_url, settings.central_token, login, password, timeout=5.0)
    except auth_client.WrongPassword as exc:
        _fail(ctx, login, now, "wrong_password_central")  # counted here too: offline sign-in obeys it
        raise SignInFailed(str(exc) or "用户名或密码错误") from None
    except auth_client.AccountLocked as exc:
        raise SignInFailed(str(exc) or "登录已锁定，请稍后再试") from None
    except auth_client.AccountDisabled:
        raise SignInFailed("该账号已停用，请联系系统管理员") from None
    except auth_client.CentralUnreachable:
        return _sign_in_offline(ctx, login, password, now, row, kind)
    except auth_client.CentralError as exc:  # the device token refused, the central failing…
        raise SignInFailed(f"中心服务拒绝登录：{exc}") from None
    info = UserInfo(login, answer.name or login, _roles(list(answer.roles)), tuple(answer.departments),
                    False, "central")
    digest = passwords.hash_password(password)  # this window's offline verifier
    at = _iso(now)
    values = {"name": info.name, "roles": json.dumps([r.value for r in info.roles]),
              "departments": json.dumps(list(info.departments), ensure_ascii=False),
              "password_hash": digest, "source": "central", "disabled": False,
              "verified_at": at, "updated_at": at}
    with ctx.store.session() as session, session.begin():
        if session.execute(select(USERS.c.login).where(USERS.c.login == login)).first():
            session.execute(update(USERS).where(USERS.c.login == login).values(**values))
        else:
            session.execute(insert(USERS).values(login=login, created_at=at, **values))
        actor = _succeed(ctx, session, info, now, offline=False, kind=kind)
    if answer.window_number:  # the central's word: the window of this device's account
        actor = replace(actor, window_number=answer.window_number)
    remember_session(ctx, login, answer.session)
    if Role.CHIEF in info.roles:
        _pull_authorisation(ctx, login, answer.session)
    return SignedIn(actor, session_token=answer.session)


def remember_session(ctx: ServiceContext, login: str, session: str | None) -> None:
    """The central session of a person signed in online here, for services that ask the central
    on their behalf (a pre-review taken up from another window: services.prereview.for_intake)."""
    sessions = ctx.__dict__.setdefault("_central_sessions", {})
    if session:
        sessions[login] = session
    else:
        sessions.pop(login, None)


def central_session(ctx: ServiceContext, login: str) -> str | None:
    found = ctx.__dict__.get("_central_sessions", {}).get(login)
    return found if isinstance(found, str) else None


def _pull_authorisation(ctx: ServiceContext, login: str, session: str) -> None:
    """A chief representative's current 授权书 from the central, kept here for offline decisions;
    a failure leaves the copy this window has (the sign-in succeeds all the same)."""
    import logging

    from hallclient.sync.client import CentralClient, CentralError
    from hallclient.sync.inbox_pull import pull_authorisation

    try:
        with CentralClient(ctx.settings.central_url, ctx.settings.central_token, timeout=(3.05, 5.0),
                           ca_file=getattr(ctx.settings, "central_ca_file", "") or None) as client:
            pull_authorisation(ctx.store, client, session, login)
    except CentralError as exc:
        logging.getLogger("hallclient.accounts").warning("authorisation of %s not pulled: %s", login, exc)


def _sign_in_offline(ctx: ServiceContext, login: str, password: str, now: datetime, row: Any,
                     kind: str) -> SignedIn:
    if row is None or row.source != "central" or not row.password_hash or not row.verified_at:
        raise SignInFailed("中心服务无法连接，且您此前未在本窗口在线登录过，无法离线登录")
    age = now - datetime.fromisoformat(row.verified_at)
    if age > timedelta(days=ctx.settings.offline_verifier_days):
        raise SignInFailed(f"中心服务无法连接；本窗口的离线登录凭据已过期"
                           f"（超过 {ctx.settings.offline_verifier_days} 天未在线登录），请待中心恢复后登录")
    if not passwords.verify_password(row.password_hash, password):
        raise _fail(ctx, login, now, "wrong_password_offline")
    if row.disabled:
        raise SignInFailed("该账号已停用，请联系系统管理员")
    with ctx.store.session() as session, session.begin():
        actor = _succeed(ctx, session, _info(row), now, offline=True, kind=kind)
    return SignedIn(actor, offline=True)


def sign_out(ctx: ServiceContext, actor: Actor) -> Changes:
    remember_session(ctx, actor.login, None)
    return audit.record(ctx, actor, "sign_out")


def lock(ctx: ServiceContext, actor: Actor, *, idle: bool) -> Changes:
    return audit.record(ctx, actor, "lock", detail={"idle": idle})


def unlock(ctx: ServiceContext, current: Actor, login: str, password: str) -> SignedIn:
    """Unlock the locked screen. The same person's password unlocks (checked against this
    window's verifier, no network needed); another person unlocking is a switch of user."""
    try:
        login = check_login(login)
    except BadAccountInput:
        raise SignInFailed("用户名或密码错误") from None
    if login != current.login:  # another person at the locked screen: a switch of user
        return switch_user(ctx, current, login, password)
    now = ctx.clock()
    with ctx.store.session() as session:
        until = _locked_until(session, login, now)
        row = session.execute(select(USERS).where(USERS.c.login == login)).first()
    if until:
        raise SignInFailed(f"登录已锁定至 {until:%H:%M}（密码连续错误），请稍后再试或联系管理员")
    if row is None or not row.password_hash or not passwords.verify_password(row.password_hash, password):
        raise _fail(ctx, login, now, "wrong_password_unlock")
    with ctx.store.session() as session, session.begin():
        session.execute(delete(ATTEMPTS).where(ATTEMPTS.c.login == login))
        audit.append(session, ctx.audit_key, current, "unlock", window=ctx.window_number, at=_iso(now))
    return SignedIn(current)


def switch_user(ctx: ServiceContext, current: Actor | None, login: str, password: str) -> SignedIn:
    """切换用户 at a shift change: the next person signs in; both ends are recorded."""
    signed = sign_in(ctx, login, password, kind="switch_user")
    if current is not None:
        audit.record(ctx, current, "sign_out", detail={"switched_to": signed.actor.login})
    return signed


def role_names(roles: tuple[Role, ...] | frozenset[Role]) -> str:
    return "、".join(ROLE_LABELS[r] for r in Role if r in roles)
