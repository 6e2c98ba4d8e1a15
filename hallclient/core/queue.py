"""Queue calling (排队叫号) rules: tickets, who is called next, no-shows, the announcement text.

Pure functions over immutable `Ticket` values: the central service (which holds the hall's queue)
and the window client both decide with this module, and it never imports Qt, SQL or HTTP. State
changes return a new ticket (`dataclasses.replace`); the caller stores it and records the event.

Rules (summarised in docs/state-machines.md, "Queue tickets"), with the decisions taken where
the hall's practice leaves it open:

* Classes. A window calls from two classes: *priority* (绿色通道 and VIP tickets, and appointments
  that are due) and *normal* (普通号, appointments that are not due yet, appointments without a
  time, and appointments whose holder arrived too late). VIP and 绿色通道 are one class: the
  earlier ticket goes first, VIP does not overtake a waiting elderly applicant.
* Appointments. An appointment is due from `appointment_window_minutes` before its time. An
  applicant who comes early is not sent away: the ticket waits in the normal queue by its issue
  time and moves to the priority class when it falls due (whichever calls it first). A ticket
  issued more than `appointment_grace_minutes` after the appointment time (the applicant came
  late) is a normal ticket. A ticket issued on time stays due however late the hall runs.
* Order within a class: tickets transferred "to the front" first, then first come first served by
  the time the ticket joined the queue (`requeued_at` for returned or transferred tickets, else
  `issued_at`). In the priority class a due appointment joined at max(queue time, due time), so an
  applicant who came an hour early does not overtake green-channel tickets issued meanwhile.
* Fairness. `priority_streak` counts the priority calls a window made *while a normal ticket was
  waiting* (priority calls with nobody normal waiting jump over nobody and reset it). After K such
  calls in a row the next call is the first normal ticket. So no normal ticket ever waits through
  more than K consecutive priority calls. K = 0: priority only when no normal ticket waits.
* No-show. Every call (first call, recall, call-next reaching it again) counts. A no-show before
  the N-th call puts the ticket back at its old place in the queue, so the next call-next calls it
  again; at the N-th call it is missed. A missed ticket that comes back goes to the end of its
  queue with its calls counted afresh.
* Ticket numbers: prefix + sequence of at least three digits (A001, A999, A1000), sequences reset
  daily by the caller (the store that counts them).

All datetimes must follow one convention (the hall's local time, naive or aware, not mixed).
"""

from __future__ import annotations

import re
import string
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple


class TicketType(StrEnum):
    NORMAL = "normal"
    APPOINTMENT = "appointment"
    PRIORITY = "priority"  # 绿色通道 / 爱心号
    VIP = "vip"


TICKET_TYPE_LABELS: dict[TicketType, str] = {
    TicketType.NORMAL: "普通",
    TicketType.APPOINTMENT: "预约",
    TicketType.PRIORITY: "绿色通道",
    TicketType.VIP: "VIP",
}


# Why an applicant takes the green channel at the kiosk; the clerk checks it when calling.
GREEN_REASON_LABELS: Mapping[str, str] = MappingProxyType({
    "elderly": "老年人",
    "disabled": "残疾人",
    "pregnant": "孕妇",
    "military": "军人",
})


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    PARKED = "parked"
    MISSED = "missed"
    DONE = "done"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"


TICKET_STATE_LABELS: dict[TicketState, str] = {
    TicketState.WAITING: "等候中",
    TicketState.CALLED: "已叫号",
    TicketState.SERVING: "办理中",
    TicketState.PARKED: "挂起",
    TicketState.MISSED: "已过号",
    TicketState.DONE: "已办结",
    TicketState.TRANSFERRED: "已转移",
    TicketState.CANCELLED: "已取消",
}


class Outcome(StrEnum):
    SERVED = "served"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    PARKED = "parked"
    CANCELLED = "cancelled"


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.SERVED: "已办理",
    Outcome.NO_SHOW: "过号",
    Outcome.TRANSFERRED: "已转移",
    Outcome.PARKED: "挂起",
    Outcome.CANCELLED: "已取消",
}

