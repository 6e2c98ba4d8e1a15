"""The central's audit trail: its own HMAC-SM3 chain, and the windows' records kept verbatim.

`append` writes one record inside the caller's transaction (so the audit and what it records
commit together or not at all). It first bumps the one-row `audit_head`, which takes the write
lock on SQLite and the row lock on PostgreSQL: appends are serialized, every seq is the next one
and every record links to the one before. The head also remembers the last tag, so removing the
newest records is caught as long as the head is not rewritten with them.

Windows push their own chained records (`PUT /audit/{uuid}`); the central cannot recompute their
tags (the window's key stays on the window) but checks their links and numbering, and keeps
them off the window, where deleting the newest would be invisible.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.orm import Session

from hallclient.central.models import AuditHead, AuditRecord, WindowAudit
from hallclient.security.audit_chain import GENESIS, ChainReport, tag_for, verify

AUDIT = AuditRecord.__table__
HEAD = AuditHead.__table__
WINDOW_AUDIT = WindowAudit.__table__
Db = Session | Connection


def now_text() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def append(db: Db, key: bytes, *, actor: str, roles: list[str], window: str, kind: str,
           case_number: str | None = None, detail: Mapping[str, Any] | None = None) -> int:
    """Add one record to the chain (in the caller's transaction); returns its seq."""
    db.execute(update(HEAD).where(HEAD.c.id == 1).values(seq=HEAD.c.seq + 1))
    head = db.execute(select(HEAD.c.seq, HEAD.c.tag).where(HEAD.c.id == 1)).one()
    record = {"seq": int(head.seq), "uuid": str(uuidlib.uuid4()), "at": now_text(), "actor": actor,
              "roles": sorted(roles), "window": window, "kind": kind, "case_number": case_number,
              "detail": dict(detail or {})}
    tag = tag_for(key, head.tag, record)
    db.execute(AUDIT.insert().values(**{**record, "roles": _json(record["roles"]),
                                        "detail": _json(record["detail"])}, prev_tag=head.tag, tag=tag))
    db.execute(update(HEAD).where(HEAD.c.id == 1).values(tag=tag))
    return record["seq"]


def _decoded(row: Any) -> dict[str, Any]:
    record = dict(row._mapping)
    record["roles"] = json.loads(record["roles"])
    record["detail"] = json.loads(record["detail"])
    return record


def records(db: Db, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every record in seq order, read in batches (a year of a hall is millions of records)."""
    last = 0
    while True:
        rows = db.execute(select(AUDIT).where(AUDIT.c.seq > last).order_by(AUDIT.c.seq).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield _decoded(row)
        last = int(rows[-1].seq)


def verify_central(db: Db, key: bytes) -> ChainReport:
    """The chain record by record, then its end against the head."""
    report = verify(key, records(db))
    if not report.ok:
        return report
    head = db.execute(select(HEAD.c.seq, HEAD.c.tag).where(HEAD.c.id == 1)).one()
    last = db.execute(select(AUDIT.c.seq, AUDIT.c.tag).order_by(AUDIT.c.seq.desc()).limit(1)).first()
    last_seq, last_tag = (int(last.seq), last.tag) if last else (0, GENESIS)
    if int(head.seq) > last_seq:
        return ChainReport(report.checked, False, last_seq + 1,
                           f"第 {last_seq + 1} 条起的记录被删除（最后一条应为第 {head.seq} 条）")
    if head.tag != last_tag or int(head.seq) != last_seq:
        return ChainReport(report.checked, False, last_seq, f"第 {last_seq} 条记录与链尾不符")
    return report


def list_records(db: Db, *, case_number: str | None = None, actor: str | None = None,
                 kind: str | None = None, since: str | None = None, limit: int = 200,
                 before_seq: int | None = None) -> list[dict[str, Any]]:
    """Newest first, filtered."""
    query = select(AUDIT)
    if case_number:
        query = query.where(AUDIT.c.case_number == case_number)
    if actor:
        query = query.where(AUDIT.c.actor == actor)
    if kind:
        query = query.where(AUDIT.c.kind == kind)
    if since:
        query = query.where(AUDIT.c.at >= since)
    if before_seq is not None:
        query = query.where(AUDIT.c.seq < before_seq)
    rows = db.execute(query.order_by(AUDIT.c.seq.desc()).limit(max(1, min(limit, 5000)))).all()
    return [_decoded(row) for row in rows]


def count(db: Db) -> int:
    return int(db.execute(select(func.count()).select_from(AUDIT)).scalar_one())


# -- records pushed by windows ---------------------------------------------------------------

class WindowRecordConflict(ValueError):
    """A window sent a record under a seq or uuid already holding different content."""


def store_window_record(db: Db, window: str, record: Mapping[str, Any]) -> str:
    """Keep a window's record verbatim; "created" or "unchanged" (a retried push)."""
    text = _json(dict(record))
    seq = int(record["seq"])
    found = db.execute(select(WINDOW_AUDIT.c.record, WINDOW_AUDIT.c.uuid, WINDOW_AUDIT.c.window,
                              WINDOW_AUDIT.c.seq).where(
        ((WINDOW_AUDIT.c.window == window) & (WINDOW_AUDIT.c.seq == seq))
        | (WINDOW_AUDIT.c.uuid == record["uuid"]))).all()
    for row in found:
        if row.record == text and row.window == window:
            return "unchanged"
        raise WindowRecordConflict(
            f"{window} 号窗口第 {seq} 条审计记录与中心已收到的不同：窗口的审计日志可能被改写")
    db.execute(WINDOW_AUDIT.insert().values(window=window, seq=seq, uuid=record["uuid"], record=text,
                                            prev_tag=record["prev_tag"], tag=record["tag"],
                                            received_at=now_text()))
    return "created"


@dataclass(frozen=True)
class WindowChain:
    window: str
    checked: int
    problem: str = ""
    first_bad_seq: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


def verify_window_chains(db: Db) -> list[WindowChain]:
    """Per window: numbering from 1 without gaps, and each record linked to the one before."""
    windows = db.execute(select(WINDOW_AUDIT.c.window).distinct().order_by(WINDOW_AUDIT.c.window)).scalars()
    results = []
    for window in list(windows):
        previous, expected, checked, problem, bad = GENESIS, 1, 0, "", None
        rows = db.execute(select(WINDOW_AUDIT.c.seq, WINDOW_AUDIT.c.prev_tag, WINDOW_AUDIT.c.tag)
                          .where(WINDOW_AUDIT.c.window == window).order_by(WINDOW_AUDIT.c.seq))
        for row in rows:
            if int(row.seq) != expected:
                problem, bad = f"{window} 号窗口第 {expected} 条审计记录缺失（下一条为第 {row.seq} 条）", expected
                break
            if row.prev_tag != previous:
                problem, bad = f"{window} 号窗口第 {row.seq} 条审计记录与前一条链接不符", int(row.seq)
                break
            previous, expected, checked = row.tag, expected + 1, checked + 1
        results.append(WindowChain(window, checked, problem, bad))
    return results
