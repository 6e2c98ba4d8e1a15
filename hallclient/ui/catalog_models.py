"""Qt models over catalog data: search results and an item's materials."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from hallclient.core.catalog import (
    ITEM_STATE_LABELS,
    NECESSITY_LABELS,
    SOURCE_LABELS,
    ItemState,
    Material,
)
from hallclient.core.search import SearchHit

AnyIndex = QModelIndex | QPersistentModelIndex
CodeRole = Qt.ItemDataRole.UserRole + 1


class SearchResultModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = hits
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.hits[index.row()].entry
        if role == Qt.ItemDataRole.DisplayRole:
            suffix = "" if entry.state == ItemState.ACTIVE else f"（{ITEM_STATE_LABELS[entry.state]}）"
            return f"{entry.name}{suffix}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{entry.name}\n{entry.code}\n{entry.window_category or ''} · {entry.item_type or ''}"
        if role == Qt.ItemDataRole.ForegroundRole and entry.state != ItemState.ACTIVE:
            return QBrush(QColor("#a15c00"))
        if role == CodeRole:
            return entry.code
        return None


def _yes(flag: bool) -> str:
    return "是" if flag else ""


MATERIAL_COLUMNS: list[tuple[str, Any]] = [
    ("材料名称", lambda m: m.name),
    ("必要性", lambda m: NECESSITY_LABELS[m.necessity]),
    ("核心", lambda m: _yes(m.core)),
    ("形式", lambda m: m.form or ""),
    ("份数", lambda m: "" if m.copies is None else str(m.copies)),
    ("来源", lambda m: SOURCE_LABELS[m.source]),
    ("可容缺", lambda m: f"{m.supplement_days}日内补正" if m.tolerable and m.supplement_days
     else _yes(m.tolerable)),
    ("可承诺", lambda m: _yes(m.commitment)),
    ("受理标准", lambda m: m.standard or ""),
]


_MATERIAL_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole})


class MaterialTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.materials: list[Material] = []

    def set_materials(self, materials: list[Material]) -> None:
        self.beginResetModel()
        self.materials = materials
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.materials)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(MATERIAL_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return MATERIAL_COLUMNS[section][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks each cell for a dozen roles on every layout: the two it has first.
        if role not in _MATERIAL_ROLES or not index.isValid():
            return None
        material = self.materials[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return MATERIAL_COLUMNS[index.column()][1](material)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [material.name, material.standard and f"受理标准：{material.standard}",
                     material.note and f"适用情形：{material.note}"]
            return "\n".join(line for line in lines if line)
        return None
