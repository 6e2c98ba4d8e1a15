"""Request and response bodies of the central API (pydantic, strict).

Case pushes carry the window's rows as its outbox holds them (hallclient.store.models CaseRow /
CaseEventRow), with the columns the window keeps as JSON text sent as JSON values
(hallclient.sync.payloads). Every field is checked: UUID format, known
states and kinds, dates, lengths, text a database can store; unknown fields are refused.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from hallclient.central.limits import text_problem
from hallclient.core.text_rules import encoded_json_problem, line_problem

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
WINDOW_PATTERN = r"^[0-9A-Za-z_-]{1,16}$"


def _storable(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _json_storable(value: Any) -> Any:
    """Nested JSON a database can keep and a response can carry: no NaN, no lone surrogates, small."""
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
        encoded.encode("utf-8")
    except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        raise ValueError("must be plain JSON text (no NaN/Infinity, valid Unicode)") from None
    if len(encoded) > 200_000:
        raise ValueError("is too large")
    problem = encoded_json_problem(encoded)  # the window's text rule (hallclient.core.text_rules)
    if problem:
        raise ValueError(problem)
    return value


def _one_line(value: str) -> str:
    problem = line_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def LineText(max_length: int, min_length: int = 0) -> Any:  # noqa: N802 (a type factory)
    """A one-line field (a name, a number): the window's rule for names (core.text_rules.line_problem)."""
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length),
                     AfterValidator(_one_line)]


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})?")


def _iso_date(value: str) -> str:
    if not _DATE.fullmatch(value):
        raise ValueError("must be a date YYYY-MM-DD")
    date.fromisoformat(value)  # ValueError: e.g. 2026-02-30
    return value


def _iso_datetime(value: str) -> str:
    if not _DATETIME.fullmatch(value):
        raise ValueError("must be an ISO 8601 date and time")
    datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    return value


def Text(max_length: int, min_length: int = 0) -> Any:  # noqa: N802 (a type factory)
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length),
                     AfterValidator(_storable)]


Uuid = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
DateText = Annotated[str, AfterValidator(_iso_date), WithJsonSchema({"type": "string", "format": "date"})]
DateTimeText = Annotated[str, AfterValidator(_iso_datetime),
                         WithJsonSchema({"type": "string", "format": "date-time", "maxLength": 40})]
JsonObject = Annotated[dict[str, Any], AfterValidator(_json_storable)]
JsonObjects = Annotated[list[dict[str, Any]], Field(max_length=1000), AfterValidator(_json_storable)]
CaseStateName = Literal["accepted", "awaiting_supplement", "one_time_noticed", "refused", "returned", "completed",
                        "received", "in_approval", "denied", "sent_back"]
DecisionName = Literal["accept", "accept_with_tolerance", "one_time_notice", "refuse"]
EventKind = Literal["created", "supplemented", "returned", "printed", "reprinted", "completed", "reintaken",
                    "approved", "denied", "sent_back", "to_back_office", "extended", "received"]

_STRICT = ConfigDict(extra="forbid", strict=True)


class CasePush(BaseModel):
    """A case as the window stores it (kind "case" in its outbox), its JSON columns decoded."""

    model_config = _STRICT
    uuid: Uuid
    case_number: Text(64, 1)  # type: ignore[valid-type]
    state: CaseStateName
    decision: DecisionName
    applicant_name: LineText(200, 1)  # type: ignore[valid-type]
    applicant_id: Text(32)  # type: ignore[valid-type]
    applicant: JsonObject
    item_codes: Annotated[list[Text(64, 1)], Field(min_length=1, max_length=100)]  # type: ignore[valid-type]
    item_names: Annotated[list[Text(200)], Field(max_length=100)]  # type: ignore[valid-type]
    bundle_code: Text(64) | None = None  # type: ignore[valid-type]
    bundle_name: Text(200) | None = None  # type: ignore[valid-type]
    checklist: JsonObjects
    reasons: Annotated[list[Text(2000)], Field(max_length=500)]  # type: ignore[valid-type]
    tolerated: JsonObjects
    commitments: Annotated[list[Text(2000)], Field(max_length=500)]  # type: ignore[valid-type]
    due_date: DateText | None = None
    deadline_problem: Text(2000) | None = None  # type: ignore[valid-type]
    accepted_on: DateText
    window_number: Annotated[str, StringConstraints(pattern=WINDOW_PATTERN)]
    clerk_name: Text(100)  # type: ignore[valid-type]
    clerk_login: Text(64) | None = None  # type: ignore[valid-type]  # the signed-in person (schema 4)
    ticket_number: Text(32) | None = None  # type: ignore[valid-type]
    previous_case_uuid: Uuid | None = None
    prereview_number: Text(32) | None = None  # type: ignore[valid-type]  # schema 6
    rate_token: Text(48) | None = None  # type: ignore[valid-type]  # schema 7: the QR rating page's key
    # Window schema 9: what the documents print (optional: older windows do not send them).
    delivery: Text(8) | None = None  # type: ignore[valid-type]
    delivery_address: Text(500) | None = None  # type: ignore[valid-type]
    refusal_ground: Literal["not_licensing", "not_competent", "other"] | None = None
    competent_body: Text(200) | None = None  # type: ignore[valid-type]
    item_deadlines: JsonObjects | None = None  # a bundle's items' own due dates
    return_reason: Text(2000) | None = None  # type: ignore[valid-type]
    created_at: DateTimeText
    updated_at: DateTimeText



class CaseEventPush(BaseModel):
    """A case event (kind "case_event" in the window's outbox), `data` decoded."""

    model_config = _STRICT
    uuid: Uuid
    case_uuid: Uuid
    kind: EventKind
    at: DateTimeText
    clerk_name: Text(100)  # type: ignore[valid-type]
    data: JsonObject


class PushAck(BaseModel):
    uuid: str
    result: Literal["created", "updated", "unchanged", "conflict"]
    warnings: list[str] = Field(default_factory=list)


class AccountCreate(BaseModel):
    model_config = _STRICT
    window_number: Annotated[str, StringConstraints(pattern=WINDOW_PATTERN)]
    name: Text(100) = ""  # type: ignore[valid-type]
    role: Literal["window", "admin"] = "window"


class AccountOut(BaseModel):
    window_number: str
    name: str
    role: str
    disabled: bool = False


class AccountToken(AccountOut):
    token: str = Field(description="shown once; the central keeps only its SHA-256")


class CalendarYear(BaseModel):
    """One year's holiday arrangement (the format of resources/calendar year files)."""

    model_config = _STRICT
    year: int = Field(ge=1, le=9999)
    holidays: list[DateText] = Field(min_length=1, max_length=366)
    workdays: list[DateText] = Field(max_length=366)
    source: Text(500) = ""  # type: ignore[valid-type]


class CalendarOut(BaseModel):
    years: list[CalendarYear]


class Health(BaseModel):
    status: Literal["ok"]
    catalog_version: int
    database: str


class Whoami(BaseModel):
    window_number: str
    name: str
    role: str


class CatalogVersion(BaseModel):
    feed_id: str
    catalog_version: int
    format_version: int
    item_count: int


class PublishOut(BaseModel):
    version_before: int
    version_after: int
    added: int
    updated: int
    removed: int
    bundles_changed: bool
    write_lock_seconds: float | None = None  # how long the feed's write transaction took


class ErrorOut(BaseModel):
    message: str = Field(description="what went wrong, for the clerk or the administrator")
    detail: Any = None
