"""The decision engine at the window: the (merged) checklist and accept / tolerate / notify / refuse.

Pure functions over catalog data (`hallclient.core.catalog`) and the clerk's marks. Working days
come from any object with ``add_working_days`` (`DeadlineCalendar`); a calendar that does not know
a year raises `LookupError`, and the deadline then stays open: it is never guessed.

Rules: what each material field means for the decision (core, tolerable, commitment,
e-license, supplement periods) is in docs/catalog-format.md; time limits count working days
from the acceptance date; a bundle is one merged list on the strictest terms (docs/catalog-format.md,
"A bundle"); the case states the decisions lead to are in docs/state-machines.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum
from typing import Any, Protocol

from hallclient.core.catalog import ItemState, Material, MaterialSource, Necessity, ServiceItem


class MaterialStatus(StrEnum):
    RECEIVED = "received"
    E_LICENSE = "e_license"
    COMMITMENT = "commitment"
    TOLERATED = "tolerated"
    MISSING = "missing"
    DEFECTIVE = "defective"
    NOT_APPLICABLE = "not_applicable"
    PRODUCED = "produced_in_bundle"  # issued by another item of the same bundle


MATERIAL_STATUS_LABELS: dict[MaterialStatus, str] = {
    MaterialStatus.RECEIVED: "已收取",
    MaterialStatus.E_LICENSE: "电子证照调取",
    MaterialStatus.COMMITMENT: "告知承诺替代",
    MaterialStatus.TOLERATED: "容缺后补",
    MaterialStatus.MISSING: "缺少",
    MaterialStatus.DEFECTIVE: "不符合要求",
    MaterialStatus.NOT_APPLICABLE: "不适用",
    MaterialStatus.PRODUCED: "本套办理中产生",
}


@dataclass(frozen=True)
class MaterialMark:
    """What the clerk recorded for one material key."""

    status: MaterialStatus = MaterialStatus.MISSING
    original: bool | None = None  # received as 原件 (True) or 复印件 (False)
    copies: int | None = None  # copies received
    license_number: str | None = None  # e-license number when fetched
    reason: str | None = None  # defective reason (the applicant reads it) / not-applicable reason


class Decision(StrEnum):
    ACCEPT = "accept"
    ACCEPT_WITH_TOLERANCE = "accept_with_tolerance"
    ONE_TIME_NOTICE = "one_time_notice"
    REFUSE = "refuse"


class RefusalGround(StrEnum):
    """Why an application is not accepted; the refusal decision cites the matching clause."""

    NOT_LICENSING = "not_licensing"  # 行政许可法 第三十二条第一款第（一）项
    NOT_COMPETENT = "not_competent"  # 第（二）项: told which body to apply to
    OTHER = "other"  # not in the catalog, suspended…: the hall's own basis (a setting)


DECISION_LABELS: dict[Decision, str] = {
    Decision.ACCEPT: "受理",
    Decision.ACCEPT_WITH_TOLERANCE: "容缺受理",
    Decision.ONE_TIME_NOTICE: "一次性告知",
    Decision.REFUSE: "不予受理",
}


@dataclass(frozen=True)
class ChecklistRow:
    """One line of the checklist: a material (merged over a bundle) and what may stand in for it."""

    material: Material  # merged, strictest terms
    item_codes: tuple[str, ...]  # the items that need it
    tolerance_allowed: bool  # material tolerable (not core) AND every item needing it allows 容缺
    commitment_allowed: bool  # material.commitment AND every item needing it allows 告知承诺
    supplement_days: int | None  # effective 补正 period (None where tolerance is not allowed)
    # The code of the bundle item that issues this material (本套办理中产生), if any.
    produced_by: str | None = None


class DeadlineCalendar(Protocol):
    def add_working_days(self, start: date, days: int) -> date: ...


@dataclass(frozen=True)
class ToleratedMaterial:
    key: str
    name: str
    supplement_days: int | None
    supplement_by: date | None


@dataclass(frozen=True)
class ItemDeadline:
    """One item's own limit and due date (a bundle prints each besides the bundle's)."""

    code: str
    name: str
    limit_days: int | None
    due_date: date | None


@dataclass(frozen=True)
class RowProblem:
    key: str
    name: str
    message: str  # why this row is outstanding, in Chinese (printed on the one-time notice)


@dataclass(frozen=True)
class DecisionResult:
    decision: Decision
    reasons: tuple[str, ...]
    missing: tuple[str, ...] = ()
    defective: tuple[str, ...] = ()
    problems: tuple[RowProblem, ...] = ()
    tolerated: tuple[ToleratedMaterial, ...] = ()
    commitments: tuple[str, ...] = ()
    e_licenses: tuple[str, ...] = ()
    due_date: date | None = None
    deadline_problem: str | None = None
    produced: tuple[str, ...] = ()  # keys issued by another item of the bundle
    item_deadlines: tuple[ItemDeadline, ...] = ()
    refusal_ground: RefusalGround | None = None
    competent_body: str | None = None  # where to apply instead (NOT_COMPETENT)

    def to_json(self) -> dict[str, Any]:
        open_reason = None
        if self.due_date is None and self.decision in (Decision.ACCEPT, Decision.ACCEPT_WITH_TOLERANCE):
            open_reason = self.deadline_problem or "办结日期暂无法计算"
        return {
            "decision": self.decision.value,
            "reasons": list(self.reasons),
            "missing": list(self.missing),
            "defective": list(self.defective),
            "tolerated": [
                {"key": t.key, "supplement_by": _iso(t.supplement_by)} for t in self.tolerated
            ],
            "commitments": list(self.commitments),
            "e_licenses": list(self.e_licenses),
            "produced": list(self.produced),
            "due_date": _iso(self.due_date),
            "due_date_open_reason": open_reason,
            "deadline_problem": self.deadline_problem,
            "items": [
                {"code": d.code, "name": d.name, "limit_days": d.limit_days, "due_date": _iso(d.due_date)}
                for d in self.item_deadlines
            ],
            "refusal_ground": self.refusal_ground.value if self.refusal_ground else None,
            "competent_body": self.competent_body,
        }


# --- the checklist ----------------------------------------------------------------------------

_NECESSITY_RANK = {Necessity.OPTIONAL: 0, Necessity.CONDITIONAL: 1, Necessity.REQUIRED: 2}
# Stricter forms rank higher; a form text outside this list ranks lowest.
_FORM_RANK = {"电子": 1, "复印件": 2, "原件": 3, "原件和复印件": 4}
_ORIGINAL_FORMS = frozenset({"原件", "原件和复印件"})
# A material the applicant must bring is stricter than one a government body issues, which is
# stricter than one the e-license library holds.
_SOURCE_RANK = {
    MaterialSource.E_LICENSE: 0,
    MaterialSource.GOVERNMENT: 1,
    MaterialSource.APPLICANT: 2,
}


def build_checklist(items: Sequence[ServiceItem]) -> list[ChecklistRow]:
    """The checklist of one item, or the merged checklist of a bundle (first-seen key order).

    A material another item of the same bundle issues (its `produced_by`) is marked on its row;
    the decision counts it as 本套办理中产生 unless the clerk marks it otherwise.
    """
    groups: dict[str, list[tuple[ServiceItem, Material]]] = {}
    distinct = _distinct_items(items)
    for item in distinct:
        for material in item.materials:
            groups.setdefault(material.key, []).append((item, material))
    codes = {item.code for item in distinct}
    return [_merge_row(pairs, codes) for pairs in groups.values()]


def default_mark(row: ChecklistRow) -> MaterialMark:
    """The mark a row starts with: 本套办理中产生 for a material the bundle itself issues."""
    return MaterialMark(MaterialStatus.PRODUCED) if row.produced_by else MaterialMark()


def _distinct_items(items: Sequence[ServiceItem]) -> list[ServiceItem]:
    seen: dict[str, ServiceItem] = {}
    for item in items:
        seen.setdefault(item.code, item)
    return list(seen.values())


def _item_limit(item: ServiceItem) -> int | None:
    """The item's completion limit in working days: promised, else legal, else unknown."""
    if item.promised_limit_days is not None:
        return item.promised_limit_days
    return item.legal_limit_days


