"""Schema 4 encrypts the personal data older windows kept in plain text, in place.

It runs once, right after the migration step (which has already copied the database aside),
inside one transaction: every case's applicant JSON is encrypted, its ID column becomes the
blind index, and every outbox payload is encrypted. Afterwards the file is vacuumed and the WAL
truncated, so no page of the database or its WAL still holds an old plain value.
"""

from __future__ import annotations

import json

from sqlalchemy import Engine, select, text, update

from hallclient.security.pii import PiiCipher, is_encrypted
from hallclient.store.database import get_meta, set_meta
from hallclient.store.models import CaseRow, OutboxRow

CASES = CaseRow.__table__
OUTBOX = OutboxRow.__table__
DONE_KEY = "pii_encrypted"


def encrypt_plain_rows(engine: Engine, cipher: PiiCipher) -> int:
    """Encrypt what is still plain; returns the number of rows changed (0 when nothing was)."""
    from sqlalchemy.orm import Session

    changed = 0
    with Session(engine) as session, session.begin():
        if get_meta(session, DONE_KEY) == "1":
            return 0
        for row in session.execute(select(CASES.c.uuid, CASES.c.applicant)).all():
            if is_encrypted(row.applicant):
                continue
            applicant = json.loads(row.applicant)
            ident = applicant.get("uscc") or applicant.get("id_number") or ""
            session.execute(update(CASES).where(CASES.c.uuid == row.uuid).values(
                applicant=cipher.encrypt(row.applicant), applicant_id=cipher.blind_index(ident)))
            changed += 1
        for row in session.execute(select(OUTBOX.c.id, OUTBOX.c.payload)).all():
            if not is_encrypted(row.payload):
                session.execute(update(OUTBOX).where(OUTBOX.c.id == row.id)
                                .values(payload=cipher.encrypt(row.payload)))
                changed += 1
        set_meta(session, DONE_KEY, "1")
    if changed and engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            conn.exec_driver_sql("VACUUM")
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return changed
