"""Central schema steps of the hall queue after step 2, each one's DDL written out.

Step 2 created the queue tables from the models of its day; a database created since has the
columns below already (the models carry them), so a step adds only what is missing.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect

# Step 4: a green-channel ticket taken at the kiosk carries its reason and the clerk's check.
STEP_4_COLUMNS = {
    "green_reason": "ALTER TABLE queue_tickets ADD COLUMN green_reason VARCHAR(16)",
    "green_check": "ALTER TABLE queue_tickets ADD COLUMN green_check VARCHAR(8)",
}


def step_4(conn: Connection) -> None:
    """Kiosk green channel: reason and eligibility check on queue_tickets."""
    present = {column["name"] for column in inspect(conn).get_columns("queue_tickets")}
    for name, ddl in STEP_4_COLUMNS.items():
        if name not in present:
            conn.exec_driver_sql(ddl)


# Step 10: call-next reads the first waiting tickets of each class straight from an index in call
# order (front first, then the time it joined the queue, issue time, number) and stops after a few;
# before, it read every waiting ticket of the category and sorted them (on PostgreSQL 2–13 ms of
# the database's CPU per call with a thousand waiting). Partial: only waiting tickets nobody sent
# to a window are in them, so a ticket leaves the index when it is called. The queries that use
# them spell the condition out (hallclient.central.queue_service._candidates_query). A partial
# index is small, so PostgreSQL takes it even where its statistics are stale or missing (a new
# day's tickets, a central's first hour), where it took a wrong index before.
STEP_10_INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_queue_tickets_call ON queue_tickets "
    "(day, category, type, front DESC, queued_at, issued_at, seq) "
    "WHERE state = 'waiting' AND for_window IS NULL",
    "CREATE INDEX IF NOT EXISTS ix_queue_tickets_call_any ON queue_tickets "
    "(day, type, front DESC, queued_at, issued_at, seq) "
    "WHERE state = 'waiting' AND for_window IS NULL",
    "CREATE INDEX IF NOT EXISTS ix_queue_tickets_sent ON queue_tickets (for_window, day) "
    "WHERE state = 'waiting' AND for_window IS NOT NULL",
    # the ticket a window has called or is serving (read by every call-next): one per window
    "CREATE INDEX IF NOT EXISTS ix_queue_tickets_at_window ON queue_tickets (\"window\", day) "
    "WHERE state = 'called' OR state = 'serving'",
)


def step_10(conn: Connection) -> None:
    """Call-next's candidates from partial indexes in call order."""
    for ddl in STEP_10_INDEXES:
        conn.exec_driver_sql(ddl)
