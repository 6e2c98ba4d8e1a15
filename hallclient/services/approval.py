"""The chief representative's decisions on a case, and the authorisations they act under.

Each decision checks the role and the departments (core.permissions), the case's state and
the authorisation (core.approval), then changes the case, appends its event (for the central and
the accepting window) and its audit record, with the minutes since acceptance, in one transaction.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, cast

from sqlalchemy import Table, func, insert, select

from hallclient.core.approval import (
    DECIDABLE,
    STATE_AFTER,
    ApprovalOutcome,
    ApprovalRefused,
    Authorisation,
    check_extension,
    check_on_site,
)
from hallclient.core.cases import Case, CaseState
from hallclient.core.permissions import Action, Actor, require
from hallclient.services import audit
from hallclient.services.changes import Changes, Result
from hallclient.services.context import ServiceContext
from hallclient.store import cases_repo, catalog_repo
from hallclient.store.models import AuthorisationRow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from hallclient.core.workdays import WorkCalendar

AUTH = cast(Table, AuthorisationRow.__table__)


def set_authorisation(ctx: ServiceContext, actor: Actor, auth: Authorisation) -> Result[Authorisation]:
    """Record a new version of a chief representative's 授权书 (administrator)."""
    require(actor, Action.USERS_MANAGE)
    if not auth.departments:
        raise ApprovalRefused("授权书须列明部门")
    now = ctx.clock().isoformat(timespec="seconds")
    with ctx.store.session() as session, session.begin():
        last = session.execute(select(func.max(AUTH.c.version)).where(AUTH.c.login == auth.login)).scalar()
        saved = Authorisation(**{**auth.__dict__, "version": int(last or 0) + 1})
        session.execute(insert(AUTH).values(login=saved.login, version=saved.version,
                                            data=json.dumps(saved.to_json(), ensure_ascii=False),
                                            created_by=actor.login, created_at=now))
        audit.append(session, ctx.audit_key, actor, "authorisation_set", window=ctx.window_number, at=now,
                     detail={"login": saved.login, "version": saved.version})
    return Result(saved, Changes(users=True, audit=True, outbox=True))


def current_authorisation(ctx: ServiceContext, login: str) -> Authorisation | None:
    with ctx.store.session() as session:
        data = session.execute(select(AUTH.c.data).where(AUTH.c.login == login)
                               .order_by(AUTH.c.version.desc()).limit(1)).scalar()
    return Authorisation.from_json(json.loads(data)) if data else None


def inbox(ctx: ServiceContext, actor: Actor, today: date) -> list[Case]:
    """Accepted cases of the chief representative's departments whose items allow on-site
    approval, and those sent to the back office, newest first."""
    from hallclient.services import cases as case_service
    from hallclient.store.cases_repo import CaseFilter

    require(actor, Action.CASE_APPROVE)
    found = case_service.list_cases(ctx, actor, CaseFilter(limit=2000), today)
    with ctx.store.session() as session:
        on_site = {row.code for row in session.execute(
            select(catalog_repo.ITEMS.c.code).where(catalog_repo.ITEMS.c.on_site_approval.is_(True)))}
    return [c for c in found if c.state in DECIDABLE and all(code in on_site for code in c.item_codes)]


