"""Every figure of the hand-made July 2026 (tests/stats/conftest.py), worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from hallclient.central import stats as central_stats
from hallclient.core.stats.figures import FIGURE_KEYS, median, percentile
from hallclient.core.stats.period import PeriodError, parse_period

TODAY = date(2026, 12, 31)


def test_periods() -> None:
    assert (parse_period("2026-12-01").first, parse_period("2026-12-01").last) == (date(2026, 12, 1),) * 2
    m = parse_period("2026-02")
    assert (m.first, m.last, m.kind) == (date(2026, 2, 1), date(2026, 2, 28), "month")
    q = parse_period("2026-Q3")
    assert (q.first, q.last, q.label) == (date(2026, 7, 1), date(2026, 9, 30), "2026年第三季度")
    assert [p.text for p in q.months()] == ["2026-07", "2026-08", "2026-09"]
    r = parse_period("2026-12-01..2026-12-15")
    assert (r.days, r.kind) == (15, "range")
    for bad in ("2026-13", "2026-Q5", "2026-12-15..2026-12-01", "2026/12", "2026-02-30"):
        with pytest.raises(PeriodError):
            parse_period(bad)


def test_median_and_nearest_rank_percentile() -> None:
    assert median([60, 300, 600, 1200]) == 450
    assert median([1, 2, 3]) == 2
    assert percentile([60, 300, 600, 1200], 0.9) == 1200  # rank ⌈3.6⌉ = 4
    assert percentile(list(range(1, 11)), 0.9) == 9  # rank ⌈9⌉ = 9
    assert median([]) is None and percentile([], 0.9) is None


def test_hall_figures_of_july(quarter) -> None:  # type: ignore[no-untyped-def]
    store, _url = quarter
    result = central_stats.figures(store, parse_period("2026-07"), today=TODAY)
    hall = result["hall"]
    assert set(FIGURE_KEYS) <= set(hall)
    expected = {
        # tickets: 5 issued; t1, t2, t4 served; t3 no-show; t4 transferred once
        "tickets_issued": 5, "tickets_served": 3, "tickets_no_show": 1, "tickets_transferred": 1,
        # waits 60, 300, 600, 1200 s: mean 540 s; median (300 + 600) / 2; p90 rank 4; max 1200 s
        "wait_mean_min": 9.0, "wait_median_min": 7.5, "wait_p90_min": 20.0, "wait_max_min": 20.0,
        # service 300, 600, 1200 s: mean 700 s = 11.67 min; median 600 s; p90 rank ⌈2.7⌉ = 3
        "service_mean_min": 11.7, "service_median_min": 10.0, "service_p90_min": 20.0,
        # cases c1…c7
        "cases_total": 7, "cases_accepted": 2, "cases_tolerated": 3, "cases_one_time_notice": 1, "cases_refused": 1,
        "tolerance_on_time": 1, "tolerance_late": 1, "tolerance_returned": 1,
        "completed_on_time": 2, "completed_late": 1, "open_overdue": 1, "cases_overdue": 2,
        "completed_on_time_rate": 0.5, "on_site_approvals": 2, "approval_mean_min": 20.0,
        # ratings r1…r6: r3 未评价; 3 of the 5 rated are satisfied; r4, r6 差评
        "services_to_rate": 6, "ratings_rated": 5, "rated_share": 5 / 6, "satisfaction_rate": 0.6, "bad_ratings": 2,
        "complaints_received": 1, "complaints_closed_on_time": 1, "complaints_reopened": 1,
        "complaints_substantiated": 1,
        # window 1 paused 11:50–13:10: 10 + 10 minutes inside 09–12 / 13–17; two windows × 420 minutes
        "attendance_rate": 1 - 20 / 840,
    }
    for key, value in expected.items():
        assert hall[key] == pytest.approx(value), key
    assert result["hourly"][9] == 3 and result["hourly"][10] == 2 and sum(result["hourly"]) == 5
    assert [w["number"] for w in result["longest_waits"]] == ["B001", "A002", "A001", "A003"]
    assert hall["prereview_missing_rate"] is None  # no pre-review: no data, never 0 %


def test_figures_by_window_and_clerk(quarter) -> None:  # type: ignore[no-untyped-def]
    store, _url = quarter
    by_window = central_stats.figures(store, parse_period("2026-Q3"), by="window", today=TODAY)["groups"]
    w1, w2 = by_window["1"], by_window["2"]
    assert (w1["tickets_issued"], w1["wait_mean_min"], w1["cases_total"], w1["completed_late"]) == (2, 7.5, 4, 1)
    assert (w2["wait_mean_min"], w2["open_overdue"], w2["satisfaction_rate"], w2["complaints_received"]) == (
        10.5, 1, 0.5, 1)
    assert w1["attendance_rate"] == pytest.approx(1 - 20 / 420) and w2["attendance_rate"] == 1
    # queue events carry the clerk's name; the figures group by login (users: 张三 = clerk1)
    by_clerk = central_stats.figures(store, parse_period("2026-07"), by="clerk", today=TODAY)["groups"]
    assert by_clerk["clerk1"]["tickets_issued"] == 2 and by_clerk["clerk1"]["cases_total"] == 4
    own = central_stats.figures(store, parse_period("2026-07"), clerk="clerk2", today=TODAY)["hall"]
    assert (own["tickets_issued"], own["cases_total"], own["services_to_rate"]) == (2, 3, 2)


def test_open_overdue_counts_at_the_period_end(quarter) -> None:  # type: ignore[no-untyped-def]
    store, _url = quarter
    # c3 is due 2026-07-20: on 2026-07-15 it is open but not yet overdue
    early = central_stats.figures(store, parse_period("2026-07-01..2026-07-15"), today=TODAY)["hall"]
    assert early["open_overdue"] == 0 and early["completed_late"] == 1


def test_facts_are_filled_once_per_past_day(quarter) -> None:  # type: ignore[no-untyped-def]
    store, _url = quarter
    assert central_stats.refresh(store, TODAY) == {"days": 1, "cases": 7}
    assert central_stats.refresh(store, TODAY) == {"days": 0, "cases": 0}


def test_docs_define_the_same_figures() -> None:
    import re
    from pathlib import Path

    documented = set(re.findall(r"^\| `(\w+)` \|", (Path(__file__).parents[2] / "docs" / "figures.md")
                                .read_text(encoding="utf-8"), re.M))
    assert documented == set(FIGURE_KEYS)


def test_histogram_figures_equal_the_sorted_values() -> None:
    """The per-day summary's 1-second histograms give exactly the figures of the sorted values."""
    import random

    from hallclient.core.stats.figures import Times, mean

    rng = random.Random(13)
    for _ in range(500):
        values = sorted(rng.randint(0, 90) for _ in range(rng.randint(1, 60)))
        parts = [Times.of(values[i::3]) for i in range(3)]
        for times in (Times.of(values), Times.merged(parts)):
            assert (times.mean(), times.median(), times.percentile(0.9), times.max()) == (
                mean(values), median(values), percentile(values, 0.9), values[-1])
            assert times.top_threshold(10) == sorted(values, reverse=True)[min(10, len(values)) - 1]
    assert Times().median() is None and Times().percentile(0.9) is None and Times().max() is None
