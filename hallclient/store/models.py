"""SQLAlchemy 2 tables of the local store (and, later, the central service).

The shape here is the newest schema; `migrations.py` builds it step by step.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Small key/value facts: schema version, catalog version and date, authority."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class ServiceItemRow(Base):
    __tablename__ = "service_items"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the catalog file, kept for export
    basic_code: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    item_type: Mapped[str] = mapped_column(String(16))
    department: Mapped[str] = mapped_column(Text)
    window_category: Mapped[str | None] = mapped_column(String(32))
    legal_limit_days: Mapped[int | None] = mapped_column(Integer)
    promised_limit_days: Mapped[int | None] = mapped_column(Integer)
    on_site_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    tolerance_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    commitment_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    fee: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[str | None] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)
    visits: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16), default="active")
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(40))  # detects changed items cheaply
    pinyin_initials: Mapped[str] = mapped_column(Text, default="")
    pinyin_full: Mapped[str] = mapped_column(Text, default="")
    # schema 5
    back_office: Mapped[str | None] = mapped_column(Text)  # 承办科室
    guide: Mapped[str | None] = mapped_column(Text)  # the service guide the item follows
    limit_note: Mapped[str | None] = mapped_column(Text)  # the limit as the law states it


class MaterialRow(Base):
    __tablename__ = "materials"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_code: Mapped[str] = mapped_column(
        String(64), ForeignKey("service_items.code", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    necessity: Mapped[str] = mapped_column(String(16), default="required")
    core: Mapped[bool] = mapped_column(Boolean, default=False)
    form: Mapped[str | None] = mapped_column(String(32))
    copies: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16), default="applicant")
    tolerable: Mapped[bool] = mapped_column(Boolean, default=False)
    supplement_days: Mapped[int | None] = mapped_column(Integer)
    commitment: Mapped[bool] = mapped_column(Boolean, default=False)
    standard: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # schema 5
    basis: Mapped[str | None] = mapped_column(Text)  # 设定依据 of the proof
    produced_by: Mapped[str | None] = mapped_column(String(64))  # item code that issues it

    __table_args__ = (Index("ix_materials_item", "item_code", "position"),)


class BundleRow(Base):
    __tablename__ = "bundles"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))


class BundleItemRow(Base):
    __tablename__ = "bundle_items"
    bundle_code: Mapped[str] = mapped_column(
        String(64), ForeignKey("bundles.code", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_code: Mapped[str] = mapped_column(String(64))


class CalendarYearRow(Base):
    """A year's holiday arrangement loaded by the hall (the package knows only up to 2026)."""

    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[str] = mapped_column(Text)  # the YearArrangement JSON


# -- schema 2: cases, their events, the outbox, number counters -------------------------------


class CaseRow(Base):
    __tablename__ = "cases"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)  # made by the client: sync key
    case_number: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(32), index=True)
    decision: Mapped[str] = mapped_column(String(32))
    applicant_name: Mapped[str] = mapped_column(Text, index=True)
    # Schema 4: the keyed hash (blind index) of the ID number or USCC, never the number itself.
    applicant_id: Mapped[str] = mapped_column(String(32), index=True)
    applicant: Mapped[str] = mapped_column(Text)  # Applicant JSON, SM4-GCM encrypted (schema 4)
    item_codes: Mapped[str] = mapped_column(Text)  # JSON list
    item_names: Mapped[str] = mapped_column(Text)  # JSON list
    bundle_code: Mapped[str | None] = mapped_column(String(64))
    bundle_name: Mapped[str | None] = mapped_column(String(200))
    checklist: Mapped[str] = mapped_column(Text)  # JSON list of ChecklistEntry
    reasons: Mapped[str] = mapped_column(Text)  # JSON list
    tolerated: Mapped[str] = mapped_column(Text)  # JSON list
    commitments: Mapped[str] = mapped_column(Text)  # JSON list
    due_date: Mapped[str | None] = mapped_column(String(10))
    deadline_problem: Mapped[str | None] = mapped_column(Text)
    accepted_on: Mapped[str] = mapped_column(String(10), index=True)
    window_number: Mapped[str] = mapped_column(String(16))
    clerk_name: Mapped[str] = mapped_column(String(100))
    clerk_login: Mapped[str | None] = mapped_column(String(64))  # schema 4
    prereview_number: Mapped[str | None] = mapped_column(String(32))  # schema 6: the 预审 it came from
    rate_token: Mapped[str | None] = mapped_column(String(48))  # schema 7: the QR rating page's key
    # Schema 9: what the documents print. The delivery address is personal data: SM4-GCM encrypted.
    delivery: Mapped[str | None] = mapped_column(String(8))  # 自取 / 邮寄
    delivery_address: Mapped[str | None] = mapped_column(Text)
    refusal_ground: Mapped[str | None] = mapped_column(String(16))  # core.checklist.RefusalGround
    competent_body: Mapped[str | None] = mapped_column(Text)
    item_deadlines: Mapped[str | None] = mapped_column(Text)  # JSON list: a bundle's items' own due dates
    ticket_number: Mapped[str | None] = mapped_column(String(32))
    previous_case_uuid: Mapped[str | None] = mapped_column(String(36))
    return_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class CaseEventRow(Base):
    """Everything that happens to a case after it is made: supplement, return, reprint…"""

    __tablename__ = "case_events"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_uuid: Mapped[str] = mapped_column(String(36), ForeignKey("cases.uuid"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    at: Mapped[str] = mapped_column(String(32))
    clerk_name: Mapped[str] = mapped_column(String(100))
    data: Mapped[str] = mapped_column(Text)  # JSON


class OutboxRow(Base):
    """Records waiting for the central service; written in the same transaction as the record."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))  # case / case_event
    record_uuid: Mapped[str] = mapped_column(String(36))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[str | None] = mapped_column(String(32), index=True)


class CounterRow(Base):
    """Per-year case number sequences of this window."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


# -- schema 3: walk-in queue numbers issued while the central was unreachable ------------------


class WalkinTicketRow(Base):
    """A walk-in number of this window (W3-001), issued offline; its events go to the outbox."""

    __tablename__ = "walkin_tickets"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)  # the central's ticket id too
    day: Mapped[str] = mapped_column(String(10), index=True)
    number: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    window: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))  # core.queue.TicketState
    calls: Mapped[int] = mapped_column(Integer, default=0)
    issued_at: Mapped[str] = mapped_column(String(40))
    last_called_at: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[str] = mapped_column(String(40))
    # Pushed and seen by the central: from then on the central calls it, not this window offline.
    handed_over: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ux_walkin_tickets_day_number", "day", "number", unique=True),)


