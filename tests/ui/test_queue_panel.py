"""The queue panel driven by its hotkeys against a real central on loopback (SQLite), with a
recording announcement sink: calls are announced in order, never overlapping; a recall
announces again; offline the window keeps its ticket and issues walk-in numbers, whose events
reach the central when it is back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget
from pytestqt.qtbot import QtBot

from hallclient.core.permissions import Actor, Role
from hallclient.settings import Settings
from hallclient.store import queue_repo
from hallclient.store.database import Store
from hallclient.sync.queue_client import QueueClient
from hallclient.ui.announcement_sinks import RecordingSink
from hallclient.ui.announcer import Announcer
from hallclient.ui.queue_panel import QueuePanel
from hallclient.ui.tasks import TaskRunner
from tests.central.queue_support import kiosk
from tests.central.support import Central, running_central

MARKET = "市场准入"


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[Central]:
    with running_central(f"sqlite:///{tmp_path / 'central.db'}") as running:
        yield running


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open_file(tmp_path / "window" / "hallclient.db")
    yield opened
    opened.close()


class Rig:
    def __init__(self, qtbot: QtBot, central: Central, store: Store, *, own: bool = True) -> None:
        self.qtbot = qtbot
        self.settings: Settings = central.settings(window_categories=[MARKET], clerk_name="李四",
                                                   queue_poll_seconds=1)
        self.tasks = TaskRunner()
        self.sink = RecordingSink(duration_ms=60)
        self.announcer = Announcer(self.sink, gap_ms=10)
        self.messages: list[str] = []
        clerk = Actor(login="lisi", name="李四", roles=frozenset({Role.CLERK}),
                      window_number=self.settings.window_number)  # the signed-in clerk
        self.panel = QueuePanel(self.tasks, self.settings, store, self.announcer,
                                lambda: QueueClient.from_settings(self.settings), actor=lambda: clerk)
        self.panel.message.connect(self.messages.append)
        if own:  # else the window it is put in owns (and deletes) it
            qtbot.addWidget(self.panel)

    def show(self) -> None:
        self.panel.show()
        self.qtbot.waitExposed(self.panel)
        self.panel.activateWindow()
        self.qtbot.waitUntil(lambda: self.panel.online is True, timeout=10000)

    def key(self, key: Qt.Key, widget: Any = None) -> None:
        self.qtbot.waitUntil(lambda: not self.panel.busy, timeout=10000)
        self.qtbot.keyClick(widget or self.panel, key)
        self.qtbot.waitUntil(lambda: not self.panel.busy, timeout=10000)

    def current(self) -> str | None:
        ticket = self.panel.current_ticket
        return None if ticket is None else f"{ticket.number}:{ticket.state}"

    def spoken(self) -> list[str]:
        self.qtbot.waitUntil(lambda: not self.announcer.is_busy(), timeout=10000)
        assert self.sink.overlaps == 0
        for before, after in zip(self.sink.records, self.sink.records[1:], strict=False):
            assert before.ended is not None and after.started >= before.ended
        return [r.text for r in self.sink.records]

    def close(self) -> None:
        self.panel.shutdown()
        self.tasks.wait_idle()


@pytest.fixture
def rig(qtbot: QtBot, hall: Central, store: Store) -> Iterator[Rig]:
    made = Rig(qtbot, hall, store)
    yield made
    made.close()


def test_hotkeys_call_recall_serve_no_show_pause(rig: Rig, hall: Central, qtbot: QtBot) -> None:
    kiosk(hall, category=MARKET)
    kiosk(hall, category=MARKET, green=True)
    kiosk(hall, category=MARKET)
    rig.show()
    qtbot.waitUntil(lambda: "市场准入 3" in rig.panel.ui.countsLabel.text(), timeout=10000)
    rig.key(Qt.Key.Key_F1)
    assert rig.current() == "B002:called"  # the green channel first
    rig.key(Qt.Key.Key_F2)
    assert rig.panel.current_ticket.calls == 2  # type: ignore[union-attr]
    with qtbot.waitSignal(rig.panel.service_started, timeout=10000) as started:
        rig.key(Qt.Key.Key_F4)
    assert (started.args[0].number, started.args[0].category) == ("B002", MARKET)
    assert rig.current() == "B002:serving" and "办结" in rig.panel.ui.serviceButton.text()
    rig.key(Qt.Key.Key_F4)
    assert rig.current() is None
    rig.key(Qt.Key.Key_F1)
    assert rig.current() == "B001:called"
    rig.key(Qt.Key.Key_F3)  # first call of three: back to its place
    assert rig.current() is None
    rig.key(Qt.Key.Key_F7)
    assert "恢复" in rig.panel.ui.pauseButton.text()
    rig.key(Qt.Key.Key_F1)
    assert rig.current() is None and "暂离" in rig.messages[-1]
    rig.key(Qt.Key.Key_F7)
    rig.panel.ui.numberEdit.setText("b003")
    rig.key(Qt.Key.Key_Return, rig.panel.ui.numberEdit)
    assert rig.current() == "B003:called"
    assert rig.spoken() == ["请B002号到3号窗口办理", "请B002号到3号窗口办理", "请B001号到3号窗口办理",
                            "请B003号到3号窗口办理"]
    events = [e["kind"] for e in hall.window("GET", f"/queue/tickets/{rig.panel.current_ticket.id}")  # type: ignore[union-attr]
              .json()["events"]]
    assert events == ["issued", "called"]
    board = requests.get(f"{hall.api}/queue/board", timeout=10).json()
    assert board["calls"][0]["number"] == "B003" and board["calls"][0]["window"] == "3"


def test_shortcuts_work_from_any_tab_of_the_main_window(qtbot: QtBot, hall: Central, store: Store) -> None:
    kiosk(hall, category=MARKET)
    rig = Rig(qtbot, hall, store, own=False)
    try:
        window = QMainWindow()
        qtbot.addWidget(window)
        tabs = QTabWidget()
        tabs.addTab(QLabel("受理"), "受理")
        tabs.addTab(rig.panel, "叫号")
        window.setCentralWidget(tabs)
        rig.panel.install_shortcuts(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: rig.panel.online is True, timeout=10000)
        assert tabs.currentIndex() == 0 and not rig.panel.isVisible()
        rig.key(Qt.Key.Key_F1, tabs.widget(0))
        assert rig.current() == "B001:called"
        rig.panel.transfer(category="无差别受理", front=True)
        qtbot.waitUntil(lambda: rig.current() is None, timeout=10000)
        assert hall.window("GET", "/queue/status", params={"categories": ["无差别受理"]}).json()["waiting"] == {
            "无差别受理": 1}
    finally:
        rig.close()


def test_offline_keeps_the_ticket_issues_walkins_and_drains_when_back(rig: Rig, hall: Central,
                                                                      store: Store, qtbot: QtBot) -> None:
    first = kiosk(hall, category=MARKET)
    rig.show()
    rig.key(Qt.Key.Key_F1)
    assert rig.current() == "B001:called"
    hall.stop()
    qtbot.waitUntil(lambda: rig.panel.online is False, timeout=10000)
    assert rig.panel.ui.connectionLabel.text() == "离线" and rig.panel.ui.walkinButton.isVisible()
    assert rig.current() == "B001:called"  # the window keeps serving its ticket
    with qtbot.waitSignal(rig.panel.service_started, timeout=10000):
        rig.key(Qt.Key.Key_F4)
    rig.key(Qt.Key.Key_F4)
    assert rig.current() is None
    qtbot.mouseClick(rig.panel.ui.walkinButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not rig.panel.busy and rig.messages[-1] == "已发本窗口号 W3-001", timeout=10000)
    rig.key(Qt.Key.Key_F1)
    assert rig.current() == "W3-001:called"
    rig.key(Qt.Key.Key_F4)
    rig.key(Qt.Key.Key_F4)
    assert rig.current() is None
    with store.session() as session:
        assert queue_repo.pending_queue_records(session) == 6  # 2 on B001, the walk-in and 3 on it

    hall.start()
    qtbot.waitUntil(lambda: rig.panel.online is True, timeout=15000)

    def drained() -> bool:
        with store.session() as session:
            return queue_repo.pending_queue_records(session) == 0

    qtbot.waitUntil(drained, timeout=15000)
    b001 = hall.window("GET", f"/queue/tickets/{first['id']}").json()
    assert b001["state"] == "done"
    assert [(e["kind"], e["data"].get("offline")) for e in b001["events"]][-2:] == [
        ("started", True), ("finished", True)]
    board = requests.get(f"{hall.api}/queue/board", timeout=10).json()
    assert [c["number"] for c in board["calls"]] == ["W3-001", "B001"]
    assert rig.spoken() == ["请B001号到3号窗口办理", "请W3-001号到3号窗口办理"]
