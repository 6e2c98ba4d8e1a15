"""`hallclient users`, `case` and `audit` as a hall's IT staff script them: exit codes 0/2/4."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PW = "Passw0rd-1"
ID = "11010519491231002X"


def run(data_dir: Path, *args: str, user: str | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HALLCLIENT_USER") and k != "HALLCLIENT_PASSWORD"}
    if user:
        env.update(HALLCLIENT_USER=user, HALLCLIENT_PASSWORD=PW)
    return subprocess.run([sys.executable, "-m", "hallclient", *args, "--data-dir", str(data_dir)], cwd=ROOT,
                          env=env, input=stdin, capture_output=True, text=True, timeout=120)


def test_accounts_then_a_case_under_the_signed_in_clerk(tmp_path: Path) -> None:
    d = tmp_path / "w"
    first = run(d, "users", "add", "li", "--role", "clerk", "--password-stdin", stdin=PW + "\n")
    assert first.returncode == 2 and "role" in first.stderr and "系统管理员" in first.stderr
    assert run(d, "users", "add", "admin", "--name", "管理员", "--role", "admin", "--password-stdin",
               stdin=PW + "\n").returncode == 0
    no_login = run(d, "users", "add", "li", "--role", "clerk", "--password-stdin", stdin=PW + "\n")
    assert no_login.returncode == 4 and "HALLCLIENT_USER" in no_login.stderr
    assert run(d, "users", "add", "li", "--name", "李四", "--role", "clerk", "--password-stdin",
               stdin=PW + "\n", user="admin").returncode == 0
    assert run(d, "users", "add", "sun", "--role", "supervisor", "--password-stdin",
               stdin=PW + "\n", user="admin").returncode == 0
    bad_role = run(d, "users", "add", "x", "--role", "boss", "--password-stdin", stdin=PW + "\n", user="admin")
    assert bad_role.returncode == 2 and bad_role.stderr.startswith("hallclient: role:")
    listed = json.loads(run(d, "users", "list", "--json", user="admin").stdout)
    assert {u["login"]: u["roles"] for u in listed} == {"admin": ["admin"], "li": ["clerk"], "sun": ["supervisor"]}
    assert run(d, "users", "list", user="li").returncode == 4

    base = ["case", "create", "--item", "4115000100017-001", "--applicant-name", "张三", "--phone", "13812345678"]
    bad_id = run(d, *base, "--applicant-id", "110105194912310021", user="li")
    assert bad_id.returncode == 2 and "--applicant-id" in bad_id.stderr
    denied = run(d, *base, "--applicant-id", ID, user="sun")
    assert denied.returncode == 4 and "需要窗口受理人员权限" in denied.stderr
    made = run(d, *base, "--applicant-id", ID, "--received", "application_form", "--json", user="li")
    assert made.returncode == 0, made.stderr
    case = json.loads(made.stdout)
    assert case["number"] and case["uuid"] and case["clerk"] == "李四"
    shown = json.loads(run(d, "case", "show", case["number"], "--json", user="li").stdout)
    assert shown["uuid"] == case["uuid"] and shown["applicant"]["id_number"] == ID
    masked = json.loads(run(d, "case", "show", case["number"], "--json", user="sun").stdout)
    assert masked["applicant"]["id_number"] != ID
    assert [c["number"] for c in json.loads(run(d, "case", "list", "--json", user="li").stdout)] == [case["number"]]

    assert run(d, "audit", "list", user="li").returncode == 4
    records = json.loads(run(d, "audit", "list", "--json", "--case", case["number"], user="sun").stdout)
    assert [r["kind"] for r in records] == ["case_created"]
    verified = run(d, "audit", "verify")
    assert verified.returncode == 0 and "已校验" in verified.stdout


def test_catalog_import_is_an_administrators_action_and_audited(tmp_path: Path) -> None:
    from tests.conftest import small_catalog, write_catalog

    d = tmp_path / "w"
    catalog = write_catalog(tmp_path / "catalog.json", small_catalog())
    assert run(d, "users", "add", "admin", "--name", "管理员", "--role", "admin", "--password-stdin",
               stdin=PW + "\n").returncode == 0
    assert run(d, "users", "add", "li", "--name", "李四", "--role", "clerk", "--password-stdin",
               stdin=PW + "\n", user="admin").returncode == 0
    refused = run(d, "catalog", "import", str(catalog), user="li")
    assert refused.returncode == 4 and "管理员" in refused.stderr
    assert run(d, "catalog", "import", str(catalog)).returncode == 4  # accounts exist: sign-in required
    done = run(d, "catalog", "import", str(catalog), user="admin")
    assert done.returncode == 0, done.stderr
    audit = json.loads(run(d, "audit", "list", "--kind", "catalog_imported", "--json", user="admin").stdout)
    assert [r["actor"] for r in audit] == ["admin"]
