"""People on a test central: accounts made directly in its database, sign-in over HTTP."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import requests

from hallclient.central import people
from hallclient.central.audit_log import now_text
from hallclient.core.permissions import SYSTEM

PASSWORD = "correct-horse-9"


def add_person(central: Any, login: str, roles: Iterable[str], departments: Iterable[str] = (),
               password: str = PASSWORD, name: str = "") -> None:
    """Straight into the central's database (as the system: no administrator needed)."""
    with central.store.session() as session, session.begin():
        people.add_user(session, central.app.state.keys.audit, SYSTEM, login=login, name=name or login,
                        roles=list(roles), departments=list(departments), password=password, now=now_text())


def sign_in(central: Any, device_token: str, login: str, password: str = PASSWORD) -> requests.Response:
    return requests.post(central.api + "/auth/sign-in", json={"login": login, "password": password},
                         headers={"Authorization": f"Bearer {device_token}"}, timeout=60)


def session_of(central: Any, device_token: str, login: str, password: str = PASSWORD) -> str:
    response = sign_in(central, device_token, login, password)
    assert response.status_code == 200, response.text
    return str(response.json()["session"])


def as_person(central: Any, device_token: str, session: str, method: str, path: str,
              **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {device_token}", "X-Hallclient-Session": session,
               **kwargs.pop("headers", {})}
    return requests.request(method, central.api + path, headers=headers, timeout=60, **kwargs)
