"""The scoring scheme, the ranking with its tie rule, marks and flags, the CLI, the report, the
simulation."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from hallclient.central import stats as central_stats
from hallclient.core.permissions import Actor, PermissionDenied, Role
from hallclient.core.stats import assessment
from hallclient.core.stats.period import parse_period
from hallclient.core.stats.ranking import COMMEND, WARN, flag_last_two_running, rank
from hallclient.core.stats.scheme import SchemeError, load_scheme, scheme_from_json, score

TODAY = date(2026, 12, 31)


def test_default_scheme_scores_july_by_hand(quarter) -> None:  # type: ignore[no-untyped-def]
    store, _url = quarter
    central_stats.refresh(store, TODAY)
    scheme = load_scheme()
    found = assessment.monthly(lambda p, by: central_stats.figures(store, p, by=by, today=TODAY, lazy=False),
                               parse_period("2026-07"), scheme)
    scores = {r.subject: r for r in found.ranking}
    # window 1: wait 7.5 min ≤ 10 → 25; on time 2/3 < 0.8 → 0; satisfied 2/3 < 0.8 → 0; no complaint → 10;
    # attendance 1 − 20/420 → (0.95238 − 0.8) / 0.2 × 10 = 7.619; − 1 overdue × 5 − 1 差评 not rectified × 2
    assert scores["1"].score == pytest.approx(25 + 0 + 0 + 10 + 7.619 - 5 - 2, abs=0.01)
    # window 2: wait 10.5 min → (40 − 10.5) / 30 × 25 = 24.583; complaint 1 → (3 − 1) / 3 × 10 = 6.667;
    # attendance 10; − 5 − 2
    assert scores["2"].score == pytest.approx(24.583 + 6.667 + 10 - 5 - 2, abs=0.01)
    assert [r.subject for r in found.ranking] == ["1", "2"]
    explained = scores["1"].monthly["2026-07"].explain()
    assert "办事效率：7.5 分钟 → 25.00/25" in explained and "扣分 · 超期办件：1 × 5 分，至多 20 分 → −5.00" in explained


def test_scheme_is_data_checked_and_capped() -> None:
    data = load_scheme().to_json()
    data["indicators"][0]["figure"] = "no_such_figure"
    with pytest.raises(SchemeError, match="未知的统计指标"):
        scheme_from_json(data)
    data = load_scheme().to_json()
    data["max_score"] = 50
    capped = score({"wait_mean_min": 1.0}, scheme_from_json(data))
    assert capped.total == 50 and capped.capped  # every indicator full (no data → full) = 100, capped at 50
    data = load_scheme().to_json() | {"no_data": "reweight"}
    only_wait = score({"wait_mean_min": 25.0}, scheme_from_json(data))
    assert only_wait.total == pytest.approx(50.0)  # half of efficiency's points, scaled ×4 (25 of 100 present)
    data = load_scheme().to_json() | {"no_data": "zero"}
    assert score({}, scheme_from_json(data)).total == 0


def test_ranking_ties_marks_and_flags() -> None:
    scores = {"1": 90.0, "2": 90.0, "3": 90.0, "4": 80.0, "5": 70.0, "6": 70.0, "7": 60.0}
    figures = {"1": {"satisfaction_rate": 0.9}, "2": {"satisfaction_rate": 0.95}, "3": {"satisfaction_rate": 0.9,
               "cases_overdue": 1}, "4": {}, "5": {"tickets_served": 3}, "6": {"tickets_served": 3}, "7": {}}
    ranked = rank(scores, figures, marks=2)
    assert [(r.subject, r.rank) for r in ranked] == [("2", 1), ("1", 2), ("3", 3), ("4", 4), ("5", 5), ("6", 5),
                                                     ("7", 7)]
    marks = {r.subject: r.mark for r in ranked}
    assert marks["2"] == marks["1"] == COMMEND and marks["3"] is None
    # the last two places are 6th (rank 5, shared with window 5) and 7th: 5, 6 and 7 are warned
    assert marks["5"] == marks["6"] == marks["7"] == WARN
    assert ranked[4].tied and ranked[5].tied and not ranked[0].tied
    june = rank({"1": 80, "2": 70, "3": 60}, {}, marks=0)
    july = rank({"1": 80, "2": 50, "3": 60}, {}, marks=0)
    august = rank({"1": 80, "2": 40, "3": 60}, {}, marks=0)
    assert flag_last_two_running([june, july]) == set()
    assert flag_last_two_running([june, july, august]) == {"2"}


def test_quarterly_ranking_means_the_months_worked(quarter) -> None:  # type: ignore[no-untyped-def]
    store, _url = quarter
    central_stats.refresh(store, TODAY)
    found = assessment.quarterly(lambda p, by: central_stats.figures(store, p, by=by, today=TODAY, lazy=False),
                                 parse_period("2026-Q3"), load_scheme())
    assert [r.subject for r in found.ranking] == ["1", "2"]
    first = found.ranking[0]
    assert first.monthly["2026-08"] is None and first.score == first.monthly["2026-07"].total  # only July worked


def test_clerk_reads_only_their_own() -> None:
    from hallclient.services.stats import scope

    clerk = Actor("clerk1", "张三", frozenset({Role.CLERK}), window_number="1")
    supervisor = Actor("sup", "王五", frozenset({Role.SUPERVISOR}))
    proxy = Actor("p", "代办", frozenset({Role.PROXY}))
    assert scope(clerk) == "clerk1" and scope(supervisor) is None
    with pytest.raises(PermissionDenied, match="大厅管理人员"):
        scope(proxy)


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hallclient", *args], capture_output=True, text=True, env=env,
                          cwd=Path(__file__).parents[2], timeout=120)


def test_central_stats_cli_prints_the_same_figures(quarter, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store, url = quarter
    out = _cli("central", "stats", "--db", url, "--period", "2026-07", "--by", "window", "--json",
               "--data-dir", str(tmp_path))
    assert out.returncode == 0, out.stderr
    printed = json.loads(out.stdout)
    assert printed["hall"]["tickets_issued"] == 5 and printed["groups"]["2"]["wait_mean_min"] == 10.5
    table = _cli("central", "stats", "--db", url, "--period", "2026-07", "--data-dir", str(tmp_path))
    assert "平均等候时间" in table.stdout and "9.0 分钟" in table.stdout
    csv_path, pdf_path = tmp_path / "q.csv", tmp_path / "q.pdf"
    ranked = _cli("central", "stats", "--db", url, "--period", "2026-Q3", "--assessment", "--csv", str(csv_path),
                  "--pdf", str(pdf_path), "--data-dir", str(tmp_path))
    assert ranked.returncode == 0, ranked.stderr
    assert "排名规则" in ranked.stdout
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "办事效率" in text and "扣分·超期办件" in text
    assert pdf_path.read_bytes().startswith(b"%PDF")


def test_window_stats_needs_a_signed_in_person(tmp_path: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("HALLCLIENT_")}
    out = _cli("stats", "--period", "2026-07", "--data-dir", str(tmp_path), env=env)
    assert out.returncode == 4, out.stderr


def test_simulation_is_seeded_and_checked_against_the_real_day(tmp_path: Path) -> None:
    from hallclient.central.database import open_central
    from hallclient.central.stats_seed import seed, simulate_day
    from hallclient.core.stats.simulation import simulate, validate

    store = open_central(f"sqlite:///{tmp_path / 'c.db'}")
    with store.session() as s, s.begin():
        seed(s, date(2026, 7, 1), 1, tickets_per_day=1200, cases_per_day=10)
    model = central_stats.day_model(store, date(2026, 7, 1), TODAY)
    store.close()
    assert len(model.staffing) == 28 and set(model.rates) == {"无差别受理", "市场准入", "建设工程", "不动产登记", "社会事务"}
    a, b = simulate(model, seed=3), simulate(model, seed=3)
    assert a.summary == b.summary and a.queue == b.queue
    assert simulate(model, seed=4).summary != a.summary
    check = validate(model)
    assert check["ok"], check
    fewer = dict(model.staffing)
    for w in [w for w, c in model.staffing.items() if c == ("无差别受理",)][:3]:
        del fewer[w]
    assert simulate(model, fewer, seed=3).summary["wait_mean_min"] > a.summary["wait_mean_min"]
    assert simulate_day(date(2026, 7, 2), 100, random.Random(1))[0]
