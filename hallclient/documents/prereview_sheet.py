"""The 预审意见单: a pre-review by proxy-service staff (帮办代办), handed to the applicant.

It names the pre-review number (printed and as a QR code holding just the number, which the
window scans into the intake), the applicant (masked), the item(s), each material's state and
the proxy's remark, what to bring, the outcome, the validity date and the proxy. The window
still checks every material: the sheet says so, and that 代办不包办 (the applicant keeps the
legal responsibility for the application).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from hallclient.documents.blocks import (
    CONTENT_WIDTH,
    HEAD_BG,
    LINE,
    Field,
    QRFlowable,
    info_table,
)
from hallclient.documents.layout import (
    PageMeta,
    Raw,
    Section,
    TitleLine,
    cn_date,
    filled,
    para,
    render_sections,
)
from hallclient.documents.masking import mask_id_number, mask_phone
from hallclient.documents.model import DocumentSettings, PrereviewSheet

TITLE = "预审意见单"


def _applicant_fields(sheet: PrereviewSheet) -> list[Field]:
    a = sheet.applicant
    fields: list[Field] = []
    if a.organisation:
        fields.append(Field("申请单位", a.organisation, wide=True))
        fields.append(Field("经办人", a.name or "—"))
    else:
        fields.append(Field("申请人", a.name or "—"))
    fields.append(Field("证件号码", mask_id_number(a.id_number) or "—"))
    fields.append(Field("联系电话", mask_phone(a.phone) or "—"))
    if sheet.consent_label:
        fields.append(Field("服务方式", sheet.consent_label))
    return fields


def _items_field(sheet: PrereviewSheet) -> list[Field]:
    from hallclient.documents.layout import text

    codes = list(sheet.item_codes) + [""] * (len(sheet.item_names) - len(sheet.item_codes))
    many = len(sheet.item_names) > 1
    lines = []
    for i, (name, code) in enumerate(zip(sheet.item_names, codes, strict=False), start=1):
        line = text(f"{i}. " if many else "", name)
        if code:
            line += text("（事项编码：", code, "）")
        lines.append(line)
    fields = []
    if sheet.bundle_name:
        fields.append(Field("一件事", sheet.bundle_name, wide=True))
    fields.append(Field("预审事项", Raw("<br/>".join(lines)) or "—", wide=True, raw=True))
    return fields


def _materials_table(sheet: PrereviewSheet) -> Table:
    head = [para("head", h) for h in ("序号", "材料名称", "预审情况", "预审意见")]
    rows: list[list[object]] = [head]
    for i, m in enumerate(sheet.materials, start=1):
        name = m.name if m.required else f"{m.name}（非必要）"
        rows.append([para("cell_center", str(i)), para("cell", name), para("cell_center", m.state),
                     para("cell", m.remark)])
    if not sheet.materials:
        rows.append([para("cell_center", "（无）"), "", "", ""])
    parts = (11, 88, 28, 58)
    widths = [w * CONTENT_WIDTH / sum(parts) for w in parts]
    style = [("GRID", (0, 0), (-1, -1), 0.5, LINE),
             ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 1),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    if not sheet.materials:
        style.append(("SPAN", (0, 1), (-1, 1)))
    return Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(style))


def _outcome(sheet: PrereviewSheet) -> list[Flowable]:
    out: list[Flowable] = [para("section", Raw("<b>预审结论：</b>"), sheet.outcome_label)]
    if sheet.outcome == "missing":
        for i, name in enumerate(sheet.missing, start=1):
            out.append(para("note", f"（{i}）", name))
        out.append(para("after_table", "请备齐上列材料后，携带本意见单到窗口办理。"))
    elif sheet.outcome == "complete":
        out.append(para("after_table", "请携带本意见单及全部申请材料原件，到政务服务中心综合窗口办理；"
                                       "窗口扫描下方二维码或输入预审编号即可调取预审结果。"))
    else:
        out.append(para("after_table", "该事项不在本大厅受理范围内，请向有关部门咨询办理。"))
    if sheet.remark.strip():
        out.append(para("note", Raw("<b>帮办代办意见：</b>"), sheet.remark))
    return out


def _qr_block(sheet: PrereviewSheet, settings: DocumentSettings) -> Table:
    qr_size = 24 * mm
    qr = [QRFlowable(sheet.number, qr_size), para("qr_caption", "窗口扫码调取预审")]
    text_parts: list[Flowable] = [
        para("note", "预审编号：", Raw("<b>"), sheet.number, Raw("</b>")),
        para("fine", "预审意见有效期至", filled(cn_date(sheet.valid_until)),
             "，仅限上列事项使用一次；逾期或者已使用的，请重新预审。"),
        para("fine", "预审不代替窗口受理：窗口将逐项核验申请材料原件，以窗口受理结果为准。帮办代办不包办，"
                     "申请人对所提交材料的真实性负责。"),
    ]
    if settings.hall_phone:
        text_parts.append(para("fine", "咨询电话：", settings.hall_phone))
    return Table([[qr, text_parts]], colWidths=[qr_size + 4 * mm, CONTENT_WIDTH - qr_size - 4 * mm],
                 style=TableStyle([
                     ("BOX", (0, 0), (-1, -1), 0.6, LINE),
                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                     ("LEFTPADDING", (0, 0), (0, 0), 2 * mm),
                     ("TOPPADDING", (0, 0), (-1, -1), 1.5 * mm),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm)]))


def _signatures(sheet: PrereviewSheet) -> Table:
    left = [para("sign", "帮办代办人员：", sheet.proxy_name or "—", "　（签名）__________"),
            para("sign", "预审日期：", cn_date(sheet.created_on))]
    right = [para("sign", "申请人（签收）：______________"), para("sign", "日期：____年__月__日")]
    return Table([[left, right]], colWidths=[CONTENT_WIDTH * 0.55, CONTENT_WIDTH * 0.45],
                 style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))


def prereview_story(sheet: PrereviewSheet, settings: DocumentSettings) -> list[Section]:
    story: list[Flowable] = [para("authority", settings.hall_name), Spacer(1, 1.5 * mm), TitleLine(TITLE),
                             para("number", "预审编号：", sheet.number)]
    story.append(para("body", "你（单位）申请办理", filled(sheet.item_title), "，经帮办代办人员预审，意见如下。"))
    story.append(para("section", Raw("<b>一、申请人及预审事项</b>")))
    story.append(info_table(_applicant_fields(sheet) + _items_field(sheet)))
    story.append(para("section", Raw("<b>二、申请材料预审情况</b>")))
    story.append(_materials_table(sheet))
    closing = [*_outcome(sheet), Spacer(1, 2 * mm), _qr_block(sheet, settings), Spacer(1, 3 * mm),
               _signatures(sheet)]
    story.append(KeepTogether(closing))
    return [Section(story)]  # type: ignore[arg-type]


def build_prereview_sheet(sheet: PrereviewSheet, settings: DocumentSettings, *, reprint: bool = False) -> bytes:
    """The 预审意见单 as PDF bytes."""
    meta = PageMeta(title=TITLE, case_number=sheet.number, reprint=reprint,
                    footer_note="补打件" if reprint else "")
    return render_sections(lambda: prereview_story(sheet, settings), meta, author=settings.hall_name)
