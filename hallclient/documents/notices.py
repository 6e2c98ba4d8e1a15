"""The notices the window issues: acceptance, tolerance (two copies), one-time notice, refusal."""

from __future__ import annotations

from reportlab.platypus import Flowable

from hallclient.documents.blocks import (
    Column,
    applicant_fields,
    copies_text,
    heading,
    info_table,
    item_fields,
    material_table,
    signature_block,
)
from hallclient.documents.layout import Raw, Section, cn_date, days_text, filled, para
from hallclient.documents.model import DocumentCase, DocumentSettings, MaterialLine

RECEIVED_COLUMNS = (
    Column("材料名称", 74, lambda m: m.name),
    Column("形式", 17, lambda m: m.form, centered=True),
    Column("份数", 11, copies_text, centered=True),
    Column("收取情况", 26, lambda m: m.status_label, centered=True),
    Column("备注", 31, lambda m: m.reason),
)
TOLERATED_COLUMNS = (
    Column("容缺材料名称", 58, lambda m: m.name),
    Column("形式", 16, lambda m: m.form, centered=True),
    Column("份数", 11, copies_text, centered=True),
    Column("补正期限", 30, lambda m: cn_date(m.supplement_by) if m.supplement_by else "—",
           centered=True),
    Column("补正要求", 44, lambda m: _join(m.standard, m.reason)),
)
OUTSTANDING_COLUMNS = (
    Column("材料名称", 50, lambda m: m.name),
    Column("问题", 20, lambda m: m.status_label, centered=True),
    Column("受理标准（要求）", 50, lambda m: _join(m.standard, _form_copies(m))),
    Column("需补正的内容及原因", 40, lambda m: m.reason),
)


def _join(*parts: str) -> str:
    return "；".join(p for p in parts if p)


def _form_copies(m: MaterialLine) -> str:
    bits = []
    if m.form:
        bits.append(m.form)
    if m.copies:
        bits.append(f"{m.copies} 份")
    return "，".join(bits)


def application_phrase(case: DocumentCase) -> list[object]:
    """'…于 2026年9月28日 提交的 XX 申请' as text pieces."""
    if case.bundle_name:
        what: list[object] = ["“一件事一次办”", filled(case.bundle_name),
                              f"（含 {len(case.item_names)} 个事项）"]
    else:
        what = [filled("、".join(case.item_names))]
    return ["你（单位）于", filled(cn_date(case.accepted_on)), "提交的", *what, "申请"]


def salutation(case: DocumentCase) -> Flowable:
    return para("salute", case.applicant.display_name, "：")


def limits_paragraph(case: DocumentCase) -> Flowable:
    due: list[object]
    if case.due_date is not None:
        due = ["预计于", filled(cn_date(case.due_date)), "前办结"]
    else:
        due = ["办结日期", filled(case.deadline_note or "另行告知")]
    return para(
        "body",
        "本件法定办结时限为", filled(days_text(case.legal_limit_days)), "，承诺办结时限为",
        filled(days_text(case.promised_limit_days)), "，", *due,
        "。时限自受理之日的次日起算；依法需要听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审"
        "和申请人补正材料的，所需时间不计算在内。",
    )


def _case_info(
    case: DocumentCase, *, with_delivery: bool = True, received_label: str = "受理日期"
) -> list[Flowable]:
    """Applicant and item grid (the time limits are in the running text)."""
    fields = applicant_fields(case) + item_fields(
        case, received_label=received_label, with_delivery=with_delivery
    )
    return [info_table(fields)]


def _numbered(title: str) -> Flowable:
    return para("section", Raw(f"<b>{title}</b>"))


