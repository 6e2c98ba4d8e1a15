"""A central restored from an older backup: noticed, said, repaired (no Qt).

Each round asks `GET /windows/me` what the central holds of this window. The window knows what
the central confirmed (its outbox rows marked done). When the central holds fewer of this
window's cases or case events than it confirmed, or it is another database (another epoch: its
feed id), the window asks which of its confirmed records the central lacks (`POST
/windows/me/missing`, 1,000 at a time) and puts those back in the outbox: the push that follows
sends them again (idempotent upserts by UUID, so nothing is doubled).

Case numbers: the central's highest case number of each year for this window raises the
window's counter (`raise_counters_to`), so a window restored from its own older backup never
issues a number the central already has.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Table, func, select, update
from sqlalchemy.orm import Session

from hallclient.store.database import Store, get_meta, set_meta
from hallclient.store.models import OutboxRow
from hallclient.sync.client import CentralClient

OUTBOX = cast(Table, OutboxRow.__table__)
EPOCH_KEY = "central_epoch_seen"
KINDS = ("case", "case_event")
CHUNK = 1000
REPUSH_NOTE = "中心数据缺少此记录（中心可能从较早的备份恢复）：重新上报"


@dataclass
class ReconcileResult:
    restored: bool = False  # the central lacked records it had confirmed
    new_epoch: bool = False  # another central database than last time
    repushed: int = 0
    counters_raised: dict[int, int] | None = None

    def message(self) -> str | None:
        if not self.restored:
            return None
        return (f"中心数据比本窗口记录的旧（中心可能从备份恢复）：已重新排队上报 {self.repushed} 条记录"
                if self.repushed else "中心数据已更换，本窗口记录均在中心")


def _confirmed(session: Session, kind: str) -> int:
    return int(session.execute(select(func.count()).select_from(OUTBOX).where(
        OUTBOX.c.kind == kind, OUTBOX.c.done_at.is_not(None))).scalar_one())


def reconcile(store: Store, client: CentralClient, case_number_pattern: str, window: str) -> ReconcileResult:
    """Compare with the central and re-queue what it lacks (module doc)."""
    result = ReconcileResult()
    me = client.json("GET", "/windows/me")
    if not isinstance(me, dict):
        return result
    with store.session() as session:
        seen = get_meta(session, EPOCH_KEY)
        behind = {kind: _confirmed(session, kind) > int(me.get(field, 0) or 0)
                  for kind, field in (("case", "cases"), ("case_event", "case_events"))}
    epoch = str(me.get("epoch") or "")
    result.new_epoch = bool(seen) and epoch != seen
    if any(behind.values()) or result.new_epoch:
        for kind in KINDS:
            if behind[kind] or result.new_epoch:
                result.repushed += _requeue_missing(store, client, kind)
        result.restored = result.repushed > 0 or any(behind.values())
    result.counters_raised = raise_from_central(store, me.get("max_case_numbers") or {}, case_number_pattern, window)
    if epoch and epoch != seen:
        store.write(lambda session: set_meta(session, EPOCH_KEY, epoch))
    return result


def _requeue_missing(store: Store, client: CentralClient, kind: str) -> int:
    with store.session() as session:
        uuids = list(session.execute(select(OUTBOX.c.record_uuid).where(
            OUTBOX.c.kind == kind, OUTBOX.c.done_at.is_not(None)).order_by(OUTBOX.c.id)).scalars())
    again = 0
    for start in range(0, len(uuids), CHUNK):
        body = json.dumps({"kind": kind, "uuids": uuids[start:start + CHUNK]}).encode()
        answer = client.json("POST", "/windows/me/missing", body=body)
        missing = [u for u in (answer.get("missing") or []) if isinstance(u, str)] if isinstance(answer, dict) else []
        if not missing:
            continue
        with store.session() as session, session.begin():
            for part in range(0, len(missing), 500):
                again += cast(CursorResult[Any], session.execute(update(OUTBOX).where(
                    OUTBOX.c.kind == kind, OUTBOX.c.record_uuid.in_(missing[part:part + 500])).values(
                    done_at=None, attempts=0, next_attempt_at=None, last_error=REPUSH_NOTE))).rowcount or 0
    return again


def case_seq(pattern: str, year: int, window: str, case_number: str) -> int | None:
    """The sequence number inside `case_number` made by `pattern` (None: not of this pattern)."""
    marker = 987654321
    try:
        sample = pattern.format(year=year, window=window, seq=marker)
    except (KeyError, IndexError, ValueError):
        return None
    head, found, tail = sample.partition(str(marker))
    if not found:
        return None
    match = re.fullmatch(re.escape(head) + r"(\d+)" + re.escape(tail), case_number)
    return int(match.group(1)) if match else None


def raise_from_central(store: Store, highest: dict[str, Any], pattern: str, window: str) -> dict[int, int]:
    """Raise the window's case counters to the central's highest numbers; returns what was raised."""
    raised: dict[int, int] = {}
    for year_text, number in highest.items():
        try:
            year = int(year_text)
        except (TypeError, ValueError):
            continue
        seq = case_seq(pattern, year, window, str(number))
        if seq is None:
            continue
        with store.session() as session, session.begin():
            if raise_counters_to(session, year, seq):
                raised[year] = seq
    return raised


def raise_counters_to(session: Session, year: int, seq: int) -> bool:
    """The window's case counter of `year` at least `seq` (hallclient.store.backup's)."""
    from hallclient.store.backup import raise_counters_to as store_raise

    return bool(store_raise(session, year, seq))
