"""Bad pages from a misbehaving server leave the previous catalog fully in use, and say why.

The server here is a real HTTP server on a loopback port that answers with crafted pages: not
JSON, breaking the spec, inconsistent between pages, or a connection cut in the middle of a
page (a Content-Length it never delivers).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from hallclient.core.catalog_format import parse_catalog
from hallclient.store import catalog_repo
from hallclient.store.catalog_sync import read_feed_state, record_feed
from hallclient.store.database import Store
from hallclient.sync.catalog_pull import pull_catalog
from hallclient.sync.client import CentralClient, CentralUnreachable, PageError
from tests.conftest import small_catalog

Answer = Callable[[BaseHTTPRequestHandler], None]


def page(items: list[dict[str, Any]], *, version: int = 8, next_cursor: str | None = None,
         bundles: list[Any] | None = None, **overrides: Any) -> dict[str, Any]:
    doc = {"format": "hallclient-catalog", "format_version": 1, "catalog_version": version, "items": items,
           "deleted": [], "feed": {"id": "F", "since": 7, "full": False, "next": next_cursor, "total": 4,
                                   "page_items": len(items), "item_count": 6}}
    if bundles is not None:
        doc["bundles"] = bundles
    doc.update(overrides)
    return doc


def send_json(data: Any) -> Answer:
    return send_bytes(json.dumps(data, ensure_ascii=False).encode())


def send_bytes(body: bytes, *, claimed: int | None = None) -> Answer:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(claimed if claimed is not None else len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()
        if claimed is not None:  # cut: close the socket before the promised bytes arrive
            handler.close_connection = True
            handler.connection.shutdown(2)
    return answer


class Scripted(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        self.pages: list[Answer] = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                if url.path.endswith("/health"):
                    send_json({"status": "ok"})(self)
                    return
                cursor = parse_qs(url.query).get("cursor", ["0"])[0]
                server.pages[int(cursor)](self)

        server = self
        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    server = Scripted()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def synced_store(window_store: Store) -> Store:
    """A window whose catalog is feed F at version 7 (as if it had synced before)."""
    with window_store.session() as session, session.begin():
        catalog_repo.replace_catalog(session, parse_catalog(small_catalog()))
        record_feed(session, "F", 7)
    return window_store


ITEMS = small_catalog()["items"]
CHANGED = [dict(ITEMS[0], fee="收费"), dict(ITEMS[1], name="食品经营许可（变更登记）")]
BUNDLES = small_catalog()["bundles"]


def two_pages(second: Answer) -> list[Answer]:
    return [send_json(page(CHANGED[:1], next_cursor="1")), second]


CASES: dict[str, tuple[list[Answer], type[Exception], str]] = {
    "not JSON": (two_pages(send_bytes(b'{"format": "hallclient-catalog", "items": [')), PageError, "不是有效的 JSON"),
    "not an object": (two_pages(send_bytes(b"[1, 2]")), PageError, "不是 JSON 对象"),
    "spec violation": (two_pages(send_json(page([{k: v for k, v in CHANGED[1].items() if k != "name"}]))),
                       PageError, "field 'name': is required"),
    "no feed info": (two_pages(send_json({k: v for k, v in page(CHANGED[1:]).items() if k != "feed"})),
                     PageError, "缺少 feed"),
    "pages of two versions": (two_pages(send_json(page(CHANGED[1:], version=9))), PageError, "同一次下发"),
    "an item twice": (two_pages(send_json(page(CHANGED[:1]))), PageError, "重复"),
    "a bundle without its item": (two_pages(send_json(page(CHANGED[1:], bundles=[
        {"code": "YJS-9", "name": "一件事", "items": [ITEMS[0]["code"], "NO-SUCH"]}]))), PageError, "NO-SUCH"),
    "cut mid-page": (two_pages(send_bytes(json.dumps(page(CHANGED[1:])).encode()[:40], claimed=5000)),
                     CentralUnreachable, "中途断开"),
    "older than local": ([send_json(page(CHANGED, version=3))], PageError, "低于本机版本"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_download_changes_nothing(name: str, scripted: Scripted, synced_store: Store) -> None:
    answers, error, message = CASES[name]
    scripted.pages = answers
    with synced_store.session() as session:
        before, state_before = catalog_repo.export_catalog(session), read_feed_state(session)
    with CentralClient(f"http://127.0.0.1:{scripted.server_port}", "t") as http, \
            pytest.raises(error, match=message):
        pull_catalog(synced_store, http)
    with synced_store.session() as session:
        assert catalog_repo.export_catalog(session) == before
        assert read_feed_state(session) == state_before


def test_the_same_pages_done_right_are_applied(scripted: Scripted, synced_store: Store) -> None:
    scripted.pages = two_pages(send_json(page(CHANGED[1:], bundles=BUNDLES)))
    with CentralClient(f"http://127.0.0.1:{scripted.server_port}", "t") as http:
        result = pull_catalog(synced_store, http)
    assert (result.upserted, result.version_after, result.full) == (2, 8, False)
    with synced_store.session() as session:
        assert catalog_repo.load_item(session, ITEMS[0]["code"]).fee == "收费"  # type: ignore[union-attr]
        assert read_feed_state(session).catalog_version == 8
