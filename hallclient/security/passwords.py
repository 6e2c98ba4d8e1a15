"""Passwords: Argon2id through argon2-cffi, never stored or logged in another form.

The parameters are RFC 9106's second recommendation (the "low-memory" profile): t=3,
m=64 MiB, p=4, which argon2-cffi 25 uses by default; one hash takes about 0.1 s here.
"""

from __future__ import annotations

import os

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)
if os.environ.get("HALLCLIENT_TEST_FAST_HASH"):
    # The test suite makes hundreds of accounts: the same algorithm with a cheap cost. A hash
    # records its own parameters, so verification is unchanged either way.
    HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
MIN_LENGTH = 8


class WeakPassword(ValueError):
    pass


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码至少 {MIN_LENGTH} 位")
    if password.isdigit() or password.isalpha():
        raise WeakPassword("密码须同时包含字母和数字（或符号）")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return HASHER.check_needs_rehash(stored_hash)
