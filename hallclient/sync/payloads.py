"""From an outbox row's payload to the body the central expects.

The window keeps a case as a database row whose structured columns (applicant, checklist…)
are JSON text; on the wire they travel as JSON values, so the central can validate their shape.
"""

from __future__ import annotations

import json
from typing import Any

JSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "case": ("applicant", "item_codes", "item_names", "checklist", "reasons", "tolerated", "commitments",
             "item_deadlines"),
    "case_event": ("data",),
    "walkin_ticket": (),  # hallclient.store.queue_repo: a walk-in number issued offline
    "queue_event": ("data",),  # an event on a walk-in, or on a central ticket served offline
    "prereview": ("applicant", "item_codes", "data"),  # a pre-review, for any window to take up
    "rating": ("data",),  # 好差评, with the callback phone (encrypted at rest in the outbox)
    "rectification": (),
    "complaint": ("data", "personal"),
    "complaint_event": (),
    # A link of the window's audit chain. On the wire `detail` is the object and `roles` a list;
    # the signed text is rebuilt exactly from them (sorted-key JSON; roles sorted, comma-joined).
    "audit": ("detail",),
}


class BadPayload(ValueError):
    """An outbox record that cannot be sent as it is (damaged locally)."""


def wire_body(kind: str, payload: str) -> bytes:
    if kind not in JSON_COLUMNS:
        raise BadPayload(f"未知的待上报记录类型：{kind}")
    try:
        row: Any = json.loads(payload)
        if not isinstance(row, dict):
            raise ValueError("not an object")
        for column in JSON_COLUMNS[kind]:
            if isinstance(row.get(column), str):
                row[column] = json.loads(row[column])
        if kind == "audit" and isinstance(row.get("roles"), str):
            row["roles"] = [r for r in row["roles"].split(",") if r]
    except (ValueError, RecursionError) as exc:
        raise BadPayload(f"本机待上报记录已损坏，无法发送：{exc}") from exc
    return json.dumps(row, ensure_ascii=False).encode("utf-8")
