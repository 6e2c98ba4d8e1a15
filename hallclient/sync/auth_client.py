"""Signing a person in at the central, and managing accounts there (requests; no Qt, no database).

The window device keeps its token (its identity); a person signing in adds a session, sent as
`X-Hallclient-Session` with every later call. Each refusal is its own exception, so the window
can tell a wrong password (and how many tries are left) from a lock, a disabled account, a
refused permission and a central that cannot be reached (then it signs in offline).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests

from hallclient.sync.client import CentralClient, CentralRejected, CentralUnreachable
from hallclient.sync.client import (
    CentralError as CentralError,  # re-exported: services catch it here
)

__all__ = [
    "AccountDisabled", "AccountLocked", "CentralUnreachable", "NotPermitted", "SessionExpired", "SignInResult",
    "WrongPassword", "sign_in", "sign_out", "users_add", "users_disable", "users_enable", "users_list",
    "users_reset_password", "users_roles",
]
SESSION_HEADER = "X-Hallclient-Session"
DEFAULT_TIMEOUT = 10.0


class WrongPassword(CentralError):
    def __init__(self, remaining: int | None, message: str) -> None:
        super().__init__(message)
        self.remaining = remaining


class AccountLocked(CentralError):
    def __init__(self, until: datetime | None, message: str) -> None:
        super().__init__(message)
        self.until = until


class AccountDisabled(CentralError):
    pass


class NotPermitted(CentralError):
    """403: the person's roles do not allow it; the message names the role that may."""


class SessionExpired(CentralError):
    """401 on a call made with a session: sign in again."""


class BadInput(CentralError):
    """422 (or 404/409 on accounts): `field` names what was wrong, when the central said."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SignInResult:
    session: str
    expires_at: datetime | None
    login: str
    name: str
    roles: tuple[str, ...]
    departments: tuple[str, ...]
    window_number: str


# The hall's own CA per central address (the window's `central_ca_file` setting), so every call
# below verifies an https:// central against it without each caller passing it along.
_CA_FILES: dict[str, str] = {}


def use_ca_file(base_url: str, ca_file: str | None) -> None:
    """Verify `base_url` against `ca_file` from now on (empty: the system's CAs)."""
    if ca_file:
        _CA_FILES[base_url] = ca_file
    else:
        _CA_FILES.pop(base_url, None)


def _client(base_url: str, device_token: str, timeout: float) -> CentralClient:
    return CentralClient(base_url, device_token, timeout=(min(3.05, timeout), timeout),
                         ca_file=_CA_FILES.get(base_url))


def _body(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except (TypeError, ValueError):
        return None


def _call(base_url: str, device_token: str, method: str, path: str, *, session: str | None = None,
          json_body: Any = None, timeout: float = DEFAULT_TIMEOUT) -> requests.Response:
    """One request; every answer but 2xx becomes a typed exception."""
    import json

    headers = {SESSION_HEADER: session} if session else None
    body = json.dumps(json_body, ensure_ascii=False).encode("utf-8") if json_body is not None else None
    with _client(base_url, device_token, timeout) as client:
        response = client.request(method, path, body=body, headers=headers,
                                  ok=tuple(range(200, 300)) + (401, 403, 404, 409, 422, 423))
    if response.status_code < 300:
        return response
    data = _body(response)
    message = str(data.get("message") or f"HTTP {response.status_code}")
    raw_detail = data.get("detail")
    detail: dict[str, Any] = raw_detail if isinstance(raw_detail, dict) else {}
    if response.status_code == 401:
        if path == "/auth/sign-in" and "remaining" in detail:
            remaining = detail.get("remaining")
            raise WrongPassword(remaining if isinstance(remaining, int) else None, message)
        if session:
            raise SessionExpired(message)
        raise CentralRejected(401, message)  # the device token itself
    if response.status_code == 423:
        raise AccountLocked(_when(detail.get("locked_until")), message)
    if response.status_code == 403:
        if path == "/auth/sign-in":
            raise AccountDisabled(message)
        raise NotPermitted(message)
    field = detail.get("field") if isinstance(detail.get("field"), str) else None
    raise BadInput(message, field)


def sign_in(base_url: str, device_token: str, login: str, password: str,
            timeout: float = DEFAULT_TIMEOUT) -> SignInResult:
    """WrongPassword(remaining), AccountLocked(until), AccountDisabled, CentralUnreachable,
    CentralRejected (the device token refused, or the central's own trouble)."""
    response = _call(base_url, device_token, "POST", "/auth/sign-in",
                     json_body={"login": login, "password": password}, timeout=timeout)
    data = _body(response)
    raw_user = data.get("user")
    user: dict[str, Any] = raw_user if isinstance(raw_user, dict) else {}
    if not isinstance(data.get("session"), str):
        raise CentralRejected(response.status_code, "中心服务的登录回答格式不正确")
    return SignInResult(session=data["session"], expires_at=_when(data.get("expires_at")),
                        login=str(user.get("login", login)), name=str(user.get("name", "")),
                        roles=tuple(str(r) for r in user.get("roles", [])),
                        departments=tuple(str(d) for d in user.get("departments", [])),
                        window_number=str(data.get("window_number", "")))


def sign_out(base_url: str, device_token: str, session: str, timeout: float = DEFAULT_TIMEOUT) -> None:
    _call(base_url, device_token, "POST", "/auth/sign-out", session=session, timeout=timeout)


def users_list(base_url: str, device_token: str, session: str,
               timeout: float = DEFAULT_TIMEOUT) -> list[dict[str, Any]]:
    answer = _call(base_url, device_token, "GET", "/users", session=session, timeout=timeout).json()
    return answer if isinstance(answer, list) else []


def users_add(base_url: str, device_token: str, session: str, login: str, *, password: str,
              roles: Iterable[str], departments: Iterable[str] = (), name: str = "",
              timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    body = {"login": login, "name": name, "roles": list(roles), "departments": list(departments),
            "password": password}
    return _body(_call(base_url, device_token, "POST", "/users", session=session, json_body=body,
                       timeout=timeout))


def _user_action(base_url: str, device_token: str, session: str, login: str, action: str,
                 body: Any, timeout: float) -> dict[str, Any]:
    from urllib.parse import quote

    return _body(_call(base_url, device_token, "POST", f"/users/{quote(login, safe='')}/{action}",
                       session=session, json_body=body, timeout=timeout))


def users_disable(base_url: str, device_token: str, session: str, login: str,
                  timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    return _user_action(base_url, device_token, session, login, "disable", None, timeout)


def users_enable(base_url: str, device_token: str, session: str, login: str,
                 timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    return _user_action(base_url, device_token, session, login, "enable", None, timeout)


def users_reset_password(base_url: str, device_token: str, session: str, login: str, password: str,
                         timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    return _user_action(base_url, device_token, session, login, "password", {"password": password}, timeout)


def users_roles(base_url: str, device_token: str, session: str, login: str, roles: Iterable[str],
                departments: Iterable[str] = (), timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    return _user_action(base_url, device_token, session, login, "roles",
                        {"roles": list(roles), "departments": list(departments)}, timeout)
