"""The PyInstaller bundle: `python build_installer.py` builds dist/hallclient/ once, and the frozen
executable's `--self-test` passes (window offscreen, catalog, checklist, every document,
announcement, Qt in Chinese). Slow: runs under CI=true or HALLCLIENT_SLOW_TESTS=1."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = ROOT / "dist" / "hallclient" / ("hallclient.exe" if os.name == "nt" else "hallclient")
FORBIDDEN = ("fastapi", "uvicorn", "pydantic", "starlette", "psycopg", "pytest", "hypothesis", "playwright",
             "schemathesis", "mypy", "QtWebEngine", "Qt3D", "QtQuick", "QtQml",
             # QtMultimedia's FFmpeg backend: the announcement clips play through QAudioSink
             "avcodec", "avformat", "ffmpegmediaplugin", "Qt6FFmpegStub")
BUDGET_MB = 200


@pytest.fixture(scope="module")
def bundle() -> Path:
    build = subprocess.run([sys.executable, str(ROOT / "build_installer.py"), "--no-self-test"],
                           cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    size_line = next(line for line in build.stdout.splitlines() if line.startswith("bundle:"))
    print(size_line)
    return EXE


@pytest.mark.slow
def test_bundle_is_within_its_size_budget(bundle: Path) -> None:
    size = sum(p.lstat().st_size for p in bundle.parent.rglob("*") if p.is_file() or p.is_symlink())
    assert size <= BUDGET_MB * 1e6, f"{size / 1e6:.0f} MB unpacked, budget {BUDGET_MB} MB (docs/packaging.md)"
    dangling = [str(p.relative_to(bundle.parent)) for p in bundle.parent.rglob("*") if p.is_symlink()
                and not p.exists()]
    assert dangling == []


@pytest.mark.slow
def test_frozen_self_test_passes(bundle: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    env.pop("PYTHONPATH", None)
    started = time.perf_counter()
    result = subprocess.run([str(bundle), "--self-test"], capture_output=True, text=True, env=env,
                            cwd=tmp_path, timeout=300)
    elapsed = time.perf_counter() - started
    print(result.stdout)
    print(f"self-test took {elapsed:.1f} s")
    assert result.returncode == 0, result.stdout + result.stderr
    for check in ("主窗口（离屏）", "清单判定", "文书（每一种）", "叫号语音写入文件", "叫号语音播放", "Qt 中文排序与编码",
                  "Qt 对话框中文"):
        assert f"通过  {check}" in result.stdout


@pytest.mark.slow
def test_bundle_carries_the_window_client_only(bundle: Path) -> None:
    names = [p.name for p in bundle.parent.rglob("*")]
    carried = sorted({word for word in FORBIDDEN for name in names if name.startswith((word, f"lib{word}",
                                                                                        f"libQt6{word[2:]}"))})
    assert carried == [], f"the bundle carries {carried}"
    assert (bundle.parent / "_internal" / "hallclient" / "resources" / "fonts" / "wqy-microhei.ttc").is_file()
