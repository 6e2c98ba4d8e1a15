"""The statistics' fact tables (central schema step 6; the window's store step 8 writes the same).

- `stats_ticket_facts`: one row per ticket, its waiting and service seconds already worked out
  from its events (hallclient.core.stats.facts.ticket_fact);
- `stats_case_facts`: one row per case: decision, supplement and deadline outcomes, on-site
  approval and its minutes;
- `stats_window_days`: per window and day, the hall's open minutes and the window's paused ones;
- `stats_days`: the days whose ticket facts are final (a past day's queue never changes again).

The DDL is written out here, as each schema step's is; it runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from sqlalchemy import Connection

STATS_DDL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS stats_ticket_facts (
	ticket_id VARCHAR(36) NOT NULL,
	day VARCHAR(10) NOT NULL,
	hour INTEGER NOT NULL,
	number VARCHAR(32) NOT NULL,
	category VARCHAR(32) NOT NULL,
	window_number VARCHAR(16),
	clerk VARCHAR(100),
	type VARCHAR(16) NOT NULL,
	outcome VARCHAR(16),
	transferred INTEGER NOT NULL,
	wait_s INTEGER,
	service_s INTEGER,
	busy_s INTEGER,
	issued_at VARCHAR(40) NOT NULL,
	PRIMARY KEY (ticket_id)
)""",
    """CREATE INDEX IF NOT EXISTS ix_stats_ticket_facts_day ON stats_ticket_facts (day, window_number, clerk, category, hour, outcome, transferred, wait_s, service_s)""",
    """CREATE INDEX IF NOT EXISTS ix_stats_ticket_facts_window ON stats_ticket_facts (window_number, day)""",
    """CREATE TABLE IF NOT EXISTS stats_case_facts (
	case_uuid VARCHAR(36) NOT NULL,
	accepted_on VARCHAR(10) NOT NULL,
	window_number VARCHAR(16) NOT NULL,
	clerk VARCHAR(100) NOT NULL,
	category VARCHAR(32) NOT NULL,
	item_code VARCHAR(64) NOT NULL,
	decision VARCHAR(32) NOT NULL,
	tolerated INTEGER NOT NULL,
	supplement VARCHAR(12),
	completion VARCHAR(12) NOT NULL,
	due_date VARCHAR(10),
	completed_on VARCHAR(10),
	on_site INTEGER NOT NULL,
	approval_minutes INTEGER,
	PRIMARY KEY (case_uuid)
)""",
    """CREATE INDEX IF NOT EXISTS ix_stats_case_facts_day ON stats_case_facts (accepted_on, window_number, clerk, category, item_code, decision, tolerated, supplement, completion, due_date, on_site, approval_minutes)""",
    """CREATE TABLE IF NOT EXISTS stats_window_days (
	day VARCHAR(10) NOT NULL,
	window_number VARCHAR(16) NOT NULL,
	clerk VARCHAR(100),
	open_minutes DOUBLE PRECISION NOT NULL,
	paused_minutes DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (day, window_number)
)""",
    """CREATE TABLE IF NOT EXISTS stats_days (
	kind VARCHAR(16) NOT NULL,
	day VARCHAR(10) NOT NULL,
	filled_at VARCHAR(40) NOT NULL,
	PRIMARY KEY (kind, day)
)""",
)


def step_6(conn: Connection) -> None:
    """Central step 6: the statistics' fact tables."""
    for statement in STATS_DDL:
        conn.exec_driver_sql(statement)
