"""The 预审 tab of proxy-service staff (帮办代办): the applicant, their consent, the same keyboard
checklist as the window with a remark per material and overall, the outcome; saved through
`services.prereview.create`, the number shown big and the 预审意见单 opened for printing; below,
the proxy's own pre-reviews with what became of each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHeaderView, QInputDialog, QWidget
from shiboken6 import isValid

from hallclient.core.catalog import Bundle, ServiceItem
from hallclient.core.checklist import MaterialMark, MaterialStatus, requires_original
from hallclient.core.intake import Intake
from hallclient.core.permissions import Actor
from hallclient.core.prereview import (
    OUTCOME_LABELS,
    Consent,
    Prereview,
    PrereviewOutcome,
    outcome_for,
)
from hallclient.services import prereview as prereview_service
from hallclient.services.changes import Changes
from hallclient.services.context import ServiceContext
from hallclient.ui.applicant_form import ApplicantForm
from hallclient.ui.checklist_model import STATUS_COLUMN
from hallclient.ui.forms.ui_prereview_panel import Ui_PrereviewPanel
from hallclient.ui.intake_panel import KEY_MARKS
from hallclient.ui.messages import warn
from hallclient.ui.prereview_models import MineModel, PrereviewChecklistModel, prereview_sheet
from hallclient.ui.tasks import TaskRunner
from hallclient.ui.text_fit import fit_columns

OUTCOME_STYLES = {
    PrereviewOutcome.COMPLETE: "background:#2e7d32;color:white;",
    PrereviewOutcome.MISSING: "background:#ef6c00;color:white;",
    PrereviewOutcome.NOT_HALL: "background:#616161;color:white;",
}
BASE_OUTCOME_STYLE = "font-size: 13pt; font-weight: bold; padding: 6px;"


class PrereviewPanel(QWidget):
    message = Signal(str)
    choose_requested = Signal()  # go to the catalog to pick the item or bundle
    saved = Signal(object)  # Prereview

    def __init__(self, ctx: ServiceContext, tasks: TaskRunner, actor: Callable[[], Actor],
                 today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.ctx, self.tasks, self.actor, self.today = ctx, tasks, actor, today
        self.ui = Ui_PrereviewPanel()
        self.ui.setupUi(self)
        self.intake: Intake | None = None  # the same checklist rules as the window
        self.remarks: dict[str, str] = {}
        self.saving = False
        self.last: Prereview | None = None  # the pre-review saved last (its sheet can be printed)
        self.last_items: tuple[ServiceItem, ...] = ()
        self.last_bundle: Bundle | None = None
        self.last_error: str | None = None
        self.preview: QWidget | None = None
        self.applicant = ApplicantForm(self.ui)  # type: ignore[arg-type]
        self.model = PrereviewChecklistModel(lambda: self.remarks)
        table = self.ui.checklistTable
        table.setModel(self.model)
        header = table.horizontalHeader()
        # As the intake's checklist: 要求 and the remark up to a third each, the name the rest.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.columns = fit_columns(table, {1: 0.34, 3: 0.3}, 0, minimum=80)
        table.verticalHeader().setDefaultSectionSize(26)
        table.installEventFilter(self)
        table.selectionModel().currentRowChanged.connect(lambda current, _p: self._row_selected(current.row()))
        self.mine = MineModel()
        self.ui.mineTable.setModel(self.mine)
        mine_header = self.ui.mineTable.horizontalHeader()
        mine_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        mine_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.ui.mineTable.verticalHeader().setDefaultSectionSize(24)
        self.ui.prereviewTitle.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.ui.outcomeLabel.setStyleSheet(BASE_OUTCOME_STYLE)
        self.ui.numberLabel.setStyleSheet("font-size: 22pt; font-weight: bold; color: #1d4e89;")
        self.ui.markProblem.setStyleSheet("color: #c62828;")
        self.ui.checklistHint.setStyleSheet("color: #555;")
        self.ui.badCreditCheck.hide()  # the credit check is the window's
        self.ui.agentRadio.toggled.connect(self.ui.poaCheck.setEnabled)
        self.ui.notHallCheck.toggled.connect(lambda _on: self._recompute())
        self.ui.materialRemarkEdit.textEdited.connect(self._remark_edited)
        self.ui.materialRemarkEdit.returnPressed.connect(self._remark_done)
        self.ui.saveButton.clicked.connect(self.save)
        self.ui.cancelButton.clicked.connect(self.abandon)
        self.ui.printButton.clicked.connect(self.open_sheet)
        self.ui.chooseButton.clicked.connect(self.choose_requested.emit)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (("Ctrl+Return", self.save), ("Ctrl+Enter", self.save), ("Ctrl+W", self.abandon),
                           ("Ctrl+P", self.open_sheet)):
            QShortcut(QKeySequence(keys), self, slot, context)
        self._reset()
        self.refresh_mine()

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self.intake is not None and (bool(self.intake.marks) or bool(self.ui.nameEdit.text()))

    def start(self, items: Sequence[ServiceItem], bundle: Bundle | None = None) -> None:
        """A pre-review of these items (a bundle's, or one item's) begins."""
        self.intake = Intake(tuple(items), bundle=bundle)
        self.remarks = {}
        self.applicant.clear()
        self.model.set_intake(self.intake)
        self.ui.prereviewTitle.setText(f"预审：{self.intake.title}")
        self.ui.prereviewMeta.setText("、".join(i.code for i in items))
        self.ui.helpRadio.setChecked(True)
        self.ui.poaCheck.setChecked(False)
        self.ui.notHallCheck.setChecked(False)
        self.ui.remarkEdit.clear()
        self.ui.materialRemarkEdit.clear()
        for widget in (self.ui.saveButton, self.ui.cancelButton, self.ui.materialRemarkEdit):
            widget.setEnabled(True)
        if self.model.rowCount():
            self.ui.checklistTable.setCurrentIndex(self.model.index(0, STATUS_COLUMN))
        self._recompute()
        self.ui.nameEdit.setFocus()

    def abandon(self) -> None:
        if self.intake is not None and not self.saving:
            self._reset()

    def _reset(self) -> None:
        self.intake = None
        self.remarks = {}
        self.model.set_intake(None)
        self.applicant.clear()
        self.ui.prereviewTitle.setText("尚未开始预审：在「事项清单」中选择事项或一件事后按 Enter")
        self.ui.prereviewMeta.clear()
        self.ui.outcomeLabel.setText("—")
        self.ui.outcomeLabel.setStyleSheet(BASE_OUTCOME_STYLE)
        self.ui.missingView.clear()
        self.ui.markProblem.clear()
        self.ui.remarkEdit.clear()
        self.ui.materialRemarkEdit.clear()
        for widget in (self.ui.saveButton, self.ui.cancelButton, self.ui.materialRemarkEdit):
            widget.setEnabled(False)

    # -- the checklist, by the window's keys -------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.ui.checklistTable and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress and self.intake is not None and self._key(event)):
            return True
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        row = self.ui.checklistTable.currentIndex().row()
        key = event.key()
        if row < 0:
            return False
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.ui.materialRemarkEdit.setFocus()
            self.ui.materialRemarkEdit.selectAll()
            return True
        if key == Qt.Key.Key_Space:
            assert self.intake is not None
            k = self.model.key_at(row)
            if self.intake.mark(k).status is MaterialStatus.RECEIVED:
                self.mark_row(row, MaterialStatus.MISSING)
            else:
                original = True if requires_original(self.intake.row(k).material.form) else None
                self.mark_row(row, MaterialStatus.RECEIVED, original=original)
            return True
        if key in KEY_MARKS:
            status, original = KEY_MARKS[Qt.Key(key)]
            self.mark_row(row, status, original=original)
            return True
        return False

    def mark_row(self, row: int, status: MaterialStatus, *, original: bool | None = None,
                 text: str | None = None) -> bool:
        """The window's rules for a mark; a defect or 不适用 takes its reason from `text`, else
        the row's remark, else asks."""
        assert self.intake is not None
        key = self.model.key_at(row)
        problem = self.intake.why_not(key, status)
        if problem:
            self.ui.markProblem.setText(f"「{self.intake.row(key).material.name}」：{problem}")
            return False
        mark = MaterialMark(status=status, original=original)
        if status in (MaterialStatus.DEFECTIVE, MaterialStatus.NOT_APPLICABLE):
            reason = text if text is not None else (self.remarks.get(key) or self._ask("原因（将写在意见单上）："))
            if not reason or not reason.strip():
                self.ui.markProblem.setText("须填写原因")
                return False
            mark = replace(mark, reason=reason.strip())
        self.intake.set_mark(key, mark)
        self.ui.markProblem.clear()
        self.model.refresh_row(row)
        self._recompute()
        return True

    def _ask(self, prompt: str) -> str | None:
        text, ok = QInputDialog.getText(self, "预审", prompt)
        return text if ok else None

    def _row_selected(self, row: int) -> None:
        if self.intake is None or row < 0:
            return
        self.ui.materialRemarkEdit.setText(self.remarks.get(self.model.key_at(row), ""))

    def set_remark(self, row: int, text: str) -> None:
        assert self.intake is not None
        key = self.model.key_at(row)
        if text.strip():
            self.remarks[key] = text.strip()
        else:
            self.remarks.pop(key, None)
        self.model.refresh_row(row)

    def _remark_edited(self, text: str) -> None:
        row = self.ui.checklistTable.currentIndex().row()
        if self.intake is not None and row >= 0:
            self.set_remark(row, text)

    def _remark_done(self) -> None:
        table = self.ui.checklistTable
        row = table.currentIndex().row()
        if row + 1 < self.model.rowCount():
            table.setCurrentIndex(self.model.index(row + 1, STATUS_COLUMN))
        table.setFocus()

    def _recompute(self) -> None:
        if self.intake is None:
            return
        outcome, missing = outcome_for(self.intake.items, self.intake.marks, self.ui.notHallCheck.isChecked())
        self.ui.outcomeLabel.setText(OUTCOME_LABELS[outcome])
        self.ui.outcomeLabel.setStyleSheet(BASE_OUTCOME_STYLE + OUTCOME_STYLES[outcome])
        lines = [f"{i}. {name}" for i, name in enumerate(missing, start=1)]
        self.ui.missingView.setPlainText("\n".join(lines) if lines else (
            "申请人可持意见单到窗口办理。" if outcome is PrereviewOutcome.COMPLETE else "请告知申请人向有关部门咨询。"))

    # -- saving ------------------------------------------------------------------------------
    def consent(self) -> Consent:
        return Consent.AGENT if self.ui.agentRadio.isChecked() else Consent.HELP

    def save(self) -> None:
        if self.intake is None or self.saving:
            return
        problems = self.applicant.problems(self.today())
        if problems:
            self.applicant.show_problems(problems)
            self.message.emit("申请人信息有误，请按红框提示更正后再保存")
            return
        intake, ctx, actor = self.intake, self.ctx, self.actor()
        kwargs = dict(items=intake.items, bundle=intake.bundle, applicant=self.applicant.applicant(),
                      marks=dict(intake.marks), remarks=dict(self.remarks), remark=self.ui.remarkEdit.text(),
                      consent=self.consent(), power_of_attorney=self.ui.poaCheck.isChecked(),
                      not_hall=self.ui.notHallCheck.isChecked())
        self.saving = True
        self.ui.saveButton.setEnabled(False)
        self.tasks.run_op(lambda: prereview_service.create(ctx, actor, **kwargs),  # type: ignore[arg-type]
                          lambda result: self._saved(intake, result), source=self)

    def _saved(self, intake: Intake, result: object) -> None:
        if not isValid(self):
            return
        self.saving = False
        self.ui.saveButton.setEnabled(self.intake is not None)
        if isinstance(result, BaseException):
            self.last_error = f"预审未保存：{result}"
            self.message.emit(self.last_error)
            warn(self, "预审未保存", self.last_error)
            return
        assert isinstance(result, Prereview)
        self.last, self.last_items, self.last_bundle = result, intake.items, intake.bundle
        self.ui.numberLabel.setText(result.number)
        self.ui.printButton.setEnabled(True)
        self.message.emit(f"预审已保存：{result.number}（{OUTCOME_LABELS[result.outcome]}）")
        self.saved.emit(result)
        self._reset()
        self.refresh_mine()
        self.open_sheet()

    def open_sheet(self) -> None:
        """The 预审意见单 of the pre-review saved last, to preview and print."""
        if self.last is None:
            return
        try:
            from hallclient.documents import DocumentKind, build_prereview_sheet
        except ImportError:  # a documents package without the 预审意见单
            self.message.emit("本版本尚不能打印预审意见单")
            return
        from hallclient.case_documents import document_settings
        from hallclient.ui.document_preview import DocumentPreviewDialog

        sheet = prereview_sheet(self.last, self.last_items, self.last_bundle.name if self.last_bundle else "")
        settings = document_settings(self.ctx.settings)
        self.preview = DocumentPreviewDialog(
            DocumentKind.PREREVIEW_SHEET.value, lambda reprint: build_prereview_sheet(sheet, settings, reprint=reprint),
            title=f"预审意见单 {self.last.number}", parent=self)
        self.preview.open()  # type: ignore[attr-defined]

    # -- the proxy's list --------------------------------------------------------------------
    def refresh_mine(self) -> None:
        ctx, actor, today = self.ctx, self.actor(), self.today()

        def loaded(result: object) -> None:
            if not isValid(self):
                return
            if isinstance(result, BaseException):
                self.ui.mineBox.setTitle(f"我的预审（读取失败：{result}）")
                return
            self.mine.set_rows(result, today)  # type: ignore[arg-type]
            self.ui.mineBox.setTitle(f"我的预审（共 {len(result)} 件；去向：已在哪个窗口受理、办件编号，或尚未使用）")  # type: ignore[arg-type]

        self.tasks.run_db(lambda: prereview_service.list_mine(ctx, actor), loaded)

    def on_changes(self, changes: Changes, _sources: frozenset) -> None:  # type: ignore[type-arg]
        if changes.cases or changes.outbox or changes.users:
            self.refresh_mine()


