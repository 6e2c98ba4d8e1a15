"""Routes: case intake (idempotent PUT by the window's UUID), case reads by people, the calendar.

Pushes are the device's: a window pushes only its own cases (403 `不能上报：该办件属于 N 号窗口`).
Reads are a person's: `GET /cases/{uuid}` and `GET /cases` need `X-Hallclient-Session`; a clerk
reads their window's cases, a chief representative their departments', a supervisor all; full
ID numbers and phones only for clerks and chief representatives (masked for the others).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from sqlalchemy import select

from hallclient.central.case_access import CaseFilter, CaseNotFound, list_cases, read_case
from hallclient.central.deps import PERSON_RESPONSES, ActorDep, AdminDep, PrincipalDep, SessionDep
from hallclient.central.intake import CASES, NotYourCase, UnknownCase, upsert_case, upsert_event
from hallclient.central.queue_store import write_transaction
from hallclient.central.schemas import (
    UUID_PATTERN,
    CalendarOut,
    CalendarYear,
    CaseEventPush,
    CasePush,
    ErrorOut,
    PushAck,
)
from hallclient.core.permissions import PermissionDenied
from hallclient.core.workdays import YearArrangement
from hallclient.store.models import CalendarYearRow

router = APIRouter()
UuidPath = Annotated[str, Path(pattern=UUID_PATTERN, description="the UUID the window gave the record")]
_MISMATCH = "请求地址中的 UUID 与请求内容中的 uuid 不一致"


@router.put("/cases/{uuid}", response_model=PushAck, tags=["cases"],
            summary="Push a case (idempotent upsert by its UUID)",
            description="The body is the window's case row. Pushing the same case again never "
                        "makes a second one: the answer is `unchanged` (or `updated` when the row "
                        "is newer). A case for a cancelled or unknown item is stored with a warning. "
                        "A row whose `window_number` is not the device account's, or a case stored "
                        "for another window, is refused with 403.",
            responses={403: {"model": ErrorOut, "description": "the case belongs to another window"}})
def put_case(uuid: UuidPath, push: CasePush, request: Request, session: SessionDep,
             who: PrincipalDep) -> PushAck:
    if push.uuid != uuid:
        raise HTTPException(422, _MISMATCH)
    state = request.app.state
    try:
        with write_transaction(session):  # BEGIN IMMEDIATE on SQLite: no stale-snapshot 503 beside queue writes
            ack = upsert_case(session, push, who.window_number, state.cipher, state.keys.audit)
    except NotYourCase as exc:
        session.rollback()
        raise HTTPException(403, str(exc)) from None
    session.commit()
    return ack


@router.put("/case-events/{uuid}", response_model=PushAck, tags=["cases"],
            summary="Push a case event (supplement, return, print…), idempotent by its UUID",
            responses={403: {"model": ErrorOut, "description": "the case belongs to another window"},
                       409: {"model": ErrorOut, "description": "the case has not been pushed yet"}})
def put_case_event(uuid: UuidPath, push: CaseEventPush, request: Request, session: SessionDep,
                   who: PrincipalDep) -> PushAck:
    if push.uuid != uuid:
        raise HTTPException(422, _MISMATCH)
    try:
        with write_transaction(session):
            ack = upsert_event(session, push, who.window_number, request.app.state.keys.audit)
    except UnknownCase as exc:
        session.rollback()
        raise HTTPException(409, str(exc)) from None
    except NotYourCase as exc:
        session.rollback()
        raise HTTPException(403, str(exc)) from None
    except PermissionDenied as exc:  # a chief's decision from another device that may not stand
        session.rollback()
        _audit_refused_decision(request, session, push, who.window_number, exc)
        raise HTTPException(403, str(exc)) from None
    session.commit()
    return ack


def _audit_refused_decision(request: Request, session: Any, push: CaseEventPush, window: str,
                            exc: PermissionDenied) -> None:
    from hallclient.central.audit_log import append

    number = session.execute(select(CASES.c.case_number).where(CASES.c.uuid == push.case_uuid)).scalar()
    append(session, request.app.state.keys.audit, actor=str(push.data.get("chief") or f"window:{window}")[:64],
           roles=[], window=window, kind="case.decision_refused", case_number=number,
           detail={"event": push.kind, "uuid": push.uuid, "case_uuid": push.case_uuid, "reason": str(exc)[:300]})
    session.commit()


@router.get("/cases", tags=["cases"], summary="Cases the signed-in person may read, newest first",
            description="Needs a person session. A clerk gets their window's cases, a chief "
                        "representative those of their departments' items, a supervisor all. "
                        "`inbox=1`: a chief representative's inbox (accepted cases of their departments whose "
                        "items allow on-site approval) with `cursor` and their `authorisation`; with "
                        "`changed_since=<cursor>` the answer is `unchanged` when nothing was pushed since. "
                        "`applicant_id` finds a case by ID number (blind index). Each list is audited.",
            responses=PERSON_RESPONSES)
def get_cases(request: Request, session: SessionDep, actor: ActorDep,
              state: Annotated[str | None, Query(max_length=32)] = None,
              window: Annotated[str | None, Query(max_length=16)] = None,
              case_number: Annotated[str | None, Query(max_length=64)] = None,
              applicant_id: Annotated[str | None, Query(max_length=32)] = None,
              accepted_from: Annotated[str | None, Query(max_length=10)] = None,
              accepted_to: Annotated[str | None, Query(max_length=10)] = None,
              limit: Annotated[int, Query(ge=1, le=500)] = 100,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
              inbox: Annotated[bool, Query(description="a chief representative's inbox (case_events_feed)")] = False,
              changed_since: Annotated[int | None, Query(ge=0, le=2**62)] = None) -> dict[str, Any]:
    if inbox:
        from hallclient.central.case_events_feed import inbox as chief_inbox

        answer = chief_inbox(session, request.app.state.cipher, request.app.state.keys.audit, actor, changed_since)
        session.commit()
        return answer
    wanted = CaseFilter(state=state, window=window, case_number=case_number, applicant_id=applicant_id,
                        accepted_from=accepted_from, accepted_to=accepted_to, limit=limit, offset=offset)
    answer = list_cases(session, request.app.state.cipher, request.app.state.keys.audit, actor, wanted)
    session.commit()  # the audit record of the read
    return answer


@router.get("/cases/{uuid}", tags=["cases"], summary="A case as pushed, with its events (person session)",
            description="Needs a person session allowed to read the case (403 names who may). Full "
                        "ID number and phone for clerks and chief representatives, masked for others.",
            responses={**PERSON_RESPONSES, 404: {"model": ErrorOut, "description": "no such case"}})
def get_case(uuid: UuidPath, request: Request, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    try:
        answer = read_case(session, request.app.state.cipher, request.app.state.keys.audit, actor, uuid)
    except CaseNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    session.commit()
    return answer


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
