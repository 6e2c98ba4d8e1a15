"""Routes: case intake (idempotent PUT by the window's UUID), case lookup, the calendar."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path
from sqlalchemy import select

from hallclient.central.app import AdminDep, PrincipalDep, SessionDep
from hallclient.central.intake import CASES, EVENTS, UnknownCase, upsert_case, upsert_event
from hallclient.central.schemas import (
    UUID_PATTERN,
    CalendarOut,
    CalendarYear,
    CaseEventPush,
    CasePush,
    ErrorOut,
    PushAck,
)
from hallclient.core.workdays import YearArrangement
from hallclient.store.models import CalendarYearRow

router = APIRouter()
UuidPath = Annotated[str, Path(pattern=UUID_PATTERN, description="the UUID the window gave the record")]
_MISMATCH = "请求地址中的 UUID 与请求内容中的 uuid 不一致"


@router.put("/cases/{uuid}", response_model=PushAck, tags=["cases"],
            summary="Push a case (idempotent upsert by its UUID)",
            description="The body is the window's case row. Pushing the same case again never "
                        "makes a second one: the answer is `unchanged` (or `updated` when the row "
                        "is newer). A case for a cancelled or unknown item is stored with a warning.")
def put_case(uuid: UuidPath, push: CasePush, session: SessionDep, who: PrincipalDep) -> PushAck:
    if push.uuid != uuid:
        raise HTTPException(422, _MISMATCH)
    ack = upsert_case(session, push, who.window_number)
    session.commit()
    return ack


@router.put("/case-events/{uuid}", response_model=PushAck, tags=["cases"],
            summary="Push a case event (supplement, return, print…), idempotent by its UUID",
            responses={409: {"model": ErrorOut, "description": "the case has not been pushed yet"}})
def put_case_event(uuid: UuidPath, push: CaseEventPush, session: SessionDep, who: PrincipalDep) -> PushAck:
    if push.uuid != uuid:
        raise HTTPException(422, _MISMATCH)
    try:
        ack = upsert_event(session, push, who.window_number)
    except UnknownCase as exc:
        session.rollback()
        raise HTTPException(409, str(exc)) from None
    session.commit()
    return ack


@router.get("/cases/{uuid}", tags=["cases"], summary="A case as pushed, with its events",
            responses={404: {"model": ErrorOut, "description": "no such case"}})
def get_case(uuid: UuidPath, session: SessionDep, _who: PrincipalDep) -> dict[str, Any]:
    row = session.execute(select(CASES).where(CASES.c.uuid == uuid)).first()
    if row is None:
        raise HTTPException(404, f"中心没有办件 {uuid}")
    events = session.execute(select(EVENTS.c.payload).where(EVENTS.c.case_uuid == uuid)
                             .order_by(EVENTS.c.at, EVENTS.c.uuid)).scalars()
    return {"uuid": row.uuid, "state": row.state, "pushed_by": row.pushed_by, "received_at": row.received_at,
            "warnings": json.loads(row.warnings) if row.warnings else [],
            "case": json.loads(row.payload), "events": [json.loads(e) for e in events]}


@router.get("/calendar", response_model=CalendarOut, tags=["calendar"],
            summary="Holiday arrangements the hall loaded (years the calendar package lacks)")
def get_calendar(session: SessionDep, _who: PrincipalDep) -> CalendarOut:
    rows = session.execute(select(CalendarYearRow.data).order_by(CalendarYearRow.year)).scalars()
    return CalendarOut(years=[CalendarYear(**json.loads(data)) for data in rows])


@router.put("/calendar/{year}", response_model=CalendarYear, tags=["calendar"],
            summary="Load a year's holidays and make-up working days (admin)",
            responses={403: {"model": ErrorOut, "description": "not an administrator"}})
def put_calendar_year(year: Annotated[int, Path(ge=1, le=9999)], body: CalendarYear,
                      session: SessionDep, _admin: AdminDep) -> CalendarYear:
    if body.year != year:
        raise HTTPException(422, "请求地址中的年份与请求内容中的 year 不一致")
    try:
        arrangement = YearArrangement.from_json(body.model_dump())
    except ValueError as exc:
        raise HTTPException(422, f"节假日安排无效：{exc}") from None
    session.merge(CalendarYearRow(year=year, data=json.dumps(arrangement.to_json(), ensure_ascii=False)))
    session.commit()
    return CalendarYear(**arrangement.to_json())
