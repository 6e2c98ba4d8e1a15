"""Demonstration cases: one PDF of every document kind, plus a queue slip.

``hallclient documents sample OUTDIR`` calls `write_samples`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from hallclient.documents.kinds import (
    DocumentKind,
    build_document,
    build_slip,
    write_pdf_atomic,
)
from hallclient.documents.model import (
    ApplicantInfo,
    ChiefDecision,
    DocumentCase,
    DocumentSettings,
    MaterialLine,
    PrereviewMaterial,
    PrereviewSheet,
    Slip,
)
from hallclient.documents.prereview_sheet import build_prereview_sheet

SAMPLE_SETTINGS = DocumentSettings(
    authority="信阳高新区行政审批局",
    seal_name="信阳高新区行政审批局行政审批专用章",
    hall_name="信阳高新区政务服务中心",
    hall_address="信阳市高新区新二十四大街政务服务中心一楼综合窗口",
    hall_phone="0376-6201234",
    supervision_phone="12345",
    rating_base_url="https://zwfw.xyhtz.gov.cn/hall",  # the QR leads to the central's rating page
    # 复议机关 and court left empty, as on a fresh install: they print as 待设置 until the
    # hall's legal office confirms them (settings).
)

_RECEIVED = (
    MaterialLine("食品经营许可申请书", "原件", 1, "已收取", standard="申请人签字或盖章"),
    MaterialLine("营业执照", "电子", 1, "电子证照调取", reason="电子证照库调取"),
    MaterialLine("法定代表人身份证明", "复印件", 1, "已收取"),
    MaterialLine("与食品经营相适应的主要设备设施布局、操作流程等文件", "原件", 1, "已收取"),
    MaterialLine("食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的规章制度",
                 "原件", 1, "已收取"),
    MaterialLine("经营场所平面图及周边环境示意图", "原件", 1, "已收取"),
    MaterialLine("授权委托书", "原件", 1, "已收取"),
    MaterialLine("受托人身份证", "复印件", 1, "已收取"),
)
_TOLERATED = (
    MaterialLine("经营场所租赁合同", "复印件", 1, "容缺后补", standard="在有效期内，加盖出租方印章",
                 supplement_by=date(2026, 10, 9), key="lease"),
    MaterialLine("食品安全管理人员培训考核合格证明", "复印件", 1, "容缺后补",
                 standard="由市场监管部门组织的考核出具，在有效期内", supplement_by=date(2026, 10, 9),
                 key="training"),
    MaterialLine("从业人员健康证明", "复印件", 2, "容缺后补", standard="直接接触入口食品的每名从业人员一份",
                 supplement_by=date(2026, 10, 9), key="health"),
)
_COMMITMENTS = (
    MaterialLine("经营场所无违章建筑证明", "原件", 1, "告知承诺替代",
                 standard="经营场所不属于违法建筑，未被列入拆除范围", commitment=True, key="no_illegal",
                 basis="《中华人民共和国城乡规划法》第六十四条；《食品经营许可和备案管理办法》第十二条"),
)
_OUTSTANDING = (
    MaterialLine("法定代表人身份证明", "复印件", 1, "不符合要求", standard="身份证正反面复印在同一页，清晰可辨",
                 reason="复印件模糊，无法辨认证件号码"),
    MaterialLine("经营场所使用证明", "复印件", 1, "缺少", standard="房屋产权证明或租赁合同，在有效期内",
                 reason="未提交"),
)

SAMPLE_CASE = DocumentCase(
    case_number="信高新受〔2026〕01000123",
    applicant=ApplicantInfo(
        name="张伟",
        id_number="411502199001011234",
        phone="13812345678",
        organisation="信阳市高新区味之源餐饮管理有限公司",
        uscc="91411500MA9XXXXX1L",
        legal_representative="李娜",
        agent_name="赵敏",
        agent_id_number="411502199203034321",
    ),
    item_names=("食品经营许可（新办）",),
    item_codes=("11411500MB1234567X4000117002001",),
    accepted_on=date(2026, 9, 28),
    decision="accept",
    materials=_RECEIVED,
    commitments=_COMMITMENTS,
    legal_limit_days=20,
    promised_limit_days=10,
    due_date=date(2026, 10, 16),
    window_number="3",
    clerk_name="王芳",
    delivery="自取",
    department="信阳高新区行政审批局",
    back_office="市场准入审批科",
    fee="不收费",
    item_basis="《中华人民共和国食品安全法》第三十五条",
    rate_token="k3Jx9QmVt2LpR8sWd4Yh1nZa",
    received_at=datetime(2026, 9, 28, 9, 42),
)

_CHIEF = "刘建国"
_APPROVED = ChiefDecision("approved", date(2026, 9, 28), chief_name=_CHIEF,
                          validity="5年（2026年9月28日至2031年9月27日）")
_DENIED = ChiefDecision("denied", date(2026, 9, 28), chief_name=_CHIEF, reasons=(
    "申请人未配备经考核合格的食品安全管理人员，不符合《食品经营许可和备案管理办法》规定的许可条件。",
    "经营场所平面布局图显示，原料存放区与垃圾存放区未有效分隔，不符合食品安全要求。",
))
_EXTENDED = ChiefDecision("extended", date(2026, 10, 14), chief_name=_CHIEF, days=10,
                          reason="申请事项涉及的食品经营场所需要补充核查设备设施布局",
                          previous_due=date(2026, 10, 16), new_due=date(2026, 10, 30))


def sample_case(kind: DocumentKind) -> DocumentCase:
    """The demonstration case, with the decision that issues `kind`."""
    if kind in (DocumentKind.TOLERANCE_NOTICE, DocumentKind.TOLERANCE_COMMITMENT):
        return replace(SAMPLE_CASE, decision="accept_with_tolerance", tolerated=_TOLERATED)
    if kind is DocumentKind.ONE_TIME_NOTICE:
        return replace(SAMPLE_CASE, decision="one_time_notice", commitments=(),
                       materials=_RECEIVED[:2], outstanding=_OUTSTANDING, due_date=None)
    if kind is DocumentKind.REFUSAL_DECISION:
        return replace(
            SAMPLE_CASE, decision="refuse", commitments=(), materials=_RECEIVED[:1], due_date=None,
            item_names=("城市建筑垃圾处置核准",), item_codes=(), back_office="",
            reasons=("该事项已调整由信阳市城市管理局实施，不属于本机关职权范围。",),
            refusal_ground="not_competent", competent_body="信阳市城市管理局",
        )
    if kind is DocumentKind.APPROVAL_DECISION:
        return replace(SAMPLE_CASE, state="completed", approval=_APPROVED)
    if kind is DocumentKind.COMPLETION_NOTICE:
        return replace(
            SAMPLE_CASE, state="completed", licensing=False, commitments=(),
            applicant=ApplicantInfo(name="张伟", id_number="411502199001011234", phone="13812345678"),
            item_names=("城乡居民基本养老保险参保登记",), item_codes=("11411500MB1234567X4000318001001",),
            department="信阳高新区社会事务局", back_office="社会保障服务科", item_basis="",
            materials=(MaterialLine("居民身份证", "原件", 1, "已收取"),
                       MaterialLine("户口簿", "原件", 1, "已收取")),
            approval=replace(_APPROVED, validity=""), legal_limit_days=None, promised_limit_days=0,
        )
    if kind is DocumentKind.DENIAL_DECISION:
        return replace(SAMPLE_CASE, state="denied", approval=_DENIED)
    if kind is DocumentKind.EXTENSION_NOTICE:
        return replace(SAMPLE_CASE, extension=_EXTENDED, due_date=date(2026, 10, 30))
    if kind is DocumentKind.RECEIPT:
        return replace(SAMPLE_CASE, state="received", commitments=(), due_date=None)
    return SAMPLE_CASE


SAMPLE_PREREVIEW = PrereviewSheet(
    number="YS2026092803001",
    applicant=ApplicantInfo(name="张伟", id_number="411502199001011234", phone="13812345678",
                            organisation="信阳市高新区味之源餐饮管理有限公司"),
    item_names=("食品经营许可（新办）",),
    item_codes=("11411500MB1234567X4000117002001",),
    created_on=date(2026, 9, 28),
    valid_until=date(2026, 10, 5),
    outcome="missing",
    outcome_label="需补齐以下材料",
    materials=(
        PrereviewMaterial("食品经营许可申请书", "已备齐"),
        PrereviewMaterial("营业执照", "电子证照", "窗口可从电子证照库调取，无需提交"),
        PrereviewMaterial("法定代表人身份证明", "已备齐"),
        PrereviewMaterial("经营场所平面图及周边环境示意图", "不符合要求", "未标注各功能区面积，请补充标注"),
        PrereviewMaterial("食品安全管理人员培训考核合格证明", "缺少", "请向市场监管部门申请考核"),
        PrereviewMaterial("授权委托书", "不适用", "法定代表人本人办理", required=False),
    ),
    missing=("经营场所平面图及周边环境示意图（未标注各功能区面积）", "食品安全管理人员培训考核合格证明"),
    remark="其余材料齐全；补齐后可到3号窗口办理，窗口将逐项核验原件。",
    proxy_name="陈静",
    consent_label="帮办（申请人自愿，免费）",
    window_number="8",
)


SAMPLE_SLIP = Slip(
    ticket_number="A023",
    category="市场准入",
    people_ahead=5,
    issued_at=datetime(2026, 9, 28, 9, 15),
    qr_content="https://zwfw.xyhtz.gov.cn/queue/A023",
)


def write_samples(outdir: str | Path, *, reprint: bool = False) -> list[Path]:
    """Write one PDF of every document kind and the slip into `outdir`; return the paths."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for kind in DocumentKind:
        if kind is DocumentKind.PREREVIEW_SHEET:
            data = build_prereview_sheet(SAMPLE_PREREVIEW, SAMPLE_SETTINGS, reprint=reprint)
        else:
            data = build_document(kind, sample_case(kind), SAMPLE_SETTINGS, reprint=reprint)
        paths.append(write_pdf_atomic(out / f"{kind.value}.pdf", data))
    paths.append(write_pdf_atomic(out / "queue_slip.pdf", build_slip(SAMPLE_SLIP)))
    return paths
