"""`hallclient check` and `hallclient calendar`: the decision from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hallclient.cli import main

FOOD = "11411500MB1234567X-001"
COMPLETE = ["--received", "application_form,floor_plan,food_safety_rules",
            "--e-license", "business_license,id_card", "--not-applicable", "power_of_attorney"]


@pytest.fixture
def dd(catalog_file: Path, data_dir: Path) -> str:
    assert main(["catalog", "import", str(catalog_file), "--data-dir", str(data_dir)]) == 0
    return str(data_dir)


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    assert main(["check", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_accept_with_due_date_over_national_day(dd: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = check_json(capsys, "--item", FOOD, *COMPLETE, "--date", "2026-09-28", "--data-dir", dd)
    assert out["decision"] == "accept"
    assert out["due_date"] == "2026-10-10"  # 5 working days; the make-up Saturday counts
    assert out["missing"] == [] and out["tolerated"] == []


def test_tolerance_and_commitment(dd: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = check_json(capsys, "--item", FOOD, "--received", "application_form",
                     "--e-license", "business_license,id_card", "--tolerated", "floor_plan",
                     "--commitment", "food_safety_rules", "--not-applicable", "power_of_attorney",
                     "--date", "2026-09-28", "--data-dir", dd)
    assert out["decision"] == "accept_with_tolerance"
    assert out["tolerated"] == [{"key": "floor_plan", "supplement_by": "2026-10-08"}]
    assert out["commitments"] == ["food_safety_rules"]


def test_bad_credit_turns_tolerance_into_a_notice(dd: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = check_json(capsys, "--item", FOOD, "--received", "application_form,food_safety_rules",
                     "--e-license", "business_license,id_card", "--tolerated", "floor_plan",
                     "--not-applicable", "power_of_attorney", "--bad-credit", "--data-dir", dd)
    assert out["decision"] == "one_time_notice"
    assert out["missing"] == ["floor_plan"]


def test_no_status_means_missing_and_defective_reasons(dd: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = check_json(capsys, "--item", FOOD, "--defective", "application_form=未签字", "--data-dir", dd)
    assert out["decision"] == "one_time_notice"
    assert out["defective"] == ["application_form"]
    assert out["missing"] == ["business_license", "id_card", "floor_plan", "food_safety_rules", "power_of_attorney"]
    assert any("未签字" in r for r in out["reasons"])


def test_suspended_item_is_refused(dd: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = check_json(capsys, "--item", "11411500MB1234567X-020", "--data-dir", dd)
    assert out["decision"] == "refuse"


def test_bundle_merges(dd: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = check_json(capsys, "--bundle", "YJS-001", *COMPLETE, "--received", "application_form,floor_plan,food_safety_rules,health_certificates",
                     "--date", "2026-09-28", "--data-dir", dd)
    assert out["decision"] == "accept"


def test_unknown_item_or_key_exits_2(dd: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--item", "NOPE", "--data-dir", dd]) == 2
    assert "unknown item: NOPE" in capsys.readouterr().err
    assert main(["check", "--item", FOOD, "--received", "passport", "--data-dir", dd]) == 2
    err = capsys.readouterr().err
    assert "unknown material key" in err and "passport" in err


def test_year_end_deadline_waits_for_the_next_calendar(dd: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = check_json(capsys, "--item", FOOD, *COMPLETE, "--date", "2026-12-28", "--data-dir", dd)
    assert out["decision"] == "accept" and out["due_date"] is None
    capsys.readouterr()
    assert main(["check", "--item", FOOD, *COMPLETE, "--date", "2026-12-28", "--data-dir", dd]) == 0
    assert "2027 年的节假日安排尚未载入" in capsys.readouterr().out
    year = tmp_path / "2027.json"
    year.write_text(json.dumps({"year": 2027, "holidays": ["2027-01-01"], "workdays": []}), encoding="utf-8")
    assert main(["calendar", "load", str(year), "--data-dir", dd]) == 0
    out = check_json(capsys, "--item", FOOD, *COMPLETE, "--date", "2026-12-28", "--data-dir", dd)
    assert out["due_date"] == "2027-01-05"  # 29, 30, 31, (1 Jan off), 4, 5


def test_a_bad_year_file_is_refused(dd: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    year = tmp_path / "2027.json"
    year.write_text(json.dumps({"year": 2027, "holidays": ["2028-01-01"], "workdays": []}), encoding="utf-8")
    assert main(["calendar", "load", str(year), "--data-dir", dd]) == 2
    assert "2028-01-01" in capsys.readouterr().err
