"""Cases of every decision for the document tests (plain data, no store, no Qt)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hallclient.documents.kinds import DocumentKind
from hallclient.documents.model import (
    ApplicantInfo,
    ChiefDecision,
    DocumentCase,
    DocumentSettings,
    MaterialLine,
)

SETTINGS = DocumentSettings(
    authority="信阳高新区行政审批局",
    seal_name="信阳高新区行政审批局行政审批专用章",
    hall_address="信阳市高新区新二十四大街政务服务中心",
    hall_phone="0376-6201234",
    reconsideration_body="信阳高新技术产业开发区管理委员会",
    court="信阳市浉河区人民法院",
)

PERSON = ApplicantInfo(name="张伟", id_number="411502199001011234", phone="13812345678")
COMPANY = ApplicantInfo(
    name="刘洋", id_number="41150219851212567X", phone="0376-3456789",
    organisation="信阳市味之源餐饮管理有限公司", uscc="91411500MA9XXXXX1L",
    legal_representative="李娜", agent_name="赵敏", agent_id_number="411502199203034321",
)

RECEIVED = (
    MaterialLine("食品经营许可申请书", "原件", 1, "已收取"),
    MaterialLine("营业执照", "电子", 1, "电子证照调取"),
    MaterialLine("经营场所平面布局图", "原件", 1, "已收取"),
)
TOLERATED = (
    MaterialLine("经营场所租赁合同", "复印件", 1, "容缺后补", standard="在有效期内",
                 supplement_by=date(2026, 10, 12), key="lease"),
)
COMMITMENTS = (
    MaterialLine("食品安全管理制度", "原件", 1, "告知承诺替代", standard="制度齐全并张贴上墙",
                 commitment=True, key="food_safety_rules"),
    MaterialLine("从业人员健康证明", "复印件", 2, "告知承诺替代", standard="在有效期内",
                 commitment=True, key="health"),
)
OUTSTANDING = (
    MaterialLine("法定代表人身份证明", "复印件", 1, "不符合要求", standard="正反面复印在同一页",
                 reason="复印件模糊"),
    MaterialLine("食品安全管理人员培训合格证明", "复印件", 1, "缺少", standard="由培训机构出具",
                 reason="未提交"),
)

BASE = DocumentCase(
    case_number="信高新受〔2026〕01000123",
    applicant=PERSON,
    item_names=("食品经营许可（新办）",),
    item_codes=("11411500MB1234567X-001",),
    accepted_on=date(2026, 9, 28),
    decision="accept",
    materials=RECEIVED,
    legal_limit_days=20,
    promised_limit_days=5,
    due_date=date(2026, 10, 12),
    window_number="3",
    clerk_name="王芳",
)

CASES: dict[str, DocumentCase] = {
    "accept": replace(BASE, commitments=COMMITMENTS),
    "accept_with_tolerance": replace(BASE, decision="accept_with_tolerance", applicant=COMPANY,
                                     tolerated=TOLERATED),
    "one_time_notice": replace(BASE, decision="one_time_notice", outstanding=OUTSTANDING,
                               due_date=None, reasons=("申请材料不齐全",)),
    "refuse": replace(BASE, decision="refuse", materials=(), due_date=None,
                      reasons=("该事项不属于本机关职权范围。",), refusal_ground="not_competent",
                      competent_body="信阳市城市管理局"),
}


CHIEF = "刘建国"
APPROVED = ChiefDecision("approved", date(2026, 9, 29), chief_name=CHIEF, validity="5年")
DENIED = ChiefDecision("denied", date(2026, 9, 29), chief_name=CHIEF,
                       reasons=("未配备经考核合格的食品安全管理人员。", "经营场所布局不符合食品安全要求。"))
EXTENDED = ChiefDecision("extended", date(2026, 10, 9), chief_name=CHIEF, days=10,
                         reason="需要补充核查经营场所", previous_due=date(2026, 10, 12),
                         new_due=date(2026, 10, 26))

# The cases after acceptance (and before it), by the document they issue.
LATER: dict[str, DocumentCase] = {
    "approved": replace(BASE, state="completed", approval=APPROVED),
    "completed": replace(BASE, state="completed", licensing=False, item_names=("城乡居民基本养老保险参保登记",),
                         approval=replace(APPROVED, validity="")),
    "denied": replace(BASE, state="denied", approval=DENIED),
    "extended": replace(BASE, extension=EXTENDED, due_date=date(2026, 10, 26)),
    "received": replace(BASE, state="received", due_date=None),
}


def for_kind(kind: DocumentKind, case: DocumentCase) -> DocumentCase:
    """`case` with what `kind` needs (a decision after acceptance, the received state)."""
    if kind in (DocumentKind.APPROVAL_DECISION, DocumentKind.COMPLETION_NOTICE):
        return replace(case, approval=APPROVED, licensing=kind is DocumentKind.APPROVAL_DECISION)
    if kind is DocumentKind.DENIAL_DECISION:
        return replace(case, approval=DENIED)
    if kind is DocumentKind.EXTENSION_NOTICE:
        return replace(case, extension=EXTENDED)
    if kind is DocumentKind.RECEIPT:
        return replace(case, state="received")
    return case
