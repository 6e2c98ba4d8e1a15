"""Where things live: shipped resources (package data, or inside a PyInstaller bundle) and the
user's data.

This is the one module that knows about frozen builds. Resources are package data of
`hallclient` (the folder `hallclient/resources/`): a checkout, an editable install, a plain
`pip install .` and a wheel all find them through `importlib.resources`; the PyInstaller bundle
carries the same folder at `<bundle>/_internal/hallclient/resources` (`sys._MEIPASS`).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

APP_NAME = "hallclient"


def is_frozen() -> bool:
    """True inside the PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False) and getattr(sys, "_MEIPASS", None))


@cache
def resources_root() -> Path:
    """The `resources/` folder as a real directory on disk (fonts and sounds are opened by path)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "hallclient" / "resources"
    from importlib.resources import files

    root = files("hallclient").joinpath("resources")
    if isinstance(root, Path):
        return root
    # Installed as a zip (not a layout hallclient ships): unpack once for the process's life.
    import atexit
    from contextlib import ExitStack
    from importlib.resources import as_file

    stack = ExitStack()
    atexit.register(stack.close)
    return Path(stack.enter_context(as_file(root)))


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)


def default_data_dir() -> Path:
    """The per-user data directory (platformdirs), imported lazily to keep start-up light."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def sample_catalog_path() -> Path:
    return resource_path("catalog", "sample-catalog.json")


def qt_translations_dirs() -> list[Path]:
    """Folders that may hold Qt's own `qtbase_zh_CN.qm`: Qt's configured path, then the wheel's."""
    found: list[Path] = []
    try:
        from PySide6.QtCore import QLibraryInfo

        found.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)))
    except ImportError:  # pragma: no cover - the window always has PySide6
        return found
    import PySide6

    found.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    found.append(resource_path("translations"))
    return list(dict.fromkeys(found))
