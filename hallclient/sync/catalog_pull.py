"""Pulling the catalog: every page since the local version, validated, applied in ONE transaction.

A page that is not JSON, breaks catalog-v1, disagrees with the other pages, or a connection cut
before the last page: nothing is applied, the previous catalog stays fully in use, and the
error says why. After applying, the item count must equal the central's (principle 5's count
check); if not, the transaction is rolled back and the whole catalog is downloaded instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from hallclient.core.catalog import Bundle, CatalogHeader, ServiceItem
from hallclient.core.catalog_format import FORMAT_VERSION, CatalogFormatError, parse_catalog
from hallclient.store.catalog_sync import (
    Derived,
    FeedState,
    apply_changes,
    read_feed_state,
    record_feed,
)
from hallclient.store.database import Store
from hallclient.sync.client import CentralClient, CentralRejected, PageError

Progress = Callable[[str, int, int], None]  # phase ("download" / "apply"), done, total
DEFAULT_PAGE_SIZE = 1000
MAX_PAGES = 100_000


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


@dataclass
class _Download:
    full: bool
    feed_id: str
    target: int
    item_count: int
    header: CatalogHeader
    items: list[ServiceItem] = field(default_factory=list)
    positions: list[int | None] = field(default_factory=list)
    derived: list[Derived | None] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    bundles: list[Bundle] | None = None
    pages: int = 0
    bytes: int = 0


class _CountMismatch(Exception):
    pass


def _feed_meta(data: dict[str, Any], number: int) -> dict[str, Any]:
    meta = data.get("feed")
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


def _position(raw: Any) -> int | None:
    value = raw.get("position") if isinstance(raw, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


_HEX = frozenset("0123456789abcdef")


def _derived(raw: Any) -> Derived | None:
    """The hash and pinyin the central computed, when present and plausible; else None."""
    if not isinstance(raw, dict):
        return None
    digest, initials, full = raw.get("content_hash"), raw.get("pinyin_initials"), raw.get("pinyin_full")
    if not (isinstance(digest, str) and len(digest) == 40 and set(digest) <= _HEX):
        return None
    if not (isinstance(initials, str) and isinstance(full, str) and len(initials) <= 400 and len(full) <= 2000):
        return None
    return Derived(digest, initials, full)


def _download(client: CentralClient, state: FeedState, page_size: int, progress: Progress | None) -> _Download | None:
    params: dict[str, Any] = {"since": state.since, "format_version": FORMAT_VERSION, "page_size": page_size}
    if state.incremental and state.feed_id:
        params["feed"] = state.feed_id
    etag = f'"{state.feed_id}:{state.catalog_version}"' if state.incremental else None
    download: _Download | None = None
    seen: set[str] = set()
    while True:
        page = client.catalog_page(params, etag)
        if page is None:
            return None  # 304: nothing changed
        etag = None
        number = (download.pages if download else 0) + 1
        meta = _feed_meta(page.data, number)
        try:
            catalog = parse_catalog(page.data, partial=True)
        except CatalogFormatError as exc:
            raise PageError(f"清单第 {number} 页不符合清单格式：{exc}") from exc
        if download is None:
            download = _Download(full=meta["full"], feed_id=meta["id"], target=catalog.header.catalog_version,
                                 item_count=meta["item_count"], header=catalog.header)
            if not download.full and download.target < state.catalog_version:
                raise PageError(f"中心清单版本 {download.target} 低于本机版本 {state.catalog_version}")
        elif (meta["id"], meta["full"], catalog.header.catalog_version) != (
                download.feed_id, download.full, download.target):
            raise PageError(f"清单第 {number} 页与前面各页不属于同一次下发")
        raw_items = page.data.get("items") or []
        for item, raw in zip(catalog.items, raw_items, strict=True):
            if item.code in seen:
                raise PageError(f"清单第 {number} 页：事项 {item.code} 在多页中重复出现")
            seen.add(item.code)
            download.items.append(item)
            download.positions.append(_position(raw))
            download.derived.append(_derived(raw))
        download.deleted.extend(catalog.deleted)
        download.pages += 1
        download.bytes += page.size
        if progress:
            progress("download", len(download.items) + len(download.deleted), max(meta["total"], 1))
        if meta.get("next") is None:
            if "bundles" in page.data:
                download.bundles = catalog.bundles
            download.item_count = meta["item_count"]
            return download
        if download.pages >= MAX_PAGES:
            raise PageError("清单页数过多，已停止下载")
        params = {"cursor": meta["next"], "page_size": page_size}


def _apply(store: Store, download: _Download, progress: Progress | None) -> tuple[int, int]:
    if progress:
        progress("apply", 0, len(download.items))
    def apply(session: Session) -> Any:  # on the database worker in the window (Store.write)
        result = apply_changes(
            session, download.items, positions=download.positions, derived=download.derived,
            deleted=download.deleted,
            bundles=download.bundles, header=download.header, full=download.full)
        if result.item_count != download.item_count:
            raise _CountMismatch(f"本机 {result.item_count} 项，中心 {download.item_count} 项")
        record_feed(session, download.feed_id, download.target)
        return result

    result = store.write(apply)
    if progress:
        progress("apply", len(download.items), len(download.items))
    return result.upserted, result.deleted


def pull_catalog(store: Store, client: CentralClient, *, page_size: int = DEFAULT_PAGE_SIZE,
                 progress: Progress | None = None) -> PullResult:
    """Bring the local catalog to the central's version. Raises CentralError (nothing applied)."""
    with store.session() as session:
        state = read_feed_state(session)
    result = PullResult(version_before=state.catalog_version, version_after=state.catalog_version)
    for _attempt in range(3):
        try:
            download = _download(client, state, page_size, progress)
        except CentralRejected as exc:
            if exc.status == 409:  # published again while paging: start over
                result.notes.append("清单在下载过程中更新，已重新下载")
                continue
            raise
        if download is None:
            result.unchanged = True
            return result
        if download.full and download.target == 0 and not download.items:
            result.unchanged = True  # nothing published yet: keep the catalog the window has
            result.notes.append("中心尚未发布事项清单，本机清单保持不变")
            return result
        try:
            upserted, deleted = _apply(store, download, progress)
        except CatalogFormatError as exc:
            raise PageError(f"清单内容前后矛盾，未应用：{exc}") from exc
        except _CountMismatch as exc:
            result.notes.append(f"事项数核对不符（{exc}），改为完整下载")
            state = FeedState(catalog_version=state.catalog_version, feed_id=None, incremental=False)
            continue
        result.full, result.version_after = download.full, download.target
        result.upserted, result.deleted = upserted, deleted
        result.pages, result.bytes = download.pages, download.bytes
        return result
    raise PageError("多次尝试后仍无法得到一致的事项清单，本机清单保持不变")
