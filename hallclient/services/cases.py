"""Cases: created, supplemented, returned, printed and read under the actor's permissions.

A clerk acts on the cases of their own window; a chief representative reads the cases of their
departments; a supervisor reads every case (with ID numbers and phones masked) and changes none.
Each write appends its audit record and outbox rows in the case's own transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallclient.core.cases import Applicant, Case, CaseDraft
from hallclient.core.permissions import Action, Actor, PermissionDenied, Role, require
from hallclient.documents.masking import mask_id_number, mask_phone
from hallclient.services import audit
from hallclient.services.changes import Changes, Result
from hallclient.services.context import ServiceContext
from hallclient.store import cases_repo, catalog_repo
from hallclient.store.cases_repo import CaseFilter, CaseNotFound, printed_documents

__all__ = ["CaseFilter", "CaseNotFound", "printed_documents"]  # re-exported for the window
from hallclient.store.models import ServiceItemRow

ITEMS = ServiceItemRow.__table__


def _departments(session: Session, codes: Sequence[str]) -> list[str]:
    rows = session.execute(select(ITEMS.c.code, ITEMS.c.department).where(ITEMS.c.code.in_(list(codes))))
    return [row.department for row in rows]


def masked_applicant(a: Applicant) -> Applicant:
    return dataclasses.replace(a, id_number=mask_id_number(a.id_number), phone=mask_phone(a.phone),
                               agent_id_number=mask_id_number(a.agent_id_number))


def masked(case: Case) -> Case:
    """The case as a role without a need for full personal data sees it."""
    return dataclasses.replace(case, applicant=masked_applicant(case.applicant))


def _as_seen_by(actor: Actor, case: Case) -> Case:
    return case if actor.sees_full_personal_data else masked(case)


def _changes(case: Case) -> Changes:
    return Changes(cases=True, case_uuids={case.uuid}, audit=True, outbox=True)


def create_case(ctx: ServiceContext, actor: Actor, draft: CaseDraft) -> Result[Case]:
    """Number and store a case exactly as the intake tab confirms it. The window and the clerk
    on the case are the signed-in person's, never what the caller typed."""
    require(actor, Action.CASE_CREATE)
    draft = dataclasses.replace(draft, window_number=actor.window_number or ctx.window_number,
                                clerk_name=actor.name)
    with ctx.store.session() as session, session.begin():
        case = cases_repo.create_case(session, draft, ctx.settings.case_number_pattern, clerk_login=actor.login)
        if draft.prereview_number:  # taken up in the same transaction: never used twice
            from hallclient.services.prereview import mark_used

            mark_used(session, draft.prereview_number, case_uuid=case.uuid, case_number=case.case_number,
                      window=draft.window_number, item_codes=case.item_codes, today=draft.accepted_on,
                      at=case.created_at.isoformat(timespec="seconds"))
        audit.append(session, ctx.audit_key, actor, "case_created", window=draft.window_number,
                     case_number=case.case_number, at=case.created_at.isoformat(timespec="seconds"),
                     detail={"decision": case.decision.value, "items": list(case.item_codes),
                             "ticket": case.ticket_number, "prereview": draft.prereview_number})
    return Result(case, _changes(case))


def _load_for(session: Session, actor: Actor, case_uuid: str, action: Action) -> Case:
    case = cases_repo.load_case(session, case_uuid)
    require(actor, action, window=case.window_number, departments=_departments(session, case.item_codes))
    return case


def record_supplement(ctx: ServiceContext, actor: Actor, case_uuid: str, keys: Sequence[str]) -> Result[Case]:
    with ctx.store.session() as session, session.begin():
        before = _load_for(session, actor, case_uuid, Action.CASE_SUPPLEMENT)
        case = cases_repo.record_supplement(session, case_uuid, keys, actor.name)
        audit.append(session, ctx.audit_key, actor, "case_supplemented", window=ctx.window_number,
                     case_number=before.case_number, at=ctx.clock().isoformat(timespec="seconds"),
                     detail={"keys": sorted(keys), "state": case.state.value})
    return Result(case, _changes(case))


def return_case(ctx: ServiceContext, actor: Actor, case_uuid: str, reason: str) -> Result[Case]:
    with ctx.store.session() as session, session.begin():
        before = _load_for(session, actor, case_uuid, Action.CASE_RETURN)
        case = cases_repo.return_case(session, case_uuid, reason, actor.name)
        audit.append(session, ctx.audit_key, actor, "case_returned", window=ctx.window_number,
                     case_number=before.case_number, at=ctx.clock().isoformat(timespec="seconds"),
                     detail={"reason": reason.strip()[:200]})
    return Result(case, _changes(case))


def record_print(ctx: ServiceContext, actor: Actor, case_uuid: str, document: str, *, reprint: bool) -> Changes:
    with ctx.store.session() as session, session.begin():
        case = _load_for(session, actor, case_uuid, Action.CASE_PRINT)
        cases_repo.record_print(session, case_uuid, document, actor.name, reprint)
        audit.append(session, ctx.audit_key, actor, "case_reprinted" if reprint else "case_printed",
                     window=ctx.window_number, case_number=case.case_number,
                     at=ctx.clock().isoformat(timespec="seconds"), detail={"document": document})
    return _changes(case)


def load_case(ctx: ServiceContext, actor: Actor, case_uuid: str) -> Case:
    with ctx.store.session() as session:
        return _as_seen_by(actor, _load_for(session, actor, case_uuid, Action.CASE_READ))


def find_case(ctx: ServiceContext, actor: Actor, case_number: str) -> Case:
    with ctx.store.session() as session:
        case = cases_repo.find_by_number(session, case_number.strip())
        if case is None:
            raise CaseNotFound(f"没有受理编号为 {case_number.strip()} 的办件")
        require(actor, Action.CASE_READ, window=case.window_number,
                departments=_departments(session, case.item_codes))
        return _as_seen_by(actor, case)


def list_cases(ctx: ServiceContext, actor: Actor, flt: CaseFilter, today: date) -> list[Case]:
    """The cases the actor may read: a clerk's window, a chief representative's departments,
    everything for a supervisor."""
    require(actor, Action.CASE_READ)
    with ctx.store.session() as session:
        cases = cases_repo.list_cases(session, flt, today)
        if actor.has(Role.SUPERVISOR):
            return [_as_seen_by(actor, c) for c in cases]
        depts = {row.code: row.department for row in session.execute(select(ITEMS.c.code, ITEMS.c.department))}
    mine: list[Case] = []
    for case in cases:
        try:
            require(actor, Action.CASE_READ, window=case.window_number,
                    departments=[depts.get(code, "") for code in case.item_codes])
        except PermissionDenied:
            continue
        mine.append(_as_seen_by(actor, case))
    return mine


def case_with_items(ctx: ServiceContext, actor: Actor, case_uuid: str) -> tuple[Case, list]:  # type: ignore[type-arg]
    """A case and its catalog items, for its documents."""
    with ctx.store.session() as session:
        case = _as_seen_by(actor, _load_for(session, actor, case_uuid, Action.CASE_READ))
        return case, catalog_repo.load_items(session, case.item_codes)


