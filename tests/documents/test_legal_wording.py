"""Issue 15: every document kind read back for its citations, new fields and the layout rule
(no page holds only a signature/seal block; 第X页 共Y页 per 联)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from hallclient.documents import DocumentKind, build_document, documents_for
from hallclient.documents.model import ItemLimit, MaterialLine
from tests.documents.doc_cases import CASES, COMPANY, SETTINGS
from tests.documents.test_documents import flat, pdf_pages

LONG = tuple(MaterialLine(f"第{i:02d}号申请材料（名称较长需要换行显示的材料名称示例）", "原件", 1, "已收取")
             for i in range(1, 31))
SEAL = "加盖"  # the seal label: on every page that carries the signature/seal block


def text_of(kind: DocumentKind, case, settings=SETTINGS) -> str:  # type: ignore[no-untyped-def]
    return flat("".join(pdf_pages(build_document(kind, case, settings))))


def test_acceptance_notice_cites_art_32_5_and_new_fields() -> None:
    case = replace(CASES["accept"], back_office="市场准入审批科", fee="不收费", delivery="邮寄",
                   delivery_address="信阳市高新区某路1号")
    text = text_of(DocumentKind.ACCEPTANCE_NOTICE, case)
    assert "根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定" in text
    assert "承办科室市场准入审批科" in text and "收费情况不收费" in text
    assert "邮寄（寄至：信阳市高新区某路1号）" in text
    assert "受理人（签名）" in text


def test_non_licensing_item_does_not_cite_the_licensing_law() -> None:
    case = replace(CASES["accept"], licensing=False, item_names=("社会保障卡申领",))
    assert "行政许可法" not in text_of(DocumentKind.ACCEPTANCE_NOTICE, case)


def test_acceptance_stub_is_a_setting() -> None:
    assert "存根" not in text_of(DocumentKind.ACCEPTANCE_NOTICE, CASES["accept"])
    settings = replace(SETTINGS, acceptance_stub=True, archive_full_id=True)
    pages = pdf_pages(build_document(DocumentKind.ACCEPTANCE_NOTICE, CASES["accept"], settings))
    stub = flat(pages[-1])
    assert "受理通知书（存根）" in stub and "存根（本机关留存）" in stub
    assert CASES["accept"].applicant.id_number in stub  # the hall's copy, by setting
    assert CASES["accept"].applicant.id_number not in flat(pages[0])  # the applicant's: masked


def test_tolerance_notice_cites_the_halls_rules_and_ways_to_supplement() -> None:
    case = CASES["accept_with_tolerance"]
    settings = replace(SETTINGS, tolerance_rules="《信阳高新区容缺受理实施办法》")
    text = text_of(DocumentKind.TOLERANCE_NOTICE, case, settings)
    assert "根据《信阳高新区容缺受理实施办法》" in text
    assert "现场提交至" in text and "邮寄至" in text and "河南政务服务网" in text
    only_site = text_of(DocumentKind.TOLERANCE_NOTICE, case, replace(SETTINGS, supplement_ways=("现场",)))
    assert "现场提交至" in only_site and "邮寄至" not in only_site


def test_archive_copy_shows_the_full_id_only_by_setting() -> None:
    case = CASES["accept_with_tolerance"]
    full = COMPANY.id_number
    for settings, archive_has in ((SETTINGS, False), (replace(SETTINGS, archive_full_id=True), True)):
        pages = pdf_pages(build_document(DocumentKind.TOLERANCE_NOTICE, case, settings))
        applicant = [flat(p) for p in pages if "申请人联" in flat(p)]
        archive = [flat(p) for p in pages if "存档联" in flat(p)]
        assert applicant and archive
        assert not any(full in p for p in applicant)
        assert any(full in p for p in archive) is archive_has


def test_tolerance_commitment_agent_and_organisation() -> None:
    text = text_of(DocumentKind.TOLERANCE_COMMITMENT, CASES["accept_with_tolerance"])
    assert "受托人（签字）" in text and "《授权委托书》" in text
    assert "法定代表人（签字并盖章）" in text and "承诺单位（加盖公章）" in text
    person = replace(CASES["accept_with_tolerance"], applicant=CASES["accept"].applicant)
    text = text_of(DocumentKind.TOLERANCE_COMMITMENT, person)
    assert "承诺人（签字）" in text and "受托人" not in text


def test_commitment_letter_carries_what_guobanfa_2020_42_lists() -> None:
    case = replace(CASES["accept"], commitments=(
        replace(CASES["accept"].commitments[0], basis="《食品经营许可和备案管理办法》第十二条"),
        CASES["accept"].commitments[1]))
    pages = pdf_pages(build_document(DocumentKind.COMMITMENT_LETTER, case, SETTINGS))
    first, second = flat("".join(pages[:1])), flat("".join(pages[1:]))
    assert "国办发〔2020〕42号" in first
    assert "设定依据：《食品经营许可和备案管理办法》第十二条" in first
    assert "设定依据：以本事项办事指南所载设定依据为准" in second  # the default text
    for words in ("证明内容及要求", "承诺方式", "核查", "不实承诺的法律责任", "记入信用记录", "撤销"):
        assert words in first, words


def test_one_time_notice_cites_art_32_4() -> None:
    text = text_of(DocumentKind.ONE_TIME_NOTICE, CASES["one_time_notice"])
    assert "第三十二条第一款第（四）项" in text and "一次性告知" in text


@pytest.mark.parametrize(("ground", "expected"), [
    ("not_licensing", "第三十二条第一款第（一）项"),
    ("not_competent", "第三十二条第一款第（二）项"),
    ("other", "根据政务服务事项实施清单及有关规定"),
])
def test_refusal_cites_the_clause_of_its_ground(ground: str, expected: str) -> None:
    case = replace(CASES["refuse"], refusal_ground=ground)
    text = text_of(DocumentKind.REFUSAL_DECISION, case)
    assert expected in text and "申请材料已当场全部退回" in text


def test_refusal_shows_unset_bodies_as_to_be_set() -> None:
    bare = replace(SETTINGS, reconsideration_body="", court="")
    text = text_of(DocumentKind.REFUSAL_DECISION, CASES["refuse"], bare)
    assert "（行政复议机关待设置）" in text and "（管辖法院待设置）" in text


def test_bundle_prints_each_items_limit_and_due_date() -> None:
    case = replace(CASES["accept"], bundle_name="开办餐饮店一件事",
                   item_names=("个体工商户设立登记", "食品经营许可（新办）"),
                   item_limits=(ItemLimit("个体工商户设立登记", 0, date(2026, 9, 28)),
                                ItemLimit("食品经营许可（新办）", 5, date(2026, 10, 12))))
    for kind in (DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.TOLERANCE_NOTICE):
        text = text_of(kind, replace(case, tolerated=CASES["accept_with_tolerance"].tolerated))
        assert "承诺办结时限" in text and "预计办结日期" in text
        assert "个体工商户设立登记即办（当场办结）2026年9月28日" in text
        assert "食品经营许可（新办）5个工作日2026年10月12日" in text


def _signature_never_alone(kind: DocumentKind, case) -> list[str]:  # type: ignore[no-untyped-def]
    pages = [flat(p) for p in pdf_pages(build_document(kind, case, SETTINGS))]
    names = [flat(m.name) for m in (*case.materials, *case.tolerated, *case.outstanding)]
    for page in pages:
        if SEAL in page or "签收" in page:
            # the block shares its page with rows of the list or the text it closes
            assert any(n in page for n in names) or "办理事项" in page, page[:200]
    return pages


@pytest.mark.parametrize("n", range(1, 31))
def test_no_page_holds_only_the_signature_block(n: int) -> None:
    base = CASES["accept_with_tolerance"]
    case = replace(base, materials=LONG[:n])
    for kind in (DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.TOLERANCE_NOTICE):
        _signature_never_alone(kind, replace(case, decision="accept" if kind is DocumentKind.ACCEPTANCE_NOTICE
                                             else "accept_with_tolerance"))
    _signature_never_alone(DocumentKind.ONE_TIME_NOTICE, replace(CASES["one_time_notice"], materials=LONG[:n]))
    _signature_never_alone(DocumentKind.REFUSAL_DECISION, replace(CASES["refuse"], materials=LONG[:n]))


def test_each_copy_of_the_tolerance_notice_is_numbered_on_its_own() -> None:
    case = replace(CASES["accept_with_tolerance"], materials=LONG[:20])
    pages = [flat(p) for p in pdf_pages(build_document(DocumentKind.TOLERANCE_NOTICE, case, SETTINGS))]
    first = [p for p in pages if "申请人联" in p]
    second = [p for p in pages if "存档联" in p]
    assert len(first) == len(second) >= 2 and len(first) + len(second) == len(pages)
    for copy in (first, second):
        for n, page in enumerate(copy, start=1):
            assert f"第{n}页共{len(copy)}页" in page


def test_the_common_tolerance_case_fits_one_page_per_copy() -> None:
    """Up to 8 received (short names, as most are) and 3 tolerated materials: one page per 联."""
    received = tuple(MaterialLine(n, "原件", 1, "已收取") for n in (
        "食品经营许可申请书", "营业执照", "法定代表人身份证", "经营场所平面布局图", "设备设施布局和操作流程",
        "食品安全管理制度", "授权委托书", "受托人身份证"))
    tolerated = tuple(MaterialLine(n, "复印件", 1, "容缺后补", standard="在有效期内",
                                   supplement_by=date(2026, 10, 9), key=f"t{i}")
                      for i, n in enumerate(("经营场所租赁合同", "食品安全管理人员考核合格证明", "从业人员健康证明")))
    case = replace(CASES["accept_with_tolerance"], materials=received, tolerated=tolerated)
    pages = pdf_pages(build_document(DocumentKind.TOLERANCE_NOTICE, case, SETTINGS))
    assert len(pages) == 2, len(pages)


def test_every_kind_is_built_for_every_decision(decided_case) -> None:  # type: ignore[no-untyped-def]
    for kind in documents_for(decided_case):
        assert build_document(kind, decided_case, SETTINGS).startswith(b"%PDF")
