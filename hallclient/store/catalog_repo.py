"""Catalog in the store: atomic replacement, reading items and bundles, search entries, export."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from hallclient.core.catalog import (
    Bundle,
    Catalog,
    CatalogHeader,
    ItemState,
    ItemType,
    Material,
    MaterialSource,
    Necessity,
    ServiceItem,
)
from hallclient.core.catalog_format import item_to_json
from hallclient.core.pinyin import pinyin_keys
from hallclient.core.search import SearchEntry
from hallclient.store.database import get_meta, set_meta
from hallclient.store.models import BundleItemRow, BundleRow, MaterialRow, ServiceItemRow

ITEMS = ServiceItemRow.__table__
MATERIALS = MaterialRow.__table__
BUNDLES = BundleRow.__table__
BUNDLE_ITEMS = BundleItemRow.__table__

_MATERIAL_COLUMNS = (
    "key", "name", "necessity", "core", "form", "copies", "source", "tolerable",
    "supplement_days", "commitment", "standard", "note", "basis", "produced_by",
)
_ITEM_COLUMNS = (
    "code", "basic_code", "name", "item_type", "department", "window_category",
    "legal_limit_days", "promised_limit_days", "on_site_approval", "tolerance_allowed",
    "commitment_allowed", "fee", "conditions", "basis", "visits", "state", "version",
    "back_office", "guide", "limit_note",
)


@dataclass
class CatalogDiff:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    version_before: int | None = None
    version_after: int | None = None

    def summary(self) -> str:
        return (
            f"catalog version {self.version_before if self.version_before is not None else '(none)'} → {self.version_after}: "
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed"
        )


def content_hash(item: ServiceItem) -> str:
    encoded = json.dumps(item_to_json(item), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha1(encoded, usedforsecurity=False).hexdigest()


def _item_row(item: ServiceItem, position: int) -> dict[str, object]:
    initials, full = pinyin_keys(item.name)
    row: dict[str, object] = {c: getattr(item, c) for c in _ITEM_COLUMNS}
    row.update(
        item_type=item.item_type.value, state=item.state.value, position=position,
        content_hash=content_hash(item), pinyin_initials=initials, pinyin_full=full,
    )
    return row


def _material_rows(item: ServiceItem) -> Iterable[dict[str, object]]:
    for position, m in enumerate(item.materials):
        row: dict[str, object] = {c: getattr(m, c) for c in _MATERIAL_COLUMNS}
        row.update(item_code=item.code, position=position, necessity=m.necessity.value, source=m.source.value)
        yield row


def _existing_hashes(session: Session) -> dict[str, str]:
    return {code: digest for code, digest in session.execute(select(ITEMS.c.code, ITEMS.c.content_hash))}


def replace_catalog(session: Session, catalog: Catalog) -> CatalogDiff:
    """Replace the whole catalog. The caller commits; until then the old catalog stays in use."""
    before = _existing_hashes(session)
    diff = CatalogDiff(version_before=_int_or_none(get_meta(session, "catalog_version")))
    item_rows = [_item_row(item, i) for i, item in enumerate(catalog.items)]
    for row in item_rows:
        code = str(row["code"])
        if code not in before:
            diff.added.append(code)
        elif before[code] != row["content_hash"]:
            diff.updated.append(code)
    incoming = {str(r["code"]) for r in item_rows}
    diff.removed = sorted(code for code in before if code not in incoming)

    session.execute(delete(BUNDLE_ITEMS))
    session.execute(delete(BUNDLES))
    session.execute(delete(MATERIALS))
    session.execute(delete(ITEMS))
    if item_rows:
        session.execute(insert(ITEMS), item_rows)
    material_rows = [row for item in catalog.items for row in _material_rows(item)]
    if material_rows:
        session.execute(insert(MATERIALS), material_rows)
    _write_bundles(session, catalog.bundles)
    _write_header(session, catalog.header)
    diff.version_after = catalog.header.catalog_version
    return diff


def _write_bundles(session: Session, bundles: list[Bundle]) -> None:
    if not bundles:
        return
    session.execute(insert(BUNDLES), [{"code": b.code, "name": b.name, "position": i} for i, b in enumerate(bundles)])
    session.execute(
        insert(BUNDLE_ITEMS),
        [{"bundle_code": b.code, "position": i, "item_code": c} for b in bundles for i, c in enumerate(b.items)],
    )


def _write_header(session: Session, header: CatalogHeader) -> None:
    set_meta(session, "catalog_version", str(header.catalog_version))
    set_meta(session, "catalog_generated_at", header.generated_at)
    set_meta(session, "catalog_authority", header.authority)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def read_header(session: Session) -> CatalogHeader | None:
    version = _int_or_none(get_meta(session, "catalog_version"))
    if version is None:
        return None
    return CatalogHeader(
        authority=get_meta(session, "catalog_authority"),
        catalog_version=version,
        generated_at=get_meta(session, "catalog_generated_at"),
    )


def _material_from_row(row: object) -> Material:
    values = {c: getattr(row, c) for c in _MATERIAL_COLUMNS}
    values["necessity"] = Necessity(values["necessity"])
    values["source"] = MaterialSource(values["source"])
    return Material(**values)  # type: ignore[arg-type]


def _item_from_row(row: object, materials: tuple[Material, ...]) -> ServiceItem:
    values = {c: getattr(row, c) for c in _ITEM_COLUMNS}
    values["item_type"] = ItemType(values["item_type"])
    values["state"] = ItemState(values["state"])
    return ServiceItem(materials=materials, **values)  # type: ignore[arg-type]


def load_item(session: Session, code: str) -> ServiceItem | None:
    row = session.execute(select(ITEMS).where(ITEMS.c.code == code)).first()
    if row is None:
        return None
    materials = session.execute(
        select(MATERIALS).where(MATERIALS.c.item_code == code).order_by(MATERIALS.c.position)
    ).all()
    return _item_from_row(row, tuple(_material_from_row(m) for m in materials))


def load_items(session: Session, codes: Iterable[str]) -> list[ServiceItem]:
    """Items in the order asked; unknown codes are skipped."""
    found = (load_item(session, code) for code in codes)
    return [item for item in found if item is not None]


def list_bundles(session: Session) -> list[Bundle]:
    members: dict[str, list[str]] = {}
    for bundle_code, item_code in session.execute(
        select(BUNDLE_ITEMS.c.bundle_code, BUNDLE_ITEMS.c.item_code).order_by(
            BUNDLE_ITEMS.c.bundle_code, BUNDLE_ITEMS.c.position
        )
    ):
        members.setdefault(bundle_code, []).append(item_code)
    rows = session.execute(select(BUNDLES.c.code, BUNDLES.c.name).order_by(BUNDLES.c.position)).all()
    return [Bundle(code=code, name=name, items=tuple(members.get(code, ()))) for code, name in rows]


def load_bundle(session: Session, code: str) -> Bundle | None:
    return next((b for b in list_bundles(session) if b.code == code), None)


def search_entries(session: Session) -> list[SearchEntry]:
    rows = session.execute(
        select(
            ITEMS.c.code, ITEMS.c.name, ITEMS.c.state, ITEMS.c.pinyin_initials, ITEMS.c.pinyin_full,
            ITEMS.c.basic_code, ITEMS.c.window_category, ITEMS.c.item_type,
        ).order_by(ITEMS.c.position)
    ).all()
    return [
        SearchEntry(
            code=r[0], name=r[1], state=ItemState(r[2]), initials=r[3], pinyin=r[4],
            basic_code=r[5], window_category=r[6], item_type=r[7],
        )
        for r in rows
    ]


def item_count(session: Session) -> int:
    from sqlalchemy import func

    return int(session.execute(select(func.count()).select_from(ITEMS)).scalar_one())


def export_catalog(session: Session) -> Catalog:
    header = read_header(session) or CatalogHeader()
    by_item: dict[str, list[Material]] = {}
    for row in session.execute(select(MATERIALS).order_by(MATERIALS.c.item_code, MATERIALS.c.position)):
        by_item.setdefault(row.item_code, []).append(_material_from_row(row))
    items = [
        _item_from_row(row, tuple(by_item.get(row.code, ())))
        for row in session.execute(select(ITEMS).order_by(ITEMS.c.position))
    ]
    return Catalog(header=header, items=items, bundles=list_bundles(session), deleted=[])
