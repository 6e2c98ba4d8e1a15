"""What text the hall accepts, one rule for the window and the central (no Qt, SQL or HTTP).

* Every text: no NUL (a database cannot store it; PostgreSQL refuses it), no lone surrogate
  (not Unicode text), no other control character but tab and line breaks, and no bidirectional
  controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C): an RTL override shows
  "申请人ABC" as "申请人CBA" on a screen or a printed notice while the data says otherwise.
* A one-line field (a name, a number): no character of the categories Cc, Cf, Cs, Zl, Zp at all
  (controls, invisible format characters such as zero-width spaces, line separators).

The window's validators (hallclient.core.validators) and the central's request models
(hallclient.central.schemas, hallclient.central.limits) both call these.
"""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
LINE_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def text_problem(value: str) -> str | None:
    """Why `value` is refused as text (in Chinese), or None."""
    if "\x00" in value:
        return "不能包含 NUL 字符"
    for char in value:
        if "\ud800" <= char <= "\udfff":
            return "不是有效的 Unicode 文本（含孤立代理字符）"
        if char in BIDI_CONTROLS:
            return f"不能包含文字方向控制字符（U+{ord(char):04X}，如从右到左覆盖）"
        if char not in _ALLOWED_CONTROLS and unicodedata.category(char) == "Cc":
            return f"不能包含控制字符（U+{ord(char):04X}）"
    return None


def line_problem(value: str) -> str | None:
    """Why `value` is refused as a one-line field (a name, a number), or None."""
    problem = text_problem(value)
    if problem:
        return problem
    for char in value:
        if unicodedata.category(char) in LINE_FORBIDDEN_CATEGORIES:
            return f"含有控制字符或不可见字符（U+{ord(char):04X}）"
    return None


def encoded_json_problem(encoded: str) -> str | None:
    """Why a JSON document's text (json.dumps(ensure_ascii=False) output) carries refused text."""
    if "\\u0000" in encoded or "\x00" in encoded:
        return "不能包含 NUL 字符"
    try:
        encoded.encode("utf-8")
    except UnicodeEncodeError:
        return "不是有效的 Unicode 文本（含孤立代理字符）"
    for char in BIDI_CONTROLS:
        if char in encoded:
            return f"不能包含文字方向控制字符（U+{ord(char):04X}，如从右到左覆盖）"
    return None
