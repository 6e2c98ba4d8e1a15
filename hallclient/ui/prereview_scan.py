"""A pre-review number typed or scanned at the window.

A QR scanner types like a keyboard and ends with Enter; the 预审意见单's QR code holds just the
number (YS + date + window + sequence). `ScanCatcher` watches line edits (the intake's pre-review
field, the catalog's search box, where the clerk's cursor usually is) and turns `YS…` + Enter
into `scanned(number)`; any other text goes on to the edit's own handling."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

NUMBER = re.compile(r"^\s*(YS\d{11,})\s*$", re.IGNORECASE)


def prereview_number(text: str) -> str | None:
    """The pre-review number in `text` (as typed or scanned), upper-cased; None when it is not one."""
    found = NUMBER.match(text or "")
    return found.group(1).upper() if found else None


class ScanCatcher(QObject):
    scanned = Signal(str)

    def watch(self, edit: QLineEdit) -> None:
        edit.installEventFilter(self)  # installed last, so it sees Enter before earlier filters

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (isinstance(watched, QLineEdit) and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            number = prereview_number(watched.text())
            if number:
                watched.clear()
                self.scanned.emit(number)
                return True
        return super().eventFilter(watched, event)


def install_prereview_entry(window: object) -> ScanCatcher:
    """In the main window: Ctrl+Shift+Y goes to the intake's pre-review field from any tab, and a
    number typed or scanned into the catalog's search box is taken as a pre-review too."""
    from PySide6.QtGui import QKeySequence, QShortcut

    intake = window.intake  # type: ignore[attr-defined]
    ui = window.ui  # type: ignore[attr-defined]

    def focus() -> None:
        ui.mainTabs.setCurrentWidget(intake)
        intake.focus_prereview()

    shortcut = QShortcut(QKeySequence("Ctrl+Shift+Y"), window)  # type: ignore[call-overload]
    shortcut.activated.connect(focus)
    catcher = ScanCatcher(window)  # type: ignore[arg-type]
    catcher.watch(ui.searchEdit)
    catcher.scanned.connect(intake.take_prereview)
    return catcher
