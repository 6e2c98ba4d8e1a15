"""Applying catalog changes (feed pages) to a store: upserts by code, tombstones, bundles.

Used by a window applying what it pulled from the central service, and by the central service
applying a published file to its own copy of the catalog: the same code keeps both catalogs.
Nothing here commits; the caller's transaction makes the whole download one change, so the
catalog in use is always entirely the old one or entirely the new one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session

from hallclient.core.catalog import Bundle, CatalogHeader, ServiceItem
from hallclient.core.catalog_format import FORMAT_VERSION, CatalogFormatError, ItemDoc, item_doc
from hallclient.store.catalog_repo import (
    _ITEM_COLUMNS,
    BUNDLE_ITEMS,
    BUNDLES,
    ITEM_INSERT,
    ITEMS,
    MATERIAL_INSERT,
    MATERIALS,
    ContentHasher,
    PinyinMemo,
    _item_row,
    _write_bundles,
    _write_header,
    bulk_insert,
    item_doc_row,
    material_doc_rows,
)
from hallclient.store.database import get_meta, set_meta

# Where a window's catalog came from, so the next pull knows whether it may ask for changes only.
FEED_ID = "catalog_feed_id"
FEED_VERSION = "catalog_feed_version"  # the catalog_version the last pull reached
FEED_FORMAT = "catalog_feed_format"
_CHUNK = 500  # codes per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


@dataclass(frozen=True)
class FeedState:
    """What a window tells the feed: its version and whether changes since it can be applied."""

    catalog_version: int
    feed_id: str | None
    incremental: bool  # False: the local catalog is not the feed's (never synced, imported…)

    @property
    def since(self) -> int:
        return self.catalog_version if self.incremental else 0


class Derived(NamedTuple):
    """Columns computed from an item, when already known (the central ships them in its feed
    so 20,000 names are put into pinyin once at the centre, not once per window)."""

    content_hash: str
    pinyin_initials: str
    pinyin_full: str


def item_row(item: ServiceItem, position: int, derived: Derived | None = None) -> dict[str, object]:
    if derived is None:
        return _item_row(item, position)
    row: dict[str, object] = {c: getattr(item, c) for c in _ITEM_COLUMNS}
    row.update(item_type=item.item_type.value, state=item.state.value, position=position,
               content_hash=derived.content_hash, pinyin_initials=derived.pinyin_initials,
               pinyin_full=derived.pinyin_full)
    return row


@dataclass
class ApplyResult:
    upserted: int = 0
    deleted: int = 0
    bundles: int | None = None  # None: bundles left as they were
    item_count: int = 0


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def read_feed_state(session: Session, feed_id_expected: str | None = None) -> FeedState:
    version = _int(get_meta(session, "catalog_version"))
    feed_id = get_meta(session, FEED_ID)
    synced = _int(get_meta(session, FEED_VERSION))
    fmt = _int(get_meta(session, FEED_FORMAT))
    incremental = (
        version is not None and feed_id is not None and synced == version and fmt == FORMAT_VERSION
        and (feed_id_expected is None or feed_id_expected == feed_id)
    )
    return FeedState(catalog_version=version or 0, feed_id=feed_id, incremental=incremental)


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _next_position(session: Session) -> int:
    current = session.execute(select(func.max(ITEMS.c.position))).scalar()
    return 0 if current is None else int(current) + 1


class CatalogApply:
    """One download applied in the caller's transaction, page by page: `CatalogApply(...)`, then
    `add` for each page's items, then `finish` with the tombstones and bundles.

    `full` empties the catalog first (a full download). A page's items are upserted by code
    (their materials replaced); `positions` keeps the authority's order for export and display,
    an item without one keeps its place or goes last; `derived` gives an item's hash and pinyin
    when known (else they are computed). Tombstones are dropped at the end, unless an item of
    the same download brings the code back. Raises CatalogFormatError when the result breaks
    the spec (a bundle naming a missing item); the caller then rolls back.
    """

    def __init__(self, session: Session, *, header: CatalogHeader, full: bool = False) -> None:
        # Write first: on SQLite this takes the write lock before anything is read, so a window
        # writing a case at the same moment waits (busy_timeout) instead of failing the upgrade.
        _write_header(session, header)
        self.session = session
        self.full = full
        self.result = ApplyResult()
        self._codes: set[str] = set()
        self._pinyin: PinyinMemo | None = None
        self._hasher: ContentHasher | None = None
        if full:
            for table in (BUNDLE_ITEMS, BUNDLES, MATERIALS, ITEMS):
                session.execute(delete(table))
        self._next_position = _next_position(session)

    def add(self, items: Sequence[ItemDoc], positions: Sequence[int | None] | None = None,
            derived: Sequence[Derived | None] | None = None) -> None:
        session = self.session
        codes = [item.code for item in items]
        old_positions: dict[str, int] = {}
        if not self.full:
            for chunk in _chunks(codes):
                old_positions.update((code, position) for code, position in session.execute(
                    select(ITEMS.c.code, ITEMS.c.position).where(ITEMS.c.code.in_(chunk))))
                session.execute(delete(MATERIALS).where(MATERIALS.c.item_code.in_(chunk)))
                session.execute(delete(ITEMS).where(ITEMS.c.code.in_(chunk)))
        rows = []
        for index, item in enumerate(items):
            given = positions[index] if positions is not None else None
            if given is None:
                given = old_positions.get(item.code)
            if given is None:
                given, self._next_position = self._next_position, self._next_position + 1
            known = derived[index] if derived is not None else None
            if known is None:
                if self._pinyin is None or self._hasher is None:
                    self._pinyin, self._hasher = PinyinMemo(), ContentHasher()
                known = Derived(self._hasher(item), *self._pinyin(item.name))
            rows.append(item_doc_row(item, given, *known))
        bulk_insert(session, ITEMS, ITEM_INSERT, rows)
        bulk_insert(session, MATERIALS, MATERIAL_INSERT, material_doc_rows(items))
        self.result.upserted += len(items)
        self._codes.update(codes)

    def finish(self, deleted: Sequence[str] = (), bundles: Sequence[Bundle] | None = None) -> ApplyResult:
        session, result = self.session, self.result
        if not self.full:
            gone = [code for code in dict.fromkeys(deleted) if code not in self._codes]
            for chunk in _chunks(gone):
                session.execute(delete(MATERIALS).where(MATERIALS.c.item_code.in_(chunk)))
                result.deleted += cast(CursorResult[Any], session.execute(
                    delete(ITEMS).where(ITEMS.c.code.in_(chunk)))).rowcount or 0
        if bundles is not None:
            session.execute(delete(BUNDLE_ITEMS))
            session.execute(delete(BUNDLES))
            _write_bundles(session, list(bundles))
            result.bundles = len(bundles)
        result.item_count = int(session.execute(select(func.count()).select_from(ITEMS)).scalar_one())
        _check_bundles(session)
        return result


def apply_changes(
    session: Session,
    items: Sequence[ServiceItem],
    *,
    positions: Sequence[int | None] | None = None,
    derived: Sequence[Derived | None] | None = None,
    deleted: Sequence[str] = (),
    bundles: Sequence[Bundle] | None = None,
    header: CatalogHeader,
    full: bool = False,
) -> ApplyResult:
    """Upsert `items` by code (their materials replaced), drop `deleted`, replace `bundles`:
    CatalogApply with one page of core items (see there)."""
    apply = CatalogApply(session, header=header, full=full)
    apply.add([item_doc(item) for item in items], positions, derived)
    return apply.finish(deleted, bundles)


def _check_bundles(session: Session) -> None:
    missing = session.execute(
        select(BUNDLE_ITEMS.c.bundle_code, BUNDLE_ITEMS.c.item_code)
        .where(BUNDLE_ITEMS.c.item_code.not_in(select(ITEMS.c.code))).limit(1)
    ).first()
    if missing is not None:
        raise CatalogFormatError(
            f"bundle {missing[0]}: field 'items': item {missing[1]} is not in the catalog")


def record_feed(session: Session, feed_id: str, version: int) -> None:
    """Remember that the catalog now is the feed `feed_id` at `version` (same transaction)."""
    set_meta(session, FEED_ID, feed_id)
    set_meta(session, FEED_VERSION, str(version))
    set_meta(session, FEED_FORMAT, str(FORMAT_VERSION))
