"""Pushing the outbox: cases and case events, in the order they were made, until confirmed.

- Rows go in id order; a row is marked done only after the central's 2xx. A crash or a cut
  connection after the central committed just means the row is pushed again: the central's
  upsert by UUID answers "unchanged", so nothing is doubled.
- Unreachable (or a 5xx): the row gets attempts + 1 and a next attempt time
  now + min(cap, base · 2^(attempts−1)) · jitter (jitter uniform in [0.5, 1)); the round stops
  there, since the rest would fail the same way.
- Rejected (a 4xx other than 408/409/425/429: the record itself is wrong for this central, or
  it is damaged locally): it
  is kept with last_error and the same backoff with a longer cap, and the round goes on with
  the next rows, so one bad record never blocks the queue. Events of a case (or of a walk-in
  ticket) that is not yet confirmed wait for it (they would only get 409/404).
- A timer round skips rows whose next attempt is not due; a manual round (F9, `hallclient
  sync`) tries everything now.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from hallclient.store.database import Store
from hallclient.store.models import OutboxRow
from hallclient.sync.client import CentralClient, CentralRejected, CentralUnreachable
from hallclient.sync.payloads import BadPayload, wire_body

OUTBOX = cast(Table, OutboxRow.__table__)
BACKOFF_BASE = 2.0  # seconds
BACKOFF_CAP = 300.0  # unreachable / server trouble: at most every 5 minutes
REJECTED_CAP = 3600.0  # a record the central refused: at most hourly (it needs a person)
WARNING_PREFIX = "中心提示："
CONFLICT_NOTE = "中心已有此记录的另一版本（同一修改时间、内容不同）：本窗口保留自己的版本，请核对"
# Records whose events wait for them, and the payload field naming the parent of an event.
PARENT_KINDS = frozenset({"case", "walkin_ticket"})
PARENT_FIELD = {"case_event": "case_uuid", "queue_event": "ticket_uuid"}


@dataclass
class PushResult:
    pushed: int = 0
    rejected: int = 0
    deferred: int = 0  # not due yet, or waiting for their case
    online: bool = True
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    conflicts: int = 0  # answered "conflict": the central keeps its record, the window keeps its own


@dataclass(frozen=True)
class OutboxSummary:
    waiting: int  # not yet confirmed by the central
    failing: int  # of those, tried at least once
    oldest: str | None  # created_at of the oldest waiting record
    last_error: str | None


def _utc(now: datetime) -> str:
    return now.astimezone(UTC).isoformat(timespec="microseconds")


def backoff_seconds(attempts: int, *, cap: float = BACKOFF_CAP, jitter: float = 1.0) -> float:
    """Delay before the next try after `attempts` failures; jitter in [0.5, 1) spreads windows."""
    exponent = min(max(attempts - 1, 0), 30)
    return min(cap, BACKOFF_BASE * 2.0**exponent) * jitter


def _fail(session: Session, row_id: int, attempts: int, message: str, now: datetime, cap: float,
          rng: Callable[[], float]) -> None:
    delay = backoff_seconds(attempts + 1, cap=cap, jitter=0.5 + rng() / 2)
    session.execute(update(OUTBOX).where(OUTBOX.c.id == row_id).values(
        attempts=attempts + 1, last_error=message[:1000], next_attempt_at=_utc(now + timedelta(seconds=delay))))


class _Pending(NamedTuple):
    id: int
    kind: str
    record_uuid: str
    payload: str
    attempts: int
    next_attempt_at: str | None


def _fail_in(store: Store, row_id: int, attempts: int, message: str, now: datetime, cap: float,
             rng: Callable[[], float]) -> None:
    """`_fail` in its own write transaction (on the window's database worker: Store.write)."""
    def write(session: Session) -> None:
        _fail(session, row_id, attempts, message, now, cap, rng)

    store.write(write)


def _mark_done(store: Store, row_id: int, values: dict[str, Any]) -> None:
    def write(session: Session) -> None:
        session.execute(update(OUTBOX).where(OUTBOX.c.id == row_id).values(**values))

    store.write(write)


def push_outbox(store: Store, client: CentralClient, *, force: bool = False,
                now: Callable[[], datetime] = lambda: datetime.now(UTC),
                rng: Callable[[], float] = random.random) -> PushResult:
    result = PushResult()
    with store.session() as session:
        rows: Sequence[Any] = session.execute(
            select(OUTBOX.c.id, OUTBOX.c.kind, OUTBOX.c.record_uuid, OUTBOX.c.payload, OUTBOX.c.attempts,
                   OUTBOX.c.next_attempt_at).where(OUTBOX.c.done_at.is_(None)).order_by(OUTBOX.c.id)).all()
    # Payloads are encrypted at rest (they carry the applicant); decrypted only to be sent.
    if store.cipher is not None:
        cipher = store.cipher
        rows = [_Pending(**{**row._asdict(), "payload": cipher.decrypt(row.payload)}) for row in rows]
    unconfirmed_cases: set[str] = set()
    for row in rows:
        case_uuid = _case_of(row.kind, row.record_uuid, row.payload)
        if row.kind in PARENT_FIELD and case_uuid in unconfirmed_cases:
            result.deferred += 1
            continue
        if not force and row.next_attempt_at and row.next_attempt_at > _utc(now()):
            result.deferred += 1
            if row.kind in PARENT_KINDS:
                unconfirmed_cases.add(row.record_uuid)
            continue
        try:
            answer = client.push(row.kind, row.record_uuid, wire_body(row.kind, row.payload))
        except BadPayload as exc:
            _fail_in(store, row.id, row.attempts, str(exc), now(), REJECTED_CAP, rng)
            if row.kind in PARENT_KINDS:
                unconfirmed_cases.add(row.record_uuid)
            result.rejected += 1
            continue
        except CentralUnreachable as exc:
            _fail_in(store, row.id, row.attempts, str(exc), now(), BACKOFF_CAP, rng)
            result.online, result.error = False, str(exc)
            break
        except CentralRejected as exc:
            cap = BACKOFF_CAP if exc.transient else REJECTED_CAP
            _fail_in(store, row.id, row.attempts, str(exc), now(), cap, rng)
            if row.kind in PARENT_KINDS:
                unconfirmed_cases.add(row.record_uuid)
            if exc.status >= 500:
                result.error = str(exc)
                break
            result.rejected += 1
            continue
        warnings = [w for w in answer.get("warnings") or [] if isinstance(w, str)]
        if answer.get("result") == "conflict":
            result.conflicts += 1
            if not warnings:
                warnings = [CONFLICT_NOTE]
        done = {"done_at": _utc(now()), "attempts": row.attempts + 1,
                "last_error": WARNING_PREFIX + "；".join(warnings) if warnings else None}
        _mark_done(store, row.id, done)
        result.pushed += 1
        result.warnings.extend(warnings)
    return result


def _case_of(kind: str, record_uuid: str, payload: str) -> str | None:
    """The parent record of an event (a case, a walk-in ticket); a parent's own uuid."""
    if kind in PARENT_KINDS:
        return record_uuid
    try:
        value = json.loads(payload).get(PARENT_FIELD.get(kind, "case_uuid"))
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def outbox_summary(session: Session) -> OutboxSummary:
    """What the status bar shows: how many records wait for the central, and why."""
    pending = OUTBOX.c.done_at.is_(None)
    waiting, failing, oldest = session.execute(select(
        func.count(), func.count().filter(OUTBOX.c.attempts > 0), func.min(OUTBOX.c.created_at),
    ).where(pending)).one()
    last_error = session.execute(select(OUTBOX.c.last_error).where(pending, OUTBOX.c.last_error.is_not(None))
                                 .order_by(OUTBOX.c.id.desc()).limit(1)).scalar()
    return OutboxSummary(waiting=int(waiting), failing=int(failing), oldest=oldest, last_error=last_error)
