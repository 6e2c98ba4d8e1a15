"""The cases view (办件跟踪): today's and open cases, filters, search, supplement, 退件, reintake.

Every query and action goes through ``TaskRunner.run_db``; results come back on the GUI thread.
Refresh requests are coalesced (several within 200 ms make one query) and a result older than
the latest query is dropped, so a slow query never overwrites a newer list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QDialog, QHeaderView, QWidget

from hallclient.core.cases import CASE_STATE_LABELS, Case, CaseState
from hallclient.core.permissions import Actor
from hallclient.core.workdays import WorkCalendar
from hallclient.services import catalog as catalog_service
from hallclient.services.changes import Changes
from hallclient.services.context import ServiceContext
from hallclient.ui.cases_models import (
    COL_ITEMS,
    CaseTableModel,
    case_detail_html,
    outstanding_tolerated,
)
from hallclient.ui.forms.ui_cases_panel import Ui_CasesPanel
from hallclient.ui.supplement_dialog import ReturnDialog, SupplementDialog
from hallclient.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from hallclient.services.cases import CaseFilter


def _cases() -> ModuleType:
    """`services.cases` (and with it the documents package, reportlab): at the first query, not at start."""
    from hallclient.services import cases

    return cases

REFRESH_DELAY_MS = 200
TODAY_AND_OPEN = "today_and_open"
ALL_CASES = "all"

SUPPLEMENT_STATES = (CaseState.AWAITING_SUPPLEMENT, CaseState.SUPPLEMENT_OVERDUE)
RETURN_STATES = (CaseState.AWAITING_SUPPLEMENT, CaseState.SUPPLEMENT_OVERDUE, CaseState.ACCEPTED)
# A sent-back case (退回窗口) is taken again like a one-time-noticed one: a corrected checklist,
# or a one-time notice when the chief representative's opinion names what is missing.
REINTAKE_STATES = (CaseState.ONE_TIME_NOTICED, CaseState.SENT_BACK)

EMPTY_HTML = "<p style='color:#777'>选择一件办件查看详情（↑↓ 选择，Enter 进入详情）。</p>"
ERROR_STYLE = "color: #9b1c1c;"
INFO_STYLE = "color: #1d4e89;"


class CasesPanel(QWidget):
    reintake_requested = Signal(object)  # Case: the one-time-noticed case to pre-fill a new intake
    case_changed = Signal(str)  # uuid of a case this panel changed (supplement, 退件)
    refreshed = Signal(int)  # rows now listed
    failed = Signal(str)  # a message for the clerk (also shown in the panel)
    documents_requested = Signal(object, str)  # Case, the document kind to open (收件回执)

    def __init__(
        self,
        ctx: ServiceContext,
        tasks: TaskRunner,
        actor: Callable[[], Actor],
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_CasesPanel()
        self.ui.setupUi(self)
        self.ctx = ctx
        self.tasks = tasks
        self.actor = actor
        self.today = today
        self.model = CaseTableModel()
        self.calendar: WorkCalendar | None = None
        self.detail_case: Case | None = None  # the selected case as last loaded (with events)
        self.active_dialog: QDialog | None = None  # the open follow-up dialog, if any
        self.queries_started = 0
        self._query_generation = 0
        self._detail_generation = 0
        self._select_number: str | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._run_query)
        self._setup_widgets()
        self._wire()
        self._show_detail(None)

    # -- setup -----------------------------------------------------------------------------
    def _setup_widgets(self) -> None:
        ui = self.ui
        ui.stateCombo.addItem("今日及未结", TODAY_AND_OPEN)
        ui.stateCombo.addItem("全部", ALL_CASES)
        for state, label in CASE_STATE_LABELS.items():
            ui.stateCombo.addItem(label, state.value)
        table = ui.casesTable
        table.setModel(self.model)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setDefaultSectionSize(26)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_ITEMS, QHeaderView.ResizeMode.Stretch)  # long bundles elide
        header.setHighlightSections(False)
        ui.casesSplitter.setSizes([290, 340])
        ui.searchEdit.setStyleSheet("font-size: 12pt; padding: 3px;")
        ui.searchEdit.installEventFilter(self)

    def _wire(self) -> None:
        ui = self.ui
        ui.stateCombo.currentIndexChanged.connect(lambda _i: self.refresh())
        ui.searchEdit.textChanged.connect(lambda _t: self.refresh())
        ui.refreshButton.clicked.connect(self.refresh)
        ui.casesTable.selectionModel().selectionChanged.connect(self._selection_changed)
        ui.casesTable.activated.connect(self._row_activated)
        ui.supplementButton.clicked.connect(self.record_supplement)
        ui.returnButton.clicked.connect(self.return_selected)
        ui.reintakeButton.clicked.connect(self.request_reintake)
        ui.receiptButton.clicked.connect(self.request_receipt)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        # F5 belongs to the queue (transfer); refresh is Ctrl+R here.
        QShortcut(QKeySequence("Ctrl+R"), self, self.refresh, context)
        # Ctrl+L locks the window; Ctrl+K goes to this tab's search box.
        QShortcut(QKeySequence("Ctrl+K"), self, self.focus_search, context)

    def _run_db(self, work: Callable[[], object], deliver: Callable[[object], None]) -> None:
        """Run ``work`` on the database worker; ``deliver`` gets its result or its exception."""
        self.tasks.run_db(work, deliver, deliver)

    # -- querying --------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Ask for a new list; requests within REFRESH_DELAY_MS become one query."""
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def current_filter(self) -> CaseFilter:
        choice = self.ui.stateCombo.currentData()
        text = self.ui.searchEdit.text().strip()
        if choice == TODAY_AND_OPEN:
            return _cases().CaseFilter(text=text, today_and_open=True)
        if choice == ALL_CASES:
            return _cases().CaseFilter(text=text)
        return _cases().CaseFilter(state=CaseState(choice), text=text)

    def _run_query(self) -> None:
        self._query_generation += 1
        generation = self._query_generation
        self.queries_started += 1
        flt, today, ctx, actor = self.current_filter(), self.today(), self.ctx, self.actor()

        def work() -> tuple[list[Case], WorkCalendar]:
            return _cases().list_cases(ctx, actor, flt, today), catalog_service.load_calendar(ctx)

        self._run_db(work, lambda result: self._apply_query(generation, flt, today, result))

    def _apply_query(self, generation: int, flt: CaseFilter, today: date, result: object) -> None:
        if generation != self._query_generation:
            return  # a newer query was started after this one: its result will follow
        if isinstance(result, BaseException):
            self._show_error(f"读取办件列表失败：{result}")
            return
        cases, calendar = result  # type: ignore[misc]
        # Newest first; cases created within the same second keep their number order.
        cases = sorted(cases, key=lambda c: (c.created_at, c.case_number), reverse=True)
        keep = self._selected_uuid()
        self.calendar = calendar
        self.model.set_cases(cases, calendar, today)
        self._update_count(len(cases), flt)
        row = -1
        if self._select_number is not None:
            row = self.model.row_of(number=self._select_number)
            if row < 0:
                self._show_error(f"未找到受理编号为 {self._select_number} 的办件。")
            self._select_number = None
        elif keep is not None:
            row = self.model.row_of(uuid=keep)
        if row >= 0:
            self.ui.casesTable.selectRow(row)
            self.ui.casesTable.scrollTo(self.model.index(row, 0))
        else:
            self._show_detail(None)
        self.refreshed.emit(len(cases))

    def _update_count(self, count: int, flt: CaseFilter) -> None:
        text = f"共 {count} 件" if count < flt.limit else f"显示最近 {flt.limit} 件"
        if count == 0 and flt.today_and_open and flt.text:
            text += "（仅今日及未结，可选「全部」）"
        today = self.today()
        overdue = sum(1 for r in range(count)
                      if self.model.case_at(r).effective_state(today) is CaseState.SUPPLEMENT_OVERDUE)
        if overdue:
            text += f"，补正逾期 {overdue} 件"
        self.ui.countLabel.setText(text)

    def show_case_number(self, number: str) -> None:
        """Search all cases for ``number`` and select it once the list arrives."""
        self._select_number = number.strip()
        self.ui.stateCombo.setCurrentIndex(self.ui.stateCombo.findData(ALL_CASES))
        self.ui.searchEdit.setText(self._select_number)
        self.refresh()

    # -- selection and detail --------------------------------------------------------------
    def _selected_row(self) -> int:
        rows = self.ui.casesTable.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _selected_uuid(self) -> str | None:
        row = self._selected_row()
        return self.model.case_at(row).uuid if row >= 0 else None

    def selected_case(self) -> Case | None:
        """The selected case, as fresh as this panel knows it."""
        row = self._selected_row()
        if row < 0:
            return None
        case = self.model.case_at(row)
        if self.detail_case is not None and self.detail_case.uuid == case.uuid:
            return self.detail_case
        return case

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        row = self._selected_row()
        if row < 0:
            self._show_detail(None)
            return
        case = self.model.case_at(row)
        if self.detail_case is not None and self.detail_case.uuid != case.uuid:
            self.detail_case = None
        self._update_buttons()
        self._load_detail(case.uuid)

    def _load_detail(self, case_uuid: str) -> None:
        self._detail_generation += 1
        generation, ctx, actor = self._detail_generation, self.ctx, self.actor()

        def work() -> Case:
            return _cases().load_case(ctx, actor, case_uuid)

        self._run_db(work, lambda result: self._apply_detail(generation, case_uuid, result))

    def _apply_detail(self, generation: int, case_uuid: str, result: object) -> None:
        if generation != self._detail_generation or self._selected_uuid() != case_uuid:
            return  # the clerk has moved on
        if isinstance(result, BaseException):
            self._show_error(f"读取办件详情失败：{result}")
            return
        assert isinstance(result, Case)
        self._show_detail(result)

    def _show_detail(self, case: Case | None) -> None:
        self.detail_case = case
        if case is None:
            self.ui.detailBrowser.setHtml(EMPTY_HTML)
        else:
            self.ui.detailBrowser.setHtml(case_detail_html(case, self.calendar, self.today()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        case = self.selected_case()
        state = case.effective_state(self.today()) if case else None
        self.ui.supplementButton.setEnabled(state in SUPPLEMENT_STATES)
        self.ui.returnButton.setEnabled(state in RETURN_STATES)
        self.ui.reintakeButton.setEnabled(state in REINTAKE_STATES)
        self.ui.reintakeButton.setText("按退回意见重新受理(&R)" if state is CaseState.SENT_BACK else "再次受理(&R)")
        self.ui.receiptButton.setEnabled(state is CaseState.RECEIVED)

    def request_receipt(self) -> None:
        """收件回执 on request, for a case received and not yet accepted."""
        case = self.selected_case()
        if case is not None and case.state is CaseState.RECEIVED:
            self.documents_requested.emit(case, "receipt")

    def _row_activated(self, _index: QModelIndex) -> None:
        self.ui.detailBrowser.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- keyboard --------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.ui.searchEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ui.searchEdit.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down / Enter in the search box go to the list, as in the catalog search.
        if (watched is self.ui.searchEdit and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_PageDown)):
            if self._refresh_timer.isActive():  # Enter right after typing: search now
                self._refresh_timer.stop()
                self._run_query()
            elif self.model.rowCount() and self._selected_row() < 0:
                self.ui.casesTable.selectRow(0)
            self.ui.casesTable.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return super().eventFilter(watched, event)

    # -- actions ---------------------------------------------------------------------------
    def record_supplement(self) -> None:
        case = self.selected_case()
        if case is None or case.effective_state(self.today()) not in SUPPLEMENT_STATES:
            return
        outstanding = outstanding_tolerated(case)
        if not outstanding:
            self._show_error(f"办件 {case.case_number} 没有待补正的容缺材料。")
            return
        dialog = SupplementDialog(case, outstanding, self)

        def chosen() -> None:
            keys = dialog.selected_keys()  # read on the GUI thread, never inside the work
            self._run_action("登记补正", case.uuid, lambda ctx, actor: _cases().record_supplement(
                ctx, actor, case.uuid, keys))

        dialog.accepted.connect(chosen)
        self._open(dialog)

    def return_selected(self) -> None:
        case = self.selected_case()
        if case is None or case.effective_state(self.today()) not in RETURN_STATES:
            return
        suggested = ""
        if case.effective_state(self.today()) is CaseState.SUPPLEMENT_OVERDUE:
            names = "、".join(t["name"] for t in outstanding_tolerated(case))
            suggested = f"容缺材料逾期未补正：{names}" if names else "容缺材料逾期未补正"
        dialog = ReturnDialog(case, suggested, self)

        def chosen() -> None:
            reason = dialog.reason()
            self._run_action("退件", case.uuid, lambda ctx, actor: _cases().return_case(
                ctx, actor, case.uuid, reason))

        dialog.accepted.connect(chosen)
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None
        self.ui.casesTable.setFocus(Qt.FocusReason.OtherFocusReason)

    def _run_action(self, action: str, case_uuid: str, change: Callable[..., object]) -> None:
        """A service call with the signed-in person; its changes reach every view through the hub."""
        ctx, actor = self.ctx, self.actor()

        def deliver(result: object) -> None:
            self._action_done(action, case_uuid, result)

        self.tasks.run_op(lambda: change(ctx, actor), deliver, deliver, source=self)

    def _action_done(self, action: str, case_uuid: str, result: object) -> None:
        if isinstance(result, BaseException):
            self._show_error(f"{action}失败：{result}")
            self.refresh()  # the case may have changed elsewhere: show its real state
            return
        assert isinstance(result, Case)
        self._show_message(f"办件 {result.case_number} 已{action}，"
                           f"当前状态：{CASE_STATE_LABELS[result.effective_state(self.today())]}。")
        if self._selected_uuid() == case_uuid:
            self._show_detail(result)
        self.case_changed.emit(case_uuid)
        if self.tasks.hub is None:  # with a hub, its notice refreshes this list
            self.refresh()

    def request_reintake(self) -> None:
        """Load the case afresh and hand it to the intake panel if it is still one-time-noticed."""
        case = self.selected_case()
        if case is None or case.state not in REINTAKE_STATES:
            return
        ctx, actor, case_uuid = self.ctx, self.actor(), case.uuid
        self._run_db(lambda: _cases().load_case(ctx, actor, case_uuid), self._reintake_loaded)

    def _reintake_loaded(self, result: object) -> None:
        if isinstance(result, BaseException):
            self._show_error(f"再次受理失败：{result}")
            return
        assert isinstance(result, Case)
        if result.followed_up:
            self._show_error(f"办件 {result.case_number} 已再次受理过，请在新的办件上继续。")
            return
        if result.state not in REINTAKE_STATES:
            self._show_error(f"办件 {result.case_number} 当前为「{CASE_STATE_LABELS[result.state]}」，"
                             "不能再次受理。")
            self.refresh()
            return
        self._show_message(f"已按办件 {result.case_number} 预填新的受理。")
        self.reintake_requested.emit(result)

    def on_changes(self, changes: Changes, _sources: frozenset) -> None:  # type: ignore[type-arg]
        """Cases changed anywhere (intake, printing, follow-ups, sync): list them again."""
        if changes.cases or changes.calendar:
            self.refresh()

    # -- messages --------------------------------------------------------------------------
    def _show_message(self, text: str) -> None:
        self.ui.messageLabel.setStyleSheet(INFO_STYLE)
        self.ui.messageLabel.setText(text)

    def _show_error(self, text: str) -> None:
        self.ui.messageLabel.setStyleSheet(ERROR_STYLE)
        self.ui.messageLabel.setText(text)
        self.failed.emit(text)
