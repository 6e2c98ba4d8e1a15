"""Pinyin forms of item names, computed once at import so search can match "spjy" and "shipin"."""

from __future__ import annotations

import re
from functools import cache

_KEEP = re.compile(r"[^a-z0-9]")


@cache
def _pypinyin():  # type: ignore[no-untyped-def]
    # pypinyin costs ~0.2 s to import: only catalog imports need it, never start-up.
    import pypinyin

    return pypinyin


def pinyin_keys(text: str) -> tuple[str, str]:
    """(initials, full) in lowercase ASCII: 食品经营许可（新办） → ("spjyxkxb", "shipinjingyingxukexinban")."""
    pp = _pypinyin()
    syllables = pp.lazy_pinyin(text, style=pp.Style.NORMAL, errors="default")
    full_parts: list[str] = []
    initial_parts: list[str] = []
    for syllable in syllables:
        cleaned = _KEEP.sub("", syllable.lower())
        if not cleaned:
            continue
        full_parts.append(cleaned)
        # A run of Latin letters or digits (e.g. "110kV") stays whole in the initials too.
        initial_parts.append(cleaned if not _is_hanzi_syllable(syllable) else cleaned[0])
    return "".join(initial_parts), "".join(full_parts)


def _is_hanzi_syllable(syllable: str) -> bool:
    # lazy_pinyin returns converted syllables as pure lowercase letters; untouched runs keep
    # their original characters, which we can tell apart by any non-letter or uppercase.
    return syllable.isascii() and syllable.isalpha() and syllable.islower()
