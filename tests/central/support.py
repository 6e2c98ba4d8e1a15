"""A real central service on a loopback port, on SQLite or (when HALLCLIENT_TEST_PG_URL is set)
PostgreSQL, plus window-side helpers. Imported by tests/central and tests/sync conftests."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
import uvicorn

from hallclient.central.accounts import create_account
from hallclient.central.app import create_app
from hallclient.central.database import open_central
from hallclient.central.http_limits import HttpLimits
from hallclient.core.cases import Applicant, CaseDraft, ChecklistEntry
from hallclient.core.catalog import ServiceItem
from hallclient.core.checklist import MaterialMark, MaterialStatus, build_checklist, decide
from hallclient.core.workdays import WorkCalendar
from hallclient.settings import Settings
from hallclient.store import cases_repo
from hallclient.store.database import Store

PG_ENV = "HALLCLIENT_TEST_PG_URL"
PATTERN = "信高新受〔{year}〕{window:0>2}{seq:0>6}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerThread:
    """uvicorn serving an app in a daemon thread; stop() closes the port for real."""

    def __init__(self, app: Any, port: int, *, lifespan: str = "off") -> None:
        """lifespan "on": the app's start-up runs before the port opens, as `hallclient central` runs it."""
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan,
                                timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("central service did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)


@dataclass
class Central:
    """A running central service and its tokens."""

    store: Store
    port: int
    admin_token: str
    window_token: str
    server: ServerThread | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    app: Any = None  # the FastAPI app being served (e.g. app.state.queue.clock in queue tests)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"

    def start(self) -> None:
        if self.app is None:
            self.app = create_app(self.store, http=HttpLimits(api_docs=True))  # schemathesis reads /openapi.json
        self.server = ServerThread(self.app, self.port).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def admin(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.admin_token}", **kwargs.pop("headers", {})}
        return requests.request(method, self.api + path, headers=headers, timeout=60, **kwargs)

    def window(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.window_token}", **kwargs.pop("headers", {})}
        return requests.request(method, self.api + path, headers=headers, timeout=60, **kwargs)

    def person(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """As the clerk of window 3 signed in on the window device (made on first use)."""
        from tests.central.people_support import add_person, as_person, session_of

        if "clerk_session" not in self.extra:
            add_person(self, "clerk3", ["clerk"])
            self.extra["clerk_session"] = session_of(self, self.window_token, "clerk3")
        return as_person(self, self.window_token, self.extra["clerk_session"], method, path, **kwargs)

    def publish(self, document: dict[str, Any]) -> dict[str, Any]:
        response = self.admin("PUT", "/catalog", json=document)
        assert response.status_code == 200, response.text
        return response.json()

    def settings(self, **overrides: Any) -> Settings:
        return Settings(central_url=self.url, central_token=self.window_token, window_number="3", **overrides)


def engine_params() -> list[Any]:
    pg = os.environ.get(PG_ENV)
    return ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
        not pg, reason=f"{PG_ENV} not set: PostgreSQL run skipped"))]


def _pg_schema_url(base: str, schema: str) -> str:
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=engine_params())
def central_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty central database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'central.db'}"
        return
    with pg_schema() as url:
        yield url


@contextmanager
def pg_schema() -> Iterator[str]:
    """A PostgreSQL schema of its own on $HALLCLIENT_TEST_PG_URL for the block, dropped after:
    the URL that points a central at it."""
    import sqlalchemy

    base = os.environ[PG_ENV]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield _pg_schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def start_central(url: str) -> Central:
    store = open_central(url)
    with store.session() as session, session.begin():
        admin_token = create_account(session, "admin", "管理员", "admin")
        window_token = create_account(session, "3", "综合窗口3")
    central = Central(store=store, port=free_port(), admin_token=admin_token, window_token=window_token)
    central.start()
    return central


@contextmanager
def running_central(url: str) -> Iterator[Central]:
    """A central started on `url` for the length of the block, then stopped and closed."""
    running = start_central(url)
    try:
        yield running
    finally:
        running.stop()
        running.store.close()


@pytest.fixture(autouse=True)
def central_keys_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The central's keys go to a key directory of the test session, never the user's."""
    monkeypatch.setenv("HALLCLIENT_KEY_DIR", str(tmp_path_factory.getbasetemp() / "keys"))
    monkeypatch.setenv("HALLCLIENT_NO_KEYRING", "1")


@pytest.fixture
def central(central_db_url: str) -> Iterator[Central]:
    with running_central(central_db_url) as running:
        yield running


@pytest.fixture
def window_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open_file(tmp_path / "window" / "hallclient.db")
    yield store
    store.close()


# -- cases made at the window -----------------------------------------------------------------

RECEIVED = MaterialMark(MaterialStatus.RECEIVED, original=True, copies=1)


def make_case(store: Store, item: ServiceItem, *, name: str = "张三", tolerate: str | None = None,
              on: date = date(2026, 9, 28)) -> str:
    """Accept a case for `item` at window 3 (every material received, or one tolerated)."""
    marks = {m.key: (MaterialMark(MaterialStatus.TOLERATED) if m.key == tolerate else RECEIVED)
             for m in item.materials}
    rows = build_checklist([item])
    result = decide([item], marks, accepted_on=on, calendar=WorkCalendar())
    draft = CaseDraft(
        applicant=Applicant(name=name, id_number="11010519491231002X", phone="13812345678"),
        item_codes=(item.code,), item_names=(item.name,), bundle_code=None, bundle_name=None,
        checklist=tuple(ChecklistEntry(r.material.key, r.material.name, marks[r.material.key]) for r in rows),
        result=result, accepted_on=on, window_number="3", clerk_name="李四",
    )
    with store.session() as session, session.begin():
        return cases_repo.create_case(session, draft, PATTERN).uuid
