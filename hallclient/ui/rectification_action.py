"""One step of a rectification task or a complaint (回访, 整改, 办结, 申诉复核 …): the note and,
where the step needs them, the applicant's verdict, 成立/不成立, the person handed to, or the
complexity. The service decides; this dialog only asks."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class StepSpec:
    label: str  # 回访
    note_caption: str = "说明"
    note_required: bool = True
    verdicts: tuple[str, ...] = ()  # the applicant's verdict to choose from
    verdict_required: bool = False
    upheld: bool = False  # 申诉复核: 成立 / 不成立
    to_login: bool = False  # 移交: to whom
    complexities: tuple[tuple[str, str], ...] = ()  # (value, label); the first is the current one


class StepDialog(QDialog):
    def __init__(self, spec: StepSpec, subject: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setWindowTitle(f"{spec.label} · {subject}")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.verdict_group = QButtonGroup(self)
        if spec.verdicts:
            row = QHBoxLayout()
            for i, verdict in enumerate(spec.verdicts):
                radio = QRadioButton(verdict)
                self.verdict_group.addButton(radio, i)
                row.addWidget(radio)
            row.addStretch(1)
            caption = self.tr("申请人评价") + ("" if spec.verdict_required else self.tr("（选填）"))
            form.addRow(caption, row)
        self.upheld_group = QButtonGroup(self)
        if spec.upheld:
            row = QHBoxLayout()
            for i, text in enumerate((self.tr("申诉成立"), self.tr("申诉不成立"))):
                radio = QRadioButton(text)
                self.upheld_group.addButton(radio, i)
                row.addWidget(radio)
            row.addStretch(1)
            form.addRow(self.tr("复核结论"), row)
        self.login_edit = QLineEdit()
        if spec.to_login:
            self.login_edit.setPlaceholderText(self.tr("接手人的登录名"))
            form.addRow(self.tr("移交给"), self.login_edit)
        self.complexity_combo = QComboBox()
        if spec.complexities:
            for value, label in spec.complexities:
                self.complexity_combo.addItem(label, value)
            form.addRow(self.tr("复杂程度"), self.complexity_combo)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setFixedHeight(96)
        form.addRow(spec.note_caption + ("" if spec.note_required else self.tr("（选填）")), self.note_edit)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(spec.label, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> dict[str, object]:
        verdict_id = self.verdict_group.checkedId()
        upheld_id = self.upheld_group.checkedId()
        return {"note": self.note_edit.toPlainText().strip(),
                "verdict": self.spec.verdicts[verdict_id] if verdict_id >= 0 else None,
                "upheld": None if upheld_id < 0 else upheld_id == 0,
                "to_login": self.login_edit.text().strip() or None,
                "complexity": self.complexity_combo.currentData() if self.spec.complexities else None}

    def _check(self) -> None:
        v = self.values()
        if self.spec.verdict_required and v["verdict"] is None:
            self.error_label.setText(self.tr("请选择申请人的评价"))
        elif self.spec.upheld and v["upheld"] is None:
            self.error_label.setText(self.tr("请选择申诉是否成立"))
        elif self.spec.to_login and not v["to_login"]:
            self.error_label.setText(self.tr("请填写接手人"))
        elif self.spec.note_required and not v["note"]:
            self.error_label.setText(self.tr("请填写%s") % self.spec.note_caption)
        else:
            self.accept()
