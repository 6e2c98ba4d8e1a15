"""From the service layer to paper: a chief representative's decisions, the stored delivery,
refusal ground and bundle due dates, and a pre-review's sheet; the CLI writes them."""

from __future__ import annotations

import io
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from hallclient.case_documents import document_case, document_settings, prereview_document
from hallclient.core.approval import ApprovalOutcome, Authorisation
from hallclient.core.cases import Applicant
from hallclient.core.checklist import (
    ItemDeadline,
    MaterialMark,
    MaterialStatus,
    RefusalGround,
    refusal,
)
from hallclient.documents import DocumentKind, build_document, build_prereview_sheet, documents_for
from hallclient.services import approval, catalog, prereview
from hallclient.services import cases as case_service
from hallclient.settings import Settings
from hallclient.store import cases_repo
from tests.services.conftest import CLINIC, FOOD, HEALTH, ID_NUMBER, PHONE, Hall, accept
from tests.services.conftest import hall as hall  # noqa: F401,PLC0414  (the fixture)
from tests.store.test_cases_repo import ALL, PATTERN, draft

TODAY = date(2026, 9, 28)


def text_of(pdf: bytes) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def docs_of(hall: Hall, uuid: str):  # type: ignore[no-untyped-def]
    case, items = case_service.case_with_items(hall.ctx, hall.clerk3, uuid)
    return document_case(case, items)


def test_approval_prints_the_decision_with_the_chiefs_name(hall: Hall) -> None:
    approval.set_authorisation(hall.ctx, hall.admin, Authorisation("chief_health", 0, (HEALTH,)))
    case = accept(hall, hall.clerk3, CLINIC)
    approval.decide(hall.ctx, hall.chief_health, case.uuid, ApprovalOutcome.APPROVED, today=TODAY)
    doc = docs_of(hall, case.uuid)
    assert doc.approval is not None and doc.approval.chief_name == "钱卫健"
    kind = documents_for(doc)[-1]
    assert kind in (DocumentKind.APPROVAL_DECISION, DocumentKind.COMPLETION_NOTICE)
    text = text_of(build_document(kind, doc, document_settings(hall.workspace.settings)))
    assert "首席代表：钱卫健" in text and case.case_number in text


def test_denial_and_extension_print_from_their_events(hall: Hall) -> None:
    approval.set_authorisation(hall.ctx, hall.admin, Authorisation("chief_health", 0, (HEALTH,)))
    first = accept(hall, hall.clerk3, CLINIC)
    approval.decide(hall.ctx, hall.chief_health, first.uuid, ApprovalOutcome.DENIED,
                    reasons=["诊所选址不符合规划"], today=TODAY)
    doc = docs_of(hall, first.uuid)
    assert documents_for(doc)[-1] is DocumentKind.DENIAL_DECISION
    text = text_of(build_document(DocumentKind.DENIAL_DECISION, doc, document_settings(hall.workspace.settings)))
    assert "诊所选址不符合规划" in text and "行政复议" in text and "首席代表：钱卫健" in text

    second = accept(hall, hall.clerk3, CLINIC)
    extended = approval.decide(hall.ctx, hall.chief_health, second.uuid, ApprovalOutcome.EXTENDED, days=5,
                               reason="需要补充核查", today=TODAY).value
    doc = docs_of(hall, second.uuid)
    assert doc.extension is not None and doc.extension.days == 5
    assert doc.extension.new_due == extended.due_date and doc.due_date == extended.due_date
    assert DocumentKind.EXTENSION_NOTICE in documents_for(doc)
    text = text_of(build_document(DocumentKind.EXTENSION_NOTICE, doc, document_settings(hall.workspace.settings)))
    assert "需要补充核查" in text and "5个工作日" in text and "第四十二条" in text


def test_delivery_refusal_ground_and_item_due_dates_are_stored_and_printed(hall: Hall) -> None:
    store = hall.workspace.store
    posted = replace(draft(ALL), delivery="邮寄", delivery_address="信阳市高新区长安路88号")
    refused = replace(draft(ALL), result=refusal("该事项由市城市管理局实施", RefusalGround.NOT_COMPETENT,
                                                 "信阳市城市管理局"))
    result = replace(posted.result, item_deadlines=(
        ItemDeadline(FOOD, "食品经营许可", 5, date(2026, 10, 12)), ItemDeadline("X-2", "其他事项", 0, TODAY)))
    bundled = replace(posted, result=result)
    with store.session() as session, session.begin():
        by_post = cases_repo.create_case(session, posted, PATTERN)
        refusal_case = cases_repo.create_case(session, refused, PATTERN)
        bundle_case = cases_repo.create_case(session, bundled, PATTERN)
    with store.session() as session:
        again = cases_repo.load_case(session, by_post.uuid)
        ref = cases_repo.load_case(session, refusal_case.uuid)
        bun = cases_repo.load_case(session, bundle_case.uuid)
    assert (again.delivery, again.delivery_address) == ("邮寄", "信阳市高新区长安路88号")
    assert (ref.refusal_ground, ref.competent_body) == ("not_competent", "信阳市城市管理局")
    assert [d["due_date"] for d in bun.item_deadlines] == ["2026-10-12", "2026-09-28"]
    db = hall.workspace.data_dir / "hallclient.db"
    with sqlite3.connect(db) as conn:  # the address is personal data: never plain in the file
        assert conn.execute("SELECT count(*) FROM cases WHERE delivery_address LIKE '%长安路%'").fetchone() == (0,)

    items = catalog.load_items(hall.ctx, [FOOD])
    settings = document_settings(Settings())
    text = text_of(build_document(DocumentKind.ACCEPTANCE_NOTICE, document_case(again, items), settings))
    assert "邮寄（寄至：信阳市高新区长安路88号）" in text
    text = text_of(build_document(DocumentKind.REFUSAL_DECISION, document_case(ref, items), settings))
    assert "第三十二条第一款第（二）项" in text and "信阳市城市管理局" in text
    two = [items[0], replace(items[0], code="X-2", name="其他事项", promised_limit_days=0)]
    limits = document_case(bun, two).item_limits
    assert [(x.name, x.due_date) for x in limits] == [("食品经营许可（新办）", date(2026, 10, 12)), ("其他事项", TODAY)]


