"""call_candidates (the order a window takes tickets when others hold the better ones) and
tickets sent to one window."""

from __future__ import annotations

from datetime import datetime, timedelta

from hallclient.core.queue import (
    CallingRules,
    TicketType,
    call_candidates,
    choose_next,
    issue_ticket,
    transferred,
)

T0 = datetime(2026, 11, 25, 9, 0)
RULES = CallingRules(max_priority_in_row=1)


def tk(seq: int, kind: TicketType = TicketType.NORMAL, category: str = "市场准入"):  # noqa: ANN201
    return issue_ticket(category, seq, T0 + timedelta(minutes=seq), kind)


def test_candidates_start_with_choose_next_then_the_same_class_then_the_other() -> None:
    waiting = [tk(1), tk(2, TicketType.PRIORITY), tk(3), tk(4, TicketType.PRIORITY)]
    for streak in (0, 1):
        choices = call_candidates(waiting, None, streak, T0 + timedelta(hours=1), RULES)
        assert choices[0] == choose_next(waiting, None, streak, T0 + timedelta(hours=1), RULES)
        numbers = [c.ticket.number for c in choices]
        assert numbers == (["B002", "B004", "B001", "B003"] if streak == 0 else ["B001", "B003", "B002", "B004"])
    streaks = [c.streak for c in call_candidates(waiting, None, 0, T0, RULES)]
    assert streaks == [1, 1, 0, 0]  # calling a priority ticket over waiting normal ones counts
    assert len(call_candidates(waiting, None, 0, T0, RULES, limit=2)) == 2


def test_a_ticket_sent_to_a_window_waits_for_that_window_only() -> None:
    ticket = tk(1, category="不动产登记")
    moved = transferred(ticket.__class__(**{**ticket.__dict__, "state": ticket.state.CALLED, "window": "3"}),
                        T0 + timedelta(minutes=5), window="5").moved
    assert moved.for_window == "5" and moved.window is None
    assert choose_next([moved], {"不动产登记"}, 0, T0, window="3") is None
    assert choose_next([moved], {"市场准入"}, 0, T0, window="5").ticket is moved  # type: ignore[union-attr]
    assert choose_next([moved], None, 0, T0) is None  # no window given: nobody's