def _minutes_since(case: Case, now: datetime) -> int:
    return max(0, int((now - case.created_at).total_seconds() // 60))


def decide(ctx: ServiceContext, actor: Actor, case_uuid: str, outcome: ApprovalOutcome, *,
           reasons: list[str] | None = None, opinion: str = "", expected_days: int | None = None,
           days: int | None = None, reason: str = "", today: date | None = None) -> Result[Case]:
    """准予 / 不予许可 / 退回窗口 / 转后台审批 / 延长期限 on one case."""
    today = today or ctx.clock().date()
    action = Action.CASE_SEND_BACK if outcome is ApprovalOutcome.SENT_BACK else Action.CASE_APPROVE
    now = ctx.clock()
    with ctx.store.session() as session, session.begin():
        case = cases_repo.load_case(session, case_uuid)
        items = catalog_repo.load_items(session, case.item_codes)
        require(actor, action, departments=[i.department for i in items])
        if case.window_number != (actor.window_number or ctx.window_number) \
                and outcome not in (ApprovalOutcome.APPROVED, ApprovalOutcome.DENIED):
            _check_for_another_window(session, actor, items, today)
        data: dict[str, object] = {"chief": actor.login, "chief_name": actor.name,
                                   "minutes_since_acceptance": _minutes_since(case, now)}
        due = None
        if outcome in (ApprovalOutcome.APPROVED, ApprovalOutcome.DENIED):
            check = check_on_site(case, items, _authorisation(session, actor.login), today)
            if not check.ok:
                raise ApprovalRefused("；".join(check.reasons))
            if outcome is ApprovalOutcome.DENIED:
                clean = [r.strip() for r in reasons or [] if r.strip()]
                if not clean:
                    raise ApprovalRefused("不予许可须写明理由（行政许可法第三十八条第二款）")
                data["reasons"] = clean
        elif outcome is ApprovalOutcome.SENT_BACK:
            if not opinion.strip():
                raise ApprovalRefused("退回窗口须写明意见")
            data["opinion"] = opinion.strip()
        elif outcome is ApprovalOutcome.TO_BACK_OFFICE:
            calendar = _calendar(session)
            expected = calendar.add_working_days(today, expected_days) if expected_days else None
            data["expected_by"] = expected.isoformat() if expected else None
            data["back_office"] = next((i.back_office for i in items if getattr(i, "back_office", None)), None)
        elif outcome is ApprovalOutcome.EXTENDED:
            check_extension(days or 0, reason)
            if case.due_date is None:
                raise ApprovalRefused("办件没有办结期限，无法延长")
            due = _calendar(session).add_working_days(case.due_date, int(days or 0))
            data.update(days=days, reason=reason.strip(), previous_due=case.due_date.isoformat(),
                        new_due=due.isoformat())
        allowed = DECIDABLE if outcome is not ApprovalOutcome.EXTENDED else (
            CaseState.ACCEPTED, CaseState.IN_APPROVAL, CaseState.AWAITING_SUPPLEMENT)
        labels = {ApprovalOutcome.APPROVED: "审批", ApprovalOutcome.DENIED: "作不予许可决定",
                  ApprovalOutcome.SENT_BACK: "退回窗口", ApprovalOutcome.TO_BACK_OFFICE: "转后台审批",
                  ApprovalOutcome.EXTENDED: "延长期限"}
        changed = cases_repo.transition(session, case_uuid, allowed=allowed, action=labels[outcome],
                                        state=STATE_AFTER.get(outcome), event=outcome.value,
                                        data=data, clerk=actor.name, due_date=due)
        kind = {ApprovalOutcome.APPROVED: "case_approved", ApprovalOutcome.DENIED: "case_denied",
                ApprovalOutcome.SENT_BACK: "case_sent_back", ApprovalOutcome.TO_BACK_OFFICE: "case_to_back_office",
                ApprovalOutcome.EXTENDED: "case_extended"}[outcome]
        audit.append(session, ctx.audit_key, actor, kind, window=ctx.window_number, case_number=case.case_number,
                     at=now.isoformat(timespec="seconds"),
                     detail={k: v for k, v in data.items() if k not in ("chief_name",)})
    return Result(changed, Changes(cases=True, case_uuids={case_uuid}, audit=True, outbox=True))


def _check_for_another_window(session, actor: Actor, items, today: date) -> None:  # type: ignore[no-untyped-def]
    """A case accepted at another window (a copy pulled from the central, hallclient.sync.inbox_pull):
    the central takes any decision on it only under a valid authorisation for its departments
    (hallclient.central.decisions), so the same is checked here first, also offline."""
    from dataclasses import replace

    auth = _authorisation(session, actor.login)
    if auth is None:
        raise ApprovalRefused("没有有效的首席代表授权书")
    problems = [p for p in (replace(auth, item_codes=()).why_not(i, today) for i in items) if p]
    if problems:
        raise ApprovalRefused("；".join(dict.fromkeys(problems)))


def _authorisation(session, login: str) -> Authorisation | None:  # type: ignore[no-untyped-def]
    data = session.execute(select(AUTH.c.data).where(AUTH.c.login == login)
                           .order_by(AUTH.c.version.desc()).limit(1)).scalar()
    return Authorisation.from_json(json.loads(data)) if data else None


def _calendar(session: Session) -> WorkCalendar:
    from hallclient.store.calendar_repo import load_calendar

    return load_calendar(session)
