"""Where a database's master secret lives: the keyring when one works, else a 0600 key file; a key
file, when there is one, is the key (and is read without asking the keyring)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from hallclient.security import keys


class MemoryKeyring(KeyringBackend):
    # keyring picks its default among every KeyringBackend subclass by priority: below zero this
    # one is never picked by itself (only set_keyring sets it)
    priority = -1  # type: ignore[assignment]

    def __init__(self, broken: bool = False) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.broken = broken
        self.asked = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.asked += 1
        if self.broken:
            raise RuntimeError("locked")
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.broken:
            raise RuntimeError("locked")
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def key_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("HALLCLIENT_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.delenv("HALLCLIENT_NO_KEYRING", raising=False)
    before = keyring.get_keyring()
    yield tmp_path / "keys"
    keyring.set_keyring(before)


def test_a_working_keyring_holds_the_secret_and_no_file_is_written(key_dir: Path) -> None:
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    secret = keys.load_secret("db-a", create=True)
    assert len(ring.items) == 1 and not key_dir.exists()
    assert keys.load_secret("db-a", create=False) == secret


def test_a_key_file_is_the_key_and_the_keyring_is_not_asked(key_dir: Path) -> None:
    keyring.set_keyring(MemoryKeyring(broken=True))
    secret = keys.load_secret("db-b", create=True)  # the keyring refuses: a key file is written
    files = list(key_dir.glob("*.key"))
    assert len(files) == 1 and oct(files[0].stat().st_mode & 0o777) == "0o600"
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    assert keys.load_secret("db-b", create=False) == secret
    assert ring.asked == 0


def test_no_keyring_and_no_file_is_said_in_chinese(key_dir: Path) -> None:
    keyring.set_keyring(MemoryKeyring())
    with pytest.raises(keys.KeyUnavailable, match="找不到数据库的密钥"):
        keys.load_secret("db-c", create=False)
