"""The hall queue's tables (central schema step 2), on the central's own MetaData.

- `queue_tickets`: one row per ticket and day, holding the current state of the core's `Ticket`
  (hallclient.core.queue); `queued_at` is the FIFO key (issue time, or the time it was returned
  or transferred) so the first candidates of a class come from an index, not a full scan;
- `queue_events`: what happened to a ticket, with its time, window and clerk (issued, called,
  recalled, called by number, no-show, missed, returned, started, finished, transferred, parked,
  resumed, cancelled) and the windows' pauses (no ticket). The statistics count these;
- `queue_counters`: the next sequence number per day and prefix (A001… from 001 every day);
- `queue_windows`: per window and day: the priority streak (fairness bound K) and the pause;
- `queue_appointments`: appointments the booking system loaded, checked in at the kiosk by code.

Step 4 (hallclient.central.queue_schema) adds `green_reason` and `green_check` to the tickets.

Times are ISO 8601 text in the hall's local time with its offset, as elsewhere on the central.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hallclient.central.models import CentralBase


class QueueTicket(CentralBase):
    __tablename__ = "queue_tickets"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # UUID (the window's, for walk-ins)
    day: Mapped[str] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(32))  # A001, or a window's walk-in W3-001
    category: Mapped[str] = mapped_column(String(32))
    prefix: Mapped[str] = mapped_column(String(8))
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16))  # TicketType
    state: Mapped[str] = mapped_column(String(16))  # TicketState
    issued_at: Mapped[str] = mapped_column(String(40))
    queued_at: Mapped[str] = mapped_column(String(40))  # FIFO key within a class
    requeued_at: Mapped[str | None] = mapped_column(String(40))
    appointment_at: Mapped[str | None] = mapped_column(String(40))
    appointment_code: Mapped[str | None] = mapped_column(String(32))
    calls: Mapped[int] = mapped_column(Integer, default=0)
    last_called_at: Mapped[str | None] = mapped_column(String(40))
    window: Mapped[str | None] = mapped_column(String(16))  # the window that called / serves it
    for_window: Mapped[str | None] = mapped_column(String(16))  # waits for this window only
    front: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(16), default="kiosk")  # kiosk / window / walkin
    updated_at: Mapped[str] = mapped_column(String(40))
    # Green channel taken at the kiosk (central step 4): why the applicant chose it, and the
    # clerk's check of eligibility when calling it (pending / ok / refused).
    green_reason: Mapped[str | None] = mapped_column(String(16), default=None)
    green_check: Mapped[str | None] = mapped_column(String(8), default=None)

    __table_args__ = (
        Index("ux_queue_tickets_day_number", "day", "number", unique=True),
        Index("ix_queue_tickets_waiting", "day", "state", "category", "front", "queued_at"),
        Index("ix_queue_tickets_window", "window", "state"),
    )


class QueueEvent(CentralBase):
    __tablename__ = "queue_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # board order
    uuid: Mapped[str] = mapped_column(String(36), unique=True)  # idempotency key (outbox pushes)
    ticket_id: Mapped[str | None] = mapped_column(String(36), index=True)  # None: a window event
    day: Mapped[str] = mapped_column(String(10), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    at: Mapped[str] = mapped_column(String(40))
    window: Mapped[str | None] = mapped_column(String(16))
    clerk: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[str | None] = mapped_column(Text)  # JSON: transfer target, outcome, calls…


class QueueCounter(CentralBase):
    __tablename__ = "queue_counters"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class QueueWindow(CentralBase):
    __tablename__ = "queue_windows"
    window: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[str] = mapped_column(String(10))  # the streak and pause are of this day
    priority_streak: Mapped[int] = mapped_column(Integer, default=0)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_at: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[str] = mapped_column(String(40))


class QueueAppointment(CentralBase):
    __tablename__ = "queue_appointments"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    category: Mapped[str] = mapped_column(String(32))
    appointment_at: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100), default="")
    ticket_id: Mapped[str | None] = mapped_column(String(36))  # set when checked in
    created_at: Mapped[str] = mapped_column(String(40))


QUEUE_TABLES = (QueueTicket, QueueEvent, QueueCounter, QueueWindow, QueueAppointment)
