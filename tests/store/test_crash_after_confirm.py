"""A crash right after "confirm" loses no case: the process is killed the moment the commit returns."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

from hallclient.store import cases_repo
from hallclient.store.cases_repo import CaseFilter
from hallclient.store.database import Store


def test_sigkill_after_commit_keeps_case_and_outbox(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from pathlib import Path
        from tests.store.test_cases_repo import ALL, PATTERN, draft
        from hallclient.store import cases_repo
        from hallclient.store.database import Store
        store = Store.open_file(Path({str(tmp_path / "hallclient.db")!r}))
        with store.session() as session, session.begin():
            case = cases_repo.create_case(session, draft(ALL), PATTERN)
        print(case.case_number, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # no close, no checkpoint, no atexit
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    number = done.stdout.strip()
    store = Store.open_file(tmp_path / "hallclient.db")
    with store.session() as session:
        cases = cases_repo.list_cases(session, CaseFilter(), date(2026, 9, 28))
        assert [c.case_number for c in cases] == [number]
        assert cases_repo.pending_outbox(session) == 1
    store.close()
    assert os.path.exists(tmp_path / "hallclient.db")
