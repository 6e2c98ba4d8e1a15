"""The chief representative at their own client, through a real central on loopback: a case
accepted at window 3 reaches the chief's inbox within one poll, the chief's decision reaches window
3 within one poll (state, due date, the event and its opinion in the history); who may not decide
is refused at the service and at the central (403 naming the role); two decisions on one case
from two places: the first wins, the second is kept with the central's note."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select, text

from hallclient.central.accounts import create_account
from hallclient.core.approval import ApprovalOutcome, ApprovalRefused
from hallclient.core.cases import CaseState
from hallclient.core.permissions import Actor, PermissionDenied
from hallclient.services import accounts, approval
from hallclient.services import cases as case_service
from hallclient.store.models import OutboxRow
from hallclient.sync.live import poll
from hallclient.sync.round import run_sync_round
from hallclient.workspace import Workspace
from tests.central.people_support import (
    HEALTH,
    PASSWORD,
    Clock,
    add_person,
    as_person,
    session_of,
    start_hall,
)
from tests.central.support import Central
from tests.services.conftest import CLINIC


@dataclass
class Desk:
    """A workspace at one device, and who is signed in there."""

    ws: Workspace
    actor: Actor | None = None
    session: str | None = None

    def sign_in(self, login: str) -> Actor:
        signed = accounts.sign_in(self.ws.services, login, PASSWORD)
        self.actor, self.session = signed.actor, signed.session_token
        return signed.actor

    def poll(self):  # type: ignore[no-untyped-def]
        login = self.actor.login if self.actor else None
        report = poll(self.ws.store, self.ws.settings, session_token=self.session, login=login)
        assert report.online, report.error
        return report


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[Central]:
    running = start_hall(f"sqlite:///{tmp_path / 'central.db'}", Clock())
    add_person(running, "chief_health2", ["chief"], [HEALTH], name="李卫健")
    with running.store.session() as session, session.begin():
        running.extra["chief_device"] = create_account(session, "12", "首席代表席")
        running.extra["chief_device2"] = create_account(session, "13", "首席代表席二")
    try:
        yield running
    finally:
        running.stop()
        running.store.close()


def desk(tmp_path: Path, hall: Central, name: str, window: str, token: str) -> Desk:
    ws = Workspace(tmp_path / name)
    ws.settings.window_number = window
    ws.settings.central_url, ws.settings.central_token = hall.url, token
    assert run_sync_round(ws.store, ws.settings).ok  # the catalog from the central
    return Desk(ws)


@pytest.fixture
def desks(tmp_path: Path, hall: Central) -> Iterator[dict[str, Desk]]:
    made = {"w3": desk(tmp_path, hall, "w3", "3", hall.window_token),
            "chief": desk(tmp_path, hall, "chief", "12", hall.extra["chief_device"]),
            "chief2": desk(tmp_path, hall, "chief2", "13", hall.extra["chief_device2"])}
    yield made
    for one in made.values():
        one.ws.close()


def authorise(hall: Central, login: str, **body: Any) -> requests.Response:
    boss = session_of(hall, hall.admin_token, "boss")
    return as_person(hall, hall.admin_token, boss, "PUT", f"/authorisations/{login}",
                     json={"departments": [HEALTH], **body})


def accept_at(w3: Desk, code: str = CLINIC):  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from tests.services.conftest import accept

    w3.sign_in("clerk3")
    return accept(SimpleNamespace(ctx=w3.ws.services), w3.actor, code=code)  # type: ignore[arg-type]


def test_accept_at_3_approve_at_the_chiefs_client_and_3_sees_it(hall: Central, desks: dict[str, Desk]) -> None:
    w3, chief = desks["w3"], desks["chief"]
    assert authorise(hall, "chief_health").json()["version"] == 1
    actor = chief.sign_in("chief_health")
    assert approval.current_authorisation(chief.ws.services, "chief_health").version == 1  # pulled at sign-in
    case = accept_at(w3)
    started = time.perf_counter()
    assert w3.poll().pushed >= 1
    seen = chief.poll()
    reached_chief = time.perf_counter() - started
    assert seen.inbox_added == 1 and case.uuid in seen.case_uuids
    inbox = approval.inbox(chief.ws.services, actor, case.accepted_on)
    assert [c.uuid for c in inbox] == [case.uuid]
    copy = inbox[0]
    assert copy.window_number == "3" and copy.applicant.id_number == case.applicant.id_number
    with chief.ws.store.engine.connect() as conn:  # the copy is encrypted at rest like every case
        stored = conn.execute(text("SELECT applicant FROM cases WHERE uuid = :u"), {"u": case.uuid}).scalar()
    assert case.applicant.id_number not in stored
    assert chief.poll().inbox_unchanged  # nothing new: the cheap answer

    done = approval.decide(chief.ws.services, actor, case.uuid, ApprovalOutcome.APPROVED).value
    assert done.state is CaseState.COMPLETED
    started = time.perf_counter()
    assert chief.poll().pushed >= 1
    back = w3.poll()
    reached_window = time.perf_counter() - started
    assert case.uuid in back.case_uuids
    at_3 = case_service.load_case(w3.ws.services, w3.actor, case.uuid)  # type: ignore[arg-type]
    assert at_3.state is CaseState.COMPLETED
    assert at_3.events[-1]["kind"] == "approved" and at_3.events[-1]["data"]["chief"] == "chief_health"
    with hall.store.session() as session:
        kinds = session.execute(text("SELECT kind, actor FROM audit_log WHERE kind = 'case.decision'")).all()
    assert [tuple(k) for k in kinds] == [("case.decision", "chief_health")]
    print(f"\naccept→chief inbox {reached_chief * 1000:.0f} ms, decision→window 3 {reached_window * 1000:.0f} ms")
    assert reached_chief < 5 and reached_window < 5


def test_send_back_with_an_opinion_and_an_extension(hall: Central, desks: dict[str, Desk]) -> None:
    w3, chief = desks["w3"], desks["chief"]
    authorise(hall, "chief_health")
    actor = chief.sign_in("chief_health")
    first, second = accept_at(w3), accept_at(w3)
    w3.poll()
    chief.poll()
    approval.decide(chief.ws.services, actor, first.uuid, ApprovalOutcome.SENT_BACK, opinion="健康证明须为本年度")
    extended = approval.decide(chief.ws.services, actor, second.uuid, ApprovalOutcome.EXTENDED, days=5,
                               reason="需现场核查").value
    chief.poll()
    w3.poll()
    sent = case_service.load_case(w3.ws.services, w3.actor, first.uuid)  # type: ignore[arg-type]
    assert sent.state is CaseState.SENT_BACK and sent.events[-1]["data"]["opinion"] == "健康证明须为本年度"
    moved = case_service.load_case(w3.ws.services, w3.actor, second.uuid)  # type: ignore[arg-type]
    assert moved.due_date == extended.due_date and moved.due_date != second.due_date
    assert moved.events[-1]["kind"] == "extended"
    assert w3.poll().events_applied == 0  # applied once


def test_another_department_and_a_clerk_may_not(hall: Central, desks: dict[str, Desk]) -> None:
    w3, chief = desks["w3"], desks["chief"]
    authorise(hall, "chief_health")
    case = accept_at(w3)
    w3.poll()
    market = chief.sign_in("chief_market")
    assert chief.poll().inbox_listed == 0  # not in the market chief's inbox
    assert approval.inbox(chief.ws.services, market, case.accepted_on) == []
    health = chief.sign_in("chief_health")
    chief.poll()  # the copy is here now
    with pytest.raises(PermissionDenied, match=f"首席代表（{HEALTH}）"):
        approval.decide(chief.ws.services, market, case.uuid, ApprovalOutcome.APPROVED)
    with pytest.raises(PermissionDenied, match="不能审批"):
        approval.decide(w3.ws.services, w3.actor, case.uuid, ApprovalOutcome.APPROVED)  # type: ignore[arg-type]
    # a device claiming the decision in another person's name: 403 naming the role, audited
    for who in ("chief_market", "clerk3", "chief_health2"):
        answer = _push_decision(hall, hall.extra["chief_device"], case.uuid, who)
        assert answer.status_code == 403, answer.text
        assert f"需要首席代表（{HEALTH}）权限" in answer.json()["message"]
    with hall.store.session() as session:
        refused = session.execute(text("SELECT count(*) FROM audit_log WHERE kind = 'case.decision_refused'")).scalar()
    assert refused == 3
    assert health.login == "chief_health"


def _push_decision(hall: Central, token: str, case_uuid: str, chief: str) -> requests.Response:
    event = {"uuid": str(uuid.uuid4()), "case_uuid": case_uuid, "kind": "approved",
             "at": "2026-09-28T10:00:00+08:00", "clerk_name": chief, "data": {"chief": chief}}
    return requests.put(f"{hall.api}/case-events/{event['uuid']}", json=event,
                        headers={"Authorization": f"Bearer {token}"}, timeout=30)


def test_two_chiefs_decide_one_case_the_first_wins(hall: Central, desks: dict[str, Desk]) -> None:
    w3, one, two = desks["w3"], desks["chief"], desks["chief2"]
    authorise(hall, "chief_health")
    authorise(hall, "chief_health2")
    first, second = one.sign_in("chief_health"), two.sign_in("chief_health2")
    case = accept_at(w3)
    w3.poll()
    one.poll()
    two.poll()
    approval.decide(one.ws.services, first, case.uuid, ApprovalOutcome.APPROVED)  # both before either pushes
    approval.decide(two.ws.services, second, case.uuid, ApprovalOutcome.SENT_BACK, opinion="材料需复核")
    assert one.poll().conflicts == 0
    lost = two.poll()
    assert lost.conflicts == 1 and any("中心已先收到" in w for w in lost.warnings)
    with two.ws.store.session() as session:  # kept, with the central's message
        notes = session.execute(select(OutboxRow.last_error).where(OutboxRow.kind == "case_event")).scalars().all()
    assert any("中心已先收到孙首席" in (n or "") for n in notes)
    there = case_service.load_case(two.ws.services, second, case.uuid)
    assert there.state is CaseState.COMPLETED  # the copy shows what the central decided
    mine = [e for e in there.events if e["kind"] == "sent_back"]
    assert mine and "未生效" in mine[0]["data"]["superseded"]
    w3.poll()
    at_3 = case_service.load_case(w3.ws.services, w3.actor, case.uuid)  # type: ignore[arg-type]
    assert at_3.state is CaseState.COMPLETED and [e["kind"] for e in at_3.events].count("sent_back") == 0
    with pytest.raises(ApprovalRefused, match="不能审批"):
        approval.decide(two.ws.services, second, case.uuid, ApprovalOutcome.APPROVED)


def test_without_an_authorisation_the_chief_is_refused_at_the_window(hall: Central, desks: dict[str, Desk]) -> None:
    w3, chief = desks["w3"], desks["chief"]
    actor = chief.sign_in("chief_health")
    case = accept_at(w3)
    w3.poll()
    chief.poll()
    for outcome, extra in ((ApprovalOutcome.APPROVED, {}), (ApprovalOutcome.SENT_BACK, {"opinion": "x"})):
        with pytest.raises(ApprovalRefused, match="没有有效的首席代表授权书"):
            approval.decide(chief.ws.services, actor, case.uuid, outcome, **extra)  # type: ignore[arg-type]
    assert authorise(hall, "chief_health", valid_to="2020-01-01").status_code == 200
    assert chief.poll().authorisation_version == 1  # the inbox answer carries it
    with pytest.raises(ApprovalRefused, match="已于 2020-01-01 到期"):
        approval.decide(chief.ws.services, actor, case.uuid, ApprovalOutcome.APPROVED)


def test_authorisations_at_the_api(hall: Central, desks: dict[str, Desk]) -> None:
    assert authorise(hall, "clerk3").status_code == 422
    assert authorise(hall, "chief_market").status_code == 422  # not a chief of 卫健委
    assert authorise(hall, "chief_health", item_codes=[CLINIC], note="卫健授〔2026〕1号").json()["version"] == 1
    assert authorise(hall, "chief_health").json()["version"] == 2
    own = session_of(hall, hall.extra["chief_device"], "chief_health")
    read = as_person(hall, hall.extra["chief_device"], own, "GET", "/authorisations/chief_health").json()
    assert read["current"]["version"] == 2 and [v["version"] for v in read["versions"]] == [1, 2]
    other = session_of(hall, hall.extra["chief_device"], "chief_market")
    assert as_person(hall, hall.extra["chief_device"], other, "GET", "/authorisations/chief_health").status_code == 403
    sup = session_of(hall, hall.window_token, "super")
    assert as_person(hall, hall.window_token, sup, "GET", "/authorisations/chief_health").status_code == 200
    clerk = session_of(hall, hall.window_token, "clerk3")
    assert as_person(hall, hall.window_token, clerk, "PUT", "/authorisations/chief_health",
                     json={"departments": [HEALTH]}).status_code == 403
