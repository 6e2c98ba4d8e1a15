"""What services work on: the opened store, the window's settings, the clock, the central."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hallclient.settings import Settings
from hallclient.store.database import Store


def local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class ServiceContext:
    store: Store
    settings: Settings
    data_dir: Path | None = None
    clock: Callable[[], datetime] = field(default=local_now)

    @property
    def window_number(self) -> str:
        return self.settings.window_number

    @property
    def has_central(self) -> bool:
        return bool(self.settings.central_url.strip())

    @property
    def audit_key(self) -> bytes:
        if self.store.keys is None:
            raise RuntimeError("this store has no keys")
        return self.store.keys.audit
