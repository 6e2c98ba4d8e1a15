"""The written decisions after acceptance, and the receipt before it.

- 准予行政许可决定书 (行政许可法 第三十四条, 第三十八条第一款): a chief representative's approval on
  the spot of a licensing item; a 办结通知书 for other items.
- 不予许可决定书 (第三十八条第二款): the reasons, and the rights to 复议 and 诉讼.
- 延长期限告知书 (第四十二条第一款): the reason, the extension, the new due date.
- 收件回执: what the window took in, when and by whom; acceptance (or a one-time notice, or a
  refusal) follows (第三十二条).

Each carries its 文号, the deciding chief representative's name, the seal area kept with the
text it closes, and the QR box (the central's rating page where the hall has one).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from hallclient.documents.blocks import (
    CONTENT_WIDTH,
    HEAD_BG,
    LINE,
    appeal_paragraph,
    applicant_fields,
    closing,
    heading,
    info_table,
    item_fields,
    keep,
    signature_block,
)
from hallclient.documents.layout import Raw, Section, cn_date, days_text, filled, para
from hallclient.documents.model import ChiefDecision, DocumentCase, DocumentSettings
from hallclient.documents.notices import LAW, RECEIVED_COLUMNS, application_phrase

# The one-character code of each decision in its 文号 ({kind} of decision_number_pattern).
NUMBER_CODES = {"approval_decision": "准", "completion_notice": "结", "denial_decision": "不",
                "extension_notice": "延"}


class MissingDecisionError(ValueError):
    """The case has no decision of the kind asked for (e.g. no 准予 event)."""


def decision_number(case: DocumentCase, settings: DocumentSettings, kind: str,
                    decision: ChiefDecision) -> str:
    """The 文号: the one recorded with the decision, else the hall's pattern (derived from the
    case number, so it never collides between windows working offline)."""
    if decision.number.strip():
        return decision.number.strip()
    try:
        return settings.decision_number_pattern.format(
            case_number=case.case_number, kind=NUMBER_CODES.get(kind, ""), year=decision.decided_on.year)
    except (KeyError, IndexError, ValueError):
        return f"{case.case_number}-{NUMBER_CODES.get(kind, '')}"


def _require(decision: ChiefDecision | None, outcome: str, what: str) -> ChiefDecision:
    if decision is None or decision.outcome != outcome:
        raise MissingDecisionError(f"本办件没有{what}")
    return decision


def _numbered(title: str) -> Flowable:
    return para("section", Raw(f"<b>{title}</b>"))


def _accepted_phrase(case: DocumentCase) -> list[object]:
    """'你（单位）于…提交的…申请（受理编号：…），本机关已于…依法受理' as text pieces."""
    return [*application_phrase(case), "（受理编号：", case.case_number, "），本机关已于",
            filled(cn_date(case.accepted_on)), "依法受理"]


def _basis_of_item(case: DocumentCase) -> str:
    return f"及{case.item_basis}" if case.item_basis.strip() else ""


def _chief_lines(decision: ChiefDecision, role: str = "首席代表") -> list[Flowable]:
    return [para("sign", role, "：", decision.chief_name or "—", "　（签名）__________"),
            para("sign", "决定日期：", cn_date(decision.decided_on))]


def _info(case: DocumentCase) -> list[Flowable]:
    fields = applicant_fields(case) + item_fields(case, received_label="受理日期", with_delivery=False)
    return [info_table(fields)]


def _items_table(case: DocumentCase) -> Table:
    """The items decided: name and code (the validity follows in a line of its own)."""
    rows: list[list[object]] = [[para("head", h) for h in ("序号", "事项名称", "事项编码")]]
    codes = list(case.item_codes) + [""] * (len(case.item_names) - len(case.item_codes))
    for i, (name, code) in enumerate(zip(case.item_names, codes, strict=False), start=1):
        rows.append([para("cell_center", str(i)), para("cell", name), para("cell", code or "—")])
    parts = (11, 100, 74)
    widths = [w * CONTENT_WIDTH / sum(parts) for w in parts]
    return Table(rows, colWidths=widths, repeatRows=1, style=TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))


def _collection(case: DocumentCase, settings: DocumentSettings, result: str, this: str) -> Flowable:
    if (case.delivery or "自取") == "邮寄":
        where: list[object] = [result, "将邮寄至", filled(case.delivery_address or "申请表所填地址"),
                               "，请注意查收。"]
    else:
        place = settings.hall_address or settings.hall_name
        where = ["请凭", this, "及本人有效身份证件到", filled(place), "领取", result, "。"]
    return para("after_table", *where)


def _closing_block(case: DocumentCase, settings: DocumentSettings, decision: ChiefDecision,
                   *, accepted: bool = True) -> Flowable:
    return signature_block(case, settings, with_progress=True, accepted=accepted,
                           when=cn_date(decision.decided_on), officer_lines=_chief_lines(decision))


def approval_decision(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    """准予行政许可决定书: the chief representative's approval on the spot."""
    decision = _require(case.approval, "approved", "准予许可的决定")
    number = decision_number(case, settings, "approval_decision", decision)
    story: list[object] = [*heading(settings, "准予行政许可决定书", number, case.applicant.display_name,
                                    number_label="文号")]
    story.append(para(
        "body", *_accepted_phrase(case), "。经审查，申请材料齐全、符合法定形式，你（单位）的申请符合法定"
        "条件、标准。根据", LAW, "第三十四条、第三十八条第一款", _basis_of_item(case), "的规定，本机关当场"
        "作出如下决定：", Raw("<b>准予行政许可。</b>"),
    ))
    story += [_numbered("一、准予行政许可的事项"), _items_table(case)]
    if decision.validity.strip():
        story.append(para("after_table", "行政许可有效期：", filled(decision.validity),
                          "。需要延续的，请在有效期届满三十日前向本机关提出申请（行政许可法第五十条）。"))
    story.append(para("after_table", "行政许可证件依法自本决定作出之日起十日内颁发、送达（行政许可法第四十四条）。"))
    story.append(_collection(case, settings, "行政许可证件", "本决定书"))
    story.append(_numbered("二、申请人及事项信息"))
    story.append(keep(*_info(case), _closing_block(case, settings, decision)))
    return [Section(story)]  # type: ignore[arg-type]


