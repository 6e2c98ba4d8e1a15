"""Long catalog texts at 1366×768: wrapped a few lines and elided, the full text in a tooltip.

- `WrapElideDelegate`: a table cell's text word-wrapped to at most `max_lines` lines (the row
  grows to fit them, no more); what does not fit ends in "…" on the last line (Qt elides the
  last visible line of wrapped text).
- `ColumnFitter`: columns whose width follows the table: each capped column gets what its
  longest text needs up to a share of the room the fixed columns leave, the stretch column the
  rest; refitted when the table is resized or its rows change.
- `ElidedLabel` behaviour (`elide_label`): a one-line value label that shows as much of its
  text as fits, "…", and the whole text in its tooltip.

The models give every cell that may be elided its full text in the tooltip (the row's tooltip
names the material, its requirement, 受理标准 and 适用情形).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont, QFontMetrics, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

CELL_PADDING = 14  # the style's text margins on both sides, and a little air
ELIDED_PROPERTY = "fullText"


class WrapElideDelegate(QStyledItemDelegate):
    """Word wrap up to `max_lines` lines; longer text is elided on the last line."""

    def __init__(self, max_lines: int = 3, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.max_lines = max_lines

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideRight

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        cap = option.fontMetrics.lineSpacing() * self.max_lines + 8
        return QSize(hint.width(), min(hint.height(), cap))


class ColumnFitter(QObject):
    """Fits `table`'s columns to its width: `caps` maps a column to the largest share (0–1) of
    the free room it may take for its longest text; `stretch` takes the rest. Other columns
    keep their resize mode (e.g. ResizeToContents) and are counted as taken."""

    def __init__(self, table: QTableView, caps: Mapping[int, float], stretch: int,
                 minimum: int = 60, *, rows_to_contents: bool = False) -> None:
        super().__init__(table)
        self.table, self.caps, self.stretch, self.minimum = table, dict(caps), stretch, minimum
        # Wrapped rows get their heights once per fit, not on every change (ResizeToContents
        # on the vertical header asks every cell again for each one).
        self.rows_to_contents = rows_to_contents
        header = table.horizontalHeader()
        for column in self.caps:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        table.viewport().installEventFilter(self)
        self._model: QAbstractItemModel | None = None
        self.watch(table.model())

    def watch(self, model: QAbstractItemModel | None) -> None:
        """Refit when `model`'s rows change (the table's model, given again after setModel)."""
        if model is None or model is self._model:
            return
        self._model = model
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.dataChanged):
            signal.connect(self._timer.start)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._timer.start()
        return False

    def text_width(self, column: int) -> int:
        """What the column's longest text (or its header) needs on one line."""
        model = self.table.model()
        metrics = self.table.fontMetrics()
        title = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        widest = metrics.horizontalAdvance(str(title or "")) + CELL_PADDING
        for row in range(model.rowCount()):
            text = model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
            if text:
                widest = max(widest, metrics.horizontalAdvance(str(text)) + CELL_PADDING)
        return widest

    def fit(self) -> None:
        table, header = self.table, self.table.horizontalHeader()
        if table.model() is None:
            return
        taken = sum(header.sectionSize(c) for c in range(header.count())
                    if c not in self.caps and c != self.stretch and not header.isSectionHidden(c))
        free = max(0, table.viewport().width() - taken)
        for column, share in self.caps.items():
            width = max(self.minimum, min(self.text_width(column), int(free * share)))
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)
        if self.rows_to_contents:
            table.resizeRowsToContents()


def fit_columns(table: QTableView, caps: Mapping[int, float], stretch: int, minimum: int = 60, *,
                rows_to_contents: bool = False) -> ColumnFitter:
    return ColumnFitter(table, caps, stretch, minimum, rows_to_contents=rows_to_contents)


class _LabelElider(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QLabel):
            _show_elided(watched)
        return False


def _show_elided(label: QLabel) -> None:
    full = str(label.property(ELIDED_PROPERTY) or "")
    lines = int(label.property("elideLines") or 1)
    width = max(label.contentsRect().width(), 1)
    if lines <= 1:
        shown = label.fontMetrics().elidedText(full, Qt.TextElideMode.ElideRight, width)
    else:
        shown = _elided_in(label.font(), full, width, lines)
    if shown != label.text():
        label.setText(shown)


def _elided_in(font: QFont, text: str, width: int, lines: int) -> str:
    metrics = QFontMetrics(font)
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    starts: list[int] = []
    while len(starts) <= lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append(line.textStart())
    layout.endLayout()
    if len(starts) <= 1:
        return text
    # The label does not wrap by itself: the breaks are put in; the last line shown is elided.
    ends = [*starts[1:lines], len(text)]
    shown = [text[start:end].rstrip() for start, end in zip(starts[:lines], ends, strict=True)]
    if len(starts) > lines:
        shown[-1] = metrics.elidedText(text[starts[lines - 1]:], Qt.TextElideMode.ElideRight, width)
    return "\n".join(shown)


def elide_label(label: QLabel, lines: int = 1) -> None:
    """Make `label` show at most `lines` lines that end in "…" when its text is longer; set
    its text with `set_elided_text` (the whole text goes to the tooltip)."""
    label.setWordWrap(False)
    policy = label.sizePolicy()
    label.setSizePolicy(QSizePolicy.Policy.Ignored, policy.verticalPolicy())
    label.setMinimumWidth(1)
    label.setProperty("elideLines", lines)
    label.installEventFilter(_LabelElider(label))  # a child of the label: lives as long


def set_elided_text(label: QLabel, text: str) -> None:
    """The whole `text` in the tooltip; as much of it as fits on the label."""
    label.setProperty(ELIDED_PROPERTY, text)
    label.setToolTip(text if text and text != "—" else "")
    _show_elided(label)


def full_text(label: QLabel) -> str:
    """What an elided label stands for (its text when it is not one)."""
    value = label.property(ELIDED_PROPERTY)
    return str(value) if value is not None else label.text()


def is_elided(widget: QWidget, text: str, width: int) -> bool:
    """Whether `text` needs more than `width` pixels in `widget`'s font (tests, diagnostics)."""
    return widget.fontMetrics().horizontalAdvance(text) > width
