"""Request and response bodies of sign-in, people and the audit (pydantic, strict)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from hallclient.central.schemas import Text

_STRICT = ConfigDict(extra="forbid", strict=True)
Login = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=1024)]
RoleName = Annotated[str, StringConstraints(min_length=1, max_length=16)]
Department = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class SignInBody(BaseModel):
    model_config = _STRICT
    login: Login
    password: Password


class UserOut(BaseModel):
    login: str
    name: str
    roles: list[str] = Field(description="clerk, chief, proxy, supervisor, admin")
    departments: list[str] = Field(description="a chief representative's departments")


class UserAdminOut(UserOut):
    disabled: bool
    locked_until: str | None = None


class SignInOut(BaseModel):
    session: str = Field(description="opaque; send it as X-Hallclient-Session with the device token")
    expires_at: str = Field(description="ISO 8601, UTC")
    user: UserOut
    window_number: str = Field(description="the device account's window number")


class UserCreate(BaseModel):
    model_config = _STRICT
    login: Login
    name: Text(100) = ""  # type: ignore[valid-type]
    roles: Annotated[list[RoleName], Field(min_length=1, max_length=5)]
    departments: Annotated[list[Department], Field(max_length=50)] = []
    password: Password


class PasswordBody(BaseModel):
    model_config = _STRICT
    password: Password


class RolesBody(BaseModel):
    model_config = _STRICT
    roles: Annotated[list[RoleName], Field(min_length=1, max_length=5)]
    departments: Annotated[list[Department], Field(max_length=50)] = []


class AuditRecordOut(BaseModel):
    seq: int
    uuid: str
    at: str
    actor: str
    roles: list[str]
    window: str
    kind: str
    case_number: str | None
    detail: dict[str, Any]
    prev_tag: str
    tag: str


class WindowAuditPush(BaseModel):
    """One record of a window's own audit chain, as the window keeps it."""

    model_config = ConfigDict(extra="allow", strict=True)
    seq: int = Field(ge=1, le=2**53)
    uuid: Annotated[str, StringConstraints(min_length=1, max_length=36)]
    at: Text(40, 1)  # type: ignore[valid-type]
    actor: Text(100)  # type: ignore[valid-type]
    roles: Annotated[list[Text(16)], Field(max_length=10)]  # type: ignore[valid-type]
    window: Text(16)  # type: ignore[valid-type]
    kind: Text(64, 1)  # type: ignore[valid-type]
    case_number: Text(64) | None = None  # type: ignore[valid-type]
    detail: dict[str, Any] = {}
    prev_tag: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    tag: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class AuditVerifyOut(BaseModel):
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    windows: list[dict[str, Any]] = []
