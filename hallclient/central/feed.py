"""The catalog feed: publishing a catalog file and paging the changes since a version.

Versioned by change counters (DESIGN principle 5): every item code carries the catalog version
at which it last changed; a removed item leaves a tombstone with the version of its removal.
Publishing compares content hashes, so only items that really changed get the new version.
A window asks for the changes since its version and gets pages ordered by (version, code),
each a catalog-v1 document whose `catalog_version` is the version it reaches after applying
them all, plus a `feed` object (cursor, counts, full-resync flag; unknown keys are ignored by
the spec, so a page stays a valid catalog-v1 document).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import LargeBinary, and_, cast, delete, func, literal, select, tuple_, update
from sqlalchemy.orm import Session

from hallclient.central.limits import (
    VERSION_MAX,
    check_catalog_frame,
    check_item_columns,
    check_json_text,
)
from hallclient.central.models import FeedEntry
from hallclient.core.catalog import Catalog, CatalogHeader, ServiceItem
from hallclient.core.catalog_format import (
    FORMAT_NAME,
    FORMAT_VERSION,
    CatalogFormatError,
    item_to_json,
)
from hallclient.core.pinyin import pinyin_keys
from hallclient.store import catalog_repo
from hallclient.store.catalog_repo import (
    BUNDLE_ITEMS,
    BUNDLES,
    ITEMS,
    MATERIALS,
    _write_bundles,
    _write_header,
)
from hallclient.store.catalog_sync import Derived, item_row
from hallclient.store.database import get_meta, set_meta

FEED = FeedEntry.__table__
DEFAULT_PAGE_SIZE = 1000
MAX_PAGE_SIZE = 5000
BUNDLES_HASH_KEY = "feed_bundles_hash"
TOMBSTONE_FLOOR_KEY = "feed_tombstone_floor"  # tombstones older than this were pruned
ITEMS_VERSION_KEY = "items_table_version"  # the feed version the items table was brought to (items_catch_up)


class FeedMoved(Exception):
    """The catalog was published again while a window was paging: it must start over."""


class BadCursor(ValueError):
    pass


@dataclass
class PublishResult:
    version_before: int
    version_after: int
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    bundles_changed: bool = False

    @property
    def changed(self) -> bool:
        return self.version_after != self.version_before

    def to_json(self) -> dict[str, Any]:
        return {"version_before": self.version_before, "version_after": self.version_after,
                "added": len(self.added), "updated": len(self.updated), "removed": len(self.removed),
                "bundles_changed": self.bundles_changed}


def current_version(session: Session) -> int:
    value = get_meta(session, "catalog_version")
    return int(value) if value else 0


def _bundles_hash(catalog: Catalog) -> str:
    data = [[b.code, b.name, list(b.items)] for b in catalog.bundles]
    return hashlib.sha1(json.dumps(data, ensure_ascii=False).encode(), usedforsecurity=False).hexdigest()


def _hash_of(body: dict[str, Any]) -> str:
    """catalog_repo.content_hash of the item whose item_to_json is `body` (one conversion, not two)."""
    encoded = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")
    return hashlib.sha1(encoded, usedforsecurity=False).hexdigest()


@dataclass
class _Changed:
    position: int
    item: ServiceItem
    derived: Derived
    doc: str | bytes  # the feed document; publish makes it as its UTF-8 bytes for SQLite's stage


def _changed_entry(position: int, item: ServiceItem, body: dict[str, Any], digest: str) -> _Changed:
    check_item_columns(item)
    initials, full = pinyin_keys(item.name)
    doc = json.dumps({**body, "content_hash": digest, "pinyin_initials": initials, "pinyin_full": full},
                     ensure_ascii=False, separators=(",", ":"))
    check_json_text(f"item {item.code}", doc)
    return _Changed(position, item, Derived(digest, initials, full), doc)


class StalePublish(Exception):
    """Another publish committed between preparing this one and writing it: prepare again."""


@dataclass
class PreparedPublish:
    """Everything a publish writes, computed from a snapshot of the feed without holding a lock."""

    catalog: Catalog
    base_version: int  # the feed's version in the snapshot
    base_stamp: str | None  # FEED_STAMP_KEY in the snapshot: the write checks nothing moved since
    result: PublishResult
    changed: list[_Changed]
    fresh: set[str]  # codes of `changed` with no feed row yet
    moved: list[dict[str, Any]]
    bundles_hash: str
    version: int  # the version the write gives the changed items
    feed_new: list[tuple[Any, ...]] = field(default_factory=list)  # rows to insert into the feed
    feed_known: list[tuple[Any, ...]] = field(default_factory=list)  # rows to update
    item_columns: list[str] = field(default_factory=list)
    item_rows: list[tuple[Any, ...]] = field(default_factory=list)


FEED_STAMP_KEY = "feed_publish_stamp"  # changes with every publish that writes


@dataclass
class PublishSnapshot:
    """What a prepare reads of the feed, in one read snapshot."""

    version: int  # the feed's version
    stamp: str | None  # FEED_STAMP_KEY
    entries: dict[str, Any]  # code → (code, content_hash, deleted, position) of each feed row
    bundles_hash: str  # the catalog's
    result: PublishResult  # bundles_changed set; the prepare adds the codes


def read_publish_snapshot(session: Session, catalog: Catalog, *, end_snapshot: bool = True) -> PublishSnapshot:
    """The first step of a prepare (this module's and publish.prepare_publish): the catalog's frame
    checked, the feed read; the snapshot then ended unless `end_snapshot` is False, so the CPU
    work that follows holds nothing."""
    check_catalog_frame(catalog)
    before = current_version(session)
    stamp = get_meta(session, FEED_STAMP_KEY)
    result = PublishResult(version_before=before, version_after=before)
    entries = {row.code: row for row in session.execute(
        select(FEED.c.code, FEED.c.content_hash, FEED.c.deleted, FEED.c.position))}
    bundles_hash = _bundles_hash(catalog)
    result.bundles_changed = bundles_hash != get_meta(session, BUNDLES_HASH_KEY)
    if end_snapshot and session.in_transaction():
        session.rollback()
    return PublishSnapshot(before, stamp, entries, bundles_hash, result)


ItemTuples = Callable[[list[_Changed]], tuple[list[str], list[tuple[Any, ...]]]]


def complete_prepare(snapshot: PublishSnapshot, catalog: Catalog, changed: list[_Changed],
                     moved: list[dict[str, Any]], item_tuples: ItemTuples | None = None, *,
                     feed_rows: bool = True) -> PreparedPublish:
    """The last step of a prepare, once its items are compared and encoded (`changed`, `moved`):
    removals, the new version, the rows to write (the items table's by `item_tuples`, this
    module's _item_tuples unless given; the feed's unless `feed_rows` is False, for a writer
    that makes its own from `changed`)."""
    result, entries, version_before = snapshot.result, snapshot.entries, snapshot.version
    incoming = {item.code for item in catalog.items}
    result.removed = sorted(code for code, e in entries.items() if not e.deleted and code not in incoming)
    version = max(version_before + 1, catalog.header.catalog_version)
    if (changed or result.removed or result.bundles_changed) and version >= VERSION_MAX:
        raise CatalogFormatError(f"catalog: field 'catalog_version': must be less than {VERSION_MAX}")
    fresh = {c.item.code for c in changed if c.item.code not in entries}
    item_columns, item_rows = (item_tuples or _item_tuples)(changed)
    return PreparedPublish(
        catalog=catalog, base_version=version_before, base_stamp=snapshot.stamp, result=result, changed=changed,
        fresh=fresh, moved=moved, bundles_hash=snapshot.bundles_hash, version=version,
        **(feed_row_lists(changed, fresh, version) if feed_rows else {}),
        item_columns=item_columns, item_rows=item_rows)


def feed_row_lists(changed: list[_Changed], fresh: set[str], version: int) -> dict[str, list[tuple[Any, ...]]]:
    """PreparedPublish's feed_new (the fresh codes' rows to insert) and feed_known (the others'
    rows to update) of the changes, at `version`."""
    return {"feed_new": [(c.item.code, version, False, c.position, c.derived.content_hash, c.doc)
                         for c in changed if c.item.code in fresh],
            "feed_known": [(version, False, c.position, c.derived.content_hash, c.doc, c.item.code)
                           for c in changed if c.item.code not in fresh]}


def prepare_publish(session: Session, catalog: Catalog, *, end_snapshot: bool = True) -> PreparedPublish:
    """Phase 1 (no write, no lock; a read snapshot): validate, hash, pinyin, compare, encode.

    On 20,000 items this is seconds of CPU (pinyin mostly); the hall's writes go on meanwhile.
    Raises CatalogFormatError for a catalog the database cannot store.
    """
    snapshot = read_publish_snapshot(session, catalog, end_snapshot=end_snapshot)
    result = snapshot.result
    changed: list[_Changed] = []
    moved: list[dict[str, Any]] = []
    for position, item in enumerate(catalog.items):
        body = item_to_json(item)
        digest = _hash_of(body)
        entry = snapshot.entries.get(item.code)
        if entry is None or entry.deleted or entry.content_hash != digest:
            (result.added if entry is None or entry.deleted else result.updated).append(item.code)
            changed.append(_changed_entry(position, item, body, digest))
        elif entry.position != position:
            moved.append({"b_code": item.code, "position": position})
    return complete_prepare(snapshot, catalog, changed, moved)


def _exec_many(session: Session, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """executemany straight to the driver (the values are plain): SQLAlchemy's per-row parameter
    processing would double the time the write lock is held."""
    if not rows:
        return
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(sql.replace("?", mark), rows)


def _item_tuples(changed: list[_Changed]) -> tuple[list[str], list[tuple[Any, ...]]]:
    rows = [item_row(c.item, c.position, c.derived) for c in changed]
    columns = list(rows[0]) if rows else []
    return columns, [tuple(row[c] for c in columns) for row in rows]


def write_publish(session: Session, prepared: PreparedPublish) -> PublishResult:
    """Phase 2, inside the caller's write transaction: only the feed rows, tombstones, header and
    bundles, all prepared (on 20,000 new items: one executemany of 30 MB of documents).

    This is what windows download, so it changes in one transaction: a window sees the old
    catalog or the new one. The central's own items table (names and states for the warnings on
    pushed cases, the item count) follows in short transactions of its own (`write_items`).
    Raises StalePublish when another publish wrote since `prepared` was made.
    """
    set_meta(session, "feed_publishing", "1")  # a write first: takes the lock (SQLite) / row lock (PostgreSQL)
    if current_version(session) != prepared.base_version or get_meta(session, FEED_STAMP_KEY) != prepared.base_stamp:
        raise StalePublish()
    result = prepared.result
    quote = session.get_bind().dialect.identifier_preparer.quote
    if prepared.moved:
        _exec_many(session, f"UPDATE {quote(FEED.name)} SET position = ? WHERE code = ?",
                   [(m["position"], m["b_code"]) for m in prepared.moved])
    if not (prepared.changed or result.removed or result.bundles_changed):
        return result
    version = prepared.version
    result.version_after = version
    _exec_many(session, f"INSERT INTO {quote(FEED.name)} (code, version, deleted, position, content_hash, doc) "
                        "VALUES (?, ?, ?, ?, ?, ?)", prepared.feed_new)
    _exec_many(session, f"UPDATE {quote(FEED.name)} SET version = ?, deleted = ?, position = ?, content_hash = ?, "
                        "doc = ? WHERE code = ?", prepared.feed_known)
    for start in range(0, len(result.removed), 500):
        session.execute(update(FEED).where(FEED.c.code.in_(result.removed[start:start + 500])).values(
            version=version, deleted=True, content_hash=None, doc=None))
    _write_header(session, replace(prepared.catalog.header, catalog_version=version))
    if result.bundles_changed:
        session.execute(delete(BUNDLE_ITEMS))
        session.execute(delete(BUNDLES))
        _write_bundles(session, list(prepared.catalog.bundles))
    set_meta(session, BUNDLES_HASH_KEY, prepared.bundles_hash)
    set_meta(session, FEED_STAMP_KEY, uuid.uuid4().hex)
    return result


ITEMS_CHUNK = 1000  # item rows per transaction after the feed's write (≈ 15 ms each on SQLite here)


def item_chunks(prepared: PreparedPublish) -> list[tuple[list[str], list[tuple[Any, ...]]]]:
    """The central's items table changes of a publish, in chunks: (codes to delete, rows to insert)."""
    chunks: list[tuple[list[str], list[tuple[Any, ...]]]] = []
    if not prepared.result.changed:
        return chunks
    changed_codes = [c.item.code for c in prepared.changed]
    for start in range(0, len(changed_codes), ITEMS_CHUNK):
        chunks.append((changed_codes[start:start + ITEMS_CHUNK], prepared.item_rows[start:start + ITEMS_CHUNK]))
    for start in range(0, len(prepared.result.removed), ITEMS_CHUNK):
        chunks.append((prepared.result.removed[start:start + ITEMS_CHUNK], []))
    return chunks


