"""The one way to run work off the GUI thread.

Database work runs on a single worker thread (so writes are serialized, as SQLite wants);
network work runs in a small pool. Results and errors come back on the GUI thread through a
queued signal; the work itself never touches a widget.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call back to the GUI thread."""

    finished = Signal(object, object, object)  # callback, result, error


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay, on_done: Done | None, on_error: Failed | None) -> None:
        super().__init__()
        self.work = work
        self.relay = relay
        self.on_done = on_done
        self.on_error = on_error

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as error:  # delivered to the GUI; never lost in a thread
            log.error("background task failed:\n%s", traceback.format_exc())
            self.relay.finished.emit(self.on_error, None, error)
        else:
            self.relay.finished.emit(self.on_done, result, None)


_worker = threading.local()  # `.db` is True on the database worker while it runs a job


def _on_db_worker(work: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        _worker.db = True
        try:
            return work()
        finally:
            _worker.db = False

    return run


class _Blocking(QRunnable):
    """A job another thread waits for (a sync round's write, handed to the database worker)."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = _on_db_worker(self.work)()
        except BaseException as error:  # re-raised in the waiting thread
            self.error = error
        finally:
            self.done.set()


class TaskRunner(QObject):
    """`run_db(work, on_done, on_error)` and `run_net(...)`; `busy_changed` drives progress UI.

    on_done receives the result; an exception goes to on_error, or to on_done when no on_error
    is given (callers then check `isinstance(result, BaseException)`)."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db_pool = QThreadPool(self)
        self._db_pool.setMaxThreadCount(1)
        self._net_pool = QThreadPool(self)
        self._net_pool.setMaxThreadCount(3)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)
        self._pending = 0
        self.hub: Any = None  # the change hub (`ui.change_hub.ChangeHub`) that run_op feeds

    def run_db(self, work: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None) -> None:
        self._start(self._db_pool, _on_db_worker(work), on_done, on_error)

    def call_db(self, work: Callable[[], Any]) -> Any:
        """Run `work` on the database worker and wait for its result (raising its error).

        For network work (a sync round) that must write: the writes join the one queue of
        database work instead of competing with it from another thread. Called on the database
        worker itself, it simply runs."""
        if getattr(_worker, "db", False):
            return work()
        job = _Blocking(work)
        job.setAutoDelete(False)
        self._db_pool.start(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result

    def run_op(self, work: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None,
               *, source: object | None = None) -> None:
        """A service call on the database worker. When it returns a `Result` its `changes` go to
        the change hub and `on_done` gets its `value`; a bare `Changes` goes to the hub and to
        `on_done` as it is. Errors (a refusal is a `PermissionDenied`) go to on_error/on_done."""
        from hallclient.services.changes import Changes, Result

        def done(result: Any) -> None:
            if isinstance(result, Result):
                self.announce(result.changes, source)
                result = result.value
            elif isinstance(result, Changes):
                self.announce(result, source)
            if on_done is not None:
                on_done(result)

        self.run_db(work, done, on_error)

    def announce(self, changes: Any, source: object | None = None) -> None:
        """Hand `changes` to the change hub (work that did not come back as a `Result`)."""
        if self.hub is not None:
            self.hub.notify(changes, source)

    def run_net(self, work: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None) -> None:
        self._start(self._net_pool, work, on_done, on_error)

    def _start(self, pool: QThreadPool, work: Callable[[], Any], on_done: Done | None, on_error: Failed | None) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        # Without an error handler the error goes to on_done, which checks for BaseException.
        job = _Job(work, self._relay, on_done, on_error or on_done)
        job.setAutoDelete(True)
        pool.start(job)

    @Slot(object, object, object)
    def _deliver(self, callback: Callable[[Any], None] | None, result: Any, error: BaseException | None) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        if callback is not None:
            callback(error if error is not None else result)
        elif error is not None:
            log.error("unhandled background error: %s", error)

    @property
    def pending(self) -> int:
        return self._pending

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until the pools are empty (shutdown and tests only)."""
        return self._db_pool.waitForDone(msecs) and self._net_pool.waitForDone(msecs)
