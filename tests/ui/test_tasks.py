"""The background task runner delivers results and errors on the GUI thread."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from hallclient.ui.tasks import TaskRunner


def test_result_and_error_come_back_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    gui = threading.get_ident()
    seen: list[tuple[object, int]] = []
    runner.run_db(lambda: threading.get_ident(), lambda r: seen.append((r, threading.get_ident())))
    runner.run_db(lambda: 1 / 0, lambda r: seen.append((r, threading.get_ident())))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    (worker, delivered_on), (error, error_on) = seen
    assert worker != gui and delivered_on == gui
    assert isinstance(error, ZeroDivisionError) and error_on == gui
    assert runner.pending == 0
