"""The notices the window issues: acceptance, tolerance (two copies), one-time notice, refusal.

Each cites its basis in the body as the public templates do: 行政许可法 第三十二条第一款 第（五）项
(acceptance), 第（四）项 (one-time notice), 第（一）/（二）项 (refusal, by its ground) where an
item is a 行政许可; the hall's published rules for 容缺受理; the hall's setting otherwise.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from hallclient.documents.blocks import (
    Column,
    appeal_paragraph,
    applicant_fields,
    closing,
    copies_text,
    heading,
    info_table,
    item_fields,
    item_limits_table,
    keep,
    material_table,
    signature_block,
)
from hallclient.documents.layout import Raw, Section, cn_date, days_text, filled, para
from hallclient.documents.model import (
    DocumentCase,
    DocumentSettings,
    MaterialLine,
    RefusalGroundValue,
)

RECEIVED_COLUMNS = (
    Column("材料名称", 82, lambda m: m.name),
    Column("形式", 16, lambda m: m.form, centered=True),
    Column("份数", 12, copies_text, centered=True),
    Column("收取情况", 26, lambda m: m.status_label, centered=True),
    Column("备注", 23, lambda m: m.reason),
)
TOLERATED_COLUMNS = (
    Column("容缺材料名称", 50, lambda m: m.name),
    Column("形式", 15, lambda m: m.form, centered=True),
    Column("份数", 12, copies_text, centered=True),
    Column("补正期限", 28, lambda m: cn_date(m.supplement_by) if m.supplement_by else "—",
           centered=True),
    Column("补正要求", 54, lambda m: _join(m.standard, m.reason)),
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


LAW = "《中华人民共和国行政许可法》"


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
    bundle = "（一件事中各事项按各自时限办理，见下表）" if len(case.item_limits) > 1 else ""
    note = f"（{case.limit_note}）" if case.limit_note else ""
    return para(
        "body",
        "本件法定办结时限为", filled(days_text(case.legal_limit_days)), note, "，承诺办结时限为",
        filled(days_text(case.promised_limit_days)), bundle, "，", *due,
        "。时限自受理次日起算，依法需要听证、检验、检测、鉴定、专家评审和申请人补正材料的时间不计算在内。",
    )


def _limits(case: DocumentCase) -> list[Flowable]:
    table = item_limits_table(case)
    return [limits_paragraph(case)] + ([table] if table is not None else [])


def _case_info(
    case: DocumentCase, *, with_delivery: bool = True, received_label: str = "受理日期",
    full_id: bool = False,
) -> list[Flowable]:
    """Applicant and item grid (the time limits are in the running text)."""
    fields = applicant_fields(case, full_id=full_id) + item_fields(
        case, received_label=received_label, with_delivery=with_delivery
    )
    return [info_table(fields)]


def _numbered(title: str) -> Flowable:
    return para("section", Raw(f"<b>{title}</b>"))


def _basis(case: DocumentCase, clause: str, otherwise: str) -> str:
    """'根据…的规定' for a licensing item, else the hall's own basis."""
    if case.licensing:
        return f"根据{LAW}第三十二条第一款第（{clause}）项的规定"
    return f"根据{otherwise}"


