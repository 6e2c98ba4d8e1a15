"""The catalog's bulk paths write what the reference paths wrote: rows from checked documents,
pinyin by runs of characters, page-by-page apply."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from hallclient.core.catalog_format import (
    CatalogFormatError,
    catalog_to_doc,
    decode_catalog,
    parse_catalog,
    read_catalog_file,
)
from hallclient.core.pinyin import pinyin_keys
from hallclient.paths import sample_catalog_path
from hallclient.store import catalog_repo
from hallclient.store.catalog_repo import (
    ITEM_INSERT,
    ITEMS,
    MATERIAL_INSERT,
    MATERIALS,
    ContentHasher,
    PinyinMemo,
    _item_row,
    _material_rows,
    doc_content_hash,
    item_doc_row,
    material_doc_rows,
)
from hallclient.store.catalog_sync import CatalogApply, apply_changes
from hallclient.store.database import Store
from tests.conftest import small_catalog


def table_rows(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with store.session() as session:
        items = [tuple(r) for r in session.execute(select(ITEMS).order_by(ITEMS.c.code))]
        materials = [tuple(r)[1:] for r in session.execute(  # without the id
            select(MATERIALS).order_by(MATERIALS.c.item_code, MATERIALS.c.position))]
    return items, materials


def sample() -> dict[str, Any]:
    return json.loads(sample_catalog_path().read_text(encoding="utf-8"))


def test_rows_from_a_document_are_the_reference_rows() -> None:
    for data in (small_catalog(), sample()):
        catalog = parse_catalog(data)
        doc = catalog_to_doc(catalog)
        for position, (item_doc, item) in enumerate(zip(doc.items, catalog.items, strict=True)):
            reference = _item_row(item, position)
            assert doc_content_hash(item_doc) == reference["content_hash"] == catalog_repo.content_hash(item)
            row = item_doc_row(item_doc, position, str(reference["content_hash"]),
                               str(reference["pinyin_initials"]), str(reference["pinyin_full"]))
            assert row == tuple(reference[c] for c in ITEM_INSERT)
            assert all(type(v) in (str, int, type(None)) for v in row)  # bound by sqlite3 as they are
        rows = list(material_doc_rows(doc.items))
        assert rows == [tuple(r[c] for c in MATERIAL_INSERT) for item in catalog.items for r in _material_rows(item)]
        assert all(type(v) in (str, int, type(None)) for row in rows for v in row)


def test_content_hash_with_materials_put_into_json_once() -> None:
    data = sample()
    data["items"][0]["fee"] = '"materials": 0'  # the placeholder's text, inside a value
    data["items"][1]["materials"] = []
    data["items"][2]["name"] = '名称", "materials": 0, "x'
    data["items"][4]["conditions"] = '"code": 0, "name": 0\\'  # the other placeholders, and a backslash
    data["items"][5]["name"] = '"name": 0 \\"'
    data["items"].append(dict(data["items"][3], code="COPY-1"))  # the same materials and profile again
    data["items"].append(dict(data["items"][3], code="COPY-2", name="另一个名称"))
    catalog = parse_catalog(data)
    hasher = ContentHasher()
    for _ in range(2):  # the second time from the memo
        for item_doc, item in zip(catalog_to_doc(catalog).items, catalog.items, strict=True):
            assert hasher(item_doc) == doc_content_hash(item_doc) == catalog_repo.content_hash(item)


@settings(max_examples=150, deadline=None)
@given(fee=st.one_of(st.none(), st.text(max_size=20)), key=st.sampled_from(["id_card", "a", '"materials": 0']),
       copies=st.one_of(st.none(), st.integers(0, 3)), core=st.booleans())
def test_content_hash_of_any_item(fee: str | None, key: str, copies: int | None, core: bool) -> None:
    data = small_catalog()
    item = data["items"][0]
    item["fee"] = fee
    item["materials"][0].update(key=key, copies=copies, core=core)
    if key == "a":
        item["materials"][1]["key"] = "b"
    try:
        catalog = parse_catalog(data)
    except CatalogFormatError:
        return
    hasher = ContentHasher()
    for item_doc, core_item in zip(catalog_to_doc(catalog).items, catalog.items, strict=True):
        assert hasher(item_doc) == catalog_repo.content_hash(core_item)


def test_importing_a_document_or_a_catalog_writes_the_same(tmp_path: Path) -> None:
    path = tmp_path / "sample.json"
    path.write_text(json.dumps(sample(), ensure_ascii=False), encoding="utf-8")
    stores = [Store.open_file(tmp_path / f"{name}.db") for name in ("doc", "catalog")]
    try:
        with stores[0].session() as session, session.begin():
            by_doc = catalog_repo.replace_catalog(session, read_catalog_file(path))
        with stores[1].session() as session, session.begin():
            by_catalog = catalog_repo.replace_catalog(session, parse_catalog(sample()))
        assert by_doc == by_catalog and by_doc.added
        assert table_rows(stores[0]) == table_rows(stores[1])
        with stores[0].session() as session:
            assert catalog_repo.export_catalog(session) == parse_catalog(sample())
        changed = sample()
        changed["items"][0]["fee"] = "收费"
        referred = {c for b in changed.get("bundles", []) for c in b["items"]} | {
            m.get("produced_by") for i in changed["items"] for m in i["materials"]}
        gone = next(i for i in changed["items"][1:] if i["code"] not in referred)
        changed["items"].remove(gone)
        with stores[0].session() as session, session.begin():
            diff = catalog_repo.replace_catalog(session, decode_catalog(json.dumps(changed).encode()))
        assert diff.updated == [changed["items"][0]["code"]] and diff.removed == [gone["code"]]
        assert not diff.added
    finally:
        for store in stores:
            store.close()


def test_inserts_go_in_batches(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(catalog_repo, "INSERT_BATCH", 3)
    store = Store.open_file(tmp_path / "w.db")
    try:
        with store.session() as session, session.begin():
            catalog_repo.replace_catalog(session, parse_catalog(small_catalog()))
        with store.session() as session:
            assert catalog_repo.export_catalog(session) == parse_catalog(small_catalog())
    finally:
        store.close()


def test_a_download_applied_page_by_page_is_the_download_applied_at_once(tmp_path: Path) -> None:
    stores = [Store.open_file(tmp_path / f"{name}.db") for name in ("pages", "once")]
    catalog = parse_catalog(small_catalog())
    doc = catalog_to_doc(catalog)
    try:
        for store in stores:
            with store.session() as session, session.begin():
                catalog_repo.replace_catalog(session, catalog)
        newer = small_catalog()
        newer["items"][0]["fee"] = "收费"
        newer["items"].append(dict(newer["items"][5], code="NEW-1"))
        changed = parse_catalog(newer)
        changed_doc = catalog_to_doc(changed)
        upserts = [changed.items[0], changed.items[-1]]
        deleted = [catalog.items[5].code, changed.items[0].code]  # a tombstone for an item brought back: kept
        with stores[0].session() as session, session.begin():
            apply = CatalogApply(session, header=changed.header)
            apply.add([changed_doc.items[0]], [None])
            apply.add([changed_doc.items[-1]])
            paged = apply.finish(deleted, changed.bundles)
        with stores[1].session() as session, session.begin():
            once = apply_changes(session, upserts, deleted=deleted, bundles=changed.bundles, header=changed.header)
        assert paged == once and (once.upserted, once.deleted) == (2, 1)
        assert table_rows(stores[0]) == table_rows(stores[1])
        with stores[0].session() as session:
            items = {i.code: i for i in catalog_repo.export_catalog(session).items}
        assert items[doc.items[0].code].fee == "收费" and "NEW-1" in items and catalog.items[5].code not in items
    finally:
        for store in stores:
            store.close()


def test_pinyin_by_runs_is_pinyin_of_the_whole_name() -> None:
    memo = PinyinMemo()
    for item in sample()["items"] + small_catalog()["items"]:
        assert memo(item["name"]) == pinyin_keys(item["name"])
    for text in ("食品经营许可（新办）第12号", "110kV变电站", "ABC公司abc", "重庆市重量检测", "〇号线", ""):
        assert memo(text) == pinyin_keys(text)


TEXT = st.text(alphabet=st.sampled_from(list("食品经营许可证重庆长沙行不动产登记号第〇（）()-·、 　abcXYZ019①Ⅳ😀\u3400\U00020000")),
               max_size=30)


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_pinyin_by_runs_of_any_text(text: str) -> None:
    assert PinyinMemo()(text) == pinyin_keys(text)
