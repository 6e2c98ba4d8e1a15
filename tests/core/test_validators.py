"""Applicant data checks: resident ID, USCC, phone, name, ID types."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hallclient.core.validators import (
    ID_TYPE_LABELS,
    USCC_CHARSET,
    Check,
    IdType,
    check_id,
    check_mobile,
    check_name,
    check_resident_id,
    check_uscc,
    normalize_resident_id,
    normalize_uscc,
    resident_id_check_char,
    uscc_check_char,
)

TODAY = date(2026, 9, 28)
OK = Check(True, "")

# --- resident ID ------------------------------------------------------------------------------


def with_id_check(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def test_gb11643_samples_pass() -> None:
    # The two examples printed in GB 11643-1999.
    assert check_resident_id("11010519491231002X", TODAY) == OK
    assert check_resident_id("440524188001010014", TODAY) == OK
    assert resident_id_check_char("11010519491231002") == "X"
    assert resident_id_check_char("44052418800101001") == "4"


def test_lowercase_x_is_accepted_and_normalised() -> None:
    assert check_resident_id("11010519491231002x", TODAY) == OK
    assert normalize_resident_id("11010519491231002x") == "11010519491231002X"
    assert normalize_resident_id(" 110105 19491231 002x\u3000") == "11010519491231002X"
    assert normalize_resident_id("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"


def test_wrong_check_digit_names_the_right_one() -> None:
    assert check_resident_id("110105194912310021", TODAY) == Check(False, "校验位错误（应为 X）")
    assert check_resident_id("440524188001010015", TODAY) == Check(False, "校验位错误（应为 4）")


@pytest.mark.parametrize("number", ["", "11010519491231002", "11010519491231002X0"])
def test_length(number: str) -> None:
    assert check_resident_id(number, TODAY) == Check(False, "身份证号码应为18位")


@pytest.mark.parametrize(
    "number",
    ["1101051949123100XX", "11010519491231002Y", "11010519491231 02X", "１1010519491231002X"],
)
def test_characters(number: str) -> None:
    assert check_resident_id(number, TODAY) == Check(
        False, "身份证号码前17位应为数字，最后一位应为数字或 X"
    )


@pytest.mark.parametrize("first", ["0", "7", "9"])
def test_region_first_digit(first: str) -> None:
    number = with_id_check(first + "1010519491231002")
    assert check_resident_id(number, TODAY) == Check(
        False, "地区码无效（身份证号码首位应为 1–6 或 8）"
    )


def test_residence_permits_of_hk_macao_taiwan_residents() -> None:
    for region in ("810000", "820000", "830000"):
        assert check_resident_id(with_id_check(region + "19900101123"), TODAY) == OK


@pytest.mark.parametrize("birth", ["19490230", "19491301", "19490000", "17991231", "20230229"])
def test_invalid_birth_date(birth: str) -> None:
    number = with_id_check("110105" + birth + "002")
    assert check_resident_id(number, TODAY) == Check(False, "出生日期无效")


def test_birth_date_not_in_the_future() -> None:
    born_today = with_id_check("110105" + "20260928" + "002")
    born_tomorrow = with_id_check("110105" + "20260929" + "002")
    assert check_resident_id(born_today, TODAY) == OK
    assert check_resident_id(born_tomorrow, TODAY) == Check(False, "出生日期无效（晚于今天）")
    assert check_resident_id(born_tomorrow, date(2026, 9, 29)) == OK


def test_today_defaults_to_the_real_date() -> None:
    assert check_resident_id("11010519491231002X") == OK
    assert check_resident_id(with_id_check("110105" + "29991231" + "002")) == Check(
        False, "出生日期无效（晚于今天）"
    )


def test_check_char_table_covers_every_residue() -> None:
    # Position 8 has weight 1, position 3 weight 10: digit d there gives residue d (or 10).
    expected = {0: "1", 1: "0", 2: "X", 3: "9", 4: "8", 5: "7", 6: "6", 7: "5", 8: "4", 9: "3"}
    for residue, char in expected.items():
        assert resident_id_check_char("0000000" + str(residue) + "0" * 9) == char
    assert resident_id_check_char("0010000000000000" + "0") == "2"  # residue 10


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    region = draw(st.sampled_from("1234568")) + draw(st.text("0123456789", min_size=5, max_size=5))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.text("0123456789", min_size=3, max_size=3))
    return with_id_check(region + birth.strftime("%Y%m%d") + sequence)


@given(resident_ids())
def test_generated_ids_pass(number: str) -> None:
    assert check_resident_id(number, TODAY) == OK
    assert check_id(IdType.RESIDENT_ID, number, TODAY) == OK


@given(resident_ids(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_substitution_fails(number: str, position: int, char: str) -> None:
    if position < 17 and char == "X":
        char = "0"
    if number[position] == char:
        char = "1" if char != "1" else "2"
    changed = number[:position] + char + number[position + 1 :]
    assert not check_resident_id(changed, TODAY).ok


@given(resident_ids(), st.integers(min_value=0, max_value=15))
def test_any_adjacent_transposition_fails(number: str, position: int) -> None:
    a, b = number[position], number[position + 1]
    assume(a != b)
    swapped = number[:position] + b + a + number[position + 2 :]
    result = check_resident_id(swapped, TODAY)
    assert not result.ok
    assert result.message != ""


# --- USCC -------------------------------------------------------------------------------------


def test_published_uscc_sample_passes() -> None:
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert check_uscc("91350100M000100Y43") == OK
    assert check_uscc("91350100m000100y43") == OK
    assert normalize_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_uscc_check_char_zero_and_letter() -> None:
    # A weighted sum divisible by 31 gives "0", not "31".
    assert uscc_check_char("0" * 17) == "0"
    # 1 * 1 = 1 -> 31 - 1 = 30 -> "Y"
    assert uscc_check_char("1" + "0" * 16) == "Y"


def test_uscc_wrong_check_char() -> None:
    assert check_uscc("91350100M000100Y44") == Check(False, "校验位错误（应为 3）")


def test_uscc_length() -> None:
    assert check_uscc("91350100M000100Y4") == Check(False, "统一社会信用代码应为18位")
    assert check_uscc("") == Check(False, "统一社会信用代码应为18位")


@pytest.mark.parametrize(("char", "position"), [("O", 11), ("I", 11), ("Z", 11), ("S", 11)])
def test_uscc_forbidden_letters(char: str, position: int) -> None:
    code = "91350100M0" + char + "0100Y43"
    assert check_uscc(code) == Check(
        False,
        f"统一社会信用代码第{position}位“{char}”无效（只能是数字和除 I、O、S、V、Z 以外的大写字母）",
    )


def test_uscc_lowercase_forbidden_letter_is_shown_as_typed() -> None:
    assert check_uscc("91350100M0o0100Y43").message.startswith("统一社会信用代码第11位“o”无效")


def test_uscc_region_code_digits() -> None:
    first17 = "91A50100M000100Y4"
    code = first17 + uscc_check_char(first17)
    assert check_uscc(code) == Check(False, "统一社会信用代码第3–8位应为行政区划码（6位数字）")


@st.composite
def usccs(draw: st.DrawFn) -> str:
    head = draw(st.text(USCC_CHARSET, min_size=2, max_size=2))
    region = draw(st.text("0123456789", min_size=6, max_size=6))
    body = draw(st.text(USCC_CHARSET, min_size=9, max_size=9))
    first17 = head + region + body
    return first17 + uscc_check_char(first17)


@given(usccs())
def test_generated_usccs_pass(code: str) -> None:
    assert check_uscc(code) == OK


@given(usccs(), st.integers(min_value=0, max_value=17), st.sampled_from(USCC_CHARSET))
def test_uscc_any_single_substitution_fails(code: str, position: int, char: str) -> None:
    if code[position] == char:
        char = USCC_CHARSET[(USCC_CHARSET.index(char) + 1) % len(USCC_CHARSET)]
    changed = code[:position] + char + code[position + 1 :]
    assert not check_uscc(changed).ok


# --- phone ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "13800138000",
        "19912345678",
        "0376-6201234",
        "03766201234",
        "0376-62012345",
        "010-62345678",
        "01062345678",
        "021-52345678",
    ],
)
def test_valid_phones(phone: str) -> None:
    assert check_mobile(phone) == OK


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("", "联系电话不能为空"),
        ("1380013800", "手机号码应为11位数字"),
        ("138001380001", "手机号码应为11位数字"),
        ("138-0013-8000", "手机号码应为11位数字"),
        ("12345678901", "手机号码号段无效（第二位应为 3–9）"),
        ("138 0013 8000", "联系电话只能包含数字和“-”"),
        ("１３８００１３８０００", "联系电话只能包含数字和“-”"),
        ("+8613800138000", "联系电话只能包含数字和“-”"),
        ("010-12345678", "固定电话格式不正确，应为区号加号码，如 0376-6201234"),
        ("021-6234567", "固定电话格式不正确，应为区号加号码，如 0376-6201234"),
        ("0376-0201234", "固定电话格式不正确，应为区号加号码，如 0376-6201234"),
        ("0376-620123", "固定电话格式不正确，应为区号加号码，如 0376-6201234"),
        ("6201234", "请填写11位手机号码，或带区号的固定电话（如 0376-6201234）"),
    ],
)
def test_invalid_phones(phone: str, message: str) -> None:
    assert check_mobile(phone) == Check(False, message)


# --- name -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "张三",
        "𠀾",  # U+2003E, CJK Extension B
        "刘䶮",  # U+4DAE, CJK Extension A
        "阿卜杜热合曼·艾力",
        "John Smith",
        "信阳市某某商贸有限公司",
        "\ue000明",  # a rare character kept in the private use area
        "𠀾" * 100,  # 100 characters, 200 UTF-16 code units
    ],
)
def test_valid_names(name: str) -> None:
    assert check_name(name) == OK


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "姓名不能为空"),
        ("  \u3000", "姓名不能为空"),
        ("张" * 101, "姓名不能超过100个字符"),
        ("张\n三", "姓名第2个字符是控制字符或不可见字符，请删除"),
        ("\u200b张三", "姓名第1个字符是控制字符或不可见字符，请删除"),
        ("张三\ufeff", "姓名第3个字符是控制字符或不可见字符，请删除"),
        ("张\u2028三", "姓名第2个字符是控制字符或不可见字符，请删除"),
    ],
)
def test_invalid_names(name: str, message: str) -> None:
    assert check_name(name) == Check(False, message)


# --- ID types ---------------------------------------------------------------------------------


def test_id_type_values_and_labels() -> None:
    assert [t.value for t in IdType] == [
        "resident_id",
        "hk_macao_permit",
        "taiwan_permit",
        "passport",
        "foreign_permanent_resident",
        "other",
    ]
    assert IdType.RESIDENT_ID.label == "居民身份证"
    assert ID_TYPE_LABELS[IdType.HK_MACAO_PERMIT] == "港澳居民来往内地通行证"
    assert ID_TYPE_LABELS[IdType.TAIWAN_PERMIT] == "台湾居民来往大陆通行证"
    assert IdType.PASSPORT.label == "护照"
    assert IdType.FOREIGN_PERMANENT_RESIDENT.label == "外国人永久居留身份证"
    assert IdType.OTHER.label == "其他"


def test_check_id_applies_the_resident_check_only_to_resident_ids() -> None:
    assert check_id(IdType.RESIDENT_ID, "110105194912310021", TODAY) == Check(
        False, "校验位错误（应为 X）"
    )
    assert check_id("resident_id", "11010519491231002X", TODAY) == OK
    # the same string is a plausible passport number: no check digit applies there
    assert check_id(IdType.PASSPORT, "110105194912310021") == OK


@pytest.mark.parametrize(
    ("id_type", "number"),
    [
        (IdType.HK_MACAO_PERMIT, "H12345678"),
        (IdType.HK_MACAO_PERMIT, "m1234567801"),
        (IdType.TAIWAN_PERMIT, "12345678"),
        (IdType.PASSPORT, "E12345678"),
        (IdType.FOREIGN_PERMANENT_RESIDENT, "USA110078110101"),
        (IdType.OTHER, "南字第123456号"),
    ],
)
def test_other_id_types_pass_basic_check(id_type: IdType, number: str) -> None:
    assert check_id(id_type, number) == OK


@pytest.mark.parametrize(
    ("id_type", "number", "message"),
    [
        (IdType.PASSPORT, "", "护照号码不能为空"),
        (IdType.PASSPORT, "   ", "护照号码不能为空"),
        (IdType.PASSPORT, "E1234 5678", "护照号码只能包含字母和数字"),
        (IdType.HK_MACAO_PERMIT, "H1234567８", "港澳居民来往内地通行证号码只能包含字母和数字"),
        (IdType.TAIWAN_PERMIT, "1" * 31, "台湾居民来往大陆通行证号码不能超过30个字符"),
        (IdType.OTHER, "", "证件号码不能为空"),
        (IdType.OTHER, "南字第\t123号", "证件号码含有控制字符或不可见字符，请删除"),
        (IdType.OTHER, "字" * 51, "证件号码不能超过50个字符"),
    ],
)
def test_other_id_types_fail_basic_check(id_type: IdType, number: str, message: str) -> None:
    assert check_id(id_type, number) == Check(False, message)


def test_unknown_id_type_is_refused() -> None:
    with pytest.raises(ValueError):
        check_id("driving_licence", "123")
