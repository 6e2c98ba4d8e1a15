"""Pulling the catalog: every page since the local version, checked, applied in ONE transaction.

A page that is not JSON, breaks catalog-v1, disagrees with the other pages, or a connection cut
before the last page: nothing is applied, the previous catalog stays fully in use, and the
error says why. After applying, the item count must equal the central's (principle 5's count
check); if not, the transaction is rolled back and the whole catalog is downloaded instead.

How 20,000 items come in at about the speed of writing them (issue 16):

- the next page is fetched on a thread of its own while this one is checked and written; the
  central names the next page's cursor in a header (X-Feed-Next), so its request goes out
  before this page is even parsed (an older central without the header: after parsing);
- the central sends the pages gzip-compressed (requests asks for it and undoes it);
- a page is decoded by msgspec into checked documents (catalog_format.decode_catalog: the
  checks and the messages of parse_catalog, without a Python object per field), and written
  as rows (store.catalog_sync.CatalogApply), page by page, inside the one transaction.

While that transaction is open the window's database worker waits with it. When the network
keeps it waiting more than WAIT_BUDGET seconds in all, the transaction is rolled back (nothing
was applied), the rest is downloaded without holding the database, and then the whole download
is applied at once.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import msgspec
from sqlalchemy.orm import Session

from hallclient.core.catalog import Bundle, CatalogHeader
from hallclient.core.catalog_format import (
    FORMAT_VERSION,
    CatalogDoc,
    CatalogFormatError,
    CatalogNotAnObject,
    CatalogNotJSON,
    decode_catalog,
)
from hallclient.store.catalog_sync import (
    ApplyResult,
    CatalogApply,
    Derived,
    FeedState,
    read_feed_state,
    record_feed,
)
from hallclient.store.database import Store
from hallclient.sync.client import CentralClient, CentralRejected, PageError, RawPage

Progress = Callable[[str, int, int], None]  # phase ("download" / "apply"), done, total
DEFAULT_PAGE_SIZE = 1000
MAX_PAGES = 100_000
WAIT_BUDGET = 2.0  # seconds the open transaction may wait on the network, in all


@dataclass
class PullResult:
    unchanged: bool = False
    full: bool = False
    version_before: int = 0
    version_after: int = 0
    upserted: int = 0
    deleted: int = 0
    pages: int = 0
    bytes: int = 0
    notes: list[str] = field(default_factory=list)


class _ItemExtras(msgspec.Struct, gc=False):
    """What the central adds to an item of a feed page (feed.feed_page)."""

    position: Any = None
    content_hash: Any = None
    pinyin_initials: Any = None
    pinyin_full: Any = None


class _PageExtras(msgspec.Struct):
    feed: Any = None
    items: list[_ItemExtras] = []
    bundles: Any = msgspec.UNSET  # absent: the bundles stay as they are


_EXTRAS = msgspec.json.Decoder(_PageExtras)
_Extra = tuple[Any, Any, Any, Any]  # position, content_hash, pinyin_initials, pinyin_full


@dataclass
class _Page:
    meta: dict[str, Any]
    doc: CatalogDoc
    positions: list[int | None]
    derived: list[Derived | None]


class _CountMismatch(Exception):
    pass


class _Stalled(Exception):
    """The network kept the open transaction waiting longer than WAIT_BUDGET."""


def _feed_meta(meta: Any, number: int) -> dict[str, Any]:
    where = f"清单第 {number} 页"
    if not isinstance(meta, dict):
        raise PageError(f"{where}缺少 feed 信息")
    checks = (("id", str), ("full", bool), ("item_count", int), ("total", int))
    for name, kind in checks:
        if not isinstance(meta.get(name), kind):
            raise PageError(f"{where}：feed.{name} 缺失或类型不对")
    if meta.get("next") is not None and not isinstance(meta.get("next"), str):
        raise PageError(f"{where}：feed.next 类型不对")
    return meta


def _position(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


_SHA1_HEX = re.compile("[0-9a-f]{40}")


def _derived(digest: Any, initials: Any, full: Any) -> Derived | None:
    """The hash and pinyin the central computed, when present and plausible; else None."""
    if not (isinstance(digest, str) and _SHA1_HEX.fullmatch(digest)):
        return None
    if not (isinstance(initials, str) and isinstance(full, str) and len(initials) <= 400 and len(full) <= 2000):
        return None
    return Derived(digest, initials, full)


def _not_json(exc: BaseException) -> PageError:
    text = str(exc) or type(exc).__name__
    return PageError(f"中心服务发来的清单页不是有效的 JSON：{text[:200]}")


def _extras(body: bytes) -> tuple[Any, list[_Extra], bool]:
    """(feed, the items' extras, whether the page carries bundles), read past everything else."""
    try:
        page = _EXTRAS.decode(body)
    except (msgspec.DecodeError, RecursionError):
        pass  # not JSON, or JSON msgspec does not read (NaN…): json decides, as it always did
    else:
        extras = [(e.position, e.content_hash, e.pinyin_initials, e.pinyin_full) for e in page.items]
        return page.feed, extras, page.bundles is not msgspec.UNSET
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _not_json(exc) from exc
    if not isinstance(data, dict):
        raise PageError("中心服务发来的清单页不是 JSON 对象")
    raw = data.get("items")
    extras = [(r.get("position"), r.get("content_hash"), r.get("pinyin_initials"), r.get("pinyin_full"))
              if isinstance(r, dict) else (None, None, None, None) for r in (raw if isinstance(raw, list) else [])]
    return data.get("feed"), extras, "bundles" in data


class _Download:
    """The pages of one download, checked in order as they come, the next one always on its way.

    `start` takes the first page (None: 304, nothing changed); `pages` gives the pages taken so
    far and then the rest; `close` waits for a request still on its way (the client is then
    free again)."""

    def __init__(self, client: CentralClient, state: FeedState, page_size: int, progress: Progress | None) -> None:
        self.client, self.state, self.page_size, self.progress = client, state, page_size, progress
        self.taken: list[_Page] = []
        self.done = False
        self.seen: set[str] = set()
        self.deleted: list[str] = []
        self.bundles: list[Bundle] | None = None
        self.full = False
        self.feed_id = ""
        self.target = 0
        self.item_count = 0
        self.header = CatalogHeader()
        self.bytes = 0
        self.waited = 0.0  # seconds spent waiting for pages while the transaction was open
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="catalog-fetch")
        self._pending: Future[RawPage | None] | None = None

    def start(self) -> _Page | None:
        state = self.state
        params: dict[str, Any] = {"since": state.since, "format_version": FORMAT_VERSION, "page_size": self.page_size}
        if state.incremental and state.feed_id:
            params["feed"] = state.feed_id
        etag = f'"{state.feed_id}:{state.catalog_version}"' if state.incremental else None
        self._pending = self._executor.submit(self.client.catalog_page_raw, params, etag)
        return self._take(None)

    def pages(self, budget: float | None) -> Iterator[_Page]:
        """The pages taken so far, then the others as they arrive; with a `budget`, _Stalled
        once waiting for them has taken more than that many seconds in all."""
        yield from list(self.taken)
        while not self.done:
            page = self._take(budget)
            assert page is not None  # a 304 only ever answers the first request
            yield page

    def fetch_rest(self) -> None:
        for _page in self.pages(None):
            pass

    def close(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(Exception):  # the download failed already: this answer is moot
                pending.result()
        self._executor.shutdown(wait=True)

    def _fetch(self, cursor: str) -> None:
        self._pending = self._executor.submit(self.client.catalog_page_raw,
                                              {"cursor": cursor, "page_size": self.page_size})

    def _receive(self, budget: float | None) -> RawPage | None:
        pending = self._pending
        assert pending is not None
        if budget is None:
            raw = pending.result()
        else:
            started = time.perf_counter()
            try:
                raw = pending.result(timeout=max(budget - self.waited, 0.0))
            except TimeoutError:
                raise _Stalled() from None  # the request goes on: fetch_rest picks it up
            finally:
                self.waited += time.perf_counter() - started
        self._pending = None
        return raw

    def _take(self, budget: float | None) -> _Page | None:
        raw = self._receive(budget)
        if raw is None:
            return None  # 304: nothing changed
        if raw.next_cursor is not None:
            self._fetch(raw.next_cursor)  # on its way while this page is checked and written
        page = self._check(raw)
        following = page.meta.get("next")
        if raw.next_cursor is not None and following != raw.next_cursor:
            raise PageError(f"清单第 {len(self.taken)} 页：feed.next 与 {raw.next_cursor!r} 不一致")
        if following is None:
            self.done = True
        else:
            if len(self.taken) >= MAX_PAGES:
                raise PageError("清单页数过多，已停止下载")
            if raw.next_cursor is None:  # an older central: ask once this page is read
                self._fetch(following)
        return page

    def _check(self, raw: RawPage) -> _Page:
        number = len(self.taken) + 1
        feed, extras, has_bundles = _extras(raw.body)
        meta = _feed_meta(feed, number)
        try:
            doc = decode_catalog(raw.body, partial=True)
        except CatalogNotJSON as exc:
            raise _not_json(exc.error) from exc
        except CatalogNotAnObject as exc:
            raise PageError("中心服务发来的清单页不是 JSON 对象") from exc
        except CatalogFormatError as exc:
            raise PageError(f"清单第 {number} 页不符合清单格式：{exc}") from exc
        except RecursionError as exc:
            raise _not_json(exc) from exc
        if number == 1:
            self.full, self.feed_id, self.target = meta["full"], meta["id"], doc.catalog_version
            self.item_count, self.header = meta["item_count"], doc.header
            if not self.full and self.target < self.state.catalog_version:
                raise PageError(f"中心清单版本 {self.target} 低于本机版本 {self.state.catalog_version}")
        elif (meta["id"], meta["full"], doc.catalog_version) != (self.feed_id, self.full, self.target):
            raise PageError(f"清单第 {number} 页与前面各页不属于同一次下发")
        if len(extras) != len(doc.items):
            raise PageError(f"清单第 {number} 页的事项无法逐项读出")
        seen = self.seen
        for item in doc.items:
            if item.code in seen:
                raise PageError(f"清单第 {number} 页：事项 {item.code} 在多页中重复出现")
            seen.add(item.code)
        page = _Page(meta=meta, doc=doc, positions=[_position(e[0]) for e in extras],
                     derived=[_derived(e[1], e[2], e[3]) for e in extras])
        self.deleted.extend(doc.deleted)
        self.taken.append(page)
        self.bytes += raw.size
        if meta.get("next") is None:
            if has_bundles:
                self.bundles = [Bundle(code=b.code, name=b.name, items=tuple(b.items)) for b in doc.bundles]
            self.item_count = meta["item_count"]
        if self.progress:
            self.progress("download", len(seen) + len(self.deleted), max(meta["total"], 1))
        return page


def _apply(store: Store, download: _Download, progress: Progress | None) -> ApplyResult:
    total = max(int(download.taken[0].meta["total"]), len(download.seen))
    if progress:
        progress("apply", 0, total)

    def apply(session: Session, budget: float | None) -> ApplyResult:  # on the database worker in the window
        download.waited = 0.0
        writer = CatalogApply(session, header=download.header, full=download.full)
        for page in download.pages(budget):
            writer.add(page.doc.items, page.positions, page.derived)
        result = writer.finish(download.deleted, download.bundles)
        if result.item_count != download.item_count:
            raise _CountMismatch(f"本机 {result.item_count} 项，中心 {download.item_count} 项")
        record_feed(session, download.feed_id, download.target)
        return result

    try:
        result = store.write(lambda session: apply(session, WAIT_BUDGET))
    except _Stalled:  # rolled back: fetch the rest without holding the database, then apply it all
        download.fetch_rest()
        result = store.write(lambda session: apply(session, None))
    if progress:
        progress("apply", result.upserted, result.upserted)
    return result


def pull_catalog(store: Store, client: CentralClient, *, page_size: int = DEFAULT_PAGE_SIZE,
                 progress: Progress | None = None) -> PullResult:
    """Bring the local catalog to the central's version. Raises CentralError (nothing applied)."""
    with store.session() as session:
        state = read_feed_state(session)
    result = PullResult(version_before=state.catalog_version, version_after=state.catalog_version)
    for _attempt in range(3):
        download = _Download(client, state, page_size, progress)
        try:
            first = download.start()
            if first is None:
                result.unchanged = True
                return result
            if download.full and download.target == 0:
                download.fetch_rest()
                if not download.seen:
                    result.unchanged = True  # nothing published yet: keep the catalog the window has
                    result.notes.append("中心尚未发布事项清单，本机清单保持不变")
                    return result
            applied = _apply(store, download, progress)
        except CentralRejected as exc:
            if exc.status == 409:  # published again while paging: start over
                result.notes.append("清单在下载过程中更新，已重新下载")
                continue
            raise
        except CatalogFormatError as exc:
            raise PageError(f"清单内容前后矛盾，未应用：{exc}") from exc
        except _CountMismatch as exc:
            result.notes.append(f"事项数核对不符（{exc}），改为完整下载")
            state = FeedState(catalog_version=state.catalog_version, feed_id=None, incremental=False)
            continue
        finally:
            download.close()
        result.full, result.version_after = download.full, download.target
        result.upserted, result.deleted = applied.upserted, applied.deleted
        result.pages, result.bytes = len(download.taken), download.bytes
        return result
    raise PageError("多次尝试后仍无法得到一致的事项清单，本机清单保持不变")
