"""Cases in the store: created with their number, event and outbox record in one transaction.

A crash right after "confirm" loses nothing: the case is committed before anything is printed
or sent, and the outbox row that will carry it to the central service commits with it.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from hallclient.core.cases import (
    INITIAL_STATE,
    Applicant,
    Case,
    CaseDraft,
    CaseState,
    ChecklistEntry,
    format_case_number,
)
from hallclient.core.checklist import Decision, MaterialStatus
from hallclient.security.pii import PiiCipher
from hallclient.store.models import CaseEventRow, CaseRow, CounterRow, OutboxRow

CASES = CaseRow.__table__
EVENTS = CaseEventRow.__table__
OUTBOX = OutboxRow.__table__
COUNTERS = CounterRow.__table__


class CaseNotFound(LookupError):
    pass


class CaseStateError(ValueError):
    """The action does not fit the case's state (e.g. returning an accepted case)."""


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def next_sequence(session: Session, name: str) -> int:
    """Increment a counter inside the caller's transaction (SQLite serializes writers)."""
    current = session.execute(select(COUNTERS.c.value).where(COUNTERS.c.name == name)).scalar()
    if current is None:
        session.execute(insert(COUNTERS).values(name=name, value=1))
        return 1
    session.execute(update(COUNTERS).where(COUNTERS.c.name == name).values(value=current + 1))
    return int(current) + 1


def _row_to_payload(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True)


ENCRYPTED_KINDS = frozenset({"case", "case_event", "prereview", "rating", "complaint", "complaint_event"})


def cipher_of(session: Session) -> PiiCipher:
    """The personal-data cipher of the store the session came from (see Store)."""
    cipher = session.info.get("cipher")
    if cipher is None:
        raise RuntimeError("this store has no key: cases cannot be read or written")
    return cipher  # type: ignore[no-any-return]


def enqueue(session: Session, kind: str, record_uuid: str, payload: dict[str, Any], now: str) -> None:
    """An outbox row in the caller's transaction; a case's payload is encrypted at rest (queue
    records carry no personal data and stay readable)."""
    text = _row_to_payload(payload)
    cipher = session.info.get("cipher") if kind in ENCRYPTED_KINDS else None
    session.execute(insert(OUTBOX).values(
        kind=kind, record_uuid=record_uuid, payload=cipher.encrypt(text) if cipher else text,
        created_at=now, attempts=0,
    ))


_enqueue = enqueue


def create_case(session: Session, draft: CaseDraft, number_pattern: str, clerk_login: str | None = None) -> Case:
    """Number and store a case, its creation event and its outbox record. The caller commits.

    The applicant (ID number, phone, agent) is stored SM4-GCM encrypted and found by the blind
    index of the ID number; the outbox carries the plain row to the central, encrypted at rest.
    """
    cipher = cipher_of(session)
    now = _now()
    year = draft.accepted_on.year
    seq = next_sequence(session, f"case_number:{year}")
    number = format_case_number(number_pattern, year=year, window=draft.window_number, seq=seq)
    result = draft.result
    applicant = draft.applicant
    row: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "case_number": number,
        "state": INITIAL_STATE[result.decision].value,
        "decision": result.decision.value,
        "applicant_name": applicant.name,
        "applicant_id": applicant.uscc or applicant.id_number,
        "applicant": json.dumps(applicant.to_json(), ensure_ascii=False),
        "clerk_login": clerk_login,
        "prereview_number": draft.prereview_number,
        # The key of the QR rating page (/rate/…): random, never the guessable case number.
        "rate_token": secrets.token_urlsafe(18),
        "delivery": draft.delivery or "自取",
        "delivery_address": draft.delivery_address or None,
        "refusal_ground": result.refusal_ground.value if result.refusal_ground else None,
        "competent_body": result.competent_body,
        "item_deadlines": json.dumps(
            [{"code": d.code, "name": d.name, "limit_days": d.limit_days,
              "due_date": d.due_date.isoformat() if d.due_date else None} for d in result.item_deadlines],
            ensure_ascii=False) if result.item_deadlines else None,
        "item_codes": json.dumps(list(draft.item_codes), ensure_ascii=False),
        "item_names": json.dumps(list(draft.item_names), ensure_ascii=False),
        "bundle_code": draft.bundle_code,
        "bundle_name": draft.bundle_name,
        "checklist": json.dumps([e.to_json() for e in draft.checklist], ensure_ascii=False),
        "reasons": json.dumps(list(result.reasons), ensure_ascii=False),
        "tolerated": json.dumps(
            [{"key": t.key, "name": t.name, "supplement_by": t.supplement_by.isoformat() if t.supplement_by else None}
             for t in result.tolerated], ensure_ascii=False),
        "commitments": json.dumps(list(result.commitments), ensure_ascii=False),
        "due_date": result.due_date.isoformat() if result.due_date else None,
        "deadline_problem": result.deadline_problem,
        "accepted_on": draft.accepted_on.isoformat(),
        "window_number": draft.window_number,
        "clerk_name": draft.clerk_name,
        "ticket_number": draft.ticket_number,
        "previous_case_uuid": draft.previous_case_uuid,
        "return_reason": None,
        "created_at": now,
        "updated_at": now,
    }
    stored = dict(row, applicant=cipher.encrypt(row["applicant"]),
                  applicant_id=cipher.blind_index(row["applicant_id"]),
                  delivery_address=cipher.encrypt(row["delivery_address"]) if row["delivery_address"] else None)
    session.execute(insert(CASES).values(**stored))
    _enqueue(session, "case", row["uuid"], row, now)
    _add_event(session, row["uuid"], "created", draft.clerk_name, {"decision": result.decision.value}, now)
    if draft.previous_case_uuid:
        _add_event(session, draft.previous_case_uuid, "reintaken", draft.clerk_name,
                   {"case_number": number, "case_uuid": row["uuid"]}, now)
    return load_case(session, row["uuid"])


