"""Schema-driven fuzzing of the central service with schemathesis.

    .venv/bin/python scripts/fuzz_central.py [--db URL] [--max-examples 100] [--checks all]

Starts a central service on a loopback port (a fresh SQLite database unless --db names one,
e.g. a PostgreSQL URL), seeds it (an admin and a window account, the sample catalog, a case
and a calendar year, so lookups can succeed), then runs `schemathesis run` against its
/openapi.json with the admin token: positive and negative data, every operation. The checks
that matter for the issue are not_a_server_error (no 500s) and negative_data_rejection (no
accepted invalid input); `--checks all` runs every check schemathesis has.
Exit status: schemathesis's.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import uvicorn  # noqa: E402

from hallclient.central.accounts import create_account  # noqa: E402
from hallclient.central.app import create_app  # noqa: E402
from hallclient.central.database import open_central  # noqa: E402
from hallclient.central.http_limits import HttpLimits  # noqa: E402
from hallclient.paths import sample_catalog_path  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(api: str, admin: str, window: str) -> None:
    auth = {"Authorization": f"Bearer {admin}"}
    catalog = json.loads(sample_catalog_path().read_text(encoding="utf-8"))
    requests.put(f"{api}/catalog", json=catalog, headers=auth, timeout=60).raise_for_status()
    year = {"year": 2027, "holidays": ["2027-01-01"], "workdays": [], "source": "seed"}
    requests.put(f"{api}/calendar/2027", json=year, headers=auth, timeout=10).raise_for_status()
    case = {
        "uuid": str(uuid.uuid4()), "case_number": "信高新受〔2026〕01000001", "state": "accepted",
        "decision": "accept", "applicant_name": "张三", "applicant_id": "11010519491231002X",
        "applicant": {}, "item_codes": [catalog["items"][0]["code"]], "item_names": [],
        "checklist": [], "reasons": [], "tolerated": [], "commitments": [], "accepted_on": "2026-09-28",
        "window_number": "1", "clerk_name": "李四", "created_at": "2026-09-28T09:00:00+08:00",
        "updated_at": "2026-09-28T09:00:00+08:00",
    }
    window_auth = {"Authorization": f"Bearer {window}"}  # a window pushes only its own cases
    requests.put(f"{api}/cases/{case['uuid']}", json=case, headers=window_auth, timeout=10).raise_for_status()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="central database URL (default: a fresh SQLite file)")
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--checks", default="all")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--report-dir", type=Path, help="write a JUnit report there")
    args, extra = parser.parse_known_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_central(args.db or f"sqlite:///{Path(tmp) / 'central.db'}")
        with store.session() as session, session.begin():
            admin = create_account(session, f"fz{uuid.uuid4().hex[:8]}", "fuzzer", "admin")
            window = create_account(session, "1", "综合窗口1")
        port = free_port()
        app = create_app(store, http=HttpLimits(api_docs=True))  # schemathesis reads /openapi.json
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        api = f"http://127.0.0.1:{port}/api/v1"
        seed(api, admin, window)
        command = [
            str(Path(sys.executable).with_name("schemathesis")), "run", f"http://127.0.0.1:{port}/openapi.json",
            "-H", f"Authorization: Bearer {admin}", "--checks", args.checks,
            "--max-examples", str(args.max_examples), "--seed", str(args.seed),
            "--generation-database", "none", "--no-color", "--workers", "1", *extra,
        ]
        if args.report_dir:
            command += ["--report", "junit", "--report-dir", str(args.report_dir.resolve())]
        print("$", " ".join(c if "Bearer" not in c else "Authorization: Bearer ***" for c in command), flush=True)
        done = subprocess.run(command, check=False, cwd=tmp)  # its caches stay out of the checkout
        server.should_exit = True
        thread.join(10)
        store.close()
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
