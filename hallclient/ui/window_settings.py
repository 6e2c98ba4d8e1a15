"""The window settings dialog: the window's own settings and (for an administrator) the hall's.

Everything the first-run wizard asks can be changed here later: the central's address, token
and CA file (with a live connection test), the window number and the queue categories it
serves, and the printer (with a test page). Two columns so it fits 1366×768: 本窗口 on the left,
the hall settings on the right.

The dialog only collects the values; the caller saves them through
`services.settings.update_settings`, which requires an administrator for the hall settings
(authority, seal, case-number pattern, the legal bodies) and records the change in the audit
trail. The window's own settings may be changed by whoever is signed in here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hallclient.core.cases import CaseNumberPatternError, format_case_number
from hallclient.core.permissions import Action, Actor, allowed
from hallclient.core.queue import DEFAULT_CATEGORY_PREFIXES
from hallclient.settings import Settings
from hallclient.ui.text_fit import elide_label, set_elided_text

ADMIN_ONLY = QT_TRANSLATE_NOOP("WindowSettings", "仅系统管理员可修改")
DEFAULT_PRINTER = QT_TRANSLATE_NOOP("WindowSettings", "（系统默认打印机）")
ERROR_STYLE = "color: #c62828;"
OK_STYLE = "color: #1b5e20;"
HINT_STYLE = "color: #555;"


def tr(text: str) -> str:
    """The dialog's strings, through Qt's translation (context WindowSettings)."""
    return QCoreApplication.translate("WindowSettings", text)


def edit_window_settings(parent: QWidget, settings: Settings, actor: Actor,
                         tasks: Any = None) -> dict[str, Any] | None:
    """Ask for new values; None when cancelled, else field name → value (changed or not)."""
    dialog, collect = settings_dialog(parent, settings, actor, tasks=tasks)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return collect()


def _note(text: str, style: str = HINT_STYLE) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


def _result_label(name: str, lines: int) -> QLabel:
    """Where a test's outcome is said: `lines` lines kept free from the start (the dialog never
    jumps), a longer message ends in "…" with the whole of it in the tooltip."""
    label = QLabel()
    label.setObjectName(name)
    elide_label(label, lines)
    label.setFixedHeight(label.fontMetrics().lineSpacing() * lines + 4)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


class CategoryChoice(QWidget):
    """The queue categories this window serves, as check boxes (Tab moves, Space toggles), two
    to a row; a category the settings name beyond the usual ones is listed too."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.setObjectName("categoryChoice")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        known = list(DEFAULT_CATEGORY_PREFIXES)
        chosen = set(settings.window_categories or known)
        self.boxes: list[QCheckBox] = []
        for i, name in enumerate([*known, *(c for c in settings.window_categories or [] if c not in known)]):
            prefix = DEFAULT_CATEGORY_PREFIXES.get(name)
            box = QCheckBox(tr("{name}（{prefix} 字头）").format(name=name, prefix=prefix) if prefix else name)
            box.setProperty("category", name)
            box.setChecked(name in chosen)
            grid.addWidget(box, i // 2, i % 2)
            self.boxes.append(box)

    def chosen(self) -> list[str]:
        return [str(box.property("category")) for box in self.boxes if box.isChecked()]

    def set_chosen(self, names: list[str]) -> None:
        for box in self.boxes:
            box.setChecked(box.property("category") in names)


def printer_combo(current: str) -> QComboBox:
    """The system default, then every installed printer; a configured printer that is not
    installed now stays selectable (marked 未找到) so saving does not silently drop it."""
    from PySide6.QtPrintSupport import QPrinterInfo

    combo = QComboBox()
    combo.setObjectName("printerCombo")
    combo.addItem(tr(DEFAULT_PRINTER), "")
    default = QPrinterInfo.defaultPrinterName()
    names = [info.printerName() for info in QPrinterInfo.availablePrinters()]
    for name in names:
        combo.addItem(tr("{name}（系统默认）").format(name=name) if name == default else name, name)
    if current and current not in names:
        combo.addItem(tr("{name}（未找到）").format(name=current), current)
    combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
    return combo


def settings_dialog(parent: QWidget | None, settings: Settings, actor: Actor, *,
                    tasks: Any = None) -> tuple[QDialog, Callable[[], dict[str, Any]]]:
    """The dialog and the function that reads its values (tests look at it without exec).
    `tasks` (a `ui.tasks.TaskRunner`) enables the central's connection test."""
    from hallclient.settings import legal_setup_warnings

    dialog = QDialog(parent)
    dialog.setWindowTitle(tr("窗口设置"))
    outer = QVBoxLayout(dialog)
    # Never smaller than what its rows need: no label or check box is cut at any font.
    outer.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
    hall_editable = allowed(actor, Action.SETTINGS_MANAGE)
    warnings = legal_setup_warnings(settings)
    dialog.setProperty("legal_warnings", warnings)
    if warnings:  # the refusals and negative decisions print 待设置 until the hall sets them
        notice = QLabel("\n".join(f"⚠ {w}" for w in warnings))
        notice.setObjectName("legalWarnings")
        notice.setWordWrap(True)
        notice.setStyleSheet("color: #9b1c1c; background: #fff4e5; padding: 6px; border: 1px solid #f0c36d;")
        outer.addWidget(notice)
    columns = QHBoxLayout()
    outer.addLayout(columns, 1)
    left = QVBoxLayout()
    columns.addLayout(left, 1)

    # -- 本窗口 ---------------------------------------------------------------------------------
    own_box = QGroupBox(tr("本窗口"))
    own = QFormLayout(own_box)
    window = QLineEdit(settings.window_number)
    window.setObjectName("windowNumberEdit")
    window.setMaxLength(8)
    categories = CategoryChoice(settings)
    printer = printer_combo(settings.printer_name)
    test_page = QPushButton(tr("打印测试页"))
    test_page.setObjectName("testPageButton")
    printer_row = QHBoxLayout()
    printer_row.addWidget(printer, 1)
    printer_row.addWidget(test_page)
    printer_result = _result_label("printerResult", 2)
    idle = QSpinBox()
    idle.setRange(0, 120)
    idle.setSuffix(tr(" 分钟"))
    idle.setSpecialValueText(tr("不自动锁屏"))
    idle.setValue(int(settings.idle_lock_minutes))
    own.addRow(tr("窗口号"), window)
    own.addRow(tr("当前登录"), QLabel(actor.describe()))
    own.addRow(tr("受理类别"), categories)
    own.addRow("", _note(tr("全部勾选即受理所有类别的号。")))
    own.addRow(tr("打印机"), printer_row)
    own.addRow("", printer_result)
    own.addRow(tr("无操作自动锁屏"), idle)
    left.addWidget(own_box)

    # -- 中心服务 -------------------------------------------------------------------------------
    central_box = QGroupBox(tr("中心服务"))
    central_form = QFormLayout(central_box)
    central = QLineEdit(settings.central_url)
    central.setObjectName("centralUrlEdit")
    central.setPlaceholderText(tr("留空：单机运行，不连接中心服务"))
    token = QLineEdit(settings.central_token)
    token.setObjectName("centralTokenEdit")
    token.setEchoMode(QLineEdit.EchoMode.Password)
    token.setPlaceholderText(tr("由中心服务管理员发放"))
    token.setToolTip(tr("由中心服务管理员用 hallclient central add-window 发放"))
    ca = QLineEdit(settings.central_ca_file)
    ca.setObjectName("caFileEdit")
    ca.setPlaceholderText(tr("hall-ca.pem；留空：系统证书"))
    ca.setToolTip(tr("https:// 的中心服务用大厅 CA 证书（PEM）验证；留空使用系统证书"))
    ca_button = QPushButton(tr("选择…"))
    ca_button.setObjectName("caFileButton")
    ca_row = QHBoxLayout()
    ca_row.addWidget(ca, 1)
    ca_row.addWidget(ca_button)
    test_central = QPushButton(tr("测试连接"))
    test_central.setObjectName("testCentralButton")
    test_central.setVisible(tasks is not None)
    central_result = _result_label("centralResult", 3)
    central_form.addRow(tr("中心服务地址"), central)
    central_form.addRow(tr("窗口令牌"), token)
    central_form.addRow(tr("CA 证书文件"), ca_row)
    test_row = QHBoxLayout()
    test_row.addWidget(test_central)
    test_row.addStretch(1)
    central_form.addRow("", test_row)
    central_form.addRow("", central_result)
    left.addWidget(central_box)
    left.addStretch(1)

    # -- 大厅设置 -------------------------------------------------------------------------------
    hall_box = QGroupBox(tr("大厅设置") if hall_editable else tr("大厅设置") + f"（{tr(ADMIN_ONLY)}）")
    hall = QFormLayout(hall_box)
    authority = QLineEdit(settings.authority)
    seal = QLineEdit(settings.seal_name)
    pattern = QLineEdit(settings.case_number_pattern)
    pattern.setToolTip(tr("{year} 年份，{window} 窗口号，{seq} 本窗口当年流水号；须含 {window} 和 {seq}"))
    reconsideration = QLineEdit(settings.reconsideration_body)
    reconsideration.setPlaceholderText(tr("待设置：如 信阳市平桥区人民政府"))
    reconsideration.setToolTip(tr("行政复议机关：与本机关法制部门确认后填写"))
    court = QLineEdit(settings.court)
    reconsideration.setObjectName("reconsiderationEdit")
    court.setObjectName("courtEdit")
    court.setPlaceholderText(tr("待设置：本地行政案件的管辖法院"))
    court.setToolTip(tr("管辖法院：与本机关法制部门确认后填写"))
    for edit, name in ((authority, "authorityEdit"), (seal, "sealEdit"), (pattern, "patternEdit")):
        edit.setObjectName(name)
    for edit in (authority, seal, pattern, reconsideration, court):
        edit.setMinimumWidth(340)
        if not hall_editable:
            edit.setReadOnly(True)
            edit.setToolTip(tr("大厅设置，") + tr(ADMIN_ONLY))
    example = QLabel()
    example.setObjectName("patternExample")
    hall.addRow(tr("发文机关"), authority)
    hall.addRow(tr("印章名称"), seal)
    hall.addRow(tr("受理编号格式"), pattern)
    hall.addRow("", example)
    hall.addRow(tr("行政复议机关"), reconsideration)
    hall.addRow(tr("管辖法院"), court)
    if not hall_editable:
        hall.addRow("", _note(tr("发文机关、印章名称、受理编号格式、复议机关和管辖法院是大厅设置，") + tr(ADMIN_ONLY) + "。"))
    right = QVBoxLayout()
    right.addWidget(hall_box)
    right.addStretch(1)
    columns.addLayout(right, 1)

    problem = QLabel()
    problem.setObjectName("settingsProblem")
    problem.setStyleSheet(ERROR_STYLE)
    problem.setFixedHeight(problem.fontMetrics().lineSpacing() + 4)  # said or not, nothing moves
    outer.addWidget(problem)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok_button.setText(tr("确定"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
    outer.addWidget(buttons)

    def check() -> None:
        """The OK button only for values the window can work with; the reason said below."""
        number = window.text().strip()
        text = ""
        try:
            sample = format_case_number(pattern.text(), year=2026, window=number or "1", seq=123)
        except (CaseNumberPatternError, ValueError, IndexError, KeyError) as error:
            example.setText(f"<span style='color:#c62828'>{error}</span>")
            text = tr("受理编号格式有误")
        else:
            example.setText(tr("示例：") + sample)
        if number and not number.isalnum():
            text = tr("窗口号只能由数字或字母组成")
        elif not categories.chosen():
            text = tr("请至少勾选一个受理类别")
        problem.setText(text)
        ok_button.setEnabled(not text)

    def choose_ca() -> None:
        path, _ = QFileDialog.getOpenFileName(dialog, tr("选择大厅 CA 证书"), ca.text(),
                                              tr("证书 (*.pem *.crt *.cer);;所有文件 (*)"))
        if path:
            ca.setText(path)

    def say(label: QLabel, text: str, ok: bool | None) -> None:
        label.setStyleSheet(HINT_STYLE if ok is None else OK_STYLE if ok else ERROR_STYLE)
        set_elided_text(label, text)

    def print_test() -> None:
        from hallclient.ui.print_service import print_test_page

        ok, text, used = print_test_page(str(printer.currentData() or ""), window.text().strip())
        dialog.setProperty("test_printer", used)  # kept referenced while the job spools
        say(printer_result, text, ok)

    def test_connection() -> None:
        if tasks is None or not test_central.isEnabled():
            return
        from hallclient.services.central_check import check_central

        url, key, ca_file = central.text().strip(), token.text().strip(), ca.text().strip()
        if not url:
            say(central_result, tr("未填写中心服务地址：本窗口将单机运行。"), None)
            return
        test_central.setEnabled(False)
        say(central_result, tr("正在连接中心服务…"), None)

        def tested(result: Any) -> None:
            test_central.setEnabled(True)
            if isinstance(result, BaseException):
                say(central_result, tr("无法连接中心服务：") + str(result), False)
                return
            text = result.message
            if result.ok and result.window_number and result.window_number != window.text().strip():
                text += tr("。注意：令牌属于 {n} 号窗口，与此处填写的不同").format(n=result.window_number)
            say(central_result, text, result.ok)

        tasks.run_net(lambda: check_central(url, key, ca_file), tested)

    pattern.textChanged.connect(check)
    window.textChanged.connect(check)
    for box in categories.boxes:
        box.toggled.connect(lambda _on: check())
    ca_button.clicked.connect(choose_ca)
    test_page.clicked.connect(print_test)
    test_central.clicked.connect(test_connection)
    for edit in (central, token, ca):
        edit.textChanged.connect(lambda _text: set_elided_text(central_result, ""))
    printer.currentIndexChanged.connect(lambda _i: set_elided_text(printer_result, ""))
    check()
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    dialog.setMinimumWidth(940)

    def collect() -> dict[str, Any]:
        chosen = categories.chosen()
        every = set(DEFAULT_CATEGORY_PREFIXES)
        return {
            "window_number": window.text().strip() or settings.window_number,
            # All the usual categories checked: None, "every category", as the wizard saves it.
            "window_categories": None if set(chosen) == every and len(chosen) == len(every) else chosen,
            "printer_name": str(printer.currentData() or ""),
            "authority": authority.text().strip() or settings.authority,
            "seal_name": seal.text().strip() or settings.seal_name,
            "case_number_pattern": pattern.text(),
            "central_url": central.text().strip(),
            "central_token": token.text().strip(),
            "central_ca_file": ca.text().strip(),
            "idle_lock_minutes": idle.value(),
            "reconsideration_body": reconsideration.text().strip(),
            "court": court.text().strip(),
        }

    return dialog, collect
