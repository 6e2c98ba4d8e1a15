"""Routes: health, the catalog version, the change feed (ETag/304), publishing a catalog."""

from __future__ import annotations

import gzip
import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request, Response
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from hallclient.central import feed
from hallclient.central.app import AdminDep, PrincipalDep, SessionDep
from hallclient.central.catalog_schema import CATALOG_V1_SCHEMA, FEED_PAGE_SCHEMA
from hallclient.central.schemas import CatalogVersion, ErrorOut, Health, PublishOut
from hallclient.core.catalog_format import (
    FORMAT_VERSION,
    CatalogFormatError,
    CatalogNotAnObject,
    CatalogNotJSON,
    decode_catalog,
    doc_to_catalog,
    parse_catalog,
)
from hallclient.store.catalog_repo import ITEMS

public = APIRouter()  # no token
router = APIRouter()


@public.get("/health", response_model=Health, tags=["health"], summary="Is the service up (no token needed)")
def health(request: Request, session: SessionDep) -> Health:
    return Health(status="ok", catalog_version=feed.current_version(session),
                  database=session.get_bind().dialect.name)


def _matches(if_none_match: str | None, tag: str) -> bool:
    if not if_none_match:
        return False
    return any(part.strip().removeprefix("W/") == tag for part in if_none_match.split(","))


@router.get("/catalog", response_model=CatalogVersion, tags=["catalog"],
            responses={304: {"description": "the window already has this version"}},
            summary="The current catalog version")
def catalog_version(request: Request, response: Response, session: SessionDep, _who: PrincipalDep,
                    if_none_match: Annotated[str | None, Header(max_length=200)] = None) -> Any:
    feed_id = request.app.state.feed_id
    version = feed.current_version(session)
    tag = feed.etag(feed_id, version)
    if _matches(if_none_match, tag):
        return Response(status_code=304, headers={"ETag": tag})
    response.headers["ETag"] = tag
    count = session.execute(select(func.count()).select_from(ITEMS)).scalar_one()
    return CatalogVersion(feed_id=feed_id, catalog_version=version, format_version=FORMAT_VERSION,
                          item_count=count)


@router.get(
    "/catalog/changes", tags=["catalog"],
    summary="Changes since a version, in pages (a catalog-v1 document each)",
    description="Items ordered by (version, code). Follow `feed.next` until it is null; "
                "`catalog_version` is the version reached after applying all pages. "
                "`feed.full` = true: replace the whole catalog (first sync, another feed, "
                "another format version, or tombstones pruned). Send `If-None-Match` with the "
                "ETag of the state you have to get 304 when nothing changed. The next page's "
                "cursor also comes in the X-Feed-Next header (ask for it before parsing this "
                "page). Pages are compressed (zstd or gzip) only when Accept-Encoding asks.",
    responses={200: {"content": {"application/json": {"schema": FEED_PAGE_SCHEMA}},
                      "description": "one page"},
               304: {"description": "nothing changed since the ETag sent"},
               400: {"model": ErrorOut, "description": "invalid cursor"},
               409: {"model": ErrorOut, "description": "the catalog changed while paging: start over"}},
)
def catalog_changes(
    request: Request, session: SessionDep, _who: PrincipalDep,
    since: Annotated[int, Query(ge=0, le=2**53, description="the window's catalog version")] = 0,
    feed_id: Annotated[str | None, Query(alias="feed", max_length=64, pattern=r"^[0-9a-f-]{1,64}$",
                                         description="the feed id the window's catalog came from")] = None,
    format_version: Annotated[int, Query(ge=1, le=1000)] = FORMAT_VERSION,
    cursor: Annotated[str | None, Query(max_length=400, pattern=r"^[A-Za-z0-9_-]+$")] = None,
    page_size: Annotated[int, Query(ge=1, le=feed.MAX_PAGE_SIZE)] = feed.DEFAULT_PAGE_SIZE,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
    accept_encoding: Annotated[str | None, Header(max_length=400)] = None,
) -> Response:
    own_feed = request.app.state.feed_id
    tag = feed.etag(own_feed, feed.current_version(session))
    if cursor is None and _matches(if_none_match, tag):
        return Response(status_code=304, headers={"ETag": tag, "Vary": "Accept-Encoding"})
    page_request = feed.FeedRequest(since=since, feed_id=feed_id, format_version=format_version,
                                    cursor=cursor, page_size=page_size)
    try:
        page = feed.render_page(session, own_feed, page_request)
    except feed.BadCursor as exc:
        raise HTTPException(400, str(exc)) from None
    except feed.FeedMoved:
        raise HTTPException(409, "事项清单在下载过程中已更新，请重新同步") from None
    body = page.body
    headers = {"ETag": tag, "Vary": "Accept-Encoding"}
    if page.next_cursor is not None:
        headers[FEED_NEXT_HEADER] = page.next_cursor
    coding = _coding_for(accept_encoding) if len(body) >= COMPRESS_MIN_BYTES else None
    if coding is not None:
        body = zstd.compress(body, level=ZSTD_LEVEL) if coding == "zstd" and zstd else \
            gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        headers["Content-Encoding"] = coding
        headers["ETag"] = f"W/{tag}"  # the same page, another representation of it
    return Response(content=body, media_type="application/json", headers=headers)


