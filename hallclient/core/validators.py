"""Checks of applicant data, each returning a ``Check`` the UI can show beside the field.

- ``check_resident_id``: 居民身份证号码 (GB 11643-1999), also the 18-digit residence permits
  of Hong Kong, Macao and Taiwan residents (region codes 81/82/83)
- ``check_uscc``: 统一社会信用代码 (GB 32100-2015)
- ``check_mobile``: mainland mobile number or landline with area code
- ``check_name``: a person's or organisation's name
- ``check_id``: any ID type (``IdType``)

Checks validate the string as given; the ``normalize_*`` helpers turn typed input (spaces,
full-width digits, lowercase x) into the stored form first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from hallclient.core.text_rules import LINE_FORBIDDEN_CATEGORIES


@dataclass(frozen=True)
class Check:
    """``ok`` and, on failure, the reason in Chinese (``""`` on success)."""

    ok: bool
    message: str = ""


OK = Check(True, "")


def _fail(message: str) -> Check:
    return Check(False, message)


# Full-width digits and letters as Chinese input methods produce them, and the spaces people
# type to group digits.
_FULLWIDTH = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)}
    | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}
    | {chr(0xFF41 + i): chr(0x61 + i) for i in range(26)}
    | {" ": None, "\u3000": None, "\t": None}
)

# --- 居民身份证 (GB 11643-1999) ---------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11), ISO 7064 MOD 11-2
# First digit of the region code: 1–6 for the province-level codes of GB/T 2260, 8 for the
# residence permits of Hong Kong (81), Macao (82) and Taiwan (83) residents.
_ID_REGION_FIRST_DIGITS = "1234568"
_DIGITS = "0123456789"
_EARLIEST_BIRTH = date(1800, 1, 1)


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character ('0'–'9' or 'X') of 17 digits."""
    if len(first17) != 17 or any(c not in _DIGITS for c in first17):
        raise ValueError("需要17位数字")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def normalize_resident_id(number: str) -> str:
    """Stored form: no spaces, ASCII digits, uppercase X."""
    return number.translate(_FULLWIDTH).upper()


def check_resident_id(number: str, today: date | None = None) -> Check:
    """An 18-digit resident ID (lowercase x accepted; store ``normalize_resident_id``)."""
    if len(number) != 18:
        return _fail("身份证号码应为18位")
    if any(c not in _DIGITS for c in number[:17]) or number[17] not in _DIGITS + "Xx":
        return _fail("身份证号码前17位应为数字，最后一位应为数字或 X")
    if number[0] not in _ID_REGION_FIRST_DIGITS:
        return _fail("地区码无效（身份证号码首位应为 1–6 或 8）")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return _fail("出生日期无效")
    if birth < _EARLIEST_BIRTH:
        return _fail("出生日期无效")
    if birth > (today or date.today()):
        return _fail("出生日期无效（晚于今天）")
    expected = resident_id_check_char(number[:17])
    if number[17].upper() != expected:
        return _fail(f"校验位错误（应为 {expected}）")
    return OK


