"""What the printed documents need to know, as plain frozen dataclasses.

Independent of the rest of the application: the case store maps a case onto `DocumentCase`.
Every text field may hold anything a clerk or applicant typed; the builders print it literally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from urllib.parse import quote


class DecisionValue(StrEnum):
    """The window's decision, as the string values the rest of the app uses."""

    ACCEPT = "accept"
    ACCEPT_WITH_TOLERANCE = "accept_with_tolerance"
    ONE_TIME_NOTICE = "one_time_notice"
    REFUSE = "refuse"


@dataclass(frozen=True)
class DocumentSettings:
    """The hall's settings that appear on paper."""

    authority: str = "信阳高新区行政审批局"
    seal_name: str = "信阳高新区行政审批局行政审批专用章"
    # {case_number} is filled in percent-encoded (a URL); {case_number_raw} as typed.
    progress_url_pattern: str = "https://zwfw.xyhtz.gov.cn/case/{case_number}"
    hall_name: str = "信阳高新区政务服务中心"
    hall_address: str = ""
    hall_phone: str = ""
    supervision_phone: str = ""
    # Where an applicant may seek reconsideration / sue; empty: printed as 待设置 (the hall's
    # legal office confirms them: under the 2023 行政复议法 usually the county-level government).
    reconsideration_body: str = ""
    court: str = ""
    # The published rules the tolerance and commitment documents cite.
    tolerance_rules: str = "本地区公布的容缺受理制度"
    commitment_rules: str = (
        "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》（国办发〔2020〕42号）"
    )
    refusal_other_basis: str = "政务服务事项实施清单及有关规定"
    supplement_ways: tuple[str, ...] = ("现场", "邮寄", "网上")
    supplement_online: str = "河南政务服务网"
    acceptance_stub: bool = False  # the acceptance notice carries a 存根 (kept by the hall)
    archive_full_id: bool = False  # the 存档联 shows ID numbers in full (the applicant's never)
    # The QR code of a notice leads to the central's rating page (好差评 一次一评): {central} is
    # `rating_base_url` (the address applicants' phones reach), {token} the case's rate token.
    # No base or no token: the QR keeps the progress URL above.
    rating_url_pattern: str = "{central}/rate/{token}"
    rating_base_url: str = ""
    # 文号 of the written decisions after acceptance: {case_number}, {kind} (准/结/不/延), {year}.
    # A decision number recorded with the decision's event wins.
    decision_number_pattern: str = "{case_number}-{kind}"
    completion_basis: str = "政务服务事项实施清单及有关规定"  # 办结通知书 of a non-licensing item


@dataclass(frozen=True)
class ApplicantInfo:
    name: str  # person's name, or the organisation's contact person
    id_type: str = "居民身份证"
    id_number: str = ""
    phone: str = ""
    organisation: str = ""  # empty for a natural person
    uscc: str = ""  # 统一社会信用代码 (public, printed in full)
    legal_representative: str = ""
    agent_name: str = ""
    agent_id_number: str = ""
    address: str = ""

    @property
    def display_name(self) -> str:
        """Whom the document addresses: the organisation, else the person."""
        return self.organisation or self.name


@dataclass(frozen=True)
class MaterialLine:
    name: str
    form: str = ""  # 原件 / 复印件 / 电子 / 原件和复印件
    copies: int | None = None
    status_label: str = ""  # 已收取 / 电子证照调取 / 告知承诺替代 / 容缺后补 / 缺少 / 不符合要求
    standard: str = ""  # 受理标准, printed on the one-time notice and commitments
    reason: str = ""  # why it is outstanding (one-time notice) or any remark
    supplement_by: date | None = None  # 补正 deadline of a tolerated material
    commitment: bool = False  # replaced by a signed 告知承诺
    key: str = ""  # the catalog's material key; selects one 告知承诺书
    basis: str = ""  # 设定依据 of the proof (告知承诺书)

    @property
    def ident(self) -> str:
        return self.key or self.name


@dataclass(frozen=True)
class ItemLimit:
    """One item of a bundle: its own promised limit and due date."""

    name: str
    limit_days: int | None
    due_date: date | None = None


@dataclass(frozen=True)
class ChiefDecision:
    """A chief representative's decision on an accepted case (准予 / 不予许可 / 延长期限)."""

    outcome: str  # "approved" / "denied" / "extended" (core.approval.ApprovalOutcome values)
    decided_on: date
    chief_name: str = ""
    number: str = ""  # 文号 recorded with the decision; empty: from the hall's pattern
    reasons: tuple[str, ...] = ()  # 不予许可
    validity: str = ""  # 准予: the validity of the licence or result, where the item has one
    days: int | None = None  # 延长期限
    reason: str = ""  # 延长期限
    previous_due: date | None = None
    new_due: date | None = None


