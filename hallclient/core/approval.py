"""On-site approval by a chief representative (首席代表 当场办结), and what may follow acceptance.

The chief representative's authorisation (授权书) is data: the departments and items they may
decide on site, from when to when, in numbered versions. A decision outside it is refused with
the reason. The legal frame (行政许可法): a decision made on the spot where the materials are
complete and lawful (第三十四条), in writing: 准予 (第三十八条第一款) or 不予许可 with reasons and the
applicant's rights to 复议 and 诉讼 (第三十八条第二款); an extension of up to 10 working days with
the reason, told to the applicant (第四十二条).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from hallclient.core.cases import Case, CaseState
from hallclient.core.catalog import ItemType, ServiceItem

MAX_EXTENSION_DAYS = 10  # 行政许可法 第四十二条
APPEAL_DAYS = 60  # 行政复议法: within 60 days of knowing the decision
LITIGATION_MONTHS = 6  # 行政诉讼法 第四十六条


class ApprovalOutcome(StrEnum):
    APPROVED = "approved"  # 准予
    DENIED = "denied"  # 不予许可
    SENT_BACK = "sent_back"  # 退回窗口
    TO_BACK_OFFICE = "to_back_office"  # 转后台审批
    EXTENDED = "extended"  # 延长期限


OUTCOME_LABELS: dict[ApprovalOutcome, str] = {
    ApprovalOutcome.APPROVED: "准予",
    ApprovalOutcome.DENIED: "不予许可",
    ApprovalOutcome.SENT_BACK: "退回窗口",
    ApprovalOutcome.TO_BACK_OFFICE: "转后台审批",
    ApprovalOutcome.EXTENDED: "延长期限",
}

# The states from which the chief representative (or the back office) decides.
DECIDABLE = (CaseState.ACCEPTED, CaseState.IN_APPROVAL)
STATE_AFTER: dict[ApprovalOutcome, CaseState] = {
    ApprovalOutcome.APPROVED: CaseState.COMPLETED,
    ApprovalOutcome.DENIED: CaseState.DENIED,
    ApprovalOutcome.SENT_BACK: CaseState.SENT_BACK,
    ApprovalOutcome.TO_BACK_OFFICE: CaseState.IN_APPROVAL,
}


class ApprovalRefused(ValueError):
    """The decision cannot be taken on this case (state, item, authorisation, input)."""


@dataclass(frozen=True)
class Authorisation:
    """A chief representative's 授权书, one version of it."""

    login: str
    version: int
    departments: tuple[str, ...]
    item_codes: tuple[str, ...] = ()  # empty: every on-site item of the departments
    valid_from: date | None = None
    valid_to: date | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"login": self.login, "version": self.version, "departments": list(self.departments),
                "item_codes": list(self.item_codes),
                "valid_from": self.valid_from.isoformat() if self.valid_from else None,
                "valid_to": self.valid_to.isoformat() if self.valid_to else None, "note": self.note}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Authorisation:
        return cls(login=data["login"], version=int(data["version"]), departments=tuple(data["departments"]),
                   item_codes=tuple(data.get("item_codes") or ()),
                   valid_from=date.fromisoformat(data["valid_from"]) if data.get("valid_from") else None,
                   valid_to=date.fromisoformat(data["valid_to"]) if data.get("valid_to") else None,
                   note=data.get("note") or "")

    def why_not(self, item: ServiceItem, today: date) -> str | None:
        if self.valid_from and today < self.valid_from:
            return f"授权书（第 {self.version} 版）自 {self.valid_from.isoformat()} 起生效"
        if self.valid_to and today > self.valid_to:
            return f"授权书（第 {self.version} 版）已于 {self.valid_to.isoformat()} 到期"
        if item.department not in self.departments:
            return f"授权书（第 {self.version} 版）不含{item.department}的事项"
        if self.item_codes and item.code not in self.item_codes:
            return f"授权书（第 {self.version} 版）未授权事项「{item.name}」"
        return None


@dataclass(frozen=True)
class ApprovalCheck:
    ok: bool
    reasons: tuple[str, ...] = field(default=())


def check_on_site(case: Case, items: Sequence[ServiceItem], authorisation: Authorisation | None,
                  today: date) -> ApprovalCheck:
    """May this case be decided on site by the holder of `authorisation`?"""
    reasons: list[str] = []
    if case.state not in DECIDABLE:
        from hallclient.core.cases import CASE_STATE_LABELS

        reasons.append(f"办件当前为「{CASE_STATE_LABELS[case.state]}」，不能审批")
    if authorisation is None:
        reasons.append("没有有效的首席代表授权书")
    for item in items:
        if not item.on_site_approval:
            reasons.append(f"事项「{item.name}」需论证、勘察、听证或集体研究，不能当场办结，请转后台审批")
        if authorisation is not None:
            problem = authorisation.why_not(item, today)
            if problem:
                reasons.append(problem)
    return ApprovalCheck(not reasons, tuple(dict.fromkeys(reasons)))


def decision_document(items: Sequence[ServiceItem], outcome: ApprovalOutcome) -> str:
    """Which written decision follows: 准予行政许可决定书 for licensing items, else 办结通知书."""
    if outcome is ApprovalOutcome.APPROVED:
        licensing = any(i.item_type is ItemType.LICENSING for i in items)
        return "approval_decision" if licensing else "completion_notice"
    if outcome is ApprovalOutcome.DENIED:
        return "denial_decision"
    if outcome is ApprovalOutcome.EXTENDED:
        return "extension_notice"
    return ""


def check_extension(days: int, reason: str) -> None:
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ApprovalRefused(f"延长期限为 1–{MAX_EXTENSION_DAYS} 个工作日（行政许可法第四十二条）")
    if not reason.strip():
        raise ApprovalRefused("延长期限须写明理由")
