"""GET /api/v1/stats on a real central on loopback: a supervisor reads the hall's July
(tests/stats/conftest.py, the hand-computed figures), a clerk only their own, a person without
a session is refused; the window's facade takes the central's figures when attached."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from hallclient.core.permissions import Actor, Role
from hallclient.core.stats.period import parse_period
from hallclient.services import stats as stats_service
from hallclient.services.context import ServiceContext
from hallclient.settings import Settings
from hallclient.store.database import Store
from hallclient.sync.client import CentralClient, CentralRejected
from hallclient.sync.stats_client import hall_figures
from tests.central.people_support import Clock, as_person, session_of, start_hall
from tests.central.support import Central
from tests.stats.conftest import seed_quarter


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[Central]:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    running = start_hall(url, Clock())
    seed_quarter(url).close()
    with running.store.session() as s, s.begin():  # clerk1 (window 1 of the seeded July) may sign in
        hashed = s.execute(text("SELECT password_hash FROM users WHERE login = 'clerk3'")).scalar_one()
        s.execute(text("UPDATE users SET password_hash = :h WHERE login = 'clerk1'"), {"h": hashed})
    try:
        yield running
    finally:
        running.stop()
        running.store.close()


def test_supervisor_reads_the_hall_a_clerk_their_own(hall: Central) -> None:
    boss = session_of(hall, hall.window_token, "super")
    answer = as_person(hall, hall.window_token, boss, "GET", "/stats", params={"period": "2026-07", "by": "window"})
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["scope"] == "hall"
    assert (data["hall"]["tickets_issued"], data["hall"]["wait_median_min"], data["hall"]["wait_p90_min"]) == (5, 7.5, 20.0)
    assert set(data["groups"]) == {"1", "2", ""}
    assert data["groups"]["1"]["wait_mean_min"] == 7.5  # 300 s and 600 s

    clerk = session_of(hall, hall.window_token, "clerk1")
    mine = as_person(hall, hall.window_token, clerk, "GET", "/stats", params={"period": "2026-07", "by": "window"})
    assert mine.status_code == 200, mine.text
    own = mine.json()
    assert (own["scope"], own["clerk"], own["by"]) == ("own", "clerk1", None)
    assert own["hall"]["tickets_issued"] == 2  # t1 and t2, served by 张三 (clerk1), not the hall's 5

    with CentralClient(hall.url, hall.window_token) as client:
        assert hall_figures(client, boss, "2026-07")["hall"]["tickets_served"] == 3
        with pytest.raises(CentralRejected) as refused:
            hall_figures(client, "not-a-session", "2026-07")
        assert refused.value.status == 401
        with pytest.raises(CentralRejected) as bad:
            hall_figures(client, boss, "2026-13")
        assert bad.value.status == 422
    helper = session_of(hall, hall.window_token, "helper")  # a proxy: neither supervisor nor clerk
    assert as_person(hall, hall.window_token, helper, "GET", "/stats", params={"period": "2026-07"}).status_code == 403


def _window(tmp_path: Path, central_url: str, token: str) -> ServiceContext:
    store = Store.open_file(tmp_path / "window" / "hallclient.db")
    return ServiceContext(store=store, settings=Settings(window_number="3", central_url=central_url,
                                                        central_token=token))


def test_the_dashboard_facade_takes_the_centrals_figures(hall: Central, tmp_path: Path) -> None:
    boss = session_of(hall, hall.window_token, "super")
    ctx = _window(tmp_path, hall.url, hall.window_token)
    supervisor: Any = Actor(login="super", name="周主管", roles=frozenset({Role.SUPERVISOR}), window_number="3")
    try:
        found = stats_service.hall_figures(ctx, supervisor, parse_period("2026-07"), session_token=boss,
                                           today=date(2026, 12, 31))
        assert (found["source"], found["hall"]["tickets_issued"]) == ("central", 5)
        # without a central session: the window's own (empty) figures, saying why
        local = stats_service.hall_figures(ctx, supervisor, parse_period("2026-07"), today=date(2026, 12, 31))
        assert (local["source"], local["hall"]["tickets_issued"]) == ("local", 0)
        assert any("本窗口" in n for n in local["notes"])
    finally:
        ctx.store.close()