def acceptance_notice(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    story: list[Flowable] = [*heading(settings, "受理通知书", case.case_number), salutation(case)]
    body: list[object] = [*application_phrase(case),
                          "，经审查，申请材料齐全、符合法定形式，本机关决定予以受理。"]
    if case.commitments:
        body += ["其中，", "、".join(m.name for m in case.commitments),
                 "以告知承诺方式办理，你（单位）已签署告知承诺书。"]
    story += [para("body", *body), limits_paragraph(case)]
    story += [_numbered("一、申请人及事项信息"), *_case_info(case)]
    story += [_numbered("二、已收取的申请材料"), material_table(case.materials, RECEIVED_COLUMNS)]
    story.append(para("after_table", "请妥善保管本通知书；领取办理结果时，请出示本通知书及本人有效身份证件。"))
    story.append(signature_block(case, settings, with_progress=True))
    return [Section(story)]


def tolerance_notice(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    sections = []
    for label in ("第一联 申请人联", "第二联 存档联"):
        story: list[Flowable] = [*heading(settings, "容缺受理通知书", case.case_number),
                                 salutation(case)]
        story.append(para(
            "body", *application_phrase(case),
            "，经审查，主要申请材料齐全、符合法定形式，次要材料暂缺，符合容缺受理条件。根据容缺受理"
            "有关规定，依据你（单位）签署的《容缺受理承诺书》，本机关决定予以容缺受理。",
        ))
        story.append(limits_paragraph(case))
        story += [_numbered("一、容缺材料及补正期限"), material_table(case.tolerated, TOLERATED_COLUMNS)]
        story.append(para(
            "after_table", "请于上表所列期限内补齐容缺材料（补正期限不超过本事项承诺办结时限）。逾期未补正"
            "或者补正后仍不符合要求的，本机关将终止办理、退回申请材料；已作出审批决定的，依法予以撤销，"
            "违背承诺的情况记入信用记录。",
        ))
        story += [_numbered("二、申请人及事项信息"), *_case_info(case)]
        story += [_numbered("三、已收取的申请材料"), material_table(case.materials, RECEIVED_COLUMNS)]
        story.append(signature_block(case, settings, with_progress=True))
        sections.append(Section(story, label=label))
    return sections


def one_time_notice(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    story: list[Flowable] = [*heading(settings, "一次性告知书", case.case_number), salutation(case)]
    story.append(para(
        "body", *application_phrase(case),
        "，经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条"
        "第一款第（四）项的规定，现一次性告知你（单位）需要补正的全部内容如下：",
    ))
    for i, reason in enumerate(case.reasons, start=1):
        story.append(para("note", f"（{i}）", reason))
    story += [_numbered("一、需要补正的材料"), material_table(case.outstanding, OUTSTANDING_COLUMNS)]
    story.append(para(
        "after_table", "请你（单位）按照上述要求一次性补正全部材料后，重新提交申请。补正的材料齐全、"
        "符合法定形式的，本机关将当场受理。除本告知书所列内容外，本机关不再要求补正其他材料。",
    ))
    if case.materials:
        story += [_numbered("二、本次已核验的申请材料"),
                  material_table(case.materials, RECEIVED_COLUMNS)]
    story += [_numbered(("三" if case.materials else "二") + "、申请人及事项信息"),
              *_case_info(case, with_delivery=False, received_label="收件日期")]
    story.append(signature_block(case, settings, with_progress=True, accepted=False))
    return [Section(story)]


def refusal_decision(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    story: list[Flowable] = [*heading(settings, "不予受理决定书", case.case_number), salutation(case)]
    story.append(para("body", *application_phrase(case), "，经审查："))
    reasons = case.reasons or ("该申请事项不属于本机关职权范围或者不在政务服务事项实施清单之内。",)
    for i, reason in enumerate(reasons, start=1):
        story.append(para("body", f"{i}. ", reason))
    story.append(para(
        "body", "根据《中华人民共和国行政许可法》第三十二条的规定，本机关决定不予受理。"
        + ("你（单位）提交的申请材料已全部退回。" if case.materials else ""),
    ))
    body_of = settings.reconsideration_body or "本机关的上一级主管部门或者本级人民政府"
    court = settings.court or "有管辖权的人民法院"
    story.append(para(
        "body", "如对本决定不服，可以自收到本决定书之日起六十日内向", filled(body_of),
        "申请行政复议，或者自收到本决定书之日起六个月内依法向", filled(court), "提起行政诉讼。",
    ))
    n = 1
    if case.materials:
        story += [_numbered("一、退回的申请材料"), material_table(case.materials, RECEIVED_COLUMNS)]
        n = 2
    story += [_numbered(("一", "二")[n - 1] + "、申请人及事项信息"),
              *_case_info(case, with_delivery=False, received_label="收件日期")]
    story.append(signature_block(case, settings, with_progress=True, accepted=False))
    return [Section(story)]