def write_items(session: Session, prepared: PreparedPublish, codes: list[str], rows: list[tuple[Any, ...]]) -> None:
    """One chunk of `item_chunks`, in the caller's transaction."""
    write_item_rows(session, prepared.item_columns, codes, rows)


ITEM_DELETE_CHUNK = 500  # codes per DELETE … IN (…)


def delete_item_rows(session: Session, codes: list[str]) -> None:
    """The items rows of `codes`, in the caller's transaction. Materials rows are not kept on the
    central (an item's materials are in its feed document); an older central's are dropped. Plain
    SQL: SQLAlchemy's IN-list rendering of 500 codes per statement cost as much as the inserts."""
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    quote = connection.dialect.identifier_preparer.quote
    for start in range(0, len(codes), ITEM_DELETE_CHUNK):
        chunk = tuple(codes[start:start + ITEM_DELETE_CHUNK])
        marks = ", ".join([mark] * len(chunk))
        connection.exec_driver_sql(f"DELETE FROM {quote(MATERIALS.name)} WHERE item_code IN ({marks})", chunk)
        connection.exec_driver_sql(f"DELETE FROM {quote(ITEMS.name)} WHERE code IN ({marks})", chunk)


def write_item_rows(session: Session, columns: list[str], codes: list[str], rows: list[tuple[Any, ...]]) -> None:
    """The items rows of `codes` replaced by `rows` (of `columns`), in the caller's transaction."""
    delete_item_rows(session, codes)
    if rows:
        quote = session.get_bind().dialect.identifier_preparer.quote
        _exec_many(session, f"INSERT INTO {quote(ITEMS.name)} ({', '.join(quote(c) for c in columns)}) "
                            f"VALUES ({', '.join(['?'] * len(columns))})", rows)


