"""Person accounts on the central: one per person, several roles, Argon2id passwords.

Every change is checked against the permission table (only a 系统管理员 manages accounts, except
the very first account of an empty table, which must itself be an administrator) and recorded in
the central's audit chain in the same transaction. The API (routes_users) and the command line
(`hallclient central users …`) both call these functions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from hallclient.central import audit_log
from hallclient.central.models import PersonSession, User
from hallclient.core.permissions import Action, Actor, Role, parse_role, require
from hallclient.security.passwords import check_strength, hash_password

USERS = User.__table__
SESSIONS = PersonSession.__table__
LOGIN_PATTERN = r"^[A-Za-z0-9_.@-]{1,64}$"
_LOGIN = re.compile(LOGIN_PATTERN)


class BadUserInput(ValueError):
    """Input refused; `field` names what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class UserExists(ValueError):
    pass


class UserNotFound(LookupError):
    pass


@dataclass(frozen=True)
class UserInfo:
    login: str
    name: str
    roles: tuple[Role, ...]
    departments: tuple[str, ...]
    disabled: bool
    locked_until: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"login": self.login, "name": self.name, "roles": [r.value for r in self.roles],
                "departments": list(self.departments), "disabled": self.disabled,
                "locked_until": self.locked_until}

    def actor(self, window_number: str) -> Actor:
        return Actor(login=self.login, name=self.name, roles=frozenset(self.roles),
                     departments=self.departments, window_number=window_number)


def info_from_row(row: Any) -> UserInfo:
    roles = tuple(Role(r) for r in json.loads(row.roles) if r in Role._value2member_map_)
    return UserInfo(row.login, row.name, roles, tuple(json.loads(row.departments)), bool(row.disabled),
                    row.locked_until)


def check_login(login: str) -> str:
    if not _LOGIN.fullmatch(login or ""):
        raise BadUserInput("login", "登录名无效：须为 1–64 位字母、数字或 _ . @ -")
    return login


def check_roles(roles: Iterable[str], departments: Iterable[str]) -> tuple[list[Role], list[str]]:
    try:
        parsed = list(dict.fromkeys(parse_role(r) for r in roles))
    except ValueError as exc:
        raise BadUserInput("role", str(exc)) from None
    if not parsed:
        raise BadUserInput("role", "至少需要一个角色（--role）")
    depts = list(dict.fromkeys(d.strip() for d in departments if d and d.strip()))
    if any(len(d) > 200 for d in depts):
        raise BadUserInput("department", "部门名称过长（最多 200 字）")
    if Role.CHIEF in parsed and not depts:
        raise BadUserInput("department", "首席代表须指定所属部门（--department）")
    return parsed, depts


def _check_password(password: str) -> None:
    try:
        check_strength(password)
    except ValueError as exc:
        raise BadUserInput("password", f"密码不符合要求：{exc}") from None


def count_users(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(USERS)).scalar_one())


def get_user(session: Session, login: str) -> UserInfo:
    row = session.execute(select(USERS).where(USERS.c.login == login)).first()
    if row is None:
        raise UserNotFound(f"没有账号 {login}")
    return info_from_row(row)


def list_users(session: Session) -> list[UserInfo]:
    return [info_from_row(row) for row in session.execute(select(USERS).order_by(USERS.c.login))]


def _audit(session: Session, key: bytes, actor: Actor | None, kind: str, detail: dict[str, Any]) -> None:
    audit_log.append(session, key, actor=actor.login if actor else "bootstrap",
                     roles=sorted(r.value for r in actor.roles) if actor else [],
                     window=actor.window_number if actor else "", kind=kind, detail=detail)


def add_user(session: Session, audit_key: bytes, actor: Actor | None, *, login: str, name: str,
             roles: Iterable[str], departments: Iterable[str], password: str, now: str) -> UserInfo:
    """`actor` None only for the first account of an empty table, which must be an administrator."""
    check_login(login)
    parsed, depts = check_roles(roles, departments)
    if len(name) > 100:
        raise BadUserInput("name", "姓名过长（最多 100 字）")
    _check_password(password)
    if actor is None:
        if count_users(session):
            require(Actor("", "", frozenset()), Action.USERS_MANAGE)  # raises, naming 系统管理员
        if Role.ADMIN not in parsed:
            raise BadUserInput("role", "第一个账号必须是系统管理员（--role admin）")
    else:
        require(actor, Action.USERS_MANAGE)
    if session.execute(select(USERS.c.login).where(USERS.c.login == login)).first() is not None:
        raise UserExists(f"账号 {login} 已存在")
    session.execute(USERS.insert().values(
        login=login, name=name or login, roles=json.dumps([r.value for r in parsed]),
        departments=json.dumps(depts, ensure_ascii=False), password_hash=hash_password(password),
        disabled=False, failed_count=0, locked_until=None, created_at=now, updated_at=now))
    _audit(session, audit_key, actor, "user.add",
           {"login": login, "roles": [r.value for r in parsed], "departments": depts})
    return get_user(session, login)


def _change(session: Session, login: str, values: dict[str, Any]) -> None:
    done = session.execute(update(USERS).where(USERS.c.login == login).values(**values)).rowcount
    if not done:
        raise UserNotFound(f"没有账号 {login}")


def disable_user(session: Session, audit_key: bytes, actor: Actor, login: str, now: str) -> UserInfo:
    require(actor, Action.USERS_MANAGE)
    if login == actor.login:
        raise BadUserInput("login", "不能停用自己正在使用的账号")
    _change(session, login, {"disabled": True, "updated_at": now})
    session.execute(SESSIONS.delete().where(SESSIONS.c.login == login))  # signed out everywhere
    _audit(session, audit_key, actor, "user.disable", {"login": login})
    return get_user(session, login)


def enable_user(session: Session, audit_key: bytes, actor: Actor, login: str, now: str) -> UserInfo:
    require(actor, Action.USERS_MANAGE)
    _change(session, login, {"disabled": False, "failed_count": 0, "locked_until": None, "updated_at": now})
    _audit(session, audit_key, actor, "user.enable", {"login": login})
    return get_user(session, login)


def reset_password(session: Session, audit_key: bytes, actor: Actor, login: str, password: str,
                   now: str) -> UserInfo:
    """By an administrator; also unlocks the account and ends its sessions."""
    require(actor, Action.USERS_MANAGE)
    _check_password(password)
    _change(session, login, {"password_hash": hash_password(password), "failed_count": 0,
                             "locked_until": None, "updated_at": now})
    session.execute(SESSIONS.delete().where(SESSIONS.c.login == login))
    _audit(session, audit_key, actor, "user.password", {"login": login})
    return get_user(session, login)


def set_roles(session: Session, audit_key: bytes, actor: Actor, login: str, roles: Iterable[str],
              departments: Iterable[str], now: str) -> UserInfo:
    require(actor, Action.USERS_MANAGE)
    parsed, depts = check_roles(roles, departments)
    if login == actor.login and Role.ADMIN not in parsed:
        raise BadUserInput("role", "不能去掉自己的系统管理员角色：请由另一位系统管理员操作")
    _change(session, login, {"roles": json.dumps([r.value for r in parsed]),
                             "departments": json.dumps(depts, ensure_ascii=False), "updated_at": now})
    _audit(session, audit_key, actor, "user.roles",
           {"login": login, "roles": [r.value for r in parsed], "departments": depts})
    return get_user(session, login)
