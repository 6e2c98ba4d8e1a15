"""A large catalog publish never stops the hall: kiosk tickets and case pushes made while it runs
all succeed; the feed's write is one short transaction (bench/bench_publish_during_hall.py
measures the 20,000-item case)."""

from __future__ import annotations

import json
import threading

import requests

from bench.synthetic_catalog import synthetic_catalog
from tests.central.queue_support import unlimited_kiosk
from tests.central.support import Central
from tests.central.test_intake_api import case_row


def test_tickets_and_case_pushes_succeed_during_a_publish(central: Central) -> None:
    unlimited_kiosk(central)
    raw = json.dumps(synthetic_catalog(items=3000), ensure_ascii=False).encode("utf-8")
    answers: list[int] = []
    published: dict[str, object] = {}

    def publish() -> None:
        response = requests.put(f"{central.api}/catalog", data=raw, timeout=300, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {central.admin_token}"})
        published["status"], published["body"] = response.status_code, response.json()

    worker = threading.Thread(target=publish)
    worker.start()
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {central.window_token}"
        while worker.is_alive() or len(answers) < 4:
            answers.append(http.post(f"{central.api}/queue/kiosk/tickets", json={"category": "市场准入"},
                                     timeout=30).status_code)
            row = case_row()
            answers.append(http.put(f"{central.api}/cases/{row['uuid']}", json=row, timeout=30).status_code)
    worker.join()
    assert published["status"] == 200, published
    body = published["body"]
    assert isinstance(body, dict) and body["added"] == 3000 and body["write_lock_seconds"] is not None
    assert answers and set(answers) <= {200, 201}, answers
    feed = central.window("GET", "/catalog").json()
    assert feed["item_count"] == 3000  # the central's items table followed the feed
