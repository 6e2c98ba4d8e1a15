"""Where things live: shipped resources (checkout or PyInstaller bundle) and the user's data."""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "hallclient"


def resources_root() -> Path:
    """The `resources/` folder, in a checkout or inside a frozen bundle (sys._MEIPASS)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)


def default_data_dir() -> Path:
    """The per-user data directory (platformdirs), imported lazily to keep start-up light."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def sample_catalog_path() -> Path:
    return resource_path("catalog", "sample-catalog.json")
