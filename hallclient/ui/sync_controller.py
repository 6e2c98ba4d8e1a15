"""Background sync with the central service: on a timer and on demand (F9), never on the GUI thread.

The round itself is `hallclient.sync.round.run_sync_round` (no Qt); this object schedules it on
the network pool, relays its progress, and announces what changed so views decide to refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from hallclient.services.context import Store
from hallclient.settings import Settings
from hallclient.ui.tasks import TaskRunner


class SyncController(QObject):
    report_ready = Signal(object)  # SyncReport
    progress = Signal(str, int, int)  # phase, done, total (emitted from the worker; queued to the GUI)
    catalog_changed = Signal()
    calendar_changed = Signal()
    started = Signal()

    def __init__(self, store: Store, tasks: TaskRunner, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.tasks = tasks
        self.settings = settings
        self.running = False
        self.last_report: object | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: self.sync_now(force=False))
        self.apply_settings()

    def apply_settings(self) -> None:
        """(Re)start the timer from the settings; standalone windows never sync."""
        self.timer.stop()
        interval = self.settings.sync_interval_seconds
        if self.settings.central_url.strip() and interval > 0:
            self.timer.start(interval * 1000)

    def sync_now(self, force: bool = True) -> bool:
        """Start a round unless one is running; F9 forces retries of backed-off records."""
        if self.running:
            return False
        self.running = True
        self.started.emit()
        store, settings, relay = self.store, self.settings, self.progress

        def work():  # type: ignore[no-untyped-def]
            # Imported here, on the network pool: the HTTP client is not the GUI thread's to load.
            from hallclient.services.sync_ops import run_sync_round

            return run_sync_round(store, settings, force=force,
                                  progress=lambda phase, done, total: relay.emit(phase, done, total))

        self.tasks.run_net(work, self._finished)
        return True

    def _finished(self, report: object) -> None:
        self.running = False
        if isinstance(report, BaseException):
            from hallclient.services.sync_ops import SyncReport

            report = SyncReport(error=f"同步出错：{report}", errors=[f"同步出错：{report}"])
        self.last_report = report
        if getattr(report, "pulled_items", 0) or getattr(report, "deleted_items", 0) \
                or getattr(report, "catalog_full", False):
            self.catalog_changed.emit()
        if getattr(report, "calendar_years", None):
            self.calendar_changed.emit()
        self.report_ready.emit(report)
