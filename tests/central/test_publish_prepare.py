"""The central's publish (hallclient.central.publish) writes exactly what feed.publish writes.

publish.prepare_publish computes each distinct material, item profile and name run once and
splices the documents; these tests hold it to feed.prepare_publish byte for byte (documents,
hashes, pinyin, the items table's rows), error for error, on generated catalogs, and check the
rows publish_catalog leaves in the database (SQLite, and PostgreSQL where COPY is used).
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bench.synthetic_catalog import synthetic_catalog
from hallclient.central import feed, publish
from hallclient.central.database import open_central
from hallclient.core.catalog import Material, ServiceItem
from hallclient.core.catalog_format import (
    CatalogFormatError,
    catalog_to_doc,
    doc_to_catalog,
    parse_catalog,
)
from hallclient.core.pinyin import pinyin_keys
from hallclient.store.catalog_repo import ITEMS
from hallclient.store.database import Store

# Text as catalogs carry it, and the odd characters the encoders and the checks must agree on:
# quotes, backslashes, controls, NUL, a lone surrogate, bidirectional controls, astral characters.
TEXT = st.text(st.sampled_from(list("食品经营许可证核发（新办）第号行重长乐abcXYZ 019-_.\"\\/\t\n\x01")
                               + ["\x00", "\ud800", "\u202e", "\u200f", "𠀀", "〇", "é"]), max_size=12)
NAME = st.text(st.sampled_from(list("食品经营许可证核发（新办）第号行重长乐〇abcABkV 0123456789-·")), min_size=1, max_size=16)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


MATERIAL = st.fixed_dictionaries(
    {"key": st.sampled_from(["id_card", "license", "form", "plan", "photo"]),
     "name": st.sampled_from(["居民身份证", "营业执照", "申请书", "平面图"])},
    optional={"necessity": st.sampled_from(["required", "conditional", "optional"]),
              "core": st.booleans(), "form": _optional(TEXT), "copies": _optional(st.integers(0, 2**32)),
              "source": st.sampled_from(["applicant", "government", "e_license"]), "commitment": st.booleans(),
              "tolerable": st.booleans(), "supplement_days": _optional(st.integers(1, 10)),
              "standard": _optional(TEXT), "note": _optional(TEXT), "basis": _optional(TEXT)},
).map(lambda m: {k: v for k, v in m.items()  # as the spec allows: supplement days of a tolerable, non-core one
                 if not (k == "supplement_days" and not m.get("tolerable")) and not (k == "core" and m.get("tolerable"))})

ITEM = st.fixed_dictionaries(
    {"name": NAME, "item_type": st.sampled_from(["行政许可", "行政确认", "公共服务"]),
     "department": st.sampled_from(["市场监管局", "住建局", "局 \"甲\""]), "version": st.integers(1, 2**32),
     "materials": st.lists(MATERIAL, max_size=4, unique_by=lambda m: m["key"])},
    optional={"basic_code": _optional(TEXT), "window_category": _optional(st.sampled_from(["市场准入", "x" * 40])),
              "legal_limit_days": _optional(st.integers(0, 30)), "promised_limit_days": _optional(st.integers(0, 30)),
              "on_site_approval": st.booleans(), "tolerance_allowed": st.booleans(),
              "commitment_allowed": st.booleans(), "fee": _optional(TEXT), "conditions": _optional(TEXT),
              "basis": _optional(TEXT), "visits": _optional(st.integers(0, 2**32)),
              "state": st.sampled_from(["active", "suspended", "cancelled"]), "back_office": _optional(TEXT),
              "guide": _optional(TEXT), "limit_note": _optional(TEXT)})


def catalog_document(items: list[dict[str, Any]], version: int = 1) -> dict[str, Any]:
    for n, item in enumerate(items):
        item["code"] = f"CODE-{n:04d}"
    return {"format": "hallclient-catalog", "format_version": 1, "catalog_version": version,
            "authority": "测试", "items": items, "bundles": [], "deleted": []}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One SQLite central; the base catalog published with feed.publish (the reference)."""
    opened = open_central(f"sqlite:///{tmp_path_factory.mktemp('prepare') / 'central.db'}")
    with opened.session() as session, session.begin():
        feed.publish(session, parse_catalog(catalog_document([
            {"name": "食品经营许可（新办）第1号", "item_type": "行政许可", "department": "市场监管局", "version": 1,
             "materials": [{"key": "id_card", "name": "居民身份证", "core": True}]},
            {"name": "公共场所卫生许可", "item_type": "行政许可", "department": "住建局", "version": 1,
             "materials": []}])))
    yield opened
    opened.close()


