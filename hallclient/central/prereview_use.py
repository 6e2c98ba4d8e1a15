"""Where a pre-review (预审) was taken up, as the central knows it.

A window taking a pre-review up tells the central through the case it pushes (its
`prereview_number`): a conditional update marks the pre-review used by that case, once. A
second case naming the same pre-review is stored all the same (it exists at the window) with a
warning naming where the pre-review was used first; a clerk looking the number up later reads
the same (GET /prereviews/by-number/{number} returns `used_window` and `used_case_number`). The
proxy's window pulls back what became of its own pre-reviews (`outcomes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session


def record_use(session: Session, number: str, case_uuid: str, case_number: str, window: str,
               at: str) -> list[str]:
    """Mark the pre-review used by this case (once); warnings for the clerk otherwise."""
    number = number.strip().upper()
    done = session.execute(text(
        "UPDATE central_prereviews SET used_case_uuid = :c, used_case_number = :n, used_window = :w, used_at = :a "
        "WHERE number = :p AND used_case_uuid IS NULL"),
        {"c": case_uuid, "n": case_number, "w": window, "a": at, "p": number}).rowcount
    if done:
        return []
    row = session.execute(text("SELECT used_case_uuid, used_case_number, used_window FROM central_prereviews "
                               "WHERE number = :p"), {"p": number}).first()
    if row is None:
        return [f"预审 {number} 尚未上报到中心：办件已保存"]
    if row.used_case_uuid == case_uuid:
        return []
    return [f"预审 {number} 已在 {row.used_window or '其他'} 号窗口用于办件 {row.used_case_number or row.used_case_uuid}，"
            "本办件仍已保存，请核对"]


def outcomes(session: Session, window: str, numbers: Sequence[str]) -> list[dict[str, Any]]:
    """What became of the pre-reviews this window made: used where, by which case (or not yet)."""
    wanted = [n.strip().upper() for n in numbers if n and n.strip()][:500]
    if not wanted:
        return []
    rows = session.execute(text(
        "SELECT number, used_case_uuid, used_case_number, used_window, used_at FROM central_prereviews "
        "WHERE window_number = :w AND number IN :nums").bindparams(bindparam("nums", expanding=True)),
        {"w": window, "nums": wanted})
    return [{"number": r.number, "used_case_uuid": r.used_case_uuid, "used_case_number": r.used_case_number,
             "used_window": r.used_window, "used_at": r.used_at} for r in rows]
