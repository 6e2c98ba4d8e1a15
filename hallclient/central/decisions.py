"""A chief representative's decision on a case, as the central takes it from any window.

The chief representative works at their own client, so the decision event arrives from a device
that is not the accepting window. The central takes it only when `data.chief` names a person who
holds the chief representative role for every department of the case's items, has signed in on
that device before, and has an authorisation valid on the day of the decision that covers the
case (for 准予 / 不予许可 also its items and on-site approval); otherwise `PermissionDenied` naming
the role that may. Two decisions on one case from two places: the first to arrive wins; the
second is kept with a note (`superseded`), never applied, and answered as a conflict.

Feed numbers (`case_feed`, hallclient.central.approval_schema) order what windows pull back.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from hallclient.central.authorisations import current
from hallclient.core.approval import Authorisation
from hallclient.core.cases import CASE_STATE_LABELS, CaseState
from hallclient.core.permissions import ROLE_LABELS, Action, PermissionDenied, Role

DECISION_KINDS = frozenset({"approved", "denied", "sent_back", "to_back_office", "extended"})
_DECIDABLE = ("accepted", "in_approval")
FROM_STATES: dict[str, tuple[str, ...]] = {
    "approved": _DECIDABLE, "denied": _DECIDABLE, "sent_back": _DECIDABLE, "to_back_office": _DECIDABLE,
    "extended": (*_DECIDABLE, "awaiting_supplement"),
}
KIND_LABELS = {"approved": "准予", "denied": "不予许可", "sent_back": "退回窗口", "to_back_office": "转后台审批",
               "extended": "延长期限"}


def bump_feed(session: Session) -> int:
    """The next feed number, inside the caller's transaction (the counter row stays locked)."""
    done = session.execute(text("UPDATE central_sequences SET value = value + 1 WHERE name = 'case_feed'")).rowcount
    if not done:
        session.execute(text("INSERT INTO central_sequences (name, value) VALUES ('case_feed', 1)"))
    return int(session.execute(text("SELECT value FROM central_sequences WHERE name = 'case_feed'")).scalar_one())


def feed_position(session: Session) -> int:
    value = session.execute(text("SELECT value FROM central_sequences WHERE name = 'case_feed'")).scalar()
    return int(value or 0)


@dataclass(frozen=True)
class _Item:
    code: str
    name: str
    department: str
    on_site_approval: bool


def _items(session: Session, case_uuid: str) -> list[_Item]:
    rows = session.execute(text(
        "SELECT ci.item_code AS code, i.name AS name, i.department AS department, i.on_site_approval AS on_site "
        "FROM case_items ci LEFT JOIN service_items i ON i.code = ci.item_code WHERE ci.case_uuid = :c"),
        {"c": case_uuid})
    return [_Item(r.code, r.name or r.code, r.department or "", bool(r.on_site)) for r in rows]


def _day(at: str) -> date:
    try:
        return datetime.fromisoformat(at.upper().replace("Z", "+00:00")).date()
    except ValueError:
        return date.today()


def check_chief(session: Session, *, kind: str, data: dict[str, Any], at: str, case_uuid: str,
                pushed_by: str) -> Authorisation:
    """The authorisation the decision was taken under, or PermissionDenied naming the role."""
    items = _items(session, case_uuid)
    depts = sorted({i.department for i in items if i.department})
    action = Action.CASE_SEND_BACK if kind == "sent_back" else Action.CASE_APPROVE
    needed = f"{ROLE_LABELS[Role.CHIEF]}（{'、'.join(depts)}）" if depts else ROLE_LABELS[Role.CHIEF]
    chief = data.get("chief")
    if not isinstance(chief, str) or not chief:
        raise PermissionDenied(action, needed, "决定未注明首席代表")
    row = session.execute(text("SELECT roles, departments, disabled FROM users WHERE login = :l"),
                          {"l": chief}).first()
    if row is None or row.disabled or Role.CHIEF.value not in json.loads(row.roles):
        raise PermissionDenied(action, needed, f"{chief} 不是有效的首席代表账号")
    if not set(depts) <= set(json.loads(row.departments)):
        raise PermissionDenied(action, needed, f"{chief} 不是这些部门的首席代表")
    signed_here = session.execute(text("SELECT 1 FROM audit_log WHERE kind = 'signin' AND actor = :l "
                                       "AND window = :w LIMIT 1"), {"l": chief, "w": pushed_by}).first()
    if signed_here is None:
        raise PermissionDenied(action, needed, f"{chief} 从未在 {pushed_by} 号设备登录")
    auth = current(session, chief)
    if auth is None:
        raise PermissionDenied(action, needed, f"{chief} 没有有效的首席代表授权书")
    day = _day(at)
    on_site = kind in ("approved", "denied")
    checked = auth if on_site else dataclasses.replace(auth, item_codes=())
    for item in items:
        problem = checked.why_not(item, day)  # type: ignore[arg-type]  # duck-typed ServiceItem
        if problem:
            raise PermissionDenied(action, needed, problem)
        if on_site and not item.on_site_approval:
            raise PermissionDenied(action, needed, f"事项「{item.name}」不能当场办结")
    return auth


def superseded_note(session: Session, case_uuid: str, state: str, kind: str) -> str | None:
    """Why this decision cannot take effect (the case was decided first elsewhere), or None."""
    if kind not in FROM_STATES or state in FROM_STATES[kind]:
        return None
    first = session.execute(text(
        "SELECT kind, payload, pushed_by, at FROM central_case_events WHERE case_uuid = :c AND superseded IS NULL "
        "AND kind IN ('approved', 'denied', 'sent_back', 'to_back_office') ORDER BY feed_seq DESC LIMIT 1"),
        {"c": case_uuid}).first()
    label = CASE_STATE_LABELS[CaseState(state)] if state in CaseState._value2member_map_ else state
    if first is None:
        return f"办件在中心已为「{label}」，本「{KIND_LABELS[kind]}」决定未生效，已保留备查"
    who = json.loads(first.payload).get("data", {}).get("chief_name") or "另一位首席代表"
    return (f"中心已先收到{who}在 {first.pushed_by} 号设备作出的「{KIND_LABELS.get(first.kind, first.kind)}」决定"
            f"（{first.at}），办件已为「{label}」；本「{KIND_LABELS[kind]}」决定未生效，已保留备查")
