"""好差评 through the central: a window's ratings pushed by its outbox, one rating per case across
the window and the QR page, the QR page in a real browser, and forwarding to the province
through the file adapter and an HTTP stand-in on loopback (retries, a refusal, nothing lost)."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import requests

from hallclient.central.crypto import CaseCipher
from hallclient.central.provincial import FileAdapter, HallIdentity, HttpAdapter, forward_pending
from hallclient.central.records_store import forward_states
from hallclient.core.evaluation import Level
from hallclient.services import accounts, evaluation
from hallclient.sync.round import run_sync_round
from hallclient.workspace import Workspace
from tests.central.people_support import PASSWORD, add_person
from tests.central.support import Central, running_central
from tests.services.conftest import accept


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    with running_central(f"sqlite:///{tmp_path / 'central.db'}") as running:
        add_person(running, "li", ["clerk"], name="李四")
        yield running


@pytest.fixture
def window(tmp_path: Path, central: Central) -> Iterator[Workspace]:
    ws = Workspace(tmp_path / "window")
    ws.settings.central_url, ws.settings.central_token = central.url, central.window_token
    ws.seed_if_empty()
    yield ws
    ws.close()


def a_case(window: Workspace, name: str = "张三"):  # type: ignore[no-untyped-def]
    """The clerk li signs in at the window (online) and accepts a case of the sample catalog."""
    clerk = accounts.sign_in(window.services, "li", PASSWORD).actor
    return clerk, accept(SimpleNamespace(ctx=window.services), clerk, code="4115000100017-001", name=name)


def test_a_window_rating_reaches_the_central_and_the_qr_page_refuses_a_second(
        window: Workspace, central: Central) -> None:
    clerk, case = a_case(window)
    evaluation.rate(window.services, clerk, case_number=case.case_number, level=Level.SATISFIED)
    report = run_sync_round(window.store, window.settings)
    assert report.ok, report.errors
    with central.store.session() as session:
        assert forward_states(session) == {"pending": 1}
    page = requests.get(f"{central.url}/rate/{case.rate_token}", timeout=30)
    assert page.status_code == 200 and "已有评价" in page.text  # rated at the window already
    posted = requests.post(f"{central.url}/rate/{case.rate_token}", data={"level": "very_satisfied"}, timeout=30)
    assert "每次服务只能评价一次" in posted.text


def test_the_qr_page_rates_once_and_knows_no_guessable_keys(window: Workspace, central: Central) -> None:
    _clerk, case = a_case(window)
    assert run_sync_round(window.store, window.settings).ok
    assert requests.get(f"{central.url}/rate/{'x' * 24}", timeout=30).status_code == 404
    page = requests.get(f"{central.url}/rate/{case.rate_token}", timeout=30)
    assert page.status_code == 200 and "总体评价" in page.text and case.case_number in page.text
    refused = requests.post(f"{central.url}/rate/{case.rate_token}", data={"level": "unsatisfied"}, timeout=30)
    assert refused.status_code == 422 and "原因" in refused.text  # a 差评 needs its reason
    done = requests.post(f"{central.url}/rate/{case.rate_token}",
                         data={"level": "unsatisfied", "reason": "等候时间长", "phone": "13912345678"}, timeout=30)
    assert done.status_code == 200 and "感谢" in done.text
    again = requests.post(f"{central.url}/rate/{case.rate_token}", data={"level": "satisfied"}, timeout=30)
    assert "只能评价一次" in again.text
    raw = b"".join(p.read_bytes() for p in Path(str(central.store.engine.url.database)).parent.glob("central.db*"))
    assert b"13912345678" not in raw  # the callback phone is sealed


class _Province(BaseHTTPRequestHandler):
    answers: list[tuple[int, dict[str, Any]]] = []
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status, answer = self.answers.pop(0) if self.answers else (200, {"code": "0", "receipt": "R"})
        if status == 200:
            self.received.append(body)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def province() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Province)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hcp/evaluation"
    finally:
        server.shutdown()


def _three_ratings(window: Workspace) -> None:
    for name in ("王五", "赵六"):
        clerk, case = a_case(window, name)
        evaluation.rate(window.services, clerk, case_number=case.case_number, level=Level.VERY_SATISFIED)
    evaluation.rate(window.services, clerk, ticket_number="A009", level=Level.BASIC)
    assert run_sync_round(window.store, window.settings).ok


def test_forwarding_retries_records_refusals_and_loses_nothing(window: Workspace, central: Central,
                                                               province: str) -> None:
    _three_ratings(window)
    cipher = CaseCipher(central.app.state.keys)
    _Province.received.clear()
    _Province.answers[:] = [(503, {"message": "busy"})]
    first = forward_pending(central.store.session, HttpAdapter(province), cipher, HallIdentity())
    assert (first.sent, first.retry_later) == (0, 1)  # the province is down: nothing is dropped
    with central.store.session() as session:
        assert forward_states(session) == {"pending": 3}
        session.execute(__import__("sqlalchemy").text("UPDATE rating_forwards SET next_attempt_at = NULL"))
        session.commit()
    _Province.answers[:] = [(200, {"code": "0", "receipt": "R1"}), (200, {"code": "E12", "message": "缺少事项编码"})]
    second = forward_pending(central.store.session, HttpAdapter(province), cipher, HallIdentity())
    assert (second.sent, second.refused) == (2, 1)
    with central.store.session() as session:
        assert forward_states(session) == {"sent": 2, "refused": 1}
    record = _Province.received[0]
    assert record["region_code"] == "411571000000" and record["channel"] == "PJQ"
    assert record["rating"] in ("非常满意", "基本满意") and "*" in record["applicant_id"]


def test_the_file_adapter_writes_what_would_be_sent(window: Workspace, central: Central, tmp_path: Path) -> None:
    _three_ratings(window)
    out = tmp_path / "province"
    result = forward_pending(central.store.session, FileAdapter(out), CaseCipher(central.app.state.keys),
                             HallIdentity())
    assert result.sent == 3
    files = sorted(out.glob("*.json"))
    assert len(files) == 3
    record = json.loads(files[0].read_text(encoding="utf-8"))
    assert {"case_number", "item_code", "department_code", "region_code", "rating", "channel", "rated_at"} <= set(record)
    assert "phone" not in record


BROWSERS = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM = next((path for name in BROWSERS if (path := shutil.which(name))), None)


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed: run `sh .ci/browser.sh`")
def test_the_qr_page_in_a_real_browser(window: Workspace, central: Central) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    _clerk, case = a_case(window)
    assert run_sync_round(window.store, window.settings).ok
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
            page.goto(f"{central.url}/rate/{case.rate_token}")
            page.get_by_label("满意", exact=True).first.check()
            page.get_by_role("button", name="提交评价").click()
            page.wait_for_selector("text=感谢您的评价", timeout=10000)
            page.goto(f"{central.url}/rate/{case.rate_token}")
            assert "每次服务只能评价一次" in page.content()
        finally:
            browser.close()
