"""Pre-review (预审) by proxy-service staff (帮办代办), and taking it up at the window.

Proxy staff fill the same checklist as the window (same keys, same catalog) before the
applicant queues, add remarks, and end with one outcome. The pre-review sheet carries its
number (and a QR code of it); the window types or scans the number, and the intake opens
pre-filled, marked 来自预审, each material still to be confirmed by the clerk. A pre-review is
valid for a number of days (a setting), for its own items only, and can be used once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from hallclient.core.cases import Applicant
from hallclient.core.catalog import Necessity, ServiceItem
from hallclient.core.checklist import MaterialMark, MaterialStatus, build_checklist


class PrereviewOutcome(StrEnum):
    COMPLETE = "complete"
    MISSING = "missing"
    NOT_HALL = "not_hall"


OUTCOME_LABELS: dict[PrereviewOutcome, str] = {
    PrereviewOutcome.COMPLETE: "材料齐全，可到窗口受理",
    PrereviewOutcome.MISSING: "需补齐以下材料",
    PrereviewOutcome.NOT_HALL: "不属于本大厅事项",
}


class Consent(StrEnum):
    HELP = "help"  # 帮办: the applicant asked to be helped (voluntary, free)
    AGENT = "agent"  # 代办: acting for the applicant, with a 委托书


CONSENT_LABELS = {Consent.HELP: "帮办（申请人自愿，免费）", Consent.AGENT: "代办（凭委托书）"}

# Marks that count as "has it" at pre-review: the window will still check each one.
_PRESENT = {MaterialStatus.RECEIVED, MaterialStatus.E_LICENSE, MaterialStatus.COMMITMENT,
            MaterialStatus.NOT_APPLICABLE, MaterialStatus.PRODUCED}


class PrereviewUnusable(ValueError):
    """The pre-review cannot be taken up (expired, used, other items)."""


@dataclass(frozen=True)
class Prereview:
    uuid: str
    number: str
    applicant: Applicant
    item_codes: tuple[str, ...]
    item_names: tuple[str, ...]
    bundle_code: str | None
    marks: Mapping[str, MaterialMark]
    remarks: Mapping[str, str]  # per material key
    remark: str
    outcome: PrereviewOutcome
    missing: tuple[str, ...]  # names of what to bring
    consent: Consent
    power_of_attorney: bool
    proxy_login: str
    proxy_name: str
    created_at: datetime
    valid_until: date
    window_number: str = ""
    used_case_uuid: str | None = None
    used_case_number: str | None = None
    used_window: str | None = None
    used_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def found_something_missing(self) -> bool:
        """Counts towards the 预审拦截率 a hall reports."""
        return self.outcome is PrereviewOutcome.MISSING


def missing_materials(items: Sequence[ServiceItem], marks: Mapping[str, MaterialMark]) -> tuple[str, ...]:
    """Required materials not present (missing, defective, or only tolerated) at pre-review."""
    out = []
    for row in build_checklist(items):
        mark = marks.get(row.material.key, MaterialMark())
        if row.material.necessity is Necessity.REQUIRED and mark.status not in _PRESENT:
            out.append(row.material.name + (f"（{mark.reason}）" if mark.reason else ""))
    return tuple(out)


def outcome_for(items: Sequence[ServiceItem], marks: Mapping[str, MaterialMark],
                not_hall: bool = False) -> tuple[PrereviewOutcome, tuple[str, ...]]:
    if not_hall:
        return PrereviewOutcome.NOT_HALL, ()
    missing = missing_materials(items, marks)
    return (PrereviewOutcome.MISSING, missing) if missing else (PrereviewOutcome.COMPLETE, ())


def valid_until(created: date, days: int) -> date:
    return created + timedelta(days=days)


def check_usable(prereview: Prereview, item_codes: Sequence[str] | None, today: date) -> None:
    """Raise `PrereviewUnusable` with the reason a clerk reads, or return when it may be used."""
    if prereview.used_case_uuid:
        where = f"（{prereview.used_window} 号窗口，办件 {prereview.used_case_number}）" \
            if prereview.used_case_number else ""
        raise PrereviewUnusable(f"预审 {prereview.number} 已被使用{where}，不能再次使用")
    if today > prereview.valid_until:
        raise PrereviewUnusable(f"预审 {prereview.number} 已于 {prereview.valid_until.isoformat()} 过期，请重新预审")
    if prereview.outcome is PrereviewOutcome.NOT_HALL:
        raise PrereviewUnusable(f"预审 {prereview.number} 的结论为「不属于本大厅事项」")
    if item_codes is not None and set(item_codes) != set(prereview.item_codes):
        raise PrereviewUnusable(f"预审 {prereview.number} 只适用于其预审的事项：{'、'.join(prereview.item_names)}")


def marks_to_json(marks: Mapping[str, MaterialMark]) -> dict[str, Any]:
    return {k: {"status": m.status.value, "original": m.original, "copies": m.copies,
                "license_number": m.license_number, "reason": m.reason} for k, m in marks.items()}


def marks_from_json(data: Mapping[str, Any]) -> dict[str, MaterialMark]:
    return {k: MaterialMark(MaterialStatus(v["status"]), original=v.get("original"), copies=v.get("copies"),
                            license_number=v.get("license_number"), reason=v.get("reason"))
            for k, v in data.items()}
