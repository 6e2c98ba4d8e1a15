"""Pre-reviews (预审): made by proxy-service staff, taken up once at a window.

A pre-review is numbered like a case (per window and day, so two offline machines cannot
collide), its applicant stored encrypted, and sent to the central through the outbox so any
window can take it. Taking it up happens in the transaction that creates the case
(`services.cases.create_case(..., prereview_number=…)`), so it can never be used twice.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, func, insert, select, update
from sqlalchemy.orm import Session

from hallclient.core.cases import Applicant
from hallclient.core.catalog import Bundle, ServiceItem
from hallclient.core.checklist import MaterialMark
from hallclient.core.permissions import Action, Actor, PermissionDenied, Role, require
from hallclient.core.prereview import (
    Consent,
    Prereview,
    PrereviewOutcome,
    PrereviewUnusable,
    check_usable,
    marks_from_json,
    marks_to_json,
    outcome_for,
    valid_until,
)
from hallclient.services import audit
from hallclient.services.changes import Changes, Result
from hallclient.services.context import ServiceContext
from hallclient.store.cases_repo import cipher_of, enqueue, next_sequence
from hallclient.store.models import PrereviewRow

PREREVIEWS = cast(Table, PrereviewRow.__table__)


class PrereviewNotFound(LookupError):
    pass


def _number(session: Session, window: str, day: date) -> str:
    seq = next_sequence(session, f"prereview:{day.isoformat()}:{window}")
    return f"YS{day:%Y%m%d}{window:0>2}{seq:03d}"


def create(ctx: ServiceContext, actor: Actor, *, items: Sequence[ServiceItem], bundle: Bundle | None,
           applicant: Applicant, marks: Mapping[str, MaterialMark], remarks: Mapping[str, str] | None = None,
           remark: str = "", consent: Consent = Consent.HELP, power_of_attorney: bool = False,
           not_hall: bool = False) -> Result[Prereview]:
    require(actor, Action.PREREVIEW_CREATE)
    if consent is Consent.AGENT and not power_of_attorney:
        raise PrereviewUnusable("代办须有申请人签署的委托书")
    outcome, missing = outcome_for(items, marks, not_hall)
    now = ctx.clock()
    today = now.date()
    until = valid_until(today, ctx.settings.prereview_valid_days)
    data = {
        "item_names": [i.name for i in items], "bundle_code": bundle.code if bundle else None,
        "marks": marks_to_json(marks), "remarks": dict(remarks or {}), "remark": remark.strip(),
        "missing": list(missing), "consent": consent.value, "power_of_attorney": power_of_attorney,
        "proxy_name": actor.name, "window_number": actor.window_number or ctx.window_number,
    }
    with ctx.store.session() as session, session.begin():
        cipher = cipher_of(session)
        number = _number(session, actor.window_number or ctx.window_number, today)
        row = {"uuid": str(uuid.uuid4()), "number": number, "applicant_name": applicant.name,
               "applicant": json.dumps(applicant.to_json(), ensure_ascii=False),
               "item_codes": json.dumps([i.code for i in items]), "outcome": outcome.value,
               "proxy_login": actor.login, "created_at": now.isoformat(timespec="seconds"),
               "valid_until": until.isoformat(), "data": json.dumps(data, ensure_ascii=False)}
        session.execute(insert(PREREVIEWS).values(**dict(row, applicant=cipher.encrypt(row["applicant"]))))
        enqueue(session, "prereview", row["uuid"], row, row["created_at"])
        audit.append(session, ctx.audit_key, actor, "prereview_created", window=ctx.window_number,
                     at=row["created_at"], detail={"number": number, "outcome": outcome.value,
                                                   "items": [i.code for i in items]})
        found = _load(session, number)
    return Result(found, Changes(audit=True, outbox=True))


def _from_row(row: Any, cipher: Any) -> Prereview:
    data = json.loads(row.data)
    return Prereview(
        uuid=row.uuid, number=row.number, applicant=Applicant.from_json(json.loads(cipher.decrypt(row.applicant))),
        item_codes=tuple(json.loads(row.item_codes)), item_names=tuple(data["item_names"]),
        bundle_code=data.get("bundle_code"), marks=marks_from_json(data["marks"]), remarks=data.get("remarks", {}),
        remark=data.get("remark", ""), outcome=PrereviewOutcome(row.outcome), missing=tuple(data.get("missing", ())),
        consent=Consent(data.get("consent", "help")), power_of_attorney=bool(data.get("power_of_attorney")),
        proxy_login=row.proxy_login, proxy_name=data.get("proxy_name", row.proxy_login),
        created_at=datetime.fromisoformat(row.created_at), valid_until=date.fromisoformat(row.valid_until),
        window_number=data.get("window_number", ""), used_case_uuid=row.used_case_uuid,
        used_case_number=row.used_case_number, used_window=row.used_window, used_at=row.used_at)


def _load(session: Session, number: str) -> Prereview:
    row = session.execute(select(PREREVIEWS).where(PREREVIEWS.c.number == number.strip().upper())).first()
    if row is None:
        raise PrereviewNotFound(f"没有编号为 {number.strip()} 的预审")
    return _from_row(row, cipher_of(session))


def show(ctx: ServiceContext, actor: Actor, number: str) -> Prereview:
    """The proxy who made it, any clerk (to take it up), a supervisor (masked) may read it."""
    with ctx.store.session() as session:
        found = _load(session, number)
    require(actor, Action.PREREVIEW_READ)
    if actor.has(Role.CLERK) or (actor.has(Role.PROXY) and found.proxy_login == actor.login):
        return found
    if actor.has(Role.SUPERVISOR):
        from hallclient.services.cases import masked_applicant

        return replace(found, applicant=masked_applicant(found.applicant))
    raise PermissionDenied(Action.PREREVIEW_READ, "做此预审的帮办代办人员、窗口受理人员或大厅管理人员")


def list_mine(ctx: ServiceContext, actor: Actor) -> list[Prereview]:
    """A proxy's own pre-reviews, newest first, with what became of each."""
    require(actor, Action.PREREVIEW_CREATE)
    with ctx.store.session() as session:
        cipher = cipher_of(session)
        rows = session.execute(select(PREREVIEWS).where(PREREVIEWS.c.proxy_login == actor.login)
                               .order_by(PREREVIEWS.c.created_at.desc())).all()
        return [_from_row(r, cipher) for r in rows]


