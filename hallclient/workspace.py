"""One window's workspace: its data directory, database and settings, seeded on first start."""

from __future__ import annotations

from pathlib import Path

from hallclient.core.catalog_format import load_catalog_file
from hallclient.paths import default_data_dir, sample_catalog_path
from hallclient.services.context import ServiceContext
from hallclient.settings import Settings
from hallclient.store import catalog_repo
from hallclient.store.database import DB_FILENAME, Store


class Workspace:
    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.settings = Settings.load(self.data_dir)
        _refuse_a_vanished_database(self.data_dir, self.settings)
        self.store = Store.open_file(self.data_dir / DB_FILENAME)
        # What every service works on; the settings object is shared, so a change is seen at once.
        self.services = ServiceContext(self.store, self.settings, self.data_dir)

    def seed_if_empty(self) -> bool:
        """Load the shipped sample catalog into an empty database; True when it did."""
        with self.store.session() as session:
            if catalog_repo.read_header(session) is not None:
                return False
        catalog = load_catalog_file(sample_catalog_path())
        with self.store.session() as session, session.begin():
            catalog_repo.replace_catalog(session, catalog)
        return True

    def save_settings(self) -> None:
        self.settings.save(self.data_dir)

    def close(self) -> None:
        self.store.close()


def _refuse_a_vanished_database(data_dir: Path, settings: Settings) -> None:
    """A database that is gone while its backups are still there is not a first start: a fresh
    one would number cases from 000001 again and issue official numbers twice."""
    from hallclient.store.backup import backup_dir_for, list_backups
    from hallclient.store.integrity import DatabaseDamaged

    db = data_dir / DB_FILENAME
    if db.exists():
        return
    backups = list_backups(backup_dir_for(data_dir, settings.backup_dir), data_dir)
    if backups:
        raise DatabaseDamaged(
            "vanished", db, f"数据库文件不存在，但备份目录中有 {len(backups)} 份备份（最新：{backups[0].path.name}）",
            "为免受理编号重复，本程序不会新建空数据库。请从备份恢复"
            f"（hallclient backup restore {backups[0].path.name}）；确需全新开始，请先移走备份目录。")
