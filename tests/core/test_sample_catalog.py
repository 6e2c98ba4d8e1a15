"""The shipped sample catalog is what issue #2 promises a hall: valid, broad, realistic."""

from __future__ import annotations

from collections import Counter

from hallclient.core.catalog import ItemState, MaterialSource, Necessity
from hallclient.core.catalog_format import load_catalog_file
from hallclient.core.checklist import build_checklist
from hallclient.paths import sample_catalog_path

CATALOG = load_catalog_file(sample_catalog_path())
ITEMS = CATALOG.item_map()


def test_breadth() -> None:
    assert len(CATALOG.items) >= 60
    categories = Counter(i.window_category for i in CATALOG.items)
    assert set(categories) == {"无差别受理", "市场准入", "建设工程", "不动产登记", "社会事务"}
    assert len({i.item_type for i in CATALOG.items}) >= 6
    assert len(CATALOG.bundles) >= 3


def test_features_a_clerk_meets() -> None:
    materials = [m for i in CATALOG.items for m in i.materials]
    assert any(m.core for m in materials)
    assert any(m.tolerable and m.supplement_days for m in materials)
    assert any(m.commitment for m in materials)
    assert any(m.source is MaterialSource.E_LICENSE for m in materials)
    assert any(m.necessity is Necessity.CONDITIONAL and m.note for m in materials)
    assert any(i.is_immediate for i in CATALOG.items)
    assert any(i.on_site_approval for i in CATALOG.items)
    states = Counter(i.state for i in CATALOG.items)
    assert states[ItemState.SUSPENDED] >= 1 and states[ItemState.CANCELLED] >= 1
    assert len(ITEMS["4115000100017-001"].materials) == 12


def test_tolerated_periods_fit_the_promise() -> None:
    for item in CATALOG.items:
        for m in item.materials:
            if m.tolerable:
                assert item.tolerance_allowed, item.code
                if m.supplement_days and item.promised_limit_days is not None:
                    assert m.supplement_days <= item.promised_limit_days, (item.code, m.key)


def test_bundles_merge_shared_materials_once() -> None:
    restaurant = next(b for b in CATALOG.bundles if b.name == "开办餐饮店一件事")
    rows = build_checklist([ITEMS[c] for c in restaurant.items])
    keys = [r.material.key for r in rows]
    assert len(keys) == len(set(keys))
    lease = next(r for r in rows if r.material.key == "lease_contract")
    assert len(lease.item_codes) == 3
    assert not lease.commitment_allowed  # only one of the three allows a commitment