def sync_prereview_tab(window: Any) -> None:
    """The 预审 tab for proxy staff, added or removed as the person at the window changes."""
    from hallclient.core.permissions import Action, allowed

    wanted = allowed(window.current_actor(), Action.PREREVIEW_CREATE)
    panel = getattr(window, "prereview_panel", None)
    if wanted and panel is None:
        panel = PrereviewPanel(window.ctx, window.tasks, window.current_actor)
        window.hub.subscribe(panel.on_changes)
        panel.message.connect(lambda text: window.status.message(text, 15000))
        panel.choose_requested.connect(window._focus_search)
        window.ui.mainTabs.insertTab(window.ui.mainTabs.indexOf(window.ui.catalogTab) + 1, panel, window.tr("预审"))
        window.prereview_panel = panel
    elif wanted and panel is not None:
        panel.refresh_mine()
    elif not wanted and panel is not None:
        window.hub.changed.disconnect(panel.on_changes)
        window.ui.mainTabs.removeTab(window.ui.mainTabs.indexOf(panel))
        panel.deleteLater()
        window.prereview_panel = None


def wants_prereview(window: Any) -> bool:
    """An item chosen in the catalog starts a pre-review rather than an intake (proxy staff)."""
    from hallclient.core.permissions import Role

    actor = window.current_actor()
    return getattr(window, "prereview_panel", None) is not None and not actor.has(Role.CLERK)