# -- schema 4: people, sign-in attempts, the audit chain ----------------------------------------


class UserRow(Base):
    """A person: a standalone window's own account, or the offline verifier of a central account."""

    __tablename__ = "users"
    login: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    roles: Mapped[str] = mapped_column(Text)  # JSON list of core.permissions.Role values
    departments: Mapped[str] = mapped_column(Text)  # JSON list (a chief representative's)
    password_hash: Mapped[str | None] = mapped_column(Text)  # Argon2id
    source: Mapped[str] = mapped_column(String(16))  # local / central
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_at: Mapped[str | None] = mapped_column(String(40))  # last online sign-in (central)
    created_at: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[str] = mapped_column(String(40))


class SignInAttemptRow(Base):
    __tablename__ = "sign_in_attempts"
    login: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[str | None] = mapped_column(String(40))


class AuditRow(Base):
    """One link of the append-only audit chain (hallclient.security.audit_chain)."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    at: Mapped[str] = mapped_column(String(40), index=True)
    actor: Mapped[str] = mapped_column(String(64), index=True)
    roles: Mapped[str] = mapped_column(Text)
    window: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    case_number: Mapped[str | None] = mapped_column(String(64), index=True)
    detail: Mapped[str] = mapped_column(Text)  # JSON, never personal data
    prev_tag: Mapped[str] = mapped_column(String(64))
    tag: Mapped[str] = mapped_column(String(64))


# -- schema 6: authorisations (授权书) and pre-reviews (预审) --------------------------------------


class AuthorisationRow(Base):
    __tablename__ = "authorisations"
    login: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[str] = mapped_column(Text)  # core.approval.Authorisation JSON
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40))


class PrereviewRow(Base):
    __tablename__ = "prereviews"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    applicant_name: Mapped[str] = mapped_column(Text)
    applicant: Mapped[str] = mapped_column(Text)  # SM4-GCM encrypted Applicant JSON
    item_codes: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))
    proxy_login: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[str] = mapped_column(String(40))
    valid_until: Mapped[str] = mapped_column(String(10))
    data: Mapped[str] = mapped_column(Text)  # marks, remarks, names, consent… (no personal data)
    used_case_uuid: Mapped[str | None] = mapped_column(String(36))
    used_case_number: Mapped[str | None] = mapped_column(String(64))
    used_window: Mapped[str | None] = mapped_column(String(16))
    used_at: Mapped[str | None] = mapped_column(String(40))


# -- schema 7: 好差评 and 有诉即办 ----------------------------------------------------------------


class RatingRow(Base):
    __tablename__ = "ratings"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    service_key: Mapped[str] = mapped_column(String(120), unique=True)  # one rating per service
    case_uuid: Mapped[str | None] = mapped_column(String(36))
    case_number: Mapped[str | None] = mapped_column(String(64))
    ticket_number: Mapped[str | None] = mapped_column(String(32))
    window: Mapped[str] = mapped_column(String(16))
    clerk_login: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[str | None] = mapped_column(String(24))  # None: 未评价
    channel: Mapped[str] = mapped_column(String(16))
    rated_at: Mapped[str] = mapped_column(String(40), index=True)
    data: Mapped[str] = mapped_column(Text)  # indicators, comment, reasons
    phone: Mapped[str | None] = mapped_column(Text)  # SM4-GCM: for the callback only


class RectificationRow(Base):
    __tablename__ = "rectifications"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    rating_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    state: Mapped[str] = mapped_column(String(16))
    opened_on: Mapped[str] = mapped_column(String(10))
    contact_by: Mapped[str | None] = mapped_column(String(10))
    rectify_by: Mapped[str | None] = mapped_column(String(10))
    window: Mapped[str] = mapped_column(String(16))
    clerk_login: Mapped[str] = mapped_column(String(64))
    case_number: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[str] = mapped_column(Text)  # history, level, reasons, verdict…
    closed_at: Mapped[str | None] = mapped_column(String(40))


class ComplaintRow(Base):
    __tablename__ = "complaints"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    stage: Mapped[str] = mapped_column(String(16), index=True)
    owner_login: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[str] = mapped_column(String(40))
    stage_due: Mapped[str | None] = mapped_column(String(10))
    about_window: Mapped[str | None] = mapped_column(String(16))
    case_number: Mapped[str | None] = mapped_column(String(64))
    personal: Mapped[str] = mapped_column(Text)  # SM4-GCM: the complainant and how to reach them
    data: Mapped[str] = mapped_column(Text)
