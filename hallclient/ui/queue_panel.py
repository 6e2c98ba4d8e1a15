"""The queue panel: the window's current ticket, waiting counts, and the calling keys F1–F7.

Online, every action is one request to the central (through `TaskRunner.run_net`; the GUI never
waits). When the central cannot be reached the panel says 离线, keeps the current ticket,
records what the clerk does with it in the window's store (outbox kind "queue_event"), and can
issue walk-in numbers of its own (W3-001) and call them; when the central answers again the
outbox is pushed at once. One action at a time: a key pressed while one is in flight is ignored,
so a double F1 never calls two tickets. Waiting counts are polled every few seconds; a poll
never overlaps another.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from hallclient.core.permissions import Actor
from hallclient.core.queue import (
    DEFAULT_ANNOUNCEMENT_TEMPLATE,
    DEFAULT_CATEGORY_PREFIXES,
    announcement_text,
)
from hallclient.services.context import ServiceContext, Store
from hallclient.settings import Settings
from hallclient.ui import queue_view
from hallclient.ui.forms.ui_queue_panel import Ui_QueuePanel
from hallclient.ui.queue_view import PanelState
from hallclient.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from hallclient.services.sync_ops import (
        CentralRejected,
        QueueClient,
        QueueTicket,
        WindowQueueStatus,
    )
    from hallclient.ui.announcer import Announcer


def _sync_ops() -> ModuleType:
    """The central's queue client (requests): imported at the first use, not at start."""
    from hallclient.services import sync_ops

    return sync_ops


def _queue_service() -> ModuleType:
    from hallclient.services import queue

    return queue


def queue_client_factory(settings: Settings) -> Callable[[], QueueClient | None]:
    """`QueueClient.from_settings(settings)` at each call; a standalone window (no central, so
    no client) never imports the HTTP client."""

    def make() -> QueueClient | None:
        if not settings.central_url.strip():
            return None
        return _sync_ops().QueueClient.from_settings(settings)  # type: ignore[no-any-return]

    return make


KEYS = {"F1": "call_next", "F2": "recall", "F3": "no_show", "F4": "toggle_service", "F5": "transfer",
        "F6": "toggle_park", "F7": "toggle_pause"}