# --- 统一社会信用代码 (GB 32100-2015) ----------------------------------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
_USCC_VALUES = {c: i for i, c in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters."""
    if len(first17) != 17 or any(c not in _USCC_VALUES for c in first17):
        raise ValueError("需要17位统一社会信用代码字符")
    total = sum(_USCC_VALUES[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def normalize_uscc(code: str) -> str:
    """Stored form: no spaces, ASCII, uppercase."""
    return code.translate(_FULLWIDTH).upper()


def check_uscc(code: str) -> Check:
    """A unified social credit code (lowercase letters accepted; store ``normalize_uscc``)."""
    if len(code) != 18:
        return _fail("统一社会信用代码应为18位")
    upper = code.upper()
    for position, char in enumerate(upper, start=1):
        if char not in _USCC_VALUES:
            return _fail(
                f"统一社会信用代码第{position}位“{code[position - 1]}”无效"
                f"（只能是数字和除 I、O、S、V、Z 以外的大写字母）"
            )
    if any(c not in _DIGITS for c in upper[2:8]):
        return _fail("统一社会信用代码第3–8位应为行政区划码（6位数字）")
    expected = uscc_check_char(upper[:17])
    if upper[17] != expected:
        return _fail(f"校验位错误（应为 {expected}）")
    return OK


# --- 联系电话 ------------------------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
# Area codes: 010 and 02x are followed by 8-digit local numbers, 0[3-9]xx by 7 or 8 digits.
# A local number never starts with 0 or 1.
_LANDLINE = re.compile(r"0(?:10|2\d)-?[2-9]\d{7}|0[3-9]\d{2}-?[2-9]\d{6,7}", re.ASCII)
_PHONE_CHARS = re.compile(r"[\d-]+", re.ASCII)


def check_mobile(phone: str) -> Check:
    """A mainland mobile number (11 digits) or a landline with its area code."""
    if not phone:
        return _fail("联系电话不能为空")
    if not _PHONE_CHARS.fullmatch(phone):
        return _fail("联系电话只能包含数字和“-”")
    if phone.startswith("1"):
        if len(phone) != 11 or "-" in phone:
            return _fail("手机号码应为11位数字")
        if not _MOBILE.fullmatch(phone):
            return _fail("手机号码号段无效（第二位应为 3–9）")
        return OK
    if phone.startswith("0"):
        if _LANDLINE.fullmatch(phone):
            return OK
        return _fail("固定电话格式不正确，应为区号加号码，如 0376-6201234")
    return _fail("请填写11位手机号码，或带区号的固定电话（如 0376-6201234）")


# --- 姓名 / 名称 ----------------------------------------------------------------------------

NAME_MAX_LENGTH = 100
# Controls, invisible format characters (zero-width space, BOM, …), lone surrogates and line
# or paragraph separators. Private-use characters stay allowed: rare characters are often
# stored there; unassigned ones too, as Python may know an older Unicode than the ID card.
_NAME_FORBIDDEN_CATEGORIES = LINE_FORBIDDEN_CATEGORIES  # one rule with the central: core.text_rules


def check_name(name: str) -> Check:
    """A name: any script incl. rare CJK (𠀾, 䶮) and the middle dot of ethnic names."""
    if not name.strip():
        return _fail("姓名不能为空")
    if len(name) > NAME_MAX_LENGTH:
        return _fail(f"姓名不能超过{NAME_MAX_LENGTH}个字符")
    for position, char in enumerate(name, start=1):
        if unicodedata.category(char) in _NAME_FORBIDDEN_CATEGORIES:
            return _fail(f"姓名第{position}个字符是控制字符或不可见字符，请删除")
    return OK


# --- 证件类型 ---------------------------------------------------------------------------------


class IdType(StrEnum):
    RESIDENT_ID = "resident_id"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    PASSPORT = "passport"
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ID_TYPE_LABELS[self]


ID_TYPE_LABELS: dict[IdType, str] = {
    IdType.RESIDENT_ID: "居民身份证",
    IdType.HK_MACAO_PERMIT: "港澳居民来往内地通行证",
    IdType.TAIWAN_PERMIT: "台湾居民来往大陆通行证",
    IdType.PASSPORT: "护照",
    IdType.FOREIGN_PERMANENT_RESIDENT: "外国人永久居留身份证",
    IdType.OTHER: "其他",
}

_DOCUMENT_NUMBER = re.compile(r"[A-Za-z0-9]+")
_DOCUMENT_MAX_LENGTH = 30
_OTHER_MAX_LENGTH = 50


def check_id(id_type: IdType | str, number: str, today: date | None = None) -> Check:
    """The full resident-ID check for ``RESIDENT_ID``; a basic one for the other types."""
    id_type = IdType(id_type)
    if id_type is IdType.RESIDENT_ID:
        return check_resident_id(number, today)
    label = "证件" if id_type is IdType.OTHER else ID_TYPE_LABELS[id_type]
    if not number.strip():
        return _fail(f"{label}号码不能为空")
    if id_type is IdType.OTHER:
        if len(number) > _OTHER_MAX_LENGTH:
            return _fail(f"证件号码不能超过{_OTHER_MAX_LENGTH}个字符")
        if any(unicodedata.category(c) in _NAME_FORBIDDEN_CATEGORIES for c in number):
            return _fail("证件号码含有控制字符或不可见字符，请删除")
        return OK
    if not _DOCUMENT_NUMBER.fullmatch(number):
        return _fail(f"{label}号码只能包含字母和数字")
    if len(number) > _DOCUMENT_MAX_LENGTH:
        return _fail(f"{label}号码不能超过{_DOCUMENT_MAX_LENGTH}个字符")
    return OK
