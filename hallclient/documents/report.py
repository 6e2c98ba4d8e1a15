"""The supervisor's reports: the monthly assessment and the quarterly ranking, as CSV and as an
A4 PDF on the documents machinery (hallclient.documents.layout): the authority, the title, the
period, the hall's key figures, the ranking with each score's breakdown, charts drawn with
reportlab's graphics (ranking bars, tickets by hour) and the issuing line."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from hallclient.atomicfile import write_atomic
from hallclient.core.stats.figures import BY_KEY, show
from hallclient.core.stats.ranking import MARK_LABELS
from hallclient.documents.fonts import ensure_main_font
from hallclient.documents.layout import (
    CONTENT_WIDTH,
    PageMeta,
    Section,
    TitleLine,
    cn_date,
    para,
    render,
)

KEY_FIGURES = ("tickets_issued", "tickets_served", "wait_mean_min", "wait_p90_min", "service_mean_min",
               "cases_total", "completed_on_time_rate", "satisfaction_rate", "rated_share", "bad_ratings",
               "complaints_received", "attendance_rate")
LINE = colors.Color(0.35, 0.35, 0.35)
BAR = colors.Color(0.18, 0.38, 0.62)


def _subject_label(found: Any, subject: str) -> str:
    return f"{subject}号窗口" if found.by == "window" and subject.isdigit() else subject


def _title(found: Any) -> str:
    return "季度排名" if found.period.kind == "quarter" else "月度考核"


def assessment_rows(found: Any) -> list[list[str]]:
    """The CSV rows: one per subject and indicator/deduction, with its points, then the total."""
    months = [m.text for m in found.months]
    header = ["名次", "对象", "总分", "标记", "连续两月末位", *[f"{m}得分" for m in months], "项目", "数值", "得分", "说明"]
    rows = [header]
    for r in found.ranking:
        lead = [str(r.rank), _subject_label(found, r.subject), f"{r.score:.2f}",
                MARK_LABELS.get(r.mark or "", ""), "是" if r.flagged else "",
                *[("" if r.monthly.get(m) is None else f"{r.monthly[m].total:.2f}") for m in months]]
        last = next((s for s in reversed(list(r.monthly.values())) if s is not None), None)
        parts = [*(last.parts if last else ()), *(last.deductions if last else ())]
        if not parts:
            rows.append([*lead, "", "", "", ""])
        for i, p in enumerate(parts):
            sign = "−" if p in (last.deductions if last else ()) else ""
            value = show(p.figure, p.value) if p.figure in BY_KEY else str(p.value)
            rows.append([*(lead if i == 0 else [""] * len(lead)), ("扣分·" if sign else "") + p.label, value,
                         f"{sign}{p.points:.2f}", p.note])
    return rows


def assessment_csv(found: Any, path: Path) -> Path:
    """UTF-8 with a byte-order mark, so a spreadsheet opens the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"{found.period.label}{_title(found)}", found.scheme.name])
    writer.writerows(assessment_rows(found))
    writer.writerow([f"排名规则：{found.tie_rule}"])
    return write_atomic(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))


def _table(rows: list[list[Any]], widths: list[float], *, head: bool = True) -> Table:
    style = [("GRID", (0, 0), (-1, -1), 0.5, LINE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
    if head:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)))
    cells = [[para("head" if head and i == 0 else "cell", c) if isinstance(c, str) else c for c in row]
             for i, row in enumerate(rows)]
    return Table(cells, colWidths=widths, style=TableStyle(style), repeatRows=1 if head else 0)


def ranking_chart(found: Any, width: float = CONTENT_WIDTH, height: float | None = None) -> Drawing:
    """The ranking as horizontal bars, best at the top."""
    font = ensure_main_font()
    entries = list(found.ranking)[:20]
    height = height or max(50 * mm, 7 * mm * len(entries) + 18 * mm)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 32 * mm, 10 * mm
    chart.width, chart.height = width - 46 * mm, height - 20 * mm
    chart.data = [[r.score for r in reversed(entries)] or [0]]
    chart.categoryAxis.categoryNames = [_subject_label(found, r.subject) for r in reversed(entries)] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, found.scheme.max_score
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.bars[0].fillColor = BAR
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 8
    drawing.add(chart)
    caption = "图1  考核得分" + (f"（前{len(entries)}名）" if len(found.ranking) > len(entries) else "")
    drawing.add(String(0, height - 5 * mm, caption, fontName=font, fontSize=9))
    return drawing


