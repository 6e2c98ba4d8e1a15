"""Open cases' due dates after the calendar changed (next year's notice moving this December).

`recompute_open_cases` runs in the caller's transaction, with the calendar before and after the
load: each open case's period keeps its length in working days and ends where the new calendar
puts its last day. A case whose date moved gets a `deadline_recomputed` event (pushed to the
central through the outbox like every case event).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hallclient.core.cases import CaseState
from hallclient.core.workdays import UnknownCalendarYear, WorkCalendar, recompute_deadline
from hallclient.store.cases_repo import CASES, _add_event

_OPEN = (CaseState.ACCEPTED.value, CaseState.AWAITING_SUPPLEMENT.value)


@dataclass(frozen=True)
class MovedDeadline:
    case_number: str
    what: str  # 办结 or the tolerated material's name (补正)
    before: date
    after: date


def _moved(old: WorkCalendar, new: WorkCalendar, start: date, due: date) -> date | None:
    try:
        after = recompute_deadline(old, new, start, due)
    except UnknownCalendarYear:
        return None
    return after if after is not None and after != due else None


def recompute_open_cases(
    session: Session, old: WorkCalendar, new: WorkCalendar, *, clerk: str = "calendar load"
) -> list[MovedDeadline]:
    """Move the due and supplement dates of open cases to the new calendar; list what moved."""
    moved: list[MovedDeadline] = []
    rows = session.execute(
        select(CASES.c.uuid, CASES.c.case_number, CASES.c.accepted_on, CASES.c.due_date, CASES.c.tolerated)
        .where(CASES.c.state.in_(_OPEN))
    ).all()
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    for row in rows:
        start = date.fromisoformat(row.accepted_on)
        changes: list[MovedDeadline] = []
        values: dict[str, object] = {}
        if row.due_date:
            before = date.fromisoformat(row.due_date)
            after = _moved(old, new, start, before)
            if after is not None:
                changes.append(MovedDeadline(row.case_number, "办结", before, after))
                values["due_date"] = after.isoformat()
        tolerated = json.loads(row.tolerated or "[]")
        for entry in tolerated:
            if not entry.get("supplement_by") or entry.get("supplemented_at"):
                continue
            before = date.fromisoformat(entry["supplement_by"])
            after = _moved(old, new, start, before)
            if after is not None:
                changes.append(MovedDeadline(row.case_number, f"补正：{entry.get('name', entry['key'])}",
                                             before, after))
                entry["supplement_by"] = after.isoformat()
        if not changes:
            continue
        if any(c.what.startswith("补正") for c in changes):
            values["tolerated"] = json.dumps(tolerated, ensure_ascii=False)
        values["updated_at"] = now
        session.execute(update(CASES).where(CASES.c.uuid == row.uuid).values(**values))
        _add_event(session, row.uuid, "deadline_recomputed", clerk, {
            "reason": "节假日安排调整", "changes": [
                {"what": c.what, "before": c.before.isoformat(), "after": c.after.isoformat()} for c in changes],
        }, now)
        moved.extend(changes)
    return moved
