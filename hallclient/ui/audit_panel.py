"""The audit view (审计日志) for the hall supervisor and the administrator: filter the trail
by person, case number, kind and date, and check that the chain is whole (校验).

The tab is only shown to roles that may read the audit; the protection is the service's
`require`, so a refusal arriving anyway is shown as it is. Reading the trail is itself recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hallclient.core.checklist import DECISION_LABELS, Decision
from hallclient.core.permissions import ROLE_LABELS, Actor, Role
from hallclient.services import audit
from hallclient.services.changes import Changes
from hallclient.services.context import ServiceContext
from hallclient.ui.tasks import TaskRunner

COLUMNS = ("时间", "人员", "角色", "窗口", "内容", "办件")
SETTING_LABELS = {
    "window_number": "窗口号", "authority": "发文机关", "seal_name": "印章名称",
    "case_number_pattern": "受理编号格式", "central_url": "中心服务地址", "central_token": "窗口令牌",
    "idle_lock_minutes": "自动锁屏时间",
}
FAILURE_REASONS = {"wrong_password": "密码错误", "wrong_password_central": "密码错误（中心服务）",
                   "wrong_password_unlock": "解锁密码错误"}


def role_text(roles: str) -> str:
    labels = []
    for value in (r for r in roles.split(",") if r):
        try:
            labels.append(ROLE_LABELS[Role(value)])
        except ValueError:
            labels.append(value)
    return "、".join(labels)


def _document(value: str) -> str:
    from hallclient.ui.case_detail import document_title

    return document_title(value)


def what_text(record: dict[str, Any]) -> str:
    """The kind in words, with the little the record's detail adds to it."""
    kind, detail = record["kind"], record.get("detail") or {}
    label = audit.KIND_LABELS.get(kind, kind)
    extra = ""
    if kind in ("sign_in", "switch_user") and detail.get("offline"):
        extra = "离线"
    elif kind == "sign_in_failed":
        extra = FAILURE_REASONS.get(str(detail.get("reason", "")), "")
    elif kind == "sign_in_locked" and detail.get("until"):
        extra = f"至 {str(detail['until'])[11:16]}"
    elif kind == "lock" and detail.get("idle"):
        extra = "无操作自动锁屏"
    elif kind == "sign_out" and detail.get("switched_to"):
        extra = f"交班给 {detail['switched_to']}"
    elif kind == "case_created" and detail.get("decision"):
        try:
            extra = DECISION_LABELS[Decision(detail["decision"])]
        except ValueError:
            extra = str(detail["decision"])
    elif kind == "case_supplemented":
        extra = f"{len(detail.get('keys') or [])} 项材料"
    elif kind == "case_returned":
        extra = str(detail.get("reason") or "")
    elif kind in ("case_printed", "case_reprinted") and detail.get("document"):
        extra = _document(str(detail["document"]))
    elif kind == "settings_changed":
        extra = "、".join(SETTING_LABELS.get(f, f) for f in detail.get("fields") or [])
    elif kind in ("user_added", "user_disabled", "password_reset", "roles_changed") and detail.get("login"):
        extra = f"账号 {detail['login']}"
    elif kind == "catalog_imported":
        extra = (f"第 {detail.get('version')} 版：新增 {detail.get('added', 0)} 项，"
                 f"更新 {detail.get('updated', 0)} 项，删除 {detail.get('removed', 0)} 项")
    elif kind == "calendar_loaded" and detail.get("year"):
        extra = f"{detail['year']} 年"
    elif kind == "audit_read":
        extra = f"{detail.get('count', 0)} 条"
    return f"{label}：{extra}" if extra else label


