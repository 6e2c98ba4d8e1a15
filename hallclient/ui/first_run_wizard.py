"""The first run of a new window: one short wizard, shown while the data dir has no settings file.

Standalone or the central's address (tested live: health and whose token, verified against the
hall CA when https), the window number and the queue categories it serves, the first
administrator when standalone, the printer (with a test page). Everything is saved through
`services.settings.save_first_run` and can be changed later in 设置 → 窗口设置. Service calls
run on the task runner; the wizard never waits on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from hallclient.core.queue import DEFAULT_CATEGORY_PREFIXES
from hallclient.services import accounts
from hallclient.services import settings as settings_service
from hallclient.services.context import ServiceContext
from hallclient.settings import SETTINGS_FILENAME
from hallclient.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the HTTP client is loaded when the connection is tested, not at every start
    from hallclient.services.central_check import CentralCheck

ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #1b5e20;"
HINT_STYLE = "color: #555;"
DEFAULT_PRINTER = "（系统默认打印机）"
MODE_PAGE, WINDOW_PAGE, ADMIN_PAGE, PRINTER_PAGE = range(4)


def needs_first_run(data_dir: Path) -> bool:
    """A window never set up: its data dir has no settings file yet."""
    return not (Path(data_dir) / SETTINGS_FILENAME).exists()


def _note(text: str, style: str = HINT_STYLE) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


class ModePage(QWizardPage):
    """单机运行, or the central service: address, token, CA file, tested live."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("运行方式")
        self.setSubTitle("本窗口单机运行，还是连接大厅的中心服务（排队叫号、事项清单、办件上报）？")
        self.standalone = QRadioButton("单机运行（不连接中心服务）")
        self.central = QRadioButton("连接中心服务")
        group = QButtonGroup(self)
        group.addButton(self.standalone)
        group.addButton(self.central)
        settings = wizard.ctx.settings
        self.url_edit = QLineEdit(settings.central_url)
        self.url_edit.setPlaceholderText("例如 https://192.168.1.10:8443")
        self.token_edit = QLineEdit(settings.central_token)
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText("由中心服务管理员发放（hallclient central add-window）")
        self.ca_edit = QLineEdit(settings.central_ca_file)
        self.ca_edit.setPlaceholderText("https 时：大厅 CA 证书（PEM）；留空使用系统证书")
        self.ca_button = QPushButton("选择…")
        self.ca_button.clicked.connect(self._choose_ca)
        self.test_button = QPushButton("测试连接")
        self.test_button.clicked.connect(self.test_connection)
        self.result_label = _note("")
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(self.ca_button)
        self.form = QFormLayout()
        self.form.addRow("中心服务地址", self.url_edit)
        self.form.addRow("窗口令牌", self.token_edit)
        self.form.addRow("CA 证书文件", ca_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.standalone)
        layout.addWidget(self.central)
        layout.addLayout(self.form)
        layout.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        layout.addWidget(_note("以后可在“设置 → 窗口设置”中更改。"))
        self.checked: tuple[tuple[str, str, str], CentralCheck] | None = None
        self.testing = False
        (self.central if settings.central_url else self.standalone).setChecked(True)
        for widget in (self.standalone, self.central):
            widget.toggled.connect(self._mode_changed)
        for edit in (self.url_edit, self.token_edit, self.ca_edit):
            edit.textChanged.connect(self._fields_changed)
        self.url_edit.returnPressed.connect(self.test_connection)
        self.token_edit.returnPressed.connect(self.test_connection)
        self._mode_changed()

    @property
    def is_standalone(self) -> bool:
        return self.standalone.isChecked()

    def values(self) -> tuple[str, str, str]:
        return self.url_edit.text().strip(), self.token_edit.text().strip(), self.ca_edit.text().strip()

    def _choose_ca(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择大厅 CA 证书", "", "证书 (*.pem *.crt *.cer);;所有文件 (*)")
        if path:
            self.ca_edit.setText(path)

    def _mode_changed(self) -> None:
        central = self.central.isChecked()
        for widget in (self.url_edit, self.token_edit, self.ca_edit, self.ca_button, self.test_button):
            widget.setEnabled(central)
        self.result_label.setVisible(central)
        self.completeChanged.emit()

    def _fields_changed(self) -> None:
        if self.checked is not None and self.checked[0] != self.values():
            self.checked = None
            self.result_label.setStyleSheet(HINT_STYLE)
            self.result_label.setText("地址或令牌已改动：请重新测试连接")
        self.completeChanged.emit()

    def test_connection(self) -> None:
        """Health and whoami at the central, on the network pool."""
        if self.testing or self.is_standalone:
            return
        values = self.values()
        self.testing = True
        self.test_button.setEnabled(False)
        self.result_label.setStyleSheet(HINT_STYLE)
        self.result_label.setText("正在连接中心服务…")
        url, token, ca = values
        from hallclient.services.central_check import check_central

        self.wiz.tasks.run_net(lambda: check_central(url, token, ca), lambda result: self._tested(values, result))

    def _tested(self, values: tuple[str, str, str], result: object) -> None:
        from hallclient.services.central_check import CentralCheck

        self.testing = False
        self.test_button.setEnabled(self.central.isChecked())
        if isinstance(result, BaseException):
            result = CentralCheck(False, f"无法连接中心服务：{result}")
        assert isinstance(result, CentralCheck)
        self.result_label.setStyleSheet(OK_STYLE if result.ok else ERROR_STYLE)
        self.result_label.setText(result.message)
        if values == self.values():
            self.checked = (values, result)
            if result.ok and result.window_number:
                self.wiz.window_page.number_edit.setText(result.window_number)
        self.completeChanged.emit()

    @property
    def check(self) -> CentralCheck | None:
        return self.checked[1] if self.checked is not None and self.checked[0] == self.values() else None

    def isComplete(self) -> bool:
        if self.is_standalone:
            return True
        check = self.check
        return check is not None and check.ok

    def nextId(self) -> int:
        return WINDOW_PAGE


class WindowPage(QWizardPage):
    """The window number and the queue categories it serves."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("窗口")
        self.setSubTitle("本窗口的编号，以及叫号时受理哪些类别的号。")
        settings = wizard.ctx.settings
        self.number_edit = QLineEdit(settings.window_number)
        self.number_edit.setMaxLength(8)
        self.categories = QListWidget()
        chosen = set(settings.window_categories or DEFAULT_CATEGORY_PREFIXES)
        for name, prefix in DEFAULT_CATEGORY_PREFIXES.items():
            item = QListWidgetItem(f"{name}（{prefix} 字头）")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked)
            self.categories.addItem(item)
        self.categories.setCurrentRow(0)
        self.categories.itemChanged.connect(lambda _item: self.completeChanged.emit())
        self.number_edit.textChanged.connect(lambda _text: self.completeChanged.emit())
        self.problem = _note("", ERROR_STYLE)
        form = QFormLayout()
        form.addRow("窗口号", self.number_edit)
        form.addRow("受理类别", self.categories)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_note("空格键勾选或取消所选类别；全部勾选即受理所有类别。"))
        layout.addWidget(self.problem)
        layout.addStretch(1)

    def chosen(self) -> list[str]:
        return [str(self.categories.item(row).data(Qt.ItemDataRole.UserRole))
                for row in range(self.categories.count())
                if self.categories.item(row).checkState() == Qt.CheckState.Checked]

    def isComplete(self) -> bool:
        number = self.number_edit.text().strip()
        problem = ""
        if not number:
            problem = "请填写窗口号"
        elif not number.isalnum():
            problem = "窗口号只能由数字或字母组成"
        elif not self.chosen():
            problem = "请至少勾选一个受理类别"
        else:
            check = self.wiz.mode_page.check
            if check is not None and check.window_number and check.window_number != number:
                problem = f"注意：令牌属于 {check.window_number} 号窗口，与此处填写的不同"
                self.problem.setText(problem)
                return True  # the central decides; said, not blocked
        self.problem.setText(problem)
        return not problem

    def nextId(self) -> int:
        return ADMIN_PAGE if self.wiz.wants_admin else PRINTER_PAGE


class AdminPage(QWizardPage):
    """A standalone window's first account: an administrator (services.accounts.add_user)."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("系统管理员")
        self.setSubTitle("单机运行的窗口须先有一个系统管理员账号。管理员维护事项清单、大厅设置和人员账号。")
        self.login_edit = QLineEdit()
        self.login_edit.setPlaceholderText("小写字母、数字或 . _ -")
        self.name_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.again_edit = QLineEdit()
        for edit in (self.password_edit, self.again_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("登录名", self.login_edit)
        form.addRow("姓名", self.name_edit)
        form.addRow("密码", self.password_edit)
        form.addRow("再次输入密码", self.again_edit)
        self.error_label = _note("", ERROR_STYLE)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(_note("窗口受理人员等其他账号由管理员添加：hallclient users add"))
        layout.addStretch(1)
        self.created: accounts.UserInfo | None = None
        self.busy = False

    def validatePage(self) -> bool:
        """Creates the account on the database worker; the wizard moves on when it is made."""
        if self.created is not None:
            return True
        if self.busy:
            return False
        if self.password_edit.text() != self.again_edit.text():
            self._error("两次输入的密码不一致", self.again_edit)
            return False
        ctx = self.wiz.ctx
        login, name, password = self.login_edit.text().strip(), self.name_edit.text().strip(), self.password_edit.text()
        self.busy = True
        self.error_label.setStyleSheet(HINT_STYLE)
        self.error_label.setText("正在创建账号…")

        def work() -> accounts.UserInfo:
            # The login is remembered with the rest when the wizard finishes: until then no
            # settings file, so an interrupted first run starts again.
            return accounts.add_user(ctx, None, login, name=name, roles=["admin"], departments=[],
                                     password=password).value

        self.wiz.tasks.run_db(work, self._made)
        return False

    def _made(self, result: object) -> None:
        self.busy = False
        if isinstance(result, accounts.BadAccountInput):
            fields = {"login": self.login_edit, "name": self.name_edit, "password": self.password_edit}
            self._error(str(result), fields.get(result.field))
            return
        if isinstance(result, BaseException):
            self._error(f"创建账号失败：{result}")
            return
        assert isinstance(result, accounts.UserInfo)
        self.created = result
        for edit in (self.login_edit, self.name_edit, self.password_edit, self.again_edit):
            edit.setEnabled(False)
        self.error_label.setStyleSheet(OK_STYLE)
        self.error_label.setText(f"已创建系统管理员 {result.login}")
        self.wiz.next()

    def _error(self, text: str, field: QLineEdit | None = None) -> None:
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setText(text)
        if field is not None:
            field.setFocus()
            field.selectAll()

    def nextId(self) -> int:
        return PRINTER_PAGE


class PrinterPage(QWizardPage):
    """The printer documents go to with one key, and a test page on it."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("打印机")
        self.setSubTitle("受理通知书等文书按一个键即打印到这台打印机。")
        self.combo = QComboBox()
        self.test_button = QPushButton("打印测试页")
        self.test_button.clicked.connect(self.print_test_page)
        self.result_label = _note("")
        self.fill_printers()
        row = QHBoxLayout()
        row.addWidget(self.combo, 1)
        row.addWidget(self.test_button)
        form = QFormLayout()
        form.addRow("打印机", row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        layout.addWidget(_note("可以跳过：以后在“设置 → 窗口设置”中选择打印机。"))

    def fill_printers(self) -> None:
        from PySide6.QtPrintSupport import QPrinterInfo

        self.combo.clear()
        self.combo.addItem(DEFAULT_PRINTER, "")
        default = QPrinterInfo.defaultPrinterName()
        for info in QPrinterInfo.availablePrinters():
            name = info.printerName()
            self.combo.addItem(f"{name}（系统默认）" if name == default else name, name)
        current = self.wiz.ctx.settings.printer_name
        index = self.combo.findData(current) if current else -1
        self.combo.setCurrentIndex(max(0, index))
        if self.combo.count() == 1:
            self.result_label.setStyleSheet(ERROR_STYLE)
            self.result_label.setText("本机没有安装打印机：可先跳过，文书可“另存为 PDF”；安装打印机后在窗口设置中选择。")

    @property
    def printer_name(self) -> str:
        return str(self.combo.currentData() or "")

    def print_test_page(self) -> bool:
        """One test page through `ui.print_service`; the result is said below the list."""
        from hallclient.ui.print_service import print_test_page

        window = self.wiz.window_page.number_edit.text().strip() or "1"
        ok, text, printer = print_test_page(self.printer_name, window)
        if printer is not None:
            self.printer = printer  # kept referenced
        self._said(text, ok=ok)
        return ok

    def _said(self, text: str, *, ok: bool) -> None:
        self.result_label.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.result_label.setText(text)

    def nextId(self) -> int:
        return -1


class FirstRunWizard(QWizard):
    """`saved` holds the field names written once the wizard finished; `admin` the first
    administrator made here (None when joining a central, or when one existed already)."""

    def __init__(self, ctx: ServiceContext, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tasks = ctx, tasks
        self.setWindowTitle("综合窗口首次设置")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in ((QWizard.WizardButton.BackButton, "< 上一步"),
                             (QWizard.WizardButton.NextButton, "下一步 >"),
                             (QWizard.WizardButton.FinishButton, "完成"),
                             (QWizard.WizardButton.CancelButton, "退出")):
            self.setButtonText(button, text)
        self.needs_admin = accounts.needs_first_admin(ctx)
        self.mode_page = ModePage(self)
        self.window_page = WindowPage(self)
        self.admin_page = AdminPage(self)
        self.printer_page = PrinterPage(self)
        for page_id, page in ((MODE_PAGE, self.mode_page), (WINDOW_PAGE, self.window_page),
                              (ADMIN_PAGE, self.admin_page), (PRINTER_PAGE, self.printer_page)):
            self.setPage(page_id, page)
        self.setStartId(MODE_PAGE)
        self.saving = False
        self.saved: list[str] | None = None
        self.last_error: str | None = None
        self.resize(640, 480)

    @property
    def wants_admin(self) -> bool:
        return self.mode_page.is_standalone and (self.needs_admin or self.admin_page.created is not None)

    @property
    def admin(self) -> accounts.UserInfo | None:
        return self.admin_page.created

    def values(self) -> dict[str, object]:
        standalone = self.mode_page.is_standalone
        url, token, ca = self.mode_page.values()
        chosen = self.window_page.chosen()
        values: dict[str, object] = {
            "central_url": "" if standalone else url,
            "central_token": "" if standalone else token,
            "central_ca_file": "" if standalone else ca,
            "window_number": self.window_page.number_edit.text().strip(),
            "window_categories": None if set(chosen) == set(DEFAULT_CATEGORY_PREFIXES) else chosen,
            "printer_name": self.printer_page.printer_name,
        }
        if self.admin is not None:
            values["last_login"] = self.admin.login
        return values

    def accept(self) -> None:
        """Finish: save through the settings service on the database worker, then close."""
        if self.saving:
            return
        if self.saved is not None:
            super().accept()
            return
        ctx, values = self.ctx, self.values()
        admin = self.admin
        actor = accounts.actor_of(admin, values["window_number"]) if admin is not None else None  # type: ignore[arg-type]
        self.saving = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.tasks.run_op(lambda: settings_service.save_first_run(ctx, actor, values), self._saved, source=self)

    def _saved(self, result: object) -> None:
        self.saving = False
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        if isinstance(result, BaseException):
            self.last_error = f"设置未保存：{result}"
            self.printer_page._said(self.last_error, ok=False)
            return
        from hallclient.ui.print_service import set_preferred_printer

        self.saved = list(result) if isinstance(result, list) else []
        set_preferred_printer(self.ctx.settings.printer_name)
        super().accept()


def run_first_run(ctx: ServiceContext, tasks: TaskRunner, parent: QWidget | None = None) -> bool:
    """Show the wizard; True once its settings were saved, False when the person quit."""
    from PySide6.QtWidgets import QDialog

    wizard = FirstRunWizard(ctx, tasks, parent)
    return wizard.exec() == QDialog.DialogCode.Accepted and wizard.saved is not None
