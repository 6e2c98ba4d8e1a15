"""The monthly and quarterly ranking (月考核、季排名), its marks and its flags.

- A month's ranking sorts the windows (or clerks) by that month's score.
- A quarter's score is the mean of the subject's monthly scores over the months of the quarter
  in which it worked (issued a ticket, took a case or had a service to rate); a month it did
  not work in is left out, never counted as 0.
- Ties: equal scores (to 0.01) are broken by the higher satisfaction rate of the period, then
  by fewer overdue cases, then by more tickets served. Subjects equal on all four share a rank
  (1, 2, 2, 4) and are listed by their number.
- Marks: the first `marks` ranks (a setting, 3 by default) are marked for commendation (表彰);
  the last `marks` places, and anyone sharing the rank of the highest of those places, for
  warning (警示); a subject commended is never also warned.
- Flag: a subject ranked last in two consecutive months (the period's months and the month
  before it) is flagged for a talk (约谈).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hallclient.core.stats.scheme import Score

TIE_RULE = "同分（精确到0.01分）依次比较：满意率高者在前、超期办件少者在前、办理号票多者在前；仍相同者并列，按编号排列"
COMMEND, WARN = "commend", "warn"
MARK_LABELS = {COMMEND: "表彰", WARN: "警示"}


@dataclass(frozen=True)
class Ranked:
    subject: str
    score: float
    rank: int
    figures: Mapping[str, Any]
    monthly: Mapping[str, Score | None] = field(default_factory=dict)  # month text → score
    mark: str | None = None
    flagged: bool = False  # last two months running
    tied: bool = False  # shares its rank


def worked(figures: Mapping[str, Any]) -> bool:
    return bool(figures.get("tickets_issued") or figures.get("tickets_served") or figures.get("cases_total")
                or figures.get("services_to_rate"))


def _key(subject: str, score: float, figures: Mapping[str, Any]) -> tuple[Any, ...]:
    sat = figures.get("satisfaction_rate")
    return (-round(score, 2), -(sat if sat is not None else -1.0), int(figures.get("cases_overdue") or 0),
            -int(figures.get("tickets_served") or 0))


def rank(scores: Mapping[str, float], figures: Mapping[str, Mapping[str, Any]], *, marks: int = 3,
         monthly: Mapping[str, Mapping[str, Score | None]] | None = None) -> list[Ranked]:
    """Rank `scores` (subject → score) with the tie rule; `figures` break ties."""
    order = sorted(scores, key=lambda s: (_key(s, scores[s], figures.get(s, {})), _natural(s)))
    keys = [_key(s, scores[s], figures.get(s, {})) for s in order]
    ranks: list[int] = []
    for i, key in enumerate(keys):
        ranks.append(ranks[i - 1] if i and keys[i - 1] == key else i + 1)
    n = len(order)
    warn_from = ranks[n - marks] if marks and n >= 1 and n - marks >= 0 else (ranks[0] if marks and n else None)
    result = []
    for i, subject in enumerate(order):
        mark = None
        if marks and ranks[i] <= marks:
            mark = COMMEND
        elif marks and warn_from is not None and ranks[i] >= warn_from:
            mark = WARN
        tied = ranks.count(ranks[i]) > 1
        result.append(Ranked(subject, round(scores[subject], 2), ranks[i], figures.get(subject, {}),
                             (monthly or {}).get(subject, {}), mark, False, tied))
    return result


def last_subjects(ranking: Sequence[Ranked]) -> set[str]:
    if not ranking:
        return set()
    bottom = max(r.rank for r in ranking)
    return {r.subject for r in ranking if r.rank == bottom}


def flag_last_two_running(months: Sequence[Sequence[Ranked]]) -> set[str]:
    """Subjects last in two consecutive rankings of `months` (oldest first)."""
    flagged: set[str] = set()
    for before, after in zip(months, months[1:], strict=False):
        if len(before) > 1 and len(after) > 1:
            flagged |= last_subjects(before) & last_subjects(after)
    return flagged


def quarter_scores(monthly: Mapping[str, Mapping[str, tuple[Score, Mapping[str, Any]]]]) -> dict[str, float]:
    """subject → mean of the monthly totals of the months it worked in. `monthly`: month →
    subject → (score, figures of that month)."""
    totals: dict[str, list[float]] = {}
    for per_subject in monthly.values():
        for subject, (sc, figs) in per_subject.items():
            if worked(figs):
                totals.setdefault(subject, []).append(sc.total)
    return {s: sum(v) / len(v) for s, v in totals.items() if v}


def with_flags(ranking: Sequence[Ranked], flagged: set[str]) -> list[Ranked]:
    from dataclasses import replace

    return [replace(r, flagged=r.subject in flagged) for r in ranking]


def _natural(subject: str) -> tuple[Any, ...]:
    """Window 2 before window 10; names by their text."""
    return (0, int(subject), "") if subject.isdigit() else (1, 0, subject)
