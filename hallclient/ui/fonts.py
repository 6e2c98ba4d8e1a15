"""Register the shipped CJK font with Qt so Chinese renders the same on every machine."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from hallclient.paths import resource_path

UI_FONT_FILE = "wqy-microhei.ttc"
_families: list[str] = []


def register_fonts() -> list[str]:
    """Add the shipped fonts once; returns the families Qt now knows from them."""
    if not _families:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", UI_FONT_FILE)))
        if font_id >= 0:
            _families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return list(_families)


def apply_ui_font(app: QApplication, point_size: int = 11) -> None:
    families = register_fonts()
    if families:
        font = QFont(families[0], point_size)
        app.setFont(font)
