"""A chief representative's inbox and authorisation, pulled into their own client's database.

The chief works at their own device, so the cases they decide were accepted at other windows.
`pull_inbox` asks the central for the signed-in chief's inbox (`GET /cases?inbox=1`, with the
person's session; `changed_since` makes an unchanged answer cheap) and keeps a read-only copy of
each case here: the case row as the accepting window pushed it, with the central's state and its
events, the applicant encrypted at rest with this database's key like every case. The copy is
someone else's: its `window_number` is the accepting window's, not this device's, so no clerk
here may act on it, and nothing about it is pushed except the decision the chief takes
(hallclient.services.approval.decide, through the outbox). A copy that left the inbox (decided
elsewhere) is read again, so it shows what happened, and a decision of ours that came second
shows the central's note.

`store_authorisation` keeps the versions of the chief's 授权书 the central sends, so the window's
own check works offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import quote

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from hallclient.core.approval import Authorisation
from hallclient.store.cases_repo import cipher_of
from hallclient.store.database import Store, get_meta, set_meta
from hallclient.store.models import AuthorisationRow, CaseEventRow, CaseRow, OutboxRow
from hallclient.sync.auth_client import SESSION_HEADER
from hallclient.sync.case_pull import apply_event
from hallclient.sync.client import CentralClient, CentralRejected
from hallclient.sync.outbox import WARNING_PREFIX

CASES = cast(Table, CaseRow.__table__)
AUTH = cast(Table, AuthorisationRow.__table__)
EVENTS = cast(Table, CaseEventRow.__table__)
OUTBOX = cast(Table, OutboxRow.__table__)
DEVICE_WINDOW = "device_window"  # this device's window number, as the central's account says
_JSON = ("applicant", "item_codes", "item_names", "checklist", "reasons", "tolerated", "commitments",
         "item_deadlines")
_REQUIRED_TEXT = ("clerk_name", "applicant_name", "applicant_id", "decision")
DECIDABLE = ("accepted", "in_approval")


@dataclass
class InboxResult:
    unchanged: bool = False
    listed: int = 0  # cases in the inbox now
    added: int = 0  # copies made here
    refreshed: int = 0  # copies read again (state changed, or decided elsewhere)
    case_uuids: set[str] = field(default_factory=set)
    authorisation_version: int | None = None


def device_window(store: Store, client: CentralClient) -> str:
    with store.session() as session:
        known = get_meta(session, DEVICE_WINDOW)
    if known:
        return known
    number = str(client.whoami().get("window_number") or "")
    if number:
        store.write(lambda session: set_meta(session, DEVICE_WINDOW, number))
    return number


def store_authorisation(session: Session, data: dict[str, Any]) -> int | None:
    """Keep a version of a chief's authorisation sent by the central; its version number."""
    try:
        auth = Authorisation.from_json(data)
    except (KeyError, TypeError, ValueError):
        return None
    known = session.execute(select(AUTH.c.version).where(AUTH.c.login == auth.login,
                                                         AUTH.c.version == auth.version)).first()
    if known is None:
        session.execute(insert(AUTH).values(login=auth.login, version=auth.version,
                                            data=json.dumps(auth.to_json(), ensure_ascii=False),
                                            created_by="central", created_at=str(data.get("created_at") or "")))
    return auth.version


def pull_authorisation(store: Store, client: CentralClient, session_token: str, login: str) -> int | None:
    """Every version of `login`'s authorisation; the current version, or None when there is none."""
    try:
        answer = client.json("GET", f"/authorisations/{quote(login, safe='')}",
                             headers={SESSION_HEADER: session_token})
    except CentralRejected as exc:
        if exc.status == 404:
            return None
        raise
    versions = answer.get("versions") if isinstance(answer, dict) else None
    if not isinstance(versions, list):
        raise CentralRejected(200, "中心服务的授权书格式不正确")
    latest = None
    with store.session() as session, session.begin():
        for data in versions:
            if isinstance(data, dict):
                latest = store_authorisation(session, data) or latest
    return latest


