"""Issue 16: a start loads only what the first screen needs. In a fresh process the main window
becomes searchable without the documents (reportlab, qrcode), the HTTP client (requests), the
charts, the audio or pinyin; once it is usable the deferred work loads them (so the first
confirmation or print does not wait) and makes the announcer. Timing is measured in
bench/bench_startup.py, never asserted here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from hallclient.core.permissions import Actor, Role
from hallclient.services.accounts import SignedIn
from hallclient.ui.main_window import MainWindow
from hallclient.workspace import Workspace
ws = Workspace(Path(sys.argv[1]))
clerk = Actor(login="lazy", name="测试", roles=frozenset({Role.CLERK}), window_number="1")
w = MainWindow(ws, SignedIn(clerk)); w.resize(1366, 768); w.show()
loop = QEventLoop()
w.catalog.index_ready.connect(lambda _n: loop.quit())
QTimer.singleShot(0, w.start)
QTimer.singleShot(30000, loop.quit)
loop.exec()
at_ready = sorted(sys.modules)
deadline = time.monotonic() + 30
while time.monotonic() < deadline and (w.tasks.pending or not w.announcer.made
                                        or "hallclient.documents" not in sys.modules):
    app.processEvents(); time.sleep(0.01)
print(json.dumps({"searchable": len(w.catalog.index), "at_ready": at_ready, "later": sorted(sys.modules),
                  "announcer": w.announcer.made}))
w.close(); w.tasks.wait_idle(); ws.close()
"""

NOT_AT_START = ("reportlab", "qrcode", "PIL", "requests", "urllib3", "pypinyin", "PySide6.QtCharts",
                "PySide6.QtMultimedia", "PySide6.QtTextToSpeech", "PySide6.QtPdf", "PySide6.QtPrintSupport",
                "hallclient.documents", "hallclient.services.cases", "hallclient.sync.client",
                "hallclient.ui.dashboard_panel", "hallclient.ui.announcement_sinks",
                "hallclient.ui.approval_panel", "hallclient.ui.prereview_panel", "hallclient.ui.window_settings")


def test_the_start_loads_only_what_the_first_screen_needs(data_dir: Path) -> None:
    from hallclient.workspace import Workspace

    seeded = Workspace(data_dir)  # not a first start: seeding the catalog needs pinyin, a start does not
    assert seeded.seed_if_empty()
    seeded.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HALLCLIENT_TTS_ENGINE="mock")
    out = subprocess.run([sys.executable, "-c", CHILD, str(data_dir)], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["searchable"] > 0
    loaded = [name for name in NOT_AT_START
              if any(m == name or m.startswith(name + ".") for m in report["at_ready"])]
    assert loaded == [], f"imported before the window was usable: {loaded}"
    later = set(report["later"])
    # The deferred work: the documents and the HTTP client warmed up, the announcer made.
    assert {"hallclient.services.cases", "hallclient.documents", "reportlab", "requests"} <= later
    assert report["announcer"]