# The outcome a state stands for in the statistics; waiting / called / serving have none yet.
STATE_OUTCOMES: dict[TicketState, Outcome] = {
    TicketState.DONE: Outcome.SERVED,
    TicketState.MISSED: Outcome.NO_SHOW,
    TicketState.TRANSFERRED: Outcome.TRANSFERRED,
    TicketState.PARKED: Outcome.PARKED,
    TicketState.CANCELLED: Outcome.CANCELLED,
}

# Window categories and their ticket prefixes: a hall setting, this is the read-only default
# (copy it with dict() to change it).
DEFAULT_CATEGORY_PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        "无差别受理": "A",
        "市场准入": "B",
        "建设工程": "C",
        "不动产登记": "D",
        "社会事务": "E",
    }
)
category_prefixes = DEFAULT_CATEGORY_PREFIXES  # the name used in the queue-calling issue

DEFAULT_ANNOUNCEMENT_TEMPLATE = "请{ticket}号到{window}号窗口办理"
TEMPLATE_FIELDS: tuple[str, ...] = ("ticket", "window")

_PREFIX_RE = re.compile(r"[A-Z][A-Z0-9]{0,3}")


@dataclass(frozen=True)
class CallingRules:
    """The hall's calling settings."""

    max_priority_in_row: int = 3  # K: priority calls in a row while a normal ticket waits
    appointment_window_minutes: int = 15  # an appointment is due from N minutes before its time
    appointment_grace_minutes: int | None = 30  # issued later than this after its time: normal
    no_show_after_calls: int = 3  # N: calls without the applicant coming before "missed"

    def __post_init__(self) -> None:
        if self.max_priority_in_row < 0:
            raise ValueError("连续优先叫号次数不能为负数")
        if self.appointment_window_minutes < 0:
            raise ValueError("预约提前叫号的分钟数不能为负数")
        if self.appointment_grace_minutes is not None and self.appointment_grace_minutes < 0:
            raise ValueError("预约迟到宽限的分钟数不能为负数")
        if self.no_show_after_calls < 1:
            raise ValueError("过号前的叫号次数至少为 1")


@dataclass(frozen=True)
class Ticket:
    """One queue ticket. Immutable: the functions below return changed copies."""

    number: str  # "A001"
    category: str  # the window category whose queue it waits in, e.g. 市场准入
    prefix: str
    seq: int
    type: TicketType = TicketType.NORMAL
    issued_at: datetime = field(default_factory=datetime.now)
    appointment_at: datetime | None = None
    state: TicketState = TicketState.WAITING
    calls: int = 0
    last_called_at: datetime | None = None
    window: str | None = None  # the window that called / serves it
    requeued_at: datetime | None = None  # returned after a miss, or transferred
    front: bool = False  # transferred to the front of its queue
    for_window: str | None = None  # transferred to one window (or a window's walk-in): only it calls

    @property
    def queue_time(self) -> datetime:
        """When the ticket joined its queue (FIFO key)."""
        return self.requeued_at if self.requeued_at is not None else self.issued_at

    @property
    def outcome(self) -> Outcome | None:
        return STATE_OUTCOMES.get(self.state)


class CallChoice(NamedTuple):
    ticket: Ticket
    streak: int  # the window's new priority streak, to pass to the next choose_next


class Transfer(NamedTuple):
    closed: Ticket  # the ticket as it ends at the source (state transferred, for statistics)
    moved: Ticket  # the same number waiting in its new queue


# --- numbers -------------------------------------------------------------------------------------


def ticket_number(prefix: str, seq: int) -> str:
    """The number shown and announced: ("A", 1) → "A001"; three digits at least, more after 999."""
    validate_prefix(prefix)
    if seq < 1:
        raise ValueError(f"号码序号必须从 1 开始：{seq}")
    return f"{prefix}{seq:03d}"


def validate_prefix(prefix: str) -> None:
    if not _PREFIX_RE.fullmatch(prefix):
        raise ValueError(f"号码前缀“{prefix}”无效：应为大写字母开头、最多 4 位的字母或数字")


