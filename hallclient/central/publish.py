"""Publishing a catalog on a running central without stopping the hall.

A 20,000-item publish writes tens of megabytes; done in one transaction it held SQLite's write
lock for ~14 s and the kiosk and case pushes got 503 meanwhile. Here:

1. prepare (`prepare_publish`): everything computed from a read snapshot, no lock held; on
   SQLite the documents are made as UTF-8 bytes and the rows to write then wait in TEMP tables
   of the publish's connection (`_Stage`: their writes lock nothing, and binding 30 MB of
   documents is done before the lock, not in it);
2. write (`write_publish`, i.e. `feed.write_publish`): the feed's rows, tombstones, header and
   bundles, in one short write transaction: what windows download changes at once, old catalog
   or new. SQLite copies the staged rows itself (one INSERT … SELECT); PostgreSQL gets the new
   rows by COPY. On SQLite the WAL this wrote is checkpointed on a thread of its own
   (`_Checkpoint`) while step 3 runs, not in this commit, with the hall's write lock held;
3. the central's own items table (names and states for the warnings on pushed cases), in
   transactions of `ITEMS_CHUNK` rows, so no single one holds the lock long (on SQLite copied
   from the staged rows and a table of the distinct item profiles).

Writes go through `queue_store.write_transaction`: on SQLite they queue on the same in-process
lock as the hall's queue writes (BEGIN IMMEDIATE), so a ticket issued during a publish waits for
one short step at most, never for the whole publish. Publishes run one at a time per process; a
publish that finds the feed moved between its prepare and its write (another process published)
prepares again.

Preparing is CPU in the server's own process, holding the GIL the hall's requests need, so it is
kept small, and while it runs the GIL changes hands every 0.5 ms rather than 5 (`_cpu_bound`):
what `feed.prepare_publish` computes item by item (item_to_json, two JSON encodings, pinyin of
every name: ≈ 10 s on 20,000 items) is computed here once per distinct value. A catalog repeats
itself: the same material (居民身份证, 营业执照…) in thousands of items, the same department,
type, limits and flags, the same words in the names. `_Encoder` encodes each distinct material
and each distinct set of an item's other fields once and splices the item's documents from
those pieces (a material found by its object when the catalog has one per distinct material,
as catalog_format.doc_to_catalog makes it for PUT /api/v1/catalog); a name's pinyin is that of
its "skeleton" (digits as 0), made once. The text is the same, byte for byte, as
`feed.prepare_publish` makes (one item in 5000 is made both ways and compared; tests compare the
two on generated catalogs, errors included). A catalog that turns out not to repeat itself has
its items encoded whole, as feed does. A piece is checked (check_item_columns, the text rules)
with the first changed item that has it; any problem sends the item through
`feed._changed_entry`, which raises the same error `feed.publish` does.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from functools import cache
from json.encoder import encode_basestring
from operator import attrgetter, itemgetter
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from hallclient.central import feed, items_catch_up
from hallclient.central import queue_store as qs
from hallclient.central.limits import (
    check_item_columns,
    check_json_text,
)
from hallclient.core.catalog import Catalog, Material, ServiceItem
from hallclient.core.catalog_format import CatalogFormatError, item_to_json, material_to_json
from hallclient.core.pinyin import pinyin_keys
from hallclient.core.text_rules import encoded_json_problem
from hallclient.store.catalog_repo import ITEMS, MATERIALS
from hallclient.store.catalog_sync import Derived, item_row
from hallclient.store.database import Store

log = logging.getLogger(__name__)

_ONE_AT_A_TIME = threading.Lock()
ATTEMPTS = 3
ITEMS_CHUNK = 2000  # item rows per transaction after the feed's write (≈ 15 ms each on SQLite here)
_FEED_TABLE, _ITEMS_TABLE, _MATERIALS_TABLE = (cast(Table, t).name for t in (feed.FEED, ITEMS, MATERIALS))


@dataclass
class PublishTimes:
    prepare_seconds: float = 0.0
    write_lock_seconds: float = 0.0  # the feed's write transaction: the longest the hall may wait
    items_seconds: float = 0.0  # all the items-table steps together
    items_max_step_seconds: float = 0.0


class PublishBusy(Exception):
    """The feed kept moving under this publish (other processes publishing at the same time)."""


def publish_catalog(store: Store, catalog: Catalog) -> tuple[feed.PublishResult, PublishTimes]:
    """Publish in three phases (module doc). Raises CatalogFormatError, PublishBusy.

    No cyclic collection from the prepare until the publish's own objects are gone: collection
    is paused while preparing anyway (_cpu_bound), and resumed at the prepare's end it walked
    the ≈ 100,000 objects the prepare had just made (35-40 ms on 20,000 items, 4 % of the
    publish), all of them freed by reference counting a few hundred milliseconds later, when
    the publish returns (freeing them takes back what they added to the collector's count)."""
    with _collection_paused():
        return _publish_catalog(store, catalog)


@contextmanager
def _collection_paused() -> Iterator[None]:
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _publish_catalog(store: Store, catalog: Catalog) -> tuple[feed.PublishResult, PublishTimes]:
    times = PublishTimes()
    with _ONE_AT_A_TIME:
        _items_caught_up(store)
        return _publish_steps(store, catalog, times)


def _items_caught_up(store: Store) -> None:
    """The items table brought to the feed's version before this publish (items_catch_up: an
    earlier publish that stopped before its items steps). Feed documents that do not read are
    logged: the table then stays marked behind, this publish's items steps notwithstanding."""
    try:
        items_catch_up.catch_up_items(store)
    except CatalogFormatError as exc:
        log.error("publish: the items table could not be rewritten from the feed: %s", exc)


def _publish_steps(store: Store, catalog: Catalog, times: PublishTimes) -> tuple[feed.PublishResult, PublishTimes]:
    # One connection throughout: on SQLite the rows wait in its TEMP tables (_Stage).
    with store.engine.connect() as connection, store.sessions(bind=connection) as session:
        stage = _Stage(session)
        checkpoint = _Checkpoint(session, store)
        try:
            for _ in range(ATTEMPTS):
                start = time.perf_counter()
                with _cpu_bound():
                    prepared = prepare_publish(session, catalog, staged=stage.used)
                    stage.fill(prepared)
                    if not stage.filled:
                        prepared = _unstaged(prepared)
                times.prepare_seconds += time.perf_counter() - start
                checkpoint.hold()
                try:
                    with qs.write_transaction(session, generic_plans=False):
                        locked = time.perf_counter()
                        result = write_publish(session, prepared, stage)
                        # the items table at the version this publish starts from: its items steps
                        # then bring it to the new one (else items_catch_up still must)
                        items_current = feed.items_table_at(session, prepared.base_version)
                    times.write_lock_seconds = time.perf_counter() - locked
                except feed.StalePublish:
                    continue
                break
            else:
                raise PublishBusy("事项清单正被同时发布，请稍后重试")
            checkpoint.start()
            steps = list(item_chunks(prepared))
            for n, (first, codes, rows) in enumerate(steps, 1):
                with qs.write_transaction(session, generic_plans=False):
                    step = time.perf_counter()
                    write_items(session, prepared, codes, rows, stage, first)
                    if n == len(steps) and not prepared.moved and items_current:
                        feed.mark_items_current(session, result.version_after)
                took = time.perf_counter() - step
                times.items_seconds += took
                times.items_max_step_seconds = max(times.items_max_step_seconds, took)
            if prepared.moved or (not steps and result.changed):
                with qs.write_transaction(session, generic_plans=False):
                    feed.write_positions(session, prepared)
                    if items_current:
                        feed.mark_items_current(session, result.version_after)
        finally:
            try:
                checkpoint.finish()
            finally:
                stage.drop()
    return result, times


class _Checkpoint:
    """SQLite: the WAL of the feed's write copied into the database on a thread of its own while
    the items steps run, not inside the feed's commit.

    SQLite checkpoints in the commit that takes the WAL past its limit, and the feed's 30 MB did
    so in the feed's commit: 0.1-0.25 s on 20,000 items with the hall's write lock held (queue
    writes waited). A checkpoint is C and file writes (the interpreter lock is free meanwhile), so
    here it runs beside the items steps, on another core; the publish's connection does not
    checkpoint by itself meanwhile (wal_autocheckpoint 0, set back at the end), and copies what the
    items steps wrote when it ends: a publish returns with its WAL copied, as a commit that
    checkpointed would. A checkpoint that fails is logged and left to the next commit. Nothing on
    PostgreSQL."""

    def __init__(self, session: Session, store: Store) -> None:
        self.session, self.store = session, store
        # a database file only (an in-memory one has no WAL), checkpointed over a connection of
        # its own: not one of the pool's, which the hall's requests may all hold
        self.used = session.get_bind().dialect.name == "sqlite" and store.path is not None
        self.held: int | None = None  # the connection's wal_autocheckpoint while held
        self.thread: threading.Thread | None = None

    def hold(self) -> None:
        if self.used and self.held is None:
            connection = self.session.connection()
            self.held = int(connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() or 0)
            connection.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
            self.session.commit()

    def start(self) -> None:
        if self.held is not None:
            self.thread = threading.Thread(target=self._run, name="publish-checkpoint", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        try:
            self._copy()
        except Exception:  # noqa: BLE001  # maintenance: the next commit's checkpoint copies it
            log.warning("publish: checkpoint beside the items steps failed", exc_info=True)

    def _copy(self) -> None:
        connection = sqlite3.connect(str(self.store.path), timeout=5)
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            connection.close()

    def finish(self) -> None:
        if self.thread is not None:
            self.thread.join()
            self.thread = None
        if self.held is None:
            return
        held, self.held = self.held, None
        connection = self.session.connection()
        try:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")  # what the items steps wrote
        finally:
            connection.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {held:d}")
            self.session.commit()


# -- phase 1: prepare -------------------------------------------------------------------------


class _Drift(Exception):
    """An item encoded here unlike feed.prepare_publish: a bug, or a change in catalog_format."""


def prepare_publish(session: Session, catalog: Catalog, *, staged: bool = False) -> feed.PreparedPublish:
    """`feed.prepare_publish(session, catalog)`, the same result computed once per distinct piece
    (module doc). A read snapshot, ended before the CPU work; no write, no lock.

    `staged`: prepared for SQLite's stage (_Stage.fill): the changed items' documents as their
    UTF-8 bytes (what SQLite stores: a str is encoded when bound, and a str of Chinese text is
    twice its UTF-8 in memory), and the items and feed rows not made where the stage makes its
    own from the changes (_unstaged makes them for a stage that does not take these)."""
    try:
        if not _KNOWS_FIELDS:
            raise _Drift("ServiceItem or Material has fields this module does not know")
        with _cpu_bound():
            return _prepare(session, catalog, staged)
    except _Drift as exc:
        log.error("%s: publishing the slow way (feed.prepare_publish)", exc)
        return feed.prepare_publish(session, catalog)


SWITCH_INTERVAL = 0.0005  # seconds; CPython's default is 0.005


@contextmanager
def _cpu_bound() -> Iterator[None]:
    """While a prepare runs (a second of CPU on 20,000 items, holding the GIL; nested, the outer
    one decides):

    * no cyclic garbage collection: a prepare makes ≈ 100,000 objects, and the collector kept
      walking the catalog's 220,000 (a quarter of the prepare's time). Nothing made here is
      cyclic; other threads' cycles are collected when it resumes;
    * the GIL handed over every SWITCH_INTERVAL instead of 5 ms: a hall request waits for it
      each time it comes back from the database or the network (a thread that blocked ten
      times per request waited ≈ 80 ms per request next to a prepare, ≈ 10 ms with 0.5 ms)."""
    interval = sys.getswitchinterval()
    with _collection_paused():
        sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
        try:
            yield
        finally:
            sys.setswitchinterval(interval)


def _prepare(session: Session, catalog: Catalog, staged: bool = False) -> feed.PreparedPublish:
    """feed.prepare_publish's steps, its items compared and encoded by an _Encoder."""
    snapshot = feed.read_publish_snapshot(session, catalog)
    result = snapshot.result
    entries = snapshot.entries
    encoder = _Encoder(utf8=staged)
    encoder.own_texts_allowed = _own_texts_allowed(catalog.items)
    changed: list[feed._Changed] = []
    moved: list[dict[str, Any]] = []
    for position, item in enumerate(catalog.items):
        digest, parts = encoder.digest(item)
        entry = entries.get(item.code)
        if entry is None or entry.deleted or entry.content_hash != digest:
            (result.added if entry is None or entry.deleted else result.updated).append(item.code)
            changed.append(encoder.changed_entry(position, item, digest, parts))
        elif entry.position != position:
            moved.append({"b_code": item.code, "position": position})
    if staged and all(isinstance(c, _Change) for c in changed):
        return feed.complete_prepare(snapshot, catalog, changed, moved, _item_columns, feed_rows=False)
    return feed.complete_prepare(snapshot, catalog, changed, moved, _item_tuples)


# The fields of item_to_json, in its order; code and name are each item's own, the others (an
# item's "profile": type, department, limits, flags, texts, version) repeat across items.
_BODY_FIELDS = ("code", "basic_code", "name", "item_type", "department", "window_category",
                "legal_limit_days", "promised_limit_days", "on_site_approval", "tolerance_allowed",
                "commitment_allowed", "fee", "conditions", "basis", "visits", "state", "back_office",
                "guide", "limit_note", "version")
_OWN = ("code", "name", "materials")  # the holes of a template, filled per item
_ENUMS = ("item_type", "state")


def _profile_of(i: ServiceItem) -> tuple[Any, ...]:
    """The item's fields but code, name and materials (its profile), enums by value (spelt out:
    twice attrgetter's speed)."""
    return (i.basic_code, i.item_type._value_, i.department, i.window_category, i.legal_limit_days,
            i.promised_limit_days, i.on_site_approval, i.tolerance_allowed, i.commitment_allowed, i.fee,
            i.conditions, i.basis, i.visits, i.state._value_, i.back_office, i.guide, i.limit_note, i.version)


def _material_key(m: Material) -> tuple[Any, ...]:
    """Every field of a material, enums by value: equal keys, equal material_to_json (the values
    are of the types parse_catalog gives: a flag is a bool, a number an int)."""
    return (m.key, m.name, m.necessity._value_, m.core, m.form, m.copies, m.source._value_, m.tolerable,
            m.supplement_days, m.commitment, m.standard, m.note, m.basis, m.produced_by)


def _known_materials(materials: tuple[Material, ...], known: dict[tuple[Any, ...], _MaterialText]) -> list[_MaterialText]:
    """[known[_material_key(m)] for m in materials], the key spelt out here (a call per material
    was half the time); KeyError for one not known yet."""
    return [known[(m.key, m.name, m.necessity._value_, m.core, m.form, m.copies, m.source._value_, m.tolerable,
                   m.supplement_days, m.commitment, m.standard, m.note, m.basis, m.produced_by)] for m in materials]


_MATERIAL_FIELDS = ("key", "name", "necessity", "core", "form", "copies", "source", "tolerable",
                    "supplement_days", "commitment", "standard", "note", "basis", "produced_by")
_KNOWS_FIELDS = ({f.name for f in fields(ServiceItem)} == {*_BODY_FIELDS, "materials"}
                 and {f.name for f in fields(Material)} == set(_MATERIAL_FIELDS))
_SORTED = (*sorted(_BODY_FIELDS + ("materials",)),)
_COMPACT = _BODY_FIELDS + ("materials",)


def _value_json(value: object) -> str:
    """json.dumps(value, ensure_ascii=False) for the values an item's fields hold."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is str:
        return encode_basestring(value)
    return json.dumps(value, ensure_ascii=False)


def _template(order: tuple[str, ...], pieces: dict[str, str], item_sep: str, key_sep: str) -> list[str]:
    """The text of a JSON object with keys in `order` around the holes of _OWN: the literal parts
    before, between and after the holes' values (a hole's key is in the part before its value;
    materials' brackets too)."""
    parts: list[str] = []
    current, first = "{", True
    for key in order:
        if key in _OWN:
            current += ("" if first else item_sep) + encode_basestring(key) + key_sep
            if key == "materials":
                current += "["
            parts.append(current)
            current, first = ("]" if key == "materials" else ""), False
        elif key in pieces:
            current += ("" if first else item_sep) + pieces[key]
            first = False
    parts.append(current + "}")
    return parts


@dataclass(slots=True)
class _Profile:
    """The text of an item's other fields, around the holes of its own (code, name, materials)."""

    hash_parts: tuple[bytes, ...]  # sorted, UTF-8: before code, before materials, before name, after
    doc_parts: tuple[str, ...]  # the feed document: before code, before name, before materials, after
    doc_bytes: tuple[bytes, ...]  # the same, UTF-8 (documents made as bytes: _Encoder.utf8)
    number: int  # in the order the encoder met them (_Change.profile)
    checked: bool = False  # check_item_columns passed for an item with these fields
    doc_open: bytes = b""  # doc_bytes' last part without its "}": the derived columns follow


# A material's pieces: [material_to_json sorted (UTF-8), compact, checked (in a changed item),
# compact (UTF-8)]
_MaterialText = list[Any]
_MaterialKey = tuple[Any, ...]
_SORTED_TEXT = itemgetter(0)
_COMPACT_TEXT = itemgetter(1)
_CHECKED = itemgetter(2)
_COMPACT_BYTES = itemgetter(3)
_SORTED_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # .encode(o) is json.dumps(o, ...same)
_COMPACT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
# After _TRIAL items, if fewer than half of their profiles or of their materials had been met
# before (or a cache reached its bound), the catalog does not repeat itself: the rest of its
# items are encoded whole, as feed.prepare_publish does (its names' pinyin still by skeleton).
_TRIAL = 2_000
CACHED_MATERIALS = 50_000
CACHED_PROFILES = 10_000


@dataclass(slots=True)
class _Item:
    """What changed_entry needs of an item digest() saw."""

    profile: _Profile | None  # None: encoded whole (body)
    materials: list[_MaterialText]
    code: str  # as JSON
    name: str
    body: dict[str, Any] | None = None  # item_to_json(item), when encoded whole
    code_bytes: bytes = b""  # code and name as JSON, UTF-8 (by pieces only)
    name_bytes: bytes = b""


_DIGIT_RUNS = re.compile("([0-9]+)")
# A name skeleton's keys: (initials, full) with "{}" for each run of digits and True, or as they
# are and False when the digits cannot be put back; with one run, the four texts around it.
_NameForms = tuple[str, str, bool, tuple[str, ...] | None]
_CHECK_EVERY = 5000  # every so many changed items one is also made the slow way and compared


@cache
def _name_runs() -> Callable[[str], list[str]]:
    """pypinyin's first cut of a text (runs of Chinese characters and runs of other characters,
    pypinyin.seg.simpleseg.simple_seg) as one regular expression (simple_seg itself if its
    pattern is not the shape this expects)."""
    from pypinyin.constants import RE_HANS
    from pypinyin.seg.simpleseg import simple_seg

    pattern = RE_HANS.pattern
    head, tail = "^(?:[", "])+$"
    chars = pattern[len(head):-len(tail)] if pattern.startswith(head) and pattern.endswith(tail) else ""
    if not chars or "]" in chars or "[" in chars or chars.startswith("^"):
        return simple_seg
    return re.compile(f"[{chars}]+|[^{chars}]+", RE_HANS.flags).findall


@dataclass
class _Change(feed._Changed):
    """A change made from pieces: feed._Changed with the number of its item's profile (_Profile),
    from which SQLite's stage writes the item's columns but its own."""

    profile: int = -1


class _Encoder:
    """The pieces of item documents, each distinct one computed once (module doc). One publish."""

    def __init__(self, utf8: bool = False) -> None:
        self.utf8 = utf8  # True: each document made as its UTF-8 bytes (what SQLite stores), not as str
        self._profiles: dict[tuple[Any, ...], _Profile] = {}
        self._materials: dict[_MaterialKey, _MaterialText] = {}
        self._items = self._profiles_met = 0  # items digested by pieces, and their profiles found
        self._seen = self._met = 0  # materials looked up, and found
        # Texts by the material object: a catalog made by catalog_format.doc_to_catalog (the
        # central's PUT) has one object per distinct material, and an id is then the cheapest key
        # (the 14-field key was a third of a prepare). The catalog outlives the publish, so no id
        # is reused meanwhile. Given up after _TRIAL items if it does not find most of them.
        self._by_object: dict[int, _MaterialText] | None = {}
        self._by_object_met = 0
        self._pieces = True  # False: items encoded whole (the catalog does not repeat itself)
        self._unchecked = 0  # materials kept that no changed item has had yet
        self._names: dict[str, _NameForms] = {}  # pinyin of a name with its digits as 0
        self._runs: dict[str, tuple[str, str]] = {}
        self._made = 0
        self.own_texts_allowed = False  # True: no item's code or name needs the text rules' check

    def digest(self, item: ServiceItem) -> tuple[str, _Item]:
        """feed._hash_of(item_to_json(item)), and what changed_entry needs of the item."""
        code, name = encode_basestring(item.code), encode_basestring(item.name)
        if not self._pieces:
            body = item_to_json(item)
            text = _SORTED_JSON.encode(body).encode("utf-8", "surrogatepass")
            return hashlib.sha1(text, usedforsecurity=False).hexdigest(), _Item(None, [], code, name, body)
        self._items += 1
        profile = self._profiles.get(_profile_of(item))
        if profile is None:
            profile = self._profile(item)
        else:
            self._profiles_met += 1
        materials = self._materials_of(item.materials)
        if self._items == _TRIAL or len(self._profiles) >= CACHED_PROFILES or len(self._materials) >= CACHED_MATERIALS:
            self._pieces = (2 * self._profiles_met >= self._items and 2 * self._met >= self._seen
                            and len(self._profiles) < CACHED_PROFILES and len(self._materials) < CACHED_MATERIALS)
            if self._by_object is not None and 2 * self._by_object_met < self._seen:
                self._by_object = None
        a, b, c, d = profile.hash_parts
        code_bytes, name_bytes = code.encode("utf-8", "surrogatepass"), name.encode("utf-8", "surrogatepass")
        text = b"".join((a, code_bytes, b, b", ".join(map(_SORTED_TEXT, materials)), c, name_bytes, d))
        return (hashlib.sha1(text, usedforsecurity=False).hexdigest(),
                _Item(profile, materials, code, name, None, code_bytes, name_bytes))

    def _materials_of(self, materials: tuple[Material, ...]) -> list[_MaterialText]:
        """The texts of an item's materials: by object, else by value, else made (_lookup)."""
        by_object = self._by_object
        if by_object is not None:
            try:
                texts = [by_object[id(m)] for m in materials]
            except KeyError:
                pass
            else:
                self._seen += len(texts)
                self._met += len(texts)
                self._by_object_met += len(texts)
                return texts
        try:
            texts = _known_materials(materials, self._materials)
            self._seen += len(texts)
            self._met += len(texts)
        except KeyError:
            texts = self._lookup(materials)
        if by_object is not None and len(by_object) < CACHED_MATERIALS:
            for material, text in zip(materials, texts, strict=True):
                by_object[id(material)] = text
        return texts

    def _lookup(self, materials: tuple[Material, ...]) -> list[_MaterialText]:
        """The materials' texts, those not known yet made and kept."""
        known = self._materials
        texts = []
        for material in materials:
            key = _material_key(material)
            text = known.get(key)
            self._seen += 1
            if text is None:
                body = material_to_json(material)
                compact = _COMPACT_JSON.encode(body)
                text = known[key] = [_SORTED_JSON.encode(body).encode("utf-8", "surrogatepass"), compact, False,
                                     compact.encode("utf-8", "surrogatepass")]
                self._unchecked += 1
            else:
                self._met += 1
            texts.append(text)
        return texts

    def _profile(self, item: ServiceItem) -> _Profile:
        body = item_to_json(_item_only(item))
        del body["materials"]
        if set(body) - set(_BODY_FIELDS):
            raise _Drift(f"item_to_json writes fields this module does not know: {sorted(set(body) - set(_BODY_FIELDS))}")
        pieces = {key: (encode_basestring(key), _value_json(value)) for key, value in body.items() if key not in _OWN}
        hash_parts = _template(_SORTED, {k: f"{q}: {v}" for k, (q, v) in pieces.items()}, ", ", ": ")
        doc_parts = _template(_COMPACT, {k: f"{q}:{v}" for k, (q, v) in pieces.items()}, ",", ":")
        profile = self._profiles[_profile_of(item)] = _Profile(
            tuple(p.encode("utf-8", "surrogatepass") for p in hash_parts), tuple(doc_parts),
            tuple(p.encode("utf-8", "surrogatepass") for p in doc_parts), len(self._profiles))
        profile.doc_open = profile.doc_bytes[3][:-1]
        return profile

    def changed_entry(self, position: int, item: ServiceItem, digest: str, parts: _Item) -> feed._Changed:
        """feed._changed_entry(position, item, item_to_json(item), digest).

        Its checks, each piece's once: check_item_columns(item) and the text rules on the pieces'
        text while the item has a piece no changed item had before. Any problem: the item goes
        through feed._changed_entry, which raises its error."""
        profile, materials = parts.profile, parts.materials
        if profile is None:
            return self._whole_entry(position, item, digest, parts)
        if not profile.checked or (self._unchecked and not all(map(_CHECKED, materials))):
            try:
                check_item_columns(item)
                compact = ",".join(map(_COMPACT_TEXT, materials))
                failed = encoded_json_problem("".join((*profile.doc_parts, compact))) is not None
            except CatalogFormatError:
                failed = True
            if failed:
                return feed._changed_entry(position, item, item_to_json(item), digest)
            profile.checked = True
            for text in materials:
                if not text[2]:
                    text[2] = True
                    self._unchecked -= 1
        if not self.own_texts_allowed and encoded_json_problem(parts.code + parts.name) is not None:
            return feed._changed_entry(position, item, item_to_json(item), digest)
        initials, full = self.pinyin(item.name)
        # the rest of the document is ASCII: a digest in hex, pinyin keys of a-z and 0-9
        tail = (f',"content_hash":{encode_basestring(digest)},"pinyin_initials":{encode_basestring(initials)},'
                f'"pinyin_full":{encode_basestring(full)}}}')
        doc: str | bytes
        if self.utf8:
            a, b, c, _ = profile.doc_bytes
            doc = b"".join((a, parts.code_bytes, b, parts.name_bytes, c, b",".join(map(_COMPACT_BYTES, materials)),
                            profile.doc_open, tail.encode("ascii")))
        else:
            a, b, c, d = profile.doc_parts
            doc = "".join((a, parts.code, b, parts.name, c, ",".join(map(_COMPACT_TEXT, materials)), d[:-1], tail))
        return self._made_one(_Change(position, item, Derived(digest, initials, full), doc, profile.number))

    def _whole_entry(self, position: int, item: ServiceItem, digest: str, parts: _Item) -> feed._Changed:
        """feed._changed_entry itself, but for the pinyin (by skeleton)."""
        assert parts.body is not None
        check_item_columns(item)
        initials, full = self.pinyin(item.name)
        doc = _COMPACT_JSON.encode({**parts.body, "content_hash": digest, "pinyin_initials": initials,
                                    "pinyin_full": full})
        check_json_text(f"item {item.code}", doc)
        return self._made_one(feed._Changed(position, item, Derived(digest, initials, full),
                                            doc.encode("utf-8") if self.utf8 else doc))

    def _made_one(self, entry: feed._Changed) -> feed._Changed:
        if self._made % _CHECK_EVERY == 0:
            self._check(entry)
        self._made += 1
        return entry

    def _check(self, entry: feed._Changed) -> None:
        """An item made as feed.prepare_publish makes it: any difference is a bug here, or a
        change in catalog_format or core.pinyin this module did not follow."""
        body = item_to_json(entry.item)
        reference = feed._changed_entry(entry.position, entry.item, body, feed._hash_of(body))
        doc = reference.doc.encode("utf-8") if isinstance(entry.doc, bytes) else reference.doc
        if (doc, reference.derived) != (entry.doc, entry.derived):
            raise _Drift(f"item {entry.item.code} encoded unlike feed.prepare_publish")

    def pinyin(self, name: str) -> tuple[str, str]:
        """core.pinyin.pinyin_keys(name), from the pinyin of the name with each run of ASCII
        digits as one 0.

        pypinyin converts each run of simple_seg on its own (its segmenter and converter see one
        run at a time) and pinyin_keys joins the syllables; digits are in no Chinese run, and
        pinyin_keys keeps them, in their place, in both keys (a run with a digit is never a
        syllable): so the keys of 第12号 are those of 第0号 with 12 put back for the 0."""
        pieces = _DIGIT_RUNS.split(name)  # [text, digits, text, …]: one pass where sub and search were two
        if len(pieces) == 1:  # no digits (the skeleton's forms then are the name's keys as they are)
            forms = self._names.get(name) or self._skeleton(name)
            return forms[0], forms[1]
        skeleton = "0".join(pieces[::2])
        forms = self._names.get(skeleton) or self._skeleton(skeleton)
        if not forms[2]:
            return (forms[0], forms[1]) if skeleton == name else self._keys(name)
        around = forms[3]
        if around is not None:  # one run of digits (第12号): put back by concatenation
            digits = pieces[1]
            return around[0] + digits + around[1], around[2] + digits + around[3]
        runs = pieces[1::2]
        return forms[0].format(*runs), forms[1].format(*runs)

    def _skeleton(self, skeleton: str) -> _NameForms:
        initials, full = self._keys(skeleton)
        zeros = skeleton.count("0")
        usable = (zeros > 0 and initials.count("0") == zeros and full.count("0") == zeros
                  and "{" not in initials + full and "}" not in initials + full)
        # with one run of digits, the keys' text before and after it: str.format parsed its
        # template at every name (a quarter of the names' pinyin time on 20,000 items)
        around = (*initials.split("0"), *full.split("0")) if usable and zeros == 1 else None
        forms: _NameForms = ((initials.replace("0", "{}"), full.replace("0", "{}"), True, around) if usable
                             else (initials, full, False, None))
        if len(self._names) < 100_000:
            self._names[skeleton] = forms
        return forms

    def _keys(self, text: str) -> tuple[str, str]:
        known = self._runs
        initials: list[str] = []
        full: list[str] = []
        for run in _name_runs()(text):
            keys = known.get(run)
            if keys is None:
                keys = pinyin_keys(run)
                if len(known) < 100_000:
                    known[run] = keys
            initials.append(keys[0])
            full.append(keys[1])
        return "".join(initials), "".join(full)


def _own_texts_allowed(items: tuple[ServiceItem, ...]) -> bool:
    """True when no item's code or name has text that encoded_json_problem refuses in their JSON
    (encode_basestring(code) + encode_basestring(name)), checked for all items in one scan (one
    check per item was 2 % of a prepare). One scan of the raw texts is enough: the JSON of a text
    has '\\u0000' only where the text has NUL or '\\u0000' itself, and keeps its surrogates and
    direction controls as they are; a text run together with the next can only find more. False:
    every item is checked on its own, as feed does."""
    texts = [item.code for item in items]
    texts += [item.name for item in items]
    return encoded_json_problem("".join(texts)) is None


def _item_only(item: ServiceItem) -> ServiceItem:
    """The item without its materials (_BODY_FIELDS are all its other fields: _KNOWS_FIELDS)."""
    return ServiceItem(**{f: getattr(item, f) for f in _BODY_FIELDS})


def _unstaged(prepared: feed.PreparedPublish) -> feed.PreparedPublish:
    """A prepare made for SQLite's stage (prepare_publish(staged=True)), for the writes without it
    (feed.write_publish, write_items; they bind what they are given, and bytes would be stored as
    BLOBs): the documents as str, the items rows and the feed rows made."""
    def text(doc: str | bytes) -> str:
        return doc.decode("utf-8") if isinstance(doc, bytes) else doc

    changed = [replace(c, doc=text(c.doc)) for c in prepared.changed]
    if prepared.item_rows or not changed:
        item_columns, item_rows = prepared.item_columns, prepared.item_rows
    else:
        item_columns, item_rows = _item_tuples(changed)
    return replace(prepared, changed=changed, item_columns=item_columns, item_rows=item_rows,
                   **feed.feed_row_lists(changed, prepared.fresh, prepared.version))


def _item_columns(changed: list[feed._Changed]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The items table's columns (catalog_sync.item_row's), no rows: the stage makes its own."""
    if not changed:
        return [], []
    first = changed[0]
    return list(item_row(first.item, first.position, first.derived)), []


def _item_tuples(changed: list[feed._Changed]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """feed._item_tuples(changed): the items-table rows (catalog_sync.item_row) as tuples."""
    if not changed:
        return [], []
    first = changed[0]
    reference = item_row(first.item, first.position, first.derived)
    columns = list(reference)
    derived = ("position", "content_hash", "pinyin_initials", "pinyin_full")
    own = columns[:-len(derived)]
    if tuple(columns[-len(derived):]) != derived:
        return feed._item_tuples(changed)
    getter = attrgetter(*(f"{c}._value_" if c in _ENUMS else c for c in own))
    rows = [(*getter(c.item), c.position, *c.derived) for c in changed]
    if rows[0] != tuple(reference.values()):
        return feed._item_tuples(changed)
    return columns, rows


# -- phase 2: the feed ------------------------------------------------------------------------


_FEED_COLUMNS = ("code", "version", "deleted", "position", "content_hash", "doc")
_OWN_COLUMNS = ("code", "name", "position", "content_hash", "pinyin_initials", "pinyin_full")  # of an items row


_StagedRows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]  # the feed's rows, the profiles'


class _Stage:
    """SQLite: what a publish writes, in TEMP tables of its connection before the write
    transactions (their writes take no lock on the database, and are in memory), copied from
    there by SQLite itself: binding 30 MB of documents and 20,000 × 24 values of the items table
    was half the time of the inserts. The changed items' feed rows and own columns (in
    `prepared.changed` order: rowid n is changed[n - 1]); the rest of an items row (type,
    department, limits, flags…) from a table of the distinct ones. Nothing on PostgreSQL (COPY)."""

    FEED = "temp.hallclient_publish_feed"
    PROFILES = "temp.hallclient_publish_profiles"

    def __init__(self, session: Session) -> None:
        self.session = session
        self.used = not _copies(session)
        self.filled = False
        self.profile_columns: list[str] = []
        self.secure_delete: int | None = None  # the connection's, while staging

    def fill(self, prepared: feed.PreparedPublish) -> None:
        self.drop()
        if not self.used or not prepared.changed:
            return
        columns = prepared.item_columns
        if len(set(columns)) != len(columns) or not set(_OWN_COLUMNS) <= set(columns):
            return  # not the items rows this expects: written as feed.write_items does
        others = [i for i, c in enumerate(columns) if c not in _OWN_COLUMNS]
        if len(others) < 2:
            return
        self.profile_columns = [columns[i] for i in others]
        staged = self._from_changes(prepared) if not prepared.item_rows else self._from_item_rows(prepared, others)
        if staged is None:
            return
        feed_rows, profile_rows = staged
        connection = self.session.connection()
        quote = connection.dialect.identifier_preparer.quote
        connection.exec_driver_sql("PRAGMA temp_store = MEMORY")  # both back as they were in drop()
        self.secure_delete = int(connection.exec_driver_sql("PRAGMA temp.secure_delete").scalar() or 0)
        connection.exec_driver_sql("PRAGMA temp.secure_delete = OFF")  # public text, in memory: no zeroing
        connection.exec_driver_sql(f"CREATE TABLE {self.FEED} (code, position, content_hash, doc, "
                                   "name, pinyin_initials, pinyin_full, profile)")
        connection.exec_driver_sql(f"INSERT INTO {self.FEED} VALUES ({', '.join(['?'] * 8)})", feed_rows)
        connection.exec_driver_sql(f"CREATE TABLE {self.PROFILES} "
                                   f"(id INTEGER PRIMARY KEY, {', '.join(quote(c) for c in self.profile_columns)})")
        connection.exec_driver_sql(f"INSERT INTO {self.PROFILES} VALUES ({', '.join(['?'] * (len(others) + 1))})",
                                   profile_rows)
        self.session.commit()
        self.filled = True

    # The staged rows: the feed's, with the item's own columns and its profile's number, and one row
    # per profile. The feed's version and deleted (0, False as SQLite stores it) are put in by copy_feed.

    def _from_item_rows(self, prepared: feed.PreparedPublish, others: list[int]) -> _StagedRows:
        """From the items rows (catalog_sync.item_row), profiles numbered as they come."""
        columns = prepared.item_columns
        profile_of = itemgetter(*others)
        own_of = itemgetter(*(columns.index(c) for c in _OWN_COLUMNS))
        profiles: dict[tuple[Any, ...], int] = {}
        feed_rows = []
        for c, row in zip(prepared.changed, prepared.item_rows, strict=True):
            profile = profile_of(row)
            number = profiles.get(profile)
            if number is None:
                number = profiles[profile] = len(profiles)
            code, name, position, content_hash, initials, full = own_of(row)  # as the feed row's (item_row)
            feed_rows.append((code, position, content_hash, c.doc, name, initials, full, number))
        return feed_rows, [(number, *profile) for profile, number in profiles.items()]

    def _from_changes(self, prepared: feed.PreparedPublish) -> _StagedRows | None:
        """From changes made by pieces (_Change, prepare_publish(staged=True) makes no items rows):
        the profile's columns from the first item that has it (every profile column is a field
        of the encoder's profile key, so one number is one set of values; the first item's row is
        held to catalog_sync.item_row). None: not rows this can make."""
        if not set(self.profile_columns) <= set(_BODY_FIELDS) - {"code", "name"}:
            return None
        getter = attrgetter(*(f"{c}._value_" if c in _ENUMS else c for c in self.profile_columns))
        changes = prepared.changed
        if not all(isinstance(c, _Change) for c in changes):
            return None
        first = changes[0]
        own = dict(zip(_OWN_COLUMNS, (first.item.code, first.item.name, first.position, *first.derived), strict=True))
        if {**own, **dict(zip(self.profile_columns, getter(first.item), strict=True))} != item_row(
                first.item, first.position, first.derived):
            return None
        profiles: dict[int, tuple[Any, ...]] = {}
        feed_rows = []
        for c in cast(list[_Change], changes):
            number = c.profile
            if number not in profiles:
                profiles[number] = getter(c.item)
            item = c.item
            content_hash, initials, full = c.derived
            feed_rows.append((item.code, c.position, content_hash, c.doc, item.name, initials, full, number))
        return feed_rows, [(number, *values) for number, values in profiles.items()]

    def drop(self) -> None:
        if self.used:
            connection = self.session.connection()
            # temp_store changed first: that closes TEMP, its pages freed at once, where dropping
            # the tables first freed 30 MB page by page (15-20 ms); the drops are for a TEMP it
            # left (temp_store was DEFAULT already)
            connection.exec_driver_sql("PRAGMA temp_store = DEFAULT")
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {self.FEED}")
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {self.PROFILES}")
            if self.secure_delete is not None:
                connection.exec_driver_sql(f"PRAGMA temp.secure_delete = {self.secure_delete:d}")
                self.secure_delete = None
            self.session.commit()
        self.filled = False

    def copy_feed(self, version: int) -> None:
        """The staged feed rows into the feed at `version`, not deleted: INSERT OR REPLACE (a row
        replaced is deleted and inserted, every column given: as the update of
        feed.write_publish leaves it). The two constants are not staged (a fifth of the values
        bound)."""
        columns = ", ".join(_FEED_COLUMNS)
        # a document staged as UTF-8 bytes is a BLOB: CAST makes it the TEXT it is (the bytes as they are)
        constants = {"version": f"{version:d}", "deleted": "0", "doc": "CAST(doc AS TEXT)"}
        values = ", ".join(constants.get(c, c) for c in _FEED_COLUMNS)
        self.session.connection().exec_driver_sql(
            f"INSERT OR REPLACE INTO {_FEED_TABLE} ({columns}) SELECT {values} FROM {self.FEED}")

    def copy_items(self, columns: list[str], first: int, count: int) -> None:
        """changed[first:first + count] into the items table (their old rows and materials deleted)."""
        connection = self.session.connection()
        quote = connection.dialect.identifier_preparer.quote
        rows = f"rowid BETWEEN {first + 1:d} AND {first + count:d}"
        connection.exec_driver_sql(f"DELETE FROM {quote(_MATERIALS_TABLE)} WHERE item_code IN "
                                   f"(SELECT code FROM {self.FEED} WHERE {rows})")
        connection.exec_driver_sql(f"DELETE FROM {quote(_ITEMS_TABLE)} WHERE code IN "
                                   f"(SELECT code FROM {self.FEED} WHERE {rows})")
        values = [f"s.{c}" if c in _OWN_COLUMNS else f"p.{quote(c)}" for c in columns]
        connection.exec_driver_sql(
            f"INSERT INTO {quote(_ITEMS_TABLE)} ({', '.join(quote(c) for c in columns)}) SELECT {', '.join(values)} "
            f"FROM {self.FEED} AS s JOIN {self.PROFILES} AS p ON p.id = s.profile WHERE s.{rows}")


def write_publish(session: Session, prepared: feed.PreparedPublish, stage: _Stage | None = None) -> feed.PublishResult:
    """feed.write_publish, in the caller's write transaction, the changed feed rows written faster:
    on SQLite copied from the stage, on PostgreSQL the new rows by COPY (a third of executemany's
    time here)."""
    if stage is not None and stage.filled:
        result = feed.write_publish(session, replace(prepared, feed_new=[], feed_known=[]))  # StalePublish first
        stage.copy_feed(prepared.version)
        return result
    if not prepared.feed_new or not _copies(session):
        return feed.write_publish(session, prepared)
    result = feed.write_publish(session, replace(prepared, feed_new=[]))  # raises StalePublish first
    _copy(session, _FEED_TABLE, list(_FEED_COLUMNS), prepared.feed_new)
    return result


def _copies(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _copy(session: Session, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """INSERT INTO table (columns) the rows, by COPY … FROM STDIN (psycopg), in the session's transaction."""
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    dbapi: Any = connection.connection.dbapi_connection
    with dbapi.cursor() as cursor, cursor.copy(
            f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# -- phase 3: the items table -----------------------------------------------------------------


def item_chunks(prepared: feed.PreparedPublish) -> Iterator[tuple[int | None, list[str], list[tuple[Any, ...]]]]:
    """feed.item_chunks in chunks of ITEMS_CHUNK: (the index in `prepared.changed` of the first
    row, or None for removed codes; codes to delete; rows to insert)."""
    if not prepared.result.changed:
        return
    changed_codes = [c.item.code for c in prepared.changed]
    for start in range(0, len(changed_codes), ITEMS_CHUNK):
        yield start, changed_codes[start:start + ITEMS_CHUNK], prepared.item_rows[start:start + ITEMS_CHUNK]
    for start in range(0, len(prepared.result.removed), ITEMS_CHUNK):
        yield None, prepared.result.removed[start:start + ITEMS_CHUNK], []


def write_items(session: Session, prepared: feed.PreparedPublish, codes: list[str], rows: list[tuple[Any, ...]],
                stage: _Stage | None = None, first: int | None = None) -> None:
    """feed.write_items: the same statements, from the stage on SQLite (rows from `first` in
    `prepared.changed`); on PostgreSQL the rows go in by COPY."""
    if stage is not None and stage.filled and first is not None:
        stage.copy_items(prepared.item_columns, first, len(codes))  # rows: none when the stage made its own
        return
    if rows and _copies(session):
        feed.delete_item_rows(session, codes)
        _copy(session, _ITEMS_TABLE, prepared.item_columns, rows)
    else:
        feed.write_item_rows(session, prepared.item_columns, codes, rows)
