"""Personal data at rest: SM4-GCM for values, an HMAC-SM3 blind index to find them.

A ciphertext is text, ``s4g1:`` + base64(nonce ‖ ciphertext ‖ tag), so it fits the existing
text columns and is told apart from a plain value left by an older schema.
"""

from __future__ import annotations

import base64
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PREFIX = "s4g1:"
NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionFailed(ValueError):
    pass


def hmac_sm3(key: bytes, data: bytes) -> str:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def normalise_id(value: str) -> str:
    """ID numbers and USCCs are compared without spaces and in upper case (x → X)."""
    return re.sub(r"\s+", "", value).upper()


class PiiCipher:
    def __init__(self, encryption_key: bytes, blind_key: bytes) -> None:
        if len(encryption_key) != 16:
            raise ValueError("SM4 needs a 16-byte key")
        self._key = encryption_key
        self._blind = blind_key

    def encrypt(self, text: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        encryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        body = encryptor.update(text.encode("utf-8", "surrogatepass")) + encryptor.finalize()
        return PREFIX + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")

    def decrypt(self, value: str) -> str:
        if not is_encrypted(value):
            return value  # a plain value (only before migration)
        raw = base64.b64decode(value[len(PREFIX):])
        nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
        try:
            decryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce, tag)).decryptor()
            return (decryptor.update(body) + decryptor.finalize()).decode("utf-8", "surrogatepass")
        except InvalidTag:
            raise DecryptionFailed("个人信息无法解密：密钥不对或数据已损坏") from None

    def blind_index(self, id_value: str) -> str:
        """The keyed hash a case is found by; empty for an empty value."""
        value = normalise_id(id_value)
        return hmac_sm3(self._blind, value.encode("utf-8"))[:40] if value else ""


def is_encrypted(value: str | None) -> bool:
    return bool(value) and value.startswith(PREFIX)  # type: ignore[union-attr]
