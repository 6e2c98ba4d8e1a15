"""The signed-in person at this window: idle lock, lock on demand, unlock, switch of user.

The locked screen covers the whole main window and hides its other windows (a document
preview may show an applicant), the window beneath is disabled and no shortcut reaches it.
The same person's password unlocks; another person signing in on the locked screen is a
switch of user, which the service records.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hallclient.core.permissions import Actor
from hallclient.services import accounts
from hallclient.services.context import ServiceContext
from hallclient.ui.tasks import TaskRunner

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TabletPress,
})


class LockScreen(QWidget):
    """An opaque cover over the main window: who locked it, login, password, 解锁."""

    unlock_requested = Signal(str, str)  # login, password

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockScreen { background: #24405e; }"
                           "#lockCard { background: white; border-radius: 8px; }")
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card = QFrame()
        card.setObjectName("lockCard")
        card.setFixedWidth(460)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 24, 28, 24)
        self.title = QLabel(self.tr("已锁屏"))
        self.title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.who = QLabel()
        self.who.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.who)
        form = QFormLayout()
        self.login_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("登录名"), self.login_edit)
        form.addRow(self.tr("密码"), self.password_edit)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        layout.addWidget(self.error_label)
        hint = QLabel(self.tr("本人输入密码即可解锁；其他人员在此登录即为切换用户（将记录在审计日志中）。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        self.unlock_button = QPushButton(self.tr("解锁"))
        self.unlock_button.setDefault(True)
        layout.addWidget(self.unlock_button)
        outer.addWidget(card)
        self.unlock_button.clicked.connect(self._submit)
        self.password_edit.returnPressed.connect(self._submit)
        self.login_edit.returnPressed.connect(lambda: self.password_edit.setFocus())
        self.hide()

    def show_for(self, actor: Actor, idle: bool) -> None:
        why = self.tr("无操作已自动锁屏") if idle else self.tr("已锁屏")
        self.title.setText(why)
        self.who.setText(self.tr("窗口当前登录：%s") % actor.describe())
        self.login_edit.setText(actor.login)
        self.password_edit.clear()
        self.error_label.clear()
        self.unlock_button.setEnabled(True)
        self.cover()
        self.show()
        self.raise_()
        self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())

    def _submit(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        if not self.password_edit.text():
            self.error_label.setText(self.tr("请输入密码"))
            return
        self.unlock_button.setEnabled(False)
        self.error_label.setText(self.tr("正在核对…"))
        self.unlock_requested.emit(self.login_edit.text().strip(), self.password_edit.text())

    def failed(self, text: str) -> None:
        self.unlock_button.setEnabled(True)
        self.error_label.setText(text)
        self.password_edit.clear()
        self.password_edit.setFocus()


class SessionController(QObject):
    """Holds the signed-in `Actor` of a main window and its locked state."""

    actor_changed = Signal(object)  # Actor: a switch of user
    locked_changed = Signal(bool)

    def __init__(self, window: QMainWindow, ctx: ServiceContext, tasks: TaskRunner,
                 signed: accounts.SignedIn, *, watch_now: bool = True) -> None:
        super().__init__(window)
        self.window, self.ctx, self.tasks = window, ctx, tasks
        self.actor: Actor = signed.actor
        self.offline = signed.offline
        self.locked = False
        self.signed_out = False
        self._hidden: list[QWidget] = []
        self.lock_screen = LockScreen(window)
        self.lock_screen.unlock_requested.connect(self._unlock)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.idle_timeout)
        self.apply_settings()
        window.installEventFilter(self)  # keep the cover the window's size
        self.watching = False
        if watch_now:
            self.watch_input()

    def watch_input(self) -> None:
        """Watch every event of the application (input restarts the idle time; shortcuts are
        stopped behind the locked screen). The main window calls this once it is usable: the
        first events of each Qt class through a Python filter cost ~0.1 s, not part of a start."""
        app = QApplication.instance()
        if app is not None and not self.watching:
            app.installEventFilter(self)
            self.watching = True

    def apply_settings(self) -> None:
        minutes = self.ctx.settings.idle_lock_minutes
        self.idle_timer.stop()
        if minutes and minutes > 0:
            self.idle_timer.setInterval(int(minutes * 60_000))
            self.idle_timer.start()

    # -- watching input ------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Resize and self.locked:
            self.lock_screen.cover()
        if kind in INPUT_EVENTS and not self.locked and self.idle_timer.interval() > 0 \
                and self.ctx.settings.idle_lock_minutes > 0:
            self.idle_timer.start()  # any input restarts the idle time
        # F1–F7, Ctrl+… do nothing behind the locked screen.
        return self.locked and kind == QEvent.Type.Shortcut and not self._inside_lock(watched)

    def _inside_lock(self, obj: QObject) -> bool:
        node: QObject | None = obj
        while node is not None:
            if node is self.lock_screen:
                return True
            node = node.parent()
        return False

    def idle_timeout(self) -> None:
        self.lock(idle=True)

    # -- lock and unlock -----------------------------------------------------------------------
    def lock(self, idle: bool = False) -> None:
        if self.locked or self.signed_out:
            return
        self.watch_input()  # locked before the window was ready: shortcuts are stopped all the same
        self.locked = True
        self.idle_timer.stop()
        actor, ctx = self.actor, self.ctx
        self.tasks.run_op(lambda: accounts.lock(ctx, actor, idle=idle), lambda _r: None, source=self)
        self._hide_other_windows()
        self._set_window_enabled(False)
        self.lock_screen.show_for(actor, idle)
        self.locked_changed.emit(True)

    def _hide_other_windows(self) -> None:
        self._hidden = []
        for widget in QApplication.topLevelWidgets():
            if widget is self.window or not widget.isVisible() or not self._belongs(widget):
                continue
            self._hidden.append(widget)
            widget.hide()

    def _belongs(self, widget: QWidget) -> bool:
        node = widget.parentWidget()
        while node is not None:
            if node is self.window:
                return True
            node = node.parentWidget()
        return False

    def _set_window_enabled(self, enabled: bool) -> None:
        window = self.window
        for widget in [window.centralWidget(), window.menuBar(), *window.findChildren(QWidget, "queueDock")]:
            if widget is not None:
                widget.setEnabled(enabled)

    def _unlock(self, login: str, password: str) -> None:
        current, ctx = self.actor, self.ctx

        def work() -> accounts.SignedIn:
            return accounts.unlock(ctx, current, login, password)

        def done(result: object) -> None:
            from hallclient.services.changes import Changes

            self.tasks.announce(Changes(audit=True, outbox=True), self)
            if isinstance(result, accounts.SignInFailed):
                self.lock_screen.failed(str(result))
            elif isinstance(result, BaseException):
                self.lock_screen.failed(self.tr("解锁出错：%s") % result)
            else:
                assert isinstance(result, accounts.SignedIn)
                self._unlocked(result)

        self.tasks.run_db(work, done)

    def _unlocked(self, signed: accounts.SignedIn) -> None:
        switched = signed.actor.login != self.actor.login
        hidden, self._hidden = self._hidden, []
        self.locked = False
        self.lock_screen.hide()
        self._set_window_enabled(True)
        if switched:
            for widget in hidden:  # the previous person's documents are not the next one's
                widget.close()
            self.set_signed(signed)
        else:
            for widget in hidden:
                widget.show()
        self.apply_settings()
        self.locked_changed.emit(False)

    def set_signed(self, signed: accounts.SignedIn) -> None:
        """Another person now sits at the window (切换用户, or signed in on the locked screen)."""
        self.actor, self.offline = signed.actor, signed.offline
        self.actor_changed.emit(signed.actor)

    def sign_out(self) -> None:
        """Closing the window signs the person out (recorded); idempotent."""
        if self.signed_out:
            return
        self.signed_out = True
        self.idle_timer.stop()
        actor, ctx = self.actor, self.ctx
        self.tasks.run_op(lambda: accounts.sign_out(ctx, actor), lambda _r: None, source=self)

    def detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.watching = False