class RefusalGroundValue(StrEnum):
    NOT_LICENSING = "not_licensing"  # 行政许可法 第三十二条第一款第（一）项
    NOT_COMPETENT = "not_competent"  # 第（二）项
    OTHER = "other"


@dataclass(frozen=True)
class DocumentCase:
    case_number: str
    applicant: ApplicantInfo
    item_names: tuple[str, ...]
    accepted_on: date  # the date of receipt / the decision printed on the documents
    decision: str  # a DecisionValue value
    item_codes: tuple[str, ...] = ()
    bundle_name: str = ""  # 一件事 name when several items are handled as one
    department: str = ""  # 实施主体, when it differs from the authority
    reasons: tuple[str, ...] = ()  # refusal reasons / one-time-notice summary
    materials: tuple[MaterialLine, ...] = ()  # received or covered (the receipt's list)
    tolerated: tuple[MaterialLine, ...] = ()  # 容缺 materials, to be supplemented
    commitments: tuple[MaterialLine, ...] = ()  # materials replaced by 告知承诺
    outstanding: tuple[MaterialLine, ...] = ()  # missing or defective (one-time notice)
    legal_limit_days: int | None = None
    promised_limit_days: int | None = None
    due_date: date | None = None
    deadline_note: str = ""  # e.g. why no due date could be computed
    window_number: str = ""
    clerk_name: str = ""
    delivery: str = "自取"  # 自取 / 邮寄
    delivery_address: str = ""
    licensing: bool = True  # an item is a 行政许可: the notices cite 行政许可法 第三十二条
    back_office: str = ""  # 承办科室
    fee: str = ""  # 收费 text ("不收费" or the fee and its basis)
    limit_note: str = ""  # the limit as the law states it, where not in working days
    item_limits: tuple[ItemLimit, ...] = ()  # a bundle's items, each with its own limit
    refusal_ground: str = "other"  # a RefusalGroundValue value
    competent_body: str = ""  # NOT_COMPETENT: the body to apply to
    state: str = ""  # the case's state (core.cases.CaseState value); "received": a 收件回执
    received_at: datetime | None = None  # when the window took the materials in
    item_basis: str = ""  # 设定依据 of the item(s), cited by the decisions after acceptance
    approval: ChiefDecision | None = None  # 准予 or 不予许可 on site
    extension: ChiefDecision | None = None  # 延长期限 (行政许可法 第四十二条)
    rate_token: str = ""  # the key of the central's rating page (never the case number)

    @property
    def item_title(self) -> str:
        """The application's name in running text: the bundle, else the item(s)."""
        if self.bundle_name:
            return self.bundle_name
        return "、".join(self.item_names)


@dataclass(frozen=True)
class Slip:
    """A queue ticket slip from the dispenser."""

    ticket_number: str
    category: str
    people_ahead: int
    issued_at: datetime
    qr_content: str = ""
    hall_name: str = "信阳高新区政务服务中心"
    notes: tuple[str, ...] = field(default=("请留意叫号广播和显示屏", "过号请到服务台重新取号"))


@dataclass(frozen=True)
class PrereviewMaterial:
    name: str
    state: str  # 已备齐 / 缺少 / 不符合要求 / 电子证照 / 告知承诺 / 不适用…
    remark: str = ""
    required: bool = True


@dataclass(frozen=True)
class PrereviewSheet:
    """What the 预审意见单 prints: a pre-review by proxy-service staff (帮办代办)."""

    number: str
    applicant: ApplicantInfo
    item_names: tuple[str, ...]
    created_on: date
    valid_until: date
    outcome: str  # core.prereview.PrereviewOutcome value
    outcome_label: str  # OUTCOME_LABELS wording
    item_codes: tuple[str, ...] = ()
    bundle_name: str = ""
    materials: tuple[PrereviewMaterial, ...] = ()
    missing: tuple[str, ...] = ()  # what to bring to the window
    remark: str = ""
    proxy_name: str = ""
    consent_label: str = ""  # 帮办 / 代办（凭委托书）
    window_number: str = ""

    @property
    def item_title(self) -> str:
        return self.bundle_name or "、".join(self.item_names)


def rating_url(settings: DocumentSettings, token: str) -> str:
    """The central's rating page of a case, or "" when none can be made (no token, or the
    pattern needs {central} and the hall has no address for it)."""
    pattern = settings.rating_url_pattern.strip()
    base = settings.rating_base_url.strip().rstrip("/")
    if not token or not pattern or ("{central}" in pattern and not base):
        return ""
    try:
        return pattern.format(central=base, token=quote(token, safe=""))
    except (KeyError, IndexError, ValueError):
        return ""  # a pattern the hall mistyped: keep the progress QR rather than fail to print


def progress_url(settings: DocumentSettings, case_number: str) -> str:
    """The progress / evaluation link of a case, from the configured pattern."""
    return settings.progress_url_pattern.format(
        case_number=quote(case_number, safe=""), case_number_raw=case_number
    )
