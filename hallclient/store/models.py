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
