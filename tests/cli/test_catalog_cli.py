"""`hallclient catalog …` as an operator meets it: exit codes, messages, --data-dir anywhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hallclient.cli import main
from tests.conftest import small_catalog, write_catalog


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hallclient", *args], capture_output=True, text=True, timeout=120)


def test_import_prints_changes_and_data_dir_goes_after_arguments(catalog_file: Path, data_dir: Path) -> None:
    done = run("catalog", "import", str(catalog_file), "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    assert "6 added, 0 updated, 0 removed" in done.stdout
    assert "added: 11411500MB1234567X-001" in done.stdout
    assert (data_dir / "hallclient.db").exists()


def test_data_dir_before_the_command_too(catalog_file: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_dir), "catalog", "import", str(catalog_file)]) == 0
    assert main(["catalog", "--data-dir", str(data_dir), "search", "spjy", "--json"]) == 0
    out = capsys.readouterr().out
    hits = json.loads(out[out.index("["):])
    assert [h["code"] for h in hits] == ["11411500MB1234567X-001", "11411500MB1234567X-002"]
    assert hits[0]["name"] == "食品经营许可（新办）"


def test_spec_violation_exits_2_names_item_and_field_and_keeps_catalog(
    catalog_file: Path, data_dir: Path, tmp_path: Path
) -> None:
    assert run("catalog", "import", str(catalog_file), "--data-dir", str(data_dir)).returncode == 0
    bad = small_catalog()
    bad["catalog_version"] = 8
    bad["items"][0]["materials"][2]["tolerable"] = True  # id_card is core
    bad_file = write_catalog(tmp_path / "bad.json", bad)
    done = run("catalog", "import", str(bad_file), "--data-dir", str(data_dir))
    assert done.returncode == 2
    assert "item 11411500MB1234567X-001: material 'id_card': core material cannot be tolerable" in done.stderr
    export = tmp_path / "export.json"
    assert run("catalog", "export", str(export), "--data-dir", str(data_dir)).returncode == 0
    assert json.loads(export.read_text(encoding="utf-8"))["catalog_version"] == 7


def test_import_export_import_is_lossless(catalog_file: Path, data_dir: Path, tmp_path: Path) -> None:
    assert main(["catalog", "import", str(catalog_file), "--data-dir", str(data_dir)]) == 0
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    assert main(["catalog", "export", str(first), "--data-dir", str(data_dir)]) == 0
    other = tmp_path / "other"
    assert main(["catalog", "import", str(first), "--data-dir", str(other)]) == 0
    assert main(["catalog", "export", str(second), "--data-dir", str(other)]) == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert [i["code"] for i in exported["items"]] == [i["code"] for i in small_catalog()["items"]]


def test_search_table_marks_suspended_and_hides_cancelled(catalog_file: Path, data_dir: Path) -> None:
    assert run("catalog", "import", str(catalog_file), "--data-dir", str(data_dir)).returncode == 0
    done = run("catalog", "search", "食品", "--data-dir", str(data_dir))
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0].startswith("11411500MB1234567X-001\t食品经营许可（新办）")
    assert any("食品小作坊登记  [暂停]" in line for line in lines)
    assert "食品摊贩登记" not in done.stdout


def test_missing_file_is_a_clear_error(data_dir: Path) -> None:
    done = run("catalog", "import", "/nonexistent/catalog.json", "--data-dir", str(data_dir))
    assert done.returncode == 2
    assert "cannot read /nonexistent/catalog.json" in done.stderr


@pytest.mark.parametrize("args", [[], ["catalog"], ["catalog", "import"], ["catalog", "search"]])
def test_every_command_answers_help(args: list[str]) -> None:
    done = run(*args, "--help")
    assert done.returncode == 0
    assert "--data-dir" in done.stdout
