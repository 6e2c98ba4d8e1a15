"""Personal data on paper is minimised: ID and phone numbers print partly masked."""

from __future__ import annotations

import re

_MASK = "*"
# Area codes of 3 digits: 010 (Beijing) and 020-029; all others have 4.
_THREE_DIGIT_AREA = re.compile(r"^0(10|2\d)")


def mask_id_number(value: str | None) -> str:
    """Keep the first 4 and last 4 characters: ``4115**********1234`` for an 18-character ID.

    Shorter numbers (passports, permits) keep less so that most of the number stays hidden.
    """
    text = "".join((value or "").split())
    n = len(text)
    if n == 0:
        return ""
    if n >= 12:
        head, tail = 4, 4
    elif n >= 8:
        head, tail = 2, 2
    elif n >= 4:
        head, tail = 0, 2
    else:
        head, tail = 0, 0
    return text[:head] + _MASK * (n - head - tail) + text[n - tail :]


def mask_phone(value: str | None) -> str:
    """Mobile ``138****5678``; landline keeps the area code and the last 2-4 digits.

    ``0376-6201234`` → ``0376-****234``; an extension (``0376-6201234-801``) is masked whole.
    """
    text = (value or "").strip()
    if not text:
        return ""
    prefix = ""
    extension = ""
    pieces = re.split(r"\s*[-－]\s*", text)
    if len(pieces) == 3 and pieces[0].lstrip("+").isdigit() and pieces[2].isdigit():
        text = f"{pieces[0]}-{pieces[1]}"
        extension = "-" + _MASK * len(pieces[2])
    digits_only = re.sub(r"[\s\-()（）]", "", text)
    for country in ("+86", "0086"):
        if digits_only.startswith(country):
            prefix, digits_only = "+86 ", digits_only[len(country) :]
            break
    if not digits_only.isdigit():
        return _mask_middle(text)
    if len(digits_only) == 11 and digits_only.startswith("1"):
        return prefix + digits_only[:3] + _MASK * 4 + digits_only[7:]
    if digits_only.startswith("0") and len(digits_only) >= 9:
        area_len = 3 if _THREE_DIGIT_AREA.match(digits_only) else 4
        area = digits_only[:area_len]
        return prefix + area + "-" + _mask_local(digits_only[area_len:]) + extension
    return prefix + _mask_local(digits_only) + extension


def _mask_local(local: str) -> str:
    n = len(local)
    keep = max(2, min(4, n - 4))
    if n <= keep:
        return _MASK * n
    return _MASK * (n - keep) + local[n - keep :]


def _mask_middle(text: str) -> str:
    n = len(text)
    if n <= 4:
        return _MASK * n
    keep = max(1, n // 4)
    return text[:keep] + _MASK * (n - 2 * keep) + text[n - keep :]
