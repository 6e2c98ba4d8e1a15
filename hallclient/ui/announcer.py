"""Voice announcements of called tickets: queued, one at a time, never cut off, offline.

`Announcer` keeps a queue of texts ("请A001号到3号窗口办理") and hands them one by one to a sink
(hallclient.ui.announcement_sinks); the next starts only after the sink reported `finished`
(plus a short gap). Nothing here blocks the GUI thread.
"""

from __future__ import annotations

import logging
from collections import deque

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from hallclient.ui.announcement_sinks import AnnouncementSink

log = logging.getLogger(__name__)


class Announcer(QObject):
    """Plays announcements one at a time, in order; a recall is just another `announce`."""

    announced = Signal(str)  # an announcement starts playing (the hall board shows it now)
    idle = Signal()  # the last pending announcement has finished

    def __init__(
        self,
        sink: AnnouncementSink,
        parent: QObject | None = None,
        *,
        gap_ms: int = 300,
        max_duration_ms: int = 30_000,
    ) -> None:
        super().__init__(parent)
        self._pending: deque[str] = deque()
        self._current: str | None = None
        self._speaking_sink: AnnouncementSink | None = None
        self._connected: list[AnnouncementSink] = []
        self._gap = QTimer(self)
        self._gap.setSingleShot(True)
        self._gap.setInterval(gap_ms)
        self._gap.timeout.connect(self._start_next)
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(max_duration_ms)
        self._watchdog.timeout.connect(self._on_overrun)
        self.sink = sink

    @property
    def sink(self) -> AnnouncementSink:
        return self._sink

    @sink.setter
    def sink(self, sink: AnnouncementSink) -> None:
        """Takes over from the next announcement; the one playing ends on its own sink."""
        self._sink = sink
        if not any(s is sink for s in self._connected):
            # Queued: a sink that finishes inside speak() does not re-enter the announcer.
            sink.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
            self._connected.append(sink)

    def announce(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        self._pending.append(text)
        if self._current is None and not self._gap.isActive():
            self._start_next()

    def pending(self) -> list[str]:
        """Texts waiting to be played (not the one playing)."""
        return list(self._pending)

    def current(self) -> str | None:
        return self._current

    def is_busy(self) -> bool:
        return self._current is not None or bool(self._pending) or self._gap.isActive()

    def clear_pending(self) -> None:
        """Drop what has not started (e.g. the window pauses); the one playing is never cut."""
        self._pending.clear()

    def shutdown(self) -> None:
        """Silence everything (application exit)."""
        self._pending.clear()
        self._gap.stop()
        self._watchdog.stop()
        if self._speaking_sink is not None:
            self._speaking_sink.stop()
        self._current = self._speaking_sink = None

    @Slot()
    def _start_next(self) -> None:
        if self._current is not None or not self._pending:
            return
        self._current = self._pending.popleft()
        self._speaking_sink = self._sink
        self._watchdog.start()
        self.announced.emit(self._current)
        self._speaking_sink.speak(self._current)

    @Slot()
    def _on_finished(self) -> None:
        if self._current is None or self.sender() is not self._speaking_sink:
            return  # late or stray: an overrun sink, or a sink that was replaced
        self._end_current()

    @Slot()
    def _on_overrun(self) -> None:
        log.warning(
            "announcement %r overran %d ms: stopped", self._current, self._watchdog.interval()
        )
        if self._speaking_sink is not None:
            self._speaking_sink.stop()
        self._end_current()

    def _end_current(self) -> None:
        self._watchdog.stop()
        self._current = self._speaking_sink = None
        if self._pending:
            self._gap.start()
        else:
            self.idle.emit()
