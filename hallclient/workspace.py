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
        self.store = Store.open_file(self.data_dir / DB_FILENAME)
        self.settings = Settings.load(self.data_dir)
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
