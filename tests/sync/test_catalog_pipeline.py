"""How a window pulls the catalog fast and still safely: gzip negotiated with a real central (and
a window that does not ask for it), the next page asked for ahead (X-Feed-Next), pages applied
as they come in one transaction, rolled back and applied at once when the network stalls."""

from __future__ import annotations

import time
from typing import Any

import pytest

from hallclient.core.catalog_format import parse_catalog
from hallclient.store import catalog_repo
from hallclient.store.catalog_sync import read_feed_state
from hallclient.store.database import Store
from hallclient.sync import catalog_pull
from hallclient.sync.catalog_pull import pull_catalog
from hallclient.sync.client import FEED_NEXT_HEADER, CentralClient, PageError
from tests.central.support import Central
from tests.conftest import small_catalog
from tests.sync.test_malformed_pages import (
    BUNDLES,
    CHANGED,
    ITEMS,
    Answer,
    Scripted,
    page,
    scripted,  # noqa: F401 (fixture)
    send_json,
    synced_store,  # noqa: F401 (fixture)
)


def big_catalog(items: int = 300) -> dict[str, Any]:
    data = small_catalog()
    template = data["items"][0]
    data["items"] = [dict(template, code=f"CODE-{n:05d}", name=f"食品经营许可（新办）第{n}号") for n in range(items)]
    data["bundles"] = []
    return data


def exported(store: Store) -> Any:
    with store.session() as session:
        return catalog_repo.export_catalog(session)


def writes_counted(store: Store) -> list[int]:
    """Count the write transactions the store runs (as the window's database worker would)."""
    calls: list[int] = []

    def executor(run: Any) -> Any:
        calls.append(1)
        return run()

    store.write_executor = executor
    return calls


def test_a_full_sync_comes_gzipped_in_pages_and_in_one_write(central: Central, window_store: Store) -> None:
    data = big_catalog()
    central.publish(data)
    writes = writes_counted(window_store)
    seen: list[tuple[str, int, int]] = []
    with CentralClient(central.url, central.window_token) as http:
        result = pull_catalog(window_store, http, page_size=40, progress=lambda *a: seen.append(a))
    assert result.full and result.pages == 8 and result.upserted == 300 and writes == [1]
    assert exported(window_store) == parse_catalog(data)
    assert result.bytes < 300 * 300  # ~1 KB of JSON per item before gzip
    assert seen[-1] == ("apply", 300, 300) and ("download", 300, 300) in seen
    with window_store.session() as session:
        assert read_feed_state(session).incremental


def test_a_window_that_does_not_ask_for_gzip_gets_the_pages_as_they_are(central: Central,
                                                                        window_store: Store) -> None:
    central.publish(big_catalog())
    with CentralClient(central.url, central.window_token) as http:
        http.http.headers["Accept-Encoding"] = "identity"
        result = pull_catalog(window_store, http, page_size=100)
    assert result.upserted == 300 and result.bytes > 300 * 500
    assert exported(window_store) == parse_catalog(big_catalog())


def with_next_header(answer_page: dict[str, Any], header: str | None) -> Answer:
    body = send_json(answer_page)

    def answer(handler: Any) -> None:
        original = handler.end_headers

        def end_headers() -> None:
            if header is not None:
                handler.send_header(FEED_NEXT_HEADER, header)
            original()

        handler.end_headers = end_headers
        body(handler)
    return answer


def test_the_next_page_is_asked_for_from_the_header(scripted: Scripted, synced_store: Store) -> None:  # noqa: F811
    scripted.pages = [with_next_header(page(CHANGED[:1], next_cursor="1"), "1"),
                      with_next_header(page(CHANGED[1:], bundles=BUNDLES), None)]
    with CentralClient(f"http://127.0.0.1:{scripted.server_port}", "t") as http:
        result = pull_catalog(synced_store, http)
    assert (result.upserted, result.version_after, result.pages) == (2, 8, 2)
    with synced_store.session() as session:
        assert catalog_repo.load_item(session, ITEMS[0]["code"]).fee == "收费"  # type: ignore[union-attr]


def test_a_header_that_disagrees_with_the_page_changes_nothing(scripted: Scripted,  # noqa: F811
                                                               synced_store: Store) -> None:  # noqa: F811
    scripted.pages = [with_next_header(page(CHANGED[:1], next_cursor="1"), "0"),
                      with_next_header(page(CHANGED[1:], bundles=BUNDLES), None)]
    before = exported(synced_store)
    with CentralClient(f"http://127.0.0.1:{scripted.server_port}", "t") as http, \
            pytest.raises(PageError, match="feed.next"):
        pull_catalog(synced_store, http)
    assert exported(synced_store) == before


def test_a_stalled_network_releases_the_database_and_applies_at_once(
        scripted: Scripted, synced_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(catalog_pull, "WAIT_BUDGET", 0.2)
    slow = send_json(page(CHANGED[1:], bundles=BUNDLES))

    def late(handler: Any) -> None:
        time.sleep(0.8)
        slow(handler)

    scripted.pages = [send_json(page(CHANGED[:1], next_cursor="1")), late]
    writes = writes_counted(synced_store)
    with CentralClient(f"http://127.0.0.1:{scripted.server_port}", "t") as http:
        result = pull_catalog(synced_store, http)
    assert writes == [1, 1]  # the first transaction gave up waiting (rolled back), the second applied it all
    assert (result.upserted, result.version_after) == (2, 8)
    with synced_store.session() as session:
        assert catalog_repo.load_item(session, ITEMS[0]["code"]).fee == "收费"  # type: ignore[union-attr]
        assert read_feed_state(session).catalog_version == 8


def test_a_page_only_the_reference_parser_reads_is_applied_the_same(scripted: Scripted,  # noqa: F811
                                                                    synced_store: Store) -> None:  # noqa: F811
    odd = dict(CHANGED[1], on_site_approval=None, commitment_allowed=None)  # null: the default, per the spec
    scripted.pages = [send_json(page(CHANGED[:1], next_cursor="1")), send_json(page([odd], bundles=BUNDLES))]
    with CentralClient(f"http://127.0.0.1:{scripted.server_port}", "t") as http:
        result = pull_catalog(synced_store, http)
    assert result.upserted == 2
    with synced_store.session() as session:
        item = catalog_repo.load_item(session, ITEMS[1]["code"])
    assert item is not None and item.name == "食品经营许可（变更登记）" and item.on_site_approval is False
