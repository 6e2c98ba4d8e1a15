"""The checklist table of an intake: one row per (merged) material, its terms and its mark."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from hallclient.core.catalog import NECESSITY_LABELS, Necessity
from hallclient.core.checklist import (
    MATERIAL_STATUS_LABELS,
    DecisionResult,
    MaterialMark,
    MaterialStatus,
)
from hallclient.core.intake import Intake

AnyIndex = QModelIndex | QPersistentModelIndex
HEADERS = ["材料名称", "要求", "核验结果", "说明"]
STATUS_COLUMN = 2

_STATUS_COLOURS = {
    MaterialStatus.RECEIVED: "#e3f4e1",
    MaterialStatus.E_LICENSE: "#e1eef9",
    MaterialStatus.COMMITMENT: "#efe6f7",
    MaterialStatus.TOLERATED: "#fff3d6",
    MaterialStatus.DEFECTIVE: "#fbe0de",
}


def requirement_text(intake: Intake, key: str) -> str:
    row = intake.row(key)
    m = row.material
    parts = [NECESSITY_LABELS[m.necessity]]
    if m.core:
        parts.append("核心")
    if m.form:
        parts.append(m.form)
    if m.copies:
        parts.append(f"{m.copies}份")
    if row.tolerance_allowed:
        parts.append(f"可容缺{row.supplement_days}日" if row.supplement_days else "可容缺")
    if row.commitment_allowed:
        parts.append("可承诺")
    return "·".join(parts)


def mark_text(mark: MaterialMark) -> str:
    label = MATERIAL_STATUS_LABELS[mark.status]
    if mark.status is MaterialStatus.RECEIVED:
        form = {True: "原件", False: "复印件"}.get(mark.original, "")  # type: ignore[arg-type]
        copies = f" {mark.copies}份" if mark.copies else ""
        return f"{label}（{form}{copies}）" if form or copies else label
    return label


class ChecklistModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.intake: Intake | None = None
        self.problems: dict[str, str] = {}

    def set_intake(self, intake: Intake | None) -> None:
        self.beginResetModel()
        self.intake = intake
        self.problems = {}
        self.endResetModel()

    def set_result(self, result: DecisionResult | None) -> None:
        self.problems = {p.key: p.message for p in result.problems} if result else {}
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(HEADERS) - 1))

    def key_at(self, row: int) -> str:
        assert self.intake is not None
        return self.intake.rows[row].material.key

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.intake is None else len(self.intake.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return HEADERS[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.intake is None:
            return None
        row = self.intake.rows[index.row()]
        key = row.material.key
        mark = self.intake.mark(key)
        column = index.column()
        unchecked = key in self.intake.unconfirmed  # pre-filled from a pre-review, not yet checked
        remark = self.intake.prereview.remarks.get(key, "") if self.intake.prereview is not None else ""
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.material.name
            if column == 1:
                return requirement_text(self.intake, key)
            if column == STATUS_COLUMN:
                return f"{mark_text(mark)}·待核对" if unchecked else mark_text(mark)
            note = mark.reason or mark.license_number or self.problems.get(key, "")
            return "；".join(t for t in (note, remark and f"预审：{remark}") if t)
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = [row.material.name, requirement_text(self.intake, key),
                    mark.reason or mark.license_number or self.problems.get(key),
                    remark and f"帮办代办备注：{remark}",
                    unchecked and "来自预审，尚未核对：Enter 核对本行",
                    row.material.standard and f"受理标准：{row.material.standard}",
                    row.material.note and f"适用情形：{row.material.note}"]
            return "\n".join(t for t in tips if t)
        if role == Qt.ItemDataRole.BackgroundRole and column == STATUS_COLUMN:
            colour = "#fff0b3" if unchecked else _STATUS_COLOURS.get(mark.status)
            if key in self.problems and row.material.necessity is not Necessity.OPTIONAL:
                colour = "#fbe0de"
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and key in self.problems:
            return QBrush(QColor("#a11d12"))
        return None

    def refresh_row(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
