"""我的评价: a clerk's own ratings and what became of each 差评 (谁办理、谁负责).

Only the signed-in person's ratings (the service filters by login); never the applicant's phone
(the service strips it, and this view has no column for it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hallclient.core.evaluation import (
    CHANNEL_LABELS,
    INDICATORS,
    LEVEL_LABELS,
    RECT_LABELS,
    UNRATED_LABEL,
    Rating,
    Rectification,
)
from hallclient.core.permissions import Actor
from hallclient.services import evaluation
from hallclient.services.changes import Changes
from hallclient.services.context import ServiceContext
from hallclient.ui.tasks import TaskRunner

COLUMNS = ("时间", "办件 / 号", "渠道", "评价", "分项评价", "差评原因", "意见", "整改状态", "整改结果")


def outcome(rect: Rectification | None) -> tuple[str, str]:
    if rect is None:
        return "", ""
    result = []
    if rect.appeal_upheld is not None:
        result.append("申诉成立，差评不计" if rect.appeal_upheld else "申诉不成立")
    if rect.verdict:
        result.append(f"申请人对整改：{rect.verdict}")
    notes = [h.get("note", "") for h in rect.history if h.get("action") in ("rectify", "explain", "close")]
    if notes:
        result.append(notes[-1])
    return RECT_LABELS[rect.state], "；".join(r for r in result if r)


class MyRatingsPanel(QWidget):
    def __init__(self, ctx: ServiceContext, tasks: TaskRunner, actor: Callable[[], Actor],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.tasks, self.actor = ctx, tasks, actor
        self.rows: list[tuple[Rating, Rectification | None]] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        refresh = QPushButton(self.tr("刷新"))
        refresh.clicked.connect(self.refresh)
        bar.addWidget(self.summary, 1)
        bar.addWidget(refresh)
        layout.addLayout(bar)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.loaded = 0
        self._timer = QTimer(self)
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def title(self) -> str:
        return self.tr("我的评价")

    def on_changes(self, changes: Changes, _sources: frozenset) -> None:  # type: ignore[type-arg]
        if changes.audit or changes.outbox:
            self.refresh()

    def refresh(self) -> None:
        ctx, actor = self.ctx, self.actor()
        self.tasks.run_db(lambda: evaluation.my_ratings(ctx, actor), self._loaded)

    def _loaded(self, result: Any) -> None:
        self.loaded += 1
        if isinstance(result, BaseException):
            self.summary.setText(str(result))
            return
        self.rows = list(result)
        self.table.setRowCount(len(self.rows))
        red = QBrush(QColor("#c62828"))
        for r, (rating, rect) in enumerate(self.rows):
            state, result_text = outcome(rect)
            indicators = "、".join(f"{INDICATORS.get(k, k)}{LEVEL_LABELS[v]}" for k, v in rating.indicators.items())
            texts = (rating.rated_at[:16].replace("T", " "), rating.case_number or rating.ticket_number or "",
                     CHANNEL_LABELS[rating.channel], rating.label, indicators, "、".join(rating.reasons),
                     rating.comment, state, result_text)
            for c, text in enumerate(texts):
                cell = QTableWidgetItem(text)
                if rating.is_bad and c == 3:
                    cell.setForeground(red)
                self.table.setItem(r, c, cell)
        self.table.resizeRowsToContents()
        counts = Counter(rating.label for rating, _ in self.rows)
        parts = [f"{label} {counts[label]}" for label in (*LEVEL_LABELS.values(), UNRATED_LABEL) if counts[label]]
        bad = [rect for rating, rect in self.rows if rating.is_bad]
        closed = sum(1 for rect in bad if rect is not None and rect.state.value == "closed")
        self.summary.setText(self.tr("共 %d 次服务：%s；差评 %d（已办结 %d）")
                             % (len(self.rows), "、".join(parts) or "—", len(bad), closed))
