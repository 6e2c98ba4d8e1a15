"""Catalog in the store: atomic replacement, reading items and bundles, search entries, export."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from json.encoder import encode_basestring
from operator import itemgetter

import msgspec
from sqlalchemy import Table, delete, insert, select
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
from hallclient.core.catalog_format import (
    ITEM_FIELDS,
    MATERIAL_FIELDS,
    CatalogDoc,
    ItemDoc,
    MaterialDoc,
    catalog_to_doc,
    item_doc_json,
    item_to_json,
)
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
# The checked documents' structs carry their fields in these orders (catalog_format.doc_to_catalog).
assert (_ITEM_COLUMNS, _MATERIAL_COLUMNS) == (ITEM_FIELDS, MATERIAL_FIELDS), "catalog_format structs drifted"
ITEM_INSERT = (*_ITEM_COLUMNS, "position", "content_hash", "pinyin_initials", "pinyin_full")
MATERIAL_INSERT = ("item_code", "position", *_MATERIAL_COLUMNS)


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


# -- rows from checked documents (catalog_format.CatalogDoc): the bulk paths --------------------


def doc_content_hash(item: ItemDoc) -> str:
    """content_hash of the same item (the same JSON text, the same digest)."""
    encoded = json.dumps(item_doc_json(item), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha1(encoded, usedforsecurity=False).hexdigest()


class ContentHasher:
    """doc_content_hash, each distinct material and each distinct set of an item's other fields
    put into JSON once.

    The hash is that of json.dumps(item_to_json(item), sort_keys=True): the central computes it
    so too, and a window compares the two. Most of that text is materials, and a catalog repeats
    them (居民身份证, 营业执照, 授权委托书… across thousands of items); it repeats an item's other
    fields too (department, type, limits, flags: its "profile"), all but its code and name. Each
    distinct material's text and each profile's text are kept by value and the item's own code,
    name and materials spliced into them. The splice is exact: outside a JSON string a quote is
    never escaped, so a placeholder's text ("code": 0, "materials": 0, "name": 0) occurs once, as
    the key, and nowhere inside a value; and sorted, the three keys come in that order.
    """

    def __init__(self) -> None:
        self._materials: dict[tuple[object, ...], str] = {}
        self._profiles: dict[tuple[object, ...], tuple[str, str, str, str]] = {}

    def __call__(self, item: ItemDoc) -> str:
        known = self._materials
        try:
            parts = [known[key] for key in map(msgspec.structs.astuple, item.materials)]
        except KeyError:
            parts = [self._material(m) for m in item.materials]
        key = _profile_key(msgspec.structs.astuple(item))
        template = self._profiles.get(key)
        if template is None:
            template = self._profiles[key] = self._template(item)
        a, b, c, d = template
        text = "".join((a, encode_basestring(item.code), b, ", ".join(parts), c, encode_basestring(item.name), d))
        return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()

    def _template(self, item: ItemDoc) -> tuple[str, str, str, str]:
        """The sorted JSON text of the item's profile: the four parts around its code, materials
        and name."""
        values = msgspec.to_builtins(msgspec.structs.replace(item, materials=[]))
        values.setdefault("state", "active")
        values.update(code=0, materials=0, name=0)
        rest = json.dumps(values, ensure_ascii=False, sort_keys=True)
        before_code, rest = rest.split('"code": 0', 1)
        before_materials, rest = rest.split('"materials": 0', 1)
        before_name, after_name = rest.split('"name": 0', 1)
        return (before_code + '"code": ', before_materials + '"materials": [', "]" + before_name + '"name": ',
                after_name)

    def _material(self, m: MaterialDoc) -> str:
        key = msgspec.structs.astuple(m)
        text = self._materials.get(key)
        if text is None:
            values = msgspec.to_builtins(m)
            values.setdefault("necessity", "required")
            values.setdefault("source", "applicant")
            text = self._materials[key] = json.dumps(values, ensure_ascii=False, sort_keys=True)
        return text


# An item's fields but code, name and materials (ItemDoc's order), from msgspec.structs.astuple.
_profile_key = itemgetter(*(n for n, f in enumerate(ItemDoc.__struct_fields__) if f not in ("code", "name", "materials")))


# The rows are spelled out field by field, booleans as 0/1: sqlite3 binds an exact int or str as
# it is, but looks for an adapter for anything else (a bool, an enum member), which cost more
# than the insert itself on 200,000 materials with three flags each.


def item_doc_row(item: ItemDoc, position: int, digest: str, initials: str, full: str) -> tuple[object, ...]:
    """The item's row in ITEM_INSERT order."""
    i = item
    return (i.code, i.basic_code, i.name, i.item_type, i.department, i.window_category, i.legal_limit_days,
            i.promised_limit_days, i.on_site_approval + 0, i.tolerance_allowed + 0, i.commitment_allowed + 0,
            i.fee, i.conditions, i.basis, i.visits, i.state, i.version, i.back_office, i.guide, i.limit_note,
            position, digest, initials, full)