def acceptance_notice(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    sections = [Section(_acceptance_story(case, settings))]
    if settings.acceptance_stub:
        sections.append(Section(_acceptance_stub(case, settings), label="存根（本机关留存）"))
    return sections


def _acceptance_story(case: DocumentCase, settings: DocumentSettings) -> list[object]:
    story: list[object] = [*heading(settings, "受理通知书", case.case_number, case.applicant.display_name)]
    body: list[object] = [*application_phrase(case), "，经审查，申请材料齐全、符合法定形式。",
                          _basis(case, "五", "政务服务事项实施清单及有关规定"), "，本机关决定予以受理。"]
    if case.commitments:
        body += ["其中，", "、".join(m.name for m in case.commitments),
                 "以告知承诺方式办理，你（单位）已签署告知承诺书。"]
    story += [para("body", *body), *_limits(case)]
    story += [_numbered("一、申请人及事项信息"), *_case_info(case)]
    story.append(_numbered("二、已收取的申请材料"))

    def tail(mark: Flowable | None) -> list[Flowable]:
        return [para("after_table", "请妥善保管本通知书；领取办理结果时，请出示本通知书及本人有效身份证件。"),
                signature_block(case, settings, with_progress=True, receiver=True, mark=mark)]

    story.append(closing(case.materials, RECEIVED_COLUMNS, tail))
    return story


def _acceptance_stub(case: DocumentCase, settings: DocumentSettings) -> list[object]:
    """The hall's counterfoil: what was accepted, from whom, by whom, due when; full ID by setting."""
    story: list[object] = [*heading(settings, "受理通知书（存根）", case.case_number)]
    story.append(para("body", *application_phrase(case), "，本机关已于", filled(cn_date(case.accepted_on)),
                      "予以受理，并向申请人出具受理通知书。"))
    story += [*_limits(case), *_case_info(case, full_id=settings.archive_full_id)]
    story.append(_numbered("已收取的申请材料"))

    def tail(mark: Flowable | None) -> list[Flowable]:
        return [signature_block(case, settings, signer="申请人（签收）", mark=mark,
                                sign_note="受理人（签名）：________________")]

    story.append(closing(case.materials, RECEIVED_COLUMNS, tail))
    return story


def supplement_ways_text(settings: DocumentSettings) -> str:
    """How and where a tolerated material may be supplemented, from the hall's settings."""
    where = settings.hall_address or settings.hall_name
    ways = []
    for way in settings.supplement_ways:
        if way == "现场":
            ways.append(f"现场提交至{where}")
        elif way == "邮寄":
            ways.append("邮寄至上述地址（注明受理编号）" if "现场" in settings.supplement_ways
                        else f"邮寄至{where}（注明受理编号）")
        elif way == "网上":
            ways.append(f"在{settings.supplement_online}按受理编号上传")
        else:
            ways.append(way)
    return "，或".join(ways) + "。"


def tolerance_notice(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    sections = []
    for label, archive in (("第一联 申请人联", False), ("第二联 存档联", True)):
        story: list[object] = [*heading(settings, "容缺受理通知书", case.case_number, case.applicant.display_name)]
        story.append(para(
            "body", *application_phrase(case),
            "，经审查，主要申请材料齐全、符合法定形式，次要材料暂缺，符合容缺受理条件。根据",
            settings.tolerance_rules, "，依据你（单位）签署的《容缺受理承诺书》，本机关决定予以容缺受理。",
        ))
        story += _limits(case)
        story += [_numbered("一、容缺材料及补正期限"), material_table(case.tolerated, TOLERATED_COLUMNS)]
        story.append(para(
            "after_table", "请于上表所列期限内补齐容缺材料（补正期限不超过承诺办结时限），补正方式：",
            supplement_ways_text(settings), "逾期未补正或者补正后仍不符合要求的，本机关终止办理、退回申请"
            "材料；已作出审批决定的，依法予以撤销，违背承诺的情况记入信用记录。",
        ))
        story += [_numbered("二、申请人及事项信息"), *_case_info(case, full_id=archive and settings.archive_full_id)]
        story.append(_numbered("三、已收取的申请材料"))

        def tail(mark: Flowable | None) -> list[Flowable]:
            return [signature_block(case, settings, with_progress=True, receiver=True, mark=mark)]

        story.append(closing(case.materials, RECEIVED_COLUMNS, tail))
        sections.append(Section(story, label=label))  # type: ignore[arg-type]
    return sections


def one_time_notice(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    story: list[object] = [*heading(settings, "一次性告知书", case.case_number, case.applicant.display_name)]
    story.append(para(
        "body", *application_phrase(case),
        "，经审查，申请材料不齐全或者不符合法定形式。", _basis(case, "四", "有关规定"),
        "，现当场一次性告知你（单位）需要补正的全部内容如下：",
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
    title = _numbered(("三" if case.materials else "二") + "、申请人及事项信息")
    info = _case_info(case, with_delivery=False, received_label="收件日期")
    story.append(keep(title, *info, signature_block(case, settings, with_progress=True, accepted=False)))
    return [Section(story)]  # type: ignore[arg-type]


def _refusal_basis(case: DocumentCase, settings: DocumentSettings) -> list[object]:
    ground = RefusalGroundValue(case.refusal_ground or "other")
    if ground is RefusalGroundValue.NOT_LICENSING:
        return [f"根据{LAW}第三十二条第一款第（一）项的规定，该申请事项依法不需要取得行政许可，"
                "本机关决定不予受理。"]
    if ground is RefusalGroundValue.NOT_COMPETENT:
        return [f"根据{LAW}第三十二条第一款第（二）项的规定，该申请事项依法不属于本机关职权范围，"
                "本机关决定不予受理。请你（单位）向", filled(case.competent_body or "有关行政机关"), "申请。"]
    return [f"根据{settings.refusal_other_basis}，本机关决定不予受理。"]


def refusal_decision(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    story: list[object] = [*heading(settings, "不予受理决定书", case.case_number, case.applicant.display_name)]
    story.append(para("body", *application_phrase(case), "，经审查："))
    reasons = case.reasons or ("该申请事项不属于本机关职权范围或者不在政务服务事项实施清单之内。",)
    for i, reason in enumerate(reasons, start=1):
        story.append(para("body", f"{i}. ", reason))
    returned = ("你（单位）提交的申请材料已当场全部退回（见下表），本机关未予留存。" if case.materials
                else "你（单位）提交的申请材料已当场全部退回，本机关未予留存。")
    story.append(para("body", *_refusal_basis(case, settings), returned))
    story.append(appeal_paragraph(settings))
    n = 1
    if case.materials:
        story += [_numbered("一、退回的申请材料"), material_table(case.materials, RECEIVED_COLUMNS)]
        n = 2
    title = _numbered(("一", "二")[n - 1] + "、申请人及事项信息")
    info = _case_info(case, with_delivery=False, received_label="收件日期")
    story.append(keep(title, *info, signature_block(case, settings, with_progress=True, accepted=False)))
    return [Section(story)]  # type: ignore[arg-type]