def items_table_at(session: Session, version: int) -> bool:
    """The items table is at feed `version` (recorded by mark_items_current; nothing to be at
    before the first publish)."""
    return version == 0 or get_meta(session, ITEMS_VERSION_KEY) == str(version)


def mark_items_current(session: Session, version: int) -> None:
    """Record, in the caller's transaction, that the items table is at feed `version`
    (items_catch_up rewrites it from the feed where this is not the feed's version)."""
    if get_meta(session, ITEMS_VERSION_KEY) != str(version):
        set_meta(session, ITEMS_VERSION_KEY, str(version))


def write_positions(session: Session, prepared: PreparedPublish) -> None:
    if prepared.moved:
        quote = session.get_bind().dialect.identifier_preparer.quote
        _exec_many(session, f"UPDATE {quote(ITEMS.name)} SET position = ? WHERE code = ?",
                   [(m["position"], m["b_code"]) for m in prepared.moved])


def publish(session: Session, catalog: Catalog) -> PublishResult:
    """Make `catalog` the current one; bump the version only when something changed.

    Every phase in the caller's one transaction (the CLI, tests); the central's route prepares
    outside the write transaction and writes the items table after it (publish_service). The new
    version is the file's catalog_version when that is higher, else the current + 1. Raises
    CatalogFormatError for a catalog the database cannot store. The caller commits.
    """
    check_catalog_frame(catalog)
    set_meta(session, "feed_publishing", "1")  # serializes concurrent publishers from here on
    prepared = prepare_publish(session, catalog, end_snapshot=False)
    items_were_current = items_table_at(session, prepared.base_version)
    result = write_publish(session, prepared)
    for codes, rows in item_chunks(prepared):
        write_items(session, prepared, codes, rows)
    write_positions(session, prepared)
    if items_were_current:  # else still behind: items_catch_up rewrites it from the feed
        mark_items_current(session, result.version_after)
    return result


