"""A printer test page (first run, the settings dialog): Chinese, Latin, digits, a frame at the
printable edge and a 100 mm ruler, so whoever sets up the window sees the printer works."""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from hallclient.documents.layout import draw_runs


def build_test_page(window_number: str, printer_name: str, when: datetime | None = None) -> bytes:
    when = when or datetime.now()
    width, height = A4
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    canv.setTitle("打印测试页")
    canv.setCreator("hallclient")
    canv.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    y = height - 40 * mm
    draw_runs(canv, width / 2, y, "打印测试页", 26, anchor="center", bold=True)
    lines = [
        f"综合窗口 {window_number} 号",
        f"打印机：{printer_name or '系统默认打印机'}",
        f"时间：{when:%Y年%m月%d日 %H:%M}",
        "中文：政务服务大厅综合窗口受理通知书",
        "Latin: ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz",
        "数字：0123456789 受理编号 信高新受〔2026〕01000123号",
        "下方标尺应为 100 毫米；四周边框距纸边 10 毫米。",
    ]
    y -= 20 * mm
    for line in lines:
        draw_runs(canv, 25 * mm, y, line, 13)
        y -= 10 * mm
    y -= 6 * mm
    canv.line(25 * mm, y, 125 * mm, y)
    for tick in range(11):
        x = 25 * mm + tick * 10 * mm
        canv.line(x, y, x, y + (4 if tick % 5 else 7) * mm)
    canv.showPage()
    canv.save()
    return buf.getvalue()
