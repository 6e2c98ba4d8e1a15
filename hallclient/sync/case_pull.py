"""Pulling back what happened to this window's cases elsewhere, and to its pre-reviews.

- `pull_case_events`: the events of this window's cases that another device pushed (a chief
  representative's 准予 / 不予许可 / 退回窗口 / 转后台审批 / 延长期限 at their own client), after the
  cursor kept in `meta`. Each page is applied in one transaction together with the new cursor: the
  case's state, its due date for an extension, and the event itself in the case's history (the
  opinion of a send-back is in its data). Nothing goes to the outbox: the central has it already.
  An event already here (by its UUID) is skipped, so a page applied twice changes nothing.
- `pull_prereview_outcomes`: for this window's pre-reviews not yet known as used, where the central
  says they were taken up (window, case number).
No Qt; the sync round and `hallclient.sync.live.poll` call these.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Table, insert, select, update
from sqlalchemy.orm import Session

from hallclient.store.database import Store, get_meta, set_meta
from hallclient.store.models import CaseEventRow, CaseRow, PrereviewRow
from hallclient.sync.client import CentralClient, CentralRejected

CASES = cast(Table, CaseRow.__table__)
EVENTS = cast(Table, CaseEventRow.__table__)
PREREVIEWS = cast(Table, PrereviewRow.__table__)
CURSOR_KEY = "case_events_cursor"
MAX_PAGES = 20
# The state an event leaves the case in (as the central's hallclient.central.intake._state_after).
STATE_AFTER = {"approved": "completed", "completed": "completed", "denied": "denied", "sent_back": "sent_back",
               "to_back_office": "in_approval", "returned": "returned"}


@dataclass
class CasePullResult:
    applied: int = 0  # events added to this window's cases
    case_uuids: set[str] = field(default_factory=set)  # cases that changed (for the change hub)
    cursor: int = 0


def _text(value: Any, limit: int) -> str:
    return str(value if value is not None else "")[:limit]


def apply_event(session: Session, event: dict[str, Any], *, require_case: bool = True) -> bool:
    """Add one central event to its case here; True when something changed."""
    event_uuid, case_uuid = event.get("uuid"), event.get("case_uuid")
    if not isinstance(event_uuid, str) or not isinstance(case_uuid, str):
        return False
    raw = event.get("data")
    data: dict[str, Any] = raw if isinstance(raw, dict) else {}
    case = session.execute(select(CASES.c.uuid, CASES.c.state).where(CASES.c.uuid == case_uuid)).first()
    if case is None and require_case:
        return False
    stored = session.execute(select(EVENTS.c.data).where(EVENTS.c.uuid == event_uuid)).first()
    if stored is not None:
        if data.get("superseded") and "superseded" not in json.loads(stored.data):
            session.execute(update(EVENTS).where(EVENTS.c.uuid == event_uuid)  # the central's conflict note
                            .values(data=json.dumps(data, ensure_ascii=False)))
            return True
        return False
    kind = _text(event.get("kind"), 32)
    session.execute(insert(EVENTS).values(uuid=event_uuid, case_uuid=case_uuid, kind=kind,
                                          at=_text(event.get("at"), 32), clerk_name=_text(event.get("clerk_name"), 100),
                                          data=json.dumps(data, ensure_ascii=False)))
    if data.get("superseded"):
        return True  # kept in the history, never applied
    values: dict[str, Any] = {}
    if kind in STATE_AFTER:
        values["state"] = STATE_AFTER[kind]
    if kind == "extended" and isinstance(data.get("new_due"), str):
        values["due_date"] = data["new_due"][:10]
    if values:
        values["updated_at"] = _text(event.get("at"), 32)
        session.execute(update(CASES).where(CASES.c.uuid == case_uuid).values(**values))
    return True


def pull_case_events(store: Store, client: CentralClient, *, limit: int = 500) -> CasePullResult:
    """CentralUnreachable / CentralRejected propagate: the caller reports them."""
    result = CasePullResult()
    for _ in range(MAX_PAGES):
        with store.session() as session:
            since = int(get_meta(session, CURSOR_KEY) or 0)
        page = client.json("GET", "/case-events", params={"since": since, "limit": limit})
        events = page.get("events") if isinstance(page, dict) else None
        cursor = page.get("cursor") if isinstance(page, dict) else None
        if not isinstance(events, list) or not isinstance(cursor, int):
            raise CentralRejected(200, "中心服务的办件动态格式不正确")
        def apply_page(session: Any, events: list[Any] = events, cursor: int = cursor) -> None:
            for event in events:  # the page and its cursor in one transaction, on the database worker
                if isinstance(event, dict) and apply_event(session, event):
                    result.applied += 1
                    result.case_uuids.add(str(event["case_uuid"]))
            set_meta(session, CURSOR_KEY, str(cursor))

        store.write(apply_page)
        result.cursor = cursor
        if not page.get("more"):
            break
    return result


def pull_prereview_outcomes(store: Store, client: CentralClient, today: date | None = None) -> int:
    """Where this window's open pre-reviews were used; returns how many became known here."""
    since = ((today or date.today()) - timedelta(days=60)).isoformat()
    with store.session() as session:
        numbers = list(session.execute(select(PREREVIEWS.c.number).where(
            PREREVIEWS.c.used_case_uuid.is_(None), PREREVIEWS.c.valid_until >= since)
            .order_by(PREREVIEWS.c.created_at.desc()).limit(200)).scalars())
    if not numbers:
        return 0
    answer = client.json("GET", "/prereview-outcomes", params={"number": numbers})
    found = answer.get("prereviews") if isinstance(answer, dict) else None
    if not isinstance(found, list):
        raise CentralRejected(200, "中心服务的预审去向格式不正确")
    changed = 0
    with store.session() as session, session.begin():
        for row in found:
            if not isinstance(row, dict) or not row.get("used_case_uuid"):
                continue
            changed += cast(CursorResult[Any], session.execute(update(PREREVIEWS).where(
                PREREVIEWS.c.number == str(row.get("number")), PREREVIEWS.c.used_case_uuid.is_(None)).values(
                used_case_uuid=_text(row["used_case_uuid"], 36), used_case_number=row.get("used_case_number"),
                used_window=row.get("used_window"), used_at=row.get("used_at")))).rowcount or 0
    return changed
