"""有诉即办: complaints registered by whoever is first asked, followed stage by stage.

The complainant and how to reach them are personal data: stored encrypted. A complaint that
names a case links to it; a 差评 becomes a complaint without retyping (`from_rating`), once.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from hallclient.core.complaints import (
    Complaint,
    ComplaintKind,
    ComplaintRefused,
    Complexity,
    Stage,
    check_new,
    next_stage,
)
from hallclient.core.permissions import Action, Actor, PermissionDenied, Role, require
from hallclient.services import audit
from hallclient.services.changes import Changes, Result
from hallclient.services.context import ServiceContext
from hallclient.store.calendar_repo import load_calendar
from hallclient.store.cases_repo import cipher_of, enqueue, next_sequence
from hallclient.store.models import ComplaintRow, RatingRow

COMPLAINTS = cast(Table, ComplaintRow.__table__)


def _days(ctx: ServiceContext, complexity: Complexity) -> int:
    s = ctx.settings
    days = {Complexity.ON_SPOT: s.complaint_days_on_spot, Complexity.ORDINARY: s.complaint_days_ordinary,
            Complexity.COMPLEX: s.complaint_days_complex}[complexity]
    return min(days, s.complaint_days_max)


def _due(ctx: ServiceContext, session: Session, start: date, complexity: Complexity) -> date | None:
    try:
        return load_calendar(session).add_working_days(start, _days(ctx, complexity))
    except Exception:  # an unloaded year: left open, never guessed
        return None


def _from_row(row: Any, cipher: Any) -> Complaint:
    data = json.loads(row.data)
    personal = json.loads(cipher.decrypt(row.personal))
    return Complaint(
        uuid=row.uuid, number=row.number, kind=ComplaintKind(data["kind"]), stage=Stage(row.stage),
        complexity=Complexity(data["complexity"]), owner_login=row.owner_login, registered_by=data["registered_by"],
        registered_at=row.registered_at, stage_due=date.fromisoformat(row.stage_due) if row.stage_due else None,
        complainant=personal.get("complainant", ""), contact=personal.get("contact", ""),
        about_window=row.about_window, about_clerk=data.get("about_clerk"), case_number=row.case_number,
        item_code=data.get("item_code"), what_happened=data.get("what_happened", ""),
        what_they_ask=data.get("what_they_ask", ""), history=tuple(data.get("history", ())),
        rating_uuid=data.get("rating_uuid"), reopened=int(data.get("reopened", 0)),
        closed_on_time=data.get("closed_on_time"))


def register(ctx: ServiceContext, actor: Actor, *, complainant: str, contact: str, what_happened: str,
             what_they_ask: str = "", kind: ComplaintKind = ComplaintKind.COMPLAINT,
             complexity: Complexity = Complexity.ORDINARY, about_window: str | None = None,
             about_clerk: str | None = None, case_number: str | None = None, item_code: str | None = None,
             rating_uuid: str | None = None) -> Result[Complaint]:
    """登记: the person first asked registers it and owns it (首问负责)."""
    require(actor, Action.COMPLAINT_REGISTER)
    check_new(complainant, what_happened)
    now = ctx.clock()
    at = now.isoformat(timespec="seconds")
    with ctx.store.session() as session, session.begin():
        seq = next_sequence(session, f"complaint:{now.year}:{ctx.window_number}")
        number = f"TS{now:%Y}{ctx.window_number:0>2}{seq:04d}"
        data = {"kind": kind.value, "complexity": complexity.value, "registered_by": actor.login,
                "about_clerk": about_clerk, "item_code": item_code, "what_happened": what_happened.strip(),
                "what_they_ask": what_they_ask.strip(), "rating_uuid": rating_uuid, "reopened": 0,
                "history": [{"action": "register", "at": at, "by": actor.login, "note": "首问登记"}]}
        personal = json.dumps({"complainant": complainant.strip(), "contact": contact.strip()}, ensure_ascii=False)
        row = {"uuid": str(uuid.uuid4()), "number": number, "stage": Stage.REGISTERED.value,
               "owner_login": actor.login, "registered_at": at,
               "stage_due": (d.isoformat() if (d := _due(ctx, session, now.date(), complexity)) else None),
               "about_window": about_window, "case_number": case_number,
               "data": json.dumps(data, ensure_ascii=False)}
        session.execute(insert(COMPLAINTS).values(**row, personal=cipher_of(session).encrypt(personal)))
        enqueue(session, "complaint", str(row["uuid"]), dict(row, personal=personal), at)
        audit.append(session, ctx.audit_key, actor, "complaint_registered", window=ctx.window_number,
                     case_number=case_number, at=at, detail={"number": number, "kind": kind.value})
        made = _from_row(session.execute(select(COMPLAINTS).where(COMPLAINTS.c.uuid == row["uuid"])).one(),
                         cipher_of(session))
    return Result(made, Changes(audit=True, outbox=True))


def from_rating(ctx: ServiceContext, actor: Actor, rating_uuid: str, *, complainant: str, contact: str = "",
                what_they_ask: str = "") -> Result[Complaint]:
    """A 差评 turned into a complaint: case, window, clerk and what was said come with it."""
    ratings = RatingRow.__table__
    with ctx.store.session() as session:
        row = session.execute(select(ratings).where(ratings.c.uuid == rating_uuid)).first()
        if row is None:
            raise ComplaintRefused("没有这条评价")
        earlier = session.execute(select(COMPLAINTS.c.number).where(
            COMPLAINTS.c.data.like(f'%"rating_uuid": "{rating_uuid}"%'))).scalar()
        if earlier:
            raise ComplaintRefused(f"这条差评已转为投诉 {earlier}")
        data = json.loads(row.data)
        phone = cipher_of(session).decrypt(row.phone) if row.phone else ""
    said = "；".join([*data.get("reasons", []), data.get("comment", "")]).strip("；") or "差评"
    return register(ctx, actor, complainant=complainant, contact=contact or phone, what_happened=said,
                    what_they_ask=what_they_ask, about_window=row.window, about_clerk=row.clerk_login,
                    case_number=row.case_number, rating_uuid=rating_uuid)


def _may_handle(actor: Actor, complaint: Complaint) -> None:
    require(actor, Action.COMPLAINT_HANDLE)
    if not actor.has(Role.SUPERVISOR) and complaint.owner_login != actor.login:
        raise PermissionDenied(Action.COMPLAINT_HANDLE, f"大厅管理人员或此投诉的责任人（{complaint.owner_login}）")


def advance(ctx: ServiceContext, actor: Actor, number: str, action: str, *, note: str = "",
            verdict: str | None = None, to_login: str | None = None,
            complexity: Complexity | None = None) -> Result[Complaint]:
    """受理 / 办理记录 / 办理完毕 / 回访 (reopens when not satisfied) / 归档 / 移交."""
    now = ctx.clock()
    at = now.isoformat(timespec="seconds")
    with ctx.store.session() as session, session.begin():
        row = session.execute(select(COMPLAINTS).where(COMPLAINTS.c.number == number.strip().upper())).first()
        if row is None:
            raise ComplaintRefused(f"没有编号为 {number.strip()} 的投诉")
        complaint = _from_row(row, cipher_of(session))
        _may_handle(actor, complaint)
        after = next_stage(complaint, action, note=note, verdict=verdict, to_login=to_login)
        data = json.loads(row.data)
        if complexity is not None:
            data["complexity"] = complexity.value
        entry: dict[str, Any] = {"action": action, "at": at, "by": actor.login, "note": note.strip()}
        values: dict[str, Any] = {"stage": after.value}
        if verdict:
            entry["verdict"] = verdict
        if action == "handover":
            entry["to"] = to_login
            values["owner_login"] = to_login
        if action == "callback" and after is Stage.HANDLING:
            data["reopened"] = int(data.get("reopened", 0)) + 1
        if after is not complaint.stage or action == "callback":  # a new stage: its own deadline
            due = _due(ctx, session, now.date(), Complexity(data["complexity"]))
            values["stage_due"] = due.isoformat() if due else None
        if after is Stage.ARCHIVED:
            values["stage_due"] = None
            data["closed_on_time"] = not complaint.overdue(now.date())
        data["history"] = [*data.get("history", []), entry]
        values["data"] = json.dumps(data, ensure_ascii=False)
        session.execute(update(COMPLAINTS).where(COMPLAINTS.c.uuid == row.uuid).values(**values))
        enqueue(session, "complaint_event", str(uuid.uuid4()), {"complaint_uuid": row.uuid, **entry,
                                                               "stage": after.value}, at)
        audit.append(session, ctx.audit_key, actor, "complaint_" + action, window=ctx.window_number,
                     case_number=complaint.case_number, at=at, detail={"number": complaint.number, "stage": after.value})
        done = _from_row(session.execute(select(COMPLAINTS).where(COMPLAINTS.c.uuid == row.uuid)).one(),
                         cipher_of(session))
    return Result(done, Changes(audit=True, outbox=True))


def list_complaints(ctx: ServiceContext, actor: Actor, *, open_only: bool = False) -> list[Complaint]:
    """Overdue first. A supervisor sees all; others the complaints they own."""
    require(actor, Action.COMPLAINT_HANDLE)
    query = select(COMPLAINTS)
    if not actor.has(Role.SUPERVISOR):
        query = query.where(COMPLAINTS.c.owner_login == actor.login)
    if open_only:
        query = query.where(COMPLAINTS.c.stage != Stage.ARCHIVED.value)
    with ctx.store.session() as session:
        cipher = cipher_of(session)
        found = [_from_row(r, cipher) for r in session.execute(query)]
    today = ctx.clock().date()
    return sorted(found, key=lambda c: (not c.overdue(today), c.stage is Stage.ARCHIVED, c.registered_at))


def show(ctx: ServiceContext, actor: Actor, number: str) -> Complaint:
    with ctx.store.session() as session:
        row = session.execute(select(COMPLAINTS).where(COMPLAINTS.c.number == number.strip().upper())).first()
        if row is None:
            raise ComplaintRefused(f"没有编号为 {number.strip()} 的投诉")
        complaint = _from_row(row, cipher_of(session))
    _may_handle(actor, complaint)
    return complaint
