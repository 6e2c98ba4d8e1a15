"""Window accounts and their tokens. A token is shown once; the central keeps its SHA-256.

Tokens are 256 random bits, so a plain SHA-256 (no salt, no slow hash) is enough to make a
stolen database useless for logging in, and lets a request be authenticated by one indexed
lookup.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from hallclient.central import prepared
from hallclient.central.models import Account

ACCOUNTS = Account.__table__


class AccountExists(ValueError):
    pass


class AccountNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Principal:
    """Who is calling: the window (or administrator) a token belongs to."""

    window_number: str
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> str:
    """256 random bits; the prefix names it in logs and keeps it from looking like an option."""
    return "hc_" + secrets.token_urlsafe(32)


def create_account(session: Session, window_number: str, name: str = "", role: str = "window") -> str:
    """Add an account; returns its token (the only time it is seen)."""
    exists = session.execute(select(ACCOUNTS.c.window_number)
                             .where(ACCOUNTS.c.window_number == window_number)).scalar()
    if exists is not None:
        raise AccountExists(f"窗口 {window_number} 已有账号：如需新令牌，请重新签发令牌")
    token = new_token()
    session.execute(insert(ACCOUNTS).values(
        window_number=window_number, name=name, role=role, token_hash=hash_token(token),
        created_at=datetime.now().astimezone().isoformat(timespec="seconds"), disabled=False))
    return token


def rotate_token(session: Session, window_number: str) -> str:
    """A new token for an account (the old one stops working); re-enables a disabled account."""
    token = new_token()
    done = session.execute(update(ACCOUNTS).where(ACCOUNTS.c.window_number == window_number)
                           .values(token_hash=hash_token(token), disabled=False)).rowcount
    if not done:
        raise AccountNotFound(f"窗口 {window_number} 没有账号")
    return token


def disable_account(session: Session, window_number: str) -> None:
    done = session.execute(update(ACCOUNTS).where(ACCOUNTS.c.window_number == window_number)
                           .values(disabled=True)).rowcount
    if not done:
        raise AccountNotFound(f"窗口 {window_number} 没有账号")


def list_accounts(session: Session) -> list[dict[str, object]]:
    rows = session.execute(select(ACCOUNTS.c.window_number, ACCOUNTS.c.name, ACCOUNTS.c.role,
                                  ACCOUNTS.c.disabled).order_by(ACCOUNTS.c.window_number))
    return [dict(row._mapping) for row in rows]


def authenticate(session: Session, token: str) -> Principal | None:
    if not token or len(token) > 200:
        return None
    return lookup_hash(session, hash_token(token))


_LOOKUP = (select(ACCOUNTS.c.window_number, ACCOUNTS.c.name, ACCOUNTS.c.role)
           .where(ACCOUNTS.c.token_hash == bindparam("token_hash"), ACCOUNTS.c.disabled.is_(False)))


def lookup_hash(session: Session, token_hash: str) -> Principal | None:
    """The enabled account of a token's hash (one statement built once; on the queue's fast path
    it runs on a prepared cursor, hallclient.central.prepared)."""
    row = prepared.execute(session, _LOOKUP, {"token_hash": token_hash}).first()
    return None if row is None else Principal(row.window_number, row.name, row.role)


class TokenCache:
    """Accounts recently authenticated, by their token's SHA-256, for `ttl` seconds.

    Every request still hashes its token and must match a hash the database answered for; only
    the lookup is spared while the entry is fresh. A token rotated or an account disabled through
    this process's API is forgotten at once (`forget`); one changed by another process (the
    command line, or another worker of `hallclient central --workers N`) stops working within
    `ttl` (`--token-cache-seconds`; 0: every request is looked up). Unknown tokens are never cached.
    """

    def __init__(self, ttl: float = 5.0, size: int = 4096) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()
        self._generation = 0

    def get(self, token_hash: str) -> Principal | None:
        entry = self._entries.get(token_hash)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            with self._lock:
                self._entries.pop(token_hash, None)
            return None
        return entry[1]

    def stamp(self) -> tuple[float, int]:
        """Taken before the database lookup, handed to `put`."""
        return time.monotonic(), self._generation

    def put(self, token_hash: str, who: Principal, stamp: tuple[float, int]) -> None:
        """An entry never outlives its read by more than `ttl`, and a read begun before the last
        `forget` is not kept (it may have seen the token before it was rotated or disabled)."""
        since, generation = stamp
        with self._lock:
            if generation != self._generation:
                return
            if len(self._entries) >= self.size:
                self._entries.clear()
            self._entries[token_hash] = (since + self.ttl, who)

    def forget(self) -> None:
        """After a token was rotated or an account disabled (committed)."""
        with self._lock:
            self._generation += 1
            self._entries.clear()
