"""publish.prepare_publish checks every item's code and name against the text rules in one scan
of the catalog (publish._own_texts_allowed); a catalog with a refused code or name is then
checked item by item and fails as feed.prepare_publish does, at the same item."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.synthetic_catalog import synthetic_catalog
from hallclient.central import feed, publish
from hallclient.central.database import open_central
from hallclient.core.catalog import Catalog
from hallclient.core.catalog_format import CatalogFormatError, parse_catalog
from hallclient.store.database import Store


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    central = open_central(f"sqlite:///{tmp_path / 'central.db'}")
    yield central
    central.close()


def with_item_text(catalog: Catalog, index: int, field: str, value: str) -> Catalog:
    items = list(catalog.items)
    items[index] = dataclasses.replace(items[index], **{field: value})
    return dataclasses.replace(catalog, items=tuple(items))


def error_of(prepare: object, store: Store, catalog: Catalog) -> str | None:
    with store.session() as session:
        try:
            prepare(session, catalog)  # type: ignore[operator]
        except CatalogFormatError as exc:
            return str(exc)
    return None


@pytest.mark.parametrize(("field", "text"), [
    ("name", "食品经营许可\u202e（新办）"), ("name", "含\x00字符"), ("name", "孤立\ud800代理"),
    ("name", "写作\\u0000的文字"), ("code", "114115\u202e00000001"),
])
def test_a_refused_code_or_name_fails_as_in_feed(store: Store, field: str, text: str) -> None:
    catalog = with_item_text(parse_catalog(synthetic_catalog(items=40)), 17, field, text)
    assert not publish._own_texts_allowed(catalog.items)
    expected = error_of(feed.prepare_publish, store, catalog)
    assert expected is not None
    assert error_of(publish.prepare_publish, store, catalog) == expected


def test_allowed_codes_and_names_pass_the_one_scan(store: Store) -> None:
    catalog = parse_catalog(synthetic_catalog(items=40))
    assert publish._own_texts_allowed(catalog.items)
    # a backslash at the end of one name and "u0000" at the start of the next: refused by the
    # scan of the texts run together, so checked item by item, where both are allowed
    ran_together = with_item_text(with_item_text(catalog, 3, "name", "名称\\"), 4, "name", "u0000号")
    assert not publish._own_texts_allowed(ran_together.items)
    assert error_of(feed.prepare_publish, store, ran_together) is None
    with store.session() as session:
        docs = [c.doc for c in publish.prepare_publish(session, ran_together).changed]
    with store.session() as session:
        assert docs == [c.doc for c in feed.prepare_publish(session, ran_together).changed]
