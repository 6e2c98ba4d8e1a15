"""The decision engine: checklists, merged bundle checklists, decisions, deadlines, properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hallclient.core.catalog import (
    ItemState,
    ItemType,
    Material,
    MaterialSource,
    Necessity,
    ServiceItem,
)
from hallclient.core.checklist import (
    DECISION_LABELS,
    MATERIAL_STATUS_LABELS,
    ChecklistRow,
    Decision,
    DecisionResult,
    MaterialMark,
    MaterialStatus,
    ToleratedMaterial,
    build_checklist,
    decide,
    refusal,
)

S = MaterialStatus
REQ, COND, OPT = Necessity.REQUIRED, Necessity.CONDITIONAL, Necessity.OPTIONAL
RANK = {
    Decision.REFUSE: 0,
    Decision.ONE_TIME_NOTICE: 1,
    Decision.ACCEPT_WITH_TOLERANCE: 2,
    Decision.ACCEPT: 3,
}


class FakeCalendar:
    """Weekends off, plus configurable holidays and make-up working days; some years unknown."""

    def __init__(
        self,
        holidays: set[date] | frozenset[date] = frozenset(),
        workdays: set[date] | frozenset[date] = frozenset(),
        unknown_years: set[int] | frozenset[int] = frozenset(),
    ) -> None:
        self.holidays = set(holidays)
        self.workdays = set(workdays)
        self.unknown_years = set(unknown_years)
        self.calls: list[tuple[date, int]] = []

    def _working(self, d: date) -> bool:
        if d.year in self.unknown_years:
            raise LookupError(f"{d.year} 年的节假日安排尚未载入")
        if d in self.workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays

    def add_working_days(self, start: date, days: int) -> date:
        self.calls.append((start, days))
        self._working(start)
        d, counted = start, 0
        while counted < days:
            d += timedelta(days=1)
            if self._working(d):
                counted += 1
        return d


# 2026's National Day holiday (the State Council's notice): 10-01..10-07 off, Saturday 10-10 a make-up working day.
NATIONAL_DAY = FakeCalendar(
    holidays={date(2026, 10, d) for d in range(1, 8)}, workdays={date(2026, 10, 10)}
)
MONDAY = date(2026, 9, 28)


def mat(key: str, necessity: Necessity = REQ, **kw: object) -> Material:
    return Material(key=key, name=kw.pop("name", f"材料{key}"), necessity=necessity, **kw)  # type: ignore[arg-type]


def item(code: str = "I1", materials: tuple[Material, ...] = (), **kw: object) -> ServiceItem:
    base: dict[str, object] = dict(
        name=f"事项{code}",
        item_type=ItemType.LICENSING,
        department="信阳高新区行政审批局",
        version=1,
        promised_limit_days=10,
        legal_limit_days=20,
        tolerance_allowed=True,
        commitment_allowed=True,
    )
    base.update(kw)
    return ServiceItem(code=code, materials=materials, **base)  # type: ignore[arg-type]


APPLICATION = mat("application", core=True, form="原件", copies=2, name="申请书")
ID_CARD = mat("id_card", form="复印件", source=MaterialSource.E_LICENSE, name="身份证")
LICENSE = mat("license", source=MaterialSource.GOVERNMENT, commitment=True, name="营业执照")
LEASE = mat("lease", tolerable=True, supplement_days=5, name="租赁合同")
PROXY = mat("proxy", COND, note="委托他人办理的提供", name="授权委托书")
PHOTO = mat("photo", OPT, name="门头照片")
SHOP = item(materials=(APPLICATION, ID_CARD, LICENSE, LEASE, PROXY, PHOTO))

COMPLETE: dict[str, MaterialMark] = {
    "application": MaterialMark(S.RECEIVED, original=True, copies=2),
    "id_card": MaterialMark(S.RECEIVED, original=False, copies=1),
    "license": MaterialMark(S.RECEIVED),
    "lease": MaterialMark(S.RECEIVED),
    "proxy": MaterialMark(S.NOT_APPLICABLE, reason="申请人本人办理"),
}
UNMARKED = object()  # in a table row: remove the key's mark


def run(
    overrides: dict[str, object],
    *,
    shop: ServiceItem = SHOP,
    bad_credit: bool = False,
    calendar: FakeCalendar | None = NATIONAL_DAY,
) -> DecisionResult:
    marks = dict(COMPLETE)
    for key, mark in overrides.items():
        if isinstance(mark, MaterialMark):
            marks[key] = mark
        else:
            assert mark is UNMARKED
            marks.pop(key, None)
    return decide([shop], marks, bad_credit=bad_credit, accepted_on=MONDAY, calendar=calendar)


# --- the decision table: one row per rule -------------------------------------------------------

# (rule, overrides, bad_credit, decision, missing, defective, message of the one problem or None)
# fmt: off
TABLE: list[tuple[str, dict[str, object], bool, Decision, tuple[str, ...], tuple[str, ...], str | None]] = [
    ("all present", {}, False, Decision.ACCEPT, (), (), None),
    ("no mark counts as missing", {"lease": UNMARKED}, False,
     Decision.ONE_TIME_NOTICE, ("lease",), (), "未提交该材料"),
    ("explicit missing", {"lease": MaterialMark(S.MISSING)}, False,
     Decision.ONE_TIME_NOTICE, ("lease",), (), "未提交该材料"),
    ("copy where an original is required", {"application": MaterialMark(S.RECEIVED, original=False)}, False,
     Decision.ONE_TIME_NOTICE, (), ("application",), "须提供原件"),
    ("too few copies", {"application": MaterialMark(S.RECEIVED, original=True, copies=1)}, False,
     Decision.ONE_TIME_NOTICE, (), ("application",), "份数不足：需 2 份，收到 1 份"),
    ("copy and too few copies", {"application": MaterialMark(S.RECEIVED, original=False, copies=0)}, False,
     Decision.ONE_TIME_NOTICE, (), ("application",), "须提供原件；份数不足：需 2 份，收到 0 份"),
    ("copy is fine where a copy is asked", {"id_card": MaterialMark(S.RECEIVED, original=False)}, False,
     Decision.ACCEPT, (), (), None),
    ("e-license from the library", {"id_card": MaterialMark(S.E_LICENSE, license_number="X1")}, False,
     Decision.ACCEPT, (), (), None),
    ("e-license of a government-issued material", {"license": MaterialMark(S.E_LICENSE)}, False,
     Decision.ACCEPT, (), (), None),
    ("e-license of an applicant material is invalid", {"lease": MaterialMark(S.E_LICENSE)}, False,
     Decision.ONE_TIME_NOTICE, ("lease",), (), "该材料须由申请人提交，不能通过电子证照调取"),
    ("commitment where allowed", {"license": MaterialMark(S.COMMITMENT)}, False,
     Decision.ACCEPT, (), (), None),
    ("commitment where the material does not allow it", {"lease": MaterialMark(S.COMMITMENT)}, False,
     Decision.ONE_TIME_NOTICE, ("lease",), (), "该材料不适用告知承诺"),
    ("commitment with bad credit", {"license": MaterialMark(S.COMMITMENT)}, True,
     Decision.ONE_TIME_NOTICE, ("license",), (), "申请人存在失信记录，不适用告知承诺"),
    ("tolerated where allowed", {"lease": MaterialMark(S.TOLERATED)}, False,
     Decision.ACCEPT_WITH_TOLERANCE, (), (), None),
    ("core material tolerated", {"application": MaterialMark(S.TOLERATED)}, False,
     Decision.ONE_TIME_NOTICE, ("application",), (), "核心材料不可容缺"),
    ("non-tolerable material tolerated", {"id_card": MaterialMark(S.TOLERATED)}, False,
     Decision.ONE_TIME_NOTICE, ("id_card",), (), "该材料不可容缺"),
    ("tolerated with bad credit", {"lease": MaterialMark(S.TOLERATED)}, True,
     Decision.ONE_TIME_NOTICE, ("lease",), (), "申请人存在失信记录，不适用容缺受理"),
    ("defective with a reason", {"lease": MaterialMark(S.DEFECTIVE, reason="租赁期已届满")}, False,
     Decision.ONE_TIME_NOTICE, (), ("lease",), "租赁期已届满"),
    ("defective without a reason", {"lease": MaterialMark(S.DEFECTIVE)}, False,
     Decision.ONE_TIME_NOTICE, (), ("lease",), "材料不符合要求"),
    ("not applicable on a required material", {"lease": MaterialMark(S.NOT_APPLICABLE, reason="无")}, False,
     Decision.ONE_TIME_NOTICE, ("lease",), (), "必要材料不能标记为不适用"),
    ("conditional without a mark", {"proxy": UNMARKED}, False,
     Decision.ONE_TIME_NOTICE, ("proxy",), (), "未提交该材料（适用情形：委托他人办理的提供）"),
    ("conditional received", {"proxy": MaterialMark(S.RECEIVED)}, False,
     Decision.ACCEPT, (), (), None),
    ("optional missing does not matter", {"photo": MaterialMark(S.MISSING)}, False,
     Decision.ACCEPT, (), (), None),
    ("optional with an invalid mark does not matter", {"photo": MaterialMark(S.TOLERATED)}, False,
     Decision.ACCEPT, (), (), None),
    ("optional not applicable", {"photo": MaterialMark(S.NOT_APPLICABLE, reason="无门店")}, False,
     Decision.ACCEPT, (), (), None),
]
# fmt: on


@pytest.mark.parametrize(
    ("rule", "overrides", "bad_credit", "decision", "missing", "defective", "message"),
    TABLE,
    ids=[row[0] for row in TABLE],
)
def test_decision_table(
    rule: str,
    overrides: dict[str, object],
    bad_credit: bool,
    decision: Decision,
    missing: tuple[str, ...],
    defective: tuple[str, ...],
    message: str | None,
) -> None:
    result = run(overrides, bad_credit=bad_credit)
    assert result.decision is decision
    assert result.missing == missing
    assert result.defective == defective
    if message is None:
        assert result.problems == ()
    else:
        assert [p.message for p in result.problems] == [message]
        assert any(message in reason for reason in result.reasons)


def test_item_without_tolerance_consent_blocks_tolerance() -> None:
    result = run({"lease": MaterialMark(S.TOLERATED)}, shop=replace(SHOP, tolerance_allowed=False))
    assert result.decision is Decision.ONE_TIME_NOTICE
    assert [p.message for p in result.problems] == ["该材料不可容缺"]


def test_item_without_commitment_consent_blocks_commitment() -> None:
    result = run(
        {"license": MaterialMark(S.COMMITMENT)}, shop=replace(SHOP, commitment_allowed=False)
    )
    assert result.missing == ("license",)
    assert [p.message for p in result.problems] == ["该材料不适用告知承诺"]


def test_accept_records_e_licenses_and_commitments() -> None:
    result = run({"id_card": MaterialMark(S.E_LICENSE), "license": MaterialMark(S.COMMITMENT)})
    assert result.decision is Decision.ACCEPT
    assert result.e_licenses == ("id_card",)
    assert result.commitments == ("license",)
    assert result.reasons[0] == "申请材料齐全、符合法定形式，予以受理。"
    assert any("「身份证」" in r and "电子证照" in r for r in result.reasons)
    assert any("「营业执照」" in r and "核查" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("state", "text"), [(ItemState.SUSPENDED, "已暂停办理"), (ItemState.CANCELLED, "已取消")]
)
def test_inactive_item_is_refused(state: ItemState, text: str) -> None:
    result = run({}, shop=replace(SHOP, state=state))
    assert result.decision is Decision.REFUSE
    assert result.reasons == (f"事项「事项I1」{text}，不能受理",)
    assert result.due_date is None


def test_bundle_with_one_inactive_item_is_refused_naming_it() -> None:
    other = item("I2", (mat("x"),), name="卫生许可", state=ItemState.SUSPENDED)
    result = decide(
        [SHOP, other],
        {**COMPLETE, "x": MaterialMark(S.RECEIVED)},
        accepted_on=MONDAY,
        calendar=NATIONAL_DAY,
    )
    assert result.decision is Decision.REFUSE
    assert result.reasons == ("事项「卫生许可」已暂停办理，不能受理",)


def test_empty_item_list_is_refused() -> None:
    result = decide([], {}, accepted_on=MONDAY, calendar=NATIONAL_DAY)
    assert result.decision is Decision.REFUSE
    assert result.reasons


def test_mark_for_unknown_key_raises_naming_it() -> None:
    with pytest.raises(ValueError, match="no_such_key"):
        decide(
            [SHOP],
            {**COMPLETE, "no_such_key": MaterialMark(S.RECEIVED)},
            accepted_on=MONDAY,
            calendar=NATIONAL_DAY,
        )


def test_refusal_carries_the_reason() -> None:
    result = refusal("不属于本机关职权范围")
    assert result.decision is Decision.REFUSE
    assert result.reasons == ("不属于本机关职权范围",)
    assert result.to_json()["decision"] == "refuse"
    with pytest.raises(ValueError):
        refusal("  ")


def test_one_time_notice_lists_everything_at_once() -> None:
    result = run(
        {
            "application": MaterialMark(S.RECEIVED, original=False, copies=2),
            "id_card": UNMARKED,
            "license": MaterialMark(S.COMMITMENT),
            "lease": MaterialMark(S.TOLERATED),  # valid tolerance, but no acceptance: listed too
            "proxy": UNMARKED,
        },
        bad_credit=False,
    )
    assert result.decision is Decision.ONE_TIME_NOTICE
    assert result.missing == ("id_card", "lease", "proxy")
    assert result.defective == ("application",)
    assert [p.key for p in result.problems] == ["application", "id_card", "lease", "proxy"]
    assert result.tolerated == ()
    assert result.commitments == ("license",)
    assert result.due_date is None and result.deadline_problem is None
    for name in ("申请书", "身份证", "租赁合同", "授权委托书"):
        assert any(f"「{name}」" in r for r in result.reasons)
    assert "一并提交" in result.problems[2].message


def test_accept_with_tolerance_names_each_material_and_deadline() -> None:
    shop = replace(SHOP, materials=(*SHOP.materials, mat("plan", tolerable=True, name="平面图")))
    result = run({"lease": MaterialMark(S.TOLERATED), "plan": MaterialMark(S.TOLERATED)}, shop=shop)
    assert result.decision is Decision.ACCEPT_WITH_TOLERANCE
    assert result.tolerated == (
        ToleratedMaterial("lease", "租赁合同", 5, date(2026, 10, 10)),  # make-up Saturday counts
        ToleratedMaterial("plan", "平面图", 10, date(2026, 10, 16)),  # no period: promised limit
    )
    assert any("「租赁合同」" in r and "2026年10月10日" in r for r in result.reasons)
    assert any("「平面图」" in r and "2026年10月16日" in r for r in result.reasons)
    assert result.due_date == date(2026, 10, 16)
    assert result.to_json() == {
        "decision": "accept_with_tolerance",
        "reasons": list(result.reasons),
        "missing": [],
        "defective": [],
        "tolerated": [
            {"key": "lease", "supplement_by": "2026-10-10"},
            {"key": "plan", "supplement_by": "2026-10-16"},
        ],
        "commitments": [],
        "e_licenses": [],
        "produced": [],
        "due_date": "2026-10-16",
        "due_date_open_reason": None,
        "deadline_problem": None,
        "items": [],
        "refusal_ground": None,
        "competent_body": None,
    }


def test_labels_cover_every_member() -> None:
    assert set(MATERIAL_STATUS_LABELS) == set(MaterialStatus)
    assert set(DECISION_LABELS) == set(Decision)
    assert MATERIAL_STATUS_LABELS[S.TOLERATED] == "容缺后补"
    assert DECISION_LABELS[Decision.ONE_TIME_NOTICE] == "一次性告知"


# --- checklists and bundles ---------------------------------------------------------------------


def test_single_item_checklist_keeps_materials_in_order() -> None:
    rows = build_checklist([SHOP])
    assert [r.material for r in rows] == list(SHOP.materials)
    assert all(r.item_codes == ("I1",) for r in rows)
    lease = rows[3]
    assert (lease.tolerance_allowed, lease.commitment_allowed, lease.supplement_days) == (
        True,
        False,
        5,
    )
    assert rows[0].tolerance_allowed is False and rows[2].commitment_allowed is True
    assert rows[2].supplement_days is None  # not tolerable: no supplement period


def test_bundle_merges_keys_once_with_strictest_terms() -> None:
    a = item(
        "A",
        (
            mat("id_card", OPT, form="复印件", copies=1, standard="在有效期内"),
            mat(
                "lease", COND, tolerable=True, supplement_days=5, commitment=True, note="租用场地的"
            ),
            mat("plan", tolerable=True),
        ),
    )
    b = item(
        "B",
        (
            mat("health", name="健康证明"),
            mat("id_card", REQ, form="原件", copies=3, standard="在有效期内"),
            mat("lease", OPT, tolerable=True, supplement_days=3, note="经营场所为租赁的"),
            mat("plan", core=True, tolerable=False),
        ),
    )
    rows = {r.material.key: r for r in build_checklist([a, b])}
    assert list(rows) == ["id_card", "lease", "plan", "health"]
    assert rows["id_card"].item_codes == ("A", "B") and rows["health"].item_codes == ("B",)
    id_card = rows["id_card"].material
    assert (id_card.necessity, id_card.form, id_card.copies, id_card.standard) == (
        REQ,
        "原件",
        3,
        "在有效期内",
    )
    lease = rows["lease"]
    assert lease.material.necessity is COND
    assert lease.material.supplement_days == 3 and lease.supplement_days == 3
    assert lease.material.note == "租用场地的；经营场所为租赁的"
    assert lease.commitment_allowed is False  # B's lease allows no commitment
    assert rows["plan"].material.core is True
    assert rows["plan"].material.tolerable is False and rows["plan"].tolerance_allowed is False


@pytest.mark.parametrize(
    ("forms", "merged"),
    [
        (("原件", "复印件"), "原件"),
        (("复印件", "原件和复印件"), "原件和复印件"),
        (("电子", "复印件"), "复印件"),
        (("原件和复印件", "原件"), "原件和复印件"),
        ((None, "电子"), "电子"),
        ((None, None), None),
    ],
)
def test_bundle_form_prefers_the_stricter(
    forms: tuple[str | None, str | None], merged: str | None
) -> None:
    a, b = (item(c, (mat("x", form=f),)) for c, f in zip("AB", forms, strict=True))
    assert build_checklist([a, b])[0].material.form == merged


def test_bundle_tolerance_needs_every_items_consent() -> None:
    a = item("A", (mat("x", tolerable=True, supplement_days=3),))
    no_item_consent = item("B", (mat("x", tolerable=True),), tolerance_allowed=False)
    not_tolerable_there = item("B", (mat("x"),))
    assert build_checklist([a])[0].tolerance_allowed is True
    assert build_checklist([a, no_item_consent])[0].tolerance_allowed is False
    assert build_checklist([a, not_tolerable_there])[0].tolerance_allowed is False
    result = decide(
        [a, no_item_consent],
        {"x": MaterialMark(S.TOLERATED)},
        accepted_on=MONDAY,
        calendar=NATIONAL_DAY,
    )
    assert result.decision is Decision.ONE_TIME_NOTICE
    assert result.problems[0].message == "该材料不可容缺"


def test_supplement_period_capped_at_smallest_promised_limit_of_items_needing_it() -> None:
    long_period = mat("x", tolerable=True, supplement_days=15)
    a = item("A", (long_period,), promised_limit_days=4)
    b = item("B", (long_period,), promised_limit_days=8)
    c = item("C", (mat("y"),), promised_limit_days=2)  # doesn't need x: its limit doesn't cap x
    assert build_checklist([a, b, c])[0].supplement_days == 4
    no_promise = item("D", (long_period,), promised_limit_days=None, legal_limit_days=6)
    assert build_checklist([no_promise])[0].supplement_days == 6
    no_period = item("E", (mat("x", tolerable=True),), promised_limit_days=7)
    assert build_checklist([no_period])[0].supplement_days == 7


def test_bundle_decision_uses_longest_limit_for_due_date_and_shortest_for_supplement() -> None:
    a = item("A", (mat("x", tolerable=True, supplement_days=20),), promised_limit_days=3)
    b = item("B", (mat("x", tolerable=True, supplement_days=20), mat("y")), promised_limit_days=10)
    result = decide(
        [a, b],
        {"x": MaterialMark(S.TOLERATED), "y": MaterialMark(S.RECEIVED)},
        accepted_on=MONDAY,
        calendar=NATIONAL_DAY,
    )
    assert result.decision is Decision.ACCEPT_WITH_TOLERANCE
    assert result.due_date == date(2026, 10, 16)
    assert result.tolerated == (ToleratedMaterial("x", "材料x", 3, date(2026, 10, 8)),)


def test_prebuilt_checklist_is_used_and_checked() -> None:
    rows = build_checklist([SHOP])
    relaxed = [
        replace(r, tolerance_allowed=True, supplement_days=2) if r.material.key == "id_card" else r
        for r in rows
    ]
    result = decide(
        [SHOP],
        {**COMPLETE, "id_card": MaterialMark(S.TOLERATED)},
        accepted_on=MONDAY,
        calendar=NATIONAL_DAY,
        checklist=relaxed,
    )
    assert result.decision is Decision.ACCEPT_WITH_TOLERANCE
    foreign = [ChecklistRow(mat("z"), ("OTHER",), False, False, None)]
    with pytest.raises(ValueError, match="OTHER"):
        decide([SHOP], {}, accepted_on=MONDAY, calendar=NATIONAL_DAY, checklist=foreign)


# --- deadlines ----------------------------------------------------------------------------------


def test_due_date_skips_holidays_and_counts_make_up_day() -> None:
    result = run({})
    assert result.due_date == date(2026, 10, 16)
    assert result.deadline_problem is None
    assert any("2026年10月16日" in r for r in result.reasons)


def test_immediate_item_is_due_the_day_it_is_accepted_without_a_calendar() -> None:
    result = run({}, shop=replace(SHOP, promised_limit_days=0), calendar=None)
    assert result.due_date == MONDAY
    assert result.deadline_problem is None


def test_legal_limit_is_the_fallback_and_no_limit_leaves_the_date_open() -> None:
    assert run({}, shop=replace(SHOP, promised_limit_days=None)).due_date == date(2026, 10, 30)
    result = run({}, shop=replace(SHOP, promised_limit_days=None, legal_limit_days=None))
    assert result.decision is Decision.ACCEPT
    assert result.due_date is None
    assert result.deadline_problem is not None and "事项I1" in result.deadline_problem


def test_unknown_year_keeps_the_decision_and_leaves_deadlines_open() -> None:
    calendar = FakeCalendar(unknown_years={2026})
    result = run({"lease": MaterialMark(S.TOLERATED)}, calendar=calendar)
    assert result.decision is Decision.ACCEPT_WITH_TOLERANCE
    assert result.due_date is None
    assert result.tolerated == (ToleratedMaterial("lease", "租赁合同", 5, None),)
    assert result.deadline_problem == "2026 年的节假日安排尚未载入"
    assert result.to_json()["tolerated"] == [{"key": "lease", "supplement_by": None}]


def test_year_end_crossing_into_unknown_year() -> None:
    calendar = FakeCalendar(unknown_years={2027})
    late = decide([SHOP], COMPLETE, accepted_on=date(2026, 12, 28), calendar=calendar)
    assert late.due_date is None and late.deadline_problem == "2027 年的节假日安排尚未载入"
    early = decide([SHOP], COMPLETE, accepted_on=date(2026, 12, 1), calendar=calendar)
    assert early.due_date == date(2026, 12, 15) and early.deadline_problem is None


def test_no_calendar_configured() -> None:
    result = run({"lease": MaterialMark(S.TOLERATED)}, calendar=None)
    assert result.decision is Decision.ACCEPT_WITH_TOLERANCE
    assert result.due_date is None and result.tolerated[0].supplement_by is None
    assert result.deadline_problem == "未配置工作日历"


def test_one_time_notice_computes_no_deadline() -> None:
    calendar = FakeCalendar()
    result = run({"lease": UNMARKED}, calendar=calendar)
    assert result.due_date is None and calendar.calls == []


# --- properties ---------------------------------------------------------------------------------

KEYS = ("a", "b", "c", "d", "e")


@st.composite
def materials(draw: st.DrawFn, key: str) -> Material:
    core = draw(st.booleans())
    tolerable = not core and draw(st.booleans())
    return Material(
        key=key,
        name=f"材料{key}",
        necessity=draw(st.sampled_from(Necessity)),
        core=core,
        form=draw(st.sampled_from([None, "原件", "复印件", "原件和复印件", "电子"])),
        copies=draw(st.none() | st.integers(1, 3)),
        source=draw(st.sampled_from(MaterialSource)),
        tolerable=tolerable,
        supplement_days=draw(st.none() | st.integers(1, 15)) if tolerable else None,
        commitment=draw(st.booleans()),
    )


@st.composite
def bundles(draw: st.DrawFn) -> list[ServiceItem]:
    result = []
    for n in range(draw(st.integers(1, 3))):
        keys = draw(st.lists(st.sampled_from(KEYS), unique=True, min_size=1, max_size=5))
        result.append(
            item(
                f"I{n}",
                tuple(draw(materials(k)) for k in keys),
                promised_limit_days=draw(st.none() | st.integers(0, 20)),
                legal_limit_days=draw(st.none() | st.integers(0, 30)),
                tolerance_allowed=draw(st.booleans()),
                commitment_allowed=draw(st.booleans()),
            )
        )
    return result


marks_st = st.builds(
    MaterialMark,
    status=st.sampled_from(MaterialStatus),
    original=st.none() | st.booleans(),
    copies=st.none() | st.integers(0, 3),
    reason=st.none() | st.just("不清晰"),
)
calendars = st.builds(
    FakeCalendar,
    holidays=st.sets(st.dates(date(2026, 1, 1), date(2026, 12, 31)), max_size=40),
    workdays=st.sets(st.dates(date(2026, 1, 1), date(2026, 12, 31)), max_size=5),
)
days_2026 = st.dates(date(2026, 1, 1), date(2026, 11, 30))


def complete_receipt(row: ChecklistRow) -> MaterialMark:
    return MaterialMark(S.RECEIVED, original=True, copies=row.material.copies)


@settings(max_examples=300)
@given(items=bundles(), data=st.data(), bad_credit=st.booleans(), calendar=calendars, day=days_2026)
def test_receiving_one_more_material_never_makes_the_decision_worse(
    items: list[ServiceItem],
    data: st.DataObject,
    bad_credit: bool,
    calendar: FakeCalendar,
    day: date,
) -> None:
    rows = build_checklist(items)
    keys = [r.material.key for r in rows]
    marks = data.draw(st.dictionaries(st.sampled_from(keys), marks_st))
    row = data.draw(st.sampled_from(rows))
    before = decide(items, marks, bad_credit=bad_credit, accepted_on=day, calendar=calendar)
    after = decide(
        items,
        {**marks, row.material.key: complete_receipt(row)},
        bad_credit=bad_credit,
        accepted_on=day,
        calendar=calendar,
    )
    assert RANK[after.decision] >= RANK[before.decision]
    assert row.material.key not in after.missing + after.defective


@settings(max_examples=300)
@given(
    items=bundles(),
    data=st.data(),
    bad_credit=st.booleans(),
    absent=st.sampled_from([None, S.MISSING, S.TOLERATED]),
)
def test_missing_core_material_never_yields_acceptance(
    items: list[ServiceItem], data: st.DataObject, bad_credit: bool, absent: MaterialStatus | None
) -> None:
    rows = build_checklist(items)
    core = [r for r in rows if r.material.core and r.material.necessity != OPT]
    assume(core)
    target = data.draw(st.sampled_from(core))
    others = {r.material.key: data.draw(marks_st) for r in rows if r is not target}
    marks = others if absent is None else {**others, target.material.key: MaterialMark(absent)}
    result = decide(items, marks, bad_credit=bad_credit, accepted_on=MONDAY, calendar=NATIONAL_DAY)
    assert result.decision not in (Decision.ACCEPT, Decision.ACCEPT_WITH_TOLERANCE)
    assert target.material.key in result.missing


# Many generated bundles allow no tolerance at all and are discarded by assume(); that is
# expected here, so the filter health check (which made this test flaky) is not a failure.
@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much])
@given(items=bundles(), calendar=calendars, day=days_2026)
def test_tolerated_deadline_never_passes_the_promised_completion(
    items: list[ServiceItem], calendar: FakeCalendar, day: date
) -> None:
    rows = build_checklist(items)
    assume(any(r.tolerance_allowed for r in rows))
    marks = {
        r.material.key: MaterialMark(S.TOLERATED) if r.tolerance_allowed else complete_receipt(r)
        for r in rows
    }
    result = decide(items, marks, accepted_on=day, calendar=calendar)
    assert result.decision is Decision.ACCEPT_WITH_TOLERANCE
    assert len(result.tolerated) == sum(r.tolerance_allowed for r in rows)
    for tolerated, row in zip(
        result.tolerated, [r for r in rows if r.tolerance_allowed], strict=True
    ):
        assert tolerated.supplement_by is not None or tolerated.supplement_days is None
        if tolerated.supplement_by is None:
            continue
        if result.due_date is not None:
            assert tolerated.supplement_by <= result.due_date
        limits = [
            i.promised_limit_days if i.promised_limit_days is not None else i.legal_limit_days
            for i in items
            if i.code in row.item_codes
        ]
        known = [x for x in limits if x is not None]
        if known:  # never later than the promise of any item that needs the material
            assert tolerated.supplement_by <= calendar.add_working_days(day, min(known))


# --- issue 15: caps on every path, bundle deadlines, produced materials, refusal grounds -------


def test_supplement_date_capped_when_the_checklist_comes_from_elsewhere() -> None:
    """A checklist built elsewhere (pre-review, a stored intake) with an uncapped period."""
    short = replace(SHOP, promised_limit_days=3)
    rows = [
        replace(r, supplement_days=30) if r.material.key == "lease" else r
        for r in build_checklist([short])
    ]
    assert next(r for r in rows if r.material.key == "lease").supplement_days == 30
    result = decide([short], {**COMPLETE, "lease": MaterialMark(S.TOLERATED)}, accepted_on=MONDAY,
                    calendar=NATIONAL_DAY, checklist=rows)
    assert result.decision is Decision.ACCEPT_WITH_TOLERANCE
    assert result.due_date == date(2026, 10, 8)  # 9-29, 9-30, then the National Day week
    assert result.tolerated == (ToleratedMaterial("lease", "租赁合同", 3, date(2026, 10, 8)),)


def test_supplement_capped_by_the_item_needing_it_not_the_bundle() -> None:
    a = item("A", (mat("x", tolerable=True, supplement_days=20),), promised_limit_days=2)
    b = item("B", (mat("y"),), promised_limit_days=10)
    rows = [replace(r, supplement_days=20) for r in build_checklist([a, b])]
    result = decide([a, b], {"x": MaterialMark(S.TOLERATED), "y": MaterialMark(S.RECEIVED)},
                    accepted_on=MONDAY, calendar=NATIONAL_DAY, checklist=rows)
    assert result.tolerated[0].supplement_days == 2
    assert result.tolerated[0].supplement_by == date(2026, 9, 30)


def test_bundle_result_carries_each_items_own_limit_and_due_date() -> None:
    a = item("A", (mat("x"),), promised_limit_days=0)
    b = item("B", (mat("x"),), promised_limit_days=10)
    result = decide([a, b], {"x": MaterialMark(S.RECEIVED)}, accepted_on=MONDAY, calendar=NATIONAL_DAY)
    assert [(d.code, d.limit_days, d.due_date) for d in result.item_deadlines] == [
        ("A", 0, MONDAY), ("B", 10, date(2026, 10, 16))]
    assert result.due_date == date(2026, 10, 16)
    assert result.to_json()["items"][1] == {"code": "B", "name": "事项B", "limit_days": 10,
                                           "due_date": "2026-10-16"}
    single = decide([b], {"x": MaterialMark(S.RECEIVED)}, accepted_on=MONDAY, calendar=NATIONAL_DAY)
    assert single.item_deadlines == ()


def test_open_deadline_has_its_reason_in_json() -> None:
    result = run({}, calendar=FakeCalendar(unknown_years={2026}))
    data = result.to_json()
    assert data["due_date"] is None
    assert data["due_date_open_reason"] == "2026 年的节假日安排尚未载入"


def test_material_produced_by_another_item_of_the_bundle_is_covered_automatically() -> None:
    licence = mat("business_license", produced_by="REG")
    register = item("REG", (mat("application"),), promised_limit_days=0)
    food = item("FOOD", (licence, mat("plan")), promised_limit_days=10)
    rows = build_checklist([register, food])
    row = next(r for r in rows if r.material.key == "business_license")
    assert row.produced_by == "REG"
    from hallclient.core.checklist import default_mark

    assert default_mark(row).status is S.PRODUCED
    result = decide([register, food], {"application": MaterialMark(S.RECEIVED), "plan": MaterialMark(S.RECEIVED)},
                    accepted_on=MONDAY, calendar=NATIONAL_DAY)
    assert result.decision is Decision.ACCEPT
    assert result.produced == ("business_license",)
    assert any("本次一并办理的事项产生" in r for r in result.reasons)
    # Alone, the same item needs the licence from the applicant.
    alone = build_checklist([food])
    assert alone[0].produced_by is None
    result = decide([food], {"plan": MaterialMark(S.RECEIVED), "business_license": MaterialMark(S.PRODUCED)},
                    accepted_on=MONDAY, calendar=NATIONAL_DAY)
    assert result.decision is Decision.ONE_TIME_NOTICE and "business_license" in result.missing


def test_refusal_grounds() -> None:
    from hallclient.core.checklist import RefusalGround

    r = refusal("不属于本机关职权范围", RefusalGround.NOT_COMPETENT, "信阳市城市管理局")
    assert r.refusal_ground is RefusalGround.NOT_COMPETENT and r.competent_body == "信阳市城市管理局"
    with pytest.raises(ValueError, match="有关行政机关"):
        refusal("不属于本机关职权范围", RefusalGround.NOT_COMPETENT)
    assert refusal("不在清单内").refusal_ground is RefusalGround.OTHER
