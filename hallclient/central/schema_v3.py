"""Central schema step 3: people, sessions, the audit chain, case items; personal data sealed.

The DDL is written out here, on a MetaData of this step's own, as it was when the step was
made: later changes to hallclient.central.models never change what this step creates. Existing
cases are then rewritten in place: their applicant data encrypted, `applicant_id` replaced by
its blind index, their items listed in `case_items` (the SQLite file was backed up before the
first step ran; see hallclient.store.database.migrate).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    column,
    select,
    table,
    update,
)

from hallclient.security.audit_chain import GENESIS
from hallclient.security.keys import Keys

_meta = MetaData()

USERS = Table(
    "users", _meta,
    Column("login", String(64), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("roles", Text, nullable=False),
    Column("departments", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("failed_count", Integer, nullable=False),
    Column("locked_until", String(40)),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
)

PERSON_SESSIONS = Table(
    "person_sessions", _meta,
    Column("token_hash", String(64), primary_key=True),
    Column("login", String(64), nullable=False),
    Column("window_number", String(16), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Index("ix_person_sessions_login", "login"),
)

CASE_ITEMS = Table(
    "case_items", _meta,
    Column("case_uuid", String(36), primary_key=True),
    Column("item_code", String(64), primary_key=True),
    Index("ix_case_items_item_code", "item_code"),
)

AUDIT_LOG = Table(
    "audit_log", _meta,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("uuid", String(36), nullable=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("roles", Text, nullable=False),
    Column("window", String(16), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("case_number", String(64)),
    Column("detail", Text, nullable=False),
    Column("prev_tag", String(64), nullable=False),
    Column("tag", String(64), nullable=False),
    UniqueConstraint("uuid", name="uq_audit_log_uuid"),
    Index("ix_audit_log_kind", "kind"),
    Index("ix_audit_log_case_number", "case_number"),
)

AUDIT_HEAD = Table(
    "audit_head", _meta,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("tag", String(64), nullable=False),
)

WINDOW_AUDIT = Table(
    "window_audit", _meta,
    Column("window", String(16), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("uuid", String(36), nullable=False),
    Column("record", Text, nullable=False),
    Column("prev_tag", String(64), nullable=False),
    Column("tag", String(64), nullable=False),
    Column("received_at", String(40), nullable=False),
    PrimaryKeyConstraint("window", "seq", name="pk_window_audit"),
    UniqueConstraint("uuid", name="uq_window_audit_uuid"),
)

# The columns of step 1's case table this step reads and rewrites.
_CASES = table("central_cases", column("uuid"), column("applicant_id"), column("payload"))


def step_3(conn: Connection, keys: Callable[[], Keys]) -> None:
    for created in (USERS, PERSON_SESSIONS, CASE_ITEMS, AUDIT_LOG, AUDIT_HEAD, WINDOW_AUDIT):
        created.create(conn)
    conn.execute(AUDIT_HEAD.insert().values(id=1, seq=0, tag=GENESIS))
    _seal_existing_cases(conn, keys)


def _seal_existing_cases(conn: Connection, keys: Callable[[], Keys]) -> None:
    from hallclient.central.audit_log import append
    from hallclient.central.crypto import CaseCipher

    rows = conn.execute(select(_CASES.c.uuid, _CASES.c.applicant_id, _CASES.c.payload)).all()
    if not rows:
        return
    the_keys = keys()
    cipher = CaseCipher(the_keys)
    for row in rows:
        payload = json.loads(row.payload)
        conn.execute(update(_CASES).where(_CASES.c.uuid == row.uuid).values(
            applicant_id=cipher.blind(row.applicant_id or ""),
            payload=json.dumps(cipher.seal(payload), ensure_ascii=False, sort_keys=True)))
        codes = list(dict.fromkeys(c for c in payload.get("item_codes", []) if isinstance(c, str)))
        if codes:
            conn.execute(CASE_ITEMS.insert(), [{"case_uuid": row.uuid, "item_code": c} for c in codes])
    append(conn, the_keys.audit, actor="system", roles=[], window="", kind="schema.sealed_cases",
           detail={"cases": len(rows), "schema_step": 3})