def outcome(prepare: Any, session: Any, catalog: Any) -> Any:
    """What a prepare gives (the rows it would write), or the error it raises."""
    try:
        p = prepare(session, catalog)
    except CatalogFormatError as exc:
        return ("error", str(exc))
    finally:
        session.rollback()
    return (p.result, p.feed_new, p.feed_known, p.item_columns, p.item_rows, p.moved, p.fresh, p.version,
            p.bundles_hash, [(c.position, c.item.code, c.derived, c.doc) for c in p.changed])


def prepare_staged(session: Any, catalog: Any) -> Any:
    """publish.prepare_publish(staged=True) (documents as bytes, rows left to the stage), made
    whole by publish._unstaged (documents decoded, items and feed rows made)."""
    p = publish.prepare_publish(session, catalog, staged=True)
    assert all(type(c.doc) is bytes for c in p.changed)
    return publish._unstaged(p)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(items=st.lists(ITEM, min_size=1, max_size=6), repeat=st.booleans())
def test_prepare_is_feed_prepare_publish_on_any_catalog(store: Store, items: list[dict[str, Any]], repeat: bool) -> None:
    if repeat:  # the same materials and profiles again under other codes and names: the cached pieces
        items = items + [{**copy.deepcopy(item), "name": item["name"] + "第2号"} for item in items]
    try:
        catalog = parse_catalog(catalog_document(items))
    except CatalogFormatError:
        return  # parse_catalog's refusals are not publish's business
    # as the central's PUT makes it: one object per distinct material (texts found by object)
    interned = doc_to_catalog(catalog_to_doc(catalog))
    with store.session() as session:
        expected = outcome(feed.prepare_publish, session, catalog)
        assert outcome(publish.prepare_publish, session, catalog) == expected
        assert outcome(prepare_staged, session, catalog) == expected
        assert outcome(publish.prepare_publish, session, interned) == expected


def test_prepare_matches_on_the_synthetic_catalog_and_its_changes(store: Store) -> None:
    document = synthetic_catalog(items=1500)
    with store.session() as session:
        first = parse_catalog(document)
        assert outcome(publish.prepare_publish, session, first) == outcome(feed.prepare_publish, session, first)
    with store.session() as session, session.begin():
        feed.publish(session, first)
    changed = copy.deepcopy(document)
    changed["items"][3]["fee"] = "不收费"
    changed["items"][10]["materials"][0]["note"] = "原件"
    changed["items"] = changed["items"][:-5]  # five removed
    changed["items"].insert(0, changed["items"].pop(100))  # positions moved
    second = parse_catalog(changed)
    with store.session() as session:
        got = outcome(publish.prepare_publish, session, second)
        assert got == outcome(feed.prepare_publish, session, second) == outcome(prepare_staged, session, second)
        assert got == outcome(publish.prepare_publish, session, doc_to_catalog(catalog_to_doc(second)))
    result = got[0]
    assert (len(result.updated), len(result.removed), result.added) == (2, 5, [])
    assert len(got[5]) > 90  # moved


@pytest.mark.parametrize("where, value, message", [
    ("material", {"note": "含\x00字符"}, "NUL"),
    ("material", {"form": "x" * 40}, "form"),
    ("material", {"copies": 2**31}, "copies"),
    ("item", {"fee": "\u202e反向"}, "U+202E"),
    ("item", {"window_category": "x" * 40}, "window_category"),
    ("item", {"code": "CODE-\ud800"}, "代理"),
])
def test_a_bad_item_is_refused_with_feed_publish_s_message(store: Store, where: str, value: dict[str, Any],
                                                          message: str) -> None:
    document = synthetic_catalog(items=50)
    target = document["items"][30]
    (target["materials"][1] if where == "material" else target).update(value)
    catalog = parse_catalog(document)
    with store.session() as session:
        got = outcome(publish.prepare_publish, session, catalog)
        assert got == outcome(feed.prepare_publish, session, catalog)
    assert got[0] == "error" and message in got[1] and target["code"] in got[1]


