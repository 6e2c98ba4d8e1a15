"""Building blocks of the A4 documents: heading, information grid, material table, QR box, seal."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from hallclient.documents.layout import (
    CONTENT_WIDTH,
    GREY,
    Raw,
    TitleLine,
    cn_date,
    days_text,
    para,
    styles,
    text,
)
from hallclient.documents.masking import mask_id_number, mask_phone
from hallclient.documents.model import DocumentCase, DocumentSettings, MaterialLine, progress_url

LINE = colors.Color(0.25, 0.25, 0.25)
HEAD_BG = colors.Color(0.91, 0.91, 0.91)
LABEL_BG = colors.Color(0.96, 0.96, 0.96)


def heading(settings: DocumentSettings, title: str, case_number: str) -> list[Flowable]:
    return [
        para("authority", settings.authority),
        Spacer(1, 1.5 * mm),
        TitleLine(title),
        para("number", "编号：", case_number),
    ]


# --- the information grid ---------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    label: str
    value: object
    wide: bool = False
    raw: bool = False  # value is trusted markup


def info_table(fields: Sequence[Field]) -> Table:
    """Label/value pairs, two to a row; a wide field takes a whole row."""
    st = styles()
    rows: list[list[object]] = []
    spans: list[int] = []
    pending: Field | None = None

    def cell(f: Field) -> Paragraph:
        return Paragraph(str(f.value), st["cell"]) if f.raw else para("cell", f.value)

    def label(f: Field) -> Paragraph:
        return para("cell_label", f.label)

    def flush_single() -> None:
        nonlocal pending
        if pending is not None:
            rows.append([label(pending), cell(pending), "", ""])
            spans.append(len(rows) - 1)
            pending = None

    for f in fields:
        if f.wide:
            flush_single()
            rows.append([label(f), cell(f), "", ""])
            spans.append(len(rows) - 1)
        elif pending is None:
            pending = f
        else:
            rows.append([label(pending), cell(pending), label(f), cell(f)])
            pending = None
    flush_single()
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
        ("BACKGROUND", (2, 0), (2, -1), LABEL_BG),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for r in spans:
        style.append(("SPAN", (1, r), (3, r)))
        style.append(("BACKGROUND", (1, r), (3, r), colors.white))
    widths = [32 * mm, CONTENT_WIDTH / 2 - 32 * mm, 27 * mm, CONTENT_WIDTH / 2 - 27 * mm]
    return Table(rows, colWidths=widths, style=TableStyle(style))


def applicant_fields(case: DocumentCase) -> list[Field]:
    a = case.applicant
    fields: list[Field] = []
    if a.organisation:
        fields.append(Field("申请单位", a.organisation, wide=True))
        fields.append(Field("统一社会信用代码", a.uscc or "—"))
        fields.append(Field("法定代表人", a.legal_representative or "—"))
        fields.append(Field("经办人", a.name or "—"))
    else:
        fields.append(Field("申请人", a.name))
        fields.append(Field("证件类型", a.id_type or "—"))
    fields.append(Field("证件号码", mask_id_number(a.id_number) or "—"))
    fields.append(Field("联系电话", mask_phone(a.phone) or "—"))
    if a.agent_name:
        fields.append(Field("委托代理人", a.agent_name))
        fields.append(Field("代理人证件号码", mask_id_number(a.agent_id_number) or "—"))
    return fields


def item_fields(
    case: DocumentCase, *, received_label: str = "受理日期", with_delivery: bool = True
) -> list[Field]:
    fields: list[Field] = []
    if case.bundle_name:
        fields.append(Field("一件事", case.bundle_name, wide=True))
    lines: list[str] = []
    codes = list(case.item_codes) + [""] * (len(case.item_names) - len(case.item_codes))
    many = len(case.item_names) > 1
    for i, (name, code) in enumerate(zip(case.item_names, codes, strict=False), start=1):
        prefix = f"{i}. " if many else ""
        line = text(prefix, name)
        if code:
            line += text("（事项编码：", code, "）")
        lines.append(line)
    fields.append(Field("办理事项", Raw("<br/>".join(lines)) or "—", wide=True, raw=True))
    if case.department:
        fields.append(Field("实施部门", case.department, wide=True))
    fields.append(Field(received_label, cn_date(case.accepted_on)))
    fields.append(Field("受理窗口", f"{case.window_number}号窗口" if case.window_number else "—"))
    fields.append(Field("经办人员", case.clerk_name or "—"))
    if with_delivery:
        delivery = case.delivery + (f"（{case.delivery_address}）" if case.delivery_address else "")
        fields.append(Field("结果送达方式", delivery or "—"))
    return fields


def limit_fields(case: DocumentCase) -> list[Field]:
    due = cn_date(case.due_date) if case.due_date else (case.deadline_note or "—")
    return [
        Field("法定办结时限", days_text(case.legal_limit_days)),
        Field("承诺办结时限", days_text(case.promised_limit_days)),
        Field("预计办结日期", due, wide=True),
    ]


# --- the material table -----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    width_mm: float
    value: Callable[[MaterialLine], object]
    centered: bool = False


def material_table(lines: Sequence[MaterialLine], columns: Sequence[Column]) -> Table:
    """One row a material under a header row that repeats on every page the table spans."""
    st = styles()
    fixed = (11 + sum(c.width_mm for c in columns)) * mm
    scale = CONTENT_WIDTH / fixed
    head = [para("head", "序号")]  # 11 mm: two characters on one line
    head += [para("head", c.header) for c in columns]
    rows: list[list[object]] = [head]
    for i, line in enumerate(lines, start=1):
        row: list[object] = [Paragraph(str(i), st["cell_center"])]
        for c in columns:
            value = c.value(line)
            shown = "" if value is None else value
            row.append(para("cell_center" if c.centered else "cell", shown))
        rows.append(row)
    if not lines:
        rows.append([para("cell_center", "（无）")] + [""] * len(columns))
    widths = [11 * mm * scale] + [c.width_mm * mm * scale for c in columns]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if not lines:
        style.append(("SPAN", (0, 1), (-1, 1)))
    return Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(style))


def copies_text(line: MaterialLine) -> str:
    return "" if line.copies is None else str(line.copies)


# --- QR code ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def qr_matrix(content: str) -> tuple[tuple[bool, ...], ...]:
    """The QR modules of `content` (no quiet zone), from the qrcode package."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(content.encode("utf-8"))
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


