"""`hallclient backup …` and storage failures as an operator meets them: exit 1, Chinese, no traceback."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hallclient.cli import main
from tests.store.test_integrity import fill, read_only_bind, tiny_tmpfs


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hallclient", *args], capture_output=True, text=True, timeout=120)


def assert_clean_failure(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


def test_now_list_restore_bring_a_damaged_window_back(data_dir: Path) -> None:
    d = str(data_dir)
    assert run("catalog", "search", "spjy", "--data-dir", d).returncode == 0  # seeds the sample catalog
    made = run("backup", "now", "--data-dir", d)
    assert made.returncode == 0, made.stderr
    listed = json.loads(run("backup", "list", "--json", "--data-dir", d).stdout)
    assert len(listed) == 1 and listed[0]["kind"] == "rotating" and listed[0]["path"] in made.stdout
    table = run("backup", "list", "--data-dir", d).stdout
    assert "定期备份" in table and listed[0]["path"] in table

    db = data_dir / "hallclient.db"
    db.write_bytes(b"")
    for command in (("catalog", "search", "spjy"), ("sync",), ("backup", "now")):
        done = run(*command, "--data-dir", d)
        assert_clean_failure(done, "空的", str(db), "hallclient backup restore")
    assert db.read_bytes() == b""

    restored = run("backup", "restore", listed[0]["name"], "--data-dir", d)
    assert restored.returncode == 0, restored.stderr
    assert "已从备份恢复" in restored.stdout and "已损坏的原数据库保留为" in restored.stdout
    search = run("catalog", "search", "spjy", "--data-dir", d)
    assert search.returncode == 0 and "食品经营许可" in search.stdout
    conn = sqlite3.connect(db)
    flag = conn.execute("SELECT value FROM meta WHERE key = 'restored_from'").fetchone()[0]
    conn.close()
    assert flag.startswith(f"restored_from={listed[0]['path']},at=")


def test_restore_refuses_a_file_that_is_not_a_backup(data_dir: Path, tmp_path: Path) -> None:
    d = str(data_dir)
    assert run("backup", "now", "--data-dir", d).returncode == 1  # no database yet: nothing to back up
    assert run("catalog", "search", "spjy", "--data-dir", d).returncode == 0
    before = (data_dir / "hallclient.db").read_bytes()
    junk = tmp_path / "junk.db"
    junk.write_text("这不是数据库" * 200, encoding="utf-8")
    assert_clean_failure(run("backup", "restore", str(junk), "--data-dir", d), "不是 SQLite", str(junk), "保持原样")
    missing = run("backup", "restore", "hallclient-20990101-000000.db", "--data-dir", d)
    assert missing.returncode == 2 and "备份文件不存在" in missing.stderr
    assert (data_dir / "hallclient.db").read_bytes() == before


def test_read_only_data_directory(data_dir: Path) -> None:
    assert run("catalog", "search", "spjy", "--data-dir", str(data_dir)).returncode == 0
    with read_only_bind(data_dir):
        done = run("catalog", "search", "spjy", "--data-dir", str(data_dir))
        backup = run("backup", "now", "--data-dir", str(data_dir))
    assert_clean_failure(done, "数据目录无法写入", "只读", str(data_dir))
    assert_clean_failure(backup, "只读", str(data_dir))


def test_full_disk_during_an_import_keeps_the_catalog(tmp_path: Path, catalog_file: Path) -> None:
    small = tmp_path / "small"
    with tiny_tmpfs(small, "2m"):
        d = str(small / "data")
        assert run("catalog", "import", str(catalog_file), "--data-dir", d).returncode == 0
        big = json.loads(catalog_file.read_text(encoding="utf-8"))
        template = big["items"][1]
        big["catalog_version"] = 8
        big["items"] += [dict(template, code=f"BIG-{i:05d}", name=f"大事项{i}", conditions="条件" * 400)
                         for i in range(3000)]
        big_file = tmp_path / "big.json"
        big_file.write_text(json.dumps(big, ensure_ascii=False), encoding="utf-8")
        filler = fill(small)
        filler.unlink()
        filler = small / "filler2"
        filler.write_bytes(b"\0" * 200_000)  # leaves the database room to open, not to import
        done = run("catalog", "import", str(big_file), "--data-dir", d)
        assert_clean_failure(done, "磁盘空间已满")
        assert str(small) in done.stderr
        filler.unlink()
        export = tmp_path / "export.json"
        assert run("catalog", "export", str(export), "--data-dir", d).returncode == 0
        assert json.loads(export.read_text(encoding="utf-8"))["catalog_version"] == 7


def test_locked_database(data_dir: Path, catalog_file: Path) -> None:
    d = str(data_dir)
    assert run("catalog", "search", "spjy", "--data-dir", d).returncode == 0
    other = sqlite3.connect(data_dir / "hallclient.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        done = run("catalog", "import", str(catalog_file), "--data-dir", d)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert_clean_failure(done, "锁定", str(data_dir / "hallclient.db"))


def test_an_unexpected_error_is_one_chinese_line_and_the_traceback_is_in_the_masked_log(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from hallclient.store import backup

    def broken(*_args: object, **_kwargs: object) -> list[object]:
        raise ValueError("申请人 11010519491231002X 电话 13812345678 令牌 hc_SECRETtoken123")

    monkeypatch.setattr(backup, "list_backups", broken)
    assert main(["backup", "list", "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err.strip()
    log = data_dir / "logs" / "hallclient.log"
    assert err.count("\n") == 0 and "出错了" in err and "ValueError" in err and str(log) in err
    assert "11010519491231002X" not in err
    written = log.read_text(encoding="utf-8")
    assert "Traceback" in written and "def broken" not in err and "in broken" in written
    assert "11010519491231002X" not in written and "13812345678" not in written and "SECRET" not in written
    assert "110105********002X" in written and "138****5678" in written
