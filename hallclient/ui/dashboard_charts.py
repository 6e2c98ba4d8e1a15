"""QtCharts helpers of the dashboard: a bar chart and its numbers a click away."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

BAR = QColor(46, 97, 158)
OTHER = QColor(214, 124, 43)


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().setVisible(False)
    chart.setMargins(chart.margins() * 0)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def bar_chart(title: str, names: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *,
              horizontal: bool = False, unit: str = "") -> QChart:
    chart = _chart(title)
    bars = QHorizontalBarSeries() if horizontal else QBarSeries()
    for i, (label, values) in enumerate(series):
        bar_set = QBarSet(label)
        bar_set.append([float(v or 0) for v in values])
        bar_set.setColor(BAR if i == 0 else OTHER)
        bars.append(bar_set)
    bars.setLabelsVisible(len(names) <= 16)
    bars.setLabelsFormat("@value")
    chart.addSeries(bars)
    categories = QBarCategoryAxis()
    categories.append(list(names) or [""])
    if len(names) > 12:  # many bars: small labels so none is elided
        font = categories.labelsFont()
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.8))
        categories.setLabelsFont(font)
    if horizontal and len(names) > 16:  # too many to name beside the bars: named in the numbers' table
        categories.setLabelsVisible(False)
        chart.setTitle(title + "（各条名称见“查看数据”）")
    values = QValueAxis()
    values.setLabelFormat("%.0f")
    top = max([float(v or 0) for _l, vs in series for v in vs] or [1])
    values.setRange(0, top * 1.15 if top else 1)
    values.applyNiceNumbers()
    if unit:
        values.setTitleText(unit)
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(categories)
    bars.attachAxis(values)
    chart.legend().setVisible(len(series) > 1)
    return chart


def line_chart(title: str, lines: Sequence[tuple[str, Sequence[tuple[float, float]]]], unit: str = "") -> QChart:
    chart = _chart(title)
    x_axis, y_axis = QValueAxis(), QValueAxis()
    x_axis.setLabelFormat("%.0f")
    x_axis.setTitleText("时")
    y_axis.setLabelFormat("%.0f")
    if unit:
        y_axis.setTitleText(unit)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    top, lo, hi = 1.0, 24.0, 0.0
    for i, (label, points) in enumerate(lines):
        series = QLineSeries()
        series.setName(label)
        for x, y in points:
            series.append(x / 60, y)
            top, lo, hi = max(top, y), min(lo, x / 60), max(hi, x / 60)
        series.setColor(BAR if i == 0 else OTHER)
        chart.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
    x_axis.setRange(lo if lo < hi else 8, hi if lo < hi else 18)
    y_axis.setRange(0, max(2.0, top * 1.1))
    y_axis.applyNiceNumbers()
    chart.legend().setVisible(len(lines) > 1)
    return chart


class ChartWithNumbers(QWidget):
    """A chart, and its numbers as a table one click away (查看数据 / 查看图表)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stack = QStackedWidget(self)
        self.view = QChartView(self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.table = QTableWidget(self)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.table)
        self.toggle = QPushButton(self.tr("查看数据"), self)
        self.toggle.clicked.connect(self._flip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignRight)

    def show_data(self, chart: QChart, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        old = self.view.chart()
        self.view.setChart(chart)
        if old is not None:
            old.deleteLater()
        self.table.clear()
        self.table.setColumnCount(len(header))
        self.table.setHorizontalHeaderLabels(list(header))
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))

    def _flip(self) -> None:
        showing_chart = self.stack.currentIndex() == 0
        self.stack.setCurrentIndex(1 if showing_chart else 0)
        self.toggle.setText(self.tr("查看图表") if showing_chart else self.tr("查看数据"))
