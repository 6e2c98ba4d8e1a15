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
