"""Catalog search: by any part of the name, pinyin initials, full pinyin, or code prefix.

An in-memory index over a few compact strings per item. SQLite's trigram index cannot serve
two-character Chinese queries (食品, 卫生): SQLite 3.40's trigram MATCH needs three characters and its
LIKE through a trigram index returns no rows for shorter non-ASCII patterns, and those queries are
the common case, so the index scans packed strings with `str.find` (C speed) and finds prefixes
by bisecting sorted keys. Ranking: exact before prefix before substring; within a class, the
name before the code before the pinyin forms; then catalog order.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from hallclient.core.catalog import ItemState

_SPACES = re.compile(r"\s+")


class MatchClass(IntEnum):
    EXACT = 0
    PREFIX = 1
    SUBSTRING = 2


class Field(IntEnum):
    NAME = 0
    CODE = 1
    BASIC_CODE = 2
    INITIALS = 3
    PINYIN = 4


@dataclass(frozen=True, slots=True)
class SearchEntry:
    code: str
    name: str
    state: ItemState
    initials: str = ""
    pinyin: str = ""
    basic_code: str | None = None
    window_category: str | None = None
    item_type: str | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    entry: SearchEntry
    match: MatchClass
    field: Field


def normalize_query(query: str) -> str:
    return _SPACES.sub("", query).lower()


class _FieldIndex:
    """One searchable field over all entries: sorted keys for prefixes, a packed string for substrings."""

    def __init__(self, field: Field, values: Sequence[str], substring: bool) -> None:
        self.field = field
        pairs = sorted((v, i) for i, v in enumerate(values) if v)
        self.sorted_keys = [k for k, _ in pairs]
        self.sorted_ids = [i for _, i in pairs]
        self.substring = substring
        # "\n" never occurs in a normalized query, so a match never spans two entries.
        self.packed = "\n" + "\n".join(values) + "\n"
        self.starts: list[int] = []
        pos = 1
        for v in values:
            self.starts.append(pos)
            pos += len(v) + 1

    def exact_and_prefix(self, query: str) -> Iterable[tuple[int, MatchClass]]:
        lo = bisect_left(self.sorted_keys, query)
        hi = bisect_right(self.sorted_keys, query + "\U0010ffff", lo)
        for pos in range(lo, hi):
            key = self.sorted_keys[pos]
            yield self.sorted_ids[pos], MatchClass.EXACT if key == query else MatchClass.PREFIX

    def substrings(self, query: str, skip: set[int], limit: int) -> list[int]:
        """Entries whose value contains the query (not at its start), in catalog order."""
        found: list[int] = []
        if not self.substring:
            return found
        packed, starts = self.packed, self.starts
        pos = packed.find(query, 1)
        while pos != -1 and len(found) < limit:
            entry = bisect_right(starts, pos) - 1
            if entry not in skip and pos != starts[entry]:
                found.append(entry)
            # Jump to the next entry: one hit per entry is enough.
            next_start = starts[entry + 1] if entry + 1 < len(starts) else len(packed)
            pos = packed.find(query, next_start)
        return found


class SearchIndex:
    """Ranked search over the catalog's searchable entries. Cancelled items are never indexed."""

    def __init__(self, entries: Iterable[SearchEntry]) -> None:
        self.entries = [e for e in entries if e.state != ItemState.CANCELLED]
        names = [e.name.lower() for e in self.entries]
        self._fields = [
            _FieldIndex(Field.NAME, names, substring=True),
            _FieldIndex(Field.CODE, [e.code.lower() for e in self.entries], substring=False),
            _FieldIndex(Field.BASIC_CODE, [(e.basic_code or "").lower() for e in self.entries], substring=False),
            _FieldIndex(Field.INITIALS, [e.initials for e in self.entries], substring=True),
            _FieldIndex(Field.PINYIN, [e.pinyin for e in self.entries], substring=True),
        ]

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        q = normalize_query(query)
        if not q:
            return []
        best: dict[int, tuple[MatchClass, Field]] = {}
        for fi in self._fields:
            for entry, match in fi.exact_and_prefix(q):
                rank = (match, fi.field)
                if entry not in best or rank < best[entry]:
                    best[entry] = rank
        ranked = sorted(best.items(), key=lambda kv: (kv[1], kv[0]))
        if len(ranked) < limit:
            # Substrings rank after every exact and prefix match, so scan only while room is left.
            taken = set(best)
            for fi in self._fields:
                room = limit - len(ranked)
                if room <= 0:
                    break
                for entry in fi.substrings(q, taken, room):
                    taken.add(entry)
                    ranked.append((entry, (MatchClass.SUBSTRING, fi.field)))
        return [SearchHit(self.entries[i], match, field) for i, (match, field) in ranked[:limit]]

    def search_all(self, limit: int) -> list[SearchHit]:
        """The first items in catalog order, for an empty search box."""
        return [SearchHit(e, MatchClass.SUBSTRING, Field.NAME) for e in self.entries[:limit]]