def _min_or_none(values: Sequence[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return min(known) if known else None


def _join_distinct(texts: Sequence[str | None]) -> str | None:
    distinct = list(dict.fromkeys(t.strip() for t in texts if t and t.strip()))
    return "；".join(distinct) if distinct else None


def _merge_row(pairs: list[tuple[ServiceItem, Material]], codes: set[str]) -> ChecklistRow:
    items = list({item.code: item for item, _ in pairs}.values())
    mats = [m for _, m in pairs]
    first = mats[0]
    core = any(m.core for m in mats)
    forms = [m.form for m in mats if m.form]
    copies = [m.copies for m in mats if m.copies is not None]
    material = Material(
        key=first.key,
        name=first.name,
        necessity=max((Necessity(m.necessity) for m in mats), key=_NECESSITY_RANK.__getitem__),
        core=core,
        form=max(forms, key=lambda f: _FORM_RANK.get(f.strip(), 0)) if forms else None,
        copies=max(copies) if copies else None,
        source=max((MaterialSource(m.source) for m in mats), key=_SOURCE_RANK.__getitem__),
        tolerable=not core and all(m.tolerable for m in mats),
        supplement_days=_min_or_none([m.supplement_days for m in mats]),
        commitment=all(m.commitment for m in mats),
        standard=_join_distinct([m.standard for m in mats]),
        note=_join_distinct([m.note for m in mats]),
        basis=_join_distinct([m.basis for m in mats]),
        produced_by=next((m.produced_by for m in mats if m.produced_by), None),
    )
    producer = next((m.produced_by for m in mats if m.produced_by in codes), None)
    tolerance_allowed = material.tolerable and all(item.tolerance_allowed for item in items)
    supplement_days = None
    if tolerance_allowed:
        cap = _min_or_none([_item_limit(item) for item in items])
        supplement_days = _min_or_none([material.supplement_days, cap])
    return ChecklistRow(
        material=material,
        item_codes=tuple(item.code for item in items),
        tolerance_allowed=tolerance_allowed,
        commitment_allowed=material.commitment and all(i.commitment_allowed for i in items),
        supplement_days=supplement_days,
        produced_by=producer,
    )


def requires_original(form: str | None) -> bool:
    """Whether a material's form demands an original (原件 or 原件和复印件)."""
    return form is not None and form.strip() in _ORIGINAL_FORMS


# --- assessing one row ------------------------------------------------------------------------


class _Outcome(Enum):
    PRESENT = "present"
    E_LICENSE = "e_license"
    COMMITMENT = "commitment"
    TOLERATED = "tolerated"
    NOT_NEEDED = "not_needed"
    MISSING = "missing"
    DEFECTIVE = "defective"
    PRODUCED = "produced"


@dataclass(frozen=True)
class _Assessment:
    outcome: _Outcome
    message: str | None = None


_NOT_NEEDED = _Assessment(_Outcome.NOT_NEEDED)
_TOLERANCE_NEEDS_ACCEPTANCE = "存在其他需要补正的材料，不能容缺受理，该材料须一并提交"


def _missing(material: Material, message: str) -> _Assessment:
    if material.necessity == Necessity.OPTIONAL:
        return _NOT_NEEDED  # a missing optional material does not matter
    return _Assessment(_Outcome.MISSING, message)


def _assess(row: ChecklistRow, mark: MaterialMark, bad_credit: bool) -> _Assessment:
    material = row.material
    status = MaterialStatus(mark.status)
    if status is MaterialStatus.RECEIVED:
        defects = []
        if requires_original(material.form) and mark.original is False:
            defects.append("须提供原件")
        if material.copies and mark.copies is not None and mark.copies < material.copies:
            defects.append(f"份数不足：需 {material.copies} 份，收到 {mark.copies} 份")
        if defects:
            return _Assessment(_Outcome.DEFECTIVE, "；".join(defects))
        return _Assessment(_Outcome.PRESENT)
    if status is MaterialStatus.E_LICENSE:
        if material.source == MaterialSource.APPLICANT:
            return _missing(material, "该材料须由申请人提交，不能通过电子证照调取")
        return _Assessment(_Outcome.E_LICENSE)
    if status is MaterialStatus.COMMITMENT:
        if not row.commitment_allowed:
            return _missing(material, "该材料不适用告知承诺")
        if bad_credit:
            return _missing(material, "申请人存在失信记录，不适用告知承诺")
        return _Assessment(_Outcome.COMMITMENT)
    if status is MaterialStatus.TOLERATED:
        if material.core:
            return _missing(material, "核心材料不可容缺")
        if not row.tolerance_allowed:
            return _missing(material, "该材料不可容缺")
        if bad_credit:
            return _missing(material, "申请人存在失信记录，不适用容缺受理")
        return _Assessment(_Outcome.TOLERATED)
    if status is MaterialStatus.DEFECTIVE:
        reason = (mark.reason or "").strip()
        return _Assessment(_Outcome.DEFECTIVE, reason or "材料不符合要求")
    if status is MaterialStatus.PRODUCED:
        if not row.produced_by:
            return _missing(material, "该材料不由本次一并办理的事项产生，须由申请人提交")
        return _Assessment(_Outcome.PRODUCED)
    if status is MaterialStatus.NOT_APPLICABLE:
        if material.necessity == Necessity.REQUIRED:
            return _missing(material, "必要材料不能标记为不适用")
        return _NOT_NEEDED
    # MISSING, or no mark at all
    if row.produced_by:
        return _Assessment(_Outcome.PRODUCED)  # never the applicant's to bring
    if material.necessity == Necessity.CONDITIONAL and material.note:
        return _missing(material, f"未提交该材料（适用情形：{material.note}）")
    return _missing(material, "未提交该材料")


# --- deciding ---------------------------------------------------------------------------------

_STATE_TEXT = {ItemState.SUSPENDED: "已暂停办理", ItemState.CANCELLED: "已取消"}


def refusal(
    reason: str, ground: RefusalGround = RefusalGround.OTHER, competent_body: str | None = None
) -> DecisionResult:
    """不予受理 with the given reason (not within this body's scope, not in the catalog, …).

    `ground` selects the clause the refusal decision cites; NOT_COMPETENT names the body the
    applicant should apply to (行政许可法 第三十二条第一款第（二）项).
    """
    if not reason or not reason.strip():
        raise ValueError("不予受理须说明理由")
    ground = RefusalGround(ground)
    body = (competent_body or "").strip() or None
    if ground is RefusalGround.NOT_COMPETENT and body is None:
        raise ValueError("不属于本机关职权范围的，须告知申请人向有关行政机关申请")
    return DecisionResult(decision=Decision.REFUSE, reasons=(reason.strip(),), refusal_ground=ground,
                          competent_body=body)


def decide(
    items: Sequence[ServiceItem],
    marks: Mapping[str, MaterialMark],
    *,
    bad_credit: bool = False,
    accepted_on: date,
    calendar: DeadlineCalendar | None,
    checklist: Sequence[ChecklistRow] | None = None,
) -> DecisionResult:
    """Decide on an application: the items applied for (one, or a bundle) and the clerk's marks.

    Raises ValueError when a mark names a key that is not on the checklist.
    """
    if not items:
        return refusal("未选择办理事项，不能受理")
    distinct = _distinct_items(items)
    rows = list(checklist) if checklist is not None else build_checklist(distinct)
    _check_inputs(distinct, rows, marks)

    inactive = [item for item in distinct if item.state != ItemState.ACTIVE]
    if inactive:
        return DecisionResult(
            decision=Decision.REFUSE,
            reasons=tuple(
                f"事项「{item.name}」{_STATE_TEXT.get(ItemState(item.state), '不在办理状态')}，不能受理"
                for item in inactive
            ),
            refusal_ground=RefusalGround.OTHER,
        )

    assessed = [
        (row, _assess(row, marks.get(row.material.key, MaterialMark()), bad_credit)) for row in rows
    ]
    commitments = _keys(assessed, _Outcome.COMMITMENT)
    e_licenses = _keys(assessed, _Outcome.E_LICENSE)
    produced = _keys(assessed, _Outcome.PRODUCED)
    if any(a.outcome in (_Outcome.MISSING, _Outcome.DEFECTIVE) for _, a in assessed):
        return _one_time_notice(assessed, commitments, e_licenses)

    deadlines = _Deadlines(calendar, accepted_on)
    limit, due = deadlines.due(distinct)
    item_deadlines = tuple(
        ItemDeadline(item.code, item.name, _item_limit(item), deadlines.item_due(item))
        for item in distinct
    )
    by_code = {item.code: item for item in distinct}
    tolerated: list[ToleratedMaterial] = []
    for row, a in assessed:
        if a.outcome is _Outcome.TOLERATED:
            # The row may come from elsewhere (a pre-review, a stored intake): cap its period
            # here again at the shortest limit of the items needing it, and its date at their
            # due date: a 补正 deadline never passes the promised completion.
            needing = [by_code[c] for c in row.item_codes if c in by_code] or distinct
            cap = _min_or_none([_item_limit(item) for item in needing])
            days = _min_or_none([row.supplement_days, cap])
            by = deadlines.supplement_by(row.material.name, days)
            ceilings = [d.due_date for d in item_deadlines
                        if d.code in row.item_codes and d.due_date is not None]
            if due is not None:
                ceilings.append(due)
            if by is not None and ceilings:
                by = min(by, *ceilings)
            tolerated.append(ToleratedMaterial(row.material.key, row.material.name, days, by))

    reasons: list[str] = []
    if tolerated:
        decision = Decision.ACCEPT_WITH_TOLERANCE
        reasons.append(
            "核心材料齐全，以下材料容缺受理，申请人须在补正期限内补齐，逾期未补正的按退件处理："
        )
        reasons.extend(_tolerated_sentence(t) for t in tolerated)
    else:
        decision = Decision.ACCEPT
        reasons.append("申请材料齐全、符合法定形式，予以受理。")
    names = {row.material.key: row.material.name for row in rows}
    if e_licenses:
        reasons.append(f"以下材料已通过电子证照调取，免予提交：{_quoted(e_licenses, names)}。")
    if commitments:
        reasons.append(f"以下材料以告知承诺替代，受理后将依法核查：{_quoted(commitments, names)}。")
    if produced:
        reasons.append(f"以下材料由本次一并办理的事项产生，无需申请人提交：{_quoted(produced, names)}。")
    if due is not None and limit is not None:
        reasons.append(
            "即办件，当场办结。"
            if limit == 0
            else f"承诺在 {limit} 个工作日内办结，即{_cn_date(due)}前办结。"
        )
    return DecisionResult(
        decision=decision,
        reasons=tuple(reasons),
        tolerated=tuple(tolerated),
        commitments=commitments,
        e_licenses=e_licenses,
        due_date=due,
        deadline_problem=deadlines.problem(),
        produced=produced,
        item_deadlines=item_deadlines if len(distinct) > 1 else (),
    )


def _check_inputs(
    items: list[ServiceItem], rows: list[ChecklistRow], marks: Mapping[str, MaterialMark]
) -> None:
    codes = {item.code for item in items}
    foreign = sorted({c for row in rows for c in row.item_codes} - codes)
    if foreign:
        raise ValueError(f"材料清单与所选事项不一致：事项 {'、'.join(foreign)} 未被选择")
    keys = {row.material.key for row in rows}
    unknown = [key for key in marks if key not in keys]
    if unknown:
        raise ValueError(f"材料 {'、'.join(unknown)} 不在本次办理的材料清单中")


def _keys(assessed: list[tuple[ChecklistRow, _Assessment]], outcome: _Outcome) -> tuple[str, ...]:
    return tuple(row.material.key for row, a in assessed if a.outcome is outcome)


def _one_time_notice(
    assessed: list[tuple[ChecklistRow, _Assessment]],
    commitments: tuple[str, ...],
    e_licenses: tuple[str, ...],
) -> DecisionResult:
    missing: list[str] = []
    defective: list[str] = []
    problems: list[RowProblem] = []
    for row, a in assessed:
        key, name = row.material.key, row.material.name
        if a.outcome is _Outcome.DEFECTIVE:
            defective.append(key)
        elif a.outcome is _Outcome.MISSING:
            missing.append(key)
        elif a.outcome is _Outcome.TOLERATED:
            # Tolerance exists only with acceptance: here it is one more thing to bring.
            missing.append(key)
            a = _Assessment(_Outcome.MISSING, _TOLERANCE_NEEDS_ACCEPTANCE)
        else:
            continue
        problems.append(RowProblem(key, name, a.message or "未提交该材料"))
    reasons = (
        "申请材料不齐全或不符合法定形式，现一次性告知需要补正的全部材料：",
        *(f"「{p.name}」：{p.message}" for p in problems),
    )
    return DecisionResult(
        decision=Decision.ONE_TIME_NOTICE,
        reasons=reasons,
        missing=tuple(missing),
        defective=tuple(defective),
        problems=tuple(problems),
        commitments=commitments,
        e_licenses=e_licenses,
    )


class _Deadlines:
    """Working-day arithmetic that records, instead of raising, why a date stays open."""

    def __init__(self, calendar: DeadlineCalendar | None, accepted_on: date) -> None:
        self._calendar = calendar
        self._start = accepted_on
        self._problems: list[str] = []

    def _note(self, message: str) -> None:
        if message not in self._problems:
            self._problems.append(message)

    def add(self, days: int) -> date | None:
        if days == 0:
            return self._start  # 即办件: due the day it is accepted
        if self._calendar is None:
            self._note("未配置工作日历")
            return None
        try:
            return self._calendar.add_working_days(self._start, days)
        except LookupError as error:
            self._note(str(error) or "工作日历缺少所需年份，期限暂无法计算")
            return None

    def due(self, items: list[ServiceItem]) -> tuple[int | None, date | None]:
        unknown = [item for item in items if _item_limit(item) is None]
        for item in unknown:
            self._note(f"事项「{item.name}」未设定办结时限，无法计算办结日期")
        if unknown:
            return None, None
        limit = max(_item_limit(item) or 0 for item in items)
        return limit, self.add(limit)

    def item_due(self, item: ServiceItem) -> date | None:
        limit = _item_limit(item)
        return None if limit is None else self.add(limit)

    def supplement_by(self, name: str, days: int | None) -> date | None:
        if days is None:
            self._note(f"材料「{name}」未设定补正期限，无法计算补正截止日期")
            return None
        return self.add(days)

    def problem(self) -> str | None:
        return "；".join(self._problems) or None


def _tolerated_sentence(t: ToleratedMaterial) -> str:
    if t.supplement_by is not None:
        return f"「{t.name}」：{_cn_date(t.supplement_by)}前补正（{t.supplement_days} 个工作日）"
    if t.supplement_days is not None:
        return f"「{t.name}」：{t.supplement_days} 个工作日内补正（截止日期待定）"
    return f"「{t.name}」：补正期限待定"


def _quoted(keys: tuple[str, ...], names: Mapping[str, str]) -> str:
    return "、".join(f"「{names[key]}」" for key in keys)


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None
