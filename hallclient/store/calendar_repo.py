"""The hall's loaded holiday arrangements (years the calendar package does not know)."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from hallclient.core.workdays import WorkCalendar, YearArrangement
from hallclient.store.models import CalendarYearRow


def save_year(session: Session, arrangement: YearArrangement) -> None:
    session.merge(CalendarYearRow(year=arrangement.year,
                                  data=json.dumps(arrangement.to_json(), ensure_ascii=False)))


def load_calendar(session: Session) -> WorkCalendar:
    """The package's years plus every year the hall has loaded (a loaded year wins)."""
    rows = session.execute(select(CalendarYearRow.data).order_by(CalendarYearRow.year)).scalars()
    return WorkCalendar(YearArrangement.from_json(json.loads(data)) for data in rows)
