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
    Closing,
    Raw,
    TitleLine,
    cn_date,
    days_text,
    filled,
    para,
    styles,
    text,
)
from hallclient.documents.masking import mask_id_number, mask_phone
from hallclient.documents.model import (
    DocumentCase,
    DocumentSettings,
    MaterialLine,
    progress_url,
    rating_url,
)

LINE = colors.Color(0.25, 0.25, 0.25)
HEAD_BG = colors.Color(0.91, 0.91, 0.91)
LABEL_BG = colors.Color(0.96, 0.96, 0.96)


def heading(
    settings: DocumentSettings, title: str, case_number: str, salute: str | None = None,
    *, number_label: str = "编号",
) -> list[Flowable]:
    """Authority, title, and the number on the right; with `salute`, the addressee on the
    number's line (left), as the printed forms do."""
    number = para("number", number_label, "：", case_number)
    top: list[Flowable] = [para("authority", settings.authority), Spacer(1, 1.5 * mm), TitleLine(title)]
    if salute is None:
        return [*top, number]
    line = Table([[para("salute", salute, "："), number]],
                 colWidths=[CONTENT_WIDTH * 0.55, CONTENT_WIDTH * 0.45],
                 style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                                   ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return [*top, line]


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
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for r in spans:
        style.append(("SPAN", (1, r), (3, r)))
        style.append(("BACKGROUND", (1, r), (3, r), colors.white))
    widths = [32 * mm, CONTENT_WIDTH / 2 - 32 * mm, 27 * mm, CONTENT_WIDTH / 2 - 27 * mm]
    return Table(rows, colWidths=widths, style=TableStyle(style))


def applicant_fields(case: DocumentCase, *, full_id: bool = False) -> list[Field]:
    """The applicant's grid; ID numbers masked unless `full_id` (the archive copy, by setting)."""
    a = case.applicant

    def id_text(number: str) -> str:
        return (number if full_id else mask_id_number(number)) or "—"

    fields: list[Field] = []
    if a.organisation:
        fields.append(Field("申请单位", a.organisation, wide=True))
        fields.append(Field("统一社会信用代码", a.uscc or "—"))
        fields.append(Field("法定代表人", a.legal_representative or "—"))
        fields.append(Field("经办人", a.name or "—"))
    else:
        fields.append(Field("申请人", a.name))
        fields.append(Field("证件类型", a.id_type or "—"))
    fields.append(Field("证件号码", id_text(a.id_number)))
    fields.append(Field("联系电话", mask_phone(a.phone) or "—"))
    if a.agent_name:
        fields.append(Field("委托代理人", text(a.agent_name, "（", id_text(a.agent_id_number), "）"),
                            raw=True))
    return fields


def item_fields(
    case: DocumentCase, *, received_label: str = "受理日期", with_delivery: bool = True,
    window_label: str = "受理窗口/人员",
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
    if case.department and case.back_office:
        fields.append(Field("实施部门", case.department))
        fields.append(Field("承办科室", case.back_office))
    elif case.department:
        fields.append(Field("实施部门", case.department, wide=True))
    elif case.back_office:
        fields.append(Field("承办科室", case.back_office, wide=True))
    fields.append(Field(received_label, cn_date(case.accepted_on)))
    window = f"{case.window_number}号窗口" if case.window_number else "—"
    fields.append(Field(window_label, f"{window}　{case.clerk_name or '—'}"))
    if with_delivery:
        fields.append(Field("收费情况", case.fee or "不收费"))
        delivery = case.delivery or "自取"
        if delivery == "邮寄":
            delivery += "（寄至：" + (case.delivery_address or "申请表所填地址") + "）"
        else:
            delivery += "（凭本通知书到窗口领取）"
        fields.append(Field("结果领取方式", delivery))
    return fields


ITEM_LIMIT_COLUMNS_MM = (92, 36, 42)


def item_limits_table(case: DocumentCase) -> Table | None:
    """A bundle's items, each with its own promised limit and due date (None for one item)."""
    if len(case.item_limits) < 2:
        return None
    rows: list[list[object]] = [[para("head", "序号"), para("head", "事项"), para("head", "承诺办结时限"),
                                 para("head", "预计办结日期")]]
    for i, limit in enumerate(case.item_limits, start=1):
        due = cn_date(limit.due_date) if limit.due_date else "—"
        rows.append([para("cell_center", str(i)), para("cell", limit.name),
                     para("cell_center", days_text(limit.limit_days)), para("cell_center", due)])
    fixed = 11 + sum(ITEM_LIMIT_COLUMNS_MM)
    widths = [w * mm * CONTENT_WIDTH / (fixed * mm) for w in (11, *ITEM_LIMIT_COLUMNS_MM)]
    return Table(rows, colWidths=widths, repeatRows=1, style=TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))


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


def material_table(
    lines: Sequence[MaterialLine], columns: Sequence[Column], *, start: int = 1
) -> Table:
    """One row a material under a header row that repeats on every page the table spans."""
    st = styles()
    fixed = (11 + sum(c.width_mm for c in columns)) * mm
    scale = CONTENT_WIDTH / fixed
    head = [para("head", "序号")]  # 11 mm: two characters on one line
    head += [para("head", c.header) for c in columns]
    rows: list[list[object]] = [head]
    for i, line in enumerate(lines, start=start):
        row: list[object] = [Paragraph(str(i), st["cell_center"])]
        for c in columns:
            value = c.value(line)
            shown = "" if value is None else value
            row.append(para("cell_center" if c.centered else "cell", shown))
        rows.append(row)
    if not lines and start == 1:
        rows.append([para("cell_center", "（无）")] + [""] * len(columns))
    widths = [11 * mm * scale] + [c.width_mm * mm * scale for c in columns]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if not lines and start == 1:
        style.append(("SPAN", (0, 1), (-1, 1)))
    return Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(style))


