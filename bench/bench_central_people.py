"""Central people and personal data: one sign-in (Argon2id), sealing a pushed case, and a case
list of 10,000 cases read with and without opening the sealed applicant data.

    .venv/bin/python bench/bench_central_people.py [--cases 10000]

Prints figures; asserts nothing (timing is never part of the pass/fail suite).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from hallclient.central.crypto import CaseCipher, for_reader  # noqa: E402
from hallclient.central.database import open_central  # noqa: E402
from hallclient.central.intake import CASES  # noqa: E402
from hallclient.core.permissions import Actor, Role  # noqa: E402
from hallclient.security.keys import Keys  # noqa: E402
from hallclient.security.passwords import hash_password, verify_password  # noqa: E402


def _row(i: int) -> dict[str, object]:
    return {"uuid": f"{i:08d}-0000-4000-8000-000000000000", "case_number": f"信高新受〔2026〕03{i:06d}",
            "applicant_id": "41152819880612345X", "applicant_name": "张三",
            "applicant": {"kind": "person", "name": "张三", "id_number": "41152819880612345X", "phone": "13912345678"},
            "item_codes": ["11411500MB1234567X-001"], "item_names": ["食品经营许可（新办）"], "checklist": [],
            "window_number": "3", "state": "accepted", "accepted_on": "2026-09-28"}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    cipher = CaseCipher(Keys.from_secret(os.urandom(32)))
    stored = hash_password("correct-horse-9")
    start = time.perf_counter()
    for _ in range(5):
        verify_password(stored, "correct-horse-9")
    print(f"sign-in password check (Argon2id t=3 m=64MiB p=4): {(time.perf_counter() - start) / 5 * 1000:.0f} ms")
    rows = [_row(i) for i in range(args.cases)]
    start = time.perf_counter()
    sealed = [json.dumps(cipher.seal(r), ensure_ascii=False, sort_keys=True) for r in rows]
    seal_s = time.perf_counter() - start
    plain = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows]
    print(f"seal {args.cases} cases: {seal_s * 1000:.0f} ms ({seal_s / args.cases * 1e6:.0f} µs a case)")
    with tempfile.TemporaryDirectory() as tmp:
        store = open_central(f"sqlite:///{Path(tmp) / 'central.db'}", keys=Keys.from_secret(os.urandom(32)))
        base = {"decision": "accept", "applicant_name": "张三", "updated_at": "x", "pushed_by": "3",
                "received_at": "x", "warnings": None}
        with store.session() as session, session.begin():
            for label, payloads in (("plain", plain), ("sealed", sealed)):
                session.execute(CASES.insert(), [
                    {**base, "uuid": f"{label[0]}{i:07d}-0000-4000-8000-000000000000", "case_number": f"{label}{i}",
                     "window_number": label, "state": "accepted", "applicant_id": "x", "accepted_on": "2026-09-28",
                     "payload": p} for i, p in enumerate(payloads)])
        clerk = Actor("c", "c", frozenset({Role.CLERK}), window_number="3")
        supervisor = Actor("s", "s", frozenset({Role.SUPERVISOR}))
        for label, opener in (("plain", lambda p: json.loads(p)), ("sealed", cipher.open_text),
                              ("sealed", lambda p: cipher.open_id(json.loads(p)))):
            for actor in (clerk, supervisor):
                best = float("inf")
                for _ in range(3):
                    start = time.perf_counter()
                    with store.session() as session:
                        out = [for_reader(opener(p), actor) for p in session.execute(
                            select(CASES.c.payload).where(CASES.c.window_number == label)).scalars()]
                    best = min(best, time.perf_counter() - start)
                who = "clerk (full)" if actor is clerk else "supervisor (masked)"
                what = "list path, ID only" if "applicant" not in out[0] else "whole case"
                print(f"read+decode {len(out)} {label} cases ({what}) as {who}: {best * 1000:.0f} ms")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
