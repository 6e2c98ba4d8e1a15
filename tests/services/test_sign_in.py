"""Sign-in on a standalone window: passwords checked, lockout after five, lock and unlock,
another person unlocking is a switch of user; every step in the audit trail."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from hallclient.services import accounts
from hallclient.services.accounts import BadAccountInput, SignInFailed
from tests.services.conftest import PASSWORD, Hall

ROOT = Path(__file__).resolve().parents[2]


def audit_kinds(hall: Hall, login: str) -> list[str]:
    with sqlite3.connect(hall.workspace.store.path) as conn:  # type: ignore[arg-type]
        return [r[0] for r in conn.execute("SELECT kind FROM audit_log WHERE actor=? ORDER BY seq", (login,))]


def test_a_wrong_password_is_refused_and_counted(hall: Hall) -> None:
    with pytest.raises(SignInFailed, match="还可尝试 4 次"):
        accounts.sign_in(hall.ctx, "clerk3", "wrong-password")
    with pytest.raises(SignInFailed, match="还可尝试 3 次"):
        accounts.sign_in(hall.ctx, "clerk3", "wrong-password")
    assert accounts.sign_in(hall.ctx, "clerk3", PASSWORD).actor.login == "clerk3"
    with pytest.raises(SignInFailed, match="还可尝试 4 次"):  # a success starts the count again
        accounts.sign_in(hall.ctx, "clerk3", "wrong-password")
    assert audit_kinds(hall, "clerk3").count("sign_in_failed") == 3


def test_five_wrong_passwords_lock_sign_in_for_five_minutes(hall: Hall) -> None:
    start = datetime(2026, 12, 1, 9, 0).astimezone()
    hall.ctx.clock = lambda: start
    for _ in range(4):
        with pytest.raises(SignInFailed, match="用户名或密码错误"):
            accounts.sign_in(hall.ctx, "clerk3", "nope-nope1")
    with pytest.raises(SignInFailed, match="登录已锁定至 09:05"):
        accounts.sign_in(hall.ctx, "clerk3", "nope-nope1")
    with pytest.raises(SignInFailed, match="登录已锁定"):  # even the right password, while locked
        accounts.sign_in(hall.ctx, "clerk3", PASSWORD)
    hall.ctx.clock = lambda: start + timedelta(minutes=5, seconds=1)
    assert accounts.sign_in(hall.ctx, "clerk3", PASSWORD).actor.name == "李三"
    assert "sign_in_locked" in audit_kinds(hall, "clerk3")


def test_an_unknown_login_is_told_the_same_as_a_wrong_password(hall: Hall) -> None:
    with pytest.raises(SignInFailed, match="用户名或密码错误"):
        accounts.sign_in(hall.ctx, "nobody", PASSWORD)


def test_a_disabled_account_cannot_sign_in(hall: Hall) -> None:
    accounts.disable_user(hall.ctx, hall.admin, "clerk7")
    with pytest.raises(SignInFailed, match="已停用"):
        accounts.sign_in(hall.ctx, "clerk7", PASSWORD)


def test_unlock_by_the_same_person_and_switch_by_another(hall: Hall) -> None:
    accounts.lock(hall.ctx, hall.clerk3, idle=True)
    with pytest.raises(SignInFailed):
        accounts.unlock(hall.ctx, hall.clerk3, "clerk3", "wrong-one1")
    assert accounts.unlock(hall.ctx, hall.clerk3, "clerk3", PASSWORD).actor == hall.clerk3
    switched = accounts.unlock(hall.ctx, hall.clerk3, "supervisor", PASSWORD)
    assert switched.actor.login == "supervisor"
    assert audit_kinds(hall, "clerk3")[-4:] == ["lock", "sign_in_failed", "unlock", "sign_out"]
    assert audit_kinds(hall, "supervisor")[-1] == "switch_user"


def test_the_first_account_must_be_an_administrator_and_later_ones_need_one(tmp_path: Path) -> None:
    from hallclient.workspace import Workspace

    ws = Workspace(tmp_path / "w")
    try:
        assert accounts.needs_first_admin(ws.services)
        with pytest.raises(BadAccountInput, match="第一个账号必须是系统管理员") as bad:
            accounts.add_user(ws.services, None, "li", name="李", roles=["clerk"], departments=[], password=PASSWORD)
        assert bad.value.field == "role"
        accounts.add_user(ws.services, None, "boss", name="管理员", roles=["admin"], departments=[], password=PASSWORD)
        with pytest.raises(SignInFailed, match="系统管理员"):
            accounts.add_user(ws.services, None, "li", name="李", roles=["clerk"], departments=[], password=PASSWORD)
        with pytest.raises(BadAccountInput, match="至少 8 位") as weak:
            accounts.add_user(ws.services, None, "li2", name="李", roles=["admin"], departments=[], password="short1")
        assert weak.value.field in ("password", "role")
    finally:
        ws.close()


def test_passwords_are_stored_as_argon2id_only(hall: Hall) -> None:
    with sqlite3.connect(hall.workspace.store.path) as conn:  # type: ignore[arg-type]
        hashes = [r[0] for r in conn.execute("SELECT password_hash FROM users")]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    raw = b"".join(p.read_bytes() for p in Path(hall.workspace.store.path).parent.glob("hallclient.db*"))  # type: ignore[arg-type]
    assert PASSWORD.encode() not in raw


def test_the_real_cost_is_rfc9106_low_memory() -> None:
    code = ("from hallclient.security import passwords as p; h = p.HASHER;"
            "print(h.time_cost, h.memory_cost, h.parallelism, p.hash_password('x').split('$')[3])")
    env = {k: v for k, v in __import__("os").environ.items() if k != "HALLCLIENT_TEST_FAST_HASH"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["3", "65536", "4", "m=65536,t=3,p=4"]
