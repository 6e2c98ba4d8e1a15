"""好差评 at the window: one rating per service, every 差评 followed to its end.

The rating belongs to whoever handled the service (谁办理、谁负责): the case's window and
clerk, not the person at the keyboard when it was recorded. The applicant's phone (for the
callback) is stored encrypted and shown only to the supervisor handling the rectification.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from hallclient.core.evaluation import (
    DEFAULT_BAD_REASONS,
    Channel,
    Level,
    Rating,
    RatingRefused,
    Rectification,
    RectState,
    check_rating,
    next_rect_state,
)
from hallclient.core.permissions import Action, Actor, Role, require
from hallclient.services import audit
from hallclient.services.changes import Changes, Result
from hallclient.services.context import ServiceContext
from hallclient.store import cases_repo
from hallclient.store.calendar_repo import load_calendar
from hallclient.store.cases_repo import cipher_of, enqueue
from hallclient.store.models import RatingRow, RectificationRow

RATINGS = cast(Table, RatingRow.__table__)
RECTS = cast(Table, RectificationRow.__table__)


def bad_reasons(ctx: ServiceContext) -> tuple[str, ...]:
    return tuple(getattr(ctx.settings, "evaluation_bad_reasons", None) or DEFAULT_BAD_REASONS)


def _rating(row: Any) -> Rating:
    data = json.loads(row.data)
    return Rating(uuid=row.uuid, service_key=row.service_key, level=Level(row.level) if row.level else None,
                  channel=Channel(row.channel), window_number=row.window, clerk_login=row.clerk_login,
                  rated_at=row.rated_at, case_uuid=row.case_uuid, case_number=row.case_number,
                  ticket_number=row.ticket_number,
                  indicators={k: Level(v) for k, v in data.get("indicators", {}).items()},
                  comment=data.get("comment", ""), reasons=tuple(data.get("reasons", ())),
                  has_phone=bool(row.phone))


def rate(ctx: ServiceContext, actor: Actor, *, case_number: str | None = None, ticket_number: str | None = None,
         level: Level | None, channel: Channel = Channel.PAD, indicators: dict[str, Level] | None = None,
         comment: str = "", reasons: tuple[str, ...] = (), phone: str = "") -> Result[Rating]:
    """Record the applicant's rating of one service (level None: 未评价, the pad timed out)."""
    require(actor, Action.RATE)
    if level is not None:
        check_rating(level, reasons, comment, bad_reasons(ctx))
    if phone.strip():
        from hallclient.core.validators import check_mobile

        if not check_mobile(phone.strip()).ok:
            raise RatingRefused("回访电话格式不正确")
    now = ctx.clock()
    at = now.isoformat(timespec="seconds")
    with ctx.store.session() as session, session.begin():
        case = None
        if case_number:
            case = cases_repo.find_by_number(session, case_number.strip())
            if case is None:
                raise RatingRefused(f"没有受理编号为 {case_number.strip()} 的办件")
            key = f"case:{case.uuid}"
            window, clerk = case.window_number, _case_clerk(session, case.uuid) or actor.login
        elif ticket_number:
            key = f"ticket:{ticket_number.strip()}@{now.date().isoformat()}"
            window, clerk = actor.window_number or ctx.window_number, actor.login
        else:
            raise RatingRefused("请指明所评价的办件或号票")
        existing = session.execute(select(RATINGS).where(RATINGS.c.service_key == key)).first()
        if existing is not None and (existing.level or level is None):
            what = f"已评价为「{_rating(existing).label}」" if existing.level else "已记录为未评价"
            raise RatingRefused(f"该次服务{what}（{existing.rated_at[:16]}），每次服务只能评价一次")
        cipher = cipher_of(session)
        row = {"uuid": existing.uuid if existing else str(uuid.uuid4()), "service_key": key,
               "case_uuid": case.uuid if case else None, "case_number": case.case_number if case else None,
               "ticket_number": ticket_number or (case.ticket_number if case else None), "window": window,
               "clerk_login": clerk, "level": level.value if level else None, "channel": channel.value,
               "rated_at": at, "data": json.dumps({"indicators": {k: v.value for k, v in (indicators or {}).items()},
                                                   "comment": comment.strip(), "reasons": list(reasons)},
                                                  ensure_ascii=False)}
        stored = dict(row, phone=cipher.encrypt(phone.strip()) if phone.strip() else None)
        if existing:  # an earlier 未评价 becomes the rating
            session.execute(update(RATINGS).where(RATINGS.c.uuid == existing.uuid).values(**stored))
        else:
            session.execute(insert(RATINGS).values(**stored))
        enqueue(session, "rating", str(row["uuid"]), dict(row, phone=phone.strip() or None), at)
        rating = _rating(session.execute(select(RATINGS).where(RATINGS.c.uuid == row["uuid"])).one())
        if rating.is_bad:
            _open_rectification(ctx, session, rating, now.date())
        audit.append(session, ctx.audit_key, actor, "rating_recorded", window=window,
                     case_number=rating.case_number, at=at,
                     detail={"level": row["level"], "channel": channel.value, "service": key})
    return Result(rating, Changes(audit=True, outbox=True))


def _case_clerk(session: Session, case_uuid: str) -> str | None:
    return session.execute(select(cases_repo.CASES.c.clerk_login).where(cases_repo.CASES.c.uuid == case_uuid)).scalar()


