"""Applying the central's case-event feed at the accepting window: one transaction per page with
its cursor, each event once, unknown cases skipped, an extension moves the due date, a superseded
decision kept in the history but never applied, and the CLI for authorisations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from hallclient.store.cases_repo import load_case
from hallclient.store.database import Store, get_meta
from hallclient.sync.case_pull import CURSOR_KEY, pull_case_events
from tests.central.support import make_case
from tests.conftest import small_catalog


class Feed:
    """Stands in for the central: pages of events, then nothing new."""

    def __init__(self, pages: list[dict[str, Any]]) -> None:
        self.pages, self.asked = pages, []

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        self.asked.append(kwargs["params"]["since"])
        return self.pages.pop(0) if self.pages else {"events": [], "cursor": self.asked[-1], "more": False}


def _event(case_uuid: str, kind: str, **data: Any) -> dict[str, Any]:
    return {"uuid": str(uuid.uuid4()), "case_uuid": case_uuid, "kind": kind, "at": "2026-09-29T09:00:00+08:00",
            "clerk_name": "孙首席", "data": {"chief": "chief_health", **data}}


def _store_with_case(window_store: Store) -> str:
    from hallclient.core.catalog_format import parse_catalog
    from hallclient.store import catalog_repo

    catalog = parse_catalog(small_catalog())
    with window_store.session() as session, session.begin():
        catalog_repo.replace_catalog(session, catalog)
    return make_case(window_store, catalog.items[2])  # the clinic item: on-site approval


def test_a_page_applies_once_with_its_cursor(window_store: Store) -> None:
    case_uuid = _store_with_case(window_store)
    extended = _event(case_uuid, "extended", days=5, new_due="2026-12-31")
    superseded = _event(case_uuid, "sent_back", opinion="x", superseded="中心已先收到…未生效")
    approved = _event(case_uuid, "approved")
    elsewhere = _event(str(uuid.uuid4()), "approved")
    page = {"events": [extended, elsewhere, superseded, approved], "cursor": 41, "more": True}
    feed = Feed([page, {"events": [approved], "cursor": 42, "more": False}])
    result = pull_case_events(window_store, feed)  # type: ignore[arg-type]
    assert feed.asked == [0, 41] and result.cursor == 42 and result.applied == 3
    with window_store.session() as session:
        assert get_meta(session, CURSOR_KEY) == "42"
        case = load_case(session, case_uuid)
    assert case.state.value == "completed" and case.due_date.isoformat() == "2026-12-31"  # type: ignore[union-attr]
    kinds = [e["kind"] for e in case.events]
    assert kinds.count("approved") == 1 and "sent_back" in kinds and kinds.count("extended") == 1
    assert pull_case_events(window_store, Feed([page])).applied == 0  # type: ignore[arg-type]


def test_the_authorisation_cli(tmp_path: Path) -> None:
    from hallclient.central.database import open_central
    from tests.central.people_support import PASSWORD, add_person

    db = f"sqlite:///{tmp_path / 'central.db'}"
    root = Path(__file__).resolve().parents[2]
    store = open_central(db)

    class _Hall:  # what add_person needs: the store and the app's audit key
        pass

    from hallclient.central.crypto import central_keys

    hall = _Hall()
    hall.store = store  # type: ignore[attr-defined]
    hall.app = type("A", (), {"state": type("S", (), {"keys": central_keys(store.engine.url)})})()  # type: ignore[attr-defined]
    add_person(hall, "boss", ["admin"])
    add_person(hall, "zhao", ["chief"], ["信阳高新区卫生健康委员会"])
    store.close()

    def run(*args: str, user: str = "boss") -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, HALLCLIENT_USER=user, HALLCLIENT_PASSWORD=PASSWORD)
        return subprocess.run([sys.executable, "-m", "hallclient", "central", "authorisation", *args, "--db", db],
                              cwd=root, env=env, capture_output=True, text=True, timeout=120)

    done = run("set", "zhao", "--department", "信阳高新区卫生健康委员会", "--to", "2027-12-31", "--note", "卫健授1号")
    assert done.returncode == 0 and "第 1 版" in done.stdout, done.stderr
    assert run("set", "zhao", "--department", "信阳高新区市场监督管理局").returncode == 2
    assert run("set", "zhao", "--department", "信阳高新区卫生健康委员会", user="zhao").returncode == 4
    shown = run("show", "zhao", "--json", user="zhao")
    assert shown.returncode == 0 and json.loads(shown.stdout)[0]["valid_to"] == "2027-12-31"
