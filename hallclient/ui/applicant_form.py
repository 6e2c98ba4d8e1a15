"""The applicant fields of the intake panel: read into an Applicant, mark bad input in place."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLineEdit, QWidget

from hallclient.core.cases import Applicant, ApplicantKind, applicant_problems
from hallclient.core.validators import ID_TYPE_LABELS, IdType, normalize_resident_id, normalize_uscc
from hallclient.ui.forms.ui_intake_panel import Ui_IntakePanel

_INVALID_STYLE = "border: 2px solid #c62828; background: #fff5f5;"


class ApplicantForm:
    def __init__(self, ui: Ui_IntakePanel) -> None:
        self.ui = ui
        for id_type, label in ID_TYPE_LABELS.items():
            ui.idTypeCombo.addItem(label, id_type.value)
        self.fields: dict[str, QWidget] = {
            "name": ui.nameEdit, "uscc": ui.usccEdit, "legal_representative": ui.legalRepEdit,
            "id_number": ui.idNumberEdit, "phone": ui.phoneEdit, "agent_name": ui.agentNameEdit,
            "agent_id_number": ui.agentIdEdit, "agent_power_of_attorney": ui.agentPoaCheck,
        }
        ui.personRadio.toggled.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        organisation = self.ui.organisationRadio.isChecked()
        for widget in (self.ui.usccEdit, self.ui.usccCaption, self.ui.legalRepEdit, self.ui.legalRepCaption):
            widget.setVisible(organisation)
        self.ui.nameCaption.setText("单位名称" if organisation else "姓名")

    def applicant(self) -> Applicant:
        ui = self.ui
        id_type = IdType(ui.idTypeCombo.currentData())
        id_number = ui.idNumberEdit.text().strip()
        if id_type is IdType.RESIDENT_ID:
            id_number = normalize_resident_id(id_number)
        return Applicant(
            kind=ApplicantKind.ORGANISATION if ui.organisationRadio.isChecked() else ApplicantKind.PERSON,
            name=ui.nameEdit.text().strip(), id_type=id_type, id_number=id_number,
            uscc=normalize_uscc(ui.usccEdit.text().strip()) if ui.organisationRadio.isChecked() else "",
            legal_representative=ui.legalRepEdit.text().strip() if ui.organisationRadio.isChecked() else "",
            phone=ui.phoneEdit.text().strip(), agent_name=ui.agentNameEdit.text().strip(),
            agent_id_number=normalize_resident_id(ui.agentIdEdit.text().strip()),
            agent_power_of_attorney=ui.agentPoaCheck.isChecked(), bad_credit=ui.badCreditCheck.isChecked(),
        )

    def fill(self, applicant: Applicant) -> None:
        ui = self.ui
        (ui.organisationRadio if applicant.kind is ApplicantKind.ORGANISATION else ui.personRadio).setChecked(True)
        ui.nameEdit.setText(applicant.name)
        ui.usccEdit.setText(applicant.uscc)
        ui.legalRepEdit.setText(applicant.legal_representative)
        ui.idTypeCombo.setCurrentIndex(max(0, ui.idTypeCombo.findData(applicant.id_type.value)))
        ui.idNumberEdit.setText(applicant.id_number)
        ui.phoneEdit.setText(applicant.phone)
        ui.agentNameEdit.setText(applicant.agent_name)
        ui.agentIdEdit.setText(applicant.agent_id_number)
        ui.agentPoaCheck.setChecked(applicant.agent_power_of_attorney)
        ui.badCreditCheck.setChecked(applicant.bad_credit)

    def clear(self) -> None:
        self.fill(Applicant())
        self.show_problems({})

    def show_problems(self, problems: dict[str, str], only_touched: bool = False) -> None:
        """Mark each bad field red with its reason (tooltip and the list below the form)."""
        shown: list[str] = []
        captions = {"name": "姓名/名称", "uscc": "信用代码", "legal_representative": "法定代表人",
                    "id_number": "证件号码", "phone": "联系电话", "agent_name": "代理人",
                    "agent_id_number": "代理人身份证", "agent_power_of_attorney": "授权委托书"}
        for name, widget in self.fields.items():
            message = problems.get(name)
            if only_touched and isinstance(widget, QLineEdit) and not widget.text():
                message = None
            widget.setStyleSheet(_INVALID_STYLE if message else "")
            widget.setToolTip(message or "")
            if message:
                shown.append(f"{captions[name]}：{message}")
        self.ui.applicantProblems.setText("\n".join(shown))
        self.ui.applicantProblems.setStyleSheet("color: #c62828;")

    def problems(self, today: date | None = None) -> dict[str, str]:
        return applicant_problems(self.applicant(), today)

    def widgets(self) -> list[QWidget]:
        ui = self.ui
        return [ui.personRadio, ui.organisationRadio, ui.nameEdit, ui.usccEdit, ui.legalRepEdit, ui.idTypeCombo,
                ui.idNumberEdit, ui.phoneEdit, ui.agentNameEdit, ui.agentIdEdit, ui.agentPoaCheck,
                ui.badCreditCheck]