class QueuePanel(QWidget):
    service_started = Signal(object)  # QueueTicket (number, category): open an intake for it
    message = Signal(str)  # for the status bar
    online_changed = Signal(bool)
    walkin_issued = Signal(object)  # QueueTicket of a new walk-in number (e.g. to print its slip)
    service_finished = Signal(object)  # QueueTicket just finished (F4): the applicant may rate it

    def __init__(self, tasks: TaskRunner, settings: Settings, store: Store, announcer: Announcer,
                 client_factory: Callable[[], QueueClient | None], parent: QWidget | None = None, *,
                 actor: Callable[[], Actor | None] | None = None, refresh_now: bool = True) -> None:
        super().__init__(parent)
        self.ui = Ui_QueuePanel()
        self.ui.setupUi(self)
        self._tasks, self._settings, self._store = tasks, settings, store
        # The window's own queue records go through services.queue, as the signed-in person.
        self._ctx = ServiceContext(store, settings)
        self._actor: Callable[[], Actor | None] = actor or (lambda: None)
        self._announcer, self._client_factory = announcer, client_factory
        self.state = PanelState()
        self._polling = False
        self._epoch = 0  # bumped by every action: a poll sent before it must not undo its result
        self._shortcuts: list[QShortcut] = []
        queue_view.style(self.ui)
        self._wire()
        self.install_shortcuts(self)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._update_times)
        self._ticker.start()
        self._poller = QTimer(self)
        self._poller.setInterval(max(1, settings.queue_poll_seconds) * 1000)
        self._poller.timeout.connect(self.refresh)
        self._poller.start()
        self._soon = QTimer(self)  # coalesces "refresh after this action"
        self._soon.setSingleShot(True)
        self._soon.setInterval(150)
        self._soon.timeout.connect(self.refresh)
        self._render()
        if refresh_now:  # the main window polls once its catalog is ready
            self.refresh()

    # -- public -------------------------------------------------------------------------------

    @property
    def current_ticket(self) -> QueueTicket | None:
        return self.state.current

    @property
    def online(self) -> bool | None:
        return self.state.online

    @property
    def busy(self) -> bool:
        return self.state.busy

    def install_shortcuts(self, window: QWidget) -> None:
        """F1–F7 on `window` (the main window: they then work from any of its tabs)."""
        for shortcut in self._shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._shortcuts = []
        for key, name in KEYS.items():
            shortcut = QShortcut(QKeySequence(key), window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(getattr(self, name))
            self._shortcuts.append(shortcut)

    def shutdown(self) -> None:
        for timer in (self._ticker, self._poller, self._soon):
            timer.stop()

    def refresh(self) -> None:
        """Poll the central (coalesced: never two polls at once) and count local walk-ins."""
        self._tasks.run_db(self._count_walkins, self._walkins_counted)
        if self._polling:
            return
        client = self._client_factory()
        if client is None:
            self._set_online(None)
            return
        self._polling = True
        epoch = self._epoch
        self._tasks.run_net(lambda: self._with(client, lambda c: c.status()),
                            lambda result: self._status_polled(result, epoch))

    # -- the keys -------------------------------------------------------------------------------

    def call_next(self) -> None:
        if self._blocked() or self._refuse_paused():
            return
        if self._is_online():
            self._net(lambda c: c.call_next(), self._called)
        else:
            self._local(lambda ctx, actor: _queue_service().call_walkin(ctx, actor), self._called)

    def call_number(self, number: str | None = None) -> None:
        number = (number if number is not None else self.ui.numberEdit.text()).strip().upper()
        if not number or self._blocked() or self._refuse_paused():
            return
        self.ui.numberEdit.clear()
        if self._is_online():
            self._net(lambda c: c.call_number(number), self._called,
                      refused=lambda exc: self._offer_takeover(number, exc))
        else:
            self._local(lambda ctx, actor: _queue_service().call_walkin(ctx, actor, number), self._called)

    def recall(self) -> None:
        ticket = self.state.current
        if ticket is None or ticket.state != "called" or self._blocked():
            return
        self._act(ticket, "recalled", lambda c: c.recall(ticket.id), self._called)

    def no_show(self) -> None:
        ticket = self.state.current
        if ticket is None or ticket.state != "called" or self._blocked():
            return
        self._act(ticket, "no_show", lambda c: c.no_show(ticket.id), self._closed("过号"))

    def toggle_service(self) -> None:
        ticket = self.state.current
        if ticket is None or self._blocked():
            return
        if ticket.state == "serving":
            self._act(ticket, "finished", lambda c: c.finish(ticket.id), self._finished)
        elif ticket.state == "called":
            self._act(ticket, "started", lambda c: c.start(ticket.id), self._started)

    def toggle_park(self) -> None:
        if self._blocked():
            return
        ticket = self.state.current
        if ticket is not None and ticket.state in ("called", "serving"):
            self._act(ticket, "parked", lambda c: c.park(ticket.id), self._parked_done)
            return
        item = self.ui.parkedList.currentItem() or self.ui.parkedList.item(0)
        if ticket is None and item is not None:
            parked: QueueTicket = item.data(Qt.ItemDataRole.UserRole)
            self._act(parked, "resumed", lambda c: c.resume(parked.id), self._called)

    def transfer(self, category: str | None = None, window: str | None = None, front: bool = False) -> None:
        ticket = self.state.current
        if ticket is None or self._blocked():
            return
        if not self._is_online() or ticket.local:
            self.message.emit("离线时或本窗口号不能转移：请待中心服务恢复")
            return
        if category is None and window is None:
            from hallclient.ui.queue_transfer_dialog import TransferDialog

            categories = list(dict.fromkeys([*DEFAULT_CATEGORY_PREFIXES, *(self._settings.window_categories or [])]))
            dialog = TransferDialog(ticket.number, categories, ticket.category, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            category, window, front = dialog.target()
        self._net(lambda c: c.transfer(ticket.id, category=category, window=window, front=front),
                  self._closed("转移"))

    def toggle_pause(self) -> None:
        if self._blocked():
            return
        paused = not self.state.paused
        if self._is_online():
            self._net(lambda c: c.pause(paused), self._paused_done)
        else:
            self._paused_done(paused)

    def issue_walkin(self) -> None:
        """A walk-in number of this window (W3-001), issued locally: for when the central is away."""
        if self._blocked():
            return

        def done(ticket: QueueTicket) -> None:
            self.message.emit(f"已发本窗口号 {ticket.number}")
            self.walkin_issued.emit(ticket)
            self._soon.start()

        self._local(lambda ctx, actor: _queue_service().issue_walkin(ctx, actor), done)

    # -- running work ---------------------------------------------------------------------------

    @staticmethod
    def _with(client: QueueClient, work: Callable[[QueueClient], Any]) -> Any:
        with client:
            return work(client)

    def _blocked(self) -> bool:
        return self.state.busy

    def _refuse_paused(self) -> bool:
        if self.state.paused:
            self.message.emit("本窗口处于暂离状态：按 F7 恢复后再叫号")
        return self.state.paused

    def _is_online(self) -> bool:
        return bool(self.state.online)

    def _net(self, work: Callable[[QueueClient], Any], done: Callable[[Any], None],
             refused: Callable[[CentralRejected], bool] | None = None) -> None:
        client = self._client_factory()
        if client is None:
            self.message.emit("单机运行：未配置中心服务")
            return
        self._set_busy(True)
        self._tasks.run_net(lambda: self._with(client, work), lambda result: self._net_done(result, done, refused))

    def _net_done(self, result: Any, done: Callable[[Any], None],
                  refused: Callable[[CentralRejected], bool] | None = None) -> None:
        self._set_busy(False)
        ops = _sync_ops()
        if isinstance(result, ops.CentralUnreachable):
            self._set_online(False)
            self.message.emit(f"中心服务无法连接，已转为离线：{result}")
        elif isinstance(result, ops.CentralRejected):
            self._set_auth(result)
            if refused is None or not refused(result):
                self.message.emit(result.message)
            self._soon.start()
        elif isinstance(result, BaseException):
            self.message.emit(f"叫号操作失败：{result}")
        else:
            done(result)
            self._soon.start()
        self._render()

    def _local(self, work: Callable[[ServiceContext, Actor], Any], done: Callable[[Any], None]) -> None:
        actor = self._actor()
        if actor is None:
            self.message.emit("未登录：不能记录叫号")
            return
        self._set_busy(True)
        ctx = self._ctx

        def finished(result: Any) -> None:
            self._set_busy(False)
            if isinstance(result, (ValueError, PermissionError)):  # a refusal names the role
                self.message.emit(str(result))
            elif isinstance(result, BaseException):
                self.message.emit(f"本机记录失败：{result}")
            else:
                done(result)
            self._render()

        self._tasks.run_op(lambda: work(ctx, actor), finished, source=self)

    def _act(self, ticket: QueueTicket, kind: str, online: Callable[[QueueClient], Any],
             done: Callable[[Any], None]) -> None:
        """An action on a ticket: a request online, a recorded event offline or on a walk-in."""
        if self._is_online() and not ticket.local:
            self._net(online, done)
            return
        self._local(lambda ctx, actor: _queue_service().record_event(ctx, actor, ticket, kind), done)

    # -- results ------------------------------------------------------------------------------

    def _called(self, ticket: QueueTicket | None) -> None:
        if ticket is None:
            self.message.emit("暂无等候的号" if self._is_online() else "离线：没有等候的本窗口号，可按「发本窗口号」")
            return
        self.state.current, self.state.started_at = ticket, None
        self.state.parked = [p for p in self.state.parked if p.id != ticket.id]
        self._announce(ticket)
        self.message.emit(f"已呼叫 {ticket.number}（第 {ticket.calls} 次）")

    def _started(self, ticket: QueueTicket) -> None:
        self.state.current, self.state.started_at = ticket, time.monotonic()
        self.service_started.emit(ticket)

    def _closed(self, what: str) -> Callable[[QueueTicket], None]:
        def done(ticket: QueueTicket) -> None:
            self.state.current, self.state.started_at = None, None
            extra = "（已过号）" if ticket.state == "missed" else ""
            self.message.emit(f"{ticket.number} {what}{extra}")
        return done

    def _finished(self, ticket: QueueTicket) -> None:
        self._closed("办结")(ticket)
        self.service_finished.emit(ticket)

    def _parked_done(self, ticket: QueueTicket) -> None:
        self.state.current, self.state.started_at = None, None
        self.state.parked.append(ticket)
        self.message.emit(f"{ticket.number} 已挂起：选中后按 F6 恢复")

    def _paused_done(self, paused: bool) -> None:
        self.state.paused = paused  # calls already announced still play: the applicants must hear them
        self.message.emit("本窗口暂离" if paused else "本窗口已恢复叫号")

    def _announce(self, ticket: QueueTicket) -> None:
        template = self._settings.announcement_template
        try:
            text = announcement_text(template, ticket.number, self._settings.window_number)
        except ValueError:
            text = announcement_text(DEFAULT_ANNOUNCEMENT_TEMPLATE, ticket.number, self._settings.window_number)
        self._announcer.announce(text)

    def _status_polled(self, result: WindowQueueStatus | BaseException, epoch: int) -> None:
        self._polling = False
        ops = _sync_ops()
        if isinstance(result, ops.CentralUnreachable):
            self._set_online(False)
        elif isinstance(result, ops.WindowQueueStatus):
            was_offline = self.state.online is False
            self._set_online(True)
            if was_offline:
                self._drain()
                return  # the status after the drain is the one to trust
            self.state.counts, self.state.for_window, self.state.paused = result.waiting, result.waiting_for_window, result.paused
            if epoch == self._epoch and (self.state.current is None or not self.state.current.local):
                if (result.current is None) != (self.state.current is None) or (
                        result.current is not None and self.state.current is not None
                        and (result.current.id, result.current.state) != (self.state.current.id, self.state.current.state)):
                    self.state.started_at = None
                self.state.current = result.current
                self.state.parked = result.parked + [p for p in self.state.parked if p.local]
        elif isinstance(result, ops.CentralRejected):
            self._set_auth(result)
            self.message.emit(result.message)
        if isinstance(result, ops.WindowQueueStatus):
            self.state.auth_failed = False
            self._tell_taken(result)
        self._render()

    def _set_auth(self, rejected: CentralRejected) -> None:
        """401/403: the token is wrong or disabled; the panel says so instead of 在线."""
        if rejected.status in (401, 403):
            self.state.auth_failed = True
            self._render()

    def _tell_taken(self, status: WindowQueueStatus) -> None:
        """Tickets of this window another window took over: said once each."""
        seen = self.__dict__.setdefault("_taken_seen", set())
        for taken in status.taken_over:
            if taken.ticket_id not in seen:
                seen.add(taken.ticket_id)
                self.message.emit(f"{taken.number} 号已被 {taken.by_window} 号窗口接管")

    def _offer_takeover(self, number: str, refused: CentralRejected) -> bool:
        """Calling a number at another window was refused: take it over only if the clerk says so."""
        if refused.status != 409 or "接管" not in refused.message:
            return False
        answer = QMessageBox.question(self, self.tr("接管"), refused.message + "\n\n" + self.tr("确定由本窗口接管吗？"))
        if answer == QMessageBox.StandardButton.Yes:
            self._net(lambda c: c.take_over(number), self._called)
        else:
            self.message.emit(refused.message)
        return True

    def _drain(self) -> None:
        client = self._client_factory()
        if client is None:
            return
        self.message.emit("中心服务已恢复：正在上报离线期间的叫号记录")
        self._tasks.run_net(lambda: self._with(client, lambda c: _sync_ops().push_now(self._store, c.central)), self._drained)

    def _drained(self, result: Any) -> None:
        ctx = self._ctx
        if not isinstance(result, BaseException) and result is not None and result.pushed:
            self.message.emit(f"已上报 {result.pushed} 条离线记录")
        self._tasks.run_op(lambda: _queue_service().hand_over(ctx), lambda _n: self._soon.start(), source=self)

    def _count_walkins(self) -> int:
        return _queue_service().waiting_walkins(self._ctx, datetime.now().astimezone().date().isoformat())

    def _walkins_counted(self, result: Any) -> None:
        if isinstance(result, int) and result != self.state.walkins:
            self.state.walkins = result
            self._render()

    # -- view -----------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self.state.busy = busy
        self._epoch += 1
        self._render_buttons()

    def _set_online(self, online: bool | None) -> None:
        if online != self.state.online:
            self.state.online = online
            if online is not None:
                self.online_changed.emit(online)
            self._render()

    def _wire(self) -> None:
        ui = self.ui
        ui.callNextButton.clicked.connect(self.call_next)
        ui.recallButton.clicked.connect(self.recall)
        ui.noShowButton.clicked.connect(self.no_show)
        ui.serviceButton.clicked.connect(self.toggle_service)
        ui.transferButton.clicked.connect(lambda: self.transfer())
        ui.parkButton.clicked.connect(self.toggle_park)
        ui.pauseButton.clicked.connect(self.toggle_pause)
        ui.walkinButton.clicked.connect(self.issue_walkin)
        ui.numberEdit.returnPressed.connect(lambda: self.call_number())

    def _render(self) -> None:
        queue_view.render(self.ui, self.state)

    def _render_buttons(self) -> None:
        queue_view.render_buttons(self.ui, self.state)

    def _update_times(self) -> None:
        queue_view.render_times(self.ui, self.state)
