"""The monthly assessment and the quarterly ranking, from figures per window or clerk.

`figures_of(period, by)` is whatever computes the figures (the central's SQL, a window's own):
the assessment only scores and ranks them, so the central, a window and the tests agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from hallclient.core.stats.period import Period, previous_month
from hallclient.core.stats.ranking import (
    TIE_RULE,
    Ranked,
    flag_last_two_running,
    quarter_scores,
    rank,
    with_flags,
    worked,
)
from hallclient.core.stats.scheme import Scheme, Score, score

FiguresOf = Callable[[Period, str], Mapping[str, Any]]


@dataclass(frozen=True)
class Assessment:
    period: Period
    by: str  # window / clerk
    scheme: Scheme
    ranking: tuple[Ranked, ...]
    scores: Mapping[str, Score]  # subject → the period's score (a month's, or the last month's for a quarter)
    months: tuple[Period, ...]
    tie_rule: str = TIE_RULE

    def to_json(self) -> dict[str, Any]:
        def sc(s: Score | None) -> dict[str, Any] | None:
            if s is None:
                return None
            return {"total": s.total, "capped": s.capped,
                    "parts": [{"key": p.key, "label": p.label, "value": p.value, "points": p.points,
                               "weight": p.weight, "note": p.note} for p in s.parts],
                    "deductions": [{"key": d.key, "label": d.label, "value": d.value, "points": d.points,
                                    "note": d.note} for d in s.deductions]}
        return {"period": self.period.text, "label": self.period.label, "by": self.by, "scheme": self.scheme.name,
                "tie_rule": self.tie_rule, "marks": self.scheme.marks,
                "ranking": [{"subject": r.subject, "rank": r.rank, "score": r.score, "mark": r.mark,
                             "flagged": r.flagged, "tied": r.tied,
                             "monthly": {m: sc(s) for m, s in r.monthly.items()},
                             "figures": dict(r.figures)} for r in self.ranking]}


def _month_scores(figures_of: FiguresOf, month: Period, by: str,
                  scheme: Scheme) -> dict[str, tuple[Score, Mapping[str, Any]]]:
    groups = figures_of(month, by).get("groups", {})
    return {s: (score(f, scheme), f) for s, f in groups.items() if s and worked(f)}


def monthly(figures_of: FiguresOf, month: Period, scheme: Scheme, by: str = "window") -> Assessment:
    """A month's scores and ranking; flagged: last this month and the month before."""
    this = _month_scores(figures_of, month, by, scheme)
    before = _month_scores(figures_of, previous_month(month), by, scheme)
    ranking = rank({s: v[0].total for s, v in this.items()}, {s: v[1] for s, v in this.items()},
                   marks=scheme.marks, monthly={s: {month.text: v[0]} for s, v in this.items()})
    earlier = rank({s: v[0].total for s, v in before.items()}, {s: v[1] for s, v in before.items()},
                   marks=scheme.marks)
    flagged = flag_last_two_running([earlier, ranking])
    return Assessment(month, by, scheme, tuple(with_flags(ranking, flagged)), {s: v[0] for s, v in this.items()},
                      (month,))


def quarterly(figures_of: FiguresOf, quarter: Period, scheme: Scheme, by: str = "window") -> Assessment:
    """The quarter's ranking by the mean of the monthly scores; ties broken on the quarter's figures."""
    months = quarter.months()
    per_month = {m.text: _month_scores(figures_of, m, by, scheme) for m in months}
    scores = quarter_scores(per_month)
    quarter_figures = figures_of(quarter, by).get("groups", {})
    monthly_scores = {s: {m: (per_month[m][s][0] if s in per_month[m] else None) for m in per_month} for s in scores}
    ranking = rank(scores, {s: quarter_figures.get(s, {}) for s in scores}, marks=scheme.marks,
                   monthly=monthly_scores)
    sequence = [_month_scores(figures_of, previous_month(months[0]), by, scheme)] + list(per_month.values())
    month_rankings = [rank({s: v[0].total for s, v in ms.items()}, {s: v[1] for s, v in ms.items()}, marks=0)
                      for ms in sequence]
    flagged = flag_last_two_running(month_rankings)
    last = per_month[months[-1].text]
    return Assessment(quarter, by, scheme, tuple(with_flags(ranking, flagged)), {s: v[0] for s, v in last.items()},
                      tuple(months))