def validate_category_prefixes(prefixes: Mapping[str, str]) -> None:
    """Every prefix valid, and no two categories sharing one (numbers would collide)."""
    seen: dict[str, str] = {}
    for category, prefix in prefixes.items():
        validate_prefix(prefix)
        if prefix in seen:
            raise ValueError(f"“{seen[prefix]}”和“{category}”使用了相同的号码前缀 {prefix}")
        seen[prefix] = category


def prefix_for(category: str, prefixes: Mapping[str, str] = DEFAULT_CATEGORY_PREFIXES) -> str:
    try:
        return prefixes[category]
    except KeyError:
        raise ValueError(f"窗口类别“{category}”没有设置号码前缀") from None


def issue_ticket(
    category: str,
    seq: int,
    issued_at: datetime,
    ticket_type: TicketType = TicketType.NORMAL,
    appointment_at: datetime | None = None,
    prefixes: Mapping[str, str] = DEFAULT_CATEGORY_PREFIXES,
) -> Ticket:
    """A new waiting ticket; `seq` is the category's next number of the day (from the store)."""
    if ticket_type is TicketType.APPOINTMENT and appointment_at is None:
        raise ValueError("预约号必须有预约时间")
    prefix = prefix_for(category, prefixes)
    return Ticket(
        number=ticket_number(prefix, seq),
        category=category,
        prefix=prefix,
        seq=seq,
        type=ticket_type,
        issued_at=issued_at,
        appointment_at=appointment_at if ticket_type is TicketType.APPOINTMENT else None,
    )


# --- who is next ---------------------------------------------------------------------------------


def appointment_due_from(ticket: Ticket, rules: CallingRules) -> datetime | None:
    """When an appointment ticket starts counting as priority; None if it never does."""
    if ticket.type is not TicketType.APPOINTMENT or ticket.appointment_at is None:
        return None
    if rules.appointment_grace_minutes is not None and ticket.issued_at > (
        ticket.appointment_at + timedelta(minutes=rules.appointment_grace_minutes)
    ):
        return None  # came too late: waits as a normal ticket
    return ticket.appointment_at - timedelta(minutes=rules.appointment_window_minutes)


def is_priority(ticket: Ticket, now: datetime, rules: CallingRules) -> bool:
    """Whether the ticket is in the priority class at `now`."""
    if ticket.type in (TicketType.PRIORITY, TicketType.VIP):
        return True
    due_from = appointment_due_from(ticket, rules)
    return due_from is not None and now >= due_from


def _normal_key(ticket: Ticket) -> tuple[bool, datetime, datetime, int, str]:
    return (not ticket.front, ticket.queue_time, ticket.issued_at, ticket.seq, ticket.number)


def _priority_key(ticket: Ticket, rules: CallingRules) -> tuple[bool, datetime, datetime, int, str]:
    joined = ticket.queue_time
    due_from = appointment_due_from(ticket, rules)
    if due_from is not None and due_from > joined:
        joined = due_from
    return (not ticket.front, joined, ticket.issued_at, ticket.seq, ticket.number)


def choose_next(
    waiting: Sequence[Ticket],
    categories: Collection[str] | None,
    priority_streak: int,
    now: datetime,
    rules: CallingRules | None = None,
    *,
    window: str | None = None,
) -> CallChoice | None:
    """The ticket a window calls next, and the window's new priority streak.

    `waiting`: the hall's tickets (only those in state waiting are considered); `categories`: the
    window categories this window serves (None: all); `priority_streak`: what the previous
    `CallChoice` returned for this window (0 at the start of the day). None: nobody to call.
    `window`: the calling window; a ticket sent to one window (`for_window`) waits for that
    window only, whatever its category, and is never called by another.
    """
    choices = call_candidates(waiting, categories, priority_streak, now, rules, window=window, limit=1)
    return choices[0] if choices else None


def _eligible(ticket: Ticket, categories: Collection[str] | None, window: str | None) -> bool:
    if ticket.state is not TicketState.WAITING:
        return False
    if ticket.for_window is not None:
        return ticket.for_window == window
    return categories is None or ticket.category in categories


