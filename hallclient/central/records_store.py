"""What windows push besides cases: ratings, rectification steps, complaints and pre-reviews.

Each is kept verbatim as the window sent it (personal data sealed with the central's key),
upserted idempotently by the window's UUID. Ratings keep the one-rating-per-service rule across
channels (the window's pad and the QR page): a second real rating of a service is refused, a
recorded 未评价 may be replaced once. Each rating waits in `rating_forwards` until the provincial
好差评 system has taken it (hallclient.central.provincial), so a forwarding failure loses nothing.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from hallclient.security.pii import PiiCipher

# The DDL of central schema step 7, written out (portable to SQLite and PostgreSQL).
STEP_7 = (
    """CREATE TABLE central_ratings (
        uuid VARCHAR(36) NOT NULL PRIMARY KEY,
        service_key VARCHAR(120) NOT NULL UNIQUE,
        case_uuid VARCHAR(36),
        case_number VARCHAR(64),
        window_number VARCHAR(16) NOT NULL,
        clerk_login VARCHAR(64) NOT NULL,
        level VARCHAR(24),
        channel VARCHAR(16) NOT NULL,
        rated_at VARCHAR(40) NOT NULL,
        data TEXT NOT NULL,
        phone TEXT,
        pushed_by VARCHAR(16) NOT NULL,
        received_at VARCHAR(40) NOT NULL)""",
    """CREATE INDEX ix_central_ratings_rated_at ON central_ratings (rated_at)""",
    """CREATE TABLE rating_forwards (
        rating_uuid VARCHAR(36) NOT NULL PRIMARY KEY,
        state VARCHAR(16) NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at VARCHAR(40),
        last_error TEXT,
        answer TEXT,
        sent_at VARCHAR(40))""",
    """CREATE TABLE central_records (
        uuid VARCHAR(36) NOT NULL PRIMARY KEY,
        kind VARCHAR(32) NOT NULL,
        window_number VARCHAR(16) NOT NULL,
        payload TEXT NOT NULL,
        received_at VARCHAR(40) NOT NULL)""",
    """CREATE INDEX ix_central_records_kind ON central_records (kind)""",
    """CREATE TABLE central_prereviews (
        uuid VARCHAR(36) NOT NULL PRIMARY KEY,
        number VARCHAR(32) NOT NULL UNIQUE,
        window_number VARCHAR(16) NOT NULL,
        payload TEXT NOT NULL,
        used_case_uuid VARCHAR(36),
        received_at VARCHAR(40) NOT NULL)""",
    """CREATE TABLE rate_tokens (
        token VARCHAR(48) NOT NULL PRIMARY KEY,
        case_uuid VARCHAR(36) NOT NULL)""",
)


def step_7(conn: Connection) -> None:
    for statement in STEP_7:
        conn.exec_driver_sql(statement)


class RatingConflict(ValueError):
    """The service was rated already: the one-rating rule."""


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def upsert_rating(session: Session, cipher: PiiCipher, row: dict[str, Any], pushed_by: str) -> str:
    """Store a rating pushed by a window or given on the QR page; 'created', 'updated' (an
    未评价 replaced) or 'unchanged'. RatingConflict when the service already has a real rating."""
    existing = session.execute(text("SELECT uuid, level FROM central_ratings WHERE service_key = :k"),
                               {"k": row["service_key"]}).first()
    phone = row.get("phone") or None
    values = {
        "uuid": row["uuid"], "service_key": row["service_key"], "case_uuid": row.get("case_uuid"),
        "case_number": row.get("case_number"), "window_number": str(row.get("window") or pushed_by),
        "clerk_login": str(row.get("clerk_login") or ""), "level": row.get("level"),
        "channel": str(row.get("channel") or "pad"), "rated_at": str(row.get("rated_at") or _now()),
        "data": json.dumps(row.get("data") or {}, ensure_ascii=False, sort_keys=True),
        "phone": cipher.encrypt(phone) if phone else None, "pushed_by": pushed_by, "received_at": _now(),
    }
    if existing is None:
        session.execute(text(
            "INSERT INTO central_ratings (uuid, service_key, case_uuid, case_number, window_number, clerk_login,"
            " level, channel, rated_at, data, phone, pushed_by, received_at) VALUES (:uuid, :service_key,"
            " :case_uuid, :case_number, :window_number, :clerk_login, :level, :channel, :rated_at, :data, :phone,"
            " :pushed_by, :received_at)"), values)
        _queue_forward(session, row["uuid"])
        return "created"
    if existing.uuid == row["uuid"] and existing.level == row.get("level"):
        return "unchanged"
    if existing.level is not None:
        raise RatingConflict("该次服务已评价，每次服务只能评价一次")
    if row.get("level") is None:
        return "unchanged"
    session.execute(text(
        "UPDATE central_ratings SET level = :level, channel = :channel, rated_at = :rated_at, data = :data,"
        " phone = :phone, received_at = :received_at WHERE uuid = :old"), {**values, "old": existing.uuid})
    _queue_forward(session, existing.uuid)
    return "updated"


def _queue_forward(session: Session, rating_uuid: str) -> None:
    found = session.execute(text("SELECT state FROM rating_forwards WHERE rating_uuid = :u"),
                            {"u": rating_uuid}).first()
    if found is None:
        session.execute(text("INSERT INTO rating_forwards (rating_uuid, state, attempts) VALUES (:u, 'pending', 0)"),
                        {"u": rating_uuid})
    else:
        session.execute(text("UPDATE rating_forwards SET state = 'pending', next_attempt_at = NULL "
                             "WHERE rating_uuid = :u"), {"u": rating_uuid})


def upsert_record(session: Session, cipher: PiiCipher, kind: str, record_uuid: str, payload: dict[str, Any],
                  window: str) -> str:
    """A rectification step, complaint or complaint event, kept verbatim (sealed)."""
    found = session.execute(text("SELECT window_number FROM central_records WHERE uuid = :u"),
                            {"u": record_uuid}).first()
    if found is not None:
        return "unchanged"
    session.execute(text("INSERT INTO central_records (uuid, kind, window_number, payload, received_at) "
                         "VALUES (:u, :k, :w, :p, :r)"),
                    {"u": record_uuid, "k": kind, "w": window, "r": _now(),
                     "p": cipher.encrypt(json.dumps(payload, ensure_ascii=False, sort_keys=True))})
    return "created"


def upsert_prereview(session: Session, cipher: PiiCipher, payload: dict[str, Any], window: str) -> str:
    found = session.execute(text("SELECT uuid FROM central_prereviews WHERE uuid = :u"),
                            {"u": payload["uuid"]}).first()
    if found is not None:
        return "unchanged"
    session.execute(text("INSERT INTO central_prereviews (uuid, number, window_number, payload, received_at) "
                         "VALUES (:u, :n, :w, :p, :r)"),
                    {"u": payload["uuid"], "n": payload["number"], "w": window, "r": _now(),
                     "p": cipher.encrypt(json.dumps(payload, ensure_ascii=False, sort_keys=True))})
    return "created"


def find_prereview(session: Session, cipher: PiiCipher, number: str) -> dict[str, Any] | None:
    row = session.execute(text("SELECT payload, used_case_uuid, used_case_number, used_window, used_at "
                               "FROM central_prereviews WHERE number = :n"), {"n": number.strip().upper()}).first()
    if row is None:
        return None
    data: dict[str, Any] = json.loads(cipher.decrypt(row.payload))
    # Where it was taken up (central schema step 8: hallclient.central.prereview_use).
    data.update(used_case_uuid=row.used_case_uuid, used_case_number=row.used_case_number,
                used_window=row.used_window, used_at=row.used_at)
    return data


def mark_prereview_used(session: Session, number: str, case_uuid: str) -> bool:
    done = session.execute(text("UPDATE central_prereviews SET used_case_uuid = :c WHERE number = :n "
                                "AND used_case_uuid IS NULL"), {"c": case_uuid, "n": number}).rowcount
    return bool(done)


def remember_rate_token(session: Session, token: str | None, case_uuid: str) -> None:
    if not token:
        return
    found = session.execute(text("SELECT case_uuid FROM rate_tokens WHERE token = :t"), {"t": token}).first()
    if found is None:
        session.execute(text("INSERT INTO rate_tokens (token, case_uuid) VALUES (:t, :c)"),
                        {"t": token, "c": case_uuid})


def case_for_token(session: Session, token: str) -> dict[str, Any] | None:
    """The case a QR rating token belongs to: number, window, clerk, item names (no personal data)."""
    row = session.execute(text(
        "SELECT c.uuid, c.case_number, c.window_number, c.payload FROM rate_tokens t "
        "JOIN central_cases c ON c.uuid = t.case_uuid WHERE t.token = :t"), {"t": token}).first()
    if row is None:
        return None
    payload = json.loads(row.payload)
    return {"uuid": row.uuid, "case_number": row.case_number, "window": row.window_number,
            "clerk_login": payload.get("clerk_login") or "", "item_names": payload.get("item_names") or [],
            "clerk_name": payload.get("clerk_name") or ""}


def qr_rating_row(case: dict[str, Any], level: str, data: dict[str, Any], phone: str) -> dict[str, Any]:
    return {"uuid": str(uuid.uuid4()), "service_key": f"case:{case['uuid']}", "case_uuid": case["uuid"],
            "case_number": case["case_number"], "window": case["window"], "clerk_login": case["clerk_login"],
            "level": level, "channel": "qr", "rated_at": _now(), "data": data, "phone": phone or None}


def pending_forwards(session: Session, now: str, limit: int = 200) -> list[dict[str, Any]]:
    rows = session.execute(text(
        "SELECT r.*, f.attempts FROM rating_forwards f JOIN central_ratings r ON r.uuid = f.rating_uuid "
        "WHERE f.state = 'pending' AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= :now) "
        "ORDER BY r.rated_at LIMIT :limit"), {"now": now, "limit": limit}).mappings()
    return [dict(r) for r in rows]


def record_forward(session: Session, rating_uuid: str, *, state: str, attempts: int, error: str | None = None,
                   answer: Any = None, next_attempt_at: str | None = None) -> None:
    session.execute(text(
        "UPDATE rating_forwards SET state = :s, attempts = :a, last_error = :e, answer = :ans, "
        "next_attempt_at = :n, sent_at = CASE WHEN :s = 'sent' THEN :now ELSE sent_at END WHERE rating_uuid = :u"),
        {"s": state, "a": attempts, "e": error, "ans": json.dumps(answer, ensure_ascii=False) if answer else None,
         "n": next_attempt_at, "now": _now(), "u": rating_uuid})


def forward_states(session: Session) -> dict[str, int]:
    return {r.state: int(r.n) for r in session.execute(
        text("SELECT state, count(*) AS n FROM rating_forwards GROUP BY state"))}


def rating_count(session: Session) -> int:
    return int(session.execute(select(text("count(*)")).select_from(text("central_ratings"))).scalar_one())


