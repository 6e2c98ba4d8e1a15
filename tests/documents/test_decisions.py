"""Issues 11 and 12: the documents after acceptance (准予 / 办结 / 不予许可 / 延长期限), the 收件回执,
the 预审意见单, and the rating QR code; each read back from its PDF (pypdf, zbarimg)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from hallclient.core.approval import ApprovalOutcome, decision_document
from hallclient.core.catalog_format import parse_catalog
from hallclient.documents import (
    DocumentKind,
    PrereviewMaterial,
    build_document,
    build_prereview_sheet,
    documents_for,
    mask_id_number,
    progress_url,
    rating_url,
)
from hallclient.documents.decisions import MissingDecisionError
from hallclient.documents.sample import SAMPLE_PREREVIEW
from tests.conftest import small_catalog
from tests.documents.doc_cases import BASE, CASES, CHIEF, LATER, SETTINGS
from tests.documents.test_documents import flat, pdf_pages
from tests.documents.test_legal_wording import LONG, SEAL

ZBARIMG = shutil.which("zbarimg")
PDFTOPPM = shutil.which("pdftoppm")
TOKEN = "k3Jx9QmVt2LpR8sWd4Yh1nZa"
RATING = replace(SETTINGS, rating_base_url="https://hall.example/")


def text_of(kind: DocumentKind, case, settings=SETTINGS) -> str:  # type: ignore[no-untyped-def]
    return flat("".join(pdf_pages(build_document(kind, case, settings))))


def qr_codes(pdf: bytes, tmp_path: Path) -> list[str]:
    """Every QR code on every page (pdftoppm at 200 dpi, then zbarimg)."""
    src = tmp_path / "doc.pdf"
    src.write_bytes(pdf)
    subprocess.run([PDFTOPPM, "-r", "200", "-png", str(src), str(tmp_path / "page")], check=True, timeout=60)
    found: list[str] = []
    for page in sorted(tmp_path.glob("page*.png")):
        out = subprocess.run([ZBARIMG, "-q", "--raw", str(page)], capture_output=True, text=True, timeout=60)
        found += [line for line in out.stdout.splitlines() if line]
    return found


needs_zbar = pytest.mark.skipif(ZBARIMG is None or PDFTOPPM is None, reason="zbarimg / pdftoppm not installed")


# --- which documents a case has ---------------------------------------------------------------


def test_documents_for_the_states_after_acceptance() -> None:
    window = [DocumentKind.ACCEPTANCE_NOTICE]
    assert documents_for(LATER["approved"]) == [*window, DocumentKind.APPROVAL_DECISION]
    assert documents_for(LATER["completed"]) == [*window, DocumentKind.COMPLETION_NOTICE]
    assert documents_for(LATER["denied"]) == [*window, DocumentKind.DENIAL_DECISION]
    assert documents_for(LATER["extended"]) == [*window, DocumentKind.EXTENSION_NOTICE]
    both = replace(LATER["extended"], approval=LATER["approved"].approval)
    assert documents_for(both) == [*window, DocumentKind.EXTENSION_NOTICE, DocumentKind.APPROVAL_DECISION]
    assert documents_for(LATER["received"]) == [DocumentKind.RECEIPT]


def test_the_kinds_are_the_names_core_approval_gives() -> None:
    items = parse_catalog(small_catalog()).item_map()
    licensing = [i for i in items.values() if i.item_type.value == "行政许可"][:1]
    other = [i for i in items.values() if i.item_type.value != "行政许可"][:1]
    assert licensing and other
    for items_, case in ((licensing, LATER["approved"]), (other, LATER["completed"])):
        expected = DocumentKind(decision_document(items_, ApprovalOutcome.APPROVED))
        assert documents_for(case)[-1] is expected
    assert DocumentKind(decision_document(licensing, ApprovalOutcome.DENIED)) is DocumentKind.DENIAL_DECISION
    assert DocumentKind(decision_document(licensing, ApprovalOutcome.EXTENDED)) is DocumentKind.EXTENSION_NOTICE


def test_a_decision_document_without_its_decision_is_refused() -> None:
    for kind in (DocumentKind.APPROVAL_DECISION, DocumentKind.DENIAL_DECISION, DocumentKind.EXTENSION_NOTICE):
        with pytest.raises(MissingDecisionError):
            build_document(kind, CASES["accept"], SETTINGS)
    with pytest.raises(MissingDecisionError):  # an approval is not a denial
        build_document(DocumentKind.DENIAL_DECISION, LATER["approved"], SETTINGS)
    with pytest.raises(TypeError, match="build_prereview_sheet"):
        build_document(DocumentKind.PREREVIEW_SHEET, CASES["accept"], SETTINGS)


# --- the documents ------------------------------------------------------------------------------


def test_approval_decision_cites_art_34_and_38_1_with_validity_chief_and_seal() -> None:
    case = replace(LATER["approved"], item_basis="《中华人民共和国食品安全法》第三十五条")
    text = text_of(DocumentKind.APPROVAL_DECISION, case)
    assert "准予行政许可决定书" in text
    assert "根据《中华人民共和国行政许可法》第三十四条、第三十八条第一款及《中华人民共和国食品安全法》第三十五条的规定" in text
    assert "准予行政许可。" in text
    assert "行政许可有效期：5年" in text and "第五十条" in text and "第四十四条" in text
    assert f"首席代表：{CHIEF}" in text and "决定日期：2026年9月29日" in text
    assert SEAL in text and SETTINGS.authority in text
    assert f"文号：{case.case_number}-准" in text
    assert f"受理编号：{case.case_number}" in text
    assert case.applicant.id_number not in text and mask_id_number(case.applicant.id_number) in text
    no_validity = text_of(DocumentKind.APPROVAL_DECISION, replace(case, approval=replace(case.approval, validity="")))
    assert "有效期" not in no_validity


def test_decision_number_from_the_event_or_the_halls_pattern() -> None:
    case = LATER["approved"]
    recorded = replace(case, approval=replace(case.approval, number="信高新许〔2026〕17号"))
    assert "文号：信高新许〔2026〕17号" in text_of(DocumentKind.APPROVAL_DECISION, recorded)
    pattern = replace(SETTINGS, decision_number_pattern="信高新{kind}〔{year}〕{case_number}")
    assert f"文号：信高新准〔2026〕{case.case_number}" in text_of(DocumentKind.APPROVAL_DECISION, case, pattern)
    broken = replace(SETTINGS, decision_number_pattern="{nope}")
    assert f"文号：{case.case_number}-准" in text_of(DocumentKind.APPROVAL_DECISION, case, broken)


def test_completion_notice_for_an_item_that_is_not_a_licence() -> None:
    case = LATER["completed"]
    text = text_of(DocumentKind.COMPLETION_NOTICE, case)
    assert "办结通知书" in text and "行政许可法" not in text
    assert "根据政务服务事项实施清单及有关规定" in text and "现予办结" in text
    assert f"首席代表：{CHIEF}" in text and SEAL in text and "请凭本通知书" in text
    assert f"文号：{case.case_number}-结" in text


def test_collection_by_post() -> None:
    case = replace(LATER["approved"], delivery="邮寄", delivery_address="信阳市高新区某路1号")
    text = text_of(DocumentKind.APPROVAL_DECISION, case)
    assert "行政许可证件将邮寄至信阳市高新区某路1号" in text


def test_denial_gives_reasons_art_38_2_and_the_rights_to_reconsideration_and_suit() -> None:
    case = LATER["denied"]
    text = text_of(DocumentKind.DENIAL_DECISION, case)
    assert "不予行政许可决定书" in text
    for i, reason in enumerate(case.approval.reasons, start=1):
        assert f"{i}.{flat(reason)}" in text
    assert "根据《中华人民共和国行政许可法》第三十八条第二款的规定，本机关决定不予行政许可" in text
    assert "行政复议法》第二十条" in text and "六十日内" in text and SETTINGS.reconsideration_body in text
    assert "行政诉讼法》第四十六条" in text and "六个月内" in text and SETTINGS.court in text
    assert f"首席代表：{CHIEF}" in text and SEAL in text and f"文号：{case.case_number}-不" in text
    bare = text_of(DocumentKind.DENIAL_DECISION, case, replace(SETTINGS, reconsideration_body="", court=""))
    assert "（行政复议机关待设置）" in bare and "（管辖法院待设置）" in bare
    other = text_of(DocumentKind.DENIAL_DECISION, replace(case, licensing=False))
    assert "不予办理决定书" in other and "行政许可法" not in other and "行政复议" in other


def test_extension_notice_cites_art_42_with_reason_and_dates() -> None:
    case = LATER["extended"]
    text = text_of(DocumentKind.EXTENSION_NOTICE, case)
    assert "延长期限告知书" in text
    assert "根据《中华人民共和国行政许可法》第四十二条第一款的规定" in text
    assert "需要补充核查经营场所" in text and "10个工作日" in text
    assert "原定于2026年10月12日前办结" in text and "延长后的办结期限为2026年10月26日" in text
    assert f"首席代表：{CHIEF}" in text and SEAL in text and f"文号：{case.case_number}-延" in text


def test_receipt_says_what_was_received_when_by_whom_and_that_acceptance_follows() -> None:
    case = replace(LATER["received"], received_at=datetime(2026, 9, 28, 9, 42))
    text = text_of(DocumentKind.RECEIPT, case)
    assert "收件回执" in text and "2026年9月28日09:42" in text and "3号窗口" in text
    assert "收件人：王芳" in text and "收件窗口/人员" in text
    for line in case.materials:
        assert flat(line.name) in text
    assert "不表示申请已被受理" in text and "第三十二条" in text and "五日内" in text
    assert "申请人（签收）" in text and SEAL in text
    assert "行政许可法" not in text_of(DocumentKind.RECEIPT, replace(case, licensing=False))


@pytest.mark.parametrize("n", (1, 9, 17, 25, 30))
def test_no_page_of_a_receipt_holds_only_the_signature_block(n: int) -> None:
    case = replace(LATER["received"], materials=LONG[:n])
    pages = [flat(p) for p in pdf_pages(build_document(DocumentKind.RECEIPT, case, SETTINGS))]
    for page in pages:
        if SEAL in page:
            assert any(flat(m.name) in page for m in case.materials), page[:200]
    if len(pages) > 1:
        assert all(f"第{i}页共{len(pages)}页" in p for i, p in enumerate(pages, start=1))


def test_every_new_kind_stays_on_one_page_with_its_seal_for_the_common_case() -> None:
    for name, kind in (("approved", DocumentKind.APPROVAL_DECISION), ("completed", DocumentKind.COMPLETION_NOTICE),
                       ("denied", DocumentKind.DENIAL_DECISION), ("extended", DocumentKind.EXTENSION_NOTICE),
                       ("received", DocumentKind.RECEIPT)):
        pages = pdf_pages(build_document(kind, LATER[name], RATING))
        assert len(pages) == 1, (kind, len(pages))


# --- the 预审意见单 -------------------------------------------------------------------------------


def test_prereview_sheet_carries_what_issue_11_lists() -> None:
    sheet = SAMPLE_PREREVIEW
    text = flat("".join(pdf_pages(build_prereview_sheet(sheet, SETTINGS))))
    assert "预审意见单" in text and f"预审编号：{sheet.number}" in text
    assert sheet.applicant.id_number not in text and mask_id_number(sheet.applicant.id_number) in text
    assert "138****5678" in text and sheet.applicant.organisation in text
    assert flat(sheet.item_names[0]) in text
    for m in sheet.materials:
        assert flat(m.name) in text and flat(m.state) in text and flat(m.remark) in text
    for name in sheet.missing:
        assert flat(name) in text
    assert "预审结论：需补齐以下材料" in text
    assert "有效期至2026年10月5日" in text and "仅限上列事项使用一次" in text
    assert "帮办代办人员：陈静" in text and "代办不包办" in text


def test_prereview_outcomes_use_their_wording() -> None:
    complete = replace(SAMPLE_PREREVIEW, outcome="complete", outcome_label="材料齐全，可到窗口受理", missing=(),
                       materials=(PrereviewMaterial("食品经营许可申请书", "已备齐"),))
    text = flat("".join(pdf_pages(build_prereview_sheet(complete, SETTINGS))))
    assert "预审结论：材料齐全，可到窗口受理" in text and "需补齐" not in text
    not_hall = replace(complete, outcome="not_hall", outcome_label="不属于本大厅事项")
    assert "预审结论：不属于本大厅事项" in flat("".join(pdf_pages(build_prereview_sheet(not_hall, SETTINGS))))


@needs_zbar
def test_prereview_qr_holds_the_number_only(tmp_path: Path) -> None:
    data = build_prereview_sheet(SAMPLE_PREREVIEW, SETTINGS)
    assert qr_codes(data, tmp_path) == [SAMPLE_PREREVIEW.number]


# --- the rating QR (issue 12) -------------------------------------------------------------------


def test_rating_url_needs_a_token_and_an_address() -> None:
    assert rating_url(RATING, TOKEN) == f"https://hall.example/rate/{TOKEN}"
    assert rating_url(RATING, "") == ""
    assert rating_url(SETTINGS, TOKEN) == ""  # no central / public address
    assert rating_url(replace(SETTINGS, rating_url_pattern="https://pj.example/r?t={token}"), TOKEN) == \
        f"https://pj.example/r?t={TOKEN}"
    assert rating_url(replace(RATING, rating_url_pattern="{central}/rate/{nope}"), TOKEN) == ""
    assert rating_url(RATING, "a/b c") == "https://hall.example/rate/a%2Fb%20c"


@needs_zbar
@pytest.mark.parametrize("kind", [DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.APPROVAL_DECISION,
                                  DocumentKind.DENIAL_DECISION, DocumentKind.EXTENSION_NOTICE,
                                  DocumentKind.RECEIPT, DocumentKind.REFUSAL_DECISION])
def test_the_qr_leads_to_the_rating_page(tmp_path: Path, kind: DocumentKind) -> None:
    base = {DocumentKind.ACCEPTANCE_NOTICE: BASE, DocumentKind.APPROVAL_DECISION: LATER["approved"],
            DocumentKind.DENIAL_DECISION: LATER["denied"], DocumentKind.EXTENSION_NOTICE: LATER["extended"],
            DocumentKind.RECEIPT: LATER["received"], DocumentKind.REFUSAL_DECISION: CASES["refuse"]}[kind]
    case = replace(base, rate_token=TOKEN)
    data = build_document(kind, case, RATING)
    assert qr_codes(data, tmp_path) == [f"https://hall.example/rate/{TOKEN}"]
    text = flat("".join(pdf_pages(data)))
    assert "扫码评价" in text and "服务评价（好差评）" in text
    assert "办理进度查询：" in text or "办件查询：" in text  # the progress address is still printed


@needs_zbar
def test_without_a_rating_url_the_progress_qr_stays(tmp_path: Path) -> None:
    for n, (case, settings) in enumerate(((replace(BASE, rate_token=TOKEN), SETTINGS),
                                          (replace(BASE, rate_token=""), RATING))):
        data = build_document(DocumentKind.ACCEPTANCE_NOTICE, case, settings)
        (tmp_path / str(n)).mkdir()
        assert qr_codes(data, tmp_path / str(n)) == [progress_url(settings, case.case_number)]
        assert "扫码评价" not in flat("".join(pdf_pages(data)))


def test_the_tolerance_notice_has_the_rating_qr_on_both_copies() -> None:
    case = replace(CASES["accept_with_tolerance"], rate_token=TOKEN)
    pages = [flat(p) for p in pdf_pages(build_document(DocumentKind.TOLERANCE_NOTICE, case, RATING))]
    assert sum(p.count("扫码评价") for p in pages) == 2


def test_decided_on_dates_print_on_the_seal() -> None:
    case = replace(LATER["extended"], accepted_on=date(2026, 9, 28))
    text = text_of(DocumentKind.EXTENSION_NOTICE, case)
    assert "2026年10月9日" in text  # the extension's own date, beside the seal
