"""What windows pull back: later events of their own cases, and a chief representative's inbox.

- `events_since(window, since)`: the events of the cases `window` accepted, in feed order, that
  the window did not push itself (a chief's decision at their own client, a back office's), with
  the cursor to ask from next time. The cursor is read before the events, and feed numbers become
  visible in order (hallclient.central.approval_schema), so nothing is skipped.
- `inbox(actor, changed_since)`: accepted cases (and those at the back office) whose items all
  belong to the chief's departments and allow on-site approval, newest first, with the chief's
  current authorisation. When nothing was pushed since `changed_since` the answer is
  `unchanged` and costs two indexed reads, no audit record: a client may ask every few seconds.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import and_, exists, not_, select, text
from sqlalchemy.orm import Session

from hallclient.central import audit_log
from hallclient.central.authorisations import current
from hallclient.central.crypto import CaseCipher, for_reader
from hallclient.central.decisions import feed_position
from hallclient.central.intake import CASE_ITEMS, CASES
from hallclient.core.permissions import Action, Actor, require
from hallclient.store.catalog_repo import ITEMS

EVENTS_LIMIT = 500
INBOX_LIMIT = 500
INBOX_STATES = ("accepted", "in_approval")


def events_since(session: Session, window: str, since: int, limit: int = EVENTS_LIMIT) -> dict[str, Any]:
    cursor = feed_position(session)
    rows = session.execute(text(
        "SELECT e.feed_seq, e.payload, e.pushed_by FROM central_case_events e "
        "JOIN central_cases c ON c.uuid = e.case_uuid "
        "WHERE c.window_number = :w AND e.feed_seq > :since AND e.feed_seq <= :upto AND e.superseded IS NULL "
        "AND e.pushed_by <> :w ORDER BY e.feed_seq LIMIT :limit"),
        {"w": window, "since": since, "upto": cursor, "limit": limit + 1}).all()
    more = len(rows) > limit
    rows = rows[:limit]
    if more:
        cursor = int(rows[-1].feed_seq)
    events = [{**json.loads(r.payload), "seq": int(r.feed_seq), "pushed_by": r.pushed_by} for r in rows]
    return {"events": events, "cursor": cursor, "more": more}


def _inbox_clause(departments: tuple[str, ...]) -> Any:
    """Every item of the case is of these departments and allows on-site approval."""
    fitting = exists(select(ITEMS.c.code).where(ITEMS.c.code == CASE_ITEMS.c.item_code,
                                                ITEMS.c.department.in_(list(departments)),
                                                ITEMS.c.on_site_approval.is_(True)))
    unfit = exists(select(CASE_ITEMS.c.item_code).where(CASE_ITEMS.c.case_uuid == CASES.c.uuid, not_(fitting)))
    some = exists(select(CASE_ITEMS.c.item_code).where(CASE_ITEMS.c.case_uuid == CASES.c.uuid))
    return and_(some, not_(unfit))


def inbox(session: Session, cipher: CaseCipher, audit_key: bytes, actor: Actor,
          changed_since: int | None = None) -> dict[str, Any]:
    require(actor, Action.CASE_APPROVE)
    cursor = feed_position(session)
    auth = current(session, actor.login)
    answer: dict[str, Any] = {"cursor": cursor, "authorisation": auth.to_json() if auth else None}
    if changed_since is not None and changed_since == cursor:
        return {**answer, "unchanged": True, "cases": []}
    query = (select(CASES.c.uuid, CASES.c.case_number, CASES.c.window_number, CASES.c.state, CASES.c.applicant_name,
                    CASES.c.accepted_on, CASES.c.payload)
             .where(CASES.c.state.in_(INBOX_STATES), _inbox_clause(actor.departments))
             .order_by(CASES.c.accepted_on.desc(), CASES.c.case_number.desc()).limit(INBOX_LIMIT))
    cases = []
    for row in session.execute(query):
        case = for_reader(cipher.open_id(json.loads(row.payload)), actor)
        cases.append({"uuid": row.uuid, "case_number": row.case_number, "window_number": row.window_number,
                      "state": row.state, "applicant_name": row.applicant_name, "accepted_on": row.accepted_on,
                      "created_at": case.get("created_at"), "item_codes": case.get("item_codes", []),
                      "item_names": case.get("item_names", [])})
    audit_log.append(session, audit_key, actor=actor.login, roles=sorted(r.value for r in actor.roles),
                     window=actor.window_number, kind="case.list",
                     detail={"filter": {"inbox": True}, "returned": len(cases)})
    return {**answer, "unchanged": False, "cases": cases}