def test_every_field_of_an_item_and_a_material_tells_pieces_apart() -> None:
    """Two items (materials) that differ in any one field never share an encoded piece."""
    item = parse_catalog(catalog_document([{"name": "许可", "item_type": "行政许可", "department": "局", "version": 1,
                                            "materials": [{"key": "k", "name": "材料"}]}])).items[0]
    material = item.materials[0]

    def other(value: Any) -> Any:
        if hasattr(type(value), "__members__"):  # an enum: another member
            return next(e for e in type(value) if e != value)
        return {str: "其他", int: 7, bool: True, type(None): "其他"}[type(value)]

    for field in dataclasses.fields(ServiceItem):
        if field.name not in ("code", "name", "materials"):
            changed_item = dataclasses.replace(item, **{field.name: other(getattr(item, field.name))})
            assert publish._profile_of(changed_item) != publish._profile_of(item), field
    known: dict[Any, Any] = {publish._material_key(material): [b"", "", True]}
    assert publish._known_materials((material,), known) == [[b"", "", True]]
    for field in dataclasses.fields(Material):
        changed = dataclasses.replace(material, **{field.name: other(getattr(material, field.name))})
        assert publish._material_key(changed) != publish._material_key(material), field
        with pytest.raises(KeyError):
            publish._known_materials((changed,), known)
    assert publish._KNOWS_FIELDS


@settings(max_examples=300)
@given(name=NAME)
def test_name_pinyin_is_core_pinyin_keys(name: str) -> None:
    encoder = publish._Encoder()
    assert encoder.pinyin(name) == pinyin_keys(name)
    assert encoder.pinyin(name + "第12号") == pinyin_keys(name + "第12号")  # a cached skeleton, other digits
    assert encoder.pinyin(name + "第7号") == pinyin_keys(name + "第7号")


def test_names_with_digits_latin_and_chinese_numerals() -> None:
    encoder = publish._Encoder()
    for name in ["110kV变电站审批", "第0号", "abc许可", "ABC许可12", "〇号仓库2", "长乐3-12号", "重庆市1号", "12", "x1y2"]:
        assert encoder.pinyin(name) == pinyin_keys(name), name
        assert encoder.pinyin(name) == pinyin_keys(name), name  # from the cache


