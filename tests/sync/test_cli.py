"""`hallclient central …` and `hallclient sync` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests

from hallclient.cli import main
from hallclient.settings import Settings
from tests.central.support import Central, free_port
from tests.conftest import small_catalog, write_catalog

ROOT = Path(__file__).resolve().parents[2]


def test_central_admin_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'central.db'}"
    catalog = write_catalog(tmp_path / "catalog.json", small_catalog())
    assert main(["central", "add-window", "5", "--name", "综合窗口5", "--db", db]) == 0
    token = capsys.readouterr().out.strip()
    assert len(token) >= 40
    assert main(["central", "add-window", "5", "--db", db]) == 2
    assert main(["central", "add-window", "bad number!", "--db", db]) == 2
    assert main(["central", "publish", str(catalog), "--db", db]) == 0
    assert "catalog version 0 → 7: 6 added" in capsys.readouterr().out
    assert main(["central", "publish", str(catalog), "--db", db]) == 0
    assert "unchanged (version 7)" in capsys.readouterr().out
    broken = small_catalog()
    broken["items"][0]["item_type"] = "行政处罚"
    assert main(["central", "publish", str(write_catalog(tmp_path / "bad.json", broken)), "--db", db]) == 2
    assert "refused" in capsys.readouterr().err
    assert main(["central", "new-token", "5", "--db", db]) == 0
    assert capsys.readouterr().out.strip() != token
    year = tmp_path / "2027.json"
    year.write_text(json.dumps({"year": 2027, "holidays": ["2027-01-01"], "workdays": []}), encoding="utf-8")
    assert main(["central", "load-calendar", str(year), "--db", db]) == 0


def test_sync_command_exit_codes(central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    central.publish(small_catalog())
    data = tmp_path / "window"
    assert main(["sync", "--data-dir", str(data)]) == 2  # no central configured
    assert "未配置中心服务地址" in capsys.readouterr().err
    args = ["sync", "--data-dir", str(data), "--central", central.url, "--token", central.window_token, "--save"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "中心服务：在线" in out and "完整下载" in out and "更新 6 项" in out
    assert Settings.load(data).central_token == central.window_token
    assert main(["sync", "--data-dir", str(data), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["online"] and report["catalog_unchanged"]
    assert main(["sync", "--data-dir", str(data), "--central", f"http://127.0.0.1:{free_port()}"]) == 1
    assert "离线" in capsys.readouterr().out
    assert main(["sync", "--data-dir", str(data), "--token", "wrong"]) == 4  # reached, but the token refused
    assert "认证失败（令牌无效或已停用）" in capsys.readouterr().out


def test_central_serves_over_http_from_the_command_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'central.db'}"
    catalog = write_catalog(tmp_path / "catalog.json", small_catalog())
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "hallclient", "central", "--port", str(port), "--db", db, "--catalog", str(catalog),
         "--api-docs"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        health = None
        for _ in range(200):
            try:
                health = requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).json()
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        assert health == {"status": "ok", "catalog_version": 7, "database": "sqlite"}
        spec = requests.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).json()
        assert "/api/v1/catalog/changes" in spec["paths"] and "HTTPBearer" in spec["components"]["securitySchemes"]
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=15)
    assert "catalog version 0 → 7" in output


def test_sync_and_central_import_without_qt() -> None:
    script = textwrap.dedent("""
        import sys
        sys.modules["PySide6"] = None
        import hallclient.sync.round, hallclient.central.app, hallclient.cli.central_cmd, hallclient.cli.sync_cmd
        assert not any(name.startswith("PySide6") and sys.modules[name] for name in sys.modules)
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
