"""Personal data at rest on the central: the raw bytes of the SQLite files (WAL included) never
hold a pushed ID number or phone; a schema-2 database is migrated (backed up, sealed in place)
to the same schema as a fresh one; the key is checked."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from hallclient.central import models as central_models
from hallclient.central.app import create_app
from hallclient.central.crypto import WrongKey
from hallclient.central.database import (
    CENTRAL_MIGRATIONS,
    VERSION_KEY,
    make_central_engine,
    open_central,
)
from hallclient.security.keys import Keys
from hallclient.store.database import migrate
from tests.central.people_support import (
    ID_NUMBER,
    PHONE,
    Clock,
    as_person,
    hall_case,
    push,
    session_of,
    start_hall,
)

NEEDLES = (ID_NUMBER.encode(), PHONE.encode(), ID_NUMBER.encode("utf-16-le"))


def _files(db: Path) -> list[Path]:
    return [p for p in db.parent.iterdir() if p.name.startswith(db.name) and not p.name.endswith(".bak")]


def _leaks(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        data = path.read_bytes()
        found += [f"{path.name}: {needle!r}" for needle in NEEDLES if needle in data]
    return found


def test_pushed_id_numbers_and_phones_never_reach_the_database_files(tmp_path: Path) -> None:
    db = tmp_path / "central.db"
    hall = start_hall(f"sqlite:///{db}", Clock())
    try:
        rows = [hall_case("3") for _ in range(20)]
        for row in rows:
            assert push(hall, hall.window_token, row).status_code == 200
        newer = dict(rows[0], state="completed", updated_at="2026-10-09T16:00:00+08:00")
        assert push(hall, hall.window_token, newer).json()["result"] == "updated"
        assert push(hall, hall.window_token, newer).json()["result"] == "unchanged"  # still idempotent
        clerk = session_of(hall, hall.window_token, "clerk3")
        shown = as_person(hall, hall.window_token, clerk, "GET", f"/cases/{rows[1]['uuid']}").json()
        assert shown["case"]["applicant"]["phone"] == PHONE  # readable through the API
        found = as_person(hall, hall.window_token, clerk, "GET", "/cases", params={"applicant_id": ID_NUMBER})
        assert len(found.json()["cases"]) == 20
        files = _files(db)
        assert any(p.name.endswith("-wal") and p.stat().st_size > 0 for p in files)  # the WAL is scanned too
        assert _leaks(files) == []
        with hall.store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
            stored = conn.execute(text("SELECT applicant_id, payload FROM central_cases LIMIT 1")).one()
        assert len(stored.applicant_id) == 32 and json.loads(stored.payload)["applicant"].startswith("s4g1:")
        assert stat.S_IMODE(db.stat().st_mode) == 0o600
    finally:
        hall.stop()
        hall.store.close()
    assert _leaks(_files(db)) == []


def _schema_2_database(db: Path, cases: int) -> list[str]:
    """A central as the previous release left it: plain ID numbers in the columns and payloads."""
    engine = make_central_engine(f"sqlite:///{db}")
    migrate(engine, sqlite_path=db, migrations=CENTRAL_MIGRATIONS[:2], version_key=VERSION_KEY)
    uuids = []
    with engine.begin() as conn:
        for _ in range(cases):
            row = hall_case("3")
            uuids.append(row["uuid"])
            conn.execute(central_models.CentralCase.__table__.insert().values(
                uuid=row["uuid"], case_number=row["case_number"], window_number="3", state="accepted",
                decision="accept", applicant_name="张三", applicant_id=ID_NUMBER, accepted_on=row["accepted_on"],
                updated_at=row["updated_at"], payload=json.dumps(row, ensure_ascii=False, sort_keys=True),
                pushed_by="3", received_at="2026-09-28T09:00:00+08:00", warnings=None))
    engine.dispose()
    return uuids


def test_a_schema_2_central_is_backed_up_then_sealed_in_place(tmp_path: Path) -> None:
    db = tmp_path / "central.db"
    uuids = _schema_2_database(db, 50)
    assert _leaks(_files(db))  # the old database does hold them
    hall = start_hall(f"sqlite:///{db}", Clock())
    try:
        assert _leaks(_files(db)) == []
        backups = list(tmp_path.glob("central.db.v2-*.bak"))
        assert len(backups) == 1 and stat.S_IMODE(backups[0].stat().st_mode) == 0o600
        clerk = session_of(hall, hall.window_token, "clerk3")
        shown = as_person(hall, hall.window_token, clerk, "GET", f"/cases/{uuids[7]}").json()
        assert shown["case"]["applicant"]["id_number"] == ID_NUMBER and shown["case"]["applicant_id"] == ID_NUMBER
        chief = session_of(hall, hall.window_token, "chief_market")  # case_items were filled from the payloads
        assert as_person(hall, hall.window_token, chief, "GET", f"/cases/{uuids[7]}").status_code == 200
        with hall.store.engine.connect() as conn:
            kinds = list(conn.execute(text("SELECT kind, detail FROM audit_log WHERE kind LIKE 'schema%'")))
        assert kinds and json.loads(kinds[0].detail)["cases"] == 50
    finally:
        hall.stop()
        hall.store.close()


def _shape(url: str) -> dict[str, object]:
    engine = create_engine(url)
    try:
        found = inspect(engine)
        return {name: (sorted((c["name"], str(c["type"]), bool(c["nullable"])) for c in found.get_columns(name)),
                       sorted(tuple(i["column_names"]) for i in found.get_indexes(name)),
                       sorted(found.get_pk_constraint(name)["constrained_columns"]))
                for name in sorted(found.get_table_names())}
    finally:
        engine.dispose()


def test_a_migrated_database_equals_a_fresh_one_and_the_models_match_it(tmp_path: Path) -> None:
    old = tmp_path / "old" / "central.db"
    old.parent.mkdir()
    _schema_2_database(old, 3)
    open_central(f"sqlite:///{old}").close()
    open_central(f"sqlite:///{tmp_path / 'fresh.db'}").close()
    migrated, fresh = _shape(f"sqlite:///{old}"), _shape(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert migrated == fresh
    for model in (central_models.User, central_models.PersonSession, central_models.CaseItem,
                  central_models.AuditRecord, central_models.AuditHead, central_models.WindowAudit):
        table = model.__table__  # type: ignore[attr-defined]
        assert sorted(c.name for c in table.columns) == sorted(c[0] for c in fresh[table.name][0])  # type: ignore[index]


def test_the_wrong_key_is_refused_rather_than_failing_on_every_read(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    store = open_central(url)
    try:
        create_app(store)  # the database's own key: remembered
        with pytest.raises(WrongKey, match="密钥不符"):
            create_app(store, keys=Keys.from_secret(os.urandom(32)))
    finally:
        store.close()


def test_a_key_file_keeps_the_key_outside_the_database(tmp_path: Path) -> None:
    from hallclient.central.crypto import central_keys

    key_file = tmp_path / "secret" / "central.key"
    first = central_keys("sqlite:///x.db", key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert central_keys("sqlite:///y.db", key_file) == first
