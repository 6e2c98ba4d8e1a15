"""Opens the rating pad when a service ends and records what the applicant chose.

Where the pad goes: full-screen on a screen other than the clerk's when one is connected (an
evaluation pad facing the applicant; channel 评价器), otherwise a dialog on the clerk's screen
that the clerk turns around (channel 窗口). Neither is modal: the clerk's window, the queue keys
and sync keep working. One pad at a time; a service ending while a pad is open waits its turn.

The rating goes through `services.evaluation.rate` on the task runner as the clerk who finished
the service; a pad closed without a rating (countdown, or the clerk closing it) records 未评价.
A refusal (the service was already rated) is shown on the pad with its reason.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from hallclient.core.evaluation import Channel, Rating
from hallclient.core.permissions import Actor, PermissionDenied
from hallclient.services.context import ServiceContext
from hallclient.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the pad and the ratings service load with the first rating, not at start
    from hallclient.ui.rating_pad import RatingPad


@dataclass(frozen=True)
class ServiceToRate:
    actor: Actor  # the clerk who finished it (captured: a switch of user must not change it)
    case_number: str | None = None
    ticket_number: str | None = None

    @property
    def what(self) -> str:
        return f"办件 {self.case_number}" if self.case_number else f"{self.ticket_number} 号"


def applicant_screen(clerk_window: QWidget | None) -> QScreen | None:
    """A connected screen other than the clerk's, or None."""
    screens = QGuiApplication.screens()
    if len(screens) < 2:
        return None
    own = clerk_window.screen() if clerk_window is not None else QGuiApplication.primaryScreen()
    others = [s for s in screens if s != own]
    return others[0] if others else None


class _PadHost(QDialog):
    """The window around the pad: full-screen on the applicant's screen, or a dialog."""

    def __init__(self, pad: RatingPad, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.pad = pad
        self.setWindowTitle(self.tr("服务评价"))
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)  # the clerk keeps the keyboard
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(pad)
        pad.watch(self)

    def done(self, result: int) -> None:
        # Closed (or Esc) before a rating: 未评价; nothing happens when the pad is already done.
        self.pad.expire()
        super().done(result)


class RatingController(QObject):
    opened = Signal(object)  # the _PadHost now showing
    recorded = Signal(object)  # Rating (level None: 未评价)
    refused = Signal(str)
    message = Signal(str)  # for the clerk's status bar

    def __init__(self, ctx: ServiceContext, tasks: TaskRunner, clerk_window: QWidget,
                 screen_of_applicant: Callable[[QWidget | None], QScreen | None] = applicant_screen) -> None:
        super().__init__(clerk_window)
        self.ctx, self.tasks, self.clerk_window = ctx, tasks, clerk_window
        self.screen_of_applicant = screen_of_applicant
        self.waiting: deque[ServiceToRate] = deque()
        self.host: _PadHost | None = None
        self.current: ServiceToRate | None = None
        self.channel = Channel.WINDOW

    def request(self, actor: Actor, *, case_number: str | None = None, ticket_number: str | None = None) -> None:
        if not (case_number or ticket_number):
            return
        self.waiting.append(ServiceToRate(actor, case_number, ticket_number))
        if self.host is None:
            self._open_next()

    def _open_next(self) -> None:
        if not self.waiting:
            return
        service = self.current = self.waiting.popleft()
        settings = self.ctx.settings
        actor = service.actor
        heading = self.tr("综合窗口 %s 号 · 工作人员 %s") % (actor.window_number or settings.window_number,
                                                      actor.name or actor.login)
        from hallclient.services import evaluation
        from hallclient.ui.rating_pad import RatingPad

        pad = RatingPad(evaluation.bad_reasons(self.ctx), settings.rating_pad_timeout_seconds, heading)
        host = self.host = _PadHost(pad, self.clerk_window)
        pad.submitted.connect(lambda values: self._record(service, values))
        pad.timed_out.connect(lambda: self._record(service, None))
        pad.finished.connect(host.close)
        host.finished.connect(lambda _r: self._closed(host))
        screen = self.screen_of_applicant(self.clerk_window)
        if screen is not None:
            self.channel = Channel.PAD
            host.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            host.setScreen(screen)
            host.setGeometry(screen.geometry())
            host.showFullScreen()
        else:
            self.channel = Channel.WINDOW
            own = (self.clerk_window.screen() if self.clerk_window else None) or QGuiApplication.primaryScreen()
            room = own.availableGeometry()
            host.resize(min(1000, room.width() - 40), min(640, room.height() - 40))
            host.show()
        self.message.emit(self.tr("已请申请人评价（%s）") % service.what)
        self.opened.emit(host)

    def _record(self, service: ServiceToRate, values: dict | None) -> None:  # type: ignore[type-arg]
        ctx, channel = self.ctx, self.channel
        host = self.host
        v = values or {}

        def work():  # type: ignore[no-untyped-def]
            from hallclient.services import evaluation

            return evaluation.rate(ctx, service.actor, case_number=service.case_number,
                                   ticket_number=None if service.case_number else service.ticket_number,
                                   level=v.get("level"), channel=channel, indicators=v.get("indicators"),
                                   comment=v.get("comment", ""), reasons=tuple(v.get("reasons", ())),
                                   phone=v.get("phone", ""))

        self.tasks.run_op(work, lambda result: self._recorded(service, host, values, result), source=self)

    def _recorded(self, service: ServiceToRate, host: _PadHost | None, values: dict | None,  # type: ignore[type-arg]
                  result: object) -> None:
        alive = host is not None and host is self.host
        if isinstance(result, Rating):
            self.recorded.emit(result)
            self.message.emit(self.tr("%s：%s") % (service.what, result.label))
            if alive and values is not None:
                host.pad.show_result(self.tr("感谢您的评价！"))  # type: ignore[union-attr]
            elif alive:
                host.close()  # type: ignore[union-attr]
            return
        reason = str(result) if isinstance(result, ValueError | PermissionDenied) else \
            self.tr("评价未能保存：%s") % result
        reason = re.sub(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})", r"\1 \2", reason)  # a time as people write it
        self.refused.emit(reason)
        self.message.emit(f"{service.what}：{reason}")
        if alive and values is not None:
            host.pad.show_result(reason)  # type: ignore[union-attr]
        elif alive:
            host.close()  # type: ignore[union-attr]

    def _closed(self, host: _PadHost) -> None:
        if host is not self.host:
            return
        self.host, self.current = None, None
        host.deleteLater()
        self._open_next()

    def close_all(self) -> None:
        """Closing the clerk's window: the open pad records 未评价; queued ones are dropped."""
        self.waiting.clear()
        if self.host is not None:
            self.host.close()