class AuditPanel(QWidget):
    def __init__(self, ctx: ServiceContext, tasks: TaskRunner, actor: Callable[[], Actor],
                 today: Callable[[], date] = date.today, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tasks, self.actor, self.today = ctx, tasks, actor, today
        self.records: list[dict[str, Any]] = []
        self.stale = True
        self.last_report: Any = None
        self._generation = 0
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.person_edit = QLineEdit()
        self.person_edit.setPlaceholderText(self.tr("登录名"))
        self.case_edit = QLineEdit()
        self.case_edit.setPlaceholderText(self.tr("受理编号"))
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("全部"), None)
        for kind, label in audit.KIND_LABELS.items():
            self.kind_combo.addItem(label, kind)
        start = self.today() - timedelta(days=30)
        self.since_edit = self._date_edit(start)
        self.until_edit = self._date_edit(self.today())
        self.query_button = QPushButton(self.tr("查询"))
        self.verify_button = QPushButton(self.tr("校验"))
        self.verify_button.setToolTip(self.tr("逐条核对审计记录的校验链，找出被修改、删除或插入的记录"))
        for text, widget in ((self.tr("人员"), self.person_edit), (self.tr("办件"), self.case_edit),
                             (self.tr("类别"), self.kind_combo), (self.tr("从"), self.since_edit),
                             (self.tr("到"), self.until_edit)):
            filters.addWidget(QLabel(text))
            filters.addWidget(widget)
        filters.addWidget(self.query_button)
        filters.addStretch(1)
        filters.addWidget(self.verify_button)
        layout.addLayout(filters)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        status = QHBoxLayout()
        self.count_label = QLabel()
        self.verify_label = QLabel()
        self.verify_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status.addWidget(self.count_label)
        status.addStretch(1)
        status.addWidget(self.verify_label)
        layout.addLayout(status)
        self.query_button.clicked.connect(self.refresh)
        self.verify_button.clicked.connect(self.verify)
        for edit in (self.person_edit, self.case_edit):
            edit.returnPressed.connect(self.refresh)

    @staticmethod
    def _date_edit(day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def current_filter(self) -> audit.AuditFilter:
        since, until = self.since_edit.date(), self.until_edit.date()
        return audit.AuditFilter(
            case_number=self.case_edit.text().strip() or None,
            login=self.person_edit.text().strip().lower() or None,
            kind=self.kind_combo.currentData(),
            since=date(since.year(), since.month(), since.day()),
            until=date(until.year(), until.month(), until.day()))

    # -- reading ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.stale = False
        self._generation += 1
        generation, ctx, actor, flt = self._generation, self.ctx, self.actor(), self.current_filter()
        self.count_label.setText(self.tr("正在读取…"))
        self.tasks.run_op(lambda: audit.list_records(ctx, actor, flt),
                          lambda result: self._loaded(generation, result), source=self)

    def _loaded(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return
        if isinstance(result, BaseException):
            self.count_label.setText(self.tr("读取审计日志失败：%s") % result)
            self.count_label.setStyleSheet("color: #c62828;")
            return
        self.count_label.setStyleSheet("")
        self.records = list(result)  # type: ignore[call-overload]
        self.table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            cells = (str(record["at"])[:19].replace("T", " "), record["actor"], role_text(record["roles"] or ""),
                     record["window"] or "", what_text(record), record["case_number"] or "")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 4:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.count_label.setText(self.tr("共 %d 条（最新在前）") % len(self.records))

    def on_changes(self, changes: Changes, sources: frozenset) -> None:  # type: ignore[type-arg]
        """New audit records: refresh when shown (our own reading does not count)."""
        if not changes.audit or sources <= {self}:
            return
        if self.isVisible():
            self.refresh()
        else:
            self.stale = True

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        if self.stale:
            self.refresh()

    # -- checking the chain -------------------------------------------------------------------------
    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.verify_label.setStyleSheet("")
        self.verify_label.setText(self.tr("正在校验…"))
        ctx, actor = self.ctx, self.actor()

        def work():  # type: ignore[no-untyped-def]
            from hallclient.core.permissions import Action, require

            require(actor, Action.AUDIT_READ)
            return audit.verify(ctx)

        self.tasks.run_db(work, self._verified)

    def _verified(self, report: object) -> None:
        self.verify_button.setEnabled(True)
        if isinstance(report, BaseException):
            self.verify_label.setStyleSheet("color: #c62828;")
            self.verify_label.setText(self.tr("校验失败：%s") % report)
            return
        self.last_report = report
        if getattr(report, "ok", False):
            self.verify_label.setStyleSheet("color: #2e7d32; font-weight: bold;")
            self.verify_label.setText(self.tr("完整（%d 条）") % report.checked)  # type: ignore[attr-defined]
        else:
            self.verify_label.setStyleSheet("color: #c62828; font-weight: bold;")
            self.verify_label.setText(self.tr("不完整：%s") % report.problem)  # type: ignore[attr-defined]
