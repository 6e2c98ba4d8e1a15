"""A plain, non-editable `pip install .` into a fresh virtual environment works: the resources
travel as package data, the window client needs none of the central's packages, and
`hallclient documents sample OUTDIR` writes every document there. Slow (pip builds a wheel and
may fetch the dependencies from the registry): runs under CI=true or HALLCLIENT_SLOW_TESTS=1."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CENTRAL_ONLY = ("fastapi", "uvicorn", "pydantic", "starlette", "psycopg")


@pytest.mark.slow
def test_non_editable_install_writes_the_sample_documents(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # Copy the checkout's tree so no build artefact (egg-info, build/) of the checkout is reused.
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)],
                   check=True, cwd=tmp_path, timeout=1200)
    installed = subprocess.run(
        [str(python), "-c", "import hallclient, importlib.util, sys; print(hallclient.__file__); "
                            f"print([m for m in {CENTRAL_ONLY!r} if importlib.util.find_spec(m)])"],
        check=True, capture_output=True, text=True, cwd=tmp_path).stdout.splitlines()
    assert str(ROOT) not in installed[0], "the checkout was imported, not the installed package"
    assert installed[1] == "[]", f"the window client pulled in the central's packages: {installed[1]}"

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    hallclient = env_dir / ("Scripts/hallclient.exe" if os.name == "nt" else "bin/hallclient")
    out = tmp_path / "documents"
    result = subprocess.run([str(hallclient), "documents", "sample", str(out), "--data-dir", str(tmp_path / "data")],
                            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) >= 7 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)

    # The central is the [central] extra: without it the command says what to install, in Chinese.
    central = subprocess.run([str(hallclient), "central", "--data-dir", str(tmp_path / "data")],
                             capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert central.returncode == 1
    assert "pip install 'hallclient[central]'" in central.stderr and "中心服务" in central.stderr
    assert sys.executable  # the test's own interpreter is untouched
