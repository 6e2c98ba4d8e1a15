"""Tables only the central service has, on their own MetaData (the client never creates them).

The central database also holds the client's catalog and calendar tables
(hallclient.store.models): the current catalog is kept exactly as a window keeps it, so the
same repository code reads it. What the central adds:

- `feed_entries`: one row per item code ever published, carrying the catalog version at which
  the item last changed (a change counter) and, for a removed item, a tombstone;
- `central_cases` / `central_case_events`: what the windows pushed, upserted by the client's UUID;
- `accounts`: windows (and administrators) with hashed tokens: the device's identity;
- `users` / `person_sessions`: people (one account per person, several roles) and their
  signed-in sessions (SHA-256 of the session token, with an expiry);
- `case_items`: which items a case concerns (a chief representative reads by department);
- `audit_log` / `audit_head`: the central's own audit chain (HMAC-SM3) and its last link;
- `window_audit`: the audit records windows pushed, verbatim, by (window, seq).

These classes describe today's schema for queries; the migration steps
(hallclient.central.schema_v3 …) write their own DDL and never create tables from them.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class CentralBase(DeclarativeBase):
    pass


class FeedEntry(CentralBase):
    """The feed's change counter per item: live items and tombstones alike."""

    __tablename__ = "feed_entries"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)  # catalog version at which it last changed
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order in the published file
    content_hash: Mapped[str | None] = mapped_column(String(40))
    doc: Mapped[str | None] = mapped_column(Text)  # the item as catalog-v1 JSON, served verbatim

    __table_args__ = (Index("ix_feed_entries_version", "version", "code"),)


class CentralCase(CentralBase):
    """A case as a window pushed it: the client's JSON row plus columns to find it by."""

    __tablename__ = "central_cases"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_number: Mapped[str] = mapped_column(String(64), index=True)  # not unique: see cases.py
    window_number: Mapped[str] = mapped_column(String(16), index=True)
    state: Mapped[str] = mapped_column(String(32), index=True)
    decision: Mapped[str] = mapped_column(String(32))
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_id: Mapped[str] = mapped_column(String(32), index=True)
    accepted_on: Mapped[str] = mapped_column(String(10), index=True)
    updated_at: Mapped[str] = mapped_column(String(40))  # the client's, decides which push wins
    payload: Mapped[str] = mapped_column(Text)  # the client's row, as pushed
    pushed_by: Mapped[str] = mapped_column(String(16))  # the account's window number
    received_at: Mapped[str] = mapped_column(String(40))
    warnings: Mapped[str | None] = mapped_column(Text)  # JSON list given back at intake


class CentralCaseEvent(CentralBase):
    __tablename__ = "central_case_events"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_uuid: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    pushed_by: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[str] = mapped_column(String(40))


class Account(CentralBase):
    """A window (or an administrator) allowed to talk to the central service."""

    __tablename__ = "accounts"
    window_number: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(16), default="window")  # window / admin
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token
    created_at: Mapped[str] = mapped_column(String(40))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class User(CentralBase):
    """A person: one account per person, never per machine (step 3)."""

    __tablename__ = "users"
    login: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    roles: Mapped[str] = mapped_column(Text)  # JSON list of Role values
    departments: Mapped[str] = mapped_column(Text)  # JSON list (a chief representative's)
    password_hash: Mapped[str] = mapped_column(Text)  # Argon2id, the only form a password is kept in
    disabled: Mapped[bool] = mapped_column(Boolean)
    failed_count: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[str] = mapped_column(String(40))


class PersonSession(CentralBase):
    """A signed-in person on one device; the token itself is never stored."""

    __tablename__ = "person_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    login: Mapped[str] = mapped_column(String(64), index=True)
    window_number: Mapped[str] = mapped_column(String(16))  # the device it was opened on
    created_at: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[str] = mapped_column(String(40))


class CaseItem(CentralBase):
    __tablename__ = "case_items"
    case_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class AuditRecord(CentralBase):
    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(100))
    roles: Mapped[str] = mapped_column(Text)  # JSON list
    window: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(64), index=True)
    case_number: Mapped[str | None] = mapped_column(String(64), index=True)
    detail: Mapped[str] = mapped_column(Text)  # JSON object
    prev_tag: Mapped[str] = mapped_column(String(64))
    tag: Mapped[str] = mapped_column(String(64))


class AuditHead(CentralBase):
    """One row: the last seq and tag. Appends lock it first, so they are serialized."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    tag: Mapped[str] = mapped_column(String(64))


class WindowAudit(CentralBase):
    """An audit record a window pushed, kept verbatim (its chain is the window's, keyed there)."""

    __tablename__ = "window_audit"
    window: Mapped[str] = mapped_column(String(16))  # from the device account
    seq: Mapped[int] = mapped_column(BigInteger)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    record: Mapped[str] = mapped_column(Text)  # the record as pushed (JSON)
    prev_tag: Mapped[str] = mapped_column(String(64))
    tag: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[str] = mapped_column(String(40))

    __table_args__ = (PrimaryKeyConstraint("window", "seq"),)
