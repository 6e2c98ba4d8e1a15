"""Request and response bodies of the hall queue API (pydantic, strict, unknown fields refused)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hallclient.central.schemas import (
    UUID_PATTERN,
    WINDOW_PATTERN,
    DateTimeText,
    JsonObject,
    Text,
)

_STRICT = ConfigDict(extra="forbid", strict=True)
Category = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=r"^[^\x00-\x1f]+$")]
Window = Annotated[str, StringConstraints(pattern=WINDOW_PATTERN)]
Uuid = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
TicketNumber = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9]{0,17}(-[0-9]{3,6})?$")]
WalkinNumber = Annotated[str, StringConstraints(pattern=r"^W[0-9A-Za-z_]{1,16}-[0-9]{3,6}$")]
AppointmentCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{4,32}$")]
TicketTypeName = Literal["normal", "appointment", "priority", "vip"]
StateName = Literal["waiting", "called", "serving", "parked", "missed", "done", "transferred", "cancelled"]
GreenReason = Literal["elderly", "disabled", "pregnant", "military"]
OfflineKind = Literal["called", "recalled", "resumed", "no_show", "started", "finished", "parked", "cancelled"]
Clerk = Text(100)


class TicketOut(BaseModel):
    id: str
    number: str
    category: str
    type: TicketTypeName
    state: StateName
    calls: int
    window: str | None
    for_window: str | None
    front: bool
    issued_at: str
    queued_at: str
    last_called_at: str | None
    appointment_at: str | None
    source: str | None = None
    appointment_code: str | None = None
    green_reason: GreenReason | None = Field(default=None, description="green channel taken at the kiosk: why")
    green_check: Literal["pending", "ok", "refused"] | None = Field(
        default=None, description="the clerk's eligibility check of a kiosk green-channel ticket")


class IssuedOut(TicketOut):
    people_ahead: int = 0
    again: bool = False  # an appointment checked in a second time: the same ticket


class EventOut(BaseModel):
    kind: str
    at: str
    window: str | None
    clerk: str | None
    data: dict[str, object]


class TicketWithEvents(TicketOut):
    events: list[EventOut]


class CallOut(BaseModel):
    ticket: TicketOut | None = Field(description="the ticket called; null: nobody this window serves is waiting")


class IssueIn(BaseModel):
    """A ticket issued by a window or the service desk (any type, VIP included)."""

    model_config = _STRICT
    category: Category
    type: TicketTypeName = "normal"
    appointment_at: DateTimeText | None = None


class KioskIssueIn(BaseModel):
    """What the dispenser may ask for: a category (normal or green channel), or an appointment."""

    model_config = _STRICT
    category: Category | None = None
    green: bool = False
    green_reason: GreenReason | None = Field(default=None, description="why the green channel (required with green)")
    appointment_code: AppointmentCode | None = None


class CallNextIn(BaseModel):
    model_config = _STRICT
    categories: Annotated[list[Category], Field(max_length=50)] | None = None
    clerk: Clerk = ""  # type: ignore[valid-type]
    priority_in_row: Annotated[int, Field(ge=0, le=100)] | None = None


class CallNumberIn(BaseModel):
    model_config = _STRICT
    number: TicketNumber
    clerk: Clerk = ""  # type: ignore[valid-type]


class ActionIn(BaseModel):
    model_config = _STRICT
    clerk: Clerk = ""  # type: ignore[valid-type]
    no_show_calls: Annotated[int, Field(ge=1, le=20)] | None = None


class TransferIn(BaseModel):
    model_config = _STRICT
    clerk: Clerk = ""  # type: ignore[valid-type]
    category: Category | None = None
    window: Window | None = None
    front: bool = False


class PauseIn(BaseModel):
    model_config = _STRICT
    paused: bool
    clerk: Clerk = ""  # type: ignore[valid-type]


class PauseOut(BaseModel):
    window: str
    paused: bool


class TakenOver(BaseModel):
    ticket_id: str
    number: str
    by_window: str | None
    at: str


class TakeOverIn(BaseModel):
    model_config = _STRICT
    number: TicketNumber
    clerk: Clerk = ""  # type: ignore[valid-type]


class GreenCheckIn(BaseModel):
    model_config = _STRICT
    eligible: bool
    clerk: Clerk = ""  # type: ignore[valid-type]


class StatusOut(BaseModel):
    day: str
    window: str
    now: str
    paused: bool
    priority_streak: int
    current: TicketOut | None
    parked: list[TicketOut]
    waiting: dict[str, int]
    waiting_for_window: int
    taken_over: list[TakenOver] = Field(default_factory=list,
                                        description="today's tickets of this window another window took over")


class AppointmentIn(BaseModel):
    model_config = _STRICT
    code: AppointmentCode
    category: Category
    appointment_at: DateTimeText
    name: Text(100) = ""  # type: ignore[valid-type]


class AppointmentOut(BaseModel):
    code: str
    category: str
    appointment_at: str
    name: str


class WalkinPush(BaseModel):
    """A walk-in number a window issued offline (kind "walkin_ticket" in its outbox)."""

    model_config = _STRICT
    uuid: Uuid
    number: WalkinNumber
    window: Window
    category: Category
    issued_at: DateTimeText
    clerk: Clerk = ""  # type: ignore[valid-type]


class QueueEventPush(BaseModel):
    """An event a window recorded offline (kind "queue_event" in its outbox)."""

    model_config = _STRICT
    uuid: Uuid
    ticket_uuid: Uuid
    kind: OfflineKind
    at: DateTimeText
    window: Window
    clerk: Clerk = ""  # type: ignore[valid-type]
    data: JsonObject = Field(default_factory=dict)


class QueueAck(BaseModel):
    uuid: str
    result: Literal["created", "unchanged", "conflict"]
    warnings: list[str] = Field(default_factory=list)


class BoardCall(BaseModel):
    id: int
    number: str
    window: str | None
    at: str
    kind: str
    text: str


class BoardCount(BaseModel):
    category: str
    prefix: str
    count: int


class BoardOut(BaseModel):
    version: int
    day: str
    now: str
    hall_name: str
    calls: list[BoardCall]
    waiting: list[BoardCount]
    paused_windows: list[str]


class KioskCategory(BaseModel):
    category: str
    prefix: str
    waiting: int


class KioskInfo(BaseModel):
    hall_name: str
    categories: list[KioskCategory]
