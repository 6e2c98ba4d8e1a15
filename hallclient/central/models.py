"""Tables only the central service has, on their own MetaData (the client never creates them).

The central database also holds the client's catalog and calendar tables
(hallclient.store.models): the current catalog is kept exactly as a window keeps it, so the
same repository code reads it. What the central adds:

- `feed_entries`: one row per item code ever published, carrying the catalog version at which
  the item last changed (a change counter) and, for a removed item, a tombstone;
- `central_cases` / `central_case_events`: what the windows pushed, upserted by the client's UUID;
- `accounts`: windows (and administrators) with hashed tokens.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text
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