def _add_event(session: Session, case_uuid: str, kind: str, clerk: str, data: dict[str, Any], now: str) -> str:
    event = {"uuid": str(uuid.uuid4()), "case_uuid": case_uuid, "kind": kind, "at": now,
             "clerk_name": clerk, "data": json.dumps(data, ensure_ascii=False)}
    session.execute(insert(EVENTS).values(**event))
    if kind != "created":  # the case record itself carries its creation
        _enqueue(session, "case_event", event["uuid"], event, now)
    return event["uuid"]


def _case_from_row(row: Any, cipher: PiiCipher, events: Sequence[Any] = ()) -> Case:
    return Case(
        uuid=row.uuid, case_number=row.case_number, state=CaseState(row.state), decision=Decision(row.decision),
        applicant=Applicant.from_json(json.loads(cipher.decrypt(row.applicant))),
        item_codes=tuple(json.loads(row.item_codes)), item_names=tuple(json.loads(row.item_names)),
        bundle_code=row.bundle_code, bundle_name=row.bundle_name,
        checklist=tuple(ChecklistEntry.from_json(e) for e in json.loads(row.checklist)),
        reasons=tuple(json.loads(row.reasons)), tolerated=tuple(json.loads(row.tolerated)),
        commitments=tuple(json.loads(row.commitments)),
        due_date=date.fromisoformat(row.due_date) if row.due_date else None,
        deadline_problem=row.deadline_problem, accepted_on=date.fromisoformat(row.accepted_on),
        window_number=row.window_number, clerk_name=row.clerk_name,
        created_at=datetime.fromisoformat(row.created_at), updated_at=datetime.fromisoformat(row.updated_at),
        ticket_number=row.ticket_number, previous_case_uuid=row.previous_case_uuid,
        return_reason=row.return_reason, prereview_number=row.prereview_number, rate_token=row.rate_token,
        delivery=row.delivery or "自取",
        delivery_address=cipher.decrypt(row.delivery_address) if row.delivery_address else "",
        refusal_ground=row.refusal_ground, competent_body=row.competent_body,
        item_deadlines=tuple(json.loads(row.item_deadlines)) if row.item_deadlines else (),
        events=tuple({"kind": e.kind, "at": e.at, "clerk_name": e.clerk_name, "data": json.loads(e.data)}
                     for e in events),
    )


def load_case(session: Session, case_uuid: str) -> Case:
    row = session.execute(select(CASES).where(CASES.c.uuid == case_uuid)).first()
    if row is None:
        raise CaseNotFound(f"办件不存在：{case_uuid}")
    events = session.execute(select(EVENTS).where(EVENTS.c.case_uuid == case_uuid).order_by(EVENTS.c.at)).all()
    return _case_from_row(row, cipher_of(session), events)


def find_by_number(session: Session, case_number: str) -> Case | None:
    found = session.execute(select(CASES.c.uuid).where(CASES.c.case_number == case_number)).scalar()
    return load_case(session, found) if found else None


@dataclass(frozen=True)
class CaseFilter:
    state: CaseState | None = None  # SUPPLEMENT_OVERDUE is computed against `today`
    text: str = ""  # case number, applicant name or ID (any part)
    today_and_open: bool = False  # today's cases plus every open one
    limit: int = 500


# Cases still in someone's hands: listed under "today and open" whatever day they came in.
OPEN_STATES = (CaseState.ACCEPTED, CaseState.AWAITING_SUPPLEMENT, CaseState.RECEIVED, CaseState.IN_APPROVAL,
               CaseState.SENT_BACK)