def call_candidates(
    waiting: Sequence[Ticket],
    categories: Collection[str] | None,
    priority_streak: int,
    now: datetime,
    rules: CallingRules | None = None,
    *,
    window: str | None = None,
    limit: int | None = None,
) -> list[CallChoice]:
    """The tickets a window may call now, best first, each with the streak calling it leaves.

    The first is `choose_next`'s choice. The others are what to take when windows calling at
    the same moment already hold the better ones (the central skips tickets another window has
    locked): first the rest of the class the rules chose, in its order, then the other class.
    """
    rules = rules or CallingRules()
    priority: list[Ticket] = []
    normal: list[Ticket] = []
    for ticket in waiting:
        if _eligible(ticket, categories, window):
            (priority if is_priority(ticket, now, rules) else normal).append(ticket)
    normal.sort(key=_normal_key)
    priority.sort(key=lambda t: _priority_key(t, rules))
    # Only priority calls that jump over a waiting normal ticket count toward K.
    as_priority = [CallChoice(t, priority_streak + 1 if normal else 0) for t in priority]
    as_normal = [CallChoice(t, 0) for t in normal]
    if normal and (not priority or priority_streak >= rules.max_priority_in_row):
        ordered = as_normal + as_priority
    else:
        ordered = as_priority + as_normal
    return ordered if limit is None else ordered[:limit]


def queue_order(
    waiting: Sequence[Ticket],
    categories: Collection[str] | None,
    priority_streak: int,
    now: datetime,
    rules: CallingRules | None = None,
    *,
    window: str | None = None,
) -> list[Ticket]:
    """The order in which one window would call the waiting tickets if nobody else arrived."""
    left = list(waiting)
    order: list[Ticket] = []
    streak = priority_streak
    while (choice := choose_next(left, categories, streak, now, rules, window=window)) is not None:
        order.append(choice.ticket)
        streak = choice.streak
        left = [t for t in left if t is not choice.ticket]
    return order


# --- state changes -------------------------------------------------------------------------------

_ALLOWED: dict[TicketState, frozenset[TicketState]] = {
    TicketState.WAITING: frozenset(
        {TicketState.CALLED, TicketState.CANCELLED, TicketState.TRANSFERRED}
    ),
    TicketState.CALLED: frozenset(
        {
            TicketState.CALLED,  # recall
            TicketState.WAITING,  # no-show before the N-th call
            TicketState.MISSED,
            TicketState.SERVING,
            TicketState.PARKED,
            TicketState.TRANSFERRED,
            TicketState.CANCELLED,
        }
    ),
    TicketState.SERVING: frozenset(
        {TicketState.DONE, TicketState.PARKED, TicketState.TRANSFERRED, TicketState.CANCELLED}
    ),
    TicketState.PARKED: frozenset(
        {TicketState.CALLED, TicketState.SERVING, TicketState.TRANSFERRED, TicketState.CANCELLED}
    ),
    TicketState.MISSED: frozenset({TicketState.WAITING, TicketState.CANCELLED}),
    TicketState.DONE: frozenset(),
    TicketState.TRANSFERRED: frozenset(),
    TicketState.CANCELLED: frozenset(),
}


def can_move(ticket: Ticket, state: TicketState) -> bool:
    return state in _ALLOWED[ticket.state]


def _check(ticket: Ticket, state: TicketState) -> None:
    if not can_move(ticket, state):
        raise ValueError(
            f"{ticket.number}号当前为“{TICKET_STATE_LABELS[ticket.state]}”，"
            f"不能改为“{TICKET_STATE_LABELS[state]}”"
        )


def called(ticket: Ticket, window: str, now: datetime) -> Ticket:
    """Called (call-next, a specific call, or a recall): one more call counted."""
    _check(ticket, TicketState.CALLED)
    return replace(
        ticket,
        state=TicketState.CALLED,
        calls=ticket.calls + 1,
        last_called_at=now,
        window=window,
        front=False,
    )


