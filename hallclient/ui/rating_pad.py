"""The rating pad (评价器): what the applicant sees and touches after a service.

Five levels as large buttons, all alike and in the usual order, nothing preselected or
highlighted (DB2203/T 8-2024: staff must not hint at a score, so the pad must not either);
then, optionally, the four indicators and a comment; for 不满意 / 非常不满意 the hall's 差评
reasons (at least one) and an optional phone for the callback, typed on an on-screen keypad.

The view only collects; `RatingController` records through the service. A countdown closes the
pad as 未评价 when nobody touches it (each touch starts the countdown again); a choice made but
never submitted is not a rating.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hallclient.core.evaluation import BAD_LEVELS, INDICATORS, LEVEL_LABELS, Level
from hallclient.core.validators import check_mobile

LEVELS = tuple(LEVEL_LABELS)  # 非常满意 … 非常不满意, the order every pad uses
RESULT_SECONDS = 5  # how long the thanks (or the refusal) stays before the pad closes

STYLE = """
#ratingPad { background: #f4f6f8; }
QLabel#padTitle { font-size: 24pt; font-weight: bold; color: #1f2d3d; }
QLabel#padSub { font-size: 13pt; color: #4a5a6a; }
QLabel#padCaption { font-size: 14pt; color: #1f2d3d; }
QLabel#padCountdown { font-size: 11pt; color: #6b7785; }
QLabel#padResult { font-size: 19pt; color: #1f2d3d; }
QPushButton { background: white; color: #1f2d3d; border: 2px solid #9aa7b4; border-radius: 10px; }
QPushButton:pressed { background: #e3e8ee; }
QPushButton:disabled { background: #e6e9ed; color: #8a96a3; border-color: #cfd6dd; }
QPushButton:checked { background: #2c4a6b; color: white; border-color: #2c4a6b; }
QPushButton#optionButton { font-size: 13pt; }
QPushButton#keyButton { font-size: 16pt; }
QPushButton#submitButton, QPushButton#nextButton { font-size: 16pt; background: #2c4a6b; color: white;
    border-color: #2c4a6b; }
QPushButton#backButton { font-size: 13pt; }
QLineEdit#phoneEdit { font-size: 18pt; padding: 4px; }
QPlainTextEdit { font-size: 13pt; background: white; }
"""

TOUCH_EVENTS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
                          QEvent.Type.TabletPress, QEvent.Type.InputMethod})


def _button(text: str, name: str, height: int, checkable: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setMinimumHeight(height)
    button.setCheckable(checkable)
    button.setAutoDefault(False)
    # No focus frame either: the first button must not look chosen.
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return button


def _label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class RatingPad(QWidget):
    """Pages: the five levels → (差评) reasons and phone → indicators and comment → thanks."""

    submitted = Signal(object)  # dict: level, indicators, comment, reasons, phone
    timed_out = Signal()
    finished = Signal()  # the result was shown long enough: close me

    def __init__(self, reasons: tuple[str, ...], timeout_seconds: int, heading: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ratingPad")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.reasons = reasons
        self.timeout_seconds = max(1, int(timeout_seconds))
        self.remaining = self.timeout_seconds
        self.level: Level | None = None
        self.done = False  # submitted or timed out: the countdown no longer runs
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 20, 32, 12)
        self.heading = _label(heading, "padSub")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.heading)
        outer.addWidget(self.stack, 1)
        self.countdown = _label("", "padCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(self.countdown)
        self._build_levels()
        self._build_bad()
        self._build_details()
        self._build_result()
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._closer = QTimer(self)
        self._closer.setSingleShot(True)
        self._closer.timeout.connect(self.finished.emit)
        self.installEventFilter(self)
        self._render_countdown()
        self._ticker.start()

    # -- pages -----------------------------------------------------------------------------------
    def _build_levels(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        title = _label(self.tr("请您对本次服务进行评价"), "padTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        layout.addSpacing(28)
        row = QHBoxLayout()
        row.setSpacing(16)
        self.level_buttons: dict[Level, QPushButton] = {}
        for level in LEVELS:
            button = _button(LEVEL_LABELS[level], "levelButton", 150)
            button.clicked.connect(lambda _c=False, lv=level: self.choose(lv))
            self.level_buttons[level] = button
            row.addWidget(button)
        layout.addLayout(row)
        layout.addSpacing(20)
        hint = _label(self.tr("评价仅用于改进服务，您的信息将严格保密"), "padSub")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        layout.addStretch(2)
        self.stack.addWidget(page)

    def _build_bad(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.bad_title = _label("", "padTitle")
        layout.addWidget(self.bad_title)
        body = QHBoxLayout()
        body.setSpacing(24)
        left = QVBoxLayout()
        left.addWidget(_label(self.tr("请选择不满意的原因（可多选）"), "padCaption"))
        grid = QGridLayout()
        grid.setSpacing(10)
        self.reason_buttons: dict[str, QPushButton] = {}
        for i, reason in enumerate(self.reasons):
            button = _button(reason, "optionButton", 56, checkable=True)
            button.toggled.connect(self._reasons_changed)
            self.reason_buttons[reason] = button
            grid.addWidget(button, i // 2, i % 2)
        left.addLayout(grid)
        left.addStretch(1)
        body.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(_label(self.tr("如需回访，请留下手机号（选填）"), "padCaption"))
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("phoneEdit")
        self.phone_edit.setMaxLength(11)
        self.phone_edit.setInputMask("")
        self.phone_edit.setPlaceholderText(self.tr("手机号"))
        right.addWidget(self.phone_edit)
        keys = QGridLayout()
        keys.setSpacing(8)
        for i, key in enumerate(("1", "2", "3", "4", "5", "6", "7", "8", "9", "清空", "0", "退格")):
            button = _button(key, "keyButton", 52)
            button.clicked.connect(lambda _c=False, k=key: self._key(k))
            keys.addWidget(button, i // 3, i % 3)
        right.addLayout(keys)
        right.addStretch(1)
        body.addLayout(right, 2)
        layout.addLayout(body, 1)
        row = QHBoxLayout()
        back = _button(self.tr("重新选择"), "backButton", 56)
        back.clicked.connect(self.restart)
        self.next_button = _button(self.tr("下一步"), "nextButton", 56)
        self.next_button.clicked.connect(lambda: self.stack.setCurrentIndex(2))
        self.bad_hint = _label("", "padSub")
        row.addWidget(back, 1)
        row.addWidget(self.bad_hint, 2)
        row.addWidget(self.next_button, 2)
        layout.addLayout(row)
        self.stack.addWidget(page)

    def _build_details(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.details_title = _label("", "padTitle")
        layout.addWidget(self.details_title)
        layout.addWidget(_label(self.tr("还可以对以下各项分别评价（选填）"), "padCaption"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(8)
        self.indicator_buttons: dict[str, dict[Level, QPushButton]] = {}
        for line, (key, name) in enumerate(INDICATORS.items()):
            grid.addWidget(_label(name, "padCaption"), line, 0)
            buttons: dict[Level, QPushButton] = {}
            for col, level in enumerate(LEVELS, start=1):
                button = _button(LEVEL_LABELS[level], "optionButton", 48, checkable=True)
                # one level per indicator; a second touch takes the choice back
                button.clicked.connect(lambda checked, k=key, lv=level: self._indicator(k, lv, checked))
                buttons[level] = button
                grid.addWidget(button, line, col)
            grid.setColumnStretch(0, 0)
            self.indicator_buttons[key] = buttons
        for col in range(1, len(LEVELS) + 1):
            grid.setColumnStretch(col, 1)
        layout.addLayout(grid)
        layout.addWidget(_label(self.tr("意见或建议（选填）"), "padCaption"))
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setFixedHeight(70)
        layout.addWidget(self.comment_edit)
        layout.addStretch(1)
        row = QHBoxLayout()
        back = _button(self.tr("重新选择"), "backButton", 60)
        back.clicked.connect(self.restart)
        self.submit_button = _button(self.tr("提交评价"), "submitButton", 60)
        self.submit_button.clicked.connect(self.submit)
        row.addWidget(back, 1)
        row.addWidget(self.submit_button, 3)
        layout.addLayout(row)
        self.stack.addWidget(page)

    def _build_result(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.result_label = _label("", "padResult")
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        self.stack.addWidget(page)

    # -- what the applicant does -----------------------------------------------------------------
    def choose(self, level: Level) -> None:
        self.level = level
        chosen = self.tr("您的评价：%s") % LEVEL_LABELS[level]
        self.bad_title.setText(chosen)
        self.details_title.setText(chosen)
        if level in BAD_LEVELS:
            self._reasons_changed()
            self.stack.setCurrentIndex(1)
        else:
            self.stack.setCurrentIndex(2)

    def restart(self) -> None:
        self.level = None
        for button in self.reason_buttons.values():
            button.setChecked(False)
        self.phone_edit.clear()
        self.stack.setCurrentIndex(0)

    def _reasons_changed(self, *_args: object) -> None:
        chosen = bool(self.chosen_reasons())
        self.next_button.setEnabled(chosen)
        self.bad_hint.setText("" if chosen else self.tr("请至少选择一项原因"))

    def _indicator(self, key: str, level: Level, checked: bool) -> None:
        if checked:  # one level per indicator
            for other, button in self.indicator_buttons[key].items():
                if other is not level:
                    button.setChecked(False)

    def _key(self, key: str) -> None:
        text = self.phone_edit.text()
        if key == "清空":
            self.phone_edit.clear()
        elif key == "退格":
            self.phone_edit.setText(text[:-1])
        elif len(text) < 11:
            self.phone_edit.setText(text + key)

    def chosen_reasons(self) -> tuple[str, ...]:
        return tuple(r for r, b in self.reason_buttons.items() if b.isChecked())

    def indicators(self) -> dict[str, Level]:
        return {key: level for key, buttons in self.indicator_buttons.items()
                for level, button in buttons.items() if button.isChecked()}

    def submit(self) -> None:
        if self.done or self.level is None:
            return
        bad = self.level in BAD_LEVELS
        phone = self.phone_edit.text().strip() if bad else ""
        if phone and not (check := check_mobile(phone)).ok:
            self.bad_hint.setText(check.message)
            self.stack.setCurrentIndex(1)
            return
        self.done = True
        self._ticker.stop()
        self.submit_button.setEnabled(False)
        self.countdown.setText(self.tr("正在提交…"))
        self.submitted.emit({"level": self.level, "indicators": self.indicators(),
                             "comment": self.comment_edit.toPlainText().strip(),
                             "reasons": self.chosen_reasons() if bad else (), "phone": phone})

    def expire(self) -> None:
        """Nobody rated in time: the controller records 未评价 and the pad closes."""
        if self.done:
            return
        self.done = True
        self._ticker.stop()
        self.timed_out.emit()

    # -- after the service answered --------------------------------------------------------------
    def show_result(self, text: str) -> None:
        """The thanks, or why the rating was not recorded; the pad closes a little later."""
        self.result_label.setText(text)
        self.stack.setCurrentIndex(3)
        self.countdown.setText("")
        self._closer.start(RESULT_SECONDS * 1000)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The five levels stay on one line at any width: the font follows the button's width."""
        super().resizeEvent(event)
        width = (self.width() - 2 * 32 - 2 * 9 - 4 * 16) // len(LEVELS)  # margins, page, spacing
        longest = max(len(LEVEL_LABELS[lv]) for lv in LEVELS)
        pixels = max(14, min(28, (width - 20) // longest))
        for button in self.level_buttons.values():
            font = button.font()
            font.setPixelSize(pixels)
            button.setFont(font)

    # -- countdown -------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in TOUCH_EVENTS and not self.done:
            self.remaining = self.timeout_seconds
            self._render_countdown()
        return False

    def watch(self, widget: QWidget) -> None:
        """Touches anywhere on the pad's window restart the countdown."""
        widget.installEventFilter(self)
        for child in widget.findChildren(QWidget):
            child.installEventFilter(self)

    def _tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self.expire()
        else:
            self._render_countdown()

    def _render_countdown(self) -> None:
        self.countdown.setText(self.tr("%d 秒后自动关闭") % self.remaining)
