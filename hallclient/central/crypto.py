"""Personal data of pushed cases at rest on the central, and on the way out.

What a window pushes is kept with its personal data sealed: the `applicant` object (ID
number, phone, agent's ID, USCC…) and `applicant_id` become SM4-GCM ciphertexts inside the
stored payload, and the `applicant_id` column holds a blind index (HMAC-SM3) to find a case by
ID number. The keys come from the keyring or a 0600 key file (hallclient.security.keys), never
from the database; `--key-file` names a file of its own.

A case leaves the central with the full ID number and phone only for roles in
`FULL_PERSONAL_DATA`; everyone else gets them masked as on paper.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from hallclient.core.permissions import Actor
from hallclient.documents.masking import mask_id_number, mask_phone
from hallclient.security.keys import SECRET_BYTES, Keys
from hallclient.security.pii import PiiCipher, is_encrypted

BLIND_LENGTH = 32  # 128 bits of the HMAC-SM3: fits the applicant_id column on every engine
# Fields of the applicant object that are masked for roles without full access.
_ID_FIELDS = ("id_number", "agent_id_number")
_PHONE_FIELDS = ("phone",)


def central_identity(url: str | URL) -> str:
    """The name a central database's key is kept under: its URL without the password."""
    parsed = make_url(url) if isinstance(url, str) else url
    return "central:" + parsed.set(password=None).render_as_string(hide_password=False)


def _key_file_secret(path: Path) -> bytes:
    if path.exists():
        try:
            secret = base64.b64decode(path.read_bytes().strip(), validate=True)
        except ValueError:
            raise ValueError(f"密钥文件格式不正确：{path}") from None
        if len(secret) < 16:
            raise ValueError(f"密钥文件内容太短：{path}")
        return secret
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = secrets.token_bytes(SECRET_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, base64.b64encode(secret) + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return secret


def central_keys(url: str | URL, key_file: Path | None = None) -> Keys:
    """The keys of a central database: from `key_file` (created 0600 if missing), else from the
    keyring or the user's key directory under the database's identity."""
    if key_file is not None:
        return Keys.from_secret(_key_file_secret(key_file))
    return Keys.for_identity(central_identity(url))


KEY_CHECK = "central_key_check"


class WrongKey(RuntimeError):
    """The keys given are not the ones the database's personal data was sealed with."""


def check_keys(store: Any, keys: Keys) -> None:
    """Remember the keys' check value in the database the first time; refuse other keys later."""
    from hallclient.store.database import get_meta, set_meta

    with store.session() as session, session.begin():
        known = get_meta(session, KEY_CHECK)
        if known is None:
            set_meta(session, KEY_CHECK, keys.check_value())
        elif known != keys.check_value():
            raise WrongKey("中心数据库的密钥不符：个人信息和审计日志无法读取。请使用创建该数据库时的密钥"
                           "（--key-file 或原密钥目录），或联系管理员")


class CaseCipher:
    """Seals and opens the personal data of a stored case payload."""

    def __init__(self, keys: Keys) -> None:
        self.pii = PiiCipher(keys.encryption, keys.blind_index)

    def blind(self, id_value: str) -> str:
        return self.pii.blind_index(id_value)[:BLIND_LENGTH]

    def seal(self, row: dict[str, Any]) -> dict[str, Any]:
        """A copy of a pushed case row with `applicant` and `applicant_id` encrypted."""
        sealed = dict(row)
        applicant = row.get("applicant")
        if not isinstance(applicant, str) or not is_encrypted(applicant):
            sealed["applicant"] = self.pii.encrypt(json.dumps(applicant, ensure_ascii=False, sort_keys=True))
        applicant_id = row.get("applicant_id")
        if isinstance(applicant_id, str) and applicant_id and not is_encrypted(applicant_id):
            sealed["applicant_id"] = self.pii.encrypt(applicant_id)
        return sealed

    def open(self, row: dict[str, Any]) -> dict[str, Any]:
        """The pushed row as the window sent it (a plain row from before step 3 passes through)."""
        opened = dict(row)
        applicant = row.get("applicant")
        if isinstance(applicant, str) and is_encrypted(applicant):
            opened["applicant"] = json.loads(self.pii.decrypt(applicant))
        applicant_id = row.get("applicant_id")
        if isinstance(applicant_id, str) and is_encrypted(applicant_id):
            opened["applicant_id"] = self.pii.decrypt(applicant_id)
        return opened

    def open_id(self, row: dict[str, Any]) -> dict[str, Any]:
        """Only `applicant_id` opened (the applicant object dropped): what a case list shows."""
        opened = {k: v for k, v in row.items() if k != "applicant"}
        applicant_id = row.get("applicant_id")
        if isinstance(applicant_id, str) and is_encrypted(applicant_id):
            opened["applicant_id"] = self.pii.decrypt(applicant_id)
        return opened

    def seal_text(self, payload: str) -> str:
        return json.dumps(self.seal(json.loads(payload)), ensure_ascii=False, sort_keys=True)

    def open_text(self, payload: str) -> dict[str, Any]:
        return self.open(json.loads(payload))


def for_reader(row: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """The opened case row as `actor` may see it: masked unless their role needs the full data."""
    if actor.sees_full_personal_data:
        return row
    shown = dict(row)
    if isinstance(shown.get("applicant_id"), str):
        shown["applicant_id"] = mask_id_number(shown["applicant_id"])
    applicant = shown.get("applicant")
    if isinstance(applicant, dict):
        applicant = dict(applicant)
        for name in _ID_FIELDS:
            if isinstance(applicant.get(name), str):
                applicant[name] = mask_id_number(applicant[name])
        for name in _PHONE_FIELDS:
            if isinstance(applicant.get(name), str):
                applicant[name] = mask_phone(applicant[name])
        shown["applicant"] = applicant
    return shown
