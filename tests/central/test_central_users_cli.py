"""`hallclient central users …` on the central's database, as its IT staff script it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PW = "correct-horse-9"


def run(db: str, *args: str, user: str | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HALLCLIENT_USER", "HALLCLIENT_PASSWORD")}
    if user:
        env.update(HALLCLIENT_USER=user, HALLCLIENT_PASSWORD=PW)
    return subprocess.run([sys.executable, "-m", "hallclient", "central", "users", *args, "--db", db], cwd=ROOT,
                          env=env, input=stdin, capture_output=True, text=True, timeout=120)


def test_first_an_administrator_then_accounts_only_by_one(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'central.db'}"
    not_admin = run(db, "add", "li", "--role", "clerk", "--password-stdin", stdin=PW + "\n")
    assert not_admin.returncode == 2 and "admin" in not_admin.stderr + not_admin.stdout
    assert run(db, "add", "boss", "--name", "管理员", "--role", "admin", "--password-stdin",
               stdin=PW + "\n").returncode == 0
    anonymous = run(db, "add", "li", "--role", "clerk", "--password-stdin", stdin=PW + "\n")
    assert anonymous.returncode == 4
    assert run(db, "add", "li", "--name", "李四", "--role", "clerk", "--password-stdin", stdin=PW + "\n",
               user="boss").returncode == 0
    chief = run(db, "add", "zhao", "--role", "chief", "--password-stdin", stdin=PW + "\n", user="boss")
    assert chief.returncode == 2  # a chief representative needs a department
    denied = run(db, "list", user="li")
    assert denied.returncode == 4 and "系统管理员" in denied.stderr + denied.stdout
    listed = json.loads(run(db, "list", "--json", user="boss").stdout)
    assert {u["login"] for u in listed} == {"boss", "li"}
    assert run(db, "disable", "li", user="boss").returncode == 0
    assert next(u for u in json.loads(run(db, "list", "--json", user="boss").stdout) if u["login"] == "li")["disabled"]
