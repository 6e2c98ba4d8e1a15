"""Schema-driven fuzzing (schemathesis) of the running central service, on each engine.

A short run here (scripts/fuzz_central.py does long ones): every operation, positive and
negative data, every check but positive_data_acceptance (valid-by-schema input the API still
refuses by rules a schema cannot express: a cursor is opaque, a holiday must fall in its year,
the UUID in the path must equal the body's, catalog-v1's cross-field rules).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(importlib.util.find_spec("schemathesis") is None, reason="schemathesis not installed")
def test_no_500s_and_no_accepted_invalid_input(central_db_url: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "fuzz_central.py"), "--db", central_db_url,
         "--max-examples", "25", "--exclude-checks", "positive_data_acceptance"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
