"""Guards the PySide6 pin: 6.12.0 on Python 3.11 leaks a None reference per void call and aborts
the process after a few thousand calls (Fatal Python error: none_dealloc). A clerk's day makes
millions of such calls."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot


def test_void_qt_calls_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    app = QApplication.instance()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("受理")
        app.processEvents()  # type: ignore[union-attr]
    assert sys.getrefcount(None) - before > -100
