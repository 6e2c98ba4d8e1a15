"""The central's front door: bodies limited before they are read (413 in Chinese), a deadline for
request headers, API docs only when allowed, and the window's text rule refused here too."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import uvicorn

from hallclient.central.accounts import create_account
from hallclient.central.app import create_app
from hallclient.central.database import open_central
from hallclient.central.http_limits import MB, HeaderTimeoutH11Protocol, HttpLimits, serve_config
from hallclient.core.text_rules import line_problem, text_problem
from hallclient.core.validators import check_name
from tests.central.support import Central, ServerThread, free_port
from tests.central.test_intake_api import case_row, put

RTL = "\u202e"


@pytest.fixture(params=["httptools", "h11"])
def strict(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Central]:
    """A central with small limits, served with the header deadline, docs off (the default)."""
    store = open_central(f"sqlite:///{tmp_path / 'strict-central.db'}")
    with store.session() as session, session.begin():
        admin = create_account(session, "admin", "管理员", "admin")
        window = create_account(session, "3", "综合窗口3")
    limits = HttpLimits(max_body_bytes=64 * 1024, max_publish_bytes=1 * MB, header_timeout=0.5)
    central = Central(store=store, port=free_port(), admin_token=admin, window_token=window,
                      app=create_app(store, http=limits))
    server = ServerThread(central.app, central.port)
    config = serve_config(limits)
    if request.param == "h11":  # the fallback when httptools is not installed
        config["http"] = type("StrictH11", (HeaderTimeoutH11Protocol,), {"header_timeout": limits.header_timeout})
    central.extra["protocol"] = request.param
    server.server = uvicorn.Server(uvicorn.Config(central.app, host="127.0.0.1", port=central.port,
                                                  log_level="warning", lifespan="off", **config))
    server.thread = threading.Thread(target=server.server.run, daemon=True)
    central.server = server.start()
    try:
        yield central
    finally:
        central.stop()
        store.close()


def test_a_body_over_the_limit_is_refused_before_it_is_read(strict: Central) -> None:
    big = {"uuid": "x" * (70 * 1024)}
    answer = strict.window("PUT", "/cases/5d0c3a52-8a0e-4a36-9a49-0b7c1f3b2a11", json=big)
    assert answer.status_code == 413 and "上限" in answer.json()["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(100):
            yield b" " * 1024

    streamed = strict.window("PUT", "/cases/5d0c3a52-8a0e-4a36-9a49-0b7c1f3b2a11", data=chunks(),
                             headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413 and "请求内容过大" in streamed.json()["message"]
    # the kiosk (open) is limited the same way
    kiosk = requests.post(f"{strict.api}/queue/kiosk/tickets", data=b"{" + b" " * (65 * 1024) + b"}",
                          headers={"Content-Type": "application/json"}, timeout=10)
    assert kiosk.status_code == 413


def test_a_publish_may_be_larger_but_only_for_an_administrator(strict: Central) -> None:
    body = {"format": "hallclient-catalog", "format_version": 1, "authority": "x" * (200 * 1024),
            "catalog_version": 1, "generated_at": "2026-11-20", "items": [], "bundles": [], "deleted": []}
    raw = json.dumps(body).encode()
    assert 64 * 1024 < len(raw) < MB
    refused = strict.window("PUT", "/catalog", data=raw, headers={"Content-Type": "application/json"})
    assert refused.status_code == 403  # a window's token: refused before the body is read
    answer = strict.admin("PUT", "/catalog", data=raw, headers={"Content-Type": "application/json"})
    assert answer.status_code in (200, 422), answer.text  # read and parsed, whatever it says of the catalog
    too_big = strict.admin("PUT", "/catalog", data=b" " * (MB + 10), headers={"Content-Type": "application/json"})
    assert too_big.status_code == 413


def test_slow_headers_are_cut_off(strict: Central) -> None:
    with socket.create_connection(("127.0.0.1", strict.port), timeout=5) as slow:
        slow.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        slow.settimeout(5)
        try:
            while time.monotonic() - started < 4:
                slow.sendall(b"X-Slow: 1\r\n")  # a header line now and then, never the end
                time.sleep(0.1)
            closed = False
        except OSError:
            closed = True
        else:
            closed = slow.recv(1) == b""
    assert closed and time.monotonic() - started < 3
    assert requests.get(f"{strict.api}/health", timeout=5).status_code == 200  # others are served


def test_oversized_headers_are_refused_and_normal_ones_pass(strict: Central) -> None:
    huge = {"X-Padding": "x" * (20 * 1024)}
    if strict.extra["protocol"] == "httptools":  # (h11 caps only headers still incomplete: see http_limits)
        try:
            answer = requests.get(f"{strict.api}/health", headers=huge, timeout=5)
            refused = answer.status_code == 431 and "请求头过大" in answer.json()["message"]
        except requests.ConnectionError:  # closed before the answer was read
            refused = True
        assert refused
    # headers up to the cap, and a body much larger than the cap in the same packets, are fine
    assert requests.get(f"{strict.api}/health", headers={"X-Padding": "x" * (12 * 1024)}, timeout=5).status_code == 200
    body = b'{"categories": ["' + b"a" * (40 * 1024) + b'"]}'
    answer = strict.window("POST", "/queue/call-next", data=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422  # the body reached the application (a category that long is invalid)


def test_api_docs_only_when_allowed(strict: Central, central: Central) -> None:
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert requests.get(strict.url + path, timeout=5).status_code == 404
    assert requests.get(central.url + "/openapi.json", timeout=5).status_code == 200  # the tests' central


def test_the_window_text_rule_is_the_central_rule(central: Central) -> None:
    assert not check_name(f"张{RTL}三").ok and line_problem(f"张{RTL}三")
    assert text_problem("第一行\n第二行") is None and text_problem(f"a{RTL}b") and text_problem("a\x00b")
    for bad in (dict(applicant_name=f"张{RTL}三"), dict(applicant_name="张\u200b三"),
                dict(clerk_name=f"李{RTL}四"), dict(return_reason=f"材料{RTL}不全"),
                dict(checklist=[{"key": "id", "name": f"身份证{RTL}"}])):
        body = case_row(**bad)
        answer = put(central, f"/cases/{body['uuid']}", body)
        assert answer.status_code == 422, (bad, answer.text)
    ok = case_row(return_reason="材料不全\n请补正")
    assert put(central, f"/cases/{ok['uuid']}", ok).status_code == 200
    clerk = central.window("POST", "/queue/call-next", json={"clerk": f"李{RTL}四"})
    assert clerk.status_code == 422