def hourly_chart(hourly: list[int], width: float = CONTENT_WIDTH, height: float = 55 * mm) -> Drawing:
    font = ensure_main_font()
    hours = [h for h, n in enumerate(hourly) if n] or [9]
    lo, hi = min(hours), max(hours)
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 10 * mm
    chart.width, chart.height = width - 20 * mm, height - 20 * mm
    chart.data = [[hourly[h] for h in range(lo, hi + 1)]]
    chart.categoryAxis.categoryNames = [f"{h}时" for h in range(lo, hi + 1)]
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = BAR
    drawing.add(chart)
    drawing.add(String(0, height - 5 * mm, "图2  按小时取号（大厅负荷）", fontName=font, fontSize=9))
    return drawing


def assessment_pdf_bytes(found: Any, *, authority: str, figures: dict[str, Any] | None = None,
                         issued: date | None = None) -> bytes:
    title = f"{found.period.label}{'排名' if found.period.kind == 'quarter' else '考核'}"
    story: list[Any] = [para("authority", authority or "政务服务中心"), TitleLine(f"窗口{_title(found)}报告", size=17),
                        para("number", f"考核期：{found.period.first.isoformat()} 至 {found.period.last.isoformat()}"),
                        para("note", f"考核方案：{found.scheme.name}。{found.scheme.note}")]
    if figures is not None:
        hall = figures["hall"]
        cells = []
        for key in KEY_FIGURES:
            cells += [BY_KEY[key].label, show(key, hall.get(key))]
        rows = [cells[i:i + 6] for i in range(0, len(cells), 6)]
        w = CONTENT_WIDTH / 6
        story += [para("section", "一、大厅主要数据"), _table(rows, [w * 1.15, w * 0.85] * 3, head=False)]
    months = [m.text for m in found.months]
    head = ["名次", "对象", "总分", *([f"{m[-2:]}月" for m in months] if len(months) > 1 else []), "标记"]
    rows: list[list[Any]] = [head]
    for r in found.ranking:
        marks = [MARK_LABELS[r.mark]] if r.mark else []
        if r.flagged:
            marks.append("连续两月末位，约谈")
        if r.tied:
            marks.append("并列")
        rows.append([f"{r.rank}", _subject_label(found, r.subject), f"{r.score:.2f}",
                     *([("—" if r.monthly.get(m) is None else f"{r.monthly[m].total:.2f}") for m in months]
                       if len(months) > 1 else []), "、".join(marks)])
    fixed = [12 * mm, 30 * mm, 18 * mm] + ([16 * mm] * len(months) if len(months) > 1 else [])
    story += [para("section", f"{'二' if figures else '一'}、排名"),
              _table(rows, [*fixed, CONTENT_WIDTH - sum(fixed)]),
              para("fine", f"排名规则：{found.tie_rule}。前 {found.scheme.marks} 名表彰，后 {found.scheme.marks} 名警示。"),
              Spacer(1, 3 * mm), ranking_chart(found)]
    if figures is not None:
        story += [hourly_chart(figures["hourly"])]
    heading: list[Any] = [para("section", f"{'三' if figures else '二'}、得分明细")]
    for r in found.ranking:
        last = next((s for s in reversed(list(r.monthly.values())) if s is not None), None)
        if last is None:
            continue
        detail: list[list[Any]] = [["项目", "数值", "得分", "说明"]]
        for p in last.parts:
            detail.append([p.label, show(p.figure, p.value) if p.figure in BY_KEY else str(p.value),
                           f"{p.points:.2f}/{p.weight:g}", p.note])
        for d in last.deductions:
            detail.append([f"扣分·{d.label}", str(d.value), f"−{d.points:.2f}", d.note])
        detail.append(["合计", "", f"{last.total:.2f}", "已封顶" if last.capped else ""])
        month_note = "（末月）" if len(months) > 1 else ""
        story.append(KeepTogether([*heading, para("note", f"{_subject_label(found, r.subject)}{month_note}："
                                                          f"{last.total:.2f} 分"),
                                   _table(detail, [30 * mm, 26 * mm, 22 * mm, CONTENT_WIDTH - 78 * mm])]))
        heading = []
    story += [Spacer(1, 8 * mm), para("sign_right", authority or "政务服务中心"),
              para("sign_right", cn_date(issued or date.today()))]
    return render([Section(story)], PageMeta(title=title, case_number=found.period.text))


def assessment_pdf(found: Any, path: Path, *, authority: str, figures: dict[str, Any] | None = None) -> Path:
    return write_atomic(path, assessment_pdf_bytes(found, authority=authority, figures=figures))
