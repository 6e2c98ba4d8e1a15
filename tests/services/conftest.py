"""A standalone window with its people: an administrator, clerks of windows 3 and 7, chief
representatives of two departments, a supervisor and a proxy; the small test catalog loaded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from hallclient.core.cases import Applicant
from hallclient.core.catalog_format import parse_catalog
from hallclient.core.checklist import MaterialMark, MaterialStatus
from hallclient.core.intake import Intake
from hallclient.core.permissions import Actor
from hallclient.services import accounts, cases, catalog
from hallclient.workspace import Workspace
from tests.conftest import small_catalog

PASSWORD = "Passw0rd-1"
MARKET = "信阳高新区市场监督管理局"
HEALTH = "信阳高新区卫生健康委员会"
FOOD = "11411500MB1234567X-001"  # 市场监督管理局
CLINIC = "11411500MB1234567X-010"  # 卫生健康委员会
ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


@dataclass
class Hall:
    workspace: Workspace
    admin: Actor
    clerk3: Actor
    clerk7: Actor
    chief_market: Actor
    chief_health: Actor
    supervisor: Actor
    proxy: Actor

    @property
    def ctx(self):  # type: ignore[no-untyped-def]
        return self.workspace.services


def make_people(ws: Workspace) -> dict[str, Actor]:
    ctx = ws.services
    accounts.add_user(ctx, None, "admin", name="管理员", roles=["admin"], departments=[], password=PASSWORD)
    admin = accounts.sign_in(ctx, "admin", PASSWORD).actor
    for login, name, roles, depts in (
        ("clerk3", "李三", ["clerk"], []), ("clerk7", "王七", ["clerk"], []),
        ("chief_market", "赵市场", ["chief"], [MARKET]), ("chief_health", "钱卫健", ["chief"], [HEALTH]),
        ("supervisor", "孙管理", ["supervisor"], []), ("proxy", "周帮办", ["proxy"], []),
    ):
        accounts.add_user(ctx, admin, login, name=name, roles=roles, departments=depts, password=PASSWORD)
    people = {"admin": admin}
    for login in ("clerk3", "clerk7", "chief_market", "chief_health", "supervisor", "proxy"):
        people[login] = accounts.sign_in(ctx, login, PASSWORD).actor
    return people


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[Hall]:
    ws = Workspace(tmp_path / "window")
    ws.settings.window_number = "3"
    people = make_people(ws)
    catalog.replace_catalog(ws.services, people["admin"], parse_catalog(small_catalog()))
    from dataclasses import replace

    people["clerk7"] = replace(people["clerk7"], window_number="7")  # the same people, window 7's clerk
    yield Hall(ws, **people)
    ws.close()


def accept(hall: Hall, actor: Actor, code: str = FOOD, name: str = "张三"):  # type: ignore[no-untyped-def]
    """A case accepted with everything received, as the intake tab would confirm it."""
    ctx = hall.ctx
    items = catalog.load_items(ctx, [code])
    intake = Intake(tuple(items))
    intake.set_applicant(Applicant(name=name, id_number=ID_NUMBER, phone=PHONE))
    for row in intake.rows:
        status = MaterialStatus.E_LICENSE if row.material.source.value == "e_license" else MaterialStatus.RECEIVED
        intake.set_mark(row.material.key, MaterialMark(status, original=True, license_number="L-1"
                                                       if status is MaterialStatus.E_LICENSE else None))
    today = date(2026, 9, 28)
    result = intake.result(today, catalog.load_calendar(ctx))
    draft = intake.draft(result, today=today, window=actor.window_number, clerk=actor.name)
    return cases.create_case(ctx, actor, draft).value
