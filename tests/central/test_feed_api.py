"""The central's catalog feed over real HTTP: publish, versions per item, pages, tombstones, ETag."""

from __future__ import annotations

import json
from typing import Any

from hallclient.central import feed
from tests.central.support import Central
from tests.conftest import small_catalog

FOOD_NEW = "11411500MB1234567X-001"
FOOD_CHANGE = "11411500MB1234567X-002"
ESTATE = "3741150000101-001"


def changes(central: Central, **params: Any) -> dict[str, Any]:
    response = central.window("GET", "/catalog/changes", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def all_pages(central: Central, **params: Any) -> list[dict[str, Any]]:
    pages = [changes(central, **params)]
    while pages[-1]["feed"]["next"]:
        pages.append(changes(central, cursor=pages[-1]["feed"]["next"], page_size=params.get("page_size", 1000)))
    return pages


def test_health_needs_no_token_and_everything_else_does(central: Central) -> None:
    import requests

    health = requests.get(central.api + "/health", timeout=10)
    assert health.status_code == 200 and health.json()["status"] == "ok"
    for path in ("/catalog", "/catalog/changes", "/calendar", "/whoami", "/accounts"):
        bare = requests.get(central.api + path, timeout=10)
        wrong = requests.get(central.api + path, headers={"Authorization": "Bearer nope"}, timeout=10)
        assert bare.status_code == wrong.status_code == 401, path
        assert "令牌" in wrong.json()["message"]
    assert central.window("GET", "/whoami").json() == {"window_number": "3", "name": "综合窗口3", "role": "window"}


def test_publishing_bumps_only_changed_items(central: Central) -> None:
    first = central.publish(small_catalog())
    assert (first["version_before"], first["version_after"], first["added"]) == (0, 7, 6)
    again = central.publish(small_catalog())
    assert again["version_after"] == 7 and again["added"] == again["updated"] == 0

    changed = small_catalog()
    changed["catalog_version"] = 7  # not raised by the authority: the central still moves on
    changed["items"][1]["name"] = "食品经营许可（变更登记）"
    del changed["items"][5]
    result = central.publish(changed)
    assert (result["version_after"], result["updated"], result["removed"], result["added"]) == (8, 1, 1, 0)

    page = changes(central, since=7, feed=feed_id(central))
    assert page["feed"]["full"] is False and page["catalog_version"] == 8
    assert [item["code"] for item in page["items"]] == [FOOD_CHANGE]
    assert page["deleted"] == [ESTATE]
    assert page["feed"]["item_count"] == 5


def feed_id(central: Central) -> str:
    return central.window("GET", "/catalog").json()["feed_id"]


def test_pages_follow_a_cursor_and_bundles_come_last(central: Central) -> None:
    central.publish(small_catalog())
    pages = all_pages(central, page_size=2)
    assert len(pages) == 3
    assert [p["feed"]["page_items"] for p in pages] == [2, 2, 2]
    assert {p["catalog_version"] for p in pages} == {7}
    assert ["bundles" in p for p in pages] == [False, False, True]
    codes = [item["code"] for p in pages for item in p["items"]]
    assert sorted(codes) == sorted(i["code"] for i in small_catalog()["items"])
    assert all(p["feed"]["full"] for p in pages)
    positions = {item["code"]: item["position"] for p in pages for item in p["items"]}
    assert positions[FOOD_NEW] == 0 and positions[ESTATE] == 5


def test_a_publish_while_paging_makes_the_window_start_over(central: Central) -> None:
    central.publish(small_catalog())
    first = changes(central, page_size=2)
    changed = small_catalog()
    changed["items"][0]["fee"] = "收费"
    central.publish(changed)
    response = central.window("GET", "/catalog/changes", params={"cursor": first["feed"]["next"]})
    assert response.status_code == 409 and "重新同步" in response.json()["message"]


def test_etag_gives_304_until_something_changes(central: Central) -> None:
    central.publish(small_catalog())
    fid = feed_id(central)
    tag = f'"{fid}:7"'
    params = {"since": 7, "feed": fid}
    response = central.window("GET", "/catalog/changes", params=params, headers={"If-None-Match": tag})
    assert response.status_code == 304 and response.headers["ETag"] == tag
    assert central.window("GET", "/catalog", headers={"If-None-Match": tag}).status_code == 304
    changed = small_catalog()
    changed["bundles"] = []  # bundles alone are a change too
    assert central.publish(changed)["version_after"] == 8
    response = central.window("GET", "/catalog/changes", params=params, headers={"If-None-Match": tag})
    assert response.status_code == 200 and response.headers["ETag"] == f'"{fid}:8"'
    body = response.json()
    assert body["items"] == [] and body["deleted"] == [] and body["bundles"] == []


def test_full_resync_for_another_feed_another_format_or_pruned_tombstones(central: Central) -> None:
    central.publish(small_catalog())
    smaller = small_catalog()
    del smaller["items"][5]
    central.publish(smaller)  # version 8, one tombstone
    fid = feed_id(central)
    assert changes(central, since=7, feed=fid)["feed"]["full"] is False
    assert changes(central, since=7, feed="0000")["feed"]["reason"] == "feed_changed"
    assert changes(central, since=7, feed=fid, format_version=2)["feed"]["reason"] == "format_changed"
    assert changes(central, since=99, feed=fid)["feed"]["reason"] == "ahead_of_feed"
    with central.store.session() as session, session.begin():
        assert feed.prune_tombstones(session, 9) == 1
    page = changes(central, since=7, feed=fid)
    assert page["feed"]["reason"] == "tombstones_pruned" and page["deleted"] == []
    assert len(page["items"]) == 5


def test_an_invalid_catalog_is_refused_and_the_feed_is_unchanged(central: Central) -> None:
    central.publish(small_catalog())
    bad = small_catalog()
    bad["items"][2]["materials"][0]["tolerable"] = True  # a core material cannot be tolerable
    response = central.admin("PUT", "/catalog", json=bad)
    assert response.status_code == 422
    assert "11411500MB1234567X-010" in response.json()["message"]
    too_long = small_catalog()
    too_long["items"][0]["window_category"] = "市" * 40  # allowed by the spec, not by VARCHAR(32)
    response = central.admin("PUT", "/catalog", json=too_long)
    assert response.status_code == 422 and "window_category" in response.json()["message"]
    nul = small_catalog()
    nul["items"][0]["fee"] = "不收\x00费"
    assert central.admin("PUT", "/catalog", json=nul).status_code == 422
    huge = small_catalog()
    huge["items"][0]["version"] = 2**40
    assert central.admin("PUT", "/catalog", json=huge).status_code == 422
    assert central.window("GET", "/catalog").json()["catalog_version"] == 7
    assert central.window("PUT", "/catalog", json=small_catalog()).status_code == 403


def test_a_body_that_is_not_a_catalog_object_is_refused_in_words(central: Central) -> None:
    central.publish(small_catalog())
    for body, words in ((b'{"format": "hallclient-catalog", "items": [', "请求内容不是有效的 JSON"),
                        ("不是 JSON".encode("gbk"), "请求内容不是有效的 JSON"),
                        (b"[" * 100_000 + b"]" * 100_000, "请求内容不是有效的 JSON"),
                        (b'[1, 2]', "事项清单应为 JSON 对象"),
                        (b'{"format": "hallclient-catalog", "format_version": 1, "catalog_version": 8, "items": 3}',
                         "事项清单不符合格式")):
        response = central.admin("PUT", "/catalog", data=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 422 and words in response.json()["message"], (body[:40], response.text)
    assert central.window("GET", "/catalog").json()["catalog_version"] == 7


def test_a_catalog_with_a_byte_order_mark_or_in_utf16_is_published(central: Central) -> None:
    """As json.loads reads bytes: other systems' files often start with a UTF-8 byte-order mark."""
    for version, codec in ((8, "utf-8-sig"), (9, "utf-16")):
        document = dict(small_catalog(), catalog_version=version)
        document["items"][0]["fee"] = f"第{version}版收费"  # a change: a catalog as it was keeps its version
        body = json.dumps(document, ensure_ascii=False).encode(codec)
        response = central.admin("PUT", "/catalog", data=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 200, response.text
        assert central.window("GET", "/catalog").json()["catalog_version"] == version


def test_bad_feed_parameters_are_4xx(central: Central) -> None:
    for params in ({"since": -1}, {"since": "x"}, {"page_size": 0}, {"page_size": 10**6},
                   {"cursor": "not-a-cursor"}, {"cursor": "!!"}, {"feed": "Z" * 100}):
        response = central.window("GET", "/catalog/changes", params=params)
        assert 400 <= response.status_code < 500, (params, response.status_code)
        assert response.json()["message"]
