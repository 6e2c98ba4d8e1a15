"""Statistics benchmark: a quarter view and a month's ranking for a year of a busy hall
(300,000 tickets, 150,000 cases, 120,000 ratings) on SQLite, and on PostgreSQL when
HALLCLIENT_TEST_PG_URL is set; and a simulated hall day. Budget: quarter view ≤ 1 s, simulated
day ≤ 2 s. The last line is JSON.

    .venv/bin/python bench/bench_stats.py [--days 250] [--keep]

The year is generated once (hallclient.central.stats_seed) and its daily facts filled (as the
nightly `hallclient central stats --refresh` would); a SQLite copy is kept in /tmp for reruns
with --keep. The baseline is a bare aggregate over the same quarter's fact rows.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from hallclient.central import stats as central_stats  # noqa: E402
from hallclient.central.database import open_central  # noqa: E402
from hallclient.central.stats_seed import seed  # noqa: E402
from hallclient.core.stats import assessment  # noqa: E402
from hallclient.core.stats.period import parse_period  # noqa: E402
from hallclient.core.stats.scheme import load_scheme  # noqa: E402
from hallclient.core.stats.simulation import simulate, validate  # noqa: E402

FIRST = date(2026, 1, 1)
TODAY = date(2026, 12, 31)


CPU: dict[str, float] = {}  # the CPU seconds (time.process_time) of the best run of each timed name


def _best(fn, runs: int = 3, name: str = "") -> float:  # type: ignore[no-untyped-def]
    """The best wall time of `runs`; its CPU time is kept in CPU[name] (on a loaded machine the
    wall clock includes waiting for a core, the CPU time does not)."""
    times = []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    wall, used = min(times)
    if name:
        CPU[name] = used
    return wall


def run(url: str, days: int, fresh: bool) -> dict[str, float]:
    store = open_central(url)
    figures: dict[str, float] = {}
    with store.session() as s:
        have = s.execute(text("SELECT COUNT(*) FROM queue_tickets")).scalar_one()
    if fresh or not have:
        start = time.perf_counter()
        with store.session() as s, s.begin():
            counts = seed(s, FIRST, days, tickets_per_day=1200, cases_per_day=600, seed=7)
        figures["seed_s"] = round(time.perf_counter() - start, 1)
        print(f"  generated {counts}", file=sys.stderr)
        start = time.perf_counter()
        central_stats.refresh(store, TODAY)
        figures["fill_facts_s"] = round(time.perf_counter() - start, 1)
    with store.session() as s:
        figures["tickets"] = s.execute(text("SELECT COUNT(*) FROM queue_tickets")).scalar_one()
        figures["cases"] = s.execute(text("SELECT COUNT(*) FROM central_cases")).scalar_one()
        figures["ratings"] = s.execute(text("SELECT COUNT(*) FROM central_ratings")).scalar_one()
    quarter, month = parse_period("2026-Q3"), parse_period("2026-09")
    scheme = load_scheme()

    def bare() -> None:
        with store.session() as s:
            s.execute(text("SELECT window_number, COUNT(*), SUM(wait_s), SUM(service_s) FROM stats_ticket_facts"
                           " WHERE day BETWEEN :a AND :b GROUP BY window_number"),
                      {"a": "2026-07-01", "b": "2026-09-30"}).all()

    def quarter_view() -> None:  # what the dashboard loads: the refresh check, hall and per window
        central_stats.figures(store, quarter, by="window", today=TODAY)

    def ranking() -> None:
        assessment.monthly(lambda p, by: central_stats.figures(store, p, by=by, today=TODAY, lazy=False), month,
                           scheme)

    figures["bare_quarter_aggregate_s"] = round(_best(bare, name="bare"), 4)
    figures["quarter_view_s"] = round(_best(quarter_view, name="quarter"), 3)
    figures["month_ranking_s"] = round(_best(ranking, name="ranking"), 3)
    figures["quarter_view_vs_bare"] = round(figures["quarter_view_s"] / max(figures["bare_quarter_aggregate_s"], 1e-6), 1)
    figures["bare_quarter_aggregate_cpu_s"] = round(CPU["bare"], 4)
    figures["quarter_view_cpu_s"] = round(CPU["quarter"], 3)
    figures["month_ranking_cpu_s"] = round(CPU["ranking"], 3)
    figures["quarter_view_vs_bare_cpu"] = round(CPU["quarter"] / max(CPU["bare"], 1e-6), 1)
    figures["model_day_s"] = round(_best(lambda: central_stats.day_model(store, date(2026, 9, 1), TODAY), 1), 3)
    model = central_stats.day_model(store, date(2026, 9, 1), TODAY)
    figures["simulated_day_s"] = round(_best(lambda: simulate(model, seed=1)), 3)
    check = validate(model)
    figures["validation_measured_min"] = check["measured_mean_min"]
    figures["validation_simulated_min"] = check["simulated_mean_min"]
    figures["validation_ok"] = check["ok"]
    store.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=250, help="working days of history (250: a year)")
    parser.add_argument("--keep", action="store_true", help="reuse the generated SQLite year in /tmp")
    args = parser.parse_args()
    path = Path(f"/tmp/hallclient-bench-stats-{args.days}.db")
    if not args.keep:
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
    result: dict[str, object] = {"bench": "stats", "budget": {"quarter_view_s": 1.0, "simulated_day_s": 2.0}}
    print("SQLite:", file=sys.stderr)
    result["sqlite"] = run(f"sqlite:///{path}", args.days, fresh=not path.exists())
    print(json.dumps(result["sqlite"], ensure_ascii=False), file=sys.stderr)
    pg = os.environ.get("HALLCLIENT_TEST_PG_URL")
    if pg:
        from sqlalchemy import create_engine

        engine = create_engine(pg)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
        print("PostgreSQL:", file=sys.stderr)
        result["postgresql"] = run(pg, args.days, fresh=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
