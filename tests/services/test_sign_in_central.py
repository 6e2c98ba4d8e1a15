"""A window with a central: sign-in goes to the central; a person who signed in here online
signs in offline against this window's verifier, which really checks the password and expires."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from hallclient.services import accounts
from hallclient.services.accounts import SignInFailed
from hallclient.services.context import local_now
from hallclient.workspace import Workspace
from tests.central.people_support import PASSWORD, add_person
from tests.central.support import Central, running_central


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    with running_central(f"sqlite:///{tmp_path / 'central.db'}") as running:
        add_person(running, "li", ["clerk"], name="李四")
        add_person(running, "zhao", ["chief"], ["信阳高新区市场监督管理局"], name="赵首席")
        yield running


@pytest.fixture
def window(tmp_path: Path, central: Central) -> Iterator[Workspace]:
    ws = Workspace(tmp_path / "window")
    ws.settings.window_number = "9"  # the central's device account says 3: that wins
    ws.settings.central_url = central.url
    ws.settings.central_token = central.window_token
    yield ws
    ws.close()


def go_offline(ws: Workspace) -> None:
    ws.settings.central_url = "http://127.0.0.1:9"  # nothing listens on the discard port


def test_online_sign_in_takes_roles_and_window_from_the_central(window: Workspace) -> None:
    signed = accounts.sign_in(window.services, "li", PASSWORD)
    assert not signed.offline and signed.session_token
    assert signed.actor.name == "李四" and signed.actor.window_number == "3"
    assert {r.value for r in signed.actor.roles} == {"clerk"}
    chief = accounts.sign_in(window.services, "zhao", PASSWORD).actor
    assert chief.departments == ("信阳高新区市场监督管理局",)


def test_a_wrong_password_online_is_refused_with_the_centrals_count(window: Workspace) -> None:
    with pytest.raises(SignInFailed, match="4"):
        accounts.sign_in(window.services, "li", "not-the-password")


def test_offline_sign_in_checks_the_password_against_the_verifier(window: Workspace) -> None:
    accounts.sign_in(window.services, "li", PASSWORD)
    go_offline(window)
    signed = accounts.sign_in(window.services, "li", PASSWORD)
    assert signed.offline and signed.session_token is None and signed.actor.name == "李四"
    with pytest.raises(SignInFailed, match="用户名或密码错误"):
        accounts.sign_in(window.services, "li", "not-the-password")


def test_offline_without_an_earlier_online_sign_in_is_refused(window: Workspace) -> None:
    go_offline(window)
    with pytest.raises(SignInFailed, match="此前未在本窗口在线登录过"):
        accounts.sign_in(window.services, "zhao", PASSWORD)


def test_the_offline_verifier_expires(window: Workspace) -> None:
    accounts.sign_in(window.services, "li", PASSWORD)
    go_offline(window)
    later = local_now() + timedelta(days=window.settings.offline_verifier_days, minutes=1)
    window.services.clock = lambda: later
    with pytest.raises(SignInFailed, match="离线登录凭据已过期"):
        accounts.sign_in(window.services, "li", PASSWORD)


def test_offline_lockout_after_five_wrong_passwords(window: Workspace) -> None:
    accounts.sign_in(window.services, "li", PASSWORD)
    go_offline(window)
    for _ in range(4):
        with pytest.raises(SignInFailed, match="用户名或密码错误"):
            accounts.sign_in(window.services, "li", "wrong-wrong1")
    with pytest.raises(SignInFailed, match="已锁定"):
        accounts.sign_in(window.services, "li", "wrong-wrong1")
    with pytest.raises(SignInFailed, match="已锁定"):
        accounts.sign_in(window.services, "li", PASSWORD)


def test_users_commands_on_a_window_with_a_central_manage_the_centrals_accounts(
        window: Workspace, central: Central) -> None:
    import json
    import os
    import subprocess
    import sys

    window.save_settings()
    add_person(central, "boss", ["admin"], name="管理员")
    root = Path(__file__).resolve().parents[2]

    def run(*args: str, user: str = "boss", stdin: str = "") -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, HALLCLIENT_USER=user, HALLCLIENT_PASSWORD=PASSWORD)
        return subprocess.run([sys.executable, "-m", "hallclient", "users", *args, "--data-dir",
                               str(window.data_dir)], cwd=root, env=env, input=stdin,
                              capture_output=True, text=True, timeout=120)

    added = run("add", "sun", "--name", "孙管理", "--role", "supervisor", "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    listed = json.loads(run("list", "--json").stdout)
    assert {u["login"] for u in listed} >= {"boss", "li", "sun"}
    refused = run("list", user="li")
    assert refused.returncode == 4 and "系统管理员" in refused.stderr
    assert accounts.sign_in(window.services, "sun", PASSWORD).actor.name == "孙管理"
