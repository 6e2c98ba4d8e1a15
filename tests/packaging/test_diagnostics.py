"""诊断信息: one ZIP with logs, versions and settings, and nothing secret or personal."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from hallclient.cli import main
from hallclient.diagnostics import export_diagnostics
from hallclient.settings import Settings
from hallclient.workspace import Workspace

TOKEN = "hc_3_supersecret-window-token"
ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"


def _window(data_dir: Path) -> None:
    workspace = Workspace(data_dir)
    workspace.seed_if_empty()
    workspace.settings.central_url = "https://admin:pw123@central.hall.lan:8765"
    workspace.settings.central_token = TOKEN
    workspace.settings.clerk_name = "李四"
    workspace.settings.last_login = "lisi"
    workspace.save_settings()
    workspace.close()
    logs = data_dir / "logs"
    logs.mkdir(exist_ok=True)
    # A line written before masking existed (or by hand): the export masks it again.
    (logs / "hallclient.log.1").write_text(
        f"2026-11-30 INFO old case for {ID_NUMBER} phone {PHONE} Bearer {TOKEN}\n", encoding="utf-8")


def test_zip_holds_versions_settings_database_summary_and_masked_logs(data_dir: Path, tmp_path: Path) -> None:
    _window(data_dir)
    out = tmp_path / "诊断信息.zip"
    report = export_diagnostics(data_dir, out)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert names == report.members
        assert {"README.txt", "versions.json", "settings.json", "database.json", "environment.json",
                "logs/hallclient.log.1"} <= set(names)
        everything = "\n".join(archive.read(name).decode("utf-8") for name in names)
        settings = json.loads(archive.read("settings.json"))
        versions = json.loads(archive.read("versions.json"))
        database = json.loads(archive.read("database.json"))
    for secret in (TOKEN, "supersecret", ID_NUMBER, PHONE, "李四", "lisi", "pw123"):
        assert secret not in everything, secret
    assert settings["central_token"] == "（已隐去：已设置）"
    assert settings["central_url"] == "https://central.hall.lan:8765"
    assert settings["window_number"] == Settings().window_number
    assert versions["hallclient"] and versions["qt"].startswith("6.")
    assert database["exists"] and sum(database["rows"].values()) > 0  # counts only, never rows
    assert database["schema_version"] is not None
    assert "110105********002X" in everything  # masked, still recognisable as an ID for support


def test_cli_writes_the_zip_and_lists_it(data_dir: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _window(data_dir)
    out = tmp_path / "diag.zip"
    assert main(["diagnostics", str(out), "--data-dir", str(data_dir)]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "settings.json" in printed
    assert zipfile.is_zipfile(out)


def test_an_empty_data_dir_still_exports(tmp_path: Path) -> None:
    out = tmp_path / "diag.zip"
    export_diagnostics(tmp_path / "nothing-here", out)
    with zipfile.ZipFile(out) as archive:
        assert json.loads(archive.read("database.json")) == {"exists": False}


def test_help_menu_exports_the_zip(data_dir: Path, tmp_path: Path, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    from hallclient.ui.main_window import MainWindow
    from tests.ui.conftest import add_people, sign_in

    workspace = Workspace(data_dir)
    add_people(workspace, ("admin", "lisi"))
    out = tmp_path / "from-menu.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(out), "ZIP 文件 (*.zip)"))
    window = MainWindow(workspace, sign_in(workspace, "lisi"))
    qtbot.addWidget(window)
    action = next(a for a in window.ui.menuHelp.actions() if a.text() == "诊断信息…")
    action.trigger()
    qtbot.waitUntil(out.exists, timeout=10000)
    qtbot.waitUntil(lambda: "诊断信息已导出" in window.statusBar().currentMessage(), timeout=5000)
    assert zipfile.is_zipfile(out)
    window.tasks.wait_idle()
    workspace.close()
