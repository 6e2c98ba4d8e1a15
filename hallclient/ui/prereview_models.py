"""How pre-reviews read on screen: the checklist with the proxy's remark per material, the
list of a proxy's pre-reviews with what became of each, and the 预审意见单's data."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from hallclient.core.cases import Applicant, ApplicantKind
from hallclient.core.catalog import Necessity, ServiceItem
from hallclient.core.checklist import MATERIAL_STATUS_LABELS, MaterialMark, build_checklist
from hallclient.core.prereview import CONSENT_LABELS, OUTCOME_LABELS, Prereview, PrereviewOutcome
from hallclient.core.validators import ID_TYPE_LABELS
from hallclient.ui.checklist_model import ChecklistModel

AnyIndex = QModelIndex | QPersistentModelIndex
REMARK_COLUMN = 3


class PrereviewChecklistModel(ChecklistModel):
    """The window's checklist model; its last column shows the proxy's remark on the row."""

    def __init__(self, remarks: Callable[[], Mapping[str, str]]) -> None:
        super().__init__()
        self._remarks = remarks

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = super().data(index, role)
        if (index.isValid() and self.intake is not None and index.column() == REMARK_COLUMN
                and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)):
            remark = self._remarks().get(self.key_at(index.row()), "")
            if remark:
                return "；".join(p for p in (f"备注：{remark}", value if role == Qt.ItemDataRole.DisplayRole
                                              else None) if p)
        return value


def whereabouts(p: Prereview, today: date) -> str:
    """What became of a pre-review, as the proxy reads it."""
    if p.used_case_number or p.used_case_uuid:
        window = f"已在 {p.used_window} 号窗口受理" if p.used_window else "已在窗口受理"
        return f"{window}，办件 {p.used_case_number}" if p.used_case_number else window
    if p.outcome is PrereviewOutcome.NOT_HALL:
        return "不属于本大厅事项"
    if today > p.valid_until:
        return "已过期，未到窗口办理"
    return "尚未到窗口办理"


MINE_COLUMNS = ("预审编号", "申请人", "事项", "结论", "预审时间", "有效期至", "去向")


class MineModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Prereview] = []
        self.today = date.today()

    def set_rows(self, rows: Sequence[Prereview], today: date) -> None:
        self.beginResetModel()
        self.rows, self.today = list(rows), today
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(MINE_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return MINE_COLUMNS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            outcome = {PrereviewOutcome.COMPLETE: "材料齐全", PrereviewOutcome.MISSING: "需补齐",
                       PrereviewOutcome.NOT_HALL: "非本大厅事项"}[p.outcome]
            return (p.number, p.applicant.name, "、".join(p.item_names), outcome,
                    f"{p.created_at:%m-%d %H:%M}", p.valid_until.isoformat(), whereabouts(p, self.today))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 3 and p.missing:
                return "需补齐：" + "、".join(p.missing)
            if index.column() == 2:
                return "、".join(p.item_names)
        return None


def _applicant_info(a: Applicant) -> Any:
    from hallclient.documents import ApplicantInfo

    organisation = a.kind is ApplicantKind.ORGANISATION
    return ApplicantInfo(name=a.legal_representative if organisation else a.name,
                         id_type=ID_TYPE_LABELS[a.id_type], id_number=a.id_number, phone=a.phone,
                         organisation=a.name if organisation else "", uscc=a.uscc,
                         legal_representative=a.legal_representative, agent_name=a.agent_name,
                         agent_id_number=a.agent_id_number)


def prereview_sheet(p: Prereview, items: Sequence[ServiceItem], bundle_name: str = "") -> Any:
    """The 预审意见单's data (documents.PrereviewSheet) of a saved pre-review."""
    from hallclient.documents import PrereviewMaterial, PrereviewSheet

    materials = []
    for row in build_checklist(items):
        key = row.material.key
        mark = p.marks.get(key, MaterialMark())
        remark = "；".join(t for t in (p.remarks.get(key, ""), mark.reason or "") if t)
        materials.append(PrereviewMaterial(name=row.material.name, state=MATERIAL_STATUS_LABELS[mark.status],
                                           remark=remark, required=row.material.necessity is Necessity.REQUIRED))
    return PrereviewSheet(
        number=p.number, applicant=_applicant_info(p.applicant), item_names=p.item_names,
        created_on=p.created_at.date(), valid_until=p.valid_until, outcome=p.outcome.value,
        outcome_label=OUTCOME_LABELS[p.outcome], item_codes=p.item_codes, bundle_name=bundle_name,
        materials=tuple(materials), missing=p.missing, remark=p.remark, proxy_name=p.proxy_name,
        consent_label=CONSENT_LABELS[p.consent], window_number=p.window_number)
