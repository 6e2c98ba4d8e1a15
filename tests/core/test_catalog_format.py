"""The catalog spec v1 reader: what follows the spec loads, what breaks it is named precisely."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from hallclient.core.catalog import ItemState, MaterialSource, Necessity
from hallclient.core.catalog_format import (
    CatalogFormatError,
    dump_catalog,
    load_catalog_file,
    parse_catalog,
)
from tests.conftest import small_catalog

FOOD = "11411500MB1234567X-001"


def test_small_catalog_loads_with_defaults_applied() -> None:
    catalog = parse_catalog(small_catalog())
    assert catalog.header.catalog_version == 7
    items = catalog.item_map()
    food = items[FOOD]
    assert food.promised_limit_days == 5 and food.tolerance_allowed
    assert food.materials[3].key == "floor_plan" and food.materials[3].supplement_days == 3
    assert food.materials[0].necessity is Necessity.REQUIRED  # default
    assert food.materials[1].source is MaterialSource.E_LICENSE
    assert items["11411500MB1234567X-020"].state is ItemState.SUSPENDED
    assert items["11411500MB1234567X-010"].is_immediate
    assert catalog.bundles[0].items == (FOOD, "11411500MB1234567X-010")


def test_unknown_keys_are_ignored() -> None:
    data = small_catalog()
    data["future_field"] = {"x": 1}
    data["items"][0]["new_thing"] = True
    data["items"][0]["materials"][0]["hint"] = "later"
    assert parse_catalog(data).item_map()[FOOD].materials[0].name == "食品经营许可申请书"


def test_dump_then_parse_is_lossless() -> None:
    catalog = parse_catalog(small_catalog())
    again = parse_catalog(json.loads(dump_catalog(catalog)))
    assert again == catalog


def _item(data: dict[str, Any]) -> dict[str, Any]:
    return data["items"][0]


def _material(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(m for m in _item(data)["materials"] if m["key"] == key)


Mutation = Callable[[dict[str, Any]], None]

BREAKAGES: list[tuple[str, Mutation, str]] = [
    ("wrong format", lambda d: d.update(format="other"), "field 'format'"),
    ("newer format version", lambda d: d.update(format_version=2), "format_version"),
    ("catalog version missing", lambda d: d.pop("catalog_version"), "field 'catalog_version': is required"),
    ("items not a list", lambda d: d.update(items={}), "field 'items': must be a list"),
    ("code missing", lambda d: _item(d).pop("code"), "item #1: field 'code': is required"),
    ("code too long", lambda d: _item(d).update(code="X" * 65), "field 'code': must be at most 64"),
    ("duplicate code", lambda d: d["items"][1].update(code=FOOD), f"item {FOOD}: field 'code': appears twice"),
    ("empty name", lambda d: _item(d).update(name="  "), f"item {FOOD}: field 'name': must not be empty"),
    ("unknown type", lambda d: _item(d).update(item_type="行政审批"), f"item {FOOD}: field 'item_type': must be one of"),
    ("department missing", lambda d: _item(d).pop("department"), f"item {FOOD}: field 'department': is required"),
    ("negative limit", lambda d: _item(d).update(promised_limit_days=-1), "field 'promised_limit_days': must be ≥ 0"),
    ("limit as text", lambda d: _item(d).update(legal_limit_days="20"), "field 'legal_limit_days': must be an integer"),
    ("flag as text", lambda d: _item(d).update(tolerance_allowed="yes"), "field 'tolerance_allowed': must be true or false"),
    ("bad state", lambda d: _item(d).update(state="deleted"), "field 'state': must be one of active, suspended, cancelled"),
    ("version zero", lambda d: _item(d).update(version=0), "field 'version': must be ≥ 1"),
    ("version missing", lambda d: _item(d).pop("version"), f"item {FOOD}: field 'version': is required"),
    ("materials missing", lambda d: _item(d).pop("materials"), f"item {FOOD}: field 'materials': is required"),
    ("material key missing", lambda d: _item(d)["materials"][0].pop("key"), f"item {FOOD}: material #1: field 'key': is required"),
    ("duplicate key", lambda d: _material(d, "floor_plan").update(key="id_card"), f"item {FOOD}: material 'id_card': key appears twice"),
    ("core tolerable", lambda d: _material(d, "id_card").update(tolerable=True),
     f"item {FOOD}: material 'id_card': core material cannot be tolerable"),
    ("supplement on non-tolerable", lambda d: _material(d, "id_card").update(supplement_days=3),
     f"item {FOOD}: material 'id_card': field 'supplement_days': only a tolerable material"),
    ("supplement zero", lambda d: _material(d, "floor_plan").update(supplement_days=0), "field 'supplement_days': must be ≥ 1"),
    ("bad necessity", lambda d: _material(d, "id_card").update(necessity="must"), "material 'id_card': field 'necessity'"),
    ("bad source", lambda d: _material(d, "id_card").update(source="cloud"), "material 'id_card': field 'source'"),
    ("bundle of one", lambda d: d["bundles"][0].update(items=[FOOD]), "bundle YJS-001: field 'items': a bundle names at least two"),
    ("bundle names unknown item", lambda d: d["bundles"][0]["items"].append("NOPE"), "bundle YJS-001: field 'items': item NOPE is not in the catalog"),
    ("deleted not codes", lambda d: d.update(deleted=[1]), "field 'deleted'"),
]


@pytest.mark.parametrize(("mutate", "expected"), [(m, e) for _, m, e in BREAKAGES], ids=[n for n, _, _ in BREAKAGES])
def test_each_rule_is_enforced_and_named(mutate: Mutation, expected: str) -> None:
    data = small_catalog()
    mutate(data)
    with pytest.raises(CatalogFormatError) as caught:
        parse_catalog(data)
    assert expected in str(caught.value)


def test_file_that_is_not_json_or_utf8(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad_json = tmp_path / "a.json"
    bad_json.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(CatalogFormatError, match="not valid JSON"):
        load_catalog_file(bad_json)
    gbk = tmp_path / "b.json"
    gbk.write_bytes('{"name": "食品经营许可证书"}'.encode("gbk") + b"\xff")
    with pytest.raises(CatalogFormatError, match="not UTF-8"):
        load_catalog_file(gbk)
    with pytest.raises(CatalogFormatError, match="cannot read"):
        load_catalog_file(tmp_path / "missing.json")
