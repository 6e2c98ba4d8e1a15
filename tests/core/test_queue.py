"""Queue calling rules: ordering, fairness, no-shows, numbers, announcement templates."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hallclient.core.queue import (
    DEFAULT_ANNOUNCEMENT_TEMPLATE,
    DEFAULT_CATEGORY_PREFIXES,
    CallingRules,
    Outcome,
    Ticket,
    TicketState,
    TicketType,
    after_no_show,
    announcement_text,
    called,
    cancelled,
    choose_next,
    finished,
    is_priority,
    issue_ticket,
    parked,
    queue_order,
    returned,
    started,
    ticket_number,
    transferred,
    validate_category_prefixes,
    validate_template,
)

T0 = datetime(2026, 11, 23, 9, 0)
RULES = CallingRules()

N, P, V, AP = TicketType.NORMAL, TicketType.PRIORITY, TicketType.VIP, TicketType.APPOINTMENT


def tk(
    number: str,
    minute: int,
    type_: TicketType = N,
    *,
    category: str = "市场准入",
    appointment_minute: int | None = None,
    **changes: object,
) -> Ticket:
    """A waiting ticket issued at T0 + `minute`."""
    ticket = Ticket(
        number=number,
        category=category,
        prefix=number[0],
        seq=int(number[1:]),
        type=type_,
        issued_at=T0 + timedelta(minutes=minute),
        appointment_at=None if appointment_minute is None else T0 + timedelta(minutes=appointment_minute),
    )
    return replace(ticket, **changes)  # type: ignore[arg-type]


def at(minute: int) -> datetime:
    return T0 + timedelta(minutes=minute)


def numbers(tickets: list[Ticket]) -> list[str]:
    return [t.number for t in tickets]


# --- decision table --------------------------------------------------------------------------

# (case, waiting, streak, now-minute, expected number, expected streak)
DECISION_TABLE = [
    ("empty queue", [], 0, 30, None, 0),
    ("normal FIFO", [tk("B002", 2), tk("B001", 1)], 0, 30, "B001", 0),
    ("priority first", [tk("B001", 1), tk("B002", 2, P)], 0, 30, "B002", 1),
    ("VIP is priority", [tk("B001", 1), tk("B002", 2, V)], 0, 30, "B002", 1),
    ("VIP does not overtake earlier green", [tk("B003", 3, V), tk("B002", 2, P)], 0, 30, "B002", 0),
    ("streak below K", [tk("B001", 1), tk("B002", 2, P)], 2, 30, "B002", 3),
    ("after K priority calls: one normal", [tk("B001", 1), tk("B002", 2, P)], 3, 30, "B001", 0),
    ("streak at K but nobody normal", [tk("B002", 2, P)], 3, 30, "B002", 0),
    ("priority with nobody normal: no streak", [tk("B002", 2, P)], 1, 30, "B002", 0),
    ("normal only resets streak", [tk("B001", 1)], 2, 30, "B001", 0),
    (
        "due appointment is priority",
        [tk("B001", 1), tk("B002", 5, AP, appointment_minute=40)],
        0, 30, "B002", 1,
    ),
    (
        "early appointment waits as normal by issue time",
        [tk("B002", 5, AP, appointment_minute=60), tk("B003", 6)],
        0, 30, "B002", 0,
    ),
    (
        "early appointment behind earlier normal",
        [tk("B001", 1), tk("B002", 5, AP, appointment_minute=60)],
        0, 30, "B001", 0,
    ),
    (
        "appointment due exactly N minutes before",
        [tk("B001", 1), tk("B002", 5, AP, appointment_minute=45)],
        0, 30, "B002", 1,
    ),
    (
        "appointment one minute before the window",
        [tk("B001", 1), tk("B002", 5, AP, appointment_minute=46)],
        0, 30, "B001", 0,
    ),
    (
        "late arrival loses the appointment",
        [tk("B001", 1), tk("B002", 45, AP, appointment_minute=10)],
        0, 50, "B001", 0,
    ),
    (
        "on-time arrival stays due when the hall runs late",
        [tk("B001", 1), tk("B002", 5, AP, appointment_minute=10)],
        0, 120, "B002", 1,
    ),
    (
        "appointment without a time is normal",
        [tk("B001", 1), tk("B002", 0, AP)],
        0, 30, "B002", 0,
    ),
    (
        "early appointment joins priority when due, not when issued",
        [tk("B002", 0, AP, appointment_minute=60), tk("B003", 20, P)],
        0, 50, "B003", 0,
    ),
    (
        "due appointments by the time they fell due",
        [tk("B002", 10, AP, appointment_minute=60), tk("B003", 12, AP, appointment_minute=40)],
        0, 50, "B003", 0,
    ),
    ("front ticket first", [tk("B001", 1), tk("B009", 20, front=True, requeued_at=at(25))], 0, 30, "B009", 0),
    (
        "front priority ticket first among priority",
        [tk("B001", 1, P), tk("B009", 20, P, front=True, requeued_at=at(25))],
        0, 30, "B009", 0,
    ),
    (
        "returned ticket goes after those waiting",
        [tk("B001", 1, requeued_at=at(20)), tk("B002", 2), tk("B005", 10)],
        0, 30, "B002", 0,
    ),
    (
        "only waiting tickets",
        [tk("B001", 1, state=TicketState.CALLED), tk("B002", 2, state=TicketState.PARKED), tk("B003", 3)],
        0, 30, "B003", 0,
    ),
]


@pytest.mark.parametrize(
    ("waiting", "streak", "now", "expected", "new_streak"),
    [case[1:] for case in DECISION_TABLE],
    ids=[case[0] for case in DECISION_TABLE],
)
def test_choose_next_decision_table(
    waiting: list[Ticket], streak: int, now: int, expected: str | None, new_streak: int
) -> None:
    choice = choose_next(waiting, None, streak, at(now), RULES)
    if expected is None:
        assert choice is None
    else:
        assert choice is not None
        assert (choice.ticket.number, choice.streak) == (expected, new_streak)


def test_only_the_categories_the_window_serves() -> None:
    waiting = [
        tk("D001", 0, P, category="不动产登记"),
        tk("B001", 1, category="市场准入"),
        tk("E001", 2, category="社会事务"),
    ]
    assert choose_next(waiting, {"市场准入"}, 0, at(30), RULES).ticket.number == "B001"  # type: ignore[union-attr]
    assert choose_next(waiting, {"市场准入", "社会事务"}, 0, at(30), RULES).ticket.number == "B001"  # type: ignore[union-attr]
    assert choose_next(waiting, None, 0, at(30), RULES).ticket.number == "D001"  # type: ignore[union-attr]
    assert choose_next(waiting, {"建设工程"}, 0, at(30), RULES) is None


def test_k_priority_then_one_normal() -> None:
    waiting = [tk(f"B{i:03d}", i, P) for i in range(1, 8)] + [tk("B100", 0), tk("B101", 0)]
    order = queue_order(waiting, None, 0, at(30), CallingRules(max_priority_in_row=3))
    assert numbers(order) == [
        "B001", "B002", "B003", "B100", "B004", "B005", "B006", "B101", "B007",
    ]


def test_k_zero_calls_normal_whenever_one_waits() -> None:
    waiting = [tk("B001", 1, P), tk("B002", 2), tk("B003", 3, P), tk("B004", 4)]
    order = queue_order(waiting, None, 0, at(30), CallingRules(max_priority_in_row=0))
    assert numbers(order) == ["B002", "B004", "B001", "B003"]


# --- fairness (property-based) -----------------------------------------------------------------

TYPES = st.sampled_from([N, N, P, V, AP])
# An event: ("arrive", type, appointment offset in minutes) or ("call",); minutes pass between them.
EVENTS = st.lists(
    st.one_of(
        st.tuples(st.just("arrive"), TYPES, st.integers(min_value=-40, max_value=90)),
        st.tuples(st.just("call")),
        st.tuples(st.just("call")),
    ),
    max_size=80,
)


def _simulate(
    events: list[tuple], k: int, gaps: list[int]
) -> tuple[list[tuple[Ticket, bool, datetime]], dict[str, tuple[int, TicketType]]]:
    """Arrivals and calls through one window.

    Returns (ticket, called as priority, time) per call, and per ticket number the number of calls
    made before it arrived and its type.
    """
    rules = CallingRules(max_priority_in_row=k)
    waiting: list[Ticket] = []
    calls: list[tuple[Ticket, bool, datetime]] = []
    arrived: dict[str, tuple[int, TicketType]] = {}
    streak, seq = 0, 0
    now = T0
    for i, event in enumerate(events):
        now += timedelta(minutes=gaps[i % len(gaps)] if gaps else 1)
        if event[0] == "arrive":
            seq += 1
            ticket_type, offset = event[1], event[2]
            ticket = issue_ticket(
                "市场准入", seq, now, ticket_type,
                appointment_at=now + timedelta(minutes=offset) if ticket_type is AP else None,
            )
            waiting.append(ticket)
            arrived[ticket.number] = (len(calls), ticket_type)
        else:
            choice = choose_next(waiting, None, streak, now, rules)
            if choice is None:
                assert not waiting
                continue
            streak = choice.streak
            waiting.remove(choice.ticket)
            calls.append((choice.ticket, is_priority(choice.ticket, now, rules), now))
    return calls, arrived


@given(EVENTS, st.integers(min_value=0, max_value=4), st.lists(st.integers(0, 5), max_size=10))
def test_no_normal_ticket_waits_behind_more_than_k_priority_calls(
    events: list[tuple], k: int, gaps: list[int]
) -> None:
    calls, arrived = _simulate(events, k, gaps)
    for position, (ticket, _priority, _called_at) in enumerate(calls):
        if ticket.type is not N:
            continue
        # The calls made while this normal ticket was waiting.
        during = [priority for _other, priority, _when in calls[arrived[ticket.number][0] : position]]
        run = longest = 0
        for priority in during:
            run = run + 1 if priority else 0
            longest = max(longest, run)
        assert longest <= k, (ticket.number, during)
    # A normal ticket still waiting at the end has not waited through more than K either.
    called_numbers = {t.number for t, _, _ in calls}
    for number, (first_call, ticket_type) in arrived.items():
        if number in called_numbers or ticket_type is not N:
            continue
        run = longest = 0
        for _other, priority, _when in calls[first_call:]:
            run = run + 1 if priority else 0
            longest = max(longest, run)
        assert longest <= k, number


@given(EVENTS, st.integers(min_value=0, max_value=4), st.lists(st.integers(0, 5), max_size=10))
def test_first_come_first_served_within_a_class(
    events: list[tuple], k: int, gaps: list[int]
) -> None:
    calls, _arrived = _simulate(events, k, gaps)
    for kind in ((N,), (P, V)):
        issued = [t.issued_at for t, _, _ in calls if t.type in kind]
        seqs = [t.seq for t, _, _ in calls if t.type in kind]
        assert issued == sorted(issued)
        # Same minute: by sequence.
        assert [s for _, s in sorted(zip(issued, seqs, strict=True))] == seqs


@given(
    st.lists(st.sampled_from([N, P, V]), min_size=1, max_size=25),
    st.integers(min_value=0, max_value=24),
    st.sampled_from([N, P]),
    st.integers(min_value=0, max_value=4),
)
def test_a_missed_and_returned_ticket_goes_after_those_waiting(
    types: list[TicketType], missed_index: int, missed_type: TicketType, k: int
) -> None:
    rules = CallingRules(max_priority_in_row=k)
    waiting = [
        issue_ticket("市场准入", i + 1, at(i), ticket_type) for i, ticket_type in enumerate(types)
    ]
    # A ticket issued before all of them was called N times without showing up, then came back.
    missed = issue_ticket("市场准入", 100, at(-10), missed_type)
    for minute in range(rules.no_show_after_calls):
        missed = after_no_show(called(missed, "3", at(minute)), rules)
    assert missed.state is TicketState.MISSED
    back = returned(missed, at(len(types) + 1))
    everyone = [*waiting[: missed_index % len(waiting)], back, *waiting[missed_index % len(waiting) :]]
    order = numbers(queue_order(everyone, None, 0, at(len(types) + 2), rules))
    same_class = [
        t.number for t in waiting if (t.type is N) == (missed_type is N)
    ]
    assert set(same_class) <= set(order[: order.index(back.number)])


# --- no-show and other state changes -------------------------------------------------------------


def test_no_show_after_three_calls() -> None:
    ticket = tk("B001", 0)
    ticket = called(ticket, "3", at(10))
    assert (ticket.state, ticket.calls, ticket.window) == (TicketState.CALLED, 1, "3")
    ticket = after_no_show(ticket, RULES)
    assert ticket.state is TicketState.WAITING  # back to its place, called again later
    # Back at the head of its queue, ahead of a later ticket.
    assert choose_next([tk("B002", 1), ticket], None, 0, at(11), RULES).ticket.number == "B001"  # type: ignore[union-attr]
    ticket = called(ticket, "4", at(11))
    ticket = called(ticket, "4", at(12))  # a recall
    assert ticket.calls == 3
    assert ticket.last_called_at == at(12)
    ticket = after_no_show(ticket, RULES)
    assert ticket.state is TicketState.MISSED
    assert ticket.outcome is Outcome.NO_SHOW
    back = returned(ticket, at(30))
    assert (back.state, back.calls, back.requeued_at, back.queue_time) == (
        TicketState.WAITING, 0, at(30), at(30),
    )
    assert back.issued_at == at(0)  # the statistics keep the first issue time


def test_no_show_rule_is_a_setting() -> None:
    ticket = called(tk("B001", 0), "3", at(1))
    assert after_no_show(ticket, CallingRules(no_show_after_calls=1)).state is TicketState.MISSED


def test_returned_needs_a_missed_ticket() -> None:
    with pytest.raises(ValueError, match="不是过号状态"):
        returned(tk("B001", 0), at(1))


def test_service_lifecycle_and_outcomes() -> None:
    ticket = started(called(tk("B001", 0), "3", at(1)))
    assert ticket.state is TicketState.SERVING and ticket.outcome is None
    assert finished(ticket).outcome is Outcome.SERVED
    assert parked(ticket).outcome is Outcome.PARKED
    assert cancelled(tk("B002", 0)).outcome is Outcome.CANCELLED
    # A parked ticket is called again by number.
    assert called(parked(ticket), "3", at(5)).state is TicketState.CALLED
    with pytest.raises(ValueError, match="B001号当前为“已办结”"):
        started(finished(ticket))
    with pytest.raises(ValueError):
        finished(tk("B003", 0))  # never called


def test_transfer_to_front_or_end_of_another_queue() -> None:
    ticket = started(called(tk("B001", 0), "3", at(1)))
    closed, moved = transferred(ticket, at(20), category="不动产登记", front=True)
    assert closed.state is TicketState.TRANSFERRED and closed.outcome is Outcome.TRANSFERRED
    assert (moved.state, moved.category, moved.calls, moved.front) == (
        TicketState.WAITING, "不动产登记", 0, True,
    )
    waiting = [tk("D001", 5, category="不动产登记"), moved]
    assert choose_next(waiting, {"不动产登记"}, 0, at(21), RULES).ticket.number == "B001"  # type: ignore[union-attr]
    _closed, at_end = transferred(ticket, at(20), category="不动产登记")
    waiting = [tk("D001", 5, category="不动产登记"), at_end]
    assert numbers(queue_order(waiting, None, 0, at(21), RULES)) == ["D001", "B001"]
    # Calling it clears the front mark.
    assert called(moved, "7", at(22)).front is False


# --- numbers -----------------------------------------------------------------------------------


def test_ticket_numbers() -> None:
    assert ticket_number("A", 1) == "A001"
    assert ticket_number("B", 42) == "B042"
    assert ticket_number("C", 999) == "C999"
    assert ticket_number("C", 1000) == "C1000"
    assert ticket_number("W3", 1) == "W3001"
    for bad_prefix in ("", "a", "3A", "A-", "ABCDE"):
        with pytest.raises(ValueError, match="号码前缀"):
            ticket_number(bad_prefix, 1)
    with pytest.raises(ValueError, match="序号"):
        ticket_number("A", 0)


def test_default_prefixes_and_issue() -> None:
    assert dict(DEFAULT_CATEGORY_PREFIXES) == {
        "无差别受理": "A", "市场准入": "B", "建设工程": "C", "不动产登记": "D", "社会事务": "E",
    }
    validate_category_prefixes(DEFAULT_CATEGORY_PREFIXES)
    with pytest.raises(ValueError, match="相同的号码前缀"):
        validate_category_prefixes({"市场准入": "B", "建设工程": "B"})
    with pytest.raises(TypeError):
        DEFAULT_CATEGORY_PREFIXES["新类别"] = "F"  # type: ignore[index]
    ticket = issue_ticket("不动产登记", 7, at(0))
    assert (ticket.number, ticket.prefix, ticket.state, ticket.calls) == (
        "D007", "D", TicketState.WAITING, 0,
    )
    custom = issue_ticket("人才服务", 1, at(0), prefixes={"人才服务": "R"})
    assert custom.number == "R001"
    with pytest.raises(ValueError, match="没有设置号码前缀"):
        issue_ticket("人才服务", 1, at(0))
    with pytest.raises(ValueError, match="预约时间"):
        issue_ticket("市场准入", 1, at(0), TicketType.APPOINTMENT)


def test_rules_are_validated() -> None:
    with pytest.raises(ValueError):
        CallingRules(no_show_after_calls=0)
    with pytest.raises(ValueError):
        CallingRules(max_priority_in_row=-1)


# --- announcement templates ---------------------------------------------------------------------


def test_announcement_text() -> None:
    assert announcement_text(DEFAULT_ANNOUNCEMENT_TEMPLATE, "A001", "3") == "请A001号到3号窗口办理"
    assert announcement_text("{ticket}号请到{window}号窗口", "B012", "12") == "B012号请到12号窗口"
    assert announcement_text("请{ticket}号办理", "C001", "5") == "请C001号办理"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("请{number}号到{window}号窗口办理", r"未知的占位符 \{number\}"),
        ("请{}号到{window}号窗口", r"未知的占位符 \{\}"),
        ("请{0}号", r"未知的占位符 \{0\}"),
        ("请{ticket.upper}号", "未知的占位符"),
        ("请{ticket:>5}号", "格式说明"),
        ("请{ticket!r}号", "格式说明"),
        ("请{ticket号到{window}号窗口", "花括号不成对"),
        ("请到{window}号窗口办理", r"必须包含号码占位符 \{ticket\}"),
    ],
)
def test_template_validation(template: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_template(template)
    with pytest.raises(ValueError, match=message):
        announcement_text(template, "A001", "3")


def test_queue_rules_import_without_qt() -> None:
    script = (
        "import sys; sys.modules['PySide6'] = None\n"
        "import hallclient.core.queue\n"
        "assert not any(m.startswith('PySide6.') for m in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
