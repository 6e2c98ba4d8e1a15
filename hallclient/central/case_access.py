"""Who reads which case on the central, and what of it they see.

A clerk reads the cases their window accepted; a chief representative the cases whose items
belong to one of their departments (the catalog's `service_items.department`); a supervisor
every case. The check is `hallclient.core.permissions.require`, the same table the window's
services use. Full ID numbers and phones leave only to roles in `FULL_PERSONAL_DATA`; every
read by a person is recorded in the audit chain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, false, or_, select, true
from sqlalchemy.orm import Session

from hallclient.central import audit_log
from hallclient.central.crypto import CaseCipher, for_reader
from hallclient.central.intake import CASE_ITEMS, CASES, EVENTS
from hallclient.core.permissions import Action, Actor, Role, require
from hallclient.store.catalog_repo import ITEMS

LIST_LIMIT = 500


class CaseNotFound(LookupError):
    pass


def _roles(actor: Actor) -> list[str]:
    return sorted(r.value for r in actor.roles)


def case_departments(session: Session, case_uuid: str) -> list[str]:
    rows = session.execute(select(ITEMS.c.department).distinct()
                           .join(CASE_ITEMS, CASE_ITEMS.c.item_code == ITEMS.c.code)
                           .where(CASE_ITEMS.c.case_uuid == case_uuid)).scalars()
    return sorted(d for d in rows if d)


def read_case(session: Session, cipher: CaseCipher, audit_key: bytes, actor: Actor,
              case_uuid: str) -> dict[str, Any]:
    """One case with its events, as `actor` may see it (PermissionDenied, CaseNotFound)."""
    row = session.execute(select(CASES).where(CASES.c.uuid == case_uuid)).first()
    if row is None:
        raise CaseNotFound(f"中心没有办件 {case_uuid}")
    departments = case_departments(session, case_uuid)
    require(actor, Action.CASE_READ, window=row.window_number, departments=departments)
    events = session.execute(select(EVENTS.c.payload).where(EVENTS.c.case_uuid == case_uuid)
                             .order_by(EVENTS.c.at, EVENTS.c.uuid)).scalars()
    shown = for_reader(cipher.open_text(row.payload), actor)
    audit_log.append(session, audit_key, actor=actor.login, roles=_roles(actor), window=actor.window_number,
                     kind="case.read", case_number=row.case_number,
                     detail={"uuid": case_uuid, "full_personal_data": actor.sees_full_personal_data})
    return {"uuid": row.uuid, "state": row.state, "window_number": row.window_number,
            "pushed_by": row.pushed_by, "received_at": row.received_at, "departments": departments,
            "warnings": json.loads(row.warnings) if row.warnings else [],
            "case": shown, "events": [json.loads(e) for e in events]}


@dataclass(frozen=True)
class CaseFilter:
    state: str | None = None
    window: str | None = None
    case_number: str | None = None
    applicant_id: str | None = None
    accepted_from: str | None = None
    accepted_to: str | None = None
    limit: int = 100
    offset: int = 0

    def described(self) -> dict[str, Any]:
        shown = {k: v for k, v in self.__dict__.items() if v not in (None, "") and k not in ("limit", "offset")}
        if "applicant_id" in shown:
            shown["applicant_id"] = "（按证件号查询）"  # never the number itself in the audit
        return shown


def _scope(actor: Actor) -> Any:
    """The rows `actor` may read, as a WHERE clause."""
    if actor.has(Role.SUPERVISOR):
        return None
    clauses = []
    if actor.has(Role.CLERK) and actor.window_number:
        clauses.append(CASES.c.window_number == actor.window_number)
    if actor.has(Role.CHIEF) and actor.departments:
        clauses.append(exists(select(CASE_ITEMS.c.case_uuid).join(ITEMS, ITEMS.c.code == CASE_ITEMS.c.item_code)
                              .where(CASE_ITEMS.c.case_uuid == CASES.c.uuid,
                                     ITEMS.c.department.in_(list(actor.departments)))))
    return or_(*clauses) if clauses else false()


def list_cases(session: Session, cipher: CaseCipher, audit_key: bytes, actor: Actor,
               wanted: CaseFilter) -> dict[str, Any]:
    """The cases `actor` may read that match `wanted`, newest first (PermissionDenied)."""
    require(actor, Action.CASE_READ)
    conditions = []
    scope = _scope(actor)
    if scope is not None:
        conditions.append(scope)
    if wanted.state:
        conditions.append(CASES.c.state == wanted.state)
    if wanted.window:
        conditions.append(CASES.c.window_number == wanted.window)
    if wanted.case_number:
        conditions.append(CASES.c.case_number == wanted.case_number)
    if wanted.applicant_id:
        conditions.append(CASES.c.applicant_id == cipher.blind(wanted.applicant_id))
    if wanted.accepted_from:
        conditions.append(CASES.c.accepted_on >= wanted.accepted_from)
    if wanted.accepted_to:
        conditions.append(CASES.c.accepted_on <= wanted.accepted_to)
    limit = max(1, min(wanted.limit, LIST_LIMIT))
    query = (select(CASES.c.uuid, CASES.c.case_number, CASES.c.window_number, CASES.c.state,
                    CASES.c.decision, CASES.c.applicant_name, CASES.c.accepted_on, CASES.c.payload)
             .where(and_(true(), *conditions))
             .order_by(CASES.c.accepted_on.desc(), CASES.c.case_number.desc())
             .limit(limit).offset(max(0, wanted.offset)))
    cases = []
    for row in session.execute(query):
        case = for_reader(cipher.open_id(json.loads(row.payload)), actor)  # the list shows no applicant object
        cases.append({"uuid": row.uuid, "case_number": row.case_number, "window_number": row.window_number,
                      "state": row.state, "decision": row.decision, "applicant_name": row.applicant_name,
                      "applicant_id": case.get("applicant_id", ""), "accepted_on": row.accepted_on,
                      "item_codes": case.get("item_codes", []), "item_names": case.get("item_names", [])})
    audit_log.append(session, audit_key, actor=actor.login, roles=_roles(actor), window=actor.window_number,
                     kind="case.list", detail={"filter": wanted.described(), "returned": len(cases)})
    return {"cases": cases, "limit": limit, "offset": max(0, wanted.offset)}