def test_an_encoding_unlike_feed_s_falls_back_to_feed_prepare_publish(store: Store,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = parse_catalog(synthetic_catalog(items=20))
    with store.session() as session:
        expected = outcome(feed.prepare_publish, session, catalog)
        monkeypatch.setattr(publish, "_value_json", lambda value: "0")  # every profile field encoded wrong
        assert outcome(publish.prepare_publish, session, catalog) == expected
        monkeypatch.undo()
        monkeypatch.setattr(publish, "_KNOWS_FIELDS", False)  # a field added to ServiceItem or Material
        assert outcome(publish.prepare_publish, session, catalog) == expected


def test_the_collector_and_the_switch_interval_are_back_after_a_prepare_even_a_refused_one(store: Store) -> None:
    document = synthetic_catalog(items=5)
    document["items"][2]["fee"] = "\x00"
    interval = sys.getswitchinterval()
    with store.session() as session:
        with pytest.raises(CatalogFormatError):
            publish.prepare_publish(session, parse_catalog(document))
        assert gc.isenabled() and sys.getswitchinterval() == interval
        publish.prepare_publish(session, parse_catalog(synthetic_catalog(items=5)))
        assert gc.isenabled() and sys.getswitchinterval() == interval


def _rows(store: Store) -> tuple[list[Any], list[Any]]:
    with store.session() as session:
        feed_rows = session.execute(select(feed.FEED.c.code, feed.FEED.c.version, feed.FEED.c.deleted,
                                           feed.FEED.c.position, feed.FEED.c.content_hash, feed.FEED.c.doc)).all()
        item_rows = session.execute(select(ITEMS)).all()
    return sorted(tuple(r) for r in feed_rows), sorted((r._asdict() for r in item_rows), key=lambda r: r["code"])


def test_publish_catalog_writes_what_feed_publish_writes(central_db_url: str, tmp_path: Path) -> None:
    """On each engine (PostgreSQL: COPY): first publish, then one that changes, removes and moves
    items, against feed.publish of the same catalogs into a SQLite central."""
    reference = open_central(f"sqlite:///{tmp_path / 'reference.db'}")
    store = open_central(central_db_url)
    try:
        document = synthetic_catalog(items=publish.ITEMS_CHUNK + 300)  # two item steps
        changed = copy.deepcopy(document)
        changed["catalog_version"] = 5
        changed["items"][7]["name"] += "（变更）"
        changed["items"] = changed["items"][:-40]
        changed["items"].insert(0, changed["items"].pop(50))
        for data in (document, changed):
            result, times = publish.publish_catalog(store, parse_catalog(data))
            with reference.session() as session, session.begin():
                expected = feed.publish(session, parse_catalog(data))
            assert result == expected and times.write_lock_seconds > 0
            got, want = _rows(store), _rows(reference)
            assert got[0] == want[0]
            assert got[1] == want[1]
            if store.engine.dialect.name == "sqlite":  # documents staged as UTF-8 bytes are TEXT (NULL: removed)
                with store.session() as session:
                    kinds = set(session.execute(select(func.typeof(feed.FEED.c.doc))).scalars())
                assert kinds <= {"text", "null"} and "text" in kinds
        assert expected.version_after == 5 and len(expected.removed) == 40
    finally:
        store.close()
        reference.close()


def test_documents_made_for_a_stage_that_declines_them_are_written_as_text(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite: the prepare makes UTF-8 documents for the stage; a stage that does not take them
    (items rows not of the shape it expects) leaves feed.write_publish to write them, as str."""
    monkeypatch.setattr(publish._Stage, "fill", lambda self, prepared: None)
    store = published_as_feed_publishes(tmp_path, synthetic_catalog(items=200))
    try:
        with store.session() as session:
            assert session.execute(select(func.typeof(feed.FEED.c.doc)).distinct()).scalars().all() == ["text"]
    finally:
        store.close()


def published_as_feed_publishes(tmp_path: Path, document: dict[str, Any]) -> Store:
    """A SQLite central `document` was published into by publish_catalog, its rows checked against
    feed.publish's of the same document (the caller closes it)."""
    store, reference = (open_central(f"sqlite:///{tmp_path / name}.db") for name in ("central", "reference"))
    try:
        publish.publish_catalog(store, parse_catalog(document))
        with reference.session() as session, session.begin():
            feed.publish(session, parse_catalog(document))
        assert _rows(store) == _rows(reference)
    except BaseException:
        store.close()
        raise
    finally:
        reference.close()
    return store


def test_a_publish_that_finds_the_feed_moved_prepares_and_stages_again(central_db_url: str, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process publishes between this publish's prepare and its write: StalePublish, then
    a new prepare (and on SQLite a new staging table) against the feed as it now is."""
    store = open_central(central_db_url)
    reference = open_central(f"sqlite:///{tmp_path / 'reference.db'}")
    other, mine = synthetic_catalog(items=300), synthetic_catalog(items=400)
    other["items"][5]["fee"] = "另一进程"
    prepare = publish.prepare_publish
    calls: list[int] = []

    def racing(session: Any, catalog: Any, **options: Any) -> Any:
        prepared = prepare(session, catalog, **options)
        if not calls:
            with store.session() as elsewhere, elsewhere.begin():
                feed.publish(elsewhere, parse_catalog(other))
        calls.append(1)
        return prepared

    monkeypatch.setattr(publish, "prepare_publish", racing)
    try:
        result, _times = publish.publish_catalog(store, parse_catalog(mine))
        assert len(calls) == 2 and result.version_before == 1 and result.version_after == 2
        for data in (other, mine):
            with reference.session() as session, session.begin():
                feed.publish(session, parse_catalog(data))
        assert _rows(store) == _rows(reference)
    finally:
        store.close()
        reference.close()


def test_a_catalog_that_does_not_repeat_itself_is_encoded_whole_after_a_trial(store: Store,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    document = synthetic_catalog(items=300)
    for n, item in enumerate(document["items"][100:]):  # the first 100 repeat themselves, the rest not
        item["fee"] = f"第{n}项收费"
        for material in item["materials"]:
            material["note"] = f"{n}-{material['key']}"
    document["items"][250]["materials"][2]["note"] = "含\u202e字符"  # refused, in an item encoded whole
    monkeypatch.setattr(publish, "_TRIAL", 150)
    for data in (document, {**document, "items": document["items"][:250]}):
        catalog = parse_catalog(data)
        with store.session() as session:
            assert outcome(publish.prepare_publish, session, catalog) == outcome(feed.prepare_publish, session, catalog)
    encoder = publish._Encoder()
    for item in parse_catalog(document).items[:200]:
        encoder.digest(item)
    assert not encoder._pieces


def test_a_publish_with_items_encoded_whole_stages_them_from_their_rows(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite: items encoded whole (a catalog that stops repeating itself) have no profile number:
    the prepare makes the items rows and the stage numbers their profiles from them."""
    document = synthetic_catalog(items=250)
    for n, item in enumerate(document["items"][100:]):
        item["fee"] = f"第{n}项收费"
        for material in item["materials"]:
            material["note"] = f"{n}-{material['key']}"
    monkeypatch.setattr(publish, "_TRIAL", 150)
    probe = open_central(f"sqlite:///{tmp_path / 'probe.db'}")
    with probe.session() as session:
        assert publish.prepare_publish(session, parse_catalog(document), staged=True).item_rows  # mixed: rows made
    probe.close()
    published_as_feed_publishes(tmp_path, document).close()


def test_a_publish_leaves_its_wal_copied_and_checkpoints_on_as_before(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite: the feed's WAL is copied beside the items steps (not in the feed's commit, with the
    hall's write lock held), the rest at the end; the connection checkpoints by itself again
    after, and a checkpoint that fails leaves the publish done."""
    store = open_central(f"sqlite:///{tmp_path / 'central.db'}")
    ran: list[str] = []
    copy_wal = publish._Checkpoint._copy

    def counted(self: Any) -> None:
        ran.append(threading.current_thread().name)
        copy_wal(self)

    monkeypatch.setattr(publish._Checkpoint, "_copy", counted)
    try:
        publish.publish_catalog(store, parse_catalog(synthetic_catalog(items=publish.ITEMS_CHUNK + 100)))
        assert ran == ["publish-checkpoint"]
        pooled = [store.engine.connect() for _ in range(3)]  # the publish's, the checkpoint's, a new one
        try:  # each checkpoints by itself again
            assert [c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() for c in pooled] == [1000] * 3
        finally:
            for connection in pooled:
                connection.close()
        def failing(self: Any) -> None:
            raise OSError("disk I/O error")

        monkeypatch.setattr(publish._Checkpoint, "_copy", failing)
        data = synthetic_catalog(items=50)
        data["catalog_version"] = 9
        assert publish.publish_catalog(store, parse_catalog(data))[0].version_after == 9
    finally:
        store.close()


def test_the_stage_leaves_its_connection_as_it_found_it(tmp_path: Path) -> None:
    store = open_central(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        with store.engine.connect() as connection, store.sessions(bind=connection) as session:
            def pragmas() -> tuple[Any, ...]:
                return tuple(connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                             for name in ("temp_store", "temp.secure_delete", "main.secure_delete"))

            before = pragmas()
            stage = publish._Stage(session)
            stage.fill(publish.prepare_publish(session, parse_catalog(synthetic_catalog(items=30))))
            assert stage.filled
            stage.drop()
            session.commit()
            assert pragmas() == before
            assert connection.exec_driver_sql("SELECT count(*) FROM sqlite_temp_master").scalar() == 0
    finally:
        store.close()
