"""Pulling the hall's holiday arrangements: years the central has that differ from (or are
missing in) the window's store. The central is the authority for the years it publishes."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from hallclient.core.workdays import YearArrangement
from hallclient.store.calendar_repo import save_year
from hallclient.store.database import Store
from hallclient.store.models import CalendarYearRow
from hallclient.sync.client import CentralClient, PageError


def pull_calendar(store: Store, client: CentralClient) -> list[int]:
    """Save the central's years the window lacks or has differently; returns the years saved."""
    arrangements = []
    for raw in client.calendar():
        try:
            arrangements.append(YearArrangement.from_json(raw))
        except ValueError as exc:
            raise PageError(f"中心服务的节假日安排无效：{exc}") from exc
    def save(session: Any) -> list[int]:  # on the database worker in the window (Store.write)
        local = {year: json.loads(data) for year, data in
                 session.execute(select(CalendarYearRow.year, CalendarYearRow.data))}
        saved = []
        for arrangement in arrangements:
            if local.get(arrangement.year) != arrangement.to_json():
                save_year(session, arrangement)
                saved.append(arrangement.year)
        return saved

    return store.write(save)