def _store_copy(session: Session, answer: dict[str, Any]) -> str | None:
    """Insert or refresh the copy of one case read from the central (GET /cases/{uuid})."""
    case = answer.get("case")
    if not isinstance(case, dict) or not isinstance(case.get("uuid"), str):
        return None
    cipher = cipher_of(session)
    case_uuid = str(case["uuid"])
    state = str(answer.get("state") or case.get("state") or "accepted")
    events = [e for e in answer.get("events") or [] if isinstance(e, dict)]
    due = case.get("due_date")
    for event in events:
        if event.get("kind") == "extended" and isinstance(event.get("data"), dict) \
                and not event["data"].get("superseded") and event["data"].get("new_due"):
            due = event["data"]["new_due"]
    exists = session.execute(select(CASES.c.uuid).where(CASES.c.uuid == case_uuid)).first()
    if exists is not None:
        session.execute(update(CASES).where(CASES.c.uuid == case_uuid).values(
            state=state, due_date=due, updated_at=str(case.get("updated_at") or "")))
    else:
        row = {column.name: case.get(column.name) for column in CASES.columns}
        for name in _JSON:
            if name in row and not isinstance(row[name], str | type(None)):
                row[name] = json.dumps(row[name], ensure_ascii=False)
        for name in _REQUIRED_TEXT:
            row[name] = row.get(name) or ""
        applicant_json = str(row.get("applicant") or "{}")
        applicant_id = str(case.get("applicant_id") or "")
        row.update(state=state, due_date=due, applicant=cipher.encrypt(applicant_json),
                   applicant_id=cipher.blind_index(applicant_id),
                   delivery_address=cipher.encrypt(str(row["delivery_address"])) if row.get("delivery_address") else None)
        for name in ("item_codes", "item_names", "checklist", "reasons", "tolerated", "commitments"):
            row[name] = row.get(name) or "[]"
        session.execute(insert(CASES).values(**row))
    for event in events:
        apply_event(session, event, require_case=False)
    # the events' states were applied in order; the central's own state is the last word
    session.execute(update(CASES).where(CASES.c.uuid == case_uuid).values(state=state, due_date=due))
    return case_uuid


def _conflicted(store: Store, copies: set[str]) -> set[str]:
    """Copies where a decision of ours was answered as a conflict and has no central note yet."""
    if not copies:
        return set()
    with store.session() as session:
        rows = session.execute(select(EVENTS.c.case_uuid, EVENTS.c.data).join(
            OUTBOX, OUTBOX.c.record_uuid == EVENTS.c.uuid).where(
            OUTBOX.c.kind == "case_event", OUTBOX.c.done_at.is_not(None),
            OUTBOX.c.last_error.like(WARNING_PREFIX + "%"))).all()
    return {r.case_uuid for r in rows if r.case_uuid in copies and "superseded" not in json.loads(r.data)}


def pull_inbox(store: Store, client: CentralClient, session_token: str, login: str) -> InboxResult:
    """CentralUnreachable / CentralRejected (401: the session ended; 403: not a chief) propagate."""
    result = InboxResult()
    key = f"chief_inbox_cursor:{login}"
    with store.session() as session:
        since = get_meta(session, key)
    headers = {SESSION_HEADER: session_token}
    params: dict[str, Any] = {"inbox": 1, **({"changed_since": int(since)} if since else {})}
    answer = client.json("GET", "/cases", params=params, headers=headers)
    if not isinstance(answer, dict) or not isinstance(answer.get("cases"), list):
        raise CentralRejected(200, "中心服务的待审办件格式不正确")
    with store.session() as session, session.begin():
        if isinstance(answer.get("authorisation"), dict):
            result.authorisation_version = store_authorisation(session, answer["authorisation"])
    if answer.get("unchanged"):
        result.unchanged = True
        return result
    listed = {c["uuid"]: c for c in answer["cases"] if isinstance(c, dict) and isinstance(c.get("uuid"), str)}
    result.listed = len(listed)
    mine = device_window(store, client)
    with store.session() as session:
        copies = {r.uuid: r.state for r in session.execute(
            select(CASES.c.uuid, CASES.c.state).where(CASES.c.window_number != mine))}
    wanted = [u for u, c in listed.items() if u not in copies or copies[u] != c.get("state")]
    conflicted = _conflicted(store, set(copies))
    wanted += [u for u, state in copies.items() if u not in listed and (state in DECIDABLE or u in conflicted)]
    answers = [client.json("GET", f"/cases/{u}", headers=headers) for u in wanted]
    def keep(session: Session) -> None:  # the copies and the cursor, on the database worker
        for one in answers:
            case_uuid = _store_copy(session, one) if isinstance(one, dict) else None
            if case_uuid:
                result.case_uuids.add(case_uuid)
                if case_uuid in copies:
                    result.refreshed += 1
                else:
                    result.added += 1
        if isinstance(answer.get("cursor"), int):
            set_meta(session, key, str(answer["cursor"]))

    store.write(keep)
    return result
