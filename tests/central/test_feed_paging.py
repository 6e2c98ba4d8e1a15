"""The feed's pages on the wire: gzip when the window asks for it (and only then), the next
cursor in a header, keyset paging by (version, code), counts carried in the cursor."""

from __future__ import annotations

import base64
import gzip
import http.client
import json
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from sqlalchemy import select

from hallclient.central import feed, routes_catalog
from hallclient.central.routes_catalog import FEED_NEXT_HEADER, _coding_for
from hallclient.sync import client as sync_client
from tests.central.support import Central
from tests.conftest import small_catalog


def big_catalog(items: int = 40) -> dict[str, Any]:
    data = small_catalog()
    template = data["items"][0]
    data["items"] = [dict(template, code=f"CODE-{n:04d}", name=f"食品经营许可（新办）第{n}号") for n in range(items)]
    data["bundles"] = []
    return data


def raw_get(central: Central, params: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """GET /catalog/changes with exactly these headers (http.client adds no Accept-Encoding)."""
    conn = http.client.HTTPConnection("127.0.0.1", central.port, timeout=30)
    try:
        conn.request("GET", "/api/v1/catalog/changes?" + urlencode(params),
                     headers={"Authorization": f"Bearer {central.window_token}", **headers})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_gzip_when_asked_the_same_page_as_without(central: Central) -> None:
    central.publish(big_catalog())
    status, plain_headers, plain = raw_get(central, {"page_size": 30}, {})  # an older client: no Accept-Encoding
    assert status == 200 and "content-encoding" not in plain_headers
    status, headers, body = raw_get(central, {"page_size": 30}, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert json.loads(gzip.decompress(body)) == json.loads(plain)
    assert len(body) < len(plain) / 3
    assert headers["etag"] == "W/" + plain_headers["etag"]  # the same state, another representation
    # requests (the window) asks for gzip (and zstd, with backports.zstd) by itself and undoes it
    response = central.window("GET", "/catalog/changes", params={"page_size": 30})
    assert response.headers["Content-Encoding"] in ("gzip", "zstd") and response.json() == json.loads(plain)


# Accept-Encoding -> (coding of a central with zstd, coding of a central without it)
NEGOTIATION = {
    "gzip, deflate": ("gzip", "gzip"), "deflate, gzip;q=0.5": ("gzip", "gzip"), "GZIP": ("gzip", "gzip"),
    "x-gzip": ("gzip", "gzip"), "gzip,deflate,zstd": ("zstd", "gzip"), "zstd;q=0.5, gzip": ("gzip", "gzip"),
    "zstd;q=0, *": ("gzip", "gzip"), "*": ("zstd", "gzip"), "br, *;q=0.1": ("zstd", "gzip"),
    "gzip;q=0, *": ("zstd", None), "zstd": ("zstd", None), "identity": (None, None), "gzip;q=0": (None, None),
    "*;q=0": (None, None), "br": (None, None), "gzip;q=nonsense": (None, None), "": (None, None),
}


@pytest.mark.parametrize("accept", list(NEGOTIATION))
def test_accept_encoding_is_read_as_http_says(accept: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with_zstd, without = NEGOTIATION[accept]
    monkeypatch.setattr(routes_catalog, "zstd", object())
    assert _coding_for(accept) == with_zstd
    monkeypatch.setattr(routes_catalog, "zstd", None)
    assert _coding_for(accept) == without
    assert _coding_for(None) is None


def test_zstd_when_both_have_it(central: Central) -> None:
    zstd = pytest.importorskip("backports.zstd") if routes_catalog.zstd is None else routes_catalog.zstd
    central.publish(big_catalog())
    _status, plain_headers, plain = raw_get(central, {"page_size": 30}, {})
    status, headers, body = raw_get(central, {"page_size": 30}, {"Accept-Encoding": "gzip, zstd"})
    assert status == 200 and headers["content-encoding"] == "zstd"
    assert json.loads(zstd.decompress(body)) == json.loads(plain)


def test_a_small_page_goes_as_it_is(central: Central) -> None:
    central.publish(small_catalog())
    fid = central.window("GET", "/catalog").json()["feed_id"]
    tiny = central.window("GET", "/catalog/changes", params={"since": 7, "feed": fid},
                          headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in tiny.headers and tiny.json()["items"] == []


def test_the_next_cursor_comes_in_a_header_too(central: Central) -> None:
    central.publish(big_catalog())
    assert sync_client.FEED_NEXT_HEADER == FEED_NEXT_HEADER
    params: dict[str, Any] = {"page_size": 7}
    seen: list[str] = []
    while True:
        response = central.window("GET", "/catalog/changes", params=params)
        page = response.json()
        assert response.headers.get(FEED_NEXT_HEADER) == page["feed"]["next"]
        seen += [item["code"] for item in page["items"]]
        assert (page["feed"]["total"], page["feed"]["item_count"]) == (40, 40)
        if page["feed"]["next"] is None:
            break
        params = {"cursor": page["feed"]["next"], "page_size": 7}
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 40


def test_keyset_paging_through_several_versions(central: Central) -> None:
    data = big_catalog(25)
    central.publish(data)
    for round_ in range(3):  # items change at versions 8, 9, 10: the feed's order is (version, code)
        data["catalog_version"] = 8 + round_
        for item in data["items"][round_::4]:
            item["fee"] = f"收费{round_}"
        central.publish(data)
    fid = central.window("GET", "/catalog").json()["feed_id"]
    with central.store.session() as session:
        rows = session.execute(select(feed.FEED.c.version, feed.FEED.c.code).where(feed.FEED.c.version > 7)
                               .order_by(feed.FEED.c.version, feed.FEED.c.code)).all()
    expected = [(version, code) for version, code in rows]
    versions = {code: version for version, code in rows}
    assert len({version for version, _ in expected}) == 3
    got: list[tuple[int, str]] = []
    params: dict[str, Any] = {"since": 7, "feed": fid, "page_size": 2}
    while True:
        page = central.window("GET", "/catalog/changes", params=params).json()
        assert page["feed"]["total"] == len(expected) and not page["feed"]["full"]
        got += [(versions[item["code"]], item["code"]) for item in page["items"]]
        if page["feed"]["next"] is None:
            break
        params = {"cursor": page["feed"]["next"], "page_size": 2}
    assert got == expected


def test_a_cursor_of_an_older_central_still_pages(central: Central) -> None:
    central.publish(big_catalog())
    first = central.window("GET", "/catalog/changes", params={"page_size": 10}).json()
    target, full, since, version, code = feed.decode_cursor(first["feed"]["next"])
    old = feed.encode_cursor(target, full, since, version, code)  # five values, no counts
    assert len(json.loads(base64.urlsafe_b64decode(old + "=" * (-len(old) % 4)))) == 5
    page = central.window("GET", "/catalog/changes", params={"cursor": old, "page_size": 10}).json()
    assert page["items"][0]["code"] == "CODE-0010" and page["feed"]["total"] == 40
    assert feed.decode_cursor_counts(page["feed"]["next"])[5] == (40, 40)
    for bad in ([1, 0, 0, 1, "x", -1, 2], [1, 0, 0, 1, "x", 5], "x"):
        raw = base64.urlsafe_b64encode(json.dumps(bad).encode()).decode().rstrip("=")
        with pytest.raises(feed.BadCursor):
            feed.decode_cursor_counts(raw)


def test_requests_decodes_what_it_asked_for() -> None:
    assert "gzip" in requests.utils.default_headers()["Accept-Encoding"]
