"""Every document of every decision: built, read back (pypdf), fields and materials present."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pypdf
import pytest

from hallclient.documents import (
    CASE_KINDS,
    DocumentKind,
    Slip,
    build_document,
    build_slip,
    commitment_keys,
    documents_for,
    mask_id_number,
    mask_phone,
    progress_url,
    write_pdf_atomic,
)
from hallclient.documents.commitments import UnknownCommitmentError
from hallclient.documents.fonts import FONT_FALLBACK_A, FONT_MAIN, font_for_char, markup
from hallclient.documents.model import ApplicantInfo, MaterialLine
from hallclient.documents.sample import write_samples
from tests.documents.doc_cases import CASES, COMPANY, SETTINGS, for_kind

MM = 72 / 25.4
BUDGET_BYTES = 200 * 1024


def pdf_pages(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [page.extract_text() or "" for page in reader.pages]


def flat(text: str) -> str:
    """Extracted text without the line breaks and spaces that wrapping inserts."""
    return re.sub(r"\s+", "", text)


def test_documents_for_each_decision() -> None:
    assert documents_for(CASES["accept"]) == [DocumentKind.ACCEPTANCE_NOTICE,
                                              DocumentKind.COMMITMENT_LETTER]
    assert documents_for(replace(CASES["accept"], commitments=())) == [DocumentKind.ACCEPTANCE_NOTICE]
    assert documents_for(CASES["accept_with_tolerance"]) == [DocumentKind.TOLERANCE_NOTICE,
                                                             DocumentKind.TOLERANCE_COMMITMENT]
    assert documents_for(CASES["one_time_notice"]) == [DocumentKind.ONE_TIME_NOTICE]
    assert documents_for(CASES["refuse"]) == [DocumentKind.REFUSAL_DECISION]
    with pytest.raises(ValueError, match="未知的受理决定"):
        documents_for(replace(CASES["accept"], decision="approve"))


def test_every_document_of_every_decision(decided_case) -> None:
    case = decided_case
    for kind in documents_for(case):
        data = build_document(kind, case, SETTINGS)
        assert data.startswith(b"%PDF")
        assert len(data) <= BUDGET_BYTES, (kind, len(data))
        text = flat("".join(pdf_pages(data)))
        assert flat(kind.title) in text
        assert case.case_number in text
        assert SETTINGS.authority in text
        assert case.applicant.display_name in text
        assert case.item_names[0] in text
        if kind is not DocumentKind.COMMITMENT_LETTER:
            assert "2026年9月28日" in text
        # personal numbers appear only masked
        assert case.applicant.id_number not in text
        assert case.applicant.phone.replace("-", "") not in text.replace("-", "")
        assert mask_id_number(case.applicant.id_number) in text
        if kind in (DocumentKind.TOLERANCE_NOTICE, DocumentKind.TOLERANCE_COMMITMENT):
            assert case.tolerated and all(flat(m.name) in text for m in case.tolerated)
        if kind is DocumentKind.COMMITMENT_LETTER:
            assert all(flat(m.name) in text for m in case.commitments)
        elif kind is not DocumentKind.TOLERANCE_COMMITMENT:
            for line in case.materials:
                assert flat(line.name) in text
        assert "补打" not in text


def test_acceptance_notice_fields() -> None:
    case = CASES["accept"]
    text = flat("".join(pdf_pages(build_document(DocumentKind.ACCEPTANCE_NOTICE, case, SETTINGS))))
    assert "4115**********1234" in text
    assert "138****5678" in text
    assert "11411500MB1234567X-001" in text
    assert "20个工作日" in text and "5个工作日" in text
    assert "2026年10月12日" in text  # due date
    assert "3号窗口" in text and "王芳" in text
    assert "申请人（签收）" in text and "加盖" in text
    assert "自取" in text


def test_tolerance_notice_has_two_copies_numbered_on_their_own() -> None:
    case = CASES["accept_with_tolerance"]
    pages = pdf_pages(build_document(DocumentKind.TOLERANCE_NOTICE, case, SETTINGS))
    text = flat("".join(pages))
    assert "申请人联" in flat(pages[0]) and "存档联" in flat(pages[-1])
    assert "经营场所租赁合同" in text and "2026年10月12日" in text
    assert "0376-****789" in text  # landline masked, area code kept
    assert "4115**********4321" in text  # agent's ID masked
    per_copy = len(pages) // 2
    if per_copy > 1:
        assert f"第1页共{per_copy}页" in flat(pages[0])
        assert f"第{per_copy}页共{per_copy}页" in flat(pages[-1])


def test_tolerance_commitment_signers() -> None:
    case = CASES["accept_with_tolerance"]
    text = flat("".join(pdf_pages(build_document(DocumentKind.TOLERANCE_COMMITMENT, case, SETTINGS))))
    assert "容缺受理承诺书" in text
    assert "法定代表人（签字并盖章）" in text and "承诺单位（加盖公章）" in text
    assert "受托人（签字）" in text and "授权委托书" in text and "赵敏" in text
    assert "经营场所租赁合同" in text


def test_commitment_letter_per_commitment() -> None:
    case = CASES["accept"]
    assert commitment_keys(case) == ["food_safety_rules", "health"]
    one = pdf_pages(build_document(DocumentKind.COMMITMENT_LETTER, case, SETTINGS,
                                   commitment_key="health"))
    text = flat("".join(one))
    assert "从业人员健康证明" in text and "食品安全管理制度" not in text
    assert "不实承诺" in text
    both = pdf_pages(build_document(DocumentKind.COMMITMENT_LETTER, case, SETTINGS))
    assert len(both) >= 2 and "食品安全管理制度" in flat(both[0])
    with pytest.raises(UnknownCommitmentError):
        build_document(DocumentKind.COMMITMENT_LETTER, case, SETTINGS, commitment_key="nope")


def test_one_time_notice_lists_every_problem_with_standard_and_reason() -> None:
    case = CASES["one_time_notice"]
    text = flat("".join(pdf_pages(build_document(DocumentKind.ONE_TIME_NOTICE, case, SETTINGS))))
    for line in case.outstanding:
        assert line.name in text and line.standard in text and line.reason in text
    assert "第三十二条" in text and "一次性告知" in text


def test_refusal_decision_gives_reasons_and_remedies() -> None:
    case = CASES["refuse"]
    text = flat("".join(pdf_pages(build_document(DocumentKind.REFUSAL_DECISION, case, SETTINGS))))
    assert "不属于本机关职权范围" in text
    assert "行政复议" in text and "行政诉讼" in text
    assert SETTINGS.reconsideration_body in text and SETTINGS.court in text
    assert "第三十二条第一款第（二）项" in text and "信阳市城市管理局" in text
    assert "申请材料已当场全部退回" in text
    assert "行政复议法》第二十条" in text and "行政诉讼法》第四十六条" in text


def test_reprint_is_marked_on_every_page() -> None:
    case = replace(CASES["accept"], materials=tuple(
        MaterialLine(f"材料{i}", "原件", 1, "已收取") for i in range(40)))
    pages = pdf_pages(build_document(DocumentKind.ACCEPTANCE_NOTICE, case, SETTINGS, reprint=True))
    assert len(pages) > 1
    assert all("补打" in flat(p) for p in pages)


def test_hostile_text_prints_literally() -> None:
    company = "<b>红&amp;绿\"引号\"'单引'</b>" + "超长企业名称" * 32 + "有限公司"
    company = company[:200]
    applicant = ApplicantInfo(name="王𠀾䶮<i>", id_number="411502199001011234",
                              phone="13812345678", organisation=company,
                              legal_representative="李&娜</para>", agent_name="<font name=x>赵")
    materials = (MaterialLine("<b>粗体</b> & 材料 𠀾", "原件", 1, "已收取",
                              reason="\"引号\" & <br/> 䶮"),)
    case = replace(CASES["accept_with_tolerance"], applicant=applicant, materials=materials,
                   clerk_name="䶮𠀾", item_names=("事项<a href='x'>",))
    for kind in CASE_KINDS:
        data = build_document(kind, for_kind(kind, replace(case, commitments=CASES["accept"].commitments)),
                              SETTINGS)
        text = flat("".join(pdf_pages(data)))
        assert "王𠀾䶮<i>" in text
        assert flat(company) in text, kind
        assert "李&娜</para>" in text
        assert flat("<font name=x>赵") in text
        if kind is not DocumentKind.COMMITMENT_LETTER:
            assert "䶮𠀾" in text
        assert flat("事项<a href='x'>") in text


def test_rare_characters_use_the_fallback_font() -> None:
    assert font_for_char("张") == FONT_MAIN
    assert font_for_char("䶮") == FONT_FALLBACK_A  # CJK Extension A
    assert font_for_char("𠀾") != FONT_MAIN  # CJK Extension B
    assert markup("a<b>&c") == "a&lt;b&gt;&amp;c"
    assert f'<font name="{FONT_FALLBACK_A}">䶮</font>' in markup("王䶮")
    assert "\x07" not in markup("bell\x07")


def test_forty_materials_span_pages_with_header_and_numbers() -> None:
    materials = tuple(MaterialLine(f"第{i:02d}号申请材料（长名称需要换行显示" + "某某" * (i % 5) + "）",
                                   "原件", 1, "已收取") for i in range(1, 41))
    case = replace(CASES["accept"], materials=materials)
    pages = pdf_pages(build_document(DocumentKind.ACCEPTANCE_NOTICE, case, SETTINGS))
    total = len(pages)
    assert total >= 2
    for n, page in enumerate(pages, start=1):
        assert f"第{n}页共{total}页" in flat(page)
    # the table header repeats on the page where the table continues
    assert "材料名称" in flat(pages[1]) and "收取情况" in flat(pages[1])
    all_text = flat("".join(pages))
    for line in materials:
        assert flat(line.name) in all_text
    assert len(build_document(DocumentKind.ACCEPTANCE_NOTICE, case, SETTINGS)) <= BUDGET_BYTES


def test_single_page_document_has_no_page_number() -> None:
    case = replace(CASES["accept"], materials=CASES["accept"].materials[:1])
    pages = pdf_pages(build_document(DocumentKind.ACCEPTANCE_NOTICE, case, SETTINGS))
    assert len(pages) == 1
    assert "共1页" not in flat(pages[0])


def test_bundle_lists_every_item() -> None:
    case = replace(CASES["accept"], bundle_name="开办餐饮店一件事",
                   item_names=("食品经营许可（新办）", "公共场所卫生许可（新办）"),
                   item_codes=("11411500MB1234567X-001", "11411500MB1234567X-010"))
    text = flat("".join(pdf_pages(build_document(DocumentKind.ACCEPTANCE_NOTICE, case, SETTINGS))))
    assert "开办餐饮店一件事" in text and "含2个事项" in text
    assert "公共场所卫生许可（新办）" in text and "11411500MB1234567X-010" in text


def test_progress_url_pattern() -> None:
    url = progress_url(SETTINGS, "信高新受〔2026〕01000123")
    assert url.startswith("https://zwfw.xyhtz.gov.cn/case/%E4%BF%A1")
    custom = replace(SETTINGS, progress_url_pattern="https://x.example/q?no={case_number_raw}")
    assert progress_url(custom, "A-1") == "https://x.example/q?no=A-1"


def test_slip_is_80mm_wide() -> None:
    slip = Slip("A023", "市场准入<&>", 5, datetime(2026, 9, 28, 9, 15), "https://q.example/A023")
    data = build_slip(slip)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(80 * MM, abs=0.01)
    assert float(box.height) > 60 * MM
    text = flat(reader.pages[0].extract_text())
    assert "A023" in text and "市场准入<&>" in text and "5人等候" in text
    assert "2026-09-2809:15" in text


def test_write_pdf_atomic_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "notice.pdf"
    write_pdf_atomic(target, b"%PDF-old")
    data = build_document(DocumentKind.ACCEPTANCE_NOTICE, CASES["accept"], SETTINGS)
    assert write_pdf_atomic(target, data) == target
    assert target.read_bytes() == data
    assert [p.name for p in target.parent.iterdir()] == ["notice.pdf"]


def test_write_samples(tmp_path: Path) -> None:
    paths = write_samples(tmp_path)
    assert {p.stem for p in paths} == {k.value for k in DocumentKind} | {"queue_slip"}
    for path in paths:
        assert path.stat().st_size <= BUDGET_BYTES
        assert path.read_bytes().startswith(b"%PDF")


def test_masking() -> None:
    assert mask_id_number("411502199001011234") == "4115**********1234"
    assert mask_id_number("41150219900101123x") == "4115**********123x"
    assert mask_id_number("E12345678") == "E1*****78"
    assert mask_id_number("") == ""
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138 1234 5678") == "+86 138****5678"
    assert mask_phone("0376-6201234") == "0376-****234"
    assert mask_phone("010-12345678") == "010-****5678"
    assert mask_phone("0376-6201234-801") == "0376-****234-***"
    assert mask_phone(None) == ""


def test_documents_package_does_not_import_qt() -> None:
    code = ("import sys, hallclient.documents, hallclient.documents.sample, "
            "hallclient.documents.escpos_slip; "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    assert out.stdout.strip() == "False"


def test_company_with_no_optional_fields() -> None:
    bare = ApplicantInfo(name="", organisation="某公司")
    case = replace(CASES["accept"], applicant=bare, due_date=None, deadline_note="节假日安排未公布，办结日期另行告知",
                   legal_limit_days=None, promised_limit_days=0, window_number="", clerk_name="",
                   materials=())
    text = flat("".join(pdf_pages(build_document(DocumentKind.ACCEPTANCE_NOTICE, case, SETTINGS))))
    assert "某公司" in text and "即办" in text and "节假日安排未公布" in text and "（无）" in text
    assert COMPANY.uscc not in text


def test_a_row_taller_than_a_page_still_builds() -> None:
    huge = MaterialLine("巨大的原因", "原件", 1, "缺少", standard="标准" * 800, reason="很长的原因" * 1500)
    case = replace(CASES["one_time_notice"], outstanding=(huge,),
                   applicant=replace(CASES["one_time_notice"].applicant, organisation="公司" * 1500))
    pages = pdf_pages(build_document(DocumentKind.ONE_TIME_NOTICE, case, SETTINGS))
    text = flat("".join(pages))
    assert len(pages) > 3
    # a row split across pages may cut one occurrence per page break (the footer sits between)
    assert 1500 - len(pages) <= text.count("很长的原因") <= 1500
