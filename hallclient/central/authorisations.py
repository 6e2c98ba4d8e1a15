"""Chief representatives' authorisations (授权书) kept by the central, in numbered versions.

An administrator records a new version (never an edit of an old one); the chief representative
and the hall's supervisors read them; windows pull the signed-in chief's current version so the
window's own check (hallclient.services.approval) works offline too. The central checks the
same authorisation again when a chief's decision on another window's case arrives
(hallclient.central.decisions). Each new version is recorded in the central's audit chain.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from hallclient.central import audit_log
from hallclient.core.approval import Authorisation
from hallclient.core.permissions import Action, Actor, PermissionDenied, Role, require


class BadAuthorisation(ValueError):
    """Input refused; `field` names what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _decode(data: str) -> Authorisation:
    return Authorisation.from_json(json.loads(data))


def current(session: Session, login: str) -> Authorisation | None:
    data = session.execute(text("SELECT data FROM central_authorisations WHERE login = :l "
                                "ORDER BY version DESC LIMIT 1"), {"l": login}).scalar()
    return _decode(data) if data else None


def versions(session: Session, login: str) -> list[Authorisation]:
    rows = session.execute(text("SELECT data FROM central_authorisations WHERE login = :l ORDER BY version"),
                           {"l": login}).scalars()
    return [_decode(d) for d in rows]


def may_read(actor: Actor, login: str) -> None:
    """The chief representative themself, a supervisor or an administrator."""
    if actor.login == login or actor.has(Role.SUPERVISOR) or actor.has(Role.ADMIN):
        return
    raise PermissionDenied(Action.CASE_READ, "本人、大厅管理人员或系统管理员", "查看授权书")


def _date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BadAuthorisation(field, f"{field}：须为日期 YYYY-MM-DD") from None


def set_authorisation(session: Session, audit_key: bytes, actor: Actor, login: str, *,
                      departments: list[str], item_codes: list[str] | None = None, valid_from: Any = None,
                      valid_to: Any = None, note: str = "", at: str | None = None) -> Authorisation:
    """Record the next version of `login`'s authorisation (an administrator; the caller commits)."""
    require(actor, Action.USERS_MANAGE)
    row = session.execute(text("SELECT roles, departments FROM users WHERE login = :l"), {"l": login}).first()
    if row is None:
        raise BadAuthorisation("login", f"没有账号 {login}")
    roles, held = json.loads(row.roles), json.loads(row.departments)
    if Role.CHIEF.value not in roles:
        raise BadAuthorisation("login", f"{login} 不是首席代表，不能为其登记授权书")
    depts = [d.strip() for d in departments if d and d.strip()]
    if not depts:
        raise BadAuthorisation("departments", "授权书须列明部门")
    outside = [d for d in depts if d not in held]
    if outside:
        raise BadAuthorisation("departments", f"{login} 不是这些部门的首席代表：{'、'.join(outside)}")
    start, end = _date(valid_from, "valid_from"), _date(valid_to, "valid_to")
    if start and end and end < start:
        raise BadAuthorisation("valid_to", "授权书的截止日期早于生效日期")
    last = session.execute(text("SELECT max(version) FROM central_authorisations WHERE login = :l"),
                           {"l": login}).scalar()
    saved = Authorisation(login=login, version=int(last or 0) + 1, departments=tuple(depts),
                          item_codes=tuple(c.strip() for c in item_codes or [] if c and c.strip()),
                          valid_from=start, valid_to=end, note=(note or "").strip()[:500])
    now = at or audit_log.now_text()
    session.execute(text("INSERT INTO central_authorisations (login, version, data, created_by, created_at) "
                         "VALUES (:l, :v, :d, :b, :a)"),
                    {"l": login, "v": saved.version, "d": json.dumps(saved.to_json(), ensure_ascii=False),
                     "b": actor.login, "a": now})
    audit_log.append(session, audit_key, actor=actor.login, roles=sorted(r.value for r in actor.roles),
                     window=actor.window_number, kind="authorisation.set",
                     detail={"login": login, "version": saved.version, "departments": list(saved.departments),
                             "items": list(saved.item_codes)})
    return saved


def describe(auth: Authorisation) -> str:
    """One line a person reads (CLI)."""
    items = "、".join(auth.item_codes) if auth.item_codes else "所属部门可当场办结的全部事项"
    period = f"{auth.valid_from or '即日'} 起" + (f"至 {auth.valid_to}" if auth.valid_to else "，长期有效")
    return (f"{auth.login} 授权书第 {auth.version} 版：{'、'.join(auth.departments)}；事项：{items}；{period}"
            + (f"；{auth.note}" if auth.note else ""))
