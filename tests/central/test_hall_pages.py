"""/kiosk and /board in a real headless Chromium (the distribution's package, driven by
Playwright with the system browser): take a ticket on the kiosk, call it from a window, see it
on the board within a second, without reloading."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hallclient.sync.queue_client import QueueClient
from tests.central.queue_support import queue_client
from tests.central.support import Central, running_central

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM = next((path for name in BROWSERS if (path := shutil.which(name))), None)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e .[dev]")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed: run `sh .ci/browser.sh` (apt-get install chromium)")
SHOTS = os.environ.get("HALLCLIENT_SCREENSHOTS")  # a folder: keep the pages as PNG to look at


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[Central]:
    with running_central(f"sqlite:///{tmp_path / 'central.db'}") as running:
        yield running


@pytest.fixture
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield launched
        finally:
            launched.close()


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name))


def test_kiosk_ticket_called_from_a_window_shows_on_the_board(hall: Central, browser: Any) -> None:
    viewport = {"width": 1280, "height": 800}
    kiosk = browser.new_page(viewport=viewport)
    kiosk.goto(f"{hall.url}/kiosk")
    kiosk.locator('button.cat[data-category="市场准入"]').click()
    kiosk.wait_for_function("document.getElementById('ticket-number').textContent === 'B001'", timeout=10000)
    assert "前面无人等候" in kiosk.locator("#ticket-ahead").inner_text()
    _shot(kiosk, "kiosk-issued.png")
    kiosk.locator("#close").click()
    kiosk.locator("#green").click()
    kiosk.locator("#reason-elderly").click()
    kiosk.locator('button.cat[data-category="市场准入"]').click()
    kiosk.wait_for_function("document.getElementById('ticket-number').textContent === 'B002'", timeout=10000)
    assert "绿色通道" in kiosk.locator("#ticket-category").inner_text()
    assert "前面还有 1 人" in kiosk.locator("#ticket-ahead").inner_text()
    kiosk.locator("#close").click()
    kiosk.wait_for_function("!document.getElementById('result').classList.contains('shown')", timeout=10000)
    _shot(kiosk, "kiosk.png")

    board = browser.new_page(viewport={"width": 1600, "height": 900})
    board.goto(f"{hall.url}/board")
    board.wait_for_function("document.body.dataset.version !== '-1'", timeout=10000)
    assert board.locator('.count[data-category="市场准入"] .n').inner_text() == "2"

    with queue_client(hall, hall.window_token, ["市场准入"], priority_in_row=0) as window:
        ticket = _call(window)
    assert ticket.number == "B001"  # K = 0: the normal ticket, the green one stays waiting
    called_at = time.monotonic()
    board.wait_for_function("document.getElementById('latest-number').textContent === 'B001'", timeout=5000)
    elapsed = time.monotonic() - called_at
    assert elapsed <= 1.0, f"the board showed the call after {elapsed:.2f} s"
    assert board.locator("#latest-window").inner_text() == "3号窗口"
    assert board.locator("#latest-text").inner_text() == "请B001号到3号窗口办理"
    board.wait_for_function(
        "document.querySelector('.count[data-category=\"市场准入\"] .n').textContent === '1'", timeout=5000)
    _shot(board, "board.png")

    slip = kiosk.request.get(f"{hall.api}/queue/kiosk/tickets/{ticket.id}/slip.pdf")
    assert slip.ok and slip.headers["content-type"] == "application/pdf" and slip.body().startswith(b"%PDF")


def _call(window: QueueClient) -> Any:
    ticket = window.call_next()
    assert ticket is not None
    return ticket
