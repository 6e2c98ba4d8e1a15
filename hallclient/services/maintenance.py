"""What the window's UI needs of the store's maintenance (backups, integrity, the database
file's name), in one place: the UI never imports `hallclient.store` directly. A thin facade;
names are re-exported unchanged."""

from __future__ import annotations

from hallclient.store import database
from hallclient.store.backup import (
    BackupInfo,
    backup_database,
    backup_dir_for,
    list_backups,
    restore_backup,
)
from hallclient.store.database import DB_FILENAME
from hallclient.store.integrity import DatabaseDamaged, StoreProblem, translate_error

__all__ = [
    "DB_FILENAME", "BackupInfo", "DatabaseDamaged", "StoreProblem", "backup_database", "backup_dir_for",
    "database", "list_backups", "restore_backup", "translate_error",
]
