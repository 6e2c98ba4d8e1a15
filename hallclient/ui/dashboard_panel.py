"""The supervisor's dashboard tab: a period, the key figures, charts with their numbers a click
away, the ranking with each score's breakdown, exports, and what-if staffing. Everything loads
on the task runner (never on the GUI thread) with a busy bar; a clerk sees their own month."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hallclient.core.permissions import Actor
from hallclient.core.stats.figures import BY_KEY, show
from hallclient.core.stats.period import (
    Period,
    PeriodError,
    month_period,
    parse_period,
    quarter_period,
)
from hallclient.core.stats.ranking import MARK_LABELS
from hallclient.services import stats as stats_service
from hallclient.services.context import ServiceContext
from hallclient.ui.dashboard_charts import ChartWithNumbers, bar_chart
from hallclient.ui.tasks import TaskRunner

KEY_FIGURES = ("tickets_issued", "tickets_served", "wait_mean_min", "wait_p90_min", "service_mean_min",
               "cases_total", "completed_on_time_rate", "cases_overdue", "satisfaction_rate", "rated_share",
               "complaints_received", "attendance_rate")


def presets(today: date) -> list[tuple[str, str]]:
    q = (today.month - 1) // 3 + 1
    last_month = month_period(today.year - 1, 12) if today.month == 1 else month_period(today.year, today.month - 1)
    last_q = quarter_period(today.year - 1, 4) if q == 1 else quarter_period(today.year, q - 1)
    return [("本月", f"{today:%Y-%m}"), ("上月", last_month.text), ("本季度", f"{today.year}-Q{q}"),
            ("上季度", last_q.text), ("今天", today.isoformat())]


class DashboardPanel(QWidget):
    def __init__(self, ctx: ServiceContext, tasks: TaskRunner, actor: Callable[[], Actor],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tasks, self.actor = ctx, tasks, actor
        self.loaded: dict[str, Any] | None = None
        self.generation = 0
        top = QHBoxLayout()
        self.preset = QComboBox(self)
        self.period_edit = QLineEdit(self)
        self.period_edit.setPlaceholderText(self.tr("如 2026-12、2026-Q3、2026-12-01..2026-12-15"))
        self.load_button = QPushButton(self.tr("统计"), self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.hide()
        self.state = QLabel(self)
        self.csv_button = QPushButton(self.tr("导出CSV"), self)
        self.pdf_button = QPushButton(self.tr("导出PDF报告"), self)
        for w in (QLabel(self.tr("时段："), self), self.preset, self.period_edit, self.load_button, self.busy,
                  self.state):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.csv_button)
        top.addWidget(self.pdf_button)
        self.cards = QGridLayout()
        self.card_values: dict[str, QLabel] = {}
        for i, key in enumerate(KEY_FIGURES):
            box = QLabel(f"<div style='color:#555'>{BY_KEY[key].label}</div>", self)
            value = QLabel("—", self)
            value.setStyleSheet("font-size: 18px; font-weight: 600")
            box.setToolTip(BY_KEY[key].definition)
            value.setToolTip(BY_KEY[key].definition)
            cell = QVBoxLayout()
            cell.addWidget(box)
            cell.addWidget(value)
            self.cards.addLayout(cell, i // 6, i % 6)
            self.card_values[key] = value
        self.tabs = QTabWidget(self)
        self.hourly = ChartWithNumbers(self)
        self.by_category = ChartWithNumbers(self)
        self.by_window = ChartWithNumbers(self)
        self.ranking_chart = ChartWithNumbers(self)
        self.tabs.addTab(self.hourly, self.tr("按小时取号"))
        self.tabs.addTab(self.by_category, self.tr("各类别等候"))
        self.tabs.addTab(self.by_window, self.tr("各窗口满意率"))
        self.tabs.addTab(self._ranking_page(), self.tr("考核排名"))
        from hallclient.ui.whatif_panel import WhatIfPanel

        self.whatif = WhatIfPanel(ctx, tasks, actor, self)
        self.tabs.addTab(self.whatif, self.tr("模拟排班"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.cards)
        layout.addWidget(self.tabs, 1)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.load_button.clicked.connect(self.load)
        self.period_edit.returnPressed.connect(self.load)
        self.csv_button.clicked.connect(lambda: self._export("csv"))
        self.pdf_button.clicked.connect(lambda: self._export("pdf"))
        self.apply_actor()

    def _ranking_page(self) -> QWidget:
        page = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(page)
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        self.ranking_table = QTableWidget(0, 5, left)
        self.ranking_table.setHorizontalHeaderLabels([self.tr("名次"), self.tr("对象"), self.tr("得分"),
                                                      self.tr("标记"), self.tr("说明")])
        self.ranking_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.ranking_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.ranking_table.horizontalHeader().setStretchLastSection(True)
        self.ranking_table.verticalHeader().setVisible(False)
        self.ranking_table.itemSelectionChanged.connect(self._show_breakdown)
        self.rule = QLabel(left)
        self.rule.setWordWrap(True)
        box.addWidget(self.ranking_table, 1)
        box.addWidget(self.rule)
        self.breakdown = QTextBrowser(page)
        page.addWidget(left)
        page.addWidget(self.ranking_chart)
        page.addWidget(self.breakdown)
        page.setSizes([420, 420, 360])
        return page

    # -- who is looking ---------------------------------------------------------------------------

    def apply_actor(self) -> None:
        own = stats_service.scope(self.actor()) is not None
        today = self.ctx.clock().date()
        self.preset.blockSignals(True)
        self.preset.clear()
        for label, text in (presets(today)[:2] if own else presets(today)):
            self.preset.addItem(label, text)
        self.preset.blockSignals(False)
        self.period_edit.setText(self.preset.currentData())
        self.period_edit.setReadOnly(own)
        self.whatif.setEnabled(not own)
        self.tabs.setTabVisible(self.tabs.indexOf(self.whatif), not own)
        self.tabs.setTabVisible(2, not own)
        self.state.setText(self.tr("仅显示本人数据") if own else "")

    def _preset_chosen(self) -> None:
        self.period_edit.setText(self.preset.currentData() or "")
        self.load()

    def period(self) -> Period | None:
        try:
            return parse_period(self.period_edit.text())
        except PeriodError as error:
            self.state.setText(str(error))
            return None

    # -- loading ------------------------------------------------------------------------------

    def load(self) -> None:
        period = self.period()
        if period is None:
            return
        ctx, actor = self.ctx, self.actor()
        own = stats_service.scope(actor) is not None
        self.generation += 1
        generation = self.generation

        def work() -> dict[str, Any]:
            found: dict[str, Any] = {"period": period}
            found["figures"] = stats_service.hall_figures(ctx, actor, period, by=None if own else "window")
            if not own:
                found["category"] = stats_service.hall_figures(ctx, actor, period, by="category")
            if period.kind in ("month", "quarter") and (not own or period.kind == "month"):
                found["assessment"] = stats_service.assessment(ctx, actor, period, by="clerk" if own else "window")
            return found

        self.busy.show()
        self.load_button.setEnabled(False)
        self.state.setText(self.tr("正在统计…"))
        self.tasks.run_db(work, lambda result: self._loaded(generation, result))

    def _loaded(self, generation: int, result: Any) -> None:
        if generation != self.generation:
            return  # a newer request is on its way
        self.busy.hide()
        self.load_button.setEnabled(True)
        if isinstance(result, BaseException):
            self.state.setText(self.tr("统计失败：") + str(result))
            return
        self.loaded = result
        period: Period = result["period"]
        figures = result["figures"]
        self.state.setText(f"{period.label}（{period.first} 至 {period.last}）")
        for key, label in self.card_values.items():
            label.setText(show(key, figures["hall"].get(key)))
        hours = [h for h, n in enumerate(figures["hourly"]) if n] or list(range(9, 17))
        span = list(range(min(hours), max(hours) + 1))
        self.hourly.show_data(bar_chart(self.tr("按小时取号（大厅负荷）"), [f"{h}时" for h in span],
                                        [(self.tr("取号数"), [figures["hourly"][h] for h in span])], unit="张"),
                              [self.tr("时段"), self.tr("取号数")], [[f"{h}:00–{h + 1}:00", figures["hourly"][h]]
                                                                   for h in span])
        cats = (result.get("category") or {}).get("groups", {})
        names = [c for c in cats if c]
        self.by_category.show_data(
            bar_chart(self.tr("各类别平均等候与90分位"), names,
                      [(self.tr("平均"), [cats[c]["wait_mean_min"] for c in names]),
                       (self.tr("90分位"), [cats[c]["wait_p90_min"] for c in names])], unit="分钟"),
            [self.tr("类别"), self.tr("取号"), self.tr("平均等候"), self.tr("90分位"), self.tr("最长")],
            [[c, cats[c]["tickets_issued"], show("wait_mean_min", cats[c]["wait_mean_min"]),
              show("wait_p90_min", cats[c]["wait_p90_min"]), show("wait_max_min", cats[c]["wait_max_min"])]
             for c in names])
        wins = {w: f for w, f in (figures.get("groups") or {}).items() if w}
        order = sorted(wins, key=lambda w: (not w.isdigit(), int(w) if w.isdigit() else 0, w))
        self.by_window.show_data(
            bar_chart(self.tr("各窗口满意率"), [f"{w}号" for w in order],
                      [(self.tr("满意率"), [round((wins[w]["satisfaction_rate"] or 0) * 100, 1) for w in order])],
                      unit="%"),
            [self.tr("窗口"), self.tr("评价数"), self.tr("满意率"), self.tr("参评率"), self.tr("差评")],
            [[f"{w}号", wins[w]["ratings_rated"], show("satisfaction_rate", wins[w]["satisfaction_rate"]),
              show("rated_share", wins[w]["rated_share"]), wins[w]["bad_ratings"]] for w in order])
        self._show_ranking(result.get("assessment"))

    def _subject(self, found: Any, subject: str) -> str:
        return f"{subject}号窗口" if found.by == "window" and subject.isdigit() else subject

    def _show_ranking(self, found: Any) -> None:
        self.ranking_table.setRowCount(0)
        self.breakdown.clear()
        if found is None:
            self.rule.setText(self.tr("考核排名按月（如 2026-12）或按季度（如 2026-Q3）计算"))
            return
        self.ranking_table.setRowCount(len(found.ranking))
        for row, r in enumerate(found.ranking):
            marks = [MARK_LABELS[r.mark]] if r.mark else []
            if r.flagged:
                marks.append(self.tr("连续两月末位"))
            values = [str(r.rank) + ("（并列）" if r.tied else ""), self._subject(found, r.subject), f"{r.score:.2f}",
                      "、".join(marks), ""]
            for col, value in enumerate(values):
                self.ranking_table.setItem(row, col, QTableWidgetItem(value))
        entries = list(found.ranking)
        self.ranking_chart.show_data(
            bar_chart(self.tr("考核得分"), [r.subject + ("号" if r.subject.isdigit() else "") for r in reversed(entries)],
                      [(self.tr("得分"), [r.score for r in reversed(entries)])], horizontal=True),
            [self.tr("名次"), self.tr("对象"), self.tr("得分")],
            [[r.rank, self._subject(found, r.subject), f"{r.score:.2f}"] for r in entries])
        self.rule.setText(self.tr("排名规则：") + found.tie_rule)
        if entries:
            self.ranking_table.selectRow(0)

    def _show_breakdown(self) -> None:
        found = (self.loaded or {}).get("assessment")
        rows = self.ranking_table.selectionModel().selectedRows() if found else []
        if not rows:
            return
        r = found.ranking[rows[0].row()]
        parts = []
        for month, sc in r.monthly.items():
            if sc is None:
                parts.append(f"<p><b>{month}</b>：未开展业务，不计入</p>")
                continue
            lines = "".join(f"<li>{line}</li>" for line in sc.explain().splitlines())
            parts.append(f"<p><b>{month}</b>：{sc.total:.2f} 分</p><ul>{lines}</ul>")
        self.breakdown.setHtml(f"<h3>{self._subject(found, r.subject)}：{r.score:.2f} 分</h3>" + "".join(parts))

    # -- exports ------------------------------------------------------------------------------

    def _export(self, kind: str) -> None:
        found = (self.loaded or {}).get("assessment")
        if found is None:
            self.state.setText(self.tr("请先统计一个月或一个季度"))
            return
        suffix = "CSV 文件 (*.csv)" if kind == "csv" else "PDF 文件 (*.pdf)"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出"), f"{found.period.text}考核.{kind}", suffix)
        if not path:
            return
        figures = (self.loaded or {}).get("figures")
        authority = getattr(self.ctx.settings, "authority", "")

        def work() -> str:
            from pathlib import Path

            from hallclient.documents.report import assessment_csv, assessment_pdf

            if kind == "csv":
                return str(assessment_csv(found, Path(path)))
            return str(assessment_pdf(found, Path(path), authority=authority, figures=figures))

        self.tasks.run_db(work, lambda result: self.state.setText(
            self.tr("导出失败：") + str(result) if isinstance(result, BaseException) else self.tr("已导出 ") + str(result)))


def sync_tab(window: Any) -> None:
    """The 统计考核 tab (built when first shown): see `hallclient.ui.dashboard_tab.sync_tab`."""
    from hallclient.ui.dashboard_tab import sync_tab as sync

    sync(window)
