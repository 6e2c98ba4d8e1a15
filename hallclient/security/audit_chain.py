"""The audit chain: each record's tag is HMAC-SM3 over the previous tag and its own content.

A changed record breaks its own tag; a removed or inserted one breaks the next record's link
(and the sequence numbers); with the key kept off the database, someone who can write the file
cannot forge a consistent chain. Deleting the newest records is invisible to a chain alone:
that is why the window's records also travel to the central.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hallclient.security.pii import hmac_sm3

GENESIS = "0" * 64
CHAINED_FIELDS = ("seq", "uuid", "at", "actor", "roles", "window", "kind", "case_number", "detail")


def canonical(record: Mapping[str, Any]) -> bytes:
    """The bytes a tag covers: the chained fields, sorted keys, no spaces, UTF-8."""
    content = {name: record.get(name) for name in CHAINED_FIELDS}
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def tag_for(key: bytes, previous_tag: str, record: Mapping[str, Any]) -> str:
    return hmac_sm3(key, previous_tag.encode("ascii") + b"\n" + canonical(record))


@dataclass(frozen=True)
class ChainReport:
    checked: int
    ok: bool
    first_bad_seq: int | None = None
    problem: str = ""


def verify(key: bytes, records: Iterable[Mapping[str, Any]]) -> ChainReport:
    """Walk the records in `seq` order; the first one whose tag or place does not fit is named.

    A record whose tag is wrong was changed, unless the record after it still links to the one
    before it: then it was inserted.
    """
    previous = GENESIS
    expected_seq = 1
    checked = 0
    iterator = iter(records)
    record = next(iterator, None)
    while record is not None:
        following = next(iterator, None)
        seq = int(record["seq"])
        if record.get("prev_tag") != previous:
            what = "被插入或其前一条被删除" if seq == expected_seq else "之前有记录被删除"
            return ChainReport(checked, False, seq, f"第 {seq} 条记录{what}（链接不符）")
        if seq != expected_seq:
            return ChainReport(checked, False, seq, f"第 {expected_seq} 条记录缺失（下一条为第 {seq} 条）")
        if tag_for(key, previous, record) != record.get("tag"):
            if following is not None and following.get("prev_tag") == previous:
                return ChainReport(checked, False, seq, f"第 {seq} 条记录是插入的（后一条仍链接到第 {seq - 1} 条）")
            return ChainReport(checked, False, seq, f"第 {seq} 条记录被修改（校验值不符）")
        previous = str(record["tag"])
        expected_seq += 1
        checked += 1
        record = following
    return ChainReport(checked, True)
