"""The central's audit chain: what is recorded, tampering caught with the right record named (API
and `hallclient central audit verify`), and the windows' own records kept verbatim."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from hallclient.cli import main as cli_main
from hallclient.security.audit_chain import GENESIS, tag_for
from tests.central.people_support import (
    PASSWORD,
    Clock,
    as_person,
    hall_case,
    push,
    session_of,
    sign_in,
    start_hall,
)
from tests.central.support import Central


@pytest.fixture
def hall(central_db_url: str) -> Iterator[Central]:
    running = start_hall(central_db_url, Clock())
    try:
        yield running
    finally:
        running.stop()
        running.store.close()


def _busy(hall: Central) -> dict[str, Any]:
    sign_in(hall, hall.window_token, "clerk3", "wrong-password-1")
    row = hall_case("3")
    push(hall, hall.window_token, row)
    clerk = session_of(hall, hall.window_token, "clerk3")
    as_person(hall, hall.window_token, clerk, "GET", f"/cases/{row['uuid']}")
    as_person(hall, hall.window_token, clerk, "GET", f"/cases/{hall_case('7')['uuid']}")  # 404: not audited
    return row


def _kinds(hall: Central) -> list[str]:
    with hall.store.engine.connect() as conn:
        return list(conn.execute(text("SELECT kind FROM audit_log ORDER BY seq")).scalars())


def test_sign_ins_pushes_reads_and_refusals_are_recorded(hall: Central) -> None:
    row = _busy(hall)
    helper = session_of(hall, hall.window_token, "helper")
    assert as_person(hall, hall.window_token, helper, "GET", f"/cases/{row['uuid']}").status_code == 403
    kinds = _kinds(hall)
    assert kinds[:7] == ["user.add"] * 7  # the hall's people, as the system made them
    assert kinds[7:] == ["signin.failed", "case.received", "signin", "case.read", "signin", "denied"]
    supervisor = session_of(hall, hall.window_token, "super")
    records = as_person(hall, hall.window_token, supervisor, "GET", "/audit",
                        params={"case_number": row["case_number"]}).json()
    assert [r["kind"] for r in records] == ["case.read", "case.received"]
    assert records[0]["actor"] == "clerk3" and records[0]["window"] == "3"
    assert ID_NOT_IN(records)
    assert _kinds(hall)[-1] == "audit.list"  # reading the audit is recorded too
    clerk = session_of(hall, hall.window_token, "clerk3")
    refused = as_person(hall, hall.window_token, clerk, "GET", "/audit")
    assert refused.status_code == 403 and "大厅管理人员或系统管理员" in refused.json()["message"]
    verified = as_person(hall, hall.window_token, supervisor, "GET", "/audit/verify").json()
    assert verified["ok"] and verified["checked"] == len(kinds) + 4


def ID_NOT_IN(records: list[dict[str, Any]]) -> bool:  # noqa: N802
    from tests.central.people_support import ID_NUMBER, PHONE

    dumped = json.dumps(records, ensure_ascii=False)
    return ID_NUMBER not in dumped and PHONE not in dumped


def _verify_cli(hall: Central, capsys: pytest.CaptureFixture[str],
                monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("HALLCLIENT_USER", "super")
    monkeypatch.setenv("HALLCLIENT_PASSWORD", PASSWORD)
    capsys.readouterr()
    code = cli_main(["central", "audit", "verify", "--db", str(hall.store.engine.url.render_as_string(False))])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _sql(hall: Central, statement: str, **params: Any) -> None:
    with hall.store.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_a_changed_record_is_named(hall: Central, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _busy(hall)
    code, out = _verify_cli(hall, capsys, monkeypatch)
    assert code == 0 and "审计日志完整：已校验 11 条记录" in out  # the CLI's own sign-in is not yet in it
    _sql(hall, "UPDATE audit_log SET detail = :d WHERE seq = 9", d='{"uuid":"forged"}')
    code, out = _verify_cli(hall, capsys, monkeypatch)
    assert code == 1 and "第 9 条记录被修改" in out


def test_a_removed_record_is_named(hall: Central, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _busy(hall)
    _sql(hall, "DELETE FROM audit_log WHERE seq = 8")
    code, out = _verify_cli(hall, capsys, monkeypatch)
    assert code == 1 and "第 9 条" in out and "删除" in out


def test_the_newest_records_removed_are_caught_by_the_head(hall: Central, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _busy(hall)
    _sql(hall, "DELETE FROM audit_log WHERE seq >= 10")
    code, out = _verify_cli(hall, capsys, monkeypatch)
    assert code == 1 and "第 10 条起的记录被删除" in out


def test_an_inserted_record_is_named(hall: Central, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _busy(hall)
    # A forger without the key shifts records 9.. up by one and slips a record in as 9.
    with hall.store.engine.begin() as conn:
        top = conn.execute(text("SELECT max(seq) FROM audit_log")).scalar_one()
        for seq in range(top, 8, -1):
            conn.execute(text("UPDATE audit_log SET seq = :n WHERE seq = :s"), {"n": seq + 1, "s": seq})
        prev = conn.execute(text("SELECT tag FROM audit_log WHERE seq = 8")).scalar_one()
        fake = {"seq": 9, "uuid": str(uuid.uuid4()), "at": "2026-11-02T09:00:00+08:00", "actor": "boss",
                "roles": [], "window": "3", "kind": "user.add", "case_number": None, "detail": {}}
        conn.execute(text("INSERT INTO audit_log (seq, uuid, at, actor, roles, \"window\", kind, case_number, detail,"
                          " prev_tag, tag) VALUES (:seq, :uuid, :at, :actor, '[]', :window, :kind, NULL, '{}',"
                          " :prev, :tag)"), {**fake, "prev": prev, "tag": tag_for(b"not the key", prev, fake)})
        conn.execute(text("UPDATE audit_head SET seq = seq + 1"))
    code, out = _verify_cli(hall, capsys, monkeypatch)
    assert code == 1 and "第 9 条记录是插入的" in out


def _window_record(seq: int, prev: str, window: str = "3") -> dict[str, Any]:
    record = {"seq": seq, "uuid": str(uuid.uuid4()), "at": f"2026-11-02T09:0{seq}:00+08:00", "actor": "clerk3",
              "roles": ["clerk"], "window": window, "kind": "case.accept", "case_number": f"N{seq}",
              "detail": {"item": "x"}}
    return {**record, "prev_tag": prev, "tag": tag_for(b"window key", prev, record)}


def test_window_audit_records_are_kept_verbatim_and_their_links_checked(hall: Central) -> None:
    first = _window_record(1, GENESIS)
    second = _window_record(2, first["tag"])
    for record in (first, second):
        answer = hall.window("PUT", f"/audit/{record['uuid']}", json=record)
        assert answer.status_code == 200 and answer.json()["result"] == "created"
    assert hall.window("PUT", f"/audit/{first['uuid']}", json=first).json()["result"] == "unchanged"
    rewritten = dict(first, detail={"item": "forged"})
    conflict = hall.window("PUT", f"/audit/{first['uuid']}", json=rewritten)
    assert conflict.status_code == 409 and "第 1 条审计记录" in conflict.json()["message"]
    other = _window_record(1, GENESIS, window="7")
    refused = hall.window("PUT", f"/audit/{other['uuid']}", json=other)
    assert refused.status_code == 403 and "7 号窗口" in refused.json()["message"]
    with hall.store.engine.connect() as conn:
        stored = conn.execute(text("SELECT record FROM window_audit WHERE seq = 1")).scalar_one()
    assert json.loads(stored) == first
    supervisor = session_of(hall, hall.window_token, "super")
    verified = as_person(hall, hall.window_token, supervisor, "GET", "/audit/verify").json()
    assert verified["windows"] == [{"window": "3", "checked": 2, "ok": True, "problem": "", "first_bad_seq": None}]
    fourth = _window_record(4, second["tag"])  # the third never arrived
    hall.window("PUT", f"/audit/{fourth['uuid']}", json=fourth)
    verified = as_person(hall, hall.window_token, supervisor, "GET", "/audit/verify").json()
    assert not verified["ok"] and verified["windows"][0]["first_bad_seq"] == 3
    assert "window_audit.conflict" in _kinds(hall)
