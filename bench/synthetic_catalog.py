"""A synthetic catalog of realistic shape for benchmarks: 20,000 items, 200,000 materials.

Deterministic (seeded), built from real item-name fragments so pinyin and search see Chinese
as they would in a province-wide catalog.
"""

from __future__ import annotations

import random
from typing import Any

SUBJECTS = ["食品经营", "公共场所卫生", "药品零售", "医疗器械经营", "建设工程规划", "建筑工程施工",
            "排水", "户外广告设施", "道路运输经营", "危险化学品经营", "烟草专卖零售", "出版物零售",
            "娱乐场所", "养老机构", "民办学校", "人力资源服务", "劳务派遣经营", "不动产首次",
            "不动产转移", "抵押权", "最低生活保障", "残疾人证", "城乡居民养老保险", "社会保障卡",
            "出生医学证明", "个体工商户", "有限责任公司", "农民专业合作社", "消防安全检查", "特种设备使用"]
KINDS = ["许可", "登记", "备案", "审批", "核发", "确认", "申领", "办理"]
VARIANTS = ["新办", "变更", "延续", "注销", "补发", "迁移"]
TYPES = ["行政许可", "行政确认", "行政备案", "公共服务", "行政给付", "其他行政权力"]
CATEGORIES = ["无差别受理", "市场准入", "建设工程", "不动产登记", "社会事务"]
MATERIALS = [("id_card", "居民身份证"), ("business_license", "营业执照"), ("application_form", "申请书"),
             ("lease_contract", "房屋租赁合同"), ("floor_plan", "平面布局图"), ("health_certificates", "健康证明"),
             ("power_of_attorney", "授权委托书"), ("property_certificate", "不动产权证书"),
             ("household_register", "户口簿"), ("safety_rules", "安全管理制度"), ("site_photos", "场所照片"),
             ("fire_acceptance", "消防验收意见书"), ("env_approval", "环评批复"), ("equipment_list", "设备清单")]


def synthetic_catalog(items: int = 20_000, materials_per_item: int = 10, version: int = 1, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for n in range(items):
        name = f"{rng.choice(SUBJECTS)}{rng.choice(KINDS)}（{rng.choice(VARIANTS)}）第{n}号"
        promised = rng.choice([0, 3, 5, 10, 15])
        tolerance = promised > 0 and rng.random() < 0.5
        mats = []
        for k, (key, mname) in enumerate(rng.sample(MATERIALS, min(materials_per_item, len(MATERIALS)))):
            tolerable = tolerance and k > 2 and rng.random() < 0.3
            mat: dict[str, Any] = {"key": key, "name": mname, "core": k < 2, "copies": 1}
            if tolerable:
                mat.update(tolerable=True, supplement_days=max(1, min(promised, 5)))
            mats.append(mat)
        out.append({
            "code": f"114115{n:08d}X-{n % 1000:03d}", "name": name, "item_type": rng.choice(TYPES),
            "department": "信阳高新区某局", "window_category": rng.choice(CATEGORIES),
            "legal_limit_days": promised * 2 + 5, "promised_limit_days": promised,
            "tolerance_allowed": tolerance, "state": "active" if rng.random() > 0.02 else "suspended",
            "version": version, "materials": mats,
        })
    return {"format": "hallclient-catalog", "format_version": 1, "authority": "基准测试",
            "catalog_version": version, "generated_at": "2026-11-20T09:30:00+08:00", "items": out,
            "bundles": [], "deleted": []}


def fixed_queries(count: int = 200, seed: int = 11) -> list[str]:
    """A fixed mix of what clerks type: 2-char Chinese, longer Chinese, initials, full pinyin, codes."""
    rng = random.Random(seed)
    from hallclient.core.pinyin import pinyin_keys

    queries: list[str] = []
    while len(queries) < count:
        subject = rng.choice(SUBJECTS)
        initials, full = pinyin_keys(subject)
        queries.extend([subject[:2], subject, initials[:3], full[:6], f"114115{rng.randrange(20000):08d}"[:11]])
    return queries[:count]
