"""A publish that stops between the feed and the central's items table is repaired from the feed.

The fault (the process dying, the disk filling up after the feed's commit) is made by an items
step that raises; everything else is a real central database, SQLite file or PostgreSQL.
"""

from __future__ import annotations

import copy
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bench.synthetic_catalog import synthetic_catalog
from hallclient.central import feed, items_catch_up, publish
from hallclient.central.app import create_app
from hallclient.central.database import open_central
from hallclient.core.catalog_format import parse_catalog
from hallclient.store.catalog_repo import ITEMS
from hallclient.store.database import Store, get_meta, set_meta
from tests.central.support import ServerThread, free_port


def _items(store: Store) -> list[dict[str, Any]]:
    with store.session() as session:
        return sorted((r._asdict() for r in session.execute(select(ITEMS))), key=lambda r: r["code"])


def _items_version(store: Store) -> str | None:
    with store.session() as session:
        return get_meta(session, feed.ITEMS_VERSION_KEY)


def _reference_items(tmp_path: Path, *documents: dict[str, Any]) -> list[dict[str, Any]]:
    """The items table feed.publish leaves after publishing `documents` one after the other."""
    reference = open_central(f"sqlite:///{tmp_path / 'reference.db'}")
    try:
        for document in documents:
            with reference.session() as session, session.begin():
                feed.publish(session, parse_catalog(document))
        return _items(reference)
    finally:
        reference.close()


class DiskFull(OSError):
    pass


def _stopped_after_the_feed(store: Store, document: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """publish_catalog whose second items step fails: the feed is new, the items table half old."""
    write_items = publish.write_items
    calls: list[int] = []

    def failing(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise DiskFull("database or disk is full")
        write_items(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(publish, "write_items", failing)
        with pytest.raises(DiskFull):
            publish.publish_catalog(store, parse_catalog(document))


@pytest.fixture
def catalogs() -> tuple[dict[str, Any], dict[str, Any]]:
    """A catalog of three items steps and its next version: every item renamed, the last 30 gone."""
    first = synthetic_catalog(items=2 * publish.ITEMS_CHUNK + 100)
    second = copy.deepcopy(first)
    second["catalog_version"] = 7
    for item in second["items"]:
        item["name"] += "（新）"
    del second["items"][-30:]
    return first, second


def test_a_publish_stopped_before_its_items_steps_is_caught_up_by_the_next_publish(
        central_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        catalogs: tuple[dict[str, Any], dict[str, Any]]) -> None:
    first, second = catalogs
    store = open_central(central_db_url)
    try:
        publish.publish_catalog(store, parse_catalog(first))
        assert _items_version(store) == "1"
        _stopped_after_the_feed(store, second, monkeypatch)
        expected = _reference_items(tmp_path, first, second)
        stale = _items(store)
        assert stale != expected and _items_version(store) == "1"  # the feed is at 7, the table is not
        assert sum(r["name"].endswith("（新）") for r in stale) == publish.ITEMS_CHUNK  # one step got through

        again, _times = publish.publish_catalog(store, parse_catalog(second))
        assert not again.changed  # the feed has this catalog already: only the items table was behind
        assert _items(store) == expected and _items_version(store) == "7"
    finally:
        store.close()


def test_a_central_catches_its_items_table_up_when_it_starts(central_db_url: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             catalogs: tuple[dict[str, Any], dict[str, Any]]) -> None:
    first, second = catalogs
    store = open_central(central_db_url)
    try:
        publish.publish_catalog(store, parse_catalog(first))
        _stopped_after_the_feed(store, second, monkeypatch)
    finally:
        store.close()
    store = open_central(central_db_url)
    try:
        server = ServerThread(create_app(store), free_port(), lifespan="on").start()  # serving once started up
        try:
            assert _items(store) == _reference_items(tmp_path, first, second)
            assert _items_version(store) == "7"
        finally:
            server.stop()
    finally:
        store.close()


def test_a_table_at_the_feed_s_version_is_left_alone_and_one_without_a_version_caught_up_once(
        tmp_path: Path) -> None:
    """A central from before the version was kept (feed published, key missing) is rewritten once."""
    store = open_central(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        document = synthetic_catalog(items=300)
        publish.publish_catalog(store, parse_catalog(document))
        assert items_catch_up.catch_up_items(store) == 0
        with store.session() as session, session.begin():
            set_meta(session, feed.ITEMS_VERSION_KEY, None)
            session.execute(ITEMS.delete().where(ITEMS.c.code == document["items"][0]["code"]))
            session.execute(ITEMS.insert().values({**_items(store)[1], "code": "GONE-FROM-FEED"}))
        assert items_catch_up.catch_up_items(store) == 300
        assert _items(store) == _reference_items(tmp_path, document)  # the missing one back, the stray one gone
        assert items_catch_up.catch_up_items(store) == 0
    finally:
        store.close()


def test_a_publish_that_changes_only_the_bundles_keeps_the_table_current(tmp_path: Path) -> None:
    store = open_central(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        document = synthetic_catalog(items=50)
        publish.publish_catalog(store, parse_catalog(document))
        bundled = copy.deepcopy(document)
        bundled["bundles"] = [{"code": "B1", "name": "开办企业一件事",
                               "items": [document["items"][0]["code"], document["items"][1]["code"]]}]
        result, _times = publish.publish_catalog(store, parse_catalog(bundled))
        assert result.bundles_changed and result.changed and not result.added and not result.updated
        assert _items_version(store) == str(result.version_after)
    finally:
        store.close()


def test_feed_publish_over_a_table_left_behind_leaves_it_marked_behind(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       catalogs: tuple[dict[str, Any],
                                                                                       dict[str, Any]]) -> None:
    """The one-transaction publish (CLI, scripts) writes only the items it changes: over a table an
    earlier publish left behind it does not claim the table current; the next start catches up."""
    first, second = catalogs
    third = copy.deepcopy(second)
    third["items"][0]["fee"] = "免费"
    store = open_central(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        publish.publish_catalog(store, parse_catalog(first))
        _stopped_after_the_feed(store, second, monkeypatch)
        with store.session() as session, session.begin():
            result = feed.publish(session, parse_catalog(third))
        assert result.version_after == 8 and _items_version(store) == "1"
        assert items_catch_up.catch_up_items(store) == len(third["items"])
        assert _items(store) == _reference_items(tmp_path, first, second, third)
        assert _items_version(store) == "8"
    finally:
        store.close()


def test_two_processes_catching_up_at_once_both_finish_and_agree(central_db_url: str, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  catalogs: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """Two workers of one central start together after a stopped publish: each its own engine (as
    a process has), both catch up, neither fails on the other's rows."""
    first, second = catalogs
    stores = [open_central(central_db_url) for _ in range(2)]
    try:
        publish.publish_catalog(stores[0], parse_catalog(first))
        _stopped_after_the_feed(stores[0], second, monkeypatch)
        start = threading.Barrier(2)
        failures: list[BaseException] = []

        def catch_up(store: Store) -> None:
            start.wait()
            try:
                items_catch_up.catch_up_items(store)
            except BaseException as exc:  # noqa: BLE001  # reported by the assertion below
                failures.append(exc)

        threads = [threading.Thread(target=catch_up, args=(store,)) for store in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not failures
        assert _items(stores[1]) == _reference_items(tmp_path, first, second) and _items_version(stores[1]) == "7"
    finally:
        for store in stores:
            store.close()
