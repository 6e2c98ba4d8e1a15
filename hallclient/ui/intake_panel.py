"""The intake tab: record the applicant, tick the checklist by keyboard, see the decision live,
confirm it into a case (committed before anything is printed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHeaderView, QInputDialog, QMessageBox, QWidget
from shiboken6 import isValid

from hallclient.core.checklist import (
    DECISION_LABELS,
    Decision,
    DecisionResult,
    MaterialMark,
    MaterialStatus,
    requires_original,
)
from hallclient.core.intake import Intake
from hallclient.core.permissions import Actor, PermissionDenied
from hallclient.core.workdays import WorkCalendar, holiday_question
from hallclient.services import catalog as catalog_service
from hallclient.services.changes import Changes
from hallclient.services.context import ServiceContext
from hallclient.ui.applicant_form import ApplicantForm
from hallclient.ui.checklist_model import STATUS_COLUMN, ChecklistModel
from hallclient.ui.forms.ui_intake_panel import Ui_IntakePanel
from hallclient.ui.messages import warn
from hallclient.ui.prereview_scan import ScanCatcher
from hallclient.ui.tasks import TaskRunner
from hallclient.ui.text_fit import fit_columns

# Number keys on a checklist row → the mark they set (received keys carry original/copy).
KEY_MARKS: dict[int, tuple[MaterialStatus, bool | None]] = {
    Qt.Key.Key_1: (MaterialStatus.RECEIVED, True),
    Qt.Key.Key_2: (MaterialStatus.RECEIVED, False),
    Qt.Key.Key_3: (MaterialStatus.E_LICENSE, None),
    Qt.Key.Key_4: (MaterialStatus.COMMITMENT, None),
    Qt.Key.Key_5: (MaterialStatus.TOLERATED, None),
    Qt.Key.Key_6: (MaterialStatus.MISSING, None),
    Qt.Key.Key_7: (MaterialStatus.DEFECTIVE, None),
    Qt.Key.Key_8: (MaterialStatus.NOT_APPLICABLE, None),
}
DECISION_STYLES = {
    Decision.ACCEPT: "background:#2e7d32;color:white;",
    Decision.ACCEPT_WITH_TOLERANCE: "background:#1565c0;color:white;",
    Decision.ONE_TIME_NOTICE: "background:#ef6c00;color:white;",
    Decision.REFUSE: "background:#c62828;color:white;",
}
CONFIRM_TEXT = {
    Decision.ACCEPT: "确认受理 (Ctrl+Enter)",
    Decision.ACCEPT_WITH_TOLERANCE: "确认容缺受理 (Ctrl+Enter)",
    Decision.ONE_TIME_NOTICE: "出具一次性告知 (Ctrl+Enter)",
    Decision.REFUSE: "确认不予受理 (Ctrl+Enter)",
}


# Keys whose mark needs a detail: the mark is set at once (the next keys keep working on the
# checklist) and the detail is asked for, all rows in one form, when the clerk confirms.
DETAIL_PROMPTS = {
    MaterialStatus.E_LICENSE: "电子证照编号（可留空）",
    MaterialStatus.DEFECTIVE: "不符合要求的原因（申请人将看到）",
    MaterialStatus.NOT_APPLICABLE: "不适用的原因",
}
CHECKLIST_HINT = ("材料核验：↑↓ 选行，1 原件 2 复印件 3 电子证照 4 告知承诺 5 容缺 6 缺少 7 不符合要求 "
                  "8 不适用，空格 收取/缺少，+/- 份数。3、7、8 的证照编号或原因在确认受理时一并填写。")


def ask_question(parent: QWidget, title: str, text: str) -> bool:
    return QMessageBox.question(parent, title, text) == QMessageBox.StandardButton.Yes


class IntakePanel(QWidget):
    case_created = Signal(object)  # Case
    message = Signal(str)
    prereview_ready = Signal(object)  # Intake pre-filled from a pre-review (来自预审), to start

    def __init__(self, ctx: ServiceContext, tasks: TaskRunner, actor: Callable[[], Actor],
                 today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.ctx = ctx
        self.tasks = tasks
        self.settings = ctx.settings
        self.actor = actor
        self.last_error: str | None = None  # the last refusal or failure shown (tests, diagnostics)
        self.today = today
        self.ui = Ui_IntakePanel()
        self.ui.setupUi(self)
        self.intake: Intake | None = None
        self.result: DecisionResult | None = None
        self.calendar: WorkCalendar | None = None
        self.saving = False
        self.ticket_number: str | None = None  # the queue ticket being served, kept on the next case
        # Yes/no questions before confirming (unchecked pre-filled rows, a holiday); tests answer.
        self.ask: Callable[[str, str], bool] = lambda title, text: ask_question(self, title, text)
        # The details of 3/7/8 marks at confirmation: [(key, label, required)] → key → text, or
        # None when the clerk went back to the checklist; tests answer.
        self.ask_details: Callable[[list[tuple[str, str, bool]]], dict[str, str] | None] = \
            lambda rows: ask_mark_details(self, rows)
        self.details_asked: set[str] = set()  # e-license rows already asked (the number is optional)
        self.applicant = ApplicantForm(self.ui)
        self.model = ChecklistModel()
        table = self.ui.checklistTable
        table.setModel(self.model)
        header = table.horizontalHeader()
        # One line a row (twelve rows fit beside the queue dock at 1366×768): 要求 and 说明 take
        # what their longest text needs, up to a third of the room each; the name the rest.
        # What still does not fit ends in "…", the whole row in its tooltip.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.columns = fit_columns(table, {1: 0.34, 3: 0.3}, 0, minimum=80)
        table.verticalHeader().setDefaultSectionSize(26)
        table.installEventFilter(self)
        table.doubleClicked.connect(lambda index: self._toggle_received(index.row()))
        self.ui.intakeTitle.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.ui.decisionLabel.setStyleSheet("font-size: 18pt; font-weight: bold; padding: 8px;")
        self.ui.checklistHint.setStyleSheet("color: #555;")
        self.ui.checklistHint.setText(CHECKLIST_HINT)
        self.key_hint = self.ui.checklistHint.text()  # put back after a pre-filled intake
        self.ui.markProblem.setStyleSheet("color: #c62828;")
        for widget in self.applicant.widgets():
            signal = getattr(widget, "textChanged", None) or getattr(widget, "toggled", None)
            if signal is None:
                signal = widget.currentIndexChanged  # type: ignore[attr-defined]
            signal.connect(self._applicant_changed)
        self.ui.confirmButton.clicked.connect(self.confirm)
        self.ui.refuseButton.clicked.connect(self.refuse)
        self.ui.cancelButton.clicked.connect(self.abandon)
        for keys, slot in (("Ctrl+Return", self.confirm), ("Ctrl+Enter", self.confirm),
                           ("Ctrl+R", self.refuse), ("Ctrl+W", self.abandon),
                           ("Ctrl+Shift+A", self.confirm_all_rows)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.scan = ScanCatcher(self)
        self.scan.watch(self.ui.prereviewEdit)
        self.scan.scanned.connect(self.take_prereview)
        self.ui.prereviewEdit.returnPressed.connect(self._prereview_typed)
        self.reload_calendar()

    # -- lifecycle -------------------------------------------------------------------------
    def reload_calendar(self) -> None:
        ctx = self.ctx
        self.tasks.run_db(lambda: catalog_service.load_calendar(ctx), self._calendar_loaded)

    def on_changes(self, changes: Changes, _sources: frozenset) -> None:  # type: ignore[type-arg]
        if changes.calendar:
            self.reload_calendar()

    def _calendar_loaded(self, calendar: object) -> None:
        if isinstance(calendar, BaseException):
            self.message.emit(f"工作日历载入失败，期限暂无法计算：{calendar}")
            return
        self.calendar = calendar  # type: ignore[assignment]
        self._recompute()

    @property
    def active(self) -> bool:
        return self.intake is not None

    @property
    def dirty(self) -> bool:
        return self.intake is not None and (bool(self.intake.marks) or bool(self.ui.nameEdit.text()))

    def start(self, intake: Intake) -> None:
        if intake.ticket_number is None:
            intake.ticket_number = self.ticket_number
        self.intake = intake
        self.applicant.clear()
        if intake.previous_case_uuid or intake.prereview is not None:
            self.applicant.fill(intake.applicant)
        self.model.set_intake(intake)
        codes = "、".join(i.code for i in intake.items)
        self.ui.intakeTitle.setText(intake.title)
        prefix = "再次受理（上次一次性告知）· " if intake.previous_case_uuid else ""
        self.ui.checklistHint.setText(self.key_hint)
        if intake.prereview is not None:
            p = intake.prereview
            prefix = f"来自预审 {p.number}（{p.proxy_name}）· "
            self.ui.checklistHint.setText("来自预审：黄色为待核对，逐项对照材料原件后按 Enter 核对本行"
                                          "（或按键改标记），Ctrl+Shift+A 全部核对；" + self.key_hint)
        if intake.ticket_number:
            prefix = f"{intake.ticket_number} 号 · {prefix}"
        self.ui.intakeMeta.setText(f"{prefix}{codes}")
        for button in (self.ui.confirmButton, self.ui.refuseButton, self.ui.cancelButton):
            button.setEnabled(True)
        self._recompute()
        self.ui.nameEdit.setFocus()

    def abandon(self) -> None:
        if self.intake is None or self.saving:
            return
        if self.dirty and QMessageBox.question(self, "放弃受理", "放弃本次受理？已勾选的材料不会保存。") \
                != QMessageBox.StandardButton.Yes:
            return
        self._reset()

    def discard(self) -> None:
        """Drop the intake in progress without asking (another person now sits at the window:
        they did not check these materials)."""
        if not self.saving:
            self.ticket_number = None
            self._reset()

    def _reset(self) -> None:
        self.details_asked.clear()
        self.intake = None
        self.result = None
        self.model.set_intake(None)
        self.applicant.clear()
        self.ui.intakeTitle.setText("尚未开始受理：在「事项清单」中选择事项后按 Enter")
        self.ui.intakeMeta.clear()
        self.ui.decisionLabel.setText("—")
        self.ui.decisionLabel.setStyleSheet("font-size: 18pt; font-weight: bold; padding: 8px;")
        self.ui.reasonsView.clear()
        self.ui.markProblem.clear()
        for button in (self.ui.confirmButton, self.ui.refuseButton, self.ui.cancelButton):
            button.setEnabled(False)

    # -- the checklist, by keyboard ----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.ui.checklistTable and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress and self.intake is not None
                and self._checklist_key(event)):
            return True
        return super().eventFilter(watched, event)

    def _checklist_key(self, event: QKeyEvent) -> bool:
        table = self.ui.checklistTable
        row = table.currentIndex().row()
        key = event.key()
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            step = -1 if key == Qt.Key.Key_Backtab or event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
            target = row + step
            if 0 <= target < self.model.rowCount():
                table.setCurrentIndex(self.model.index(target, STATUS_COLUMN))
                return True
            return False  # leave the table: Tab moves on to the decision buttons
        if row < 0:
            return False
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.intake.unconfirmed:
            self.confirm_row(row)
            return True
        if key == Qt.Key.Key_Space:
            self._toggle_received(row)
            return True
        if key in KEY_MARKS:
            status, original = KEY_MARKS[Qt.Key(key)]
            self.mark_row(row, status, original=original)
            return True
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
            self._adjust_copies(row, -1 if key == Qt.Key.Key_Minus else 1)
            return True
        return False

    def _toggle_received(self, row: int) -> None:
        assert self.intake is not None
        key = self.model.key_at(row)
        current = self.intake.mark(key).status
        if current is MaterialStatus.RECEIVED:
            self.mark_row(row, MaterialStatus.MISSING)
        else:
            original = True if requires_original(self.intake.row(key).material.form) else None
            self.mark_row(row, MaterialStatus.RECEIVED, original=original)

    def _adjust_copies(self, row: int, delta: int) -> None:
        assert self.intake is not None
        key = self.model.key_at(row)
        mark = self.intake.mark(key)
        if mark.status is not MaterialStatus.RECEIVED:
            return
        self.intake.set_mark(key, replace(mark, copies=max(0, (mark.copies or 0) + delta)))
        self._changed(row)

    def mark_row(self, row: int, status: MaterialStatus, *, original: bool | None = None,
                 text: str | None = None) -> bool:
        """Set a row's mark. A reason or licence number is `text`; without it the mark is set
        and the detail asked for when the clerk confirms (never a dialog that would swallow the
        keys typed next)."""
        assert self.intake is not None
        key = self.model.key_at(row)
        problem = self.intake.why_not(key, status)
        if problem:
            self.ui.markProblem.setText(f"「{self.intake.row(key).material.name}」：{problem}")
            return False
        mark = MaterialMark(status=status, original=original)
        note = ""
        if status in (MaterialStatus.DEFECTIVE, MaterialStatus.NOT_APPLICABLE):
            if text is not None and not text.strip():
                self.ui.markProblem.setText("须填写原因")
                return False
            mark = replace(mark, reason=text.strip() if text is not None else None)
        elif status is MaterialStatus.E_LICENSE:
            mark = replace(mark, license_number=(text or "").strip() or None)
            if text is not None:
                self.details_asked.add(key)
            else:
                self.details_asked.discard(key)
        if text is None and status in DETAIL_PROMPTS:
            note = f"「{self.intake.row(key).material.name}」：{DETAIL_PROMPTS[status]}在确认受理时填写"
        self.intake.set_mark(key, mark)
        self.ui.markProblem.setText(note)
        self._changed(row)
        return True

    def missing_details(self) -> list[tuple[str, str, bool]]:
        """Rows whose 3/7/8 mark still lacks its detail: (key, label, required)."""
        assert self.intake is not None
        rows = []
        for row in self.intake.rows:
            key = row.material.key
            mark = self.intake.mark(key)
            if mark.status in (MaterialStatus.DEFECTIVE, MaterialStatus.NOT_APPLICABLE) and not mark.reason:
                rows.append((key, f"{row.material.name}：{DETAIL_PROMPTS[mark.status]}", True))
            elif mark.status is MaterialStatus.E_LICENSE and not mark.license_number \
                    and key not in self.details_asked:
                rows.append((key, f"{row.material.name}：{DETAIL_PROMPTS[mark.status]}", False))
        return rows

    def _fill_details(self) -> bool:
        """Ask for the details still missing; False when the clerk went back to the checklist."""
        assert self.intake is not None
        missing = self.missing_details()
        if not missing:
            return True
        answers = self.ask_details(missing)
        if answers is None:
            self.message.emit("请补填材料核验的原因或证照编号后再确认")
            return False
        for key, _label, required in missing:
            text = (answers.get(key) or "").strip()
            if required and not text:
                self.ui.markProblem.setText("不符合要求或不适用的材料须填写原因")
                return False
            mark = self.intake.mark(key)
            if mark.status is MaterialStatus.E_LICENSE:
                self.intake.set_mark(key, replace(mark, license_number=text or None))
                self.details_asked.add(key)
            else:
                self.intake.set_mark(key, replace(mark, reason=text))
        self.model.set_result(None)
        self._recompute()
        return True

    # -- from a pre-review (来自预审) ---------------------------------------------------------
    def _prereview_typed(self) -> None:
        text = self.ui.prereviewEdit.text().strip()
        if text:  # not a YS… number (the scan catcher takes those): say what is expected
            self.last_error = f"「{text}」不是预审编号：预审编号以 YS 开头，见预审意见单"
            self.message.emit(self.last_error)
            self.ui.prereviewEdit.selectAll()  # the next scan replaces it

    def focus_prereview(self) -> None:
        self.ui.prereviewEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ui.prereviewEdit.selectAll()

    def take_prereview(self, number: str) -> None:
        """Load a pre-review for this window (valid, unused, for its items) and hand the
        pre-filled intake on (`prereview_ready`); a refusal is shown with its reason."""
        from hallclient.services import prereview as prereview_service

        ctx, actor, ticket = self.ctx, self.actor(), self.ticket_number
        self.message.emit(f"正在调取预审 {number}…")

        def work() -> Intake:
            found = prereview_service.for_intake(ctx, actor, number)
            items = catalog_service.load_items(ctx, found.item_codes)
            if len(items) != len(found.item_codes):
                raise ValueError(f"预审 {found.number} 的事项已不在事项清单中，请重新选择事项受理")
            bundle = catalog_service.load_bundle(ctx, found.bundle_code) if found.bundle_code else None
            return Intake.from_prereview(found, items, bundle, ticket_number=ticket)

        self.tasks.run_db(work, self._prereview_loaded)

    def _prereview_loaded(self, result: object) -> None:
        if not isValid(self):
            return
        if isinstance(result, BaseException):
            self.last_error = f"不能调取预审：{result}"
            self.message.emit(self.last_error)
            warn(self, "不能调取预审", str(result))
            self.ui.prereviewEdit.setFocus()
            return
        assert isinstance(result, Intake)
        self.ui.prereviewEdit.clear()
        self.prereview_ready.emit(result)

    def confirm_row(self, row: int) -> None:
        """The clerk has checked this pre-filled row against the material: 已核对, next row."""
        assert self.intake is not None
        self.intake.confirm(self.model.key_at(row))
        self.model.refresh_row(row)
        if row + 1 < self.model.rowCount():
            self.ui.checklistTable.setCurrentIndex(self.model.index(row + 1, STATUS_COLUMN))
        self._recompute()

    def confirm_all_rows(self) -> None:
        """Ctrl+Shift+A: every pre-filled row checked at once, after the clerk says so."""
        if self.intake is None or not self.intake.unconfirmed:
            return
        count = len(self.intake.unconfirmed)
        if not self.ask("全部核对", f"已逐项对照申请人的材料核对尚未核对的 {count} 项预审内容？"):
            return
        for key in list(self.intake.unconfirmed):
            self.intake.confirm(key)
        self.model.set_result(self.result)
        self._recompute()

    def _changed(self, row: int) -> None:
        self.model.refresh_row(row)
        self._recompute()

    # -- applicant and decision --------------------------------------------------------------
    def _applicant_changed(self, *_args: object) -> None:
        if self.intake is None:
            return
        reset = self.intake.set_applicant(self.applicant.applicant())
        if reset:
            self.ui.markProblem.setText(f"申请人存在失信记录，以下材料改为缺少：{'、'.join(reset)}")
            self.model.set_result(None)
        self.applicant.show_problems(self.applicant.problems(self.today()), only_touched=True)
        self._recompute()

    def _recompute(self) -> None:
        if self.intake is None:
            return
        result = self.intake.result(self.today(), self.calendar)
        self.result = result
        self.model.set_result(result)
        self.ui.decisionLabel.setText(DECISION_LABELS[result.decision])
        self.ui.decisionLabel.setStyleSheet(
            f"font-size: 18pt; font-weight: bold; padding: 8px; {DECISION_STYLES[result.decision]}")
        lines = list(result.reasons)
        if result.deadline_problem:
            lines.append(f"⚠ 期限：{result.deadline_problem}（仍可受理，期限待日历载入后补填）")
        self.ui.reasonsView.setPlainText("\n".join(lines))
        self.ui.confirmButton.setText(CONFIRM_TEXT[result.decision])

    # -- confirming ------------------------------------------------------------------------
    def confirm(self) -> None:
        if self.intake is None or self.result is None or self.saving:
            return
        problems = self.applicant.problems(self.today())
        if problems:
            self.applicant.show_problems(problems)
            first = next(w for name, w in self.applicant.fields.items() if name in problems)
            first.setFocus()
            self.message.emit("申请人信息有误，请按红框提示更正后再确认")
            return
        if not self._fill_details():
            return
        if self.intake.unconfirmed:
            names = [r.material.name for r in self.intake.rows if r.material.key in self.intake.unconfirmed]
            if not self.ask("尚未核对", f"以下 {len(names)} 项来自预审的材料尚未逐项核对：\n"
                                    + "\n".join(f"· {n}" for n in names) + "\n\n仍要确认吗？"):
                self.message.emit("请逐项核对来自预审的材料（Enter 核对本行）")
                return
        draft = self.intake.draft(self.result, today=self.today(), window=self.settings.window_number,
                                  clerk=self.actor().name)
        self._save(draft)

    def refuse(self) -> None:
        if self.intake is None or self.saving:
            return
        reason, ok = QInputDialog.getMultiLineText(self, "不予受理", "不予受理的理由（将写入决定书）：")
        if ok:
            self.refuse_with(reason)

    def refuse_with(self, reason: str) -> None:
        assert self.intake is not None
        if not reason.strip():
            self.message.emit("不予受理须写明理由")
            return
        problems = self.applicant.problems(self.today())
        if problems:
            self.applicant.show_problems(problems)
            self.message.emit("申请人信息有误，请更正后再出具不予受理决定")
            return
        self._save(self.intake.refusal_draft(reason.strip(), today=self.today(),
                                             window=self.settings.window_number, clerk=self.actor().name))

    def _save(self, draft: object) -> None:
        question = holiday_question(self.calendar, self.today()) if self.calendar is not None else None
        if question and not self.ask("节假日受理", question):
            self.message.emit("未确认：请核对受理日期")
            return
        ctx, actor = self.ctx, self.actor()
        self.saving = True
        self.ui.confirmButton.setEnabled(False)
        # The service numbers and stores the case, with the signed-in person as its clerk.
        from hallclient.services import cases as case_service  # with the documents: not at start

        self.tasks.run_op(lambda: case_service.create_case(ctx, actor, draft),  # type: ignore[arg-type]
                          self._saved, source=self)

    def _saved(self, case: object) -> None:
        self.saving = False
        self.ui.confirmButton.setEnabled(True)
        if isinstance(case, PermissionDenied):
            self.last_error = str(case)
            self.message.emit(self.last_error)
            warn(self, "没有权限", f"{case}\n\n办件未保存，勾选内容仍在。")
            return
        if isinstance(case, BaseException):
            self.last_error = f"办件未保存，勾选内容仍在，可再次确认。\n\n原因：{case}"
            warn(self, "保存失败", self.last_error)
            return
        self.ticket_number = None  # one ticket, one case (a bundle is one case too)
        self._reset()
        self.case_created.emit(case)


def ask_mark_details(parent: QWidget, rows: list[tuple[str, str, bool]]) -> dict[str, str] | None:
    """One form for every detail still missing at confirmation; None when cancelled."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

    dialog = QDialog(parent)
    dialog.setWindowTitle("材料核验：补填原因和证照编号")
    form = QFormLayout(dialog)
    edits: dict[str, QLineEdit] = {}
    for key, label, required in rows:
        edit = QLineEdit()
        edit.setPlaceholderText("必填" if required else "可留空")
        edits[key] = edit
        caption = QLabel(label)
        caption.setWordWrap(True)
        form.addRow(caption, edit)
    problem = QLabel()
    problem.setStyleSheet("color: #c62828;")
    form.addRow(problem)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("返回核验")
    form.addRow(buttons)

    def accept() -> None:
        empty = [key for key, _label, required in rows if required and not edits[key].text().strip()]
        if empty:
            problem.setText("请填写原因")
            edits[empty[0]].setFocus()
            return
        dialog.accept()

    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    dialog.setMinimumWidth(520)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return {key: edit.text() for key, edit in edits.items()}
