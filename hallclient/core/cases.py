"""Cases (办件): who applied, for what, what the window decided, and where the case stands now."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from hallclient.core.checklist import Decision, DecisionResult, MaterialMark, MaterialStatus
from hallclient.core.validators import (
    IdType,
    check_id,
    check_mobile,
    check_name,
    check_uscc,
)


class ApplicantKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


@dataclass(frozen=True)
class Applicant:
    kind: ApplicantKind = ApplicantKind.PERSON
    name: str = ""  # the person, or the organisation's name
    id_type: IdType = IdType.RESIDENT_ID  # of the person (or the legal representative)
    id_number: str = ""
    uscc: str = ""  # 统一社会信用代码, organisations only
    legal_representative: str = ""
    phone: str = ""
    agent_name: str = ""
    agent_id_number: str = ""
    agent_power_of_attorney: bool = False
    bad_credit: bool = False  # 失信: set by the clerk when the credit check says so

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value, "name": self.name, "id_type": self.id_type.value,
            "id_number": self.id_number, "uscc": self.uscc,
            "legal_representative": self.legal_representative, "phone": self.phone,
            "agent_name": self.agent_name, "agent_id_number": self.agent_id_number,
            "agent_power_of_attorney": self.agent_power_of_attorney, "bad_credit": self.bad_credit,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Applicant:
        return cls(
            kind=ApplicantKind(data.get("kind", "person")), name=data.get("name", ""),
            id_type=IdType(data.get("id_type", IdType.RESIDENT_ID.value)), id_number=data.get("id_number", ""),
            uscc=data.get("uscc", ""), legal_representative=data.get("legal_representative", ""),
            phone=data.get("phone", ""), agent_name=data.get("agent_name", ""),
            agent_id_number=data.get("agent_id_number", ""),
            agent_power_of_attorney=bool(data.get("agent_power_of_attorney", False)),
            bad_credit=bool(data.get("bad_credit", False)),
        )


def applicant_problems(applicant: Applicant, today: date | None = None) -> dict[str, str]:
    """Field name → the reason it is not accepted. Empty when the applicant may be recorded."""
    problems: dict[str, str] = {}

    def check(name: str, result: Any) -> None:
        if not result.ok:
            problems[name] = result.message

    check("name", check_name(applicant.name))
    if applicant.kind is ApplicantKind.ORGANISATION:
        check("uscc", check_uscc(applicant.uscc))
        check("legal_representative", check_name(applicant.legal_representative))
        if applicant.id_number:
            check("id_number", check_id(applicant.id_type, applicant.id_number, today))
    else:
        check("id_number", check_id(applicant.id_type, applicant.id_number, today))
    check("phone", check_mobile(applicant.phone))
    if applicant.agent_name or applicant.agent_id_number:
        check("agent_name", check_name(applicant.agent_name))
        check("agent_id_number", check_id(IdType.RESIDENT_ID, applicant.agent_id_number, today))
        if not applicant.agent_power_of_attorney:
            problems["agent_power_of_attorney"] = "代理人办理须提交授权委托书"
    return problems


class CaseState(StrEnum):
    ACCEPTED = "accepted"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    SUPPLEMENT_OVERDUE = "supplement_overdue"  # derived from the date, never stored
    ONE_TIME_NOTICED = "one_time_noticed"
    REFUSED = "refused"
    RETURNED = "returned"
    COMPLETED = "completed"  # 办结: approved (准予) on site or by the back office
    RECEIVED = "received"  # 收件: materials taken in, not yet accepted (a 收件回执 on request)
    IN_APPROVAL = "in_approval"  # 审批中: sent to the back office (论证/勘察/听证/集体研究)
    DENIED = "denied"  # 不予许可 (行政许可法 第三十八条第二款)
    SENT_BACK = "sent_back"  # 退回窗口 by the chief representative, with a written opinion


CASE_STATE_LABELS: dict[CaseState, str] = {
    CaseState.ACCEPTED: "已受理",
    CaseState.AWAITING_SUPPLEMENT: "待补正",
    CaseState.SUPPLEMENT_OVERDUE: "补正逾期",
    CaseState.ONE_TIME_NOTICED: "已一次性告知",
    CaseState.REFUSED: "不予受理",
    CaseState.RETURNED: "已退件",
    CaseState.COMPLETED: "已办结",
    CaseState.RECEIVED: "已收件",
    CaseState.IN_APPROVAL: "审批中",
    CaseState.DENIED: "不予许可",
    CaseState.SENT_BACK: "已退回窗口",
}

INITIAL_STATE: dict[Decision, CaseState] = {
    Decision.ACCEPT: CaseState.ACCEPTED,
    Decision.ACCEPT_WITH_TOLERANCE: CaseState.AWAITING_SUPPLEMENT,
    Decision.ONE_TIME_NOTICE: CaseState.ONE_TIME_NOTICED,
    Decision.REFUSE: CaseState.REFUSED,
}


@dataclass(frozen=True)
class ChecklistEntry:
    """One checklist line as ticked, kept on the case (names and terms as they were that day)."""

    key: str
    name: str
    mark: MaterialMark

    def to_json(self) -> dict[str, Any]:
        m = self.mark
        return {"key": self.key, "name": self.name, "status": m.status.value, "original": m.original,
                "copies": m.copies, "license_number": m.license_number, "reason": m.reason}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChecklistEntry:
        mark = MaterialMark(
            status=MaterialStatus(data["status"]), original=data.get("original"), copies=data.get("copies"),
            license_number=data.get("license_number"), reason=data.get("reason"),
        )
        return cls(key=data["key"], name=data["name"], mark=mark)


@dataclass(frozen=True)
class CaseDraft:
    """Everything the window knows at confirmation, before the case gets its number."""

    applicant: Applicant
    item_codes: tuple[str, ...]
    item_names: tuple[str, ...]
    bundle_code: str | None
    bundle_name: str | None
    checklist: tuple[ChecklistEntry, ...]
    result: DecisionResult
    accepted_on: date
    window_number: str
    clerk_name: str
    ticket_number: str | None = None
    previous_case_uuid: str | None = None
    prereview_number: str | None = None  # the pre-review (预审) the intake was filled from
    delivery: str = "自取"  # how the result reaches the applicant: 自取 / 邮寄
    delivery_address: str = ""  # 邮寄: where to


@dataclass(frozen=True)
class Case:
    uuid: str
    case_number: str
    state: CaseState  # as stored; see effective_state() for overdue
    decision: Decision
    applicant: Applicant
    item_codes: tuple[str, ...]
    item_names: tuple[str, ...]
    bundle_code: str | None
    bundle_name: str | None
    checklist: tuple[ChecklistEntry, ...]
    reasons: tuple[str, ...]
    tolerated: tuple[dict[str, Any], ...]  # {"key", "name", "supplement_by"}
    commitments: tuple[str, ...]
    due_date: date | None
    deadline_problem: str | None
    accepted_on: date
    window_number: str
    clerk_name: str
    created_at: datetime
    updated_at: datetime
    ticket_number: str | None = None
    previous_case_uuid: str | None = None
    return_reason: str | None = None
    events: tuple[dict[str, Any], ...] = field(default=())
    prereview_number: str | None = None
    rate_token: str | None = None  # the QR rating page's key
    delivery: str = "自取"
    delivery_address: str = ""
    refusal_ground: str | None = None  # core.checklist.RefusalGround value of a refusal
    competent_body: str | None = None  # where to apply instead (NOT_COMPETENT)
    item_deadlines: tuple[dict[str, Any], ...] = ()  # {"code", "name", "limit_days", "due_date"} per item

    @property
    def supplement_by(self) -> date | None:
        """The earliest deadline among tolerated materials not yet supplemented."""
        dates = [date.fromisoformat(t["supplement_by"]) for t in self.tolerated
                 if t.get("supplement_by") and not t.get("supplemented_at")]
        return min(dates) if dates else None

    @property
    def followed_up(self) -> bool:
        """A one-time-noticed case whose applicant came back and was taken in again."""
        return any(e["kind"] == "reintaken" for e in self.events)

    def effective_state(self, today: date) -> CaseState:
        deadline = self.supplement_by
        if self.state is CaseState.AWAITING_SUPPLEMENT and deadline is not None and today > deadline:
            return CaseState.SUPPLEMENT_OVERDUE
        return self.state


class CaseNumberPatternError(ValueError):
    pass


def check_case_number_pattern(pattern: str) -> None:
    """A pattern must carry the window and a sequence, or two offline windows could collide."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name}
    except ValueError as error:
        raise CaseNumberPatternError(f"受理编号格式有误：{error}") from error
    unknown = names - {"year", "window", "seq"}
    if unknown:
        raise CaseNumberPatternError(f"受理编号格式含未知字段：{', '.join(sorted(unknown))}")
    if not {"window", "seq"} <= names:
        raise CaseNumberPatternError("受理编号格式必须包含 {window} 和 {seq}，否则不同窗口离线时编号可能重复")


def format_case_number(pattern: str, *, year: int, window: str, seq: int) -> str:
    check_case_number_pattern(pattern)
    return pattern.format(year=year, window=window, seq=seq)