def prune_tombstones(session: Session, below_version: int) -> int:
    """Forget tombstones older than `below_version`; windows behind it must resync fully."""
    removed = session.execute(FEED.delete().where(
        and_(FEED.c.deleted.is_(True), FEED.c.version < below_version))).rowcount or 0
    floor = int(get_meta(session, TOMBSTONE_FLOOR_KEY) or 0)
    set_meta(session, TOMBSTONE_FLOOR_KEY, str(max(floor, below_version)))
    return removed


# -- paging -------------------------------------------------------------------------------------


def encode_cursor(target: int, full: bool, since: int, version: int, code: str,
                  counts: tuple[int, int] | None = None) -> str:
    """The position after (version, code) in the download of `target`; `counts` (total,
    item_count) are the download's, carried so later pages need not count the feed again."""
    values: list[Any] = [target, int(full), since, version, code]
    if counts is not None:
        values.extend(counts)
    raw = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, bool, int, int, str]:
    target, full, since, version, code, _counts = decode_cursor_counts(cursor)
    return target, full, since, version, code


def decode_cursor_counts(cursor: str) -> tuple[int, bool, int, int, str, tuple[int, int] | None]:
    """decode_cursor, with the counts when the cursor carries them (an older central's do not)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw.decode())
        ok = isinstance(values, list) and len(values) in (5, 7)
        if ok:
            target, full, since, version, code, *counts = values
            ok = all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**62
                     for v in (target, full, since, version, *counts)) and isinstance(code, str) and len(code) <= 64
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, RecursionError):
        ok = False
    if not ok:
        raise BadCursor("无效的分页游标（cursor）：请从头重新同步")
    return target, bool(full), since, version, code, (counts[0], counts[1]) if counts else None


@dataclass(frozen=True)
class FeedRequest:
    since: int = 0
    feed_id: str | None = None  # the feed the window's catalog came from
    format_version: int = FORMAT_VERSION
    cursor: str | None = None
    page_size: int = DEFAULT_PAGE_SIZE


def full_resync_reason(session: Session, request: FeedRequest, feed_id: str, current: int) -> str | None:
    if request.since == 0:
        return "initial"
    if request.feed_id != feed_id:
        return "feed_changed"  # another central, or a catalog imported by hand
    if request.format_version != FORMAT_VERSION:
        return "format_changed"
    if request.since > current:
        return "ahead_of_feed"
    if request.since < int(get_meta(session, TOMBSTONE_FLOOR_KEY) or 0):
        return "tombstones_pruned"
    return None


def etag(feed_id: str, version: int) -> str:
    """The validator of a catalog state: a window at that state asks with If-None-Match."""
    return f'"{feed_id}:{version}"'


@dataclass(frozen=True)
class FeedPage:
    body: bytes  # the page as UTF-8 JSON
    next_cursor: str | None  # feed.next of the page, for the X-Feed-Next header


def feed_page(session: Session, feed_id: str, request: FeedRequest) -> str:
    """One page of changes as JSON text (item documents are spliced in as stored)."""
    return render_page(session, feed_id, request).body.decode("utf-8")


def render_page(session: Session, feed_id: str, request: FeedRequest) -> FeedPage:
    """One page of changes (item documents are spliced in as stored).

    Keyset paging on the (version, code) index: a row-value comparison, which SQLite and
    PostgreSQL both seek to (an OR of the two conditions made SQLite walk the index from the
    start, so page n cost n pages). The counts are taken on the first page and carried in the
    cursor: the cursor names the version it pages through and a publish changes the version
    (FeedMoved), so they stay true for the whole download."""
    current = current_version(session)
    counts: tuple[int, int] | None = None
    if request.cursor:
        target, full, since, last_version, last_code, counts = decode_cursor_counts(request.cursor)
        if target != current:
            raise FeedMoved()
        reason = "continued"
    else:
        reason = full_resync_reason(session, request, feed_id, current)
        target, full, since = current, reason is not None, request.since
        last_version, last_code = -1, ""
        if full:
            since = 0
    condition = FEED.c.deleted.is_(False) if full else FEED.c.version > since
    after = tuple_(FEED.c.version, FEED.c.code) > tuple_(
        literal(last_version, FEED.c.version.type), literal(last_code, FEED.c.code.type))
    # SQLite hands a TEXT column over as bytes when asked (CAST AS BLOB): the documents go out
    # as stored, not decoded from UTF-8 and encoded back (1.5 MB a page).
    as_bytes = session.get_bind().dialect.name == "sqlite"
    doc = cast(FEED.c.doc, LargeBinary).label("doc") if as_bytes else FEED.c.doc
    rows = session.execute(
        select(FEED.c.code, FEED.c.version, FEED.c.deleted, FEED.c.position, doc)
        .where(condition, after).order_by(FEED.c.version, FEED.c.code).limit(request.page_size + 1)
    ).all()
    more = len(rows) > request.page_size
    rows = rows[:request.page_size]
    if counts is None:
        counts = (
            session.execute(select(func.count()).select_from(FEED).where(condition)).scalar_one(),
            session.execute(select(func.count()).select_from(FEED).where(FEED.c.deleted.is_(False))).scalar_one())
    total, item_count = counts
    header = catalog_repo.read_header(session) or CatalogHeader()
    docs = [b'{"position":%d,%s' % (r.position, (r.doc if as_bytes else r.doc.encode("utf-8"))[1:])
            for r in rows if not r.deleted and r.doc]
    deleted = [r.code for r in rows if r.deleted]
    next_cursor = encode_cursor(target, full, since, rows[-1].version, rows[-1].code, counts) if more else None
    meta: dict[str, Any] = {
        "id": feed_id, "since": since, "full": full, "reason": reason, "next": next_cursor,
        "total": total, "page_items": len(rows), "item_count": item_count,
    }
    head: dict[str, Any] = {
        "format": FORMAT_NAME, "format_version": FORMAT_VERSION, "authority": header.authority,
        "catalog_version": target, "generated_at": header.generated_at, "deleted": deleted, "feed": meta,
    }
    if not more:
        head["bundles"] = [{"code": b.code, "name": b.name, "items": list(b.items)}
                           for b in catalog_repo.list_bundles(session)]
    encoded = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return FeedPage(b"%s,\"items\":[%s]}" % (encoded[:-1], b",".join(docs)), next_cursor)