# A feed page is compressed when the window asks for it (Accept-Encoding; requests always asks
# for gzip, and for zstd too where urllib3 can undo it, i.e. with backports.zstd before Python
# 3.14): 1.5 MB of item documents become ~150 KB with gzip at level 1 in ~10 ms, ~110 KB with
# zstd at level 3 in ~3 ms. A client that does not ask (an older or another one) gets the page
# as it is.
FEED_NEXT_HEADER = "X-Feed-Next"  # the next page's cursor, so a window asks before parsing this one
COMPRESS_MIN_BYTES = 1024
GZIP_LEVEL = 1
ZSTD_LEVEL = 3

try:
    from compression import zstd  # type: ignore[import-not-found,unused-ignore]  # Python 3.14
except ImportError:
    try:
        from backports import zstd  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:
        zstd = None


def _coding_for(accept_encoding: str | None) -> str | None:
    """The coding to send a page in, as Accept-Encoding allows (RFC 9110 12.5.3: q=0 refuses,
    "*" stands for any coding not named, x-gzip for gzip): the one weighted highest of zstd
    (when this central has it) and gzip, zstd on a tie; None: the page as it is."""
    weights = _weights(accept_encoding)
    star = weights.get("*", 0.0)
    gzip_weight = weights.get("gzip", weights.get("x-gzip", star))
    zstd_weight = weights.get("zstd", star) if zstd is not None else 0.0
    if max(gzip_weight, zstd_weight) <= 0:
        return None
    return "zstd" if zstd_weight >= gzip_weight else "gzip"


def _weights(accept_encoding: str | None) -> dict[str, float]:
    weights: dict[str, float] = {}
    for part in (accept_encoding or "").split(","):
        coding, _, params = part.strip().partition(";")
        if not coding.strip():
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[coding.strip().lower()] = weight
    return weights


@router.put(
    "/catalog", response_model=PublishOut, tags=["catalog"], summary="Publish a catalog file (admin)",
    description="Makes the catalog-v1 document the current catalog. Only items whose content "
                "changed get the new version; removed items leave tombstones.",
    responses={403: {"model": ErrorOut, "description": "not an administrator"}},
    openapi_extra={"requestBody": {"required": True,
                                   "content": {"application/json": {"schema": CATALOG_V1_SCHEMA}}}},
)
async def publish_catalog(request: Request, _admin: AdminDep) -> PublishOut:
    """The body is read here, as a stream, after the administrator's token was checked (so the
    larger publish limit, HttpLimits.max_publish_bytes, is only ever spent on an administrator);
    parsing and publishing run in the thread pool, in phases that never hold the hall's write
    lock for long (hallclient.central.publish)."""
    from hallclient.central.http_limits import BodyTooLarge, body_limit_for

    limit = body_limit_for(request.scope, request.app.state.http)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(limit)
        chunks.append(chunk)
    return await run_in_threadpool(_publish_body, request.app.state.store, b"".join(chunks))


def _catalog_of_other_encodings(body: bytes) -> Any:
    """A body decode_catalog refused as not UTF-8 JSON, read as json.loads reads bytes (a UTF-8
    byte-order mark, UTF-16, UTF-32), as this route always accepted; CatalogNotJSON if not JSON."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise CatalogNotJSON(json.JSONDecodeError(str(error), "", 0)) from None
    if not isinstance(document, dict):
        raise CatalogNotAnObject(f"catalog: expected an object, got {type(document).__name__}")
    return parse_catalog(document)


def _publish_body(store: Any, body: bytes) -> PublishOut:
    from hallclient.central.publish import PublishBusy, publish_catalog

    # decoded and checked by msgspec (what parse_catalog(json.loads(body)) accepts, refused in the
    # same words, in a tenth of its time); equal materials are one object, which publish uses
    try:
        try:
            catalog = doc_to_catalog(decode_catalog(body))
        except CatalogNotJSON:
            catalog = _catalog_of_other_encodings(body)
    except (CatalogNotJSON, RecursionError):
        raise HTTPException(422, "请求内容不是有效的 JSON") from None
    except CatalogNotAnObject:
        raise HTTPException(422, "事项清单应为 JSON 对象，中心清单未改变") from None
    except CatalogFormatError as exc:
        raise HTTPException(422, f"事项清单不符合格式，中心清单未改变：{exc}") from None
    try:
        result, times = publish_catalog(store, catalog)
    except (CatalogFormatError, RecursionError) as exc:
        raise HTTPException(422, f"事项清单不符合格式，中心清单未改变：{exc}") from None
    except PublishBusy as exc:
        raise HTTPException(409, str(exc)) from None
    return PublishOut(**result.to_json(), write_lock_seconds=round(times.write_lock_seconds, 4))