def completion_notice(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    """办结通知书: an item that is not a 行政许可, completed on the spot."""
    decision = _require(case.approval, "approved", "办结的决定")
    number = decision_number(case, settings, "completion_notice", decision)
    story: list[object] = [*heading(settings, "办结通知书", number, case.applicant.display_name,
                                    number_label="文号")]
    basis = case.item_basis.strip() or settings.completion_basis
    story.append(para(
        "body", *_accepted_phrase(case), "。经审查，你（单位）的申请符合办理条件。根据", basis,
        "，本机关已于", filled(cn_date(decision.decided_on)), "办理完毕，现予办结。",
    ))
    story += [_numbered("一、办结的事项"), _items_table(case)]
    if decision.validity.strip():
        story.append(para("after_table", "办理结果有效期：", filled(decision.validity), "。"))
    story.append(_collection(case, settings, "办理结果", "本通知书"))
    story.append(_numbered("二、申请人及事项信息"))
    story.append(keep(*_info(case), _closing_block(case, settings, decision)))
    return [Section(story)]  # type: ignore[arg-type]


def denial_decision(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    """不予许可决定书 (行政许可法 第三十八条第二款): reasons, 复议 and 诉讼."""
    decision = _require(case.approval, "denied", "不予许可的决定")
    number = decision_number(case, settings, "denial_decision", decision)
    title = "不予行政许可决定书" if case.licensing else "不予办理决定书"
    story: list[object] = [*heading(settings, title, number, case.applicant.display_name, number_label="文号")]
    story.append(para("body", *_accepted_phrase(case), "。经审查，你（单位）的申请不符合法定条件、标准，理由如下："))
    reasons = decision.reasons or ("（理由未填写）",)
    for i, reason in enumerate(reasons, start=1):
        story.append(para("body", f"{i}. ", reason))
    if case.licensing:
        story.append(para("body", "根据", LAW, "第三十八条第二款的规定，本机关决定", Raw("<b>不予行政许可</b>"), "。"))
    else:
        basis = case.item_basis.strip() or settings.completion_basis
        story.append(para("body", "根据", basis, "，本机关决定", Raw("<b>不予办理</b>"), "。"))
    story.append(appeal_paragraph(settings))
    story.append(_numbered("申请人及事项信息"))
    story.append(keep(*_info(case), _closing_block(case, settings, decision, accepted=False)))
    return [Section(story)]  # type: ignore[arg-type]


def extension_notice(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    """延长期限告知书 (行政许可法 第四十二条第一款): the reason, the days, the new due date."""
    decision = case.extension
    if decision is None:
        raise MissingDecisionError("本办件没有延长期限的决定")
    number = decision_number(case, settings, "extension_notice", decision)
    story: list[object] = [*heading(settings, "延长期限告知书", number, case.applicant.display_name,
                                    number_label="文号")]
    basis = (f"{LAW}第四十二条第一款" if case.licensing else (case.item_basis.strip() or settings.completion_basis))
    story.append(para(
        "body", *_accepted_phrase(case), "，原定于", filled(cn_date(decision.previous_due)), "前办结。因",
        filled(decision.reason), "，本机关不能在原定期限内作出决定。根据", basis,
        "的规定，经本机关负责人批准，办理期限延长", filled(days_text(decision.days)), "，延长后的办结期限为",
        filled(cn_date(decision.new_due)), "。特此告知。",
    ))
    rows = [("原定办结期限", cn_date(decision.previous_due)), ("延长期限", days_text(decision.days)),
            ("延长后办结期限", cn_date(decision.new_due)), ("延长理由", decision.reason or "—")]
    table = Table([[para("cell_label", k), para("cell", v)] for k, v in rows],
                  colWidths=[36 * mm, CONTENT_WIDTH - 36 * mm], style=TableStyle([
                      ("GRID", (0, 0), (-1, -1), 0.5, LINE),
                      ("BACKGROUND", (0, 0), (0, -1), HEAD_BG),
                      ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                      ("TOPPADDING", (0, 0), (-1, -1), 1),
                      ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    story += [_numbered("一、延长期限情况"), table,
              para("after_table", "期限按工作日计算，不含法定节假日；依法需要听证、检验、检测、鉴定和专家评审的时间"
                                  "不计算在内。")]
    story.append(_numbered("二、申请人及事项信息"))
    story.append(keep(*_info(case), _closing_block(case, settings, decision)))
    return [Section(story)]  # type: ignore[arg-type]


def receipt(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    """收件回执: the materials taken in, when and by whom; acceptance follows."""
    story: list[object] = [*heading(settings, "收件回执", case.case_number, case.applicant.display_name)]
    when = case.received_at
    at = f"{cn_date(when.date())} {when:%H:%M}" if when else cn_date(case.accepted_on)
    window = f"{case.window_number}号窗口" if case.window_number else "综合窗口"
    body: list[object] = ["你（单位）于", filled(at), "向", settings.hall_name, window, "提交的",
                          *application_phrase(case)[3:], "材料已收到，清单如下。"]
    story.append(para("body", *body))
    if case.licensing:
        follows = ("本回执仅证明本机关已收到下列材料，不表示申请已被受理。本机关将依照" + LAW + "第三十二条的规定"
                   "进行审查，并当场或者在五日内作出受理、一次性告知补正或者不予受理的决定；逾期不告知补正的，"
                   "自收到申请材料之日起即为受理。")
    else:
        follows = "本回执仅证明本机关已收到下列材料，不表示申请已被受理。本机关审查后将告知你（单位）是否受理。"
    story.append(para("body", follows))
    story.append(_numbered("一、申请人及事项信息"))
    fields = applicant_fields(case) + item_fields(case, received_label="收件日期", with_delivery=False,
                                                  window_label="收件窗口/人员")
    story.append(info_table(fields))
    story.append(_numbered("二、收到的申请材料"))
    receiver = [para("sign", "收件人：", case.clerk_name or "—", "　（签名）__________")]

    def tail(mark: Flowable | None) -> list[Flowable]:
        return [para("after_table", "请妥善保管本回执；查询或补交材料时，请出示本回执。"),
                signature_block(case, settings, signer="申请人（签收）", with_progress=True, accepted=False,
                                mark=mark, officer_lines=receiver)]

    story.append(closing(case.materials, RECEIVED_COLUMNS, tail))
    return [Section(story)]  # type: ignore[arg-type]
