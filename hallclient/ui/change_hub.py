"""One change hub: every service call made through the task runner hands its `Changes` here;
notices arriving close together are merged and announced once; each view decides whether the
merged change concerns it (the way Anki's `OpChanges` / `operation_did_execute` works).

A change that put records in the outbox also nudges a sync push a few seconds later, so the
count of records waiting for the central moves without waiting for the sync timer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from hallclient.services.changes import Changes

COALESCE_MS = 100
PUSH_DELAY_MS = 2000


class ChangeHub(QObject):
    # (merged Changes, frozenset of the objects that caused them; None: nobody named)
    changed = Signal(object, object)

    def __init__(self, parent: QObject | None = None, *, coalesce_ms: int = COALESCE_MS,
                 push_delay_ms: int = PUSH_DELAY_MS) -> None:
        super().__init__(parent)
        self._pending = Changes()
        self._sources: set[object] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(coalesce_ms)
        self._timer.timeout.connect(self.flush)
        self._push_timer = QTimer(self)
        self._push_timer.setSingleShot(True)
        self._push_timer.setInterval(push_delay_ms)
        self._push_timer.timeout.connect(self._nudge)
        self._push: Callable[[], bool | None] = lambda: None
        self.emitted = 0  # how many merged notices went out (tests, diagnostics)

    def set_push(self, push: Callable[[], bool | None]) -> None:
        """`push()` starts a sync push and returns False when one was already running."""
        self._push = push

    def notify(self, changes: Changes | None, source: object | None = None) -> None:
        if not changes:
            return
        self._pending.merge(changes)
        self._sources.add(source)
        if changes.outbox and not self._push_timer.isActive():
            self._push_timer.start()
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Announce what is pending now (the timer does this; tests may call it)."""
        self._timer.stop()
        if not self._pending:
            return
        changes, sources = self._pending, frozenset(self._sources)
        self._pending, self._sources = Changes(), set()
        self.emitted += 1
        self.changed.emit(changes, sources)

    def _nudge(self) -> None:
        if self._push() is False:  # a round was running: try again a little later
            self._push_timer.start()

    def subscribe(self, slot: Callable[[Changes, frozenset], None]) -> None:  # type: ignore[type-arg]
        self.changed.connect(slot)
