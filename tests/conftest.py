"""Shared test fixtures: an offscreen Qt, temporary data dirs, a small catalog in spec v1."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# Timing is measured in bench/, never asserted: no per-example deadline (CI machines are slow).
settings.register_profile("hallclient", deadline=None)
settings.load_profile("hallclient")

# Without a display Qt aborts; every test runs offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# speechd with no audio device can hang; the mock engine has no Mandarin voice, so "auto" uses the clips.
os.environ.setdefault("HALLCLIENT_TTS_ENGINE", "mock")
# Argon2id with a cheap cost (the real parameters are measured in bench/bench_security.py).
os.environ.setdefault("HALLCLIENT_TEST_FAST_HASH", "1")
# Keys of the test databases go to one temporary folder, never the user's config directory.
if "HALLCLIENT_KEY_DIR" not in os.environ:
    import tempfile

    os.environ["HALLCLIENT_KEY_DIR"] = tempfile.mkdtemp(prefix="hallclient-test-keys-")

SMALL_CATALOG: dict[str, Any] = {
    "format": "hallclient-catalog",
    "format_version": 1,
    "authority": "信阳高新区行政审批局",
    "catalog_version": 7,
    "generated_at": "2026-11-20T09:30:00+08:00",
    "items": [
        {
            "code": "11411500MB1234567X-001",
            "basic_code": "XK00017-001",
            "name": "食品经营许可（新办）",
            "item_type": "行政许可",
            "department": "信阳高新区市场监督管理局",
            "window_category": "市场准入",
            "legal_limit_days": 20,
            "promised_limit_days": 5,
            "tolerance_allowed": True,
            "commitment_allowed": True,
            "fee": "不收费",
            "conditions": "有与经营的食品品种、数量相适应的经营场所",
            "basis": "《中华人民共和国食品安全法》第三十五条",
            "visits": 1,
            "version": 2,
            "materials": [
                {"key": "application_form", "name": "食品经营许可申请书", "core": True, "form": "原件", "copies": 1},
                {"key": "business_license", "name": "营业执照", "core": True, "source": "e_license", "form": "复印件"},
                {"key": "id_card", "name": "法定代表人身份证", "core": True, "source": "e_license"},
                {"key": "floor_plan", "name": "经营场所平面布局图", "tolerable": True, "supplement_days": 3},
                {"key": "food_safety_rules", "name": "食品安全管理制度", "commitment": True},
                {"key": "power_of_attorney", "name": "授权委托书", "necessity": "conditional", "note": "委托代理人办理的"},
            ],
        },
        {
            "code": "11411500MB1234567X-002",
            "name": "食品经营许可（变更）",
            "item_type": "行政许可",
            "department": "信阳高新区市场监督管理局",
            "window_category": "市场准入",
            "legal_limit_days": 20,
            "promised_limit_days": 3,
            "version": 1,
            "materials": [{"key": "application_form", "name": "变更申请书", "core": True}],
        },
        {
            "code": "11411500MB1234567X-010",
            "name": "公共场所卫生许可（新办）",
            "item_type": "行政许可",
            "department": "信阳高新区卫生健康委员会",
            "window_category": "市场准入",
            "promised_limit_days": 0,
            "on_site_approval": True,
            "tolerance_allowed": True,
            "version": 1,
            "materials": [
                {"key": "id_card", "name": "居民身份证", "core": True, "source": "e_license"},
                {"key": "floor_plan", "name": "平面布局图", "tolerable": True},
                {"key": "health_certificates", "name": "从业人员健康证明", "copies": 2},
            ],
        },
        {
            "code": "11411500MB1234567X-020",
            "name": "食品小作坊登记",
            "item_type": "行政备案",
            "department": "信阳高新区市场监督管理局",
            "state": "suspended",
            "version": 1,
            "materials": [],
        },
        {
            "code": "11411500MB1234567X-030",
            "name": "食品摊贩登记",
            "item_type": "行政备案",
            "department": "信阳高新区市场监督管理局",
            "state": "cancelled",
            "version": 1,
            "materials": [],
        },
        {
            "code": "3741150000101-001",
            "name": "不动产首次登记",
            "item_type": "行政确认",
            "department": "信阳高新区不动产登记中心",
            "window_category": "不动产登记",
            "legal_limit_days": 30,
            "promised_limit_days": 5,
            "fee": "住宅类每件80元",
            "version": 1,
            "materials": [{"key": "property_certificate", "name": "不动产权属来源证明", "core": True}],
        },
    ],
    "bundles": [
        {"code": "YJS-001", "name": "开办餐饮店一件事",
         "items": ["11411500MB1234567X-001", "11411500MB1234567X-010"]},
    ],
    "deleted": [],
}


def small_catalog() -> dict[str, Any]:
    return copy.deepcopy(SMALL_CATALOG)


def write_catalog(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def catalog_file(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "catalog.json", small_catalog())


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


# --- CI: a service that .ci/run could not install or start fails the run -----------------------
# Outside CI these tests skip with their reason; under CI=true the same skip is a failure, so a
# broken PostgreSQL, Chromium, CUPS or Xvfb set-up cannot leave CI green with its tests unrun.
CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")
SERVICE_SKIPS = {
    "PostgreSQL": ("HALLCLIENT_TEST_PG_URL not set",),
    "Chromium": ("no Chromium installed", "playwright not installed"),
    "CUPS": ("CUPS: no virtual PDF printer",),
    "Xvfb": ("Xvfb is not installed", "Xvfb did not start"),
}
SLOW_ENABLED = CI or os.environ.get("HALLCLIENT_SLOW_TESTS", "") not in ("", "0")


def service_of_skip(reason: str) -> str | None:
    for service, markers in SERVICE_SKIPS.items():
        if any(marker in reason for marker in markers):
            return service
    return None


def _skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def _fail_service_skip(report: pytest.TestReport | pytest.CollectReport) -> None:
    if not (CI and report.skipped):
        return
    reason = _skip_reason(report)
    service = service_of_skip(reason)
    if service is not None:
        report.outcome = "failed"
        report.longrepr = f"CI=true: {service} is required in CI but its test was skipped: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    _fail_service_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):  # type: ignore[no-untyped-def]
    outcome = yield
    _fail_service_skip(outcome.get_result())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if SLOW_ENABLED:
        return
    skip = pytest.mark.skip(reason="slow (builds the bundle or a fresh venv): runs under CI=true "
                                   "or HALLCLIENT_SLOW_TESTS=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