def for_intake(ctx: ServiceContext, actor: Actor, number: str, *, session_token: str | None = None) -> Prereview:
    """A clerk takes up a pre-review: it must be valid, unused and not 不属于本大厅事项.

    With a central, the pre-review is looked up there too (with the clerk's session: the given
    one, else the one this window keeps since the clerk signed in online): one made at another
    place is stored here, and one taken up at another window is refused with where it was used.
    Without an answer from the central, what this window has decides."""
    require(actor, Action.CASE_CREATE)
    try:
        with ctx.store.session() as session:
            found: Prereview | None = _load(session, number)
    except PrereviewNotFound:
        found = None
    if ctx.has_central and (found is None or not found.used_case_uuid):
        remote = _from_central(ctx, actor, number, session_token, missing_here=found is None)
        if remote is not None:
            found = _keep(ctx, remote)
    if found is None:
        raise PrereviewNotFound(f"没有编号为 {number.strip()} 的预审")
    check_usable(found, None, ctx.clock().date())
    return found


def _from_central(ctx: ServiceContext, actor: Actor, number: str, session_token: str | None, *,
                  missing_here: bool) -> dict[str, Any] | None:
    from urllib.parse import quote

    from hallclient.services.accounts import central_session
    from hallclient.sync.auth_client import SESSION_HEADER
    from hallclient.sync.client import CentralClient, CentralError, CentralRejected

    token = session_token or central_session(ctx, actor.login)
    if not token:
        if missing_here:
            raise PrereviewNotFound(f"本机没有编号为 {number.strip()} 的预审；请在线登录后再查询中心")
        return None
    settings = ctx.settings
    try:
        with CentralClient(settings.central_url, settings.central_token, timeout=(3.05, 5.0),
                           ca_file=getattr(settings, "central_ca_file", "") or None) as client:
            answer = client.json("GET", f"/prereviews/by-number/{quote(number.strip().upper(), safe='')}",
                                 headers={SESSION_HEADER: token})
    except CentralRejected as exc:
        if exc.status == 404 and missing_here:
            raise PrereviewNotFound(f"没有编号为 {number.strip()} 的预审（本机与中心均无）") from None
        if exc.status == 403:
            raise PermissionDenied(Action.PREREVIEW_READ, "窗口受理人员", exc.message) from None
        return None
    except CentralError:
        if missing_here:
            raise PrereviewNotFound(f"本机没有编号为 {number.strip()} 的预审，且中心服务无法连接，请稍后再试") from None
        return None
    return answer if isinstance(answer, dict) and answer.get("number") else None


