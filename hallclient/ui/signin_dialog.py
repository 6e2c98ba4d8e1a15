"""Who sits at the window: the sign-in dialog, and the first administrator of a new window.

Both run their service call on the task runner's database worker (a password check takes a
tenth of a second, a sign-in at the central up to a few seconds): the dialog stays responsive
and says what it is doing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hallclient.core.permissions import Actor
from hallclient.services import accounts
from hallclient.services import settings as settings_service
from hallclient.services.changes import Changes
from hallclient.services.context import ServiceContext
from hallclient.ui.tasks import TaskRunner

ERROR_STYLE = "color: #c62828;"
HINT_STYLE = "color: #555;"


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 15pt; font-weight: bold; padding-bottom: 6px;")
    return label


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class SignInDialog(QDialog):
    """Login and password; the last login pre-filled, never the password. `signed` holds the
    `accounts.SignedIn` once accepted. With `current` it is 切换用户: the next person signs in
    and the previous one is signed out (both recorded)."""

    def __init__(self, ctx: ServiceContext, tasks: TaskRunner, *, current: Actor | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tasks, self.current = ctx, tasks, current
        self.signed: accounts.SignedIn | None = None
        self.busy = False
        switching = current is not None
        self.setWindowTitle(self.tr("切换用户") if switching else self.tr("登录"))
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(self.tr("综合窗口 %s 号") % ctx.window_number))
        if switching:
            note = QLabel(self.tr("当前：%s。下一位人员登录后，当前人员即退出登录。") % current.describe())
            note.setWordWrap(True)
            layout.addWidget(note)
        form = QFormLayout()
        self.login_edit = QLineEdit("" if switching else ctx.settings.last_login)
        self.login_edit.setPlaceholderText(self.tr("登录名"))
        self.password_edit = _password_edit()
        form.addRow(self.tr("登录名"), self.login_edit)
        form.addRow(self.tr("密码"), self.password_edit)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error_label)
        self.hint_label = QLabel(self._hint())
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet(HINT_STYLE)
        layout.addWidget(self.hint_label)
        buttons = QDialogButtonBox()
        self.sign_in_button = QPushButton(self.tr("登录"))
        self.sign_in_button.setDefault(True)
        buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(self.tr("取消") if switching else self.tr("退出"),
                                   QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.login_edit.returnPressed.connect(self._login_entered)
        self.password_edit.returnPressed.connect(self.submit)
        self.setMinimumWidth(440)
        (self.password_edit if self.login_edit.text() else self.login_edit).setFocus(
            Qt.FocusReason.OtherFocusReason)

    def _hint(self) -> str:
        if self.ctx.has_central:
            return self.tr("账号由中心服务管理。中心服务无法连接时，此前在本窗口在线登录过的人员可离线登录"
                           "（%d 天内有效）。") % self.ctx.settings.offline_verifier_days
        return self.tr("单机运行：使用本机账号登录。连续输错密码 %d 次将暂停登录 %d 分钟。") % (
            self.ctx.settings.signin_max_failures, self.ctx.settings.signin_lock_minutes)

    def _login_entered(self) -> None:
        if self.login_edit.text().strip():
            self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        if self.busy:
            return
        login, password = self.login_edit.text().strip(), self.password_edit.text()
        if not login:
            self.show_error(self.tr("请输入登录名"))
            self.login_edit.setFocus()
            return
        if not password:
            self.show_error(self.tr("请输入密码"))
            self.password_edit.setFocus()
            return
        self._set_busy(True)
        ctx, current = self.ctx, self.current

        def work() -> accounts.SignedIn:
            if current is not None:
                signed = accounts.switch_user(ctx, current, login, password)
            else:
                signed = accounts.sign_in(ctx, login, password)
            settings_service.remember_login(ctx, signed.actor.login)
            return signed

        self.tasks.run_db(work, self._finished)

    def _finished(self, result: object) -> None:
        self._set_busy(False)
        # Sign-ins and failures are audit records, bound for the central.
        self.tasks.announce(Changes(audit=True, outbox=True), self)
        if isinstance(result, accounts.SignInFailed):
            self.show_error(str(result))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        if isinstance(result, BaseException):
            self.show_error(self.tr("登录出错：%s") % result)
            return
        assert isinstance(result, accounts.SignedIn)
        self.signed = result
        self.accept()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.sign_in_button.setEnabled(not busy)
        if busy:
            self.error_label.setStyleSheet(HINT_STYLE)
            self.error_label.setText(self.tr("正在登录…"))

    def show_error(self, text: str) -> None:
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setText(text)


class FirstAdminDialog(QDialog):
    """A standalone window with no account yet: its first account, an administrator's."""

    def __init__(self, ctx: ServiceContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tasks = ctx, tasks
        self.created: accounts.UserInfo | None = None
        self.busy = False
        self.setWindowTitle(self.tr("创建系统管理员"))
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(self.tr("本窗口还没有账号")))
        intro = QLabel(self.tr("请先创建系统管理员账号。管理员维护事项清单、大厅设置和人员账号；"
                               "窗口受理人员等其他账号由管理员用命令添加：\nhallclient users add"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.login_edit = QLineEdit()
        self.login_edit.setPlaceholderText(self.tr("小写字母、数字或 . _ -"))
        self.name_edit = QLineEdit()
        self.password_edit = _password_edit()
        self.again_edit = _password_edit()
        form.addRow(self.tr("登录名"), self.login_edit)
        form.addRow(self.tr("姓名"), self.name_edit)
        form.addRow(self.tr("密码"), self.password_edit)
        form.addRow(self.tr("再次输入密码"), self.again_edit)
        layout.addLayout(form)
        self.fields = {"login": self.login_edit, "name": self.name_edit, "password": self.password_edit}
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox()
        self.create_button = QPushButton(self.tr("创建账号"))
        self.create_button.setDefault(True)
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("退出"), QDialogButtonBox.ButtonRole.RejectRole).setAutoDefault(False)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def submit(self) -> None:
        if self.busy:
            return
        login, name = self.login_edit.text().strip(), self.name_edit.text().strip()
        password = self.password_edit.text()
        if password != self.again_edit.text():
            self.show_error(self.tr("两次输入的密码不一致"), self.again_edit)
            return
        self.busy = True
        self.create_button.setEnabled(False)
        ctx = self.ctx

        def work() -> accounts.UserInfo:
            result = accounts.add_user(ctx, None, login, name=name, roles=["admin"], departments=[],
                                       password=password)
            settings_service.remember_login(ctx, result.value.login)
            return result.value

        self.tasks.run_db(work, self._finished)

    def _finished(self, result: object) -> None:
        self.busy = False
        self.create_button.setEnabled(True)
        if isinstance(result, accounts.BadAccountInput):
            self.show_error(str(result), self.fields.get(result.field))
            return
        if isinstance(result, BaseException):
            self.show_error(self.tr("创建账号失败：%s") % result)
            return
        assert isinstance(result, accounts.UserInfo)
        self.created = result
        self.accept()

    def show_error(self, text: str, field: QLineEdit | None = None) -> None:
        self.error_label.setText(text)
        if field is not None:
            field.setFocus()
            field.selectAll()
