"""Routes: ratings, rectification steps, complaints and pre-reviews pushed by windows.

Pushed through each window's outbox (device token), idempotent by the window's UUID. A
pre-review is looked up by its number from any window (a clerk signed in), so an applicant
pre-reviewed at one place is taken up at another.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request

from hallclient.central import records_store
from hallclient.central.deps import ActorDep, PrincipalDep, SessionDep
from hallclient.central.schemas import UUID_PATTERN, ErrorOut, JsonObject, PushAck
from hallclient.core.permissions import Action, require

router = APIRouter()
UuidPath = Annotated[str, Path(pattern=UUID_PATTERN, description="the UUID the window gave the record")]
_MISMATCH = "请求地址中的 UUID 与请求内容中的 uuid 不一致"
_CONFLICT = {409: {"model": ErrorOut, "description": "the service was rated already"}}


def _pii(request: Request) -> Any:
    return request.app.state.cipher.pii


def _same(uuid: str, body: dict[str, Any]) -> None:
    if body.get("uuid") not in (None, uuid):
        raise HTTPException(422, _MISMATCH)


@router.put("/ratings/{uuid}", response_model=PushAck, tags=["evaluation"], responses=_CONFLICT,
            summary="Push a rating (one per service; an earlier 未评价 may be replaced once)")
def put_rating(uuid: UuidPath, body: JsonObject, request: Request, session: SessionDep, who: PrincipalDep) -> PushAck:
    _same(uuid, body)
    if not isinstance(body.get("service_key"), str) or not body["service_key"]:
        raise HTTPException(422, "请求数据无效：service_key：缺少所评价的服务")
    if body.get("level") not in (None, "very_satisfied", "satisfied", "basically_satisfied", "unsatisfied",
                                 "very_unsatisfied"):
        raise HTTPException(422, "请求数据无效：level：未知的评价等级")
    try:
        result = records_store.upsert_rating(session, _pii(request), dict(body, uuid=uuid), who.window_number)
    except records_store.RatingConflict as exc:
        session.rollback()
        raise HTTPException(409, str(exc)) from None
    session.commit()
    return PushAck(uuid=uuid, result=result)  # type: ignore[arg-type]


def _put_record(kind: str, uuid: str, body: dict[str, Any], request: Request, session: Any, window: str) -> PushAck:
    _same(uuid, body)
    result = records_store.upsert_record(session, _pii(request), kind, uuid, body, window)
    session.commit()
    return PushAck(uuid=uuid, result=result)  # type: ignore[arg-type]


@router.put("/rectifications/{uuid}", response_model=PushAck, tags=["evaluation"],
            summary="Push a step of a 差评 rectification")
def put_rectification(uuid: UuidPath, body: JsonObject, request: Request, session: SessionDep,
                      who: PrincipalDep) -> PushAck:
    return _put_record("rectification", uuid, body, request, session, who.window_number)


@router.put("/complaints/{uuid}", response_model=PushAck, tags=["complaints"], summary="Push a complaint")
def put_complaint(uuid: UuidPath, body: JsonObject, request: Request, session: SessionDep,
                  who: PrincipalDep) -> PushAck:
    return _put_record("complaint", uuid, body, request, session, who.window_number)


@router.put("/complaint-events/{uuid}", response_model=PushAck, tags=["complaints"],
            summary="Push a step of a complaint")
def put_complaint_event(uuid: UuidPath, body: JsonObject, request: Request, session: SessionDep,
                        who: PrincipalDep) -> PushAck:
    return _put_record("complaint_event", uuid, dict(body), request, session, who.window_number)


@router.put("/prereviews/{uuid}", response_model=PushAck, tags=["prereview"],
            summary="Push a pre-review (预审), so any window can take it up")
def put_prereview(uuid: UuidPath, body: JsonObject, request: Request, session: SessionDep,
                  who: PrincipalDep) -> PushAck:
    _same(uuid, body)
    if not isinstance(body.get("number"), str) or not body["number"]:
        raise HTTPException(422, "请求数据无效：number：缺少预审编号")
    result = records_store.upsert_prereview(session, _pii(request), dict(body, uuid=uuid), who.window_number)
    session.commit()
    return PushAck(uuid=uuid, result=result)  # type: ignore[arg-type]


@router.get("/prereviews/by-number/{number}", tags=["prereview"],
            summary="A pre-review by its number (a clerk taking it up, or its proxy)",
            responses={404: {"model": ErrorOut, "description": "no such pre-review"}})
def get_prereview(number: Annotated[str, Path(max_length=32)], request: Request, session: SessionDep,
                  actor: ActorDep) -> dict[str, Any]:
    require(actor, Action.PREREVIEW_READ)
    found = records_store.find_prereview(session, _pii(request), number)
    if found is None:
        raise HTTPException(404, f"中心没有编号为 {number} 的预审")
    return found
