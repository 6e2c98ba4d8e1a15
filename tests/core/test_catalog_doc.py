"""decode_catalog (msgspec) accepts, refuses and words exactly as parse_catalog does, and its
checked documents carry the same catalog."""

from __future__ import annotations

import copy
import json
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hallclient.core import catalog_format
from hallclient.core.catalog_format import (
    CatalogFormatError,
    CatalogNotAnObject,
    CatalogNotJSON,
    catalog_to_doc,
    decode_catalog,
    doc_to_catalog,
    item_doc_json,
    item_to_json,
    parse_catalog,
    read_catalog_file,
)
from hallclient.paths import sample_catalog_path
from tests.conftest import small_catalog
from tests.core.test_catalog_format import BREAKAGES, Mutation


def encoded(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def outcome_of_reference(data: Any, partial: bool) -> tuple[str, Any]:
    try:
        return "ok", parse_catalog(data, partial=partial)
    except CatalogFormatError as error:
        return "refused", str(error)


def outcome_of_fast(raw: bytes, partial: bool) -> tuple[str, Any]:
    try:
        return "ok", doc_to_catalog(decode_catalog(raw, partial=partial))
    except CatalogFormatError as error:
        return "refused", str(error)


def test_a_valid_catalog_decodes_to_the_same_catalog() -> None:
    data = small_catalog()
    doc = decode_catalog(encoded(data))
    assert doc_to_catalog(doc) == parse_catalog(data)
    assert catalog_to_doc(parse_catalog(data)) == doc
    assert doc.header == parse_catalog(data).header


def test_items_decoded_one_by_one_make_the_document_one_call_makes() -> None:
    """decode_catalog decodes the items one at a time (other threads run between them): the same
    checked document as one msgspec call over the whole text, defaults and bundles included,
    and a document the one call refuses is refused too."""
    data = small_catalog()
    data["bundles"] = [{"code": "B1", "name": "开办企业一件事", "items": [data["items"][0]["code"]]}]
    data["deleted"] = ["GONE-1"]
    for document in (data, {k: v for k, v in data.items() if k not in ("bundles", "deleted", "authority")}):
        raw = encoded(document)
        assert catalog_format._decode_by_items(raw) == catalog_format._DECODER.decode(raw)
    broken = copy.deepcopy(data)
    broken["items"][-1]["materials"][0]["copies"] = "两份"
    for decode in (catalog_format._decode_by_items, catalog_format._DECODER.decode):
        with pytest.raises(msgspec.ValidationError):
            decode(encoded(broken))


def test_a_long_document_is_decoded_item_by_item_and_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    data = small_catalog()
    short = decode_catalog(encoded(data))
    by_items: list[bytes] = []
    decode = catalog_format._decode_by_items
    monkeypatch.setattr(catalog_format, "_decode_by_items", lambda raw: by_items.append(raw) or decode(raw))
    monkeypatch.setattr(catalog_format, "BY_ITEMS_ABOVE", len(encoded(data)) - 1)
    assert decode_catalog(encoded(data)) == short and by_items == [encoded(data)]
    broken = copy.deepcopy(data)
    broken["items"][0]["name"] = ""
    with pytest.raises(CatalogFormatError) as refused:  # in parse_catalog's words, as a short one
        decode_catalog(encoded(broken))
    monkeypatch.setattr(catalog_format, "BY_ITEMS_ABOVE", 10**9)
    with pytest.raises(CatalogFormatError) as refused_short:
        decode_catalog(encoded(broken))
    assert str(refused.value) == str(refused_short.value)


def test_the_sample_catalog_reads_the_same_both_ways() -> None:
    path = sample_catalog_path()
    assert doc_to_catalog(read_catalog_file(path)) == parse_catalog(json.loads(path.read_text(encoding="utf-8")))


def test_equal_materials_are_one_object_and_different_ones_stay_apart() -> None:
    data = small_catalog()
    first, second = data["items"][0], data["items"][1]
    second["materials"] = [dict(first["materials"][0]), dict(first["materials"][0], key="copy_of_first", note="另附说明")]
    catalog = doc_to_catalog(decode_catalog(encoded(data)))
    assert catalog == parse_catalog(data)
    same, noted = catalog.items[1].materials
    assert same is catalog.items[0].materials[0] and noted is not same and noted.note == "另附说明"
    everywhere = [m for item in catalog.items for m in item.materials]
    assert len({id(m) for m in everywhere}) == len(set(everywhere))  # one object per distinct material


def test_item_doc_json_is_item_to_json() -> None:
    for data in (small_catalog(), json.loads(sample_catalog_path().read_text(encoding="utf-8"))):
        doc = decode_catalog(encoded(data))
        for item_doc, item in zip(doc.items, parse_catalog(data).items, strict=True):
            assert item_doc_json(item_doc) == item_to_json(item)


@pytest.mark.parametrize(("mutate", "expected"), [(m, e) for _, m, e in BREAKAGES], ids=[n for n, _, _ in BREAKAGES])
def test_each_rule_is_enforced_and_named_the_same(mutate: Mutation, expected: str) -> None:
    data = small_catalog()
    mutate(data)
    with pytest.raises(CatalogFormatError) as reference:
        parse_catalog(data)
    with pytest.raises(CatalogFormatError) as fast:
        decode_catalog(encoded(data))
    assert str(fast.value) == str(reference.value) and expected in str(fast.value)


def test_nulls_meaning_defaults_are_read_as_parse_catalog_reads_them() -> None:
    data = small_catalog()
    data["items"][0]["on_site_approval"] = None  # msgspec refuses a null bool: parse_catalog decides
    data["items"][0]["materials"][0]["necessity"] = None
    data["bundles"] = None
    assert outcome_of_fast(encoded(data), False) == outcome_of_reference(data, False)
    assert outcome_of_fast(encoded(data), False)[0] == "ok"


def test_what_only_python_json_reads_still_reads() -> None:
    data = small_catalog()
    data["items"][0]["name"] = "食品\ud800经营"  # a lone surrogate: json reads it, msgspec does not
    raw = json.dumps(data, ensure_ascii=True).encode()
    assert outcome_of_fast(raw, False) == outcome_of_reference(json.loads(raw), False)
    nan = encoded(small_catalog())[:-1] + b', "extra": NaN}'  # an unknown key with NaN in it
    assert outcome_of_fast(nan, False) == outcome_of_reference(json.loads(nan), False) != ("refused", "")


def test_not_json_not_utf8_not_an_object() -> None:
    with pytest.raises(CatalogNotJSON):
        decode_catalog(b'{"format": ')
    with pytest.raises(CatalogNotJSON):
        decode_catalog('{"name": "食品经营许可证书"}'.encode("gbk") + b"\xff")
    with pytest.raises(CatalogNotAnObject, match="catalog: expected an object, got list"):
        decode_catalog(b"[1, 2]")


def test_duplicate_keys_mean_the_last_one_as_in_json() -> None:
    raw = encoded(small_catalog()).replace(b'"name": "', b'"name": "x", "name": "', 1)
    assert outcome_of_fast(raw, False) == outcome_of_reference(json.loads(raw), False)


# -- any document: the same verdict, the same words --------------------------------------------

VALUES = st.sampled_from([
    None, "", " ", "\u3000", "x", "X" * 64, "X" * 65, "名" * 200, "名" * 201, "😀" * 200, "😀" * 201,
    -1, 0, 1, 2, 2**63, 1.0, 1.5, True, False, [], ["a"], ["a", "a"], {}, {"k": 1},
    "required", "conditional", "optional", "must", "applicant", "e_license", "cloud",
    "active", "suspended", "deleted", "行政许可", "公共服务", "行政审批",
    "hallclient-catalog", "11411500MB1234567X-001", "11411500MB1234567X-010", "3741150000101-001",
    "id_card", "floor_plan",
])
ITEM_FIELDS = ["code", "basic_code", "name", "item_type", "department", "window_category", "legal_limit_days",
               "promised_limit_days", "on_site_approval", "tolerance_allowed", "commitment_allowed", "fee",
               "conditions", "basis", "visits", "state", "version", "back_office", "guide", "limit_note",
               "materials", "unknown"]
MATERIAL_FIELDS = ["key", "name", "necessity", "core", "form", "copies", "source", "tolerable", "supplement_days",
                   "commitment", "standard", "note", "basis", "produced_by", "unknown"]
TOP_FIELDS = ["format", "format_version", "authority", "catalog_version", "generated_at", "items", "bundles",
              "deleted", "feed"]


@st.composite
def mutated_catalog(draw: st.DrawFn) -> dict[str, Any]:
    data = small_catalog()
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(["top", "item", "material", "bundle", "drop"]))
        value = copy.deepcopy(draw(VALUES))
        items = data.get("items") if isinstance(data.get("items"), list) else []
        if where == "top":
            data[draw(st.sampled_from(TOP_FIELDS))] = value
        elif where == "item" and items and isinstance(items[0], dict):
            item = items[draw(st.integers(0, len(items) - 1))]
            if isinstance(item, dict):
                item[draw(st.sampled_from(ITEM_FIELDS))] = value
        elif where == "material" and items:
            item = items[draw(st.integers(0, len(items) - 1))]
            materials = item.get("materials") if isinstance(item, dict) else None
            if isinstance(materials, list) and materials and isinstance(materials[0], dict):
                material = materials[draw(st.integers(0, len(materials) - 1))]
                if isinstance(material, dict):
                    material[draw(st.sampled_from(MATERIAL_FIELDS))] = value
        elif where == "bundle" and isinstance(data.get("bundles"), list) and data["bundles"]:
            bundle = data["bundles"][0]
            if isinstance(bundle, dict):
                bundle[draw(st.sampled_from(["code", "name", "items"]))] = value
        elif where == "drop" and items:
            item = items[draw(st.integers(0, len(items) - 1))]
            if isinstance(item, dict) and item:
                item.pop(draw(st.sampled_from(sorted(item))))
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_catalog(), partial=st.booleans())
def test_any_document_gets_the_same_verdict_and_words(data: dict[str, Any], partial: bool) -> None:
    reference = outcome_of_reference(data, partial)
    fast = outcome_of_fast(encoded(data), partial)
    assert fast == reference
    if reference[0] == "ok":
        doc = decode_catalog(encoded(data), partial=partial)
        for item_doc, item in zip(doc.items, reference[1].items, strict=True):
            assert item_doc_json(item_doc) == item_to_json(item)
