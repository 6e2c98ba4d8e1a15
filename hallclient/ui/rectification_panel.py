"""The supervisor's 差评整改 list: every task from a bad rating, overdue first and in red, with
filters, the count of open and overdue tasks in the tab title, and the task itself beside the
list (`rectification_view`). `SupervisionPanel` is shared with the complaints list.

Lists are re-read when a service reports a change (through the change hub) and once a minute
(ratings from the QR page arrive by sync; a task becomes overdue as the day turns)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hallclient.core.evaluation import LEVEL_LABELS, RECT_LABELS, Rectification, RectState
from hallclient.core.permissions import Actor
from hallclient.services import complaints as complaint_service
from hallclient.services import evaluation
from hallclient.services.changes import Changes
from hallclient.services.context import ServiceContext
from hallclient.ui.messages import warn
from hallclient.ui.rectification_action import StepDialog, StepSpec
from hallclient.ui.rectification_view import WorkView, rect_spec, show_rectification
from hallclient.ui.tasks import TaskRunner

RED = QColor("#c62828")
RED_BACK = QColor("#fdecea")
REFRESH_MS = 60_000


class SupervisionPanel(QWidget):
    """Filters on top; the list on the left, overdue first; the selected item's view on the right."""

    title_changed = Signal(str)
    message = Signal(str)
    COLUMNS: tuple[str, ...] = ()
    FILTERS: tuple[tuple[str, str], ...] = ()  # (key, label); the first is the default

    def __init__(self, ctx: ServiceContext, tasks: TaskRunner, actor: Callable[[], Actor],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tasks, self.actor = ctx, tasks, actor
        self.items: list[Any] = []
        self.shown: list[Any] = []
        self.current_key: str | None = None  # the item in the view (it stays there when filtered out)
        self.current: Any | None = None
        self.steps_done = 0
        self.today = date.today()
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.filter_combo = QComboBox()
        for key, label in self.FILTERS:
            self.filter_combo.addItem(label, key)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("窗口、人员或编号"))
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(self.refresh)
        bar.addWidget(QLabel(self.tr("显示")))
        bar.addWidget(self.filter_combo)
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.count_label)
        self.extra_bar = bar
        bar.addWidget(refresh)
        layout.addLayout(bar)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.view = WorkView()
        splitter.addWidget(self.table)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([600, 480])
        self.splitter = splitter
        layout.addWidget(splitter, 1)
        self.filter_combo.currentIndexChanged.connect(self._render)
        self.search_edit.textChanged.connect(self._render)
        self.table.itemSelectionChanged.connect(self._selected)
        self.view.step_requested.connect(self._step)
        self.view.clear(self.tr("请在左侧列表中选择"))
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.loaded = 0  # how many loads came back (tests wait on it)
        self.refresh()

    # -- what a subclass says ----------------------------------------------------------------------
    def load(self, ctx: ServiceContext, actor: Actor) -> list[Any]:
        raise NotImplementedError

    def key(self, item: Any) -> str:
        raise NotImplementedError

    def cells(self, item: Any) -> tuple[list[str], bool]:
        """The row's texts and whether it is overdue."""
        raise NotImplementedError

    def matches(self, item: Any, flt: str) -> bool:
        raise NotImplementedError

    def is_open(self, item: Any) -> bool:
        raise NotImplementedError

    def show_item(self, item: Any) -> None:
        raise NotImplementedError

    def spec(self, item: Any, action: str) -> StepSpec:
        raise NotImplementedError

    def advance(self, ctx: ServiceContext, actor: Actor, item: Any, action: str, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def subject(self, item: Any) -> str:
        return self.key(item)

    def title(self) -> str:
        raise NotImplementedError

    # -- loading -------------------------------------------------------------------------------
    def on_changes(self, changes: Changes, _sources: frozenset) -> None:  # type: ignore[type-arg]
        if changes.audit or changes.outbox or changes.cases:
            self.refresh()

    def refresh(self) -> None:
        ctx, actor = self.ctx, self.actor()
        self.tasks.run_db(lambda: self.load(ctx, actor), self._loaded)

    def _loaded(self, result: object) -> None:
        self.loaded += 1
        if isinstance(result, BaseException):
            self.message.emit(str(result))
            return
        self.today = self.ctx.clock().date()
        self.items = list(result)  # type: ignore[call-overload]
        self._render()
        self.title_changed.emit(self.title())

    def counts(self) -> tuple[int, int]:
        open_items = [i for i in self.items if self.is_open(i)]
        return len(open_items), sum(1 for i in open_items if self.cells(i)[1])

    def _render(self) -> None:
        keep = self.current_key
        flt = self.filter_combo.currentData()
        text = self.search_edit.text().strip().upper()
        self.shown = [i for i in self.items if self.matches(i, flt)
                      and (not text or any(text in c.upper() for c in self.cells(i)[0]))]
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.setRowCount(len(self.shown))
        row_to_select = -1
        for r, item in enumerate(self.shown):
            texts, late = self.cells(item)
            for c, value in enumerate(texts):
                cell = QTableWidgetItem(value)
                if late:
                    cell.setForeground(QBrush(RED))
                    cell.setBackground(QBrush(RED_BACK))
                self.table.setItem(r, c, cell)
            if keep is not None and self.key(item) == keep:
                row_to_select = r
        self.table.blockSignals(False)
        opened, overdue = self.counts()
        self.count_label.setText(self.tr("共 %d 条 · 未办结 %d · 逾期 %d") % (len(self.shown), opened, overdue))
        if row_to_select >= 0:
            self.table.selectRow(row_to_select)
            self._display(self.shown[row_to_select])
        elif keep is None and self.shown:
            self.table.selectRow(0)
        elif keep is not None:  # the item shown is filtered out now (e.g. just closed): it stays in view
            current = next((i for i in self.items if self.key(i) == keep), None)
            if current is not None:
                self._display(current)
            else:
                self.current_key = None
                self.view.clear(self.tr("请在左侧列表中选择"))
        else:
            self.view.clear(self.tr("请在左侧列表中选择"))

    def _display(self, item: Any) -> None:
        self.current_key = self.key(item)
        self.current = item
        self.show_item(item)

    def selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if rows and rows[0].row() < len(self.shown):
            return self.shown[rows[0].row()]
        return None

    def select_key(self, key: str) -> None:
        for r, item in enumerate(self.shown):
            if self.key(item) == key:
                self.table.selectRow(r)
                return

    def _selected(self) -> None:
        item = self.selected()
        if item is not None:
            self._display(item)

    # -- a step ----------------------------------------------------------------------------------
    def _step(self, action: str) -> None:
        item = self.current
        if item is None:
            return
        dialog = StepDialog(self.spec(item, action), self.subject(item), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.take_step(item, action, dialog.values()))
        self.step_dialog = dialog
        dialog.open()

    def take_step(self, item: Any, action: str, values: dict[str, Any]) -> None:
        ctx, actor = self.ctx, self.actor()
        self.tasks.run_op(lambda: self.advance(ctx, actor, item, action, values), self._stepped, source=self)

    def _stepped(self, result: object) -> None:
        if isinstance(result, BaseException):
            warn(self, self.tr("未能办理"), str(result))
            return
        self.items = [result if self.key(i) == self.key(result) else i for i in self.items]
        self.steps_done += 1
        self._render()
        self.title_changed.emit(self.title())
        self.message.emit(self.tr("已办理：%s") % self.subject(result))


class RectificationPanel(SupervisionPanel):
    complaint_made = Signal(str)  # number of the complaint a 差评 became
    COLUMNS = ("逾期", "状态", "窗口", "人员", "评价", "回访期限", "整改期限", "受理编号")
    FILTERS = (("open", "未办结"), ("overdue", "逾期"), ("all", "全部"),
               *((s.value, RECT_LABELS[s]) for s in RectState))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phone_button = QPushButton(self.tr("查看回访电话"))
        self.phone_button.setToolTip(self.tr("查看将记入审计日志"))
        self.phone_label = QLabel()
        self.complaint_button = QPushButton(self.tr("转为投诉"))
        self.view.extra.addWidget(self.phone_button)
        self.view.extra.addWidget(self.phone_label)
        self.view.extra.addStretch(1)
        self.view.extra.addWidget(self.complaint_button)
        self.phone_button.clicked.connect(self.reveal_phone)
        self.complaint_button.clicked.connect(self.to_complaint)

    def load(self, ctx: ServiceContext, actor: Actor) -> list[Rectification]:
        return evaluation.rectifications(ctx, actor)

    def key(self, item: Rectification) -> str:
        return item.uuid

    def subject(self, item: Rectification) -> str:
        return self.tr("差评整改 %s") % (item.case_number or item.window_number + " 号窗口")

    def cells(self, item: Rectification) -> tuple[list[str], bool]:
        late = item.overdue(self.today)
        return ([("、".join(late)), RECT_LABELS[item.state], item.window_number, item.clerk_login,
                 LEVEL_LABELS[item.level], str(item.contact_by or ""), str(item.rectify_by or ""),
                 item.case_number or ""], bool(late))

    def is_open(self, item: Rectification) -> bool:
        return item.state is not RectState.CLOSED

    def matches(self, item: Rectification, flt: str) -> bool:
        if flt == "open":
            return self.is_open(item)
        if flt == "overdue":
            return bool(item.overdue(self.today))
        return flt == "all" or item.state.value == flt

    def title(self) -> str:
        opened, late = self.counts()
        return self.tr("差评整改（%d）") % opened + (self.tr("·逾期 %d") % late if late else "")

    def show_item(self, item: Rectification) -> None:
        show_rectification(self.view, item, self.today)
        if item.uuid != getattr(self, "_shown_uuid", None):  # a refresh keeps a phone already read
            self.phone_label.clear()
        self._shown_uuid = item.uuid
        self.phone_button.setEnabled(item.real_name)
        self.complaint_button.setEnabled(True)

    def spec(self, item: Rectification, action: str) -> StepSpec:
        return rect_spec(action, item.state)

    def advance(self, ctx: ServiceContext, actor: Actor, item: Rectification, action: str,
                values: dict[str, Any]) -> Any:
        return evaluation.advance(ctx, actor, item.uuid, action, note=str(values.get("note") or ""),
                                  verdict=values.get("verdict"), upheld=values.get("upheld"))

    def reveal_phone(self) -> None:
        item = self.current
        if item is None:
            return
        ctx, actor = self.ctx, self.actor()

        def shown(phone: object) -> None:
            if isinstance(phone, BaseException):
                warn(self, self.tr("不能查看"), str(phone))
            else:
                self.phone_label.setText(self.tr("回访电话：%s（已记入审计日志）") % (phone or self.tr("未留")))

        # reading the phone writes the audit: a service call like any other write
        self.tasks.run_op(lambda: _audited(evaluation.callback_phone(ctx, actor, item.uuid)), shown, source=self)

    def to_complaint(self) -> None:
        """The 差评 becomes a complaint in one step: case, window, clerk and what was said come along."""
        item = self.current
        if item is None:
            return
        ctx, actor = self.ctx, self.actor()

        def work() -> Any:
            for existing in complaint_service.list_complaints(ctx, actor):
                if existing.rating_uuid == item.rating_uuid:
                    raise ValueError(f"该差评已转为投诉 {existing.number}")
            name = ""
            if item.case_number:
                from hallclient.services import cases as case_service

                try:
                    name = case_service.find_case(ctx, actor, item.case_number).applicant.name
                except Exception:  # the case may not be readable here: the complainant stays unnamed
                    name = ""
            return complaint_service.from_rating(ctx, actor, item.rating_uuid, complainant=name or "评价人（未留姓名）")

        def done(result: object) -> None:
            if isinstance(result, BaseException):
                warn(self, self.tr("未能转为投诉"), str(result))
                return
            number = result.number  # type: ignore[attr-defined]
            self.message.emit(self.tr("差评已转为投诉 %s") % number)
            self.complaint_made.emit(number)

        self.tasks.run_op(work, done, source=self)


def _audited(phone: str) -> Any:
    from hallclient.services.changes import Result

    return Result(phone, Changes(audit=True))
