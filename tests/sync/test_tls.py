"""The window reaches the central over TLS, verifying it against the hall's own CA (generated
here with `hallclient central make-cert`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import uvicorn

from hallclient.cli import main as cli_main
from hallclient.sync.client import CentralClient, CentralError, CentralUnreachable
from hallclient.sync.round import is_insecure, run_sync_round
from tests.central.support import Central, ServerThread, free_port, make_case
from tests.sync.test_central_restore import FOOD


@pytest.fixture
def tls_central(central: Central, tmp_path: Path) -> Iterator[tuple[Central, str, Path]]:
    """The test central also served over HTTPS on another port, with a certificate of a new hall CA."""
    certs = tmp_path / "tls"
    assert cli_main(["central", "make-cert", "ca", "--out", str(certs), "--hall", "测试大厅"]) == 0
    assert cli_main(["central", "make-cert", "server", "--ca", str(certs), "--host", "127.0.0.1",
                     "--host", "localhost"]) == 0
    assert (certs / "hall-ca.key").stat().st_mode & 0o077 == 0
    port = free_port()
    server = ServerThread(central.app, port)
    server.server = uvicorn.Server(uvicorn.Config(
        central.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off",
        ssl_certfile=str(certs / "central.pem"), ssl_keyfile=str(certs / "central.key")))
    server.thread = threading.Thread(target=server.server.run, daemon=True)
    server.start()
    try:
        yield central, f"https://127.0.0.1:{port}", certs / "hall-ca.pem"
    finally:
        server.stop()


def test_a_round_trip_over_tls_with_the_hall_ca(tls_central: tuple[Central, str, Path], window_store) -> None:  # type: ignore[no-untyped-def]
    central, url, ca = tls_central
    with CentralClient(url, central.window_token, ca_file=str(ca)) as client:
        assert client.health()["status"] == "ok"
    with CentralClient(url, central.window_token) as unverified, pytest.raises(CentralUnreachable) as refused:
        unverified.health()  # the system's CAs do not know the hall's
    assert "证书验证失败" in str(refused.value)
    with pytest.raises(CentralError, match="CA 证书文件"):
        CentralClient(url, central.window_token, ca_file=str(ca.parent / "missing.pem"))

    make_case(window_store, FOOD)
    settings = replace(central.settings(central_ca_file=str(ca)), central_url=url)
    report = run_sync_round(window_store, settings)
    assert report.ok and report.pushed == 1 and not report.insecure


def test_plain_http_is_flagged_unless_on_this_machine() -> None:
    assert not is_insecure("http://127.0.0.1:8765") and not is_insecure("http://localhost:8765/")
    assert not is_insecure("https://10.0.0.5:8765") and not is_insecure("")
    assert is_insecure("http://10.0.0.5:8765") and is_insecure("10.0.0.5:8765") and is_insecure("http://central.lan")


def test_a_person_signs_in_over_tls_with_the_hall_ca(tls_central: tuple[Central, str, Path], tmp_path: Path) -> None:
    from hallclient.services import accounts
    from hallclient.workspace import Workspace
    from tests.central.people_support import PASSWORD, add_person

    central, url, ca = tls_central
    add_person(central, "li", ["clerk"], name="李四")
    ws = Workspace(tmp_path / "w")
    try:
        ws.settings.central_url, ws.settings.central_token = url, central.window_token
        ws.settings.central_ca_file = str(ca)
        signed = accounts.sign_in(ws.services, "li", PASSWORD)
        assert not signed.offline and signed.session_token and signed.actor.name == "李四"
        ws.settings.central_ca_file = ""  # without the hall's CA the central is not trusted: no online sign-in
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(ws.services, "li", "wrong-password-1")
    finally:
        ws.close()