KEEP_ROWS = 2  # table rows that go with the signature block to a new page


def keep(*flowables: Flowable) -> KeepTogether:
    """KeepTogether of `flowables`, one level deep: a nested KeepTogether makes reportlab push
    the whole group to the next page even where it fits."""
    out: list[Flowable] = []
    for f in flowables:
        out.extend(f._content if isinstance(f, KeepTogether) else [f])
    return KeepTogether(out)


def closing(
    lines: Sequence[MaterialLine],
    columns: Sequence[Column],
    tail: Callable[[Flowable | None], list[Flowable]],
) -> Closing:
    """A material table, then `tail(mark)` (the text and signature block that close the
    section). Laid out again with `keep_tail`, the table's last rows go with the tail, so a
    page break never leaves the signature and seal alone on a page."""

    def flat_tail() -> list[Flowable]:
        # One level of KeepTogether: a nested one makes reportlab push the group off a page
        # it fits on.
        out: list[Flowable] = []
        for f in tail(None):
            out.extend(f._content if isinstance(f, KeepTogether) else [f])
        return out

    def build(keep_tail: bool, mark: Flowable) -> list[Flowable]:
        # The mark sits at the top of the closing group: where the group starts a page, the
        # closing text and signature block stand there without a row of the list.
        if not keep_tail:
            return [material_table(lines, columns), KeepTogether([mark, *flat_tail()])]
        if len(lines) <= KEEP_ROWS:  # a short table: keep all of it with the block
            return [KeepTogether([material_table(lines, columns), *flat_tail()])]
        cut = len(lines) - KEEP_ROWS
        head = material_table(lines[:cut], columns)
        last = material_table(lines[cut:], columns, start=cut + 1)
        return [head, KeepTogether([last, *flat_tail()])]

    return Closing(build)


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
    """The box with the QR code: the central's rating page of the case (扫码评价) where the hall
    has one and the case its rate token, else the progress / evaluation link of the case.

    A case not accepted (one-time notice, refusal) has no progress to follow: the text then
    invites the evaluation and points to the record of this application.
    """
    progress = progress_url(settings, case.case_number)
    rate = rating_url(settings, case.rate_token)
    caption: Flowable | None = None
    if rate:
        url = rate
        heading_text = "服务评价（好差评）"
        hint = "用手机扫描左侧二维码，对本次服务作出评价（一次一评，每件限评一次）。"
        where = ("办理进度查询：" if accepted else "办件查询：", unquote(progress))
        caption = para("qr_caption", "扫码评价")
    elif accepted:
        url = progress
        heading_text = "办理进度查询与服务评价（好差评）"
        hint = "用手机扫描左侧二维码，可查询本件办理进度，并对本次服务作出评价。"
        where = ("网址：", unquote(url))
    else:
        url = progress
        heading_text = "服务评价（好差评）与办件查询"
        hint = "用手机扫描左侧二维码，可对本次服务作出评价，并查看本次申请的处理情况。"
        where = ("网址：", unquote(url))
    parts: list[Flowable] = [
        para("note", heading_text),
        para("fine", hint),
        para("fine", *where),
    ]
    contact = []
    if settings.hall_phone:
        contact.append(f"咨询电话：{settings.hall_phone}")
    if settings.supervision_phone:
        contact.append(f"监督电话：{settings.supervision_phone}")
    if contact:
        parts.append(para("fine", "　".join(contact)))
    qr_size = 19 * mm
    qr: object = QRFlowable(url, qr_size)
    if caption is not None:
        qr = [qr, caption]
    return Table(
        [[qr, parts]],
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

    RADIUS = 17 * mm
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
    mark: Flowable | None = None,
    receiver: bool = False,
    officer_lines: Sequence[Flowable] = (),
) -> KeepTogether:
    """The seal area on the right; on the left the applicant's signature lines, or, with
    `with_progress`, the progress QR box with a one-line receipt signature below both.
    `officer_lines` (the deciding officer, the person who took the materials in) go first."""
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
        receipt: list[Flowable] = [*officer_lines, para("sign", signer, "：______________", unit)]
        if receiver:
            receipt.append(para("sign", "受理人（签名）：______________　日期：____年__月__日"))
        else:
            receipt.append(para("sign", "签收日期：____年__月__日"))
        box = progress_block(case, settings, left_width - 3 * mm, accepted=accepted)
        # The seal stands beside both the receipt line and the progress box.
        rows = [[receipt, seal], [box, ""]]
        style += [("SPAN", (1, 0), (1, 1)), ("BOTTOMPADDING", (0, 0), (0, 0), 1 * mm),
                  ("VALIGN", (0, 0), (0, 0), "BOTTOM")]
    else:
        rows = [[[*officer_lines, *_signature_lines(case, signer, sign_note)], seal]]
    table = Table(rows, colWidths=[left_width, seal_width], style=TableStyle(style))
    return KeepTogether([*([mark] if mark is not None else []), Spacer(1, 3 * mm), table])


def pending(value: str, what: str) -> str:
    """A hall setting as printed: its value, or 待设置 where the hall has not confirmed it."""
    return value.strip() or f"（{what}待设置）"


def appeal_paragraph(settings: DocumentSettings, decision: str = "本决定") -> Flowable:
    """The applicant's rights against a negative decision (refusal, a chief representative's
    不予许可): reconsideration within 60 days, a suit within 6 months."""
    body_of = pending(settings.reconsideration_body, "行政复议机关")
    court = pending(settings.court, "管辖法院")
    return para(
        "body", "如对", decision, "不服，可以依照《中华人民共和国行政复议法》第二十条的规定，自收到",
        decision, "之日起六十日内向", filled(body_of), "申请行政复议；也可以依照《中华人民共和国"
        "行政诉讼法》第四十六条的规定，自收到", decision, "之日起六个月内向", filled(court),
        "提起行政诉讼。",
    )
