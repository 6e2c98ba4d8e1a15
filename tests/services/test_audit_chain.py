"""The audit chain: every write leaves a record; a change, removal or insertion is named."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hallclient.services import audit
from tests.services.conftest import Hall, accept

ROOT = Path(__file__).resolve().parents[2]


def kinds(hall: Hall) -> list[str]:
    with sqlite3.connect(hall.workspace.store.path) as conn:  # type: ignore[arg-type]
        return [r[0] for r in conn.execute("SELECT kind FROM audit_log ORDER BY seq")]


def test_each_write_is_recorded_with_who_where_and_which_case(hall: Hall) -> None:
    from hallclient.services import cases

    case = accept(hall, hall.clerk3)
    cases.record_print(hall.ctx, hall.clerk3, case.uuid, "acceptance", reprint=False)
    cases.record_print(hall.ctx, hall.clerk3, case.uuid, "acceptance", reprint=True)
    rows = audit.list_records(hall.ctx, hall.supervisor, audit.AuditFilter(case_number=case.case_number)).value
    assert [r["kind"] for r in rows] == ["case_reprinted", "case_printed", "case_created"]
    assert {r["actor"] for r in rows} == {"clerk3"} and {r["window"] for r in rows} == {"3"}
    assert rows[-1]["detail"]["decision"] == "accept"
    assert "user_added" in kinds(hall) and "catalog_imported" in kinds(hall)
    # the copy for the central waits in the outbox
    with sqlite3.connect(hall.workspace.store.path) as conn:  # type: ignore[arg-type]
        assert conn.execute("SELECT count(*) FROM outbox WHERE kind='audit'").fetchone()[0] == len(kinds(hall))


def _verify_cli(hall: Hall) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hallclient", "audit", "verify", "--data-dir",
                           str(hall.workspace.data_dir)], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_an_intact_chain_verifies_with_its_count(hall: Hall) -> None:
    accept(hall, hall.clerk3)
    count = len(kinds(hall))
    report = audit.verify(hall.ctx)
    assert report.ok and report.checked == count
    done = _verify_cli(hall)
    assert done.returncode == 0 and f"已校验 {count} 条" in done.stdout


@pytest.mark.parametrize("tamper, seq, words", [
    ("change", 4, "被修改"),
    ("remove", 4, "删除"),
    ("insert", 4, "插入"),
])
def test_tampering_is_detected_and_the_record_named(hall: Hall, tamper: str, seq: int, words: str) -> None:
    accept(hall, hall.clerk3)
    db = hall.workspace.store.path
    hall.workspace.store.engine.dispose()
    with sqlite3.connect(db) as conn:  # type: ignore[arg-type]
        if tamper == "change":
            conn.execute("UPDATE audit_log SET actor='someone' WHERE seq=4")
        elif tamper == "remove":
            conn.execute("DELETE FROM audit_log WHERE seq=4")
        else:  # shift every later record up and put a forged one at 4, tags copied from its neighbour
            conn.execute("UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 4")
            conn.execute("UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000")
            row = conn.execute("SELECT * FROM audit_log WHERE seq=3").fetchone()
            forged = list(row)
            forged[0], forged[1], forged[6] = 4, "00000000-0000-0000-0000-000000000000", "case_returned"
            forged[9] = row[10]  # links to 3, as a real record would
            conn.execute(f"INSERT INTO audit_log VALUES ({','.join('?' * len(forged))})", forged)
    report = audit.verify(hall.ctx)
    assert not report.ok and report.first_bad_seq == (5 if tamper == "remove" else seq), report
    assert words in report.problem
    done = _verify_cli(hall)
    assert done.returncode == 1 and words in done.stdout


def test_records_hold_no_personal_data(hall: Hall) -> None:
    from tests.services.conftest import ID_NUMBER, PHONE

    accept(hall, hall.clerk3)
    with sqlite3.connect(hall.workspace.store.path) as conn:  # type: ignore[arg-type]
        text = json.dumps(conn.execute("SELECT * FROM audit_log").fetchall(), ensure_ascii=False)
    assert ID_NUMBER not in text and PHONE not in text and "张三" not in text