def _open_rectification(ctx: ServiceContext, session: Session, rating: Rating, today: date) -> None:
    calendar = load_calendar(session)
    contact_by = rectify_by = None
    try:
        contact_by = calendar.add_working_days(today, ctx.settings.rectification_contact_days)
        rectify_by = calendar.add_working_days(today, ctx.settings.rectification_days)
    except Exception:  # a year the calendar does not know: the deadline stays open, never guessed
        pass
    session.execute(insert(RECTS).values(
        uuid=str(uuid.uuid4()), rating_uuid=rating.uuid, state=RectState.OPEN.value, opened_on=today.isoformat(),
        contact_by=contact_by.isoformat() if contact_by else None,
        rectify_by=rectify_by.isoformat() if rectify_by else None, window=rating.window_number,
        clerk_login=rating.clerk_login, case_number=rating.case_number,
        data=json.dumps({"history": [], "level": rating.level.value if rating.level else None,
                         "reasons": list(rating.reasons), "comment": rating.comment,
                         "real_name": rating.has_phone}, ensure_ascii=False)))


def _rect(row: Any) -> Rectification:
    data = json.loads(row.data)
    return Rectification(uuid=row.uuid, rating_uuid=row.rating_uuid, state=RectState(row.state),
                         opened_on=date.fromisoformat(row.opened_on),
                         contact_by=date.fromisoformat(row.contact_by) if row.contact_by else None,
                         rectify_by=date.fromisoformat(row.rectify_by) if row.rectify_by else None,
                         history=tuple(data.get("history", ())), real_name=bool(data.get("real_name")),
                         window_number=row.window, clerk_login=row.clerk_login, case_number=row.case_number,
                         level=Level(data["level"]), reasons=tuple(data.get("reasons", ())),
                         comment=data.get("comment", ""), verdict=data.get("verdict"),
                         appeal_upheld=data.get("appeal_upheld"))


def rectifications(ctx: ServiceContext, actor: Actor, *, open_only: bool = False) -> list[Rectification]:
    """The supervisor's list, overdue first; a clerk gets their own (never the phone)."""
    if not actor.has(Role.SUPERVISOR):
        require(actor, Action.RATE)
    query = select(RECTS)
    if not actor.has(Role.SUPERVISOR):
        query = query.where(RECTS.c.clerk_login == actor.login)
    if open_only:
        query = query.where(RECTS.c.state != RectState.CLOSED.value)
    with ctx.store.session() as session:
        found = [_rect(r) for r in session.execute(query)]
    today = ctx.clock().date()
    return sorted(found, key=lambda r: (not r.overdue(today), r.state is RectState.CLOSED, r.opened_on))


def callback_phone(ctx: ServiceContext, actor: Actor, rect_uuid: str) -> str:
    """The phone the applicant left, for the supervisor's callback (the reading is audited)."""
    require(actor, Action.RECTIFY)
    with ctx.store.session() as session, session.begin():
        rect = session.execute(select(RECTS).where(RECTS.c.uuid == rect_uuid)).first()
        if rect is None:
            raise RatingRefused("没有这个整改任务")
        phone = session.execute(select(RATINGS.c.phone).where(RATINGS.c.uuid == rect.rating_uuid)).scalar()
        audit.append(session, ctx.audit_key, actor, "callback_phone_read", window=ctx.window_number,
                     case_number=rect.case_number, at=ctx.clock().isoformat(timespec="seconds"),
                     detail={"rectification": rect_uuid})
        return cipher_of(session).decrypt(phone) if phone else ""


def advance(ctx: ServiceContext, actor: Actor, rect_uuid: str, action: str, *, note: str,
            verdict: str | None = None, upheld: bool | None = None) -> Result[Rectification]:
    """回访 / 整改 / 说明 / 申诉复核 / 复核决定 / 办结, each with its note, in the task's history."""
    require(actor, Action.RECTIFY)
    at = ctx.clock().isoformat(timespec="seconds")
    with ctx.store.session() as session, session.begin():
        row = session.execute(select(RECTS).where(RECTS.c.uuid == rect_uuid)).first()
        if row is None:
            raise RatingRefused("没有这个整改任务")
        rect = _rect(row)
        after = next_rect_state(rect, action, note=note, verdict=verdict, upheld=upheld)
        data = json.loads(row.data)
        entry: dict[str, Any] = {"action": action, "at": at, "by": actor.login, "note": note.strip()}
        if verdict:
            entry["verdict"] = verdict
            data["verdict"] = verdict
        if action == "decide_appeal":
            entry["upheld"] = upheld
            data["appeal_upheld"] = upheld
        data["history"] = [*data.get("history", []), entry]
        session.execute(update(RECTS).where(RECTS.c.uuid == rect_uuid).values(
            state=after.value, data=json.dumps(data, ensure_ascii=False),
            closed_at=at if after is RectState.CLOSED else None))
        audit.append(session, ctx.audit_key, actor, "rectification_" + action, window=ctx.window_number,
                     case_number=rect.case_number, at=at, detail={"rectification": rect_uuid, "state": after.value})
        enqueue(session, "rectification", rect_uuid, {"uuid": rect_uuid, "state": after.value, "entry": entry}, at)
        done = _rect(session.execute(select(RECTS).where(RECTS.c.uuid == rect_uuid)).one())
    return Result(done, Changes(audit=True, outbox=True))


def my_ratings(ctx: ServiceContext, actor: Actor) -> list[tuple[Rating, Rectification | None]]:
    """A clerk's own ratings with the outcome of each 差评 (谁办理、谁负责); no phone numbers."""
    require(actor, Action.RATE)
    with ctx.store.session() as session:
        ratings = [_rating(r) for r in session.execute(
            select(RATINGS).where(RATINGS.c.clerk_login == actor.login).order_by(RATINGS.c.rated_at.desc()))]
        rects = {r.rating_uuid: _rect(r) for r in session.execute(
            select(RECTS).where(RECTS.c.clerk_login == actor.login))}
    return [(replace(r, has_phone=False), rects.get(r.uuid)) for r in ratings]
