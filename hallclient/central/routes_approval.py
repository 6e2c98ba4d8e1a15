"""Routes: chief representatives' authorisations, the feed of case events a window pulls back,
and what became of a window's pre-reviews.

    PUT /authorisations/{login}   a new version (a signed-in administrator)
    GET /authorisations/{login}   current and earlier versions (the chief themself, a supervisor, an admin)
    GET /case-events?since=N      later events of the calling device's window's cases (device token)
    GET /prereview-outcomes?number=…  where the device's pre-reviews were taken up (device token)

The chief representative's inbox is `GET /cases?inbox=1` (routes_cases). The two device reads are
not under /cases/ and /prereviews/, whose `PUT …/{uuid}` would otherwise answer a PUT to them.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from hallclient.central import authorisations
from hallclient.central.case_events_feed import EVENTS_LIMIT, events_since
from hallclient.central.deps import PERSON_RESPONSES, ActorDep, PrincipalDep, SessionDep
from hallclient.central.prereview_use import outcomes
from hallclient.central.schemas import ErrorOut, LineText

router = APIRouter()
LoginPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.@-]{1,64}$", description="the chief representative's login")]


class AuthorisationBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    departments: Annotated[list[LineText(200, 1)], Field(min_length=1, max_length=50)]  # type: ignore[valid-type]
    item_codes: Annotated[list[LineText(64, 1)], Field(max_length=2000)] = []  # type: ignore[valid-type]
    valid_from: str | None = Field(default=None, max_length=10)
    valid_to: str | None = Field(default=None, max_length=10)
    note: LineText(500) = ""  # type: ignore[valid-type]


@router.put("/authorisations/{login}", tags=["approval"],
            summary="Record a new version of a chief representative's authorisation (授权书; admin)",
            responses={**PERSON_RESPONSES, 422: {"model": ErrorOut, "description": "not a chief, no departments"}})
def put_authorisation(login: LoginPath, body: AuthorisationBody, request: Request, session: SessionDep,
                      actor: ActorDep) -> dict[str, Any]:
    try:
        saved = authorisations.set_authorisation(
            session, request.app.state.keys.audit, actor, login, departments=body.departments,
            item_codes=body.item_codes, valid_from=body.valid_from, valid_to=body.valid_to, note=body.note)
    except authorisations.BadAuthorisation as exc:
        session.rollback()
        raise HTTPException(422, f"授权书无效：{exc}") from None
    session.commit()
    return saved.to_json()


@router.get("/authorisations/{login}", tags=["approval"],
            summary="A chief representative's current authorisation and its earlier versions",
            responses={**PERSON_RESPONSES, 404: {"model": ErrorOut, "description": "no authorisation"}})
def get_authorisation(login: LoginPath, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    authorisations.may_read(actor, login)
    found = authorisations.versions(session, login)
    if not found:
        raise HTTPException(404, f"中心没有 {login} 的授权书")
    return {"current": found[-1].to_json(), "versions": [a.to_json() for a in found]}


@router.get("/case-events", tags=["cases"],
            summary="Later events of this window's cases (decisions taken elsewhere), in feed order",
            description="Device token. Events the calling window did not push itself, after `since` "
                        "(the `cursor` of the previous answer; 0 the first time). `more`: ask again at once.")
def get_case_events(session: SessionDep, who: PrincipalDep,
                    since: Annotated[int, Query(ge=0, le=2**62)] = 0,
                    limit: Annotated[int, Query(ge=1, le=EVENTS_LIMIT)] = EVENTS_LIMIT) -> dict[str, Any]:
    return events_since(session, who.window_number, since, limit)


_PREREVIEW_NUMBER = re.compile(r"[A-Za-z]{2}[0-9]{1,30}")  # YS2026120103001


@router.get("/prereview-outcomes", tags=["prereview"],
            summary="Where this window's pre-reviews were taken up (window, case number), or not yet")
def get_prereview_outcomes(session: SessionDep, who: PrincipalDep,
                           number: Annotated[list[str], Query()]) -> dict[str, Any]:
    if len(number) > 200 or any(len(n) > 32 or not _PREREVIEW_NUMBER.fullmatch(n) for n in number):
        raise HTTPException(422, "请求数据无效：number：预审编号应为 YS 加数字，且每次至多 200 个")
    return {"prereviews": outcomes(session, who.window_number, number)}
