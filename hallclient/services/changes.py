"""What a service changed: the views decide from this whether to refresh (one change hub)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Generic, TypeVar


@dataclass
class Changes:
    cases: bool = False
    case_uuids: set[str] = field(default_factory=set)
    catalog: bool = False
    calendar: bool = False
    users: bool = False
    audit: bool = False
    outbox: bool = False  # records now wait for the central: a push is worth trying soon
    settings: bool = False
    queue: bool = False

    def merge(self, other: Changes) -> Changes:
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            setattr(self, f.name, mine | theirs)
        return self

    def __bool__(self) -> bool:
        return any(bool(getattr(self, f.name)) for f in fields(self))


T = TypeVar("T")


@dataclass(frozen=True)
class Result(Generic[T]):
    """A service's answer: the value asked for and what changed on the way."""

    value: T
    changes: Changes
