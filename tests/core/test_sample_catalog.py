"""The shipped sample catalog is what issue #2 promises a hall: valid, broad, realistic; and
what issue #15 asks of it: a catalog a Henan district-hall clerk would recognise line by line."""

from __future__ import annotations

import re
from collections import Counter

from hallclient.core.catalog import ItemState, ItemType, MaterialSource, Necessity
from hallclient.core.catalog_format import load_catalog_file
from hallclient.core.checklist import MaterialStatus, build_checklist, default_mark
from hallclient.paths import sample_catalog_path

CATALOG = load_catalog_file(sample_catalog_path())
ITEMS = CATALOG.item_map()
FOOD_NEW = "4115000100017-001"
# 信阳's window categories; 无差别受理 is a way of running windows (and a queue line), never an item's category.
CATEGORIES = {"市场准入", "建设工程", "不动产登记", "社会事务"}
# The sample's code scheme (resources/catalog/README.md): 411500 + type digits + the basic code's main item.
TYPE_DIGITS = {ItemType.LICENSING: "01", ItemType.PAYMENT: "05", ItemType.CONFIRMATION: "07",
               ItemType.REWARD: "08", ItemType.ADJUDICATION: "09", ItemType.OTHER_POWER: "10",
               ItemType.FILING: "11", ItemType.PUBLIC_SERVICE: "20"}
TYPE_LETTERS = {ItemType.LICENSING: "XK", ItemType.PAYMENT: "JF", ItemType.CONFIRMATION: "QR",
                ItemType.REWARD: "JL", ItemType.ADJUDICATION: "CJ", ItemType.OTHER_POWER: "QT",
                ItemType.FILING: "BA", ItemType.PUBLIC_SERVICE: "GG"}


def test_breadth() -> None:
    assert len(CATALOG.items) >= 60
    categories = Counter(i.window_category for i in CATALOG.items)
    assert set(categories) == CATEGORIES
    assert {i.item_type for i in CATALOG.items} == set(ItemType)
    assert len(CATALOG.bundles) >= 3


def test_features_a_clerk_meets() -> None:
    materials = [m for i in CATALOG.items for m in i.materials]
    assert any(m.core for m in materials)
    assert any(m.tolerable and m.supplement_days for m in materials)
    assert any(m.commitment for m in materials)
    assert any(m.source is MaterialSource.E_LICENSE for m in materials)
    assert any(m.necessity is Necessity.CONDITIONAL and m.note for m in materials)
    assert sum(i.is_immediate for i in CATALOG.items) >= 10
    assert sum(i.on_site_approval for i in CATALOG.items) >= 10
    states = Counter(i.state for i in CATALOG.items)
    assert states[ItemState.SUSPENDED] == 2 and states[ItemState.CANCELLED] == 1


def test_food_permit_materials_are_the_2023_national_list() -> None:
    """食品经营许可和备案管理办法 (市场监管总局令第78号) art. 13: four materials, the automatic-device
    materials where they apply, and an agent's authorisation; nothing the list does not name."""
    food = ITEMS[FOOD_NEW]
    assert food.name == "食品经营许可（新办）" and food.legal_limit_days == 10
    assert [m.key for m in food.materials] == [
        "application_form", "business_license", "food_layout", "food_safety_rules", "vending_devices", "power_of_attorney"]
    names = [m.name for m in food.materials]
    assert names[0] == "食品经营许可申请书"
    assert "规章制度目录清单" in names[3]
    assert not any(word in "".join(names) for word in ("健康证明", "居民身份证", "租赁", "平面布局图"))
    required = [m.key for m in food.materials if m.necessity is Necessity.REQUIRED]
    assert required == ["application_form", "business_license", "food_layout", "food_safety_rules"]
    assert all(m.basis and "第78号" in m.basis for m in food.materials[:5])


def test_no_item_the_comprehensive_window_does_not_take() -> None:
    names = " ".join(i.name for i in CATALOG.items)
    assert "出生医学证明" not in names  # issued by the hospital
    assert "结婚登记" not in names  # at the marriage registry, both parties present
    for name in ("个体工商户设立登记", "道路货物运输经营许可（新办）", "建筑工程施工许可证核发",
                 "二手房转移登记（存量房买卖）", "城乡居民基本养老保险参保登记"):
        assert any(i.name == name for i in CATALOG.items), name


def test_every_item_names_its_guide_and_back_office() -> None:
    for item in CATALOG.items:
        assert item.guide and ("参照" in item.guide or item.state is ItemState.CANCELLED), item.code
        assert item.back_office, item.code


