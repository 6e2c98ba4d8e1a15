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


# -- a hall: an admin device, windows 3 and 7, the small catalog, people of each role ---------

MARKET = "信阳高新区市场监督管理局"  # items -001, -002
HEALTH = "信阳高新区卫生健康委员会"  # item -010
FOOD_ITEM = "11411500MB1234567X-001"
HEALTH_ITEM = "11411500MB1234567X-010"
ID_NUMBER = "41152819880612345X"
PHONE = "13912345678"


class Clock:
    """A settable clock for sign-in lockout and session expiry."""

    def __init__(self) -> None:
        from datetime import UTC, datetime

        self.now = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)

    def __call__(self) -> Any:
        return self.now

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.now += timedelta(**delta)


def start_hall(url: str, clock: Clock, *, people_too: bool = True) -> Any:
    from hallclient.central.accounts import create_account
    from hallclient.central.app import create_app
    from hallclient.central.database import open_central
    from hallclient.central.signin import AuthSettings
    from tests.central.support import Central, free_port
    from tests.conftest import small_catalog

    store = open_central(url)
    with store.session() as session, session.begin():
        admin_token = create_account(session, "admin", "管理员", "admin")
        window_token = create_account(session, "3", "综合窗口3")
        window7 = create_account(session, "7", "综合窗口7")
    hall = Central(store=store, port=free_port(), admin_token=admin_token, window_token=window_token)
    hall.extra["window7"] = window7
    hall.app = create_app(store, auth=AuthSettings(max_failures=5, lock_minutes=5, session_hours=12, clock=clock))
    hall.start()
    hall.publish(small_catalog())
    if people_too:
        add_person(hall, "boss", ["admin"], name="王管理")
        add_person(hall, "clerk3", ["clerk"], name="李三")
        add_person(hall, "clerk7", ["clerk"], name="赵七")
        add_person(hall, "chief_market", ["chief"], [MARKET], name="钱首席")
        add_person(hall, "chief_health", ["chief"], [HEALTH], name="孙首席")
        add_person(hall, "super", ["supervisor"], name="周主管")
        add_person(hall, "helper", ["proxy"], name="吴帮办")
    return hall


def hall_case(window: str, item: str = FOOD_ITEM, **overrides: Any) -> dict[str, Any]:
    from tests.central.test_intake_api import case_row

    applicant = {"kind": "person", "name": "张三", "id_type": "resident_id", "id_number": ID_NUMBER,
                 "phone": PHONE, "agent_name": "", "agent_id_number": "", "uscc": ""}
    return case_row(window_number=window, item_codes=[item], applicant_id=ID_NUMBER, applicant=applicant,
                    **overrides)


def push(hall: Any, token: str, row: dict[str, Any]) -> requests.Response:
    return requests.put(f"{hall.api}/cases/{row['uuid']}", json=row,
                        headers={"Authorization": f"Bearer {token}"}, timeout=60)