def _keep(ctx: ServiceContext, remote: dict[str, Any]) -> Prereview:
    """Store (or bring up to date) a pre-review read from the central; the applicant encrypted."""
    def text(value: Any) -> str:
        return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)

    used = {k: remote.get(k) for k in ("used_case_uuid", "used_case_number", "used_window", "used_at")}
    with ctx.store.session() as session, session.begin():
        cipher = cipher_of(session)
        known = session.execute(select(PREREVIEWS.c.uuid, PREREVIEWS.c.used_case_uuid)
                                .where(PREREVIEWS.c.number == str(remote["number"]))).first()
        if known is None:
            session.execute(insert(PREREVIEWS).values(
                uuid=str(remote["uuid"]), number=str(remote["number"]), applicant_name=str(remote["applicant_name"]),
                applicant=cipher.encrypt(text(remote["applicant"])), item_codes=text(remote["item_codes"]),
                outcome=str(remote["outcome"]), proxy_login=str(remote["proxy_login"]),
                created_at=str(remote["created_at"]), valid_until=str(remote["valid_until"]),
                data=text(remote["data"]), **used))
        elif known.used_case_uuid is None and used["used_case_uuid"]:
            session.execute(update(PREREVIEWS).where(PREREVIEWS.c.number == str(remote["number"])).values(**used))
        return _load(session, str(remote["number"]))


def mark_used(session: Session, number: str, *, case_uuid: str, case_number: str, window: str,
              item_codes: Sequence[str], today: date, at: str) -> None:
    """Inside the case's own transaction: the conditional update makes a second use fail."""
    found = _load(session, number)
    check_usable(found, item_codes, today)
    done = cast(CursorResult[Any], session.execute(update(PREREVIEWS).where(PREREVIEWS.c.number == found.number,
                                                    PREREVIEWS.c.used_case_uuid.is_(None))
                           .values(used_case_uuid=case_uuid, used_case_number=case_number,
                                   used_window=window, used_at=at))).rowcount
    if not done:
        raise PrereviewUnusable(f"预审 {found.number} 已被使用，不能再次使用")


def interception_rate(ctx: ServiceContext, since: date | None = None) -> tuple[int, int]:
    """预审拦截率: (pre-reviews that found something missing, all pre-reviews)."""
    with ctx.store.session() as session:
        query = select(func.count(), func.count().filter(PREREVIEWS.c.outcome == PrereviewOutcome.MISSING.value))
        if since:
            query = query.where(PREREVIEWS.c.created_at >= since.isoformat())
        total, missing = session.execute(query.select_from(PREREVIEWS)).one()
    return int(missing), int(total)
