"""What the applicant signs: the 容缺受理承诺书 and one 告知承诺书 per commitment."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from hallclient.documents.blocks import (
    CONTENT_WIDTH,
    applicant_fields,
    heading,
    info_table,
    item_fields,
    material_table,
    signature_block,
)
from hallclient.documents.layout import Raw, Section, cn_date, filled, para
from hallclient.documents.model import DocumentCase, DocumentSettings, MaterialLine
from hallclient.documents.notices import TOLERATED_COLUMNS, application_phrase


class UnknownCommitmentError(KeyError):
    """No commitment line of the case has the requested key."""


def _signers(case: DocumentCase) -> list[Flowable]:
    a = case.applicant
    lines: list[Flowable] = []
    if a.organisation:
        lines.append(para("sign", "承诺单位（盖章）：________________"))
        lines.append(para("sign", "法定代表人（签字）：________________"))
    else:
        lines.append(para("sign", "承诺人（签字）：________________"))
    if a.agent_name:
        lines.append(para("sign", "委托代理人（签字）：________________"))
        lines.append(para("small", "由代理人办理的，须同时提交授权委托书。"))
    lines.append(para("sign", "日期：____年__月__日"))
    return lines


def _receiver(case: DocumentCase) -> list[Flowable]:
    window = f"{case.window_number}号窗口" if case.window_number else "—"
    return [
        para("sign", "收件窗口：", window),
        para("sign", "收件人员：", case.clerk_name or "—"),
        para("sign", "收件日期：", cn_date(case.accepted_on)),
    ]


def _two_columns(left: list[Flowable], right: list[Flowable]) -> KeepTogether:
    table = Table(
        [[left, right]],
        colWidths=[CONTENT_WIDTH * 0.58, CONTENT_WIDTH * 0.42],
        style=TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ]),
    )
    return KeepTogether([Spacer(1, 5 * mm), table])


def tolerance_commitment(case: DocumentCase, settings: DocumentSettings) -> list[Section]:
    a = case.applicant
    story: list[Flowable] = [*heading(settings, "容缺受理承诺书", case.case_number)]
    story.append(para("salute", settings.authority, "："))
    who = a.organisation or a.name
    story.append(para(
        "body", "本人（单位）", filled(who), "申请办理", filled(case.item_title),
        "，因下列申请材料暂时无法提供，申请容缺受理。现郑重承诺如下：",
    ))
    story.append(material_table(case.tolerated, TOLERATED_COLUMNS))
    story.append(Spacer(1, 2 * mm))
    promises = (
        "本人（单位）已提交的申请材料真实、合法、有效，所填写的信息真实、准确。",
        "在上表所列期限内补齐容缺材料，补交的材料与已提交的材料内容一致，并符合受理标准。",
        "逾期未补正或者补正后仍不符合要求的，自愿接受终止办理、退回申请材料的处理；已取得审批结果的，"
        "自愿接受依法撤销，并承担由此产生的全部法律责任和经济损失。",
        "知悉违背本承诺的情况将记入信用记录，并依法承担相应责任。",
    )
    for i, line in enumerate(promises, start=1):
        story.append(para("body", f"{i}. ", line))
    story.append(para("section", Raw("<b>申请人及事项信息</b>")))
    story.append(info_table(applicant_fields(case) + item_fields(case, received_label="申请日期")))
    story.append(_two_columns(_signers(case), _receiver(case)))
    return [Section(story)]


def commitment_lines(case: DocumentCase, commitment_key: str | None) -> list[MaterialLine]:
    if commitment_key is None:
        return list(case.commitments)
    chosen = [m for m in case.commitments if m.ident == commitment_key]
    if not chosen:
        raise UnknownCommitmentError(commitment_key)
    return chosen


def commitment_letter(
    case: DocumentCase, settings: DocumentSettings, commitment_key: str | None = None
) -> list[Section]:
    """One section (from a new page, numbered on its own) per commitment."""
    lines = commitment_lines(case, commitment_key)
    if not lines:
        raise UnknownCommitmentError("本案件没有告知承诺事项")
    return [Section(_letter(case, settings, line)) for line in lines]


def _letter(case: DocumentCase, settings: DocumentSettings, line: MaterialLine) -> list[Flowable]:
    story: list[Flowable] = [*heading(settings, "告知承诺书", case.case_number)]
    story.append(para("section", Raw("<b>一、行政机关告知</b>")))
    story.append(para(
        "body", "根据证明事项告知承诺制有关规定，", filled(settings.authority),
        "就", *application_phrase(case)[3:], "中的下列证明事项告知如下：",
    ))
    told = (
        ("（一）证明事项：", line.name),
        ("（二）证明用途：", f"用于办理{case.item_title}。"),
        ("（三）证明内容及要求：", line.standard or "符合本事项受理条件的相关要求。"),
        ("（四）承诺方式：", "申请人书面承诺已经符合上述要求，本机关不再索要有关证明，依据书面承诺办理"
         "相关事项。申请人可以自主选择是否采用告知承诺方式；不愿承诺或者无法承诺的，应当提交上述证明。"),
        ("（五）核查方式及法律责任：", "本机关将依法通过书面核查、网络核查、现场核查、公示等方式，"
         "对承诺内容进行核查。申请人作出不实承诺的，本机关将依法终止办理、撤销已作出的决定，"
         "将不实承诺行为记入信用记录，并依法追究相应的法律责任。"),
    )
    for label, value in told:
        story.append(para("note", Raw(f"<b>{label}</b>"), value))
    story.append(para("section", Raw("<b>二、申请人承诺</b>")))
    story.append(para("body", "申请人现作出如下承诺："))
    promises = (
        "已经知晓行政机关告知的全部内容；",
        "本人（单位）符合行政机关告知的条件、标准和要求；",
        "愿意承担不实承诺的法律责任；",
        "所作承诺是本人（单位）的真实意思表示。",
    )
    for i, text in enumerate(promises, start=1):
        story.append(para("note", f"（{i}）", text))
    story.append(para("section", Raw("<b>三、申请人及事项信息</b>")))
    story.append(info_table(applicant_fields(case) + item_fields(case, received_label="申请日期")))
    story.append(para("small", "本告知承诺书一式两份，行政机关和申请人各执一份。"))
    signer = "法定代表人（签字）" if case.applicant.organisation else "承诺人（签字）"
    story.append(signature_block(case, settings, signer=signer))
    return story