def taken_over(ticket: Ticket, window: str, now: datetime) -> Ticket:
    """Another window takes a ticket called at, served by or parked at a window (an explicit,
    recorded action, never a call by number): called at the new window, one more call."""
    if ticket.state not in (TicketState.CALLED, TicketState.SERVING, TicketState.PARKED):
        raise ValueError(f"{ticket.number}号当前为“{TICKET_STATE_LABELS[ticket.state]}”，不能接管")
    return replace(ticket, state=TicketState.CALLED, calls=ticket.calls + 1, last_called_at=now, window=window,
                   front=False)


def after_no_show(ticket: Ticket, rules: CallingRules | None = None) -> Ticket:
    """The applicant did not come to the call: missed after N calls, else back to its place."""
    rules = rules or CallingRules()
    if ticket.calls >= rules.no_show_after_calls:
        _check(ticket, TicketState.MISSED)
        return replace(ticket, state=TicketState.MISSED)
    _check(ticket, TicketState.WAITING)
    return replace(ticket, state=TicketState.WAITING, window=None)


def returned(ticket: Ticket, now: datetime) -> Ticket:
    """A missed applicant came back: waiting again, at the end of its queue, calls afresh."""
    if ticket.state is not TicketState.MISSED:
        raise ValueError(f"{ticket.number}号不是过号状态，不能重新排队")
    return replace(
        ticket, state=TicketState.WAITING, requeued_at=now, calls=0, window=None, front=False
    )


def started(ticket: Ticket) -> Ticket:
    """Service started at the window (the applicant came)."""
    _check(ticket, TicketState.SERVING)
    return replace(ticket, state=TicketState.SERVING)


def finished(ticket: Ticket) -> Ticket:
    _check(ticket, TicketState.DONE)
    return replace(ticket, state=TicketState.DONE)


def parked(ticket: Ticket) -> Ticket:
    """Put on hold (e.g. the applicant fetches a missing paper); called again by number."""
    _check(ticket, TicketState.PARKED)
    return replace(ticket, state=TicketState.PARKED)


def cancelled(ticket: Ticket) -> Ticket:
    _check(ticket, TicketState.CANCELLED)
    return replace(ticket, state=TicketState.CANCELLED)


def transferred(
    ticket: Ticket,
    now: datetime,
    category: str | None = None,
    front: bool = False,
    window: str | None = None,
) -> Transfer:
    """Sent to another category's queue (or back into its own), at its front or its end; with
    `window`, to that window only (its clerk calls it next like any other of its tickets)."""
    _check(ticket, TicketState.TRANSFERRED)
    closed = replace(ticket, state=TicketState.TRANSFERRED)
    moved = replace(
        ticket,
        category=category if category is not None else ticket.category,
        state=TicketState.WAITING,
        calls=0,
        window=None,
        requeued_at=now,
        front=front,
        for_window=window,
    )
    return Transfer(closed, moved)


# --- announcement --------------------------------------------------------------------------------


def validate_template(template: str) -> None:
    """Raise ValueError (Chinese message) unless the template uses only {ticket} and {window}."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        raise ValueError("播报模板中的花括号不成对：占位符请写成 {ticket}、{window}") from None
    fields_seen: set[str] = set()
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in TEMPLATE_FIELDS:
            shown = "{" + name + "}" if name else "{}"
            raise ValueError(
                f"播报模板中有未知的占位符 {shown}：只能使用 {{ticket}}（号码）和 {{window}}（窗口号）"
            )
        if spec or conversion:
            raise ValueError(f"播报模板中的占位符 {{{name}}} 不能带格式说明")
        fields_seen.add(name)
    if "ticket" not in fields_seen:
        raise ValueError("播报模板必须包含号码占位符 {ticket}")


def announcement_text(template: str, ticket_number: str, window: str) -> str:
    """The text to announce: ("请{ticket}号到{window}号窗口办理", "A001", "3") → "请A001号到3号窗口办理"."""
    validate_template(template)
    return template.format(ticket=ticket_number, window=window)
