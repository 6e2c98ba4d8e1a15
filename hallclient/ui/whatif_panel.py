"""What-if staffing: fit a real day, change the open windows per category, simulate (simpy),
and show the predicted waits and queue beside what actually happened. Off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hallclient.core.permissions import Actor
from hallclient.services import stats as stats_service
from hallclient.services.context import ServiceContext
from hallclient.ui.dashboard_charts import ChartWithNumbers, line_chart
from hallclient.ui.tasks import TaskRunner


def per_category(staffing: dict[str, tuple[str, ...]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for cats in staffing.values():
        for c in cats:
            counts[c] = counts.get(c, 0) + 1
    return counts


class WhatIfPanel(QWidget):
    def __init__(self, ctx: ServiceContext, tasks: TaskRunner, actor: Callable[[], Actor],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tasks, self.actor = ctx, tasks, actor
        self.model: Any = None
        top = QHBoxLayout()
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        today = ctx.clock().date()
        self.day.setDate(QDate(today.year, today.month, today.day).addDays(-1))
        self.fit_button = QPushButton(self.tr("读取当天号票"), self)
        self.run_button = QPushButton(self.tr("模拟"), self)
        self.run_button.setEnabled(False)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(140)
        self.busy.hide()
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        for w in (QLabel(self.tr("日期："), self), self.day, self.fit_button, self.run_button, self.busy):
            top.addWidget(w)
        top.addWidget(self.state, 1)
        self.staff = QTableWidget(0, 3, self)
        self.staff.setHorizontalHeaderLabels([self.tr("窗口类别"), self.tr("实际窗口数"), self.tr("模拟窗口数")])
        self.staff.horizontalHeader().setStretchLastSection(True)
        self.result = QTableWidget(0, 7, self)
        self.result.setHorizontalHeaderLabels([self.tr("类别"), self.tr("实际平均"), self.tr("模拟平均"),
                                               self.tr("实际90分位"), self.tr("模拟90分位"), self.tr("实际最长"),
                                               self.tr("模拟最长")])
        self.result.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.result.verticalHeader().setVisible(False)
        self.staff.verticalHeader().setVisible(False)
        self.queue = ChartWithNumbers(self)
        left = QWidget(self)
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.staff, 1)
        box.addWidget(self.result, 1)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(self.queue)
        split.setSizes([560, 640])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.fit_button.clicked.connect(self.fit)
        self.run_button.clicked.connect(self.run)

    def _working(self, on: bool, text: str = "") -> None:
        self.busy.setVisible(on)
        self.fit_button.setEnabled(not on)
        self.run_button.setEnabled(not on and self.model is not None)
        if text:
            self.state.setText(text)

    def fit(self) -> None:
        from hallclient.core.stats.simulation import fit_day

        ctx, actor, day = self.ctx, self.actor(), self.day.date().toPython()
        self._working(True, self.tr("正在读取号票…"))
        self.tasks.run_db(lambda: fit_day(stats_service.day_tickets(ctx, actor, day), day.isoformat()), self._fitted)

    def _fitted(self, model: Any) -> None:
        if isinstance(model, BaseException):
            self.model = None
            self._working(False, str(model))
            return
        self.model = model
        real = per_category(dict(model.staffing))
        self.staff.setRowCount(len(real))
        for row, (cat, n) in enumerate(sorted(real.items())):
            self.staff.setItem(row, 0, QTableWidgetItem(cat))
            self.staff.setItem(row, 1, QTableWidgetItem(str(n)))
            spin = QSpinBox(self.staff)
            spin.setRange(0, 50)
            spin.setValue(n)
            self.staff.setCellWidget(row, 2, spin)
        m = model.measured
        self._working(False, self.tr(f"实际：{m['count']} 张号，平均等候 {m['wait_mean_min']} 分钟；调整窗口数后点“模拟”"))

    def staffing(self) -> dict[str, tuple[str, ...]]:
        """Windows per category as chosen; a category left as it was keeps its real windows."""
        real = dict(self.model.staffing)
        counts = per_category(real)
        chosen = {}
        for row in range(self.staff.rowCount()):
            spin = self.staff.cellWidget(row, 2)
            chosen[self.staff.item(row, 0).text()] = spin.value()  # type: ignore[attr-defined]
        changed = {c: n for c, n in chosen.items() if counts.get(c) != n}
        staffing = {w: cats for w, cats in real.items() if not set(cats) & set(changed)}
        for cat, n in changed.items():
            for i in range(n):
                staffing[f"{cat}-{i + 1}"] = (cat,)
        return staffing

    def run(self) -> None:
        from hallclient.core.stats.simulation import simulate_many, validate

        model, staffing = self.model, self.staffing()
        self._working(True, self.tr("正在模拟…"))
        self.tasks.run_db(lambda: (simulate_many(model, staffing, seed=1), validate(model, seed=1)), self._ran)

    def _ran(self, result: Any) -> None:
        if isinstance(result, BaseException):
            self._working(False, str(result))
            return
        sim, check = result
        m = self.model.measured
        cats = sorted(self.model.rates)
        rows = [("全厅", m, sim["summary"])] + [(c, m["by_category"].get(c, {}), sim["by_category"].get(c, {}))
                                               for c in cats]
        self.result.setRowCount(len(rows))
        for r, (name, real, simulated) in enumerate(rows):
            values = [name] + [str(x.get(k) if x.get(k) is not None else "—") for k in
                               ("wait_mean_min",) for x in (real, simulated)]
            values += [str(x.get(k) if x.get(k) is not None else "—") for k in ("wait_p90_min", "wait_max_min")
                       for x in (real, simulated)]
            for c, v in enumerate(values):
                self.result.setItem(r, c, QTableWidgetItem(v))
        real_q, sim_q = m["queue"], sim["queue"]
        self.queue.show_data(line_chart(self.tr("排队人数（实际与模拟）"), [(self.tr("实际"), real_q),
                                                                  (self.tr("模拟"), sim_q)], unit="人"),
                             [self.tr("时间"), self.tr("实际排队"), self.tr("模拟排队")],
                             [[f"{t // 60:02d}:{t % 60:02d}", n, dict(sim_q).get(t, "")] for t, n in real_q])
        verdict = self.tr("符合") if check["ok"] else self.tr("不符合")
        self._working(False, self.tr(f"模拟 {sim['runs']} 次平均（种子 1）。模型校验：{check['tolerance']}；按实际窗口模拟 "
                                     f"{check['simulated_mean_min']} 分钟，实际 {check['measured_mean_min']} 分钟，{verdict}"))
