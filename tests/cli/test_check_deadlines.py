"""`hallclient check` (issue 15): the reason of an open deadline in JSON, the holiday warning."""

from __future__ import annotations

import pytest

from hallclient.cli import main
from tests.cli.test_check_cli import COMPLETE, FOOD, check_json, dd  # noqa: F401


def test_open_deadline_reason_in_json(dd: str, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    out = check_json(capsys, "--item", FOOD, *COMPLETE, "--date", "2026-12-28", "--data-dir", dd)
    assert out["decision"] == "accept" and out["due_date"] is None
    assert "2027 年的节假日安排尚未载入" in out["due_date_open_reason"]
    assert out["holiday_warning"] is None


def test_holiday_acceptance_warns(dd: str, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    out = check_json(capsys, "--item", FOOD, *COMPLETE, "--date", "2026-10-01", "--data-dir", dd)
    assert "国庆节" in out["holiday_warning"]
    capsys.readouterr()
    assert main(["check", "--item", FOOD, *COMPLETE, "--date", "2026-10-01", "--data-dir", dd]) == 0
    assert "警告：2026年10月1日是法定节假日（国庆节）" in capsys.readouterr().out
    saturday = check_json(capsys, "--item", FOOD, *COMPLETE, "--date", "2026-09-12", "--data-dir", dd)
    assert saturday["holiday_warning"] is None
