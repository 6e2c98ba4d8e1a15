"""Publishing a catalog on a running central without stopping the hall.

A 20,000-item publish is seconds of CPU (validation, hashes, pinyin, documents) and tens of
megabytes written. Done in one transaction it held SQLite's write lock for ~14 s and the kiosk
and case pushes got 503 meanwhile. Here:

1. prepare (`feed.prepare_publish`): everything computed from a read snapshot, no lock held;
2. write (`feed.write_publish`): the feed's rows, tombstones, header and bundles, in one short
   write transaction: what windows download changes at once, old catalog or new;
3. the central's own items table (names and states for the warnings on pushed cases), in
   transactions of `feed.ITEMS_CHUNK` rows, so no single one holds the lock long.

Writes go through `queue_store.write_transaction`: on SQLite they queue on the same in-process
lock as the hall's queue writes (BEGIN IMMEDIATE), so a ticket issued during a publish waits for
one short step at most, never for the whole publish. Publishes run one at a time per process; a
publish that finds the feed moved between its prepare and its write (another process published)
prepares again.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from hallclient.central import feed
from hallclient.central import queue_store as qs
from hallclient.core.catalog import Catalog
from hallclient.store.database import Store

_ONE_AT_A_TIME = threading.Lock()
ATTEMPTS = 3


@dataclass
class PublishTimes:
    prepare_seconds: float = 0.0
    write_lock_seconds: float = 0.0  # the feed's write transaction: the longest the hall may wait
    items_seconds: float = 0.0  # all the items-table steps together
    items_max_step_seconds: float = 0.0


class PublishBusy(Exception):
    """The feed kept moving under this publish (other processes publishing at the same time)."""


def publish_catalog(store: Store, catalog: Catalog) -> tuple[feed.PublishResult, PublishTimes]:
    """Publish in three phases (module doc). Raises CatalogFormatError, PublishBusy."""
    times = PublishTimes()
    with _ONE_AT_A_TIME, store.session() as session:
        for _ in range(ATTEMPTS):
            start = time.perf_counter()
            prepared = feed.prepare_publish(session, catalog)
            times.prepare_seconds += time.perf_counter() - start
            try:
                with qs.write_transaction(session):
                    locked = time.perf_counter()
                    result = feed.write_publish(session, prepared)
                times.write_lock_seconds = time.perf_counter() - locked
            except feed.StalePublish:
                continue
            break
        else:
            raise PublishBusy("事项清单正被同时发布，请稍后重试")
        for codes, rows in feed.item_chunks(prepared):
            with qs.write_transaction(session):
                step = time.perf_counter()
                feed.write_items(session, prepared, codes, rows)
            took = time.perf_counter() - step
            times.items_seconds += took
            times.items_max_step_seconds = max(times.items_max_step_seconds, took)
        if prepared.moved:
            with qs.write_transaction(session):
                feed.write_positions(session, prepared)
    return result, times
