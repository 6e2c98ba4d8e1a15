"""The queue ticket slip: 80 mm wide, as tall as its content."""

from __future__ import annotations

import io

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from hallclient.documents.blocks import QRFlowable
from hallclient.documents.fonts import ensure_main_font
from hallclient.documents.layout import GREY, draw_runs, text
from hallclient.documents.model import Slip

SLIP_WIDTH = 80 * mm
MARGIN = 4 * mm
INNER = SLIP_WIDTH - 2 * MARGIN
QR_SIZE = 32 * mm


def _style(size: float, leading: float, **kw: object) -> ParagraphStyle:
    return ParagraphStyle(f"slip{size}", fontName=ensure_main_font(), fontSize=size, leading=leading,
                          alignment=TA_CENTER, wordWrap="CJK", **kw)


def build_slip(slip: Slip) -> bytes:
    """The slip as a one-page PDF 80 mm wide."""
    hall = Paragraph(text(slip.hall_name), _style(11, 15))
    category = Paragraph(text("业务类别：", slip.category), _style(12, 17))
    notes = [Paragraph(text(n), _style(8.5, 12, textColor=GREY)) for n in slip.notes]
    h_hall = hall.wrap(INNER, 1000)[1] if slip.hall_name else 0
    h_cat = category.wrap(INNER, 1000)[1]
    h_notes = sum(p.wrap(INNER, 1000)[1] for p in notes)
    number_size = 40 if len(slip.ticket_number) <= 6 else max(16, 240 / len(slip.ticket_number))
    height = (MARGIN + h_hall + 4 * mm + 6 * mm + number_size * 1.15 + 3 * mm + h_cat
              + 3 * 6 * mm + (QR_SIZE + 6 * mm if slip.qr_content else 0) + h_notes + 6 * mm + MARGIN)

    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(SLIP_WIDTH, height), invariant=1, pageCompression=1)
    canv.setTitle(f"排队号 {slip.ticket_number}")
    canv.setCreator("hallclient")
    y = height - MARGIN
    if slip.hall_name:
        hall.drawOn(canv, MARGIN, y - h_hall)
        y -= h_hall
    y -= 4 * mm
    _dashed(canv, y)
    y -= 6 * mm
    draw_runs(canv, SLIP_WIDTH / 2, y, "您的排队号", 10, anchor="center")
    y -= number_size * 1.05
    draw_runs(canv, SLIP_WIDTH / 2, y, slip.ticket_number, number_size, anchor="center", bold=True)
    y -= 3 * mm + h_cat
    category.drawOn(canv, MARGIN, y)
    y -= 6 * mm
    ahead = f"您前面还有 {slip.people_ahead} 人等候" if slip.people_ahead > 0 else "您前面无人等候，请留意叫号"
    draw_runs(canv, SLIP_WIDTH / 2, y, ahead, 11, anchor="center")
    y -= 6 * mm
    draw_runs(canv, SLIP_WIDTH / 2, y, f"取号时间：{slip.issued_at:%Y-%m-%d %H:%M}", 10, anchor="center")
    y -= 6 * mm
    if slip.qr_content:
        _dashed(canv, y + 3 * mm)
        y -= QR_SIZE
        QRFlowable(slip.qr_content, QR_SIZE).drawOn(canv, (SLIP_WIDTH - QR_SIZE) / 2, y)
        y -= 5 * mm
        draw_runs(canv, SLIP_WIDTH / 2, y, "扫码查看排队进度", 9, anchor="center")
        y -= 1 * mm
    for p in notes:
        h = p.wrap(INNER, 1000)[1]
        p.drawOn(canv, MARGIN, y - h)
        y -= h
    canv.showPage()
    canv.save()
    return buf.getvalue()


def _dashed(canv: Canvas, y: float) -> None:
    canv.saveState()
    canv.setDash(2, 2)
    canv.setLineWidth(0.5)
    canv.line(MARGIN, y, SLIP_WIDTH - MARGIN, y)
    canv.restoreState()
