"""A real spooler: CUPS with Debian's virtual PDF printer, set up by `eval "$(sh .ci/cups.sh)"`.

Without it (HALLCLIENT_TEST_CUPS_PRINTER unset, or no `lpstat`) the printing tests skip with
the reason; under CI=true that skip fails the run (tests/conftest.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.ui.conftest import people_dir, people_workspace  # noqa: F401  (fixtures)

PRINTER = os.environ.get("HALLCLIENT_TEST_CUPS_PRINTER", "")
OUT = Path(os.environ.get("HALLCLIENT_TEST_CUPS_OUT", "/var/spool/cups-pdf/hallclient"))
CUPS_SKIP = "CUPS: no virtual PDF printer (run `eval \"$(sh .ci/cups.sh)\"`)"


def cups_problem() -> str | None:
    if not PRINTER:
        return f"{CUPS_SKIP}: HALLCLIENT_TEST_CUPS_PRINTER not set"
    if shutil.which("lpstat") is None:
        return f"{CUPS_SKIP}: lpstat not installed"
    state = subprocess.run(["lpstat", "-p", PRINTER], capture_output=True, text=True)
    if state.returncode != 0:
        return f"{CUPS_SKIP}: printer {PRINTER} not found ({state.stderr.strip()})"
    return None


@pytest.fixture
def cups_printer() -> str:
    problem = cups_problem()
    if problem:
        pytest.skip(problem)
    subprocess.run(["cupsenable", PRINTER], check=True)
    subprocess.run(["cupsaccept", PRINTER], check=True)
    subprocess.run(["cancel", "-a", PRINTER], check=False, capture_output=True)
    yield PRINTER
    subprocess.run(["cupsenable", PRINTER], check=False)
    subprocess.run(["cancel", "-a", PRINTER], check=False, capture_output=True)