def list_cases(session: Session, flt: CaseFilter, today: date) -> list[Case]:
    query = select(CASES).order_by(CASES.c.created_at.desc()).limit(flt.limit)
    if flt.state in (CaseState.AWAITING_SUPPLEMENT, CaseState.SUPPLEMENT_OVERDUE):
        query = query.where(CASES.c.state == CaseState.AWAITING_SUPPLEMENT.value)
    elif flt.state is not None:
        query = query.where(CASES.c.state == flt.state.value)
    if flt.today_and_open:
        query = query.where(or_(CASES.c.accepted_on == today.isoformat(),
                                CASES.c.state.in_([s.value for s in OPEN_STATES])))
    cipher = cipher_of(session)
    text = flt.text.strip()
    if text:
        like = f"%{text}%"
        # ID numbers are kept only as a keyed hash: a whole ID number finds its cases exactly.
        query = query.where(or_(CASES.c.case_number.like(like), CASES.c.applicant_name.like(like),
                                CASES.c.applicant_id == cipher.blind_index(text)))
    cases = [_case_from_row(row, cipher) for row in session.execute(query)]
    if flt.state is not None:
        cases = [c for c in cases if c.effective_state(today) is flt.state]
    return cases


def _require(case: Case, allowed: tuple[CaseState, ...], action: str) -> None:
    if case.state not in allowed:
        from hallclient.core.cases import CASE_STATE_LABELS

        raise CaseStateError(f"办件 {case.case_number} 当前为「{CASE_STATE_LABELS[case.state]}」，不能{action}")


def record_supplement(session: Session, case_uuid: str, keys: Sequence[str], clerk: str) -> Case:
    """Record supplemented materials; once every tolerated one is in, the case is accepted."""
    case = load_case(session, case_uuid)
    _require(case, (CaseState.AWAITING_SUPPLEMENT,), "登记补正")
    outstanding = {t["key"] for t in case.tolerated if not t.get("supplemented_at")}
    unknown = set(keys) - {t["key"] for t in case.tolerated}
    if unknown:
        raise CaseStateError(f"这些材料不是容缺材料：{', '.join(sorted(unknown))}")
    now = _now()
    tolerated = [dict(t, supplemented_at=t.get("supplemented_at") or (now if t["key"] in keys else None))
                 for t in case.tolerated]
    checklist = [
        ChecklistEntry(e.key, e.name, e.mark.__class__(status=MaterialStatus.RECEIVED, original=e.mark.original,
                                                       copies=e.mark.copies)).to_json()
        if e.key in keys else e.to_json()
        for e in case.checklist
    ]
    done = outstanding <= set(keys)
    state = CaseState.ACCEPTED if done else CaseState.AWAITING_SUPPLEMENT
    session.execute(update(CASES).where(CASES.c.uuid == case_uuid).values(
        state=state.value, updated_at=now, checklist=json.dumps(checklist, ensure_ascii=False),
        tolerated=json.dumps(tolerated, ensure_ascii=False)))
    _add_event(session, case_uuid, "supplemented", clerk, {"keys": sorted(keys), "complete": done}, now)
    return load_case(session, case_uuid)


def return_case(session: Session, case_uuid: str, reason: str, clerk: str) -> Case:
    """退件: a tolerance case not supplemented in time (or withdrawn) goes back with a reason."""
    if not reason.strip():
        raise CaseStateError("退件须填写原因")
    case = load_case(session, case_uuid)
    _require(case, (CaseState.AWAITING_SUPPLEMENT, CaseState.ACCEPTED), "退件")
    now = _now()
    session.execute(update(CASES).where(CASES.c.uuid == case_uuid).values(
        state=CaseState.RETURNED.value, return_reason=reason.strip(), updated_at=now))
    _add_event(session, case_uuid, "returned", clerk, {"reason": reason.strip()}, now)
    return load_case(session, case_uuid)


def record_print(session: Session, case_uuid: str, document: str, clerk: str, reprint: bool) -> None:
    now = _now()
    _add_event(session, case_uuid, "reprinted" if reprint else "printed", clerk, {"document": document}, now)


def printed_documents(case: Case) -> set[str]:
    """Documents already printed once: every later print of them is a reprint (补打)."""
    return {e["data"].get("document") for e in case.events if e["kind"] in ("printed", "reprinted")}


def pending_outbox(session: Session) -> int:
    from sqlalchemy import func

    return int(session.execute(select(func.count()).select_from(OUTBOX).where(OUTBOX.c.done_at.is_(None))).scalar_one())


def transition(session: Session, case_uuid: str, *, allowed: tuple[CaseState, ...], action: str,
               state: CaseState | None, event: str, data: dict[str, Any], clerk: str,
               due_date: date | None = None) -> Case:
    """A decision after acceptance (approve, deny, send back, back office, extend): the state
    (and the due date) change, and an event goes to the case and the outbox."""
    case = load_case(session, case_uuid)
    _require(case, allowed, action)
    now = _now()
    values: dict[str, Any] = {"updated_at": now}
    if state is not None:
        values["state"] = state.value
    if due_date is not None:
        values["due_date"] = due_date.isoformat()
    session.execute(update(CASES).where(CASES.c.uuid == case_uuid).values(**values))
    _add_event(session, case_uuid, event, clerk, data, now)
    return load_case(session, case_uuid)
