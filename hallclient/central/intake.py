"""Case intake: idempotent upserts of what windows push, keyed by the window's UUIDs.

A retried or duplicated push never makes a second record: the insert is
`INSERT … ON CONFLICT DO NOTHING` (SQLite and PostgreSQL), the primary key is the arbiter, and
a push that lost the race reads the row the winner wrote. A case whose item the catalog has
since cancelled is stored all the same, with a warning for the clerk.

A device pushes only its own window's cases: the window number is the device account's, and a
row naming another window, or a case already stored for another window, is refused (except a
chief representative's decision, hallclient.central.decisions). The
applicant's personal data is sealed before it is written (hallclient.central.crypto), and each
case or event received is recorded in the audit chain in the same transaction.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hallclient.central import audit_log
from hallclient.central.crypto import CaseCipher
from hallclient.central.models import CaseItem, CentralCase, CentralCaseEvent
from hallclient.central.schemas import CaseEventPush, CasePush, PushAck
from hallclient.store.catalog_repo import ITEMS

CASES = CentralCase.__table__
EVENTS = CentralCaseEvent.__table__
CASE_ITEMS = CaseItem.__table__


class UnknownCase(LookupError):
    """An event arrived for a case the central has not received (yet)."""


class NotYourCase(PermissionError):
    """A device pushed a case (or an event of one) that belongs to another window."""

    def __init__(self, window: str) -> None:
        super().__init__(f"不能上报：该办件属于 {window} 号窗口")
        self.window = window


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _insert_ignore(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert unless the primary key exists; True when this call inserted the row."""
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
        key = next(iter(table.primary_key.columns))
        statement = insert(table).values(**values).on_conflict_do_nothing().returning(key)
        return session.execute(statement).first() is not None  # rowcount is not reliable here
    try:  # another engine: the unique key decides, inside a savepoint
        with session.begin_nested():
            session.execute(table.insert().values(**values))
        return True
    except IntegrityError:
        return False


def item_warnings(session: Session, codes: list[str]) -> list[str]:
    """What the clerk should know about the items of a case stored anyway."""
    if not codes:
        return []
    found = {row.code: row for row in session.execute(
        select(ITEMS.c.code, ITEMS.c.name, ITEMS.c.state).where(ITEMS.c.code.in_(codes[:200])))}
    warnings = []
    for code in codes:
        row = found.get(code)
        if row is None:
            warnings.append(f"事项 {code} 不在中心事项清单中：办件已保存，请联系后台核实")
        elif row.state == "cancelled":
            warnings.append(f"事项 {code}（{row.name}）已取消：办件已保存，请联系后台核实")
        elif row.state == "suspended":
            warnings.append(f"事项 {code}（{row.name}）已暂停：办件已保存，请联系后台核实")
    return warnings


def _newer(candidate: str, stored: str) -> bool:
    try:
        return datetime.fromisoformat(candidate) > datetime.fromisoformat(stored)
    except (TypeError, ValueError):  # naive vs aware: compare the text
        return candidate > stored