def test_rating_url_comes_from_the_settings_and_the_cases_token(hall: Hall) -> None:
    case = accept(hall, hall.clerk3)
    assert case.rate_token and case.case_number not in case.rate_token
    settings = Settings(central_url="https://10.0.0.5:8443")
    doc_settings = document_settings(settings)
    assert doc_settings.rating_base_url == "https://10.0.0.5:8443"
    public = document_settings(replace(settings, rating_public_url="https://pj.xyhtz.gov.cn"))
    assert public.rating_base_url == "https://pj.xyhtz.gov.cn"
    doc = docs_of(hall, case.uuid)
    assert doc.rate_token == case.rate_token
    text = text_of(build_document(DocumentKind.ACCEPTANCE_NOTICE, doc, public))
    assert "扫码评价" in text
    assert "扫码评价" not in text_of(build_document(DocumentKind.ACCEPTANCE_NOTICE, doc, document_settings(Settings())))


def _prereview(hall: Hall):  # type: ignore[no-untyped-def]
    items = catalog.load_items(hall.ctx, [FOOD])
    marks = {"application_form": MaterialMark(MaterialStatus.RECEIVED, original=True),
             "floor_plan": MaterialMark(MaterialStatus.DEFECTIVE, reason="未标注面积")}
    made = prereview.create(hall.ctx, hall.proxy, items=items, bundle=None,
                            applicant=Applicant(name="张三", id_number=ID_NUMBER, phone=PHONE), marks=marks,
                            remarks={"floor_plan": "需标注面积"}, remark="材料基本齐全").value
    return made, items


def test_prereview_sheet_from_a_prereview(hall: Hall) -> None:
    made, items = _prereview(hall)
    sheet = prereview_document(made, items)
    assert sheet.number == made.number and sheet.proxy_name == "周帮办"
    assert sheet.outcome == "missing" and sheet.missing == made.missing
    states = {m.name: (m.state, m.remark) for m in sheet.materials}
    plan = next(name for name in states if "平面" in name)
    assert states[plan] == ("不符合要求", "需标注面积；未标注面积")
    text = text_of(build_prereview_sheet(sheet, document_settings(Settings())))
    assert made.number in text and "1101**********002X" in text and ID_NUMBER not in text
    assert "周帮办" in text and "需补齐以下材料" in text


def _sign_in_env(monkeypatch: pytest.MonkeyPatch, login: str) -> None:
    monkeypatch.setenv("HALLCLIENT_USER", login)
    monkeypatch.setenv("HALLCLIENT_PASSWORD", "Passw0rd-1")


def test_cli_writes_the_decision_and_the_prereview_sheet(hall: Hall, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from hallclient.cli import main

    approval.set_authorisation(hall.ctx, hall.admin, Authorisation("chief_health", 0, (HEALTH,)))
    case = accept(hall, hall.clerk3, CLINIC)
    approval.decide(hall.ctx, hall.chief_health, case.uuid, ApprovalOutcome.APPROVED, today=TODAY)
    made, _ = _prereview(hall)
    data = hall.workspace.data_dir
    hall.workspace.save_settings()
    hall.workspace.close()
    _sign_in_env(monkeypatch, "clerk3")
    capsys.readouterr()
    assert main(["documents", "case", case.case_number, str(tmp_path / "out"), "--data-dir", str(data)]) == 0
    written = [Path(p) for p in capsys.readouterr().out.split()]
    assert [p.name.rsplit("-", 1)[-1] for p in written] == ["受理通知书.pdf", "办结通知书.pdf"] or \
        [p.name.rsplit("-", 1)[-1] for p in written] == ["受理通知书.pdf", "准予行政许可决定书.pdf"]
    assert "首席代表：钱卫健" in text_of(written[-1].read_bytes())
    assert main(["documents", "prereview", made.number, str(tmp_path / "out"), "--data-dir", str(data)]) == 0
    sheet = Path(capsys.readouterr().out.strip())
    assert sheet.name.endswith("预审意见单.pdf") and made.number in text_of(sheet.read_bytes())
    assert main(["documents", "prereview", "YS0000", str(tmp_path / "out"), "--data-dir", str(data)]) == 2
