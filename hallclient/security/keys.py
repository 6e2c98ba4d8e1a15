"""Where the keys live: the operating system's keyring, or a 0600 key file outside the data.

One 32-byte master secret per database (a window's data directory, or a central's database
URL). Sub-keys for encryption, the blind index and the audit MAC are derived from it with
HKDF-SM3, so one secret is stored and each use has its own key.

On machines without a desktop session keyring picks its `fail` backend (every call raises):
then the secret goes to a key file in the user's config directory (`HALLCLIENT_KEY_DIR`
overrides it), never next to the database it protects.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

log = logging.getLogger(__name__)
SERVICE = "hallclient"
SECRET_BYTES = 32


class KeyUnavailable(RuntimeError):
    """The key of a database that holds encrypted data cannot be found."""


def _key_dir() -> Path:
    override = os.environ.get("HALLCLIENT_KEY_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("hallclient", appauthor=False)) / "keys"


def key_id_for(identity: str) -> str:
    """A stable, filename-safe name for the database a key belongs to."""
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]


def _usable_keyring():  # type: ignore[no-untyped-def]
    if os.environ.get("HALLCLIENT_NO_KEYRING"):
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or "fail" in type(backend).__module__:
        return None
    return keyring


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def load_secret(identity: str, *, create: bool) -> bytes:
    """The master secret of a database; made (and stored) the first time when `create`."""
    key_id = key_id_for(identity)
    path = _key_dir() / f"{key_id}.key"
    if path.exists():
        # A key file is written only when no keyring could hold the key, or restored from a
        # backup by hand: either way it is the key. Read first, it spares the start the keyring's
        # detection (every backend imported, 0.15–0.3 s).
        return base64.b64decode(path.read_bytes().strip())
    ring = _usable_keyring()
    if ring is not None:
        try:
            stored = ring.get_password(SERVICE, key_id)
            if stored:
                return base64.b64decode(stored)
            if create:
                secret = secrets.token_bytes(SECRET_BYTES)
                ring.set_password(SERVICE, key_id, base64.b64encode(secret).decode())
                return secret
        except Exception as exc:  # a locked or broken keyring: fall back to the key file
            log.warning("keyring unavailable (%s); using the key file", type(exc).__name__)
    if not create:
        raise KeyUnavailable(
            f"找不到数据库的密钥（{path}）：个人信息已加密保存，没有密钥无法读取。"
            f"请从备份恢复密钥文件，或联系管理员。")
    secret = secrets.token_bytes(SECRET_BYTES)
    _write_private(path, base64.b64encode(secret) + b"\n")
    return secret


def _derive(secret: bytes, purpose: str, length: int) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=length, salt=None,
                info=f"hallclient/{purpose}".encode()).derive(secret)


@dataclass(frozen=True)
class Keys:
    encryption: bytes  # SM4: 16 bytes
    blind_index: bytes  # HMAC-SM3
    audit: bytes  # HMAC-SM3 of the audit chain

    @classmethod
    def from_secret(cls, secret: bytes) -> Keys:
        return cls(encryption=_derive(secret, "pii-sm4", 16), blind_index=_derive(secret, "blind-index", 32),
                   audit=_derive(secret, "audit", 32))

    @classmethod
    def for_identity(cls, identity: str, *, create: bool = True) -> Keys:
        return cls.from_secret(load_secret(identity, create=create))

    def check_value(self) -> str:
        """Kept in the database so a wrong key is told apart from damaged data."""
        from hallclient.security.pii import hmac_sm3

        return hmac_sm3(self.audit, b"key-check")[:16]
