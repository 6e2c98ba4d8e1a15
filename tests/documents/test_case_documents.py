"""A stored case prints its documents: the mapping from case to paper, end to end."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from hallclient.case_documents import document_case, document_settings
from hallclient.cli import main
from hallclient.core.checklist import MaterialMark, MaterialStatus
from hallclient.documents import DocumentKind, build_document, documents_for
from hallclient.settings import Settings
from hallclient.store import cases_repo
from hallclient.store.database import Store
from tests.store.test_cases_repo import ALL, FOOD, PATTERN, TOLERATED, draft


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = Store.open_file(tmp_path / "hallclient.db")
    yield s
    s.close()


def test_tolerance_case_prints_notice_and_commitment(store: Store) -> None:
    with store.session() as session, session.begin():
        case = cases_repo.create_case(session, draft(TOLERATED), PATTERN)
    doc = document_case(case, [FOOD])
    assert documents_for(doc) == [DocumentKind.TOLERANCE_NOTICE, DocumentKind.TOLERANCE_COMMITMENT]
    assert [line.name for line in doc.tolerated] == ["经营场所平面布局图"]
    text = text_of(build_document(DocumentKind.TOLERANCE_NOTICE, doc, document_settings(Settings())))
    assert case.case_number in text.replace("\n", "")
    assert "1101**********002X" in text and "138****5678" in text
    assert "经营场所平面布局图" in text and "2026" in text
    assert "11010519491231002X" not in text


def test_one_time_notice_lists_every_outstanding_material(store: Store) -> None:
    marks = dict(ALL, food_safety_rules=MaterialMark(MaterialStatus.DEFECTIVE, reason="未盖公章"))
    del marks["application_form"]
    with store.session() as session, session.begin():
        case = cases_repo.create_case(session, draft(marks), PATTERN)
    doc = document_case(case, [FOOD])
    assert [(line.name, line.reason) for line in doc.outstanding] == [
        ("食品经营许可申请书", "未提交"), ("食品安全管理制度", "未盖公章")]
    text = text_of(build_document(DocumentKind.ONE_TIME_NOTICE, doc, document_settings(Settings())))
    assert "食品经营许可申请书" in text and "未盖公章" in text


def test_cli_writes_a_cases_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from hallclient.services import accounts
    from hallclient.workspace import Workspace

    data = tmp_path / "data"
    main(["catalog", "search", "x", "--data-dir", str(data)])  # creates and seeds the workspace
    ws = Workspace(data)  # a clerk of window 3, the window of draft()'s case
    accounts.add_user(ws.services, None, "admin", name="管理员", roles=["admin"], departments=[], password="Passw0rd-1")
    admin = accounts.sign_in(ws.services, "admin", "Passw0rd-1").actor
    accounts.add_user(ws.services, admin, "li", name="李四", roles=["clerk"], departments=[], password="Passw0rd-1")
    ws.settings.window_number = "3"
    ws.save_settings()
    ws.close()
    monkeypatch.setenv("HALLCLIENT_USER", "li")
    monkeypatch.setenv("HALLCLIENT_PASSWORD", "Passw0rd-1")
    store = Store.open_file(data / "hallclient.db")
    with store.session() as session, session.begin():
        case = cases_repo.create_case(session, draft(ALL), PATTERN)
    store.close()
    capsys.readouterr()
    assert main(["documents", "case", case.case_number, str(tmp_path / "out"), "--data-dir", str(data)]) == 0
    written = [Path(p) for p in capsys.readouterr().out.split()]
    assert len(written) == 1 and written[0].name.endswith("受理通知书.pdf")
    assert "受理通知书" in text_of(written[0].read_bytes())
    assert main(["documents", "case", "NOPE", str(tmp_path / "out"), "--data-dir", str(data)]) == 2
