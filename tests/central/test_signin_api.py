"""Sign-in, lockout, disabled accounts, sessions, and person accounts over real HTTP; the window
side's auth client against the same central."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from hallclient.sync import auth_client
from tests.central.people_support import PASSWORD, Clock, as_person, session_of, sign_in, start_hall
from tests.central.support import Central, free_port


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def hall(central_db_url: str, clock: Clock) -> Iterator[Central]:
    running = start_hall(central_db_url, clock)
    try:
        yield running
    finally:
        running.stop()
        running.store.close()


def test_sign_in_answers_the_contract_and_sign_out_ends_the_session(hall: Central) -> None:
    answer = sign_in(hall, hall.extra["window7"], "chief_market")
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"session", "expires_at", "user", "window_number"}
    assert body["window_number"] == "7"  # the device's, not anything the request said
    assert body["user"] == {"login": "chief_market", "name": "钱首席", "roles": ["chief"],
                            "departments": ["信阳高新区市场监督管理局"]}
    assert body["expires_at"].startswith("2026-11-02T13:00:00")  # 12 hours
    token = hall.extra["window7"]
    assert as_person(hall, token, body["session"], "GET", "/auth/me").json()["login"] == "chief_market"
    assert as_person(hall, token, body["session"], "POST", "/auth/sign-out").status_code == 204
    assert as_person(hall, token, body["session"], "GET", "/auth/me").status_code == 401


def test_five_wrong_passwords_lock_sign_in_for_five_minutes(hall: Central, clock: Clock) -> None:
    for remaining in (4, 3, 2, 1):
        wrong = sign_in(hall, hall.window_token, "clerk3", "wrong-password-1")
        assert wrong.status_code == 401
        assert wrong.json() == {"message": f"用户名或密码错误（还可尝试 {remaining} 次）",
                                "detail": {"remaining": remaining}}
    locked = sign_in(hall, hall.window_token, "clerk3", "wrong-password-1")
    assert locked.status_code == 423 and "已锁定" in locked.json()["message"] and "后再试" in locked.json()["message"]
    assert locked.json()["detail"]["locked_until"].startswith("2026-11-02T01:05:00")
    assert sign_in(hall, hall.window_token, "clerk3").status_code == 423  # even the right password
    clock.advance(minutes=5, seconds=1)
    assert sign_in(hall, hall.window_token, "clerk3").status_code == 200
    again = sign_in(hall, hall.window_token, "clerk3", "wrong-password-1")
    assert again.json()["detail"]["remaining"] == 4  # a good sign-in starts the count afresh
    unknown = sign_in(hall, hall.window_token, "nobody")
    assert unknown.status_code == 401 and unknown.json()["detail"] == {"remaining": None}


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(hall: Central) -> None:
    clerk = session_of(hall, hall.window_token, "clerk3")
    boss = session_of(hall, hall.admin_token, "boss")
    assert as_person(hall, hall.admin_token, boss, "POST", "/users/clerk3/disable").status_code == 200
    assert as_person(hall, hall.window_token, clerk, "GET", "/auth/me").status_code == 401
    refused = sign_in(hall, hall.window_token, "clerk3")
    assert refused.status_code == 403 and "停用" in refused.json()["message"]
    assert sign_in(hall, hall.window_token, "clerk3", "wrong-password-1").status_code == 401  # no hint


def test_a_session_expires_and_belongs_to_its_device(hall: Central, clock: Clock) -> None:
    clerk = session_of(hall, hall.window_token, "clerk3")
    other_device = as_person(hall, hall.extra["window7"], clerk, "GET", "/auth/me")
    assert other_device.status_code == 401 and "设备" in other_device.json()["message"]
    clock.advance(hours=11, minutes=59)
    assert as_person(hall, hall.window_token, clerk, "GET", "/auth/me").status_code == 200
    clock.advance(minutes=2)
    expired = as_person(hall, hall.window_token, clerk, "GET", "/auth/me")
    assert expired.status_code == 401 and "过期" in expired.json()["message"]
    stale_device = requests.get(f"{hall.api}/auth/me", timeout=30,
                                headers={"Authorization": "Bearer hc_nope", "X-Hallclient-Session": clerk})
    assert stale_device.status_code == 401


def test_only_an_administrator_manages_accounts(hall: Central) -> None:
    boss = session_of(hall, hall.admin_token, "boss")
    admin = lambda method, path, **kw: as_person(hall, hall.admin_token, boss, method, path, **kw)  # noqa: E731
    for login in ("clerk3", "super", "chief_market"):
        session = session_of(hall, hall.window_token, login)
        for method, path, body in (("GET", "/users", None),
                                   ("POST", "/users", {"login": "x1", "roles": ["clerk"], "password": PASSWORD}),
                                   ("POST", "/users/clerk7/disable", None),
                                   ("POST", "/users/clerk7/password", {"password": "another-pass-1"}),
                                   ("POST", "/users/clerk7/roles", {"roles": ["admin"]})):
            answer = as_person(hall, hall.window_token, session, method, path, json=body)
            assert answer.status_code == 403, (login, path)
            assert answer.json()["message"] == "不能管理账号：需要系统管理员权限"
    made = admin("POST", "/users", json={"login": "wang", "name": "王五", "roles": ["clerk", "proxy"],
                                         "password": "wang-pass-2026"})
    assert made.status_code == 201 and made.json()["roles"] == ["clerk", "proxy"]
    assert admin("POST", "/users", json={"login": "wang", "roles": ["clerk"],
                                         "password": "wang-pass-2026"}).status_code == 409
    bad = admin("POST", "/users", json={"login": "li2", "roles": ["boss"], "password": "wang-pass-2026"})
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "role"
    weak = admin("POST", "/users", json={"login": "li2", "roles": ["clerk"], "password": "12345678"})
    assert weak.status_code == 422 and weak.json()["detail"]["field"] == "password"
    chief = admin("POST", "/users/wang/roles", json={"roles": ["chief"], "departments": []})
    assert chief.status_code == 422 and chief.json()["detail"]["field"] == "department"
    assert admin("POST", "/users/wang/roles", json={"roles": ["chief"], "departments": ["某局"]}).json()[
        "departments"] == ["某局"]
    assert admin("POST", "/users/wang/password", json={"password": "new-pass-2026"}).status_code == 200
    assert sign_in(hall, hall.window_token, "wang", "new-pass-2026").status_code == 200
    assert admin("POST", "/users/ghost/disable").status_code == 404
    listed = admin("GET", "/users").json()
    assert "wang" in {u["login"] for u in listed} and all("password" not in str(u) for u in listed)
    assert admin("POST", "/users/boss/disable").status_code == 422  # not oneself


def test_the_window_auth_client_tells_each_refusal_apart(hall: Central) -> None:
    url, token = hall.url, hall.window_token
    result = auth_client.sign_in(url, token, "clerk3", PASSWORD)
    assert (result.login, result.roles, result.window_number) == ("clerk3", ("clerk",), "3")
    assert result.expires_at is not None and result.session.startswith("hs_")
    with pytest.raises(auth_client.WrongPassword) as wrong:
        auth_client.sign_in(url, token, "clerk7", "wrong-password-1")
    assert wrong.value.remaining == 4 and "还可尝试 4 次" in str(wrong.value)
    for _ in range(3):
        with pytest.raises(auth_client.WrongPassword):
            auth_client.sign_in(url, token, "clerk7", "wrong-password-1")
    with pytest.raises(auth_client.AccountLocked) as locked:
        auth_client.sign_in(url, token, "clerk7", "wrong-password-1")
    assert locked.value.until is not None
    with pytest.raises(auth_client.NotPermitted, match="系统管理员"):
        auth_client.users_list(url, token, result.session)
    boss = auth_client.sign_in(url, hall.admin_token, "boss", PASSWORD).session
    added = auth_client.users_add(url, hall.admin_token, boss, "zhou", password="zhou-pass-2026", roles=["clerk"])
    assert added["login"] == "zhou"
    with pytest.raises(auth_client.BadInput) as bad:
        auth_client.users_roles(url, hall.admin_token, boss, "zhou", ["chief"])
    assert bad.value.field == "department"
    auth_client.users_disable(url, hall.admin_token, boss, "zhou")
    with pytest.raises(auth_client.AccountDisabled):
        auth_client.sign_in(url, token, "zhou", "zhou-pass-2026")
    auth_client.sign_out(url, token, result.session)
    with pytest.raises(auth_client.SessionExpired):
        auth_client.users_list(url, token, result.session)
    with pytest.raises(auth_client.CentralUnreachable):
        auth_client.sign_in(f"http://127.0.0.1:{free_port()}", token, "clerk3", PASSWORD, timeout=2)
