"""The 审批 tab of a chief representative (首席代表): the inbox of cases waiting for them, the
authorisation they act under, the case as the window decided it, and the five decisions.

The inbox refreshes on the change hub and on a short timer while the tab is shown; when a
poll entry point is given (the central's state for this chief representative, through
`services.sync_ops`), the timer runs it first on the network pool, then reads the local store.
Every decision goes through `services.approval.decide` on the task runner; a refusal shows the
service's reason."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from hallclient.core.approval import DECIDABLE, OUTCOME_LABELS, ApprovalOutcome, Authorisation
from hallclient.core.cases import Case
from hallclient.core.permissions import Actor
from hallclient.services import approval as approval_service
from hallclient.services import cases as case_service
from hallclient.services import catalog as catalog_service
from hallclient.services.changes import Changes
from hallclient.services.context import ServiceContext
from hallclient.ui.approval_dialogs import DecisionDialog
from hallclient.ui.case_detail import chief_case_html, waiting_text
from hallclient.ui.messages import warn
from hallclient.ui.tasks import TaskRunner

AnyIndex = QModelIndex | QPersistentModelIndex
POLL_MS = 3000  # a case accepted elsewhere shows within 5 s while both are online
COLUMNS = ("受理编号", "事项", "申请人", "窗口", "受理时间", "已等待")
# The decision buttons, their keys (this tab only; F1–F7, F9, Ctrl+L and Ctrl+Shift+L are taken).
DECISION_KEYS: tuple[tuple[ApprovalOutcome, tuple[str, ...]], ...] = (
    (ApprovalOutcome.APPROVED, ("Ctrl+Return", "Ctrl+Enter")),
    (ApprovalOutcome.DENIED, ("Ctrl+D",)),
    (ApprovalOutcome.SENT_BACK, ("Ctrl+B",)),
    (ApprovalOutcome.TO_BACK_OFFICE, ("Ctrl+T",)),
    (ApprovalOutcome.EXTENDED, ("Ctrl+G",)),
)
DONE_TEXT = {
    ApprovalOutcome.APPROVED: "已准予，办件办结", ApprovalOutcome.DENIED: "已作出不予许可决定",
    ApprovalOutcome.SENT_BACK: "已退回受理窗口", ApprovalOutcome.TO_BACK_OFFICE: "已转后台审批",
    ApprovalOutcome.EXTENDED: "已延长办理期限",
}
EMPTY_HTML = "<p style='color:#777'>选择待审批的办件查看详情（↑↓ 选择）。</p>"


def authorisation_text(auth: Authorisation | None, item_names: dict[str, str]) -> str:
    if auth is None:
        return "尚无有效的首席代表授权书：不能当场审批（请联系系统管理员登记授权书）"
    items = "、".join(item_names.get(c, c) for c in auth.item_codes) if auth.item_codes else "所列部门全部可当场办结的事项"
    start = auth.valid_from.isoformat() if auth.valid_from else "即日"
    end = auth.valid_to.isoformat() if auth.valid_to else "长期"
    note = f"；{auth.note}" if auth.note else ""
    return (f"授权书第 {auth.version} 版　部门：{'、'.join(auth.departments)}　事项：{items}　"
            f"有效期：{start} 至 {end}{note}")


class InboxModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.cases: list[Case] = []
        self.now = datetime.now()

    def set_cases(self, cases: Sequence[Case], now: datetime) -> None:
        self.beginResetModel()
        self.cases = sorted(cases, key=lambda c: (c.created_at, c.case_number), reverse=True)
        self.now = now
        self.endResetModel()

    def row_of(self, case_uuid: str | None) -> int:
        return next((i for i, c in enumerate(self.cases) if c.uuid == case_uuid), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cases)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        case = self.cases[index.row()]
        names = "、".join(case.item_names)
        if role == Qt.ItemDataRole.DisplayRole:
            return (case.case_number, case.bundle_name or names, case.applicant.name,
                    f"{case.window_number} 号", f"{case.created_at:%H:%M}" if case.created_at.date() == self.now.date()
                    else f"{case.created_at:%m-%d %H:%M}",
                    waiting_text(case.created_at, self.now))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            return names
        return None


class ApprovalPanel(QWidget):
    decided = Signal(object, str)  # the Case after the decision, the document kind that follows
    message = Signal(str)

    def __init__(self, ctx: ServiceContext, tasks: TaskRunner, actor: Callable[[], Actor], *,
                 today: Callable[[], date] = date.today, now: Callable[[], datetime] = datetime.now,
                 poll: Callable[[], object] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tasks, self.actor, self.today, self.now, self.poll = ctx, tasks, actor, today, now, poll
        self.authorisation: Authorisation | None = None
        self.detail: Case | None = None
        self.active_dialog: DecisionDialog | None = None
        self.last_error: str | None = None
        self.refreshes = 0  # inbox reads finished (tests, diagnostics)
        self._generation = 0
        self._polling = False
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self.refresh()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.auth_label = QLabel("正在读取授权书…")
        self.auth_label.setWordWrap(True)
        self.auth_label.setStyleSheet("background:#eef4fb; padding:6px; border:1px solid #c5d7ec;")
        layout.addWidget(self.auth_label)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.count_label = QLabel("待审批：—")
        self.count_label.setStyleSheet("font-size: 12pt; font-weight: bold;")
        left_layout.addWidget(self.count_label)
        self.model = InboxModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._select(current.row()))
        left_layout.addWidget(self.table)
        splitter.addWidget(left)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.browser = QTextBrowser()
        self.browser.setHtml(EMPTY_HTML)
        right_layout.addWidget(self.browser, 1)
        buttons = QHBoxLayout()
        self.buttons: dict[ApprovalOutcome, QPushButton] = {}
        for outcome, keys in DECISION_KEYS:
            button = QPushButton(f"{OUTCOME_LABELS[outcome]} ({keys[0].replace('Return', 'Enter')})")
            button.setEnabled(False)
            button.clicked.connect(lambda _c=False, o=outcome: self.ask_decision(o))
            buttons.addWidget(button)
            self.buttons[outcome] = button
            for key in keys:
                QShortcut(QKeySequence(key), self, lambda o=outcome: self.ask_decision(o),
                          Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.buttons[ApprovalOutcome.APPROVED].setStyleSheet(
            "QPushButton:enabled { background:#2e7d32; color:white; font-weight:bold; }")
        right_layout.addLayout(buttons)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        right_layout.addWidget(self.message_label)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        QShortcut(QKeySequence("Ctrl+R"), self, self.refresh, Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # -- reading -----------------------------------------------------------------------------
    def on_changes(self, changes: Changes, _sources: frozenset) -> None:  # type: ignore[type-arg]
        if changes.cases or changes.users or changes.catalog:
            self.refresh()

    def _tick(self) -> None:
        if not self.isVisible():
            return
        if self.poll is None:
            self.refresh()
        elif not self._polling:
            self._polling = True
            poll = self.poll

            def polled(_result: object) -> None:
                if isValid(self):
                    self._polling = False
                    self.refresh()

            self.tasks.run_net(poll, polled)

    def refresh(self) -> None:
        self._generation += 1
        generation, ctx, actor, today = self._generation, self.ctx, self.actor(), self.today()

        def work() -> tuple[list[Case], Authorisation | None, dict[str, str]]:
            auth = approval_service.current_authorisation(ctx, actor.login)
            names = {i.code: i.name for i in catalog_service.load_items(ctx, auth.item_codes)} if auth else {}
            return approval_service.inbox(ctx, actor, today), auth, names

        self.tasks.run_db(work, lambda result: self._loaded(generation, result))

    def _loaded(self, generation: int, result: object) -> None:
        if not isValid(self):
            return  # the tab went away (another person signed in) while the work ran
        if generation != self._generation:
            return
        if isinstance(result, BaseException):
            self._error(f"读取待审批办件失败：{result}")
            return
        cases, auth, names = result  # type: ignore[misc]
        self.refreshes += 1
        self.authorisation = auth
        self.auth_label.setText(authorisation_text(auth, names))
        keep = self.detail.uuid if self.detail else None
        self.model.set_cases(cases, self.now())
        self.count_label.setText(f"待审批：{len(cases)} 件（最新在上）")
        row = self.model.row_of(keep)
        if row < 0 and self.model.rowCount() and keep is None:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
            if keep is not None:
                self._select(row)  # the same case, perhaps changed: read it again
        else:
            self._show(None)

    def _select(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            return
        case_uuid, ctx, actor = self.model.cases[row].uuid, self.ctx, self.actor()
        self.tasks.run_db(lambda: case_service.load_case(ctx, actor, case_uuid), self._detail_loaded)

    def _detail_loaded(self, result: object) -> None:
        if not isValid(self):
            return  # the tab went away (another person signed in) while the work ran
        if isinstance(result, BaseException):
            self._error(f"读取办件失败：{result}")
            return
        assert isinstance(result, Case)
        current = self.table.currentIndex().row()
        if current >= 0 and self.model.cases[current].uuid != result.uuid:
            return  # the chief representative has moved on
        self._show(result)

    def _show(self, case: Case | None) -> None:
        self.detail = case
        self.browser.setHtml(chief_case_html(case, self.now()) if case else EMPTY_HTML)
        decidable = case is not None and case.state in DECIDABLE
        for button in self.buttons.values():
            button.setEnabled(decidable)

    # -- deciding ----------------------------------------------------------------------------
    def ask_decision(self, outcome: ApprovalOutcome) -> DecisionDialog | None:
        """Open the decision's dialog (non-modal: the window keeps working)."""
        case = self.detail
        if case is None or case.state not in DECIDABLE or self.active_dialog is not None:
            return None
        dialog = DecisionDialog(outcome, case.case_number, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.active_dialog = dialog
        dialog.accepted.connect(lambda: self.decide(case.uuid, outcome, **dialog.values()))
        dialog.finished.connect(lambda _code: self._dialog_closed())
        dialog.open()
        return dialog

    def _dialog_closed(self) -> None:
        self.active_dialog = None
        self.window().activateWindow()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def decide(self, case_uuid: str, outcome: ApprovalOutcome, **values: Any) -> None:
        ctx, actor, today = self.ctx, self.actor(), self.today()
        for button in self.buttons.values():
            button.setEnabled(False)
        self.message_label.setText(f"正在{OUTCOME_LABELS[outcome]}…")

        def work():  # type: ignore[no-untyped-def]
            result = approval_service.decide(ctx, actor, case_uuid, outcome, today=today, **values)
            items = catalog_service.load_items(ctx, result.value.item_codes)
            return result, items

        def done(result: object) -> None:
            self._decided(outcome, result)

        self.tasks.run_db(work, done)

    def _decided(self, outcome: ApprovalOutcome, result: object) -> None:
        if not isValid(self):
            return  # the tab went away (another person signed in) while the work ran
        if isinstance(result, BaseException):
            self._error(f"未能{OUTCOME_LABELS[outcome]}：{result}")
            warn(self, "未能作出决定", self.last_error or "")
            self._show(self.detail)  # the buttons come back
            return
        changed, items = result  # type: ignore[misc]
        self.tasks.announce(changed.changes, self)
        case: Case = changed.value
        from hallclient.core.approval import decision_document

        kind = decision_document(items, outcome)
        self.message_label.setStyleSheet("color: #1d4e89;")
        self.message_label.setText(f"办件 {case.case_number} {DONE_TEXT[outcome]}。")
        self.message.emit(self.message_label.text())
        self.detail = None
        self.decided.emit(case, kind)
        self.refresh()

    def _error(self, text: str) -> None:
        self.last_error = text
        self.message_label.setStyleSheet("color: #9b1c1c;")
        self.message_label.setText(text)
        self.message.emit(text)


def _poll_entry(window: Any) -> Callable[[], object] | None:
    """The central's pull for this client, when the sync side provides one (`sync_ops.poll_inbox`
    taking the store and the settings); None when standalone or not provided (local store only)."""
    from hallclient.services import sync_ops

    poll = getattr(sync_ops, "poll_inbox", None)
    settings, store = window.workspace.settings, window.workspace.store
    if poll is None or not settings.central_url.strip():
        return None
    return lambda: poll(store, settings)


def sync_approval_tab(window: Any) -> None:
    """The 审批 tab for a chief representative, added or removed as the person at the window changes."""
    from hallclient.core.permissions import Action, allowed

    wanted = allowed(window.current_actor(), Action.CASE_APPROVE)
    panel = getattr(window, "approval_panel", None)
    if wanted and panel is None:
        panel = ApprovalPanel(window.ctx, window.tasks, window.current_actor, poll=_poll_entry(window))
        window.hub.subscribe(panel.on_changes)
        panel.message.connect(lambda text: window.status.message(text))
        panel.decided.connect(lambda case, kind: window.open_documents(case, kind))
        window.ui.mainTabs.insertTab(0, panel, window.tr("审批"))
        window.ui.mainTabs.setCurrentWidget(panel)
        window.approval_panel = panel
    elif wanted and panel is not None:
        panel.refresh()
    elif not wanted and panel is not None:
        window.hub.changed.disconnect(panel.on_changes)
        panel.timer.stop()
        window.ui.mainTabs.removeTab(window.ui.mainTabs.indexOf(panel))
        panel.deleteLater()
        window.approval_panel = None
