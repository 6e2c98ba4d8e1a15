"""A window pulling the catalog from a real central service into its real SQLite store."""

from __future__ import annotations

from sqlalchemy import delete

from hallclient.core.catalog_format import parse_catalog
from hallclient.store import catalog_repo
from hallclient.store.catalog_sync import read_feed_state
from hallclient.store.database import Store
from hallclient.store.models import ServiceItemRow
from hallclient.sync.catalog_pull import pull_catalog
from hallclient.sync.client import CentralClient
from hallclient.sync.round import run_sync_round
from tests.central.support import Central
from tests.conftest import small_catalog


def local_catalog(store: Store):  # type: ignore[no-untyped-def]
    with store.session() as session:
        return catalog_repo.export_catalog(session)


def client(central: Central) -> CentralClient:
    return CentralClient(central.url, central.window_token)


def test_first_sync_downloads_everything_in_pages(central: Central, window_store: Store) -> None:
    central.publish(small_catalog())
    seen: list[tuple[str, int, int]] = []
    with client(central) as http:
        result = pull_catalog(window_store, http, page_size=2, progress=lambda *a: seen.append(a))
    assert result.full and result.pages == 3 and result.upserted == 6 and result.version_after == 7
    assert local_catalog(window_store) == parse_catalog(small_catalog())  # order, bundles, header too
    assert [s for s in seen if s[0] == "download"][-1] == ("download", 6, 6)
    with window_store.session() as session:
        state = read_feed_state(session)
    assert state.incremental and state.catalog_version == 7


def test_incremental_sync_applies_changes_and_deletions(central: Central, window_store: Store) -> None:
    central.publish(small_catalog())
    with client(central) as http:
        pull_catalog(window_store, http)
    newer = small_catalog()
    newer["catalog_version"] = 9
    newer["items"][1]["name"] = "食品经营许可（变更登记）"
    newer["items"][1]["version"] = 2
    removed = newer["items"].pop(5)
    newer["items"].append(dict(removed, code="3741150000101-002", name="不动产转移登记"))
    central.publish(newer)
    with client(central) as http:
        result = pull_catalog(window_store, http, page_size=1)
    assert not result.full and (result.upserted, result.deleted, result.pages) == (2, 1, 3)
    assert local_catalog(window_store) == parse_catalog(newer)


def test_nothing_changed_is_a_304(central: Central, window_store: Store) -> None:
    central.publish(small_catalog())
    with client(central) as http:
        pull_catalog(window_store, http)
        again = pull_catalog(window_store, http)
    assert again.unchanged and again.version_after == 7


def test_a_catalog_not_from_this_feed_is_replaced_whole(central: Central, window_store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sample = small_catalog()
    sample["items"] = sample["items"][:2]
    sample["bundles"] = []
    sample["catalog_version"] = 100  # the window imported a file by hand: versions mean nothing here
    with window_store.session() as session, session.begin():
        catalog_repo.replace_catalog(session, parse_catalog(sample))
    central.publish(small_catalog())
    with client(central) as http:
        result = pull_catalog(window_store, http)
    assert result.full
    assert local_catalog(window_store) == parse_catalog(small_catalog())


def test_a_count_mismatch_falls_back_to_a_full_download(central: Central, window_store: Store) -> None:
    central.publish(small_catalog())
    with client(central) as http:
        pull_catalog(window_store, http)
    with window_store.session() as session, session.begin():  # damage behind the feed's back
        session.execute(delete(ServiceItemRow).where(ServiceItemRow.code == "3741150000101-001"))
    newer = small_catalog()
    newer["items"][0]["fee"] = "收费"
    central.publish(newer)
    with client(central) as http:
        result = pull_catalog(window_store, http)
    assert result.full and any("核对不符" in note for note in result.notes)
    assert local_catalog(window_store) == parse_catalog(dict(newer, catalog_version=8))


def test_a_round_reports_the_pull(central: Central, window_store: Store) -> None:
    central.publish(small_catalog())
    report = run_sync_round(window_store, central.settings())
    assert report.ok and report.catalog_full and report.pulled_items == 6
    assert any("完整下载" in line for line in report.lines())
    assert run_sync_round(window_store, central.settings()).catalog_unchanged


def test_a_central_without_a_catalog_leaves_the_window_its_own(central: Central, window_store: Store) -> None:
    with window_store.session() as session, session.begin():
        catalog_repo.replace_catalog(session, parse_catalog(small_catalog()))
    with client(central) as http:
        result = pull_catalog(window_store, http)
    assert result.unchanged and "尚未发布" in result.notes[0]
    assert local_catalog(window_store) == parse_catalog(small_catalog())
