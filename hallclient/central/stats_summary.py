"""The per-day summary of the ticket facts (central schema step 9; the window's store step 10
writes the same DDL): what a period's queue figures read instead of one row per ticket.

- `stats_ticket_days`: per day × window × clerk × category × hour of issue, the counts (issued,
  served, no-show, transferred) and the waiting and service seconds' count and sum;
- `stats_time_hist`: per day × window × clerk × category, how many tickets waited (`kind` wait)
  or were served (`kind` service) exactly `seconds` seconds. The facts are whole seconds, so
  these 1-second buckets are exact: the median and 90th percentile read from them are those of
  the sorted values (hallclient.core.stats.figures.Times), not an approximation.

A missing window or clerk is stored as '' (the figures group them as '' too). A day's summary
is rewritten whenever its facts are (`summarise`, from hallclient.central.stats._fill_day): once
for a final day, on every refresh for today, so today is always aggregated from its live rows.
Both statements are plain SQL (INSERT … SELECT … GROUP BY) on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

SUMMARY_DDL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS stats_ticket_days (
	day VARCHAR(10) NOT NULL,
	window_number VARCHAR(16) NOT NULL,
	clerk VARCHAR(100) NOT NULL,
	category VARCHAR(32) NOT NULL,
	hour INTEGER NOT NULL,
	issued INTEGER NOT NULL,
	served INTEGER NOT NULL,
	no_show INTEGER NOT NULL,
	transferred INTEGER NOT NULL,
	wait_n INTEGER NOT NULL,
	wait_sum BIGINT NOT NULL,
	service_n INTEGER NOT NULL,
	service_sum BIGINT NOT NULL,
	PRIMARY KEY (day, window_number, clerk, category, hour)
)""",
    """CREATE TABLE IF NOT EXISTS stats_time_hist (
	kind VARCHAR(8) NOT NULL,
	day VARCHAR(10) NOT NULL,
	window_number VARCHAR(16) NOT NULL,
	clerk VARCHAR(100) NOT NULL,
	category VARCHAR(32) NOT NULL,
	seconds INTEGER NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (kind, day, window_number, clerk, category, seconds)
)""",
    """CREATE INDEX IF NOT EXISTS ix_stats_time_hist_cover ON stats_time_hist (kind, day, window_number, clerk, category, seconds, n)""",
)

# The "day" filter of both fills: one day (`= :d`) or all (the migration, a window's full refresh).
_DAYS = (
    """INSERT INTO stats_ticket_days (day, window_number, clerk, category, hour, issued, served, no_show, transferred,
 wait_n, wait_sum, service_n, service_sum)
 SELECT day, COALESCE(window_number, ''), COALESCE(clerk, ''), category, hour, COUNT(*),
 SUM(CASE WHEN outcome = 'served' THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 'no_show' THEN 1 ELSE 0 END),
 SUM(transferred), COUNT(wait_s), COALESCE(SUM(wait_s), 0), COUNT(service_s), COALESCE(SUM(service_s), 0)
 FROM stats_ticket_facts{where}
 GROUP BY day, COALESCE(window_number, ''), COALESCE(clerk, ''), category, hour""")
_HIST = (
    """INSERT INTO stats_time_hist (kind, day, window_number, clerk, category, seconds, n)
 SELECT '{kind}', day, COALESCE(window_number, ''), COALESCE(clerk, ''), category, {column}, COUNT(*)
 FROM stats_ticket_facts WHERE {column} IS NOT NULL{also}
 GROUP BY day, COALESCE(window_number, ''), COALESCE(clerk, ''), category, {column}""")
TIME_KINDS = (("wait", "wait_s"), ("service", "service_s"))


def _statements(one_day: bool) -> list[str]:
    where, also = (" WHERE day = :d", " AND day = :d") if one_day else ("", "")
    found = [_DAYS.format(where=where)]
    found += [_HIST.format(kind=kind, column=column, also=also) for kind, column in TIME_KINDS]
    return found


def summarise(session: Session, day: str | None = None) -> None:
    """Rewrite the summary of `day` (None: of every day) from its ticket facts."""
    params = {"d": day} if day is not None else {}
    where = " WHERE day = :d" if day is not None else ""
    session.execute(text(f"DELETE FROM stats_ticket_days{where}"), params)
    session.execute(text(f"DELETE FROM stats_time_hist{where}"), params)
    for statement in _statements(day is not None):
        session.execute(text(statement), params)


def step_9(conn: Connection) -> None:
    """Central step 9: the per-day summary tables, filled from the facts already there; and the
    indexes the refresh check reads (the latest received case and case event)."""
    for statement in SUMMARY_DDL:
        conn.exec_driver_sql(statement)
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_central_cases_received ON central_cases (received_at)")
    conn.exec_driver_sql(
        "CREATE INDEX IF NOT EXISTS ix_central_case_events_received ON central_case_events (received_at)")
    for statement in _statements(False):
        conn.exec_driver_sql(statement)