def test_acceptance_standards_are_written_per_material() -> None:
    standards = Counter(m.standard for i in CATALOG.items for m in i.materials)
    assert None not in standards and "" not in standards
    shared = {text: n for text, n in standards.items() if n > 3}
    assert shared == {}


def test_one_code_scheme() -> None:
    for item in CATALOG.items:
        assert item.basic_code is not None
        assert re.fullmatch(r"[A-Z]{2}\d{5}-\d{3}", item.basic_code), item.code
        assert item.basic_code[:2] == TYPE_LETTERS[item.item_type], item.code
        assert re.fullmatch(r"411500\d{7}-\d{3}", item.code), item.code
        assert item.code[6:8] == TYPE_DIGITS[item.item_type], item.code
        assert item.code[8:13] == item.basic_code[2:7], item.code
    assert all(re.fullmatch(r"YJS-411500-\d{3}", b.code) for b in CATALOG.bundles)


def test_tolerance_and_commitment_only_where_a_rule_allows() -> None:
    for item in CATALOG.items:
        for m in item.materials:
            assert not (m.core and (m.tolerable or m.commitment)), (item.code, m.key)
            assert not m.tolerable or item.tolerance_allowed, (item.code, m.key)
            assert not m.commitment or item.commitment_allowed, (item.code, m.key)
            if m.commitment:
                assert m.basis, (item.code, m.key)  # the 告知承诺书 prints the rule it relies on
        # The flags are not left on an item that has nothing to tolerate or to replace.
        assert item.tolerance_allowed == any(m.tolerable for m in item.materials), item.code
        assert item.commitment_allowed == any(m.commitment for m in item.materials), item.code
    transfers = [i for i in CATALOG.items if "转移登记" in i.name]
    assert transfers
    for item in transfers:
        marriage = [m for m in item.materials if m.key == "marriage_certificate"]
        assert all(not m.tolerable and not m.commitment for m in marriage), item.code
    first = [i for i in CATALOG.items if "首次登记" in i.name and "抵押" not in i.name]
    assert first
    for item in first:
        receipt = next(m for m in item.materials if m.key == "land_fee_receipt")
        assert not receipt.tolerable and not receipt.commitment, item.code
    # Real-estate registration decides ownership: no tolerance and no commitment there at all.
    assert not any(i.tolerance_allowed or i.commitment_allowed for i in CATALOG.items if i.window_category == "不动产登记")


def test_tolerated_periods_fit_the_promise() -> None:
    for item in CATALOG.items:
        for m in item.materials:
            if m.tolerable:
                assert item.tolerance_allowed, item.code
                if m.supplement_days and item.promised_limit_days is not None:
                    assert m.supplement_days <= item.promised_limit_days, (item.code, m.key)


def test_social_organisation_limit_as_the_regulation_states() -> None:
    item = next(i for i in CATALOG.items if i.name == "社会团体成立登记")
    assert item.legal_limit_days is None  # 60 calendar days is no number of working days
    assert item.limit_note and "60日" in item.limit_note and "第十二条" in item.limit_note
    assert item.promised_limit_days is not None and item.promised_limit_days <= 20


def test_bundles_merge_shared_materials_once() -> None:
    restaurant = next(b for b in CATALOG.bundles if b.name == "开办餐饮店一件事")
    rows = build_checklist([ITEMS[c] for c in restaurant.items])
    keys = [r.material.key for r in rows]
    assert len(keys) == len(set(keys))
    lease = next(r for r in rows if r.material.key == "lease_contract")
    assert len(lease.item_codes) == 2
    assert not lease.commitment_allowed  # only 个体工商户设立登记 allows a commitment for it


def test_bundles_mark_what_they_produce() -> None:
    """A material another item of the bundle issues is 本套办理中产生, not asked of the applicant."""
    produced = {
        "开办餐饮店一件事": "business_license", "企业开办一件事": "business_license",
        "开办美容美发店一件事": "business_license", "新生儿出生一件事": "household_register",
        "二手房转移及抵押登记一件事": "property_certificate", "残疾人服务一件事": "disability_certificate",
    }
    for bundle in CATALOG.bundles:
        rows = build_checklist([ITEMS[c] for c in bundle.items])
        row = next(r for r in rows if r.material.key == produced[bundle.name])
        assert row.produced_by in bundle.items, bundle.name
        assert default_mark(row).status is MaterialStatus.PRODUCED, bundle.name
    # Outside a bundle the same material is an ordinary one.
    alone = build_checklist([ITEMS[FOOD_NEW]])
    assert next(r for r in alone if r.material.key == "business_license").produced_by is None
