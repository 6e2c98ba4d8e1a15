"""An upgrade, as a hall does one: the new version opens the data directory of an older release,
backs its database up first, migrates it, and keeps the window's settings (unknown keys of
older or newer releases are ignored, missing ones take their defaults)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from hallclient.settings import Settings
from hallclient.store.database import DB_FILENAME, SCHEMA_VERSION
from hallclient.workspace import Workspace

FIXTURES = Path(__file__).resolve().parents[1] / "store" / "fixtures"


def _schema_version(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])


def test_an_older_release_is_backed_up_migrated_and_keeps_its_settings(data_dir: Path) -> None:
    oldest = sorted(FIXTURES.glob("schema-v*.db"))[0]
    db = data_dir / DB_FILENAME
    shutil.copyfile(oldest, db)
    old_version = _schema_version(db)
    (data_dir / "settings.json").write_text(json.dumps({
        "window_number": "7", "authority": "某某县行政审批局", "central_url": "https://10.0.0.5:8765",
        "sync_interval_seconds": 120, "a_setting_of_an_older_release": True,
    }, ensure_ascii=False), encoding="utf-8")

    workspace = Workspace(data_dir)
    try:
        assert workspace.settings.window_number == "7"
        assert workspace.settings.authority == "某某县行政审批局"
        assert workspace.settings.central_url == "https://10.0.0.5:8765"
        assert workspace.settings.sync_interval_seconds == 120
        assert workspace.settings.backup_count == Settings().backup_count  # new key: its default
        workspace.save_settings()
    finally:
        workspace.close()

    assert old_version < SCHEMA_VERSION == _schema_version(db)
    backups = list(data_dir.glob(f"{DB_FILENAME}.v{old_version}-*.bak"))
    assert len(backups) == 1 and _schema_version(backups[0]) == old_version  # the copy before migrating
    saved = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved["window_number"] == "7" and "a_setting_of_an_older_release" not in saved
