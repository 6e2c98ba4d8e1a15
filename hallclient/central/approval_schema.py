"""Central schema step 8: the chief representatives' authorisations, a feed order for case events,
and where a pre-review was used.

- `central_authorisations`: each version of a chief representative's 授权书 (as on a window);
- `central_sequences`: named counters; `case_feed` is bumped by every case or event a window
  pushes, inside that push's transaction. A counter row is locked until its transaction commits
  (SQLite: the write lock; PostgreSQL: the row lock), so feed numbers become visible in the order
  they were given: a reader that saw number N has already seen every number below it;
- `central_case_events.feed_seq` (that number) and `superseded` (the conflict note of a decision
  that came second: kept, never applied, not served in the feed);
- `central_prereviews.used_case_number / used_window / used_at`: where a pre-review was taken up.

The DDL is written out (portable to SQLite and PostgreSQL); existing events get feed numbers in
the order the central received them.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

STEP_8 = (
    """CREATE TABLE central_authorisations (
        login VARCHAR(64) NOT NULL,
        version INTEGER NOT NULL,
        data TEXT NOT NULL,
        created_by VARCHAR(64) NOT NULL,
        created_at VARCHAR(40) NOT NULL,
        PRIMARY KEY (login, version))""",
    """CREATE TABLE central_sequences (
        name VARCHAR(64) NOT NULL PRIMARY KEY,
        value BIGINT NOT NULL)""",
    """ALTER TABLE central_case_events ADD COLUMN feed_seq BIGINT""",
    """ALTER TABLE central_case_events ADD COLUMN superseded TEXT""",
    """CREATE INDEX ix_central_case_events_feed ON central_case_events (feed_seq)""",
    """ALTER TABLE central_prereviews ADD COLUMN used_case_number VARCHAR(64)""",
    """ALTER TABLE central_prereviews ADD COLUMN used_window VARCHAR(16)""",
    """ALTER TABLE central_prereviews ADD COLUMN used_at VARCHAR(40)""",
)


def step_8(conn: Connection) -> None:
    for statement in STEP_8:
        conn.exec_driver_sql(statement)
    uuids = conn.execute(text("SELECT uuid FROM central_case_events ORDER BY received_at, uuid")).scalars().all()
    for seq, event_uuid in enumerate(uuids, start=1):
        conn.execute(text("UPDATE central_case_events SET feed_seq = :s WHERE uuid = :u"), {"s": seq, "u": event_uuid})
    conn.execute(text("INSERT INTO central_sequences (name, value) VALUES ('case_feed', :n)"), {"n": len(uuids)})