def material_doc_rows(items: Iterable[ItemDoc]) -> Iterator[tuple[object, ...]]:
    """The materials' rows in MATERIAL_INSERT order (the values _material_rows gives), made as
    they are inserted (bulk_insert takes them INSERT_BATCH at a time): 200,000 tuples alive at
    once set the garbage collector walking the heap again and again (it counts the container
    objects made and not yet freed), tripling the time they take."""
    for item in items:
        code = item.code
        for position, m in enumerate(item.materials):
            yield (code, position, m.key, m.name, m.necessity, m.core + 0, m.form, m.copies, m.source,
                   m.tolerable + 0, m.supplement_days, m.commitment + 0, m.standard, m.note, m.basis, m.produced_by)


def bulk_insert(session: Session, table: Table, columns: Sequence[str], rows: Iterable[tuple[object, ...]]) -> None:
    """executemany straight to the driver, inside the session's transaction.

    200,000 materials through SQLAlchemy's per-row parameter processing cost twice the insert
    itself; the values here are already plain (str, int, None).
    """
    connection = session.connection()
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(connection.dialect.paramstyle)
    if mark is None:  # another driver: let SQLAlchemy bind
        params = [dict(zip(columns, row, strict=True)) for row in rows]
        if params:
            session.execute(insert(table), params)
        return
    quote = connection.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join([mark] * len(columns))})")
    batches = iter(rows)
    while batch := list(islice(batches, INSERT_BATCH)):
        connection.exec_driver_sql(sql, batch)


INSERT_BATCH = 2000  # rows per executemany: few tuples alive at a time (see material_doc_rows)


class PinyinMemo:
    """pinyin_keys(text), computed once per run of Han characters (and once per run of others).

    pypinyin itself cuts a text into such runs and converts each on its own (simpleseg), so the
    keys of a name are the keys of its runs put together (tests/store/test_catalog_import.py
    holds them equal). A province's catalog repeats its runs (食品经营许可, 新办, 变更…) across
    thousands of names: 20,000 names cost a few hundred conversions instead of 20,000. A run of
    ASCII digits (第123号) is its own keys: pypinyin leaves it whole and pinyin_keys keeps digits.
    """

    def __init__(self) -> None:
        self._runs: dict[str, tuple[str, str]] = {}
        self._split = _run_splitter()

    def __call__(self, text: str) -> tuple[str, str]:
        if self._split is None:  # a pypinyin whose pattern this does not know
            return pinyin_keys(text)
        initials: list[str] = []
        full: list[str] = []
        runs = self._runs
        for run in self._split(text):
            if run:
                keys = runs.get(run)
                if keys is None:
                    if run.isdigit() and run.isascii():
                        keys = (run, run)
                    else:
                        keys = runs[run] = pinyin_keys(run)
                initials.append(keys[0])
                full.append(keys[1])
        return "".join(initials), "".join(full)


@cache
def _run_splitter() -> Callable[[str], list[str]] | None:
    """re.split by runs of the characters pypinyin has readings for (its own RE_HANS)."""
    from pypinyin.constants import RE_HANS

    pattern = RE_HANS.pattern
    if not (pattern.startswith("^(?:[") and pattern.endswith("])+$")):
        return None
    return re.compile(f"({pattern[1:-1]})").split


def replace_catalog(session: Session, catalog: Catalog | CatalogDoc) -> CatalogDiff:
    """Replace the whole catalog. The caller commits; until then the old catalog stays in use.

    A CatalogDoc (catalog_format.read_catalog_file / decode_catalog) is written as it is; a
    Catalog is first put in that form."""
    doc = catalog if isinstance(catalog, CatalogDoc) else catalog_to_doc(catalog)
    before = _existing_hashes(session)
    diff = CatalogDiff(version_before=_int_or_none(get_meta(session, "catalog_version")))
    pinyin, content_hash_of = PinyinMemo(), ContentHasher()
    item_rows = []
    for position, item in enumerate(doc.items):
        code, digest = item.code, content_hash_of(item)
        old = before.get(code)
        if old is None:
            diff.added.append(code)
        elif old != digest:
            diff.updated.append(code)
        item_rows.append(item_doc_row(item, position, digest, *pinyin(item.name)))
    incoming = {item.code for item in doc.items}
    diff.removed = sorted(code for code in before if code not in incoming)

    session.execute(delete(BUNDLE_ITEMS))
    session.execute(delete(BUNDLES))
    session.execute(delete(MATERIALS))
    session.execute(delete(ITEMS))
    bulk_insert(session, ITEMS, ITEM_INSERT, item_rows)
    bulk_insert(session, MATERIALS, MATERIAL_INSERT, material_doc_rows(doc.items))
    _write_bundles(session, [Bundle(code=b.code, name=b.name, items=tuple(b.items)) for b in doc.bundles])
    _write_header(session, doc.header)
    diff.version_after = doc.catalog_version
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