class QRFlowable(Flowable):
    """A vector QR code with its quiet zone (4 modules) inside the given size."""

    def __init__(self, content: str, size: float = 30 * mm) -> None:
        super().__init__()
        self.content = content
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.size, self.size

    def draw(self) -> None:
        matrix = qr_matrix(self.content)
        n = len(matrix)
        module = self.size / (n + 8)
        canv = self.canv
        canv.saveState()
        canv.setFillColor(colors.white)
        canv.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canv.setFillColor(colors.black)
        path = canv.beginPath()
        for r, row in enumerate(matrix):
            y = self.size - (r + 5) * module
            c = 0
            while c < n:
                if row[c]:
                    start = c
                    while c < n and row[c]:
                        c += 1
                    path.rect((start + 4) * module, y, (c - start) * module, module)
                else:
                    c += 1
        canv.drawPath(path, stroke=0, fill=1)
        canv.restoreState()


def progress_block(
    case: DocumentCase,
    settings: DocumentSettings,
    width: float = CONTENT_WIDTH,
    *,
    accepted: bool = True,
) -> Table:
    """The box telling how to check progress and evaluate the service, with the QR code.

    A case not accepted (one-time notice, refusal) has no progress to follow: the text then
    invites the evaluation and points to the record of this application.
    """
    url = progress_url(settings, case.case_number)
    if accepted:
        heading_text = "办理进度查询与服务评价（好差评）"
        hint = "用手机扫描左侧二维码，可查询本件办理进度，并对本次服务作出评价。"
    else:
        heading_text = "服务评价（好差评）与办件查询"
        hint = "用手机扫描左侧二维码，可对本次服务作出评价，并查看本次申请的处理情况。"
    parts: list[Flowable] = [
        para("note", heading_text),
        para("fine", hint),
        para("fine", "网址：", unquote(url)),
    ]
    contact = []
    if settings.hall_phone:
        contact.append(f"咨询电话：{settings.hall_phone}")
    if settings.supervision_phone:
        contact.append(f"监督电话：{settings.supervision_phone}")
    if contact:
        parts.append(para("fine", "　".join(contact)))
    if settings.hall_address:
        parts.append(para("fine", "办事地点：", settings.hall_address))
    qr_size = 25 * mm
    return Table(
        [[QRFlowable(url, qr_size), parts]],
        colWidths=[qr_size + 4 * mm, width - qr_size - 4 * mm],
        style=TableStyle([
            ("BOX", (0, 0), (-1, -1), 0.6, LINE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (0, 0), 2 * mm),
            ("RIGHTPADDING", (0, 0), (0, 0), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5 * mm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
        ]),
    )


# --- signature and seal -----------------------------------------------------------------------


class SealArea(Flowable):
    """The issuing body, the date, and a dashed circle where the seal goes."""

    RADIUS = 19 * mm
    SEAL_LABEL_WIDTH = 27 * mm

    def __init__(self, authority: str, seal_name: str, when: str, width: float) -> None:
        super().__init__()
        st = styles()
        self.width = width
        self.authority = Paragraph(text(authority), st["seal_line"])
        self.when = Paragraph(text(when), st["seal_line"])
        self.seal = para("seal", "（加盖", seal_name or "印章", "）")

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        # Distances from the top: the circle hangs from the top; the seal label sits inside it;
        # the authority ends just under the centre, the date below it. A long authority name
        # pushes the text (and the height) down instead of running over the label.
        w = min(self.width, availWidth)
        _, ha = self.authority.wrap(w, availHeight)
        _, hd = self.when.wrap(w, availHeight)
        _, hs = self.seal.wrap(self.SEAL_LABEL_WIDTH, availHeight)
        self._centre = self.RADIUS + 0.5 * mm
        self._label_bottom = 4.5 * mm + hs
        self._text_top = max(self._centre + 2 * mm - ha, self._label_bottom + 1 * mm)
        self._authority_bottom = self._text_top + ha
        self._date_bottom = self._authority_bottom + 1 * mm + hd
        self.height = max(2 * self.RADIUS + 1 * mm, self._date_bottom + 1 * mm)
        self._w = w
        return w, self.height

    def draw(self) -> None:
        canv = self.canv
        top = self.height
        cx = self._w / 2
        canv.saveState()
        canv.setStrokeColor(GREY)
        canv.setLineWidth(0.5)
        canv.setDash(2, 2)
        canv.circle(cx, top - self._centre, self.RADIUS)
        canv.restoreState()
        self.seal.drawOn(canv, cx - self.SEAL_LABEL_WIDTH / 2, top - self._label_bottom)
        self.authority.drawOn(canv, 0, top - self._authority_bottom)
        self.when.drawOn(canv, 0, top - self._date_bottom)


def _signature_lines(case: DocumentCase, signer: str, sign_note: str) -> list[Flowable]:
    lines: list[Flowable] = [para("sign", signer, "：________________")]
    if case.applicant.organisation:
        lines.append(para("sign", "（单位盖章）"))
    if sign_note:
        lines.append(para("small", sign_note))
    lines.append(para("sign", "日期：____年__月__日"))
    return lines


def signature_block(
    case: DocumentCase,
    settings: DocumentSettings,
    *,
    signer: str = "申请人（签收）",
    when: str | None = None,
    sign_note: str = "",
    with_progress: bool = False,
    accepted: bool = True,
) -> KeepTogether:
    """The seal area on the right; on the left the applicant's signature lines, or, with
    `with_progress`, the progress QR box with a one-line receipt signature below both."""
    seal_width = 58 * mm
    left_width = CONTENT_WIDTH - seal_width
    seal = SealArea(settings.authority, settings.seal_name, when or cn_date(case.accepted_on),
                    seal_width)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]
    rows: list[list[object]]
    if with_progress:
        unit = "（单位盖章）" if case.applicant.organisation else ""
        receipt = para("sign", signer, "：________________", unit, "　　签收日期：____年__月__日")
        box = progress_block(case, settings, left_width - 3 * mm, accepted=accepted)
        rows = [[receipt, ""], [box, seal]]
        style += [("SPAN", (0, 0), (1, 0)), ("BOTTOMPADDING", (0, 0), (-1, 0), 2 * mm)]
    else:
        rows = [[_signature_lines(case, signer, sign_note), seal]]
    table = Table(rows, colWidths=[left_width, seal_width], style=TableStyle(style))
    return KeepTogether([Spacer(1, 3 * mm), table])
