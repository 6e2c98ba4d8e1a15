"""Routes of the hall queue under /api/v1/queue.

Windows act with their own token (the window number comes from the account, never from the
body). Three things are open without a token, by design:

* `GET /queue/board`: what the hall board shows anyway (ticket numbers, windows, counts);
* `GET /queue/kiosk` and `POST /queue/kiosk/tickets`: the dispenser issues tickets. A kiosk is a
  browser in the hall: a token in its page would be no secret, so the endpoint is open *only for
  issuing*, and only what an applicant may choose at a dispenser (a category, the green channel,
  an appointment code). VIP and other tickets a person must vouch for go through
  `POST /queue/tickets` with a window's token. Put the central behind the hall's LAN.
* `GET /queue/kiosk/tickets/{id}/slip.pdf`: the slip of a ticket, by its unguessable id.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from sqlalchemy import select

from hallclient.central import queue_intake, queue_service, queue_views
from hallclient.central.app import AdminDep, PrincipalDep, SessionDep
from hallclient.central.kiosk_limiter import KioskLimiter
from hallclient.central.models import Account
from hallclient.central.queue_schemas import (
    ActionIn,
    AppointmentIn,
    AppointmentOut,
    BoardOut,
    CallNextIn,
    CallNumberIn,
    CallOut,
    GreenCheckIn,
    IssuedOut,
    IssueIn,
    KioskCategory,
    KioskInfo,
    KioskIssueIn,
    PauseIn,
    PauseOut,
    QueueAck,
    QueueEventPush,
    StatusOut,
    TakeOverIn,
    TicketOut,
    TicketWithEvents,
    TransferIn,
    WalkinPush,
)
from hallclient.central.queue_service import Actor, QueueConfig
from hallclient.central.queue_store import QueueError
from hallclient.central.schemas import UUID_PATTERN, ErrorOut
from hallclient.core.queue import GREEN_REASON_LABELS, TicketType

router = APIRouter(prefix="/queue", tags=["queue"])
public = APIRouter(prefix="/queue", tags=["queue (open)"])
T = TypeVar("T")
TicketId = Annotated[str, Path(pattern=UUID_PATTERN, description="the ticket's id")]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "no such ticket"},
    409: {"model": ErrorOut, "description": "the action does not fit the ticket's or window's state"},
}


def config_of(request: Request) -> QueueConfig:
    return request.app.state.queue  # type: ignore[no-any-return]


def run(action: Callable[[], T]) -> T:
    """Queue errors and rule violations (the core raises ValueError) as 4xx answers."""
    try:
        return action()
    except QueueError as exc:
        raise HTTPException(exc.status, exc.message) from None
    except ValueError as exc:
        raise HTTPException(409, str(exc)) from None


def _actor(who: Any, clerk: str = "") -> Actor:
    return Actor(window=who.window_number, clerk=clerk or who.name)


# --- a window's queue ------------------------------------------------------------------------


@router.get("/status", response_model=StatusOut, summary="The window's current ticket, pause and waiting counts")
def status(request: Request, session: SessionDep, who: PrincipalDep,
           categories: Annotated[list[str] | None, Query(max_length=50)] = None) -> dict[str, Any]:
    return queue_views.window_status(session, config_of(request), who.window_number, categories)


@router.post("/tickets", response_model=IssuedOut, status_code=201, responses=ERRORS,
             summary="Issue a ticket at a window or the service desk (any type, VIP included)")
def issue(body: IssueIn, request: Request, session: SessionDep, who: PrincipalDep) -> dict[str, Any]:
    at = datetime.fromisoformat(body.appointment_at) if body.appointment_at else None
    if (body.type == "appointment") != (at is not None):
        raise HTTPException(422, "预约号必须有预约时间，其他号不能有")
    return run(lambda: queue_intake.issue(session, config_of(request), body.category, TicketType(body.type),
                                          source="window", by_window=who.window_number, appointment_at=at))


@router.post("/call-next", response_model=CallOut, responses=ERRORS, summary="Call the next ticket (F1)")
def call_next(body: CallNextIn, request: Request, session: SessionDep, who: PrincipalDep) -> dict[str, Any]:
    ticket = run(lambda: queue_service.call_next(session, config_of(request), _actor(who, body.clerk),
                                                 body.categories, body.priority_in_row))
    return {"ticket": ticket}


@router.post("/call", response_model=TicketOut, responses=ERRORS,
             summary="Call a given ticket by its number (409 when it is at another window: see /takeover)")
def call_number(body: CallNumberIn, request: Request, session: SessionDep, who: PrincipalDep) -> dict[str, Any]:
    return run(lambda: queue_service.call_number(session, config_of(request), _actor(who, body.clerk), body.number))


@router.post("/takeover", response_model=TicketOut, responses=ERRORS,
             summary="Take over a ticket called at, served by or parked at another window (recorded; "
                     "that window's status lists it)")
def take_over(body: TakeOverIn, request: Request, session: SessionDep, who: PrincipalDep) -> dict[str, Any]:
    return run(lambda: queue_service.take_over(session, config_of(request), _actor(who, body.clerk), body.number))


@router.post("/tickets/{ticket_id}/green-check", response_model=TicketOut, responses=ERRORS,
             summary="The clerk's eligibility check of a green-channel ticket taken at the kiosk")
def green_check(ticket_id: TicketId, body: GreenCheckIn, request: Request, session: SessionDep,
                who: PrincipalDep) -> dict[str, Any]:
    return run(lambda: queue_service.confirm_green(session, config_of(request), _actor(who, body.clerk), ticket_id,
                                                   body.eligible))


ACTIONS: dict[str, tuple[str, Callable[..., dict[str, Any]]]] = {
    "recall": ("Recall the current ticket (F2), announced again", queue_service.recall),
    "start": ("Start service (F4)", queue_service.start),
    "finish": ("Finish service: served (F4)", queue_service.finish),
    "park": ("Park the ticket (F6)", queue_service.park),
    "resume": ("Call a parked ticket back (F6)", queue_service.resume),
    "cancel": ("Cancel the ticket", queue_service.cancel),
    "return": ("A missed applicant came back: to the end of the queue", queue_service.return_missed),
}


def _action_route(name: str, summary: str, action: Callable[..., dict[str, Any]]) -> None:
    def handler(ticket_id: TicketId, body: ActionIn, request: Request, session: SessionDep,
                who: PrincipalDep) -> dict[str, Any]:
        return run(lambda: action(session, config_of(request), _actor(who, body.clerk), ticket_id))

    handler.__name__ = f"ticket_{name}"
    router.add_api_route(f"/tickets/{{ticket_id}}/{name}", handler, methods=["POST"], response_model=TicketOut,
                         responses=ERRORS, summary=summary)


for _name, (_summary, _action) in ACTIONS.items():
    _action_route(_name, _summary, _action)


@router.post("/tickets/{ticket_id}/no-show", response_model=TicketOut, responses=ERRORS,
             summary="The applicant did not come (F3): back to its place, or missed after N calls")
def no_show(ticket_id: TicketId, body: ActionIn, request: Request, session: SessionDep,
            who: PrincipalDep) -> dict[str, Any]:
    return run(lambda: queue_service.no_show(session, config_of(request), _actor(who, body.clerk), ticket_id,
                                             body.no_show_calls))


@router.post("/tickets/{ticket_id}/transfer", response_model=TicketOut,
             responses={**ERRORS, 422: {"model": ErrorOut, "description": "unknown category or window"}},
             summary="Transfer (F5) to another category or window, at the front or the back")
def transfer(ticket_id: TicketId, body: TransferIn, request: Request, session: SessionDep,
             who: PrincipalDep) -> dict[str, Any]:
    def known(window: str) -> bool:
        found = session.execute(select(Account.window_number).where(Account.window_number == window,
                                                                     Account.disabled.is_(False))).scalar()
        return found is not None

    return run(lambda: queue_service.transfer(session, config_of(request), _actor(who, body.clerk), ticket_id,
                                              category=body.category, window=body.window, front=body.front,
                                              known_window=known))


@router.get("/tickets/{ticket_id}", response_model=TicketWithEvents, responses=ERRORS,
            summary="A ticket with every event recorded for it")
def get_ticket(ticket_id: TicketId, session: SessionDep, _who: PrincipalDep) -> dict[str, Any]:
    return run(lambda: queue_intake.ticket_with_events(session, ticket_id))


@router.post("/pause", response_model=PauseOut, responses=ERRORS, summary="Pause (暂离) or resume the window (F7)")
def pause(body: PauseIn, request: Request, session: SessionDep, who: PrincipalDep) -> dict[str, Any]:
    return run(lambda: queue_service.pause(session, config_of(request), _actor(who, body.clerk), body.paused))


@router.put("/walkins/{uuid}", response_model=QueueAck, responses=ERRORS,
            summary="Push a walk-in number issued offline (idempotent by its UUID)")
def put_walkin(uuid: Annotated[str, Path(pattern=UUID_PATTERN)], body: WalkinPush, request: Request,
               session: SessionDep, who: PrincipalDep) -> dict[str, Any]:
    if body.uuid != uuid:
        raise HTTPException(422, "请求地址中的 UUID 与请求内容中的 uuid 不一致")
    return run(lambda: queue_intake.push_walkin(session, config_of(request), who.window_number, body.model_dump()))


@router.put("/events/{uuid}", response_model=QueueAck, responses=ERRORS,
            summary="Push a queue event recorded offline (idempotent by its UUID)")
def put_event(uuid: Annotated[str, Path(pattern=UUID_PATTERN)], body: QueueEventPush, request: Request,
              session: SessionDep, who: PrincipalDep) -> dict[str, Any]:
    if body.uuid != uuid:
        raise HTTPException(422, "请求地址中的 UUID 与请求内容中的 uuid 不一致")
    return run(lambda: queue_intake.push_event(session, config_of(request), who.window_number, body.model_dump()))


@router.post("/appointments", response_model=AppointmentOut, status_code=201,
             responses={**ERRORS, 403: {"model": ErrorOut, "description": "not an administrator"}},
             summary="Load an appointment from the booking system (admin)")
def add_appointment(body: AppointmentIn, request: Request, session: SessionDep, _admin: AdminDep) -> dict[str, Any]:
    return run(lambda: queue_intake.add_appointment(session, config_of(request), body.code, body.category,
                                                    datetime.fromisoformat(body.appointment_at), body.name))


# --- open: the board and the dispenser -------------------------------------------------------


@public.get("/board", response_model=BoardOut, summary="The hall board: latest calls and waiting counts")
def board(request: Request, session: SessionDep) -> dict[str, Any]:
    return queue_views.board(session, config_of(request))


@public.get("/kiosk", response_model=KioskInfo, summary="What the dispenser offers")
def kiosk_info(request: Request, session: SessionDep) -> KioskInfo:
    config = config_of(request)
    counts = queue_views.waiting_counts(session, config.today())
    return KioskInfo(hall_name=config.hall_name, categories=[
        KioskCategory(category=c, prefix=p, waiting=counts.get(c, 0)) for c, p in config.prefixes.items()])


@public.post("/kiosk/tickets", response_model=IssuedOut, status_code=201,
             responses={**ERRORS, 422: {"model": ErrorOut, "description": "neither a category nor a code"},
                        429: {"model": ErrorOut, "description": "too many tickets from this kiosk this minute"}},
             summary="Take a ticket at the dispenser: a category (green channel or not) or an appointment code")
def kiosk_issue(body: KioskIssueIn, request: Request, session: SessionDep) -> dict[str, Any]:
    config = config_of(request)
    if body.appointment_code is not None:
        code = body.appointment_code
        return run(lambda: queue_intake.check_in(session, config, code))
    if body.category is None:
        raise HTTPException(422, "请选择办理类别，或输入预约码")
    if body.green and body.green_reason is None:
        raise HTTPException(422, "请选择绿色通道的对象：老年人、残疾人、孕妇或军人")
    refused = _kiosk_limiter(request).check(request.client.host if request.client else "?", body.green,
                                            config.kiosk_per_minute, config.kiosk_green_per_minute)
    if refused is not None:
        raise HTTPException(429, refused[0], headers={"Retry-After": str(refused[1])})
    category = body.category
    kind = TicketType.PRIORITY if body.green else TicketType.NORMAL
    reason = body.green_reason if body.green else None
    return run(lambda: queue_intake.issue(session, config, category, kind, source="kiosk", green_reason=reason))


_LIMITER_LOCK = threading.Lock()


def _kiosk_limiter(request: Request) -> KioskLimiter:
    """The app's limiter, made on first use from the queue settings' storage."""
    storage = config_of(request).limiter_storage
    limiter: KioskLimiter | None = getattr(request.app.state, "kiosk_limiter", None)
    if limiter is None or limiter.storage_uri != storage:
        with _LIMITER_LOCK:
            limiter = getattr(request.app.state, "kiosk_limiter", None)
            if limiter is None or limiter.storage_uri != storage:
                limiter = KioskLimiter(storage)
                request.app.state.kiosk_limiter = limiter
    return limiter


@public.get("/kiosk/tickets/{ticket_id}/slip.pdf", include_in_schema=False)
def kiosk_slip(ticket_id: TicketId, request: Request, session: SessionDep) -> Response:
    from hallclient.documents import build_slip
    from hallclient.documents.model import Slip

    config = config_of(request)
    ticket = run(lambda: queue_intake.ticket_with_events(session, ticket_id))
    ahead = queue_intake.people_ahead(session, config.today(), ticket["category"], ticket["queued_at"])
    kind = {"priority": "（绿色通道）", "appointment": "（预约）", "vip": "（VIP）"}.get(ticket["type"], "")
    if ticket.get("green_reason"):
        kind = f"（绿色通道·{GREEN_REASON_LABELS.get(ticket['green_reason'], '')}，请备好证件）"
    pdf = build_slip(Slip(ticket_number=ticket["number"], category=ticket["category"] + kind, people_ahead=ahead,
                          issued_at=datetime.fromisoformat(ticket["issued_at"]), hall_name=config.hall_name))
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="ticket-{ticket["number"]}.pdf"'})