def _plain(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def _audit_push(session: Session, audit_key: bytes, pushed_by: str, kind: str, case_number: str | None,
                detail: dict[str, Any]) -> None:
    audit_log.append(session, audit_key, actor=f"window:{pushed_by}", roles=[], window=pushed_by, kind=kind,
                     case_number=case_number, detail=detail)


def _set_items(session: Session, case_uuid: str, codes: list[str], *, replace: bool) -> None:
    if replace:
        session.execute(CASE_ITEMS.delete().where(CASE_ITEMS.c.case_uuid == case_uuid))
    for code in dict.fromkeys(codes):
        _insert_ignore(session, CASE_ITEMS, {"case_uuid": case_uuid, "item_code": code})


def upsert_case(session: Session, push: CasePush, pushed_by: str, cipher: CaseCipher,
                audit_key: bytes) -> PushAck:
    if push.window_number != pushed_by:
        raise NotYourCase(push.window_number)
    owner = session.execute(select(CASES.c.window_number).where(CASES.c.uuid == push.uuid)).scalar()
    if owner is not None and owner != pushed_by:
        raise NotYourCase(owner)
    warnings = item_warnings(session, list(push.item_codes))
    clash = session.execute(select(CASES.c.window_number).where(
        CASES.c.case_number == push.case_number, CASES.c.uuid != push.uuid).limit(1)).scalar()
    if clash is not None:
        warnings.append(f"受理编号 {push.case_number} 已被窗口 {clash} 的另一办件使用：请核对窗口编号设置")
    row = push.model_dump()
    plain = _plain(row)
    columns = {
        "case_number": push.case_number, "window_number": push.window_number, "state": push.state,
        "decision": push.decision, "applicant_name": push.applicant_name,
        "applicant_id": cipher.blind(push.applicant_id), "accepted_on": push.accepted_on,
        "updated_at": push.updated_at, "payload": _plain(cipher.seal(row)),
        "warnings": json.dumps(warnings, ensure_ascii=False) if warnings else None,
    }
    detail = {"uuid": push.uuid, "state": push.state, "decision": push.decision, "clerk": push.clerk_name}
    if _insert_ignore(session, CASES, {"uuid": push.uuid, "pushed_by": pushed_by,
                                       "received_at": _now(), **columns}):
        _set_items(session, push.uuid, list(push.item_codes), replace=False)
        from hallclient.central.records_store import remember_rate_token

        remember_rate_token(session, push.rate_token, push.uuid)  # the QR rating page's key
        if push.prereview_number:
            from hallclient.central.prereview_use import record_use

            warnings.extend(record_use(session, push.prereview_number, push.uuid, push.case_number, pushed_by,
                                       push.created_at))
        from hallclient.central.decisions import bump_feed

        bump_feed(session)  # a chief's inbox poll sees that something changed
        _audit_push(session, audit_key, pushed_by, "case.received", push.case_number, detail)
        return PushAck(uuid=push.uuid, result="created", warnings=warnings)
    stored = session.execute(select(CASES.c.payload, CASES.c.updated_at, CASES.c.window_number)
                             .where(CASES.c.uuid == push.uuid)).one()
    if stored.window_number != pushed_by:  # created by another window in the meantime
        raise NotYourCase(stored.window_number)
    if _plain(cipher.open_text(stored.payload)) == plain:
        return PushAck(uuid=push.uuid, result="unchanged", warnings=warnings)
    if push.updated_at == stored.updated_at:  # same time, other content: neither wins silently
        return PushAck(uuid=push.uuid, result="conflict", warnings=[
            *warnings, f"受理编号 {push.case_number}：中心已有同一修改时间（{push.updated_at}）、内容不同的版本，"
                       "中心保留已收到的版本，本窗口保留自己的版本，请核对"])
    if not _newer(push.updated_at, stored.updated_at):
        return PushAck(uuid=push.uuid, result="unchanged", warnings=warnings)
    session.execute(update(CASES).where(CASES.c.uuid == push.uuid).values(**columns))
    _set_items(session, push.uuid, list(push.item_codes), replace=True)
    from hallclient.central.decisions import bump_feed

    bump_feed(session)
    _audit_push(session, audit_key, pushed_by, "case.updated", push.case_number, detail)
    return PushAck(uuid=push.uuid, result="updated", warnings=warnings)


def _state_after(event: CaseEventPush) -> str | None:
    """The case state an event implies (the window pushes the case row only at creation)."""
    if event.kind == "returned":
        return "returned"
    if event.kind in ("completed", "approved"):
        return "completed"
    if event.kind in ("denied", "sent_back"):
        return event.kind
    if event.kind == "to_back_office":
        return "in_approval"
    if event.kind == "supplemented" and event.data.get("complete") is True:
        return "accepted"
    return None


def upsert_event(session: Session, push: CaseEventPush, pushed_by: str, audit_key: bytes) -> PushAck:
    """Store an event once. A device pushes events of its own window's cases; a chief
    representative's decision may come from their own device for any window's case
    (hallclient.central.decisions: PermissionDenied unless they may). A decision on a case already
    decided elsewhere is kept, not applied, and answered as a conflict: the first one wins."""
    from hallclient.central import decisions

    known = session.execute(select(CASES.c.window_number, CASES.c.case_number, CASES.c.state)
                            .where(CASES.c.uuid == push.case_uuid)).first()
    if known is None:
        raise UnknownCase(f"办件 {push.case_uuid} 尚未上报到中心：请先上报办件，再上报其后续记录")
    foreign = known.window_number != pushed_by
    if foreign and push.kind not in decisions.DECISION_KINDS:
        raise NotYourCase(known.window_number)
    stored = session.execute(text("SELECT superseded FROM central_case_events WHERE uuid = :u"),
                             {"u": push.uuid}).first()
    if stored is not None:
        note = stored.superseded
        return PushAck(uuid=push.uuid, result="conflict", warnings=[note]) if note \
            else PushAck(uuid=push.uuid, result="unchanged")
    authorisation = None
    if foreign:
        authorisation = decisions.check_chief(session, kind=push.kind, data=push.data, at=push.at,
                                              case_uuid=push.case_uuid, pushed_by=pushed_by)
    note = decisions.superseded_note(session, push.case_uuid, known.state, push.kind)
    row = push.model_dump()
    if note:
        row["data"] = {**row["data"], "superseded": note}
    payload = json.dumps(row, ensure_ascii=False, sort_keys=True)
    created = _insert_ignore(session, EVENTS, {
        "uuid": push.uuid, "case_uuid": push.case_uuid, "kind": push.kind, "at": push.at,
        "payload": payload, "pushed_by": pushed_by, "received_at": _now()})
    if not created:
        return PushAck(uuid=push.uuid, result="unchanged")
    detail = {"uuid": push.uuid, "case_uuid": push.case_uuid, "event": push.kind, "clerk": push.clerk_name}
    if note:
        session.execute(text("UPDATE central_case_events SET superseded = :n WHERE uuid = :u"),
                        {"n": note, "u": push.uuid})
        decisions.bump_feed(session)  # chiefs' inboxes read the case again (not served in the event feed)
        _audit_push(session, audit_key, pushed_by, "case_event.superseded", known.case_number,
                    {**detail, "chief": push.data.get("chief"), "state": known.state})
        return PushAck(uuid=push.uuid, result="conflict", warnings=[note])
    session.execute(text("UPDATE central_case_events SET feed_seq = :s WHERE uuid = :u"),
                    {"s": decisions.bump_feed(session), "u": push.uuid})
    _audit_push(session, audit_key, pushed_by, "case_event.received", known.case_number, detail)
    if authorisation is not None:  # taken at another window than the accepting one
        audit_log.append(session, audit_key, actor=str(push.data.get("chief")), roles=["chief"], window=pushed_by,
                         kind="case.decision", case_number=known.case_number,
                         detail={"event": push.kind, "case_uuid": push.case_uuid, "accepted_at": known.window_number,
                                 "authorisation_version": authorisation.version,
                                 "minutes_since_acceptance": push.data.get("minutes_since_acceptance")})
    state = _state_after(push)
    if state is not None:
        session.execute(update(CASES).where(CASES.c.uuid == push.case_uuid).values(state=state))
    return PushAck(uuid=push.uuid, result="created")


def counts(session: Session) -> tuple[int, int]:
    from sqlalchemy import func

    cases = session.execute(select(func.count()).select_from(CASES)).scalar_one()
    events = session.execute(select(func.count()).select_from(EVENTS)).scalar_one()
    return int(cases), int(events)
