"""One intake in progress at the window: the items, the checklist as ticked, the applicant.

The UI and tests drive this object; it refuses marks the rules do not allow (with the reason
a clerk can read) and turns the result into a CaseDraft on confirmation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from hallclient.core.cases import Applicant, Case, CaseDraft, ChecklistEntry
from hallclient.core.catalog import Bundle, ItemState, MaterialSource, Necessity, ServiceItem
from hallclient.core.checklist import (
    ChecklistRow,
    DeadlineCalendar,
    DecisionResult,
    MaterialMark,
    MaterialStatus,
    build_checklist,
    decide,
    default_mark,
    refusal,
)
from hallclient.core.prereview import Prereview

# Marks kept when an applicant comes back after a one-time notice; the rest start over.
_KEPT_ON_RETURN = {MaterialStatus.RECEIVED, MaterialStatus.E_LICENSE, MaterialStatus.COMMITMENT,
                   MaterialStatus.NOT_APPLICABLE}


class IntakeNotAllowed(ValueError):
    """The items cannot be taken in (suspended, cancelled, none)."""


def startable(items: Sequence[ServiceItem]) -> None:
    if not items:
        raise IntakeNotAllowed("未选择办理事项")
    for item in items:
        if item.state is ItemState.SUSPENDED:
            raise IntakeNotAllowed(f"事项「{item.name}」已暂停办理，不能受理")
        if item.state is ItemState.CANCELLED:
            raise IntakeNotAllowed(f"事项「{item.name}」已取消，不能受理")


@dataclass
class Intake:
    items: tuple[ServiceItem, ...]
    bundle: Bundle | None = None
    applicant: Applicant = field(default_factory=Applicant)
    marks: dict[str, MaterialMark] = field(default_factory=dict)
    previous_case_uuid: str | None = None
    ticket_number: str | None = None
    rows: list[ChecklistRow] = field(init=False)
    prereview: Prereview | None = None  # 来自预审
    unconfirmed: set[str] = field(default_factory=set)  # pre-filled rows the clerk has not confirmed

    def __post_init__(self) -> None:
        startable(self.items)
        self.rows = build_checklist(self.items)

    @classmethod
    def again_after_notice(cls, case: Case, items: Sequence[ServiceItem], bundle: Bundle | None) -> Intake:
        """A one-time-noticed applicant returns: same applicant, what was fine stays ticked."""
        intake = cls(tuple(items), bundle=bundle, applicant=case.applicant, previous_case_uuid=case.uuid)
        known = {r.material.key for r in intake.rows}
        for entry in case.checklist:
            if entry.key in known and entry.mark.status in _KEPT_ON_RETURN:
                intake.marks[entry.key] = entry.mark
        return intake

    @classmethod
    def from_prereview(cls, prereview: Prereview, items: Sequence[ServiceItem], bundle: Bundle | None,
                       ticket_number: str | None = None) -> Intake:
        """The intake pre-filled from a pre-review (来自预审): its applicant and marks; the clerk
        still confirms each material before deciding (`unconfirmed` lists those not yet seen)."""
        intake = cls(tuple(items), bundle=bundle, applicant=prereview.applicant, ticket_number=ticket_number)
        intake.prereview = prereview
        known = {r.material.key for r in intake.rows}
        for key, mark in prereview.marks.items():
            if key in known and not intake.why_not(key, mark.status):
                intake.marks[key] = mark
        intake.unconfirmed = set(known)
        return intake

    def confirm(self, key: str) -> None:
        """The clerk saw this material (a pre-filled row counts once the clerk touched it)."""
        self.unconfirmed.discard(key)

    @property
    def title(self) -> str:
        return self.bundle.name if self.bundle else "、".join(i.name for i in self.items)

    def row(self, key: str) -> ChecklistRow:
        return next(r for r in self.rows if r.material.key == key)

    def mark(self, key: str) -> MaterialMark:
        """The clerk's mark, else the row's default (本套办理中产生 for what the bundle issues)."""
        if key in self.marks:
            return self.marks[key]
        row = next((r for r in self.rows if r.material.key == key), None)
        return default_mark(row) if row is not None else MaterialMark()

    def why_not(self, key: str, status: MaterialStatus) -> str | None:
        """The reason this status may not be set on this row, or None when it may."""
        row = self.row(key)
        material = row.material
        bad_credit = self.applicant.bad_credit
        if status is MaterialStatus.TOLERATED:
            if material.core:
                return "核心材料不可容缺"
            if not row.tolerance_allowed:
                return "该材料或事项不适用容缺受理"
            if bad_credit:
                return "申请人存在失信记录，不适用容缺受理"
        if status is MaterialStatus.COMMITMENT:
            if not row.commitment_allowed:
                return "该材料或事项不适用告知承诺"
            if bad_credit:
                return "申请人存在失信记录，不适用告知承诺"
        if status is MaterialStatus.NOT_APPLICABLE and material.necessity is Necessity.REQUIRED:
            return "必要材料不能标记为不适用"
        if status is MaterialStatus.E_LICENSE and material.source is MaterialSource.APPLICANT:
            return "该材料不在电子证照库中，须由申请人提交"
        return None

    def set_mark(self, key: str, mark: MaterialMark) -> None:
        problem = self.why_not(key, mark.status)
        if problem:
            raise ValueError(problem)
        self.unconfirmed.discard(key)
        if mark.status is MaterialStatus.RECEIVED and mark.copies is None:
            mark = replace(mark, copies=self.row(key).material.copies)
        self.marks[key] = mark

    def set_applicant(self, applicant: Applicant) -> list[str]:
        """Record the applicant; marks bad credit no longer allows fall back to missing.

        Returns the names of the materials whose marks were reset.
        """
        self.applicant = applicant
        reset = []
        for key, mark in list(self.marks.items()):
            if self.why_not(key, mark.status):
                self.marks[key] = MaterialMark()
                reset.append(self.row(key).material.name)
        return reset

    def result(self, today: date, calendar: DeadlineCalendar | None) -> DecisionResult:
        return decide(self.items, self.marks, bad_credit=self.applicant.bad_credit, accepted_on=today,
                      calendar=calendar, checklist=self.rows)

    def draft(self, result: DecisionResult, *, today: date, window: str, clerk: str) -> CaseDraft:
        return CaseDraft(
            applicant=self.applicant,
            item_codes=tuple(i.code for i in self.items),
            item_names=tuple(i.name for i in self.items),
            bundle_code=self.bundle.code if self.bundle else None,
            bundle_name=self.bundle.name if self.bundle else None,
            checklist=tuple(ChecklistEntry(r.material.key, r.material.name, self.mark(r.material.key))
                            for r in self.rows),
            result=result, accepted_on=today, window_number=window, clerk_name=clerk,
            ticket_number=self.ticket_number, previous_case_uuid=self.previous_case_uuid,
            prereview_number=self.prereview.number if self.prereview else None,
        )

    def refusal_draft(self, reason: str, *, today: date, window: str, clerk: str) -> CaseDraft:
        return self.draft(refusal(reason), today=today, window=window, clerk=clerk)
