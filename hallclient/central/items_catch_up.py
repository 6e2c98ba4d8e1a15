"""The central's items table brought back to its feed after a publish that stopped half-way.

A publish writes the feed (what windows download) in one transaction and the central's own items
table after it, in short transactions of its own (publish.py), so the hall's writes never wait
for the whole catalog. A publish that stops between the two (the process killed, the disk full)
leaves the feed at the new catalog and the items table partly at the old one; the next publish
compares the new catalog with the feed, finds those items unchanged and would never write them
again. The items table is what the central decides by: which department an item belongs to (who
may see a case), which items a chief representative approves on site, the names on a pushed
case's warnings.

So the table records the feed version it was brought to (`feed.ITEMS_VERSION_KEY`, written in the
publish's last items step), and where that is not the feed's version, `catch_up_items` rewrites
it from the feed's own documents: when the central starts, and before each publish. A central
from before this key has it missing and is caught up once.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from hallclient.central import feed
from hallclient.central import queue_store as qs
from hallclient.core.catalog_format import (
    FORMAT_NAME,
    FORMAT_VERSION,
    decode_catalog,
    doc_to_catalog,
)
from hallclient.store.catalog_repo import ITEMS
from hallclient.store.catalog_sync import Derived, item_row
from hallclient.store.database import Store

log = logging.getLogger(__name__)

FEED_CODE, FEED_POSITION, FEED_DOC = feed.FEED.c.code, feed.FEED.c.position, feed.FEED.c.doc
CHUNK = 2000  # items rows per write transaction, as a publish's items steps


class _Derived(msgspec.Struct):
    content_hash: str
    pinyin_initials: str
    pinyin_full: str


_DERIVED = msgspec.json.Decoder(list[_Derived])


def items_behind(session: Session) -> int | None:
    """The feed version the items table must be brought to, or None when it is there (or nothing
    was ever published)."""
    version = feed.current_version(session)
    return None if feed.items_table_at(session, version) else version


def catch_up_items(store: Store) -> int:
    """Rewrite the items table from the feed when it is behind (module doc); the rows written (0:
    it was up to date). Raises what the database raises; a feed whose documents do not read
    as a catalog raises CatalogFormatError and leaves the table as it was."""
    with store.session() as session:
        version = items_behind(session)
        if version is None:
            return 0
        rows = session.execute(select(FEED_CODE, FEED_POSITION, FEED_DOC).where(feed.FEED.c.deleted.is_(False))
                               .order_by(FEED_POSITION, FEED_CODE)).all()
        session.rollback()
        columns, values = _item_rows(version, rows)
        live = {row.code for row in rows}
        known = set(session.execute(select(ITEMS.c.code)).scalars())
        session.rollback()
        stale = sorted(known - live)
        code_at = columns.index("code") if columns else 0
        for start in range(0, max(len(values), 1), CHUNK):
            chunk = values[start:start + CHUNK]
            with qs.write_transaction(session, generic_plans=False):
                if _done_elsewhere(session, version):
                    log.info("items table: caught up with feed version %d by another process", version)
                    return 0
                feed.write_item_rows(session, columns, [row[code_at] for row in chunk], chunk)
                if start + CHUNK >= len(values):  # the last step: what the feed does not have goes, the version is recorded
                    feed.delete_item_rows(session, stale)
                    feed.mark_items_current(session, version)
    log.warning("items table caught up with feed version %d: %d items written, %d removed "
                "(an earlier publish had stopped before its items steps)", version, len(values), len(stale))
    return len(values)


def _done_elsewhere(session: Session, version: int) -> bool:
    """In a catch-up's write transaction: another process (a central's other worker starting at the
    same time, a publish from the command line) brought the table to `version` meanwhile. On
    PostgreSQL the catch-ups' transactions take turns (an advisory lock held to their commit), so
    two never insert the same rows at once."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().exec_driver_sql(f"SELECT pg_advisory_xact_lock({_ADVISORY_LOCK:d})")
    return feed.items_table_at(session, version)


_ADVISORY_LOCK = 0x6863_6974  # "hcit": the catch-up's key among the database's advisory locks


def _item_rows(version: int, rows: list[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The items-table rows of the feed's documents, as a publish writes them (catalog_sync.item_row)."""
    docs = [row.doc.encode("utf-8") if isinstance(row.doc, str) else bytes(row.doc) for row in rows]
    array = b"[" + b",".join(docs) + b"]"
    body = b'{"format":"%s","format_version":%d,"catalog_version":%d,"items":%s}' % (
        FORMAT_NAME.encode(), FORMAT_VERSION, version, array)
    items = doc_to_catalog(decode_catalog(body)).items
    derived = _DERIVED.decode(array)
    made = [item_row(item, row.position, Derived(d.content_hash, d.pinyin_initials, d.pinyin_full))
            for item, row, d in zip(items, rows, derived, strict=True)]
    if not made:
        return [], []
    columns = list(made[0])
    return columns, [tuple(r[c] for c in columns) for r in made]

