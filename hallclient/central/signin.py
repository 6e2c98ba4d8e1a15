"""Signing people in on a window device: passwords, lockout, sessions.

A person signs in on a device (a window's token); the session is bound to that device and to
its window number. The session token is 256 random bits shown once; the central keeps its
SHA-256 and an expiry. Five wrong passwords in a row (a setting) lock sign-in for five minutes
(a setting); a locked account is not even asked for its password. Every outcome is audited in
the transaction that records it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hallclient.central import audit_log
from hallclient.central.people import SESSIONS, USERS, UserInfo, info_from_row
from hallclient.security.passwords import HASHER, hash_password, needs_rehash, verify_password

SESSION_HEADER = "X-Hallclient-Session"
# Verified against when the login is unknown, so that an unknown login costs as long as a known one.
_DUMMY_HASH = HASHER.hash("hallclient-no-such-user")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AuthSettings:
    max_failures: int = 5
    lock_minutes: float = 5.0
    session_hours: float = 12.0
    clock: Callable[[], datetime] = field(default=utc_now)


class SignInRefused(Exception):
    status = 401


class WrongCredentials(SignInRefused):
    def __init__(self, remaining: int | None) -> None:
        self.remaining = remaining
        tail = f"（还可尝试 {remaining} 次）" if remaining is not None else ""
        super().__init__(f"用户名或密码错误{tail}")


class AccountLocked(SignInRefused):
    status = 423

    def __init__(self, until: datetime) -> None:
        self.until = until
        local = until.astimezone().strftime("%H:%M:%S")
        super().__init__(f"密码错误次数过多，账号已锁定，请于 {local} 后再试（或请系统管理员重置密码）")


class AccountDisabled(SignInRefused):
    status = 403

    def __init__(self) -> None:
        super().__init__("账号已停用：请联系系统管理员")


class SessionInvalid(Exception):
    """No such session, expired, of another device, or its person was disabled."""


@dataclass(frozen=True)
class SignedIn:
    session: str  # the token: shown once
    expires_at: datetime
    user: UserInfo
    window_number: str


def hash_session(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_password(session: Session, audit_key: bytes, settings: AuthSettings, *, login: str,
                   password: str, window: str, channel: str = "api") -> UserInfo:
    """The person whose password this is, or a `SignInRefused` (its failure already written:
    the caller commits in both cases)."""
    now = settings.clock()
    row = session.execute(select(USERS).where(USERS.c.login == login)).first() if len(login) <= 64 else None

    def audit(kind: str, detail: dict[str, object]) -> None:
        audit_log.append(session, audit_key, actor=login[:64] or "?", roles=[], window=window, kind=kind,
                         detail={"channel": channel, **detail})

    if row is None:
        verify_password(_DUMMY_HASH, password)
        audit("signin.failed", {"reason": "unknown_login"})
        raise WrongCredentials(None)
    locked_until = _parse(row.locked_until)
    if locked_until is not None and locked_until > now:
        audit("signin.refused_locked", {"locked_until": _iso(locked_until)})
        raise AccountLocked(locked_until)
    if not verify_password(row.password_hash, password):
        failed = session.execute(update(USERS).where(USERS.c.login == login)
                                 .values(failed_count=USERS.c.failed_count + 1)
                                 .returning(USERS.c.failed_count)).scalar_one()
        if failed >= settings.max_failures:
            until = now + timedelta(minutes=settings.lock_minutes)
            session.execute(update(USERS).where(USERS.c.login == login)
                            .values(failed_count=0, locked_until=_iso(until)))
            audit("signin.locked", {"failures": int(failed), "locked_until": _iso(until)})
            raise AccountLocked(until)
        audit("signin.failed", {"reason": "wrong_password", "failures": int(failed)})
        raise WrongCredentials(settings.max_failures - int(failed))
    if row.disabled:
        audit("signin.refused_disabled", {})
        raise AccountDisabled()
    values: dict[str, object] = {"failed_count": 0, "locked_until": None}
    if needs_rehash(row.password_hash):
        values["password_hash"] = hash_password(password)
    session.execute(update(USERS).where(USERS.c.login == login).values(**values))
    return info_from_row(row)


def sign_in(session: Session, audit_key: bytes, settings: AuthSettings, *, login: str, password: str,
            window: str) -> SignedIn:
    user = check_password(session, audit_key, settings, login=login, password=password, window=window)
    now = settings.clock()
    token = "hs_" + secrets.token_urlsafe(32)
    expires = now + timedelta(hours=settings.session_hours)
    session.execute(SESSIONS.delete().where(SESSIONS.c.login == user.login,  # this person's ended ones
                                            SESSIONS.c.expires_at <= _iso(now)))
    session.execute(SESSIONS.insert().values(token_hash=hash_session(token), login=user.login,
                                             window_number=window, created_at=_iso(now),
                                             expires_at=_iso(expires)))
    audit_log.append(session, audit_key, actor=user.login, roles=[r.value for r in user.roles], window=window,
                     kind="signin", detail={"channel": "api", "expires_at": _iso(expires)})
    return SignedIn(token, expires, user, window)


def session_user(session: Session, settings: AuthSettings, token: str, window: str) -> UserInfo:
    """The person signed in with `token` on the device of `window`, or `SessionInvalid`."""
    if not token or len(token) > 200:
        raise SessionInvalid("请先登录")
    row = session.execute(select(SESSIONS.c.login, SESSIONS.c.window_number, SESSIONS.c.expires_at)
                          .where(SESSIONS.c.token_hash == hash_session(token))).first()
    if row is None:
        raise SessionInvalid("登录已失效，请重新登录")
    if row.window_number != window:
        raise SessionInvalid("登录不属于这台设备，请在本窗口重新登录")
    expires = _parse(row.expires_at)
    if expires is None or expires <= settings.clock():
        raise SessionInvalid("登录已过期，请重新登录")
    user_row = session.execute(select(USERS).where(USERS.c.login == row.login)).first()
    if user_row is None or user_row.disabled:
        raise SessionInvalid("账号已停用：请联系系统管理员")
    return info_from_row(user_row)


def sign_out(session: Session, audit_key: bytes, token: str, window: str) -> bool:
    row = session.execute(select(SESSIONS.c.login).where(SESSIONS.c.token_hash == hash_session(token))).first()
    if row is None:
        return False
    session.execute(SESSIONS.delete().where(SESSIONS.c.token_hash == hash_session(token)))
    audit_log.append(session, audit_key, actor=row.login, roles=[], window=window, kind="signout", detail={})
    return True
