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


def test_network_work_writes_on_the_database_worker(qtbot) -> None:  # type: ignore[no-untyped-def]
    """call_db from the network pool runs on the database worker (one queue of writes) and
    hands back the result or the error; on the worker itself it just runs."""
    import threading

    import pytest

    from hallclient.ui.tasks import TaskRunner

    runner = TaskRunner()
    seen: dict[str, object] = {}

    def on_db() -> str:
        seen["db_thread"] = threading.current_thread().name
        seen["nested"] = runner.call_db(lambda: threading.current_thread().name)
        return "written"

    def network() -> object:
        seen["net_thread"] = threading.current_thread().name
        seen["result"] = runner.call_db(on_db)
        with pytest.raises(ValueError, match="refused"):
            runner.call_db(lambda: (_ for _ in ()).throw(ValueError("refused")))
        return "ok"

    results: list[object] = []
    runner.run_net(network, results.append)
    qtbot.waitUntil(lambda: results == ["ok"], timeout=10000)
    assert seen["result"] == "written"
    assert seen["db_thread"] != seen["net_thread"] and seen["nested"] == seen["db_thread"]
    runner.wait_idle()
