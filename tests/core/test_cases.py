"""Case numbers, applicant checks and derived case states."""

from __future__ import annotations

from datetime import date

import pytest

from hallclient.core.cases import (
    Applicant,
    ApplicantKind,
    CaseNumberPatternError,
    applicant_problems,
    check_case_number_pattern,
    format_case_number,
)


def test_default_pattern_keeps_windows_apart() -> None:
    pattern = "信高新受〔{year}〕{window:0>2}{seq:0>6}"
    assert format_case_number(pattern, year=2026, window="3", seq=123) == "信高新受〔2026〕03000123"
    assert format_case_number(pattern, year=2026, window="12", seq=123) == "信高新受〔2026〕12000123"


@pytest.mark.parametrize(("pattern", "message"), [
    ("信高新受〔{year}〕{seq:0>6}", "必须包含 {window} 和 {seq}"),
    ("{window}{number}", "未知字段：number"),
    ("{window}{seq", "受理编号格式有误"),
])
def test_bad_patterns_are_refused(pattern: str, message: str) -> None:
    with pytest.raises(CaseNumberPatternError, match=message.replace("{", r"\{").replace("}", r"\}")):
        check_case_number_pattern(pattern)


def test_person_applicant_problems_name_each_field() -> None:
    good = Applicant(name="张三", id_number="11010519491231002X", phone="13812345678")
    assert applicant_problems(good, date(2026, 11, 25)) == {}
    bad = Applicant(name="", id_number="110105194912310021", phone="12345")
    problems = applicant_problems(bad, date(2026, 11, 25))
    assert set(problems) == {"name", "id_number", "phone"}
    assert "校验位" in problems["id_number"]


def test_organisation_needs_credit_code_and_representative() -> None:
    org = Applicant(kind=ApplicantKind.ORGANISATION, name="信阳某某餐饮管理有限公司",
                    uscc="91350100M000100Y43", legal_representative="李四", phone="0376-6201234")
    assert applicant_problems(org) == {}
    broken = Applicant(kind=ApplicantKind.ORGANISATION, name="某公司", uscc="91350100M000100Y44",
                       legal_representative="", phone="13812345678")
    assert set(applicant_problems(broken)) == {"uscc", "legal_representative"}


def test_agent_needs_power_of_attorney() -> None:
    a = Applicant(name="张三", id_number="11010519491231002X", phone="13812345678",
                  agent_name="王五", agent_id_number="11010519491231002X")
    assert applicant_problems(a) == {"agent_power_of_attorney": "代理人办理须提交授权委托书"}
