"""What the applicant signs: the 容缺受理承诺书 and one 告知承诺书 per commitment.

The 告知承诺书 carries what 国办发〔2020〕42号 lists: the matter, the 设定依据 of the proof, the
conditions and standards, the content of the commitment, the verification (核查) that follows
and the consequences of a false commitment, and both signatures.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from hallclient.documents.blocks import (
    CONTENT_WIDTH,
    applicant_fields,
    heading,
    info_table,
    item_fields,
    keep,
    material_table,
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
        lines.append(para("sign", "承诺单位（加盖公章）：________________"))
        lines.append(para("sign", "法定代表人（签字并盖章）：________________"))
    else:
        lines.append(para("sign", "承诺人（签字）：________________"))
    if a.agent_name:
        lines.append(para("sign", "受托人（签字）：________________"))
        lines.append(para("small", "受托人凭申请人出具的《授权委托书》代为签署，委托书原件随本承诺书存档；"
                                   "承诺的法律责任仍由申请人承担。"))
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
    agent: list[object] = []
    if a.agent_name:
        agent = ["（受托人", filled(a.agent_name), "受申请人委托代为办理，已提交《授权委托书》）"]
    story.append(para(
        "body", "本人（单位）", filled(who), *agent, "申请办理", filled(case.item_title),
        "，因下列申请材料暂时无法提供，根据", settings.tolerance_rules, "申请容缺受理。现郑重承诺如下：",
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
    info = info_table(applicant_fields(case) + item_fields(case, received_label="申请日期",
                                                           with_delivery=False))
    story.append(keep(info, _two_columns(_signers(case), _receiver(case))))
    return [Section(story)]  # type: ignore[arg-type]


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


DEFAULT_BASIS = "以本事项办事指南所载设定依据为准"


def _letter(case: DocumentCase, settings: DocumentSettings, line: MaterialLine) -> list[Flowable]:
    story: list[Flowable] = [*heading(settings, "告知承诺书", case.case_number)]
    story.append(para("section", Raw("<b>一、行政机关告知</b>")))
    story.append(para(
        "body", "根据", settings.commitment_rules, "，", filled(settings.authority),
        "就", *application_phrase(case)[3:], "中的下列证明事项告知如下：",
    ))
    told = (
        ("（一）证明事项：", line.name),
        ("（二）证明用途：", f"用于办理{case.item_title}。"),
        ("（三）设定依据：", line.basis or DEFAULT_BASIS),
        ("（四）证明内容及要求（条件和标准）：", line.standard or "符合本事项受理条件的相关要求。"),
        ("（五）承诺方式：", "申请人书面承诺已经符合上述条件和标准，本机关不再索要有关证明，依据书面承诺"
         "办理相关事项。申请人可以自主选择是否采用告知承诺方式；不愿承诺或者无法承诺的，应当提交上述证明。"),
        ("（六）核查：", "本机关将在作出决定后依法通过书面核查、网络核查、现场核查、部门间数据共享或者公示"
         "等方式，对承诺内容的真实性进行核查；需要申请人配合的，申请人应当配合。"),
        ("（七）不实承诺的法律责任：", "发现申请人承诺内容与实际情况不符的，本机关将依法责令限期整改；"
         "拒不整改或者整改后仍不符合条件的，依法撤销已作出的决定；申请人作出不实承诺的，依法终止办理、"
         "撤销决定或者予以处罚，将不实承诺行为记入信用记录并依法实施联合惩戒；涉嫌犯罪的，依法移送司法机关。"),
    )
    for label, value in told:
        story.append(para("note", Raw(f"<b>{label}</b>"), value))
    story.append(para("section", Raw("<b>二、申请人承诺</b>")))
    story.append(para("body", "申请人现作出如下承诺："))
    promises = (
        "已经知晓行政机关告知的全部内容；",
        "本人（单位）符合行政机关告知的条件、标准和要求，能够在约定期限内提交有关材料（如有）；",
        "同意并配合行政机关的核查；",
        "愿意承担不实承诺的法律责任；",
        "所作承诺是本人（单位）的真实意思表示。",
    )
    for i, text in enumerate(promises, start=1):
        story.append(para("note", f"（{i}）", text))
    story.append(para("section", Raw("<b>三、申请人及事项信息</b>")))
    info = info_table(applicant_fields(case) + item_fields(case, received_label="申请日期",
                                                           with_delivery=False))
    signers = _signers(case)
    story.append(keep(
        info, para("small", "本告知承诺书一式两份，行政机关和申请人各执一份。"),
        _two_columns(signers, _authority_side(case, settings)),
    ))
    return story


def _authority_side(case: DocumentCase, settings: DocumentSettings) -> list[Flowable]:
    from hallclient.documents.blocks import SealArea

    return [para("sign", "告知机关：", settings.authority), para("sign", "经办人员：", case.clerk_name or "—"),
            SealArea(settings.authority, settings.seal_name, cn_date(case.accepted_on), 58 * mm)]
