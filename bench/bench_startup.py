"""Cold start to a usable main window (catalog searchable), beside a bare PySide6 baseline.

    .venv/bin/python bench/bench_startup.py [--runs 5] [--no-bytecode-cache] [--no-importtime]
                                            [--checkout DIR]

Every start is a fresh process on an offscreen display, timed from the moment the parent spawns
it (interpreter start included) to the moment the child is usable:

- **bare**: `import PySide6.QtWidgets`, a `QApplication`, a `QMainWindow` with a line edit at
  1366×768 shown and its first event-loop turn done: what any PySide6 window costs here;
- **hallclient**: the application font, the workspace (settings, database, keys), the signed-in
  main window at 1366×768 shown, and the catalog index built (searchable).

Bare and hallclient runs alternate, so a machine loaded by others slows both alike; judge by the
ratio (hallclient / bare, medians, and the median of the per-pair ratios) and by CPU seconds.
After the starts, the warm search (in the last run's window once its deferred start-up work is
done, every query of a fixed list ×20 set into the search box) gives p50/p95 of the search
(index, results list, first hit selected) and of the same to painted. One more child under `python -X importtime` sums the
import time per top-level package.

Bytecode: an installed hallclient has its `.pyc` files (pip compiles on install, the bundle ships
them). With PYTHONDONTWRITEBYTECODE set (a checkout here), every start would compile hallclient's
own modules again, so the children write and reuse bytecode under a temporary
PYTHONPYCACHEPREFIX (nothing lands in the checkout); `--no-bytecode-cache` measures without.
The first start seeds the database (and warms that cache) and is reported separately.
`--checkout DIR` measures the hallclient of another checkout (e.g. `git worktree add /tmp/old
<commit>`) with this same bench and environment, for a before/after on one machine.

Budget (issue 16): a later start ≤ 1.5 s, warm search p95 ≤ 15 ms, RSS ≤ 300 MB. The LAST line
printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each child prints one JSON line: its monotonic clock when usable (CLOCK_MONOTONIC is shared by
# the processes of one machine, so the parent subtracts its spawn time), and its own figures.
BARE_CHILD = r"""
import os, sys, time, json, resource
t0 = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QLineEdit()); w.resize(1366, 768); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"ready_clock": time.monotonic(), "in_process_s": time.perf_counter() - t0,
                  "cpu_s": ru.ru_utime + ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024}))
"""

APP_CHILD = r"""
import os, sys, time, json, resource
t0 = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HALLCLIENT_TTS_ENGINE", "mock")  # speechd without an audio device can hang
from pathlib import Path
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QEventLoop, QTimer
app = QApplication([])
from hallclient.ui.fonts import apply_ui_font
apply_ui_font(app)
from hallclient.workspace import Workspace
from hallclient.ui.main_window import MainWindow
ws = Workspace(Path(sys.argv[1]))
# The person has signed in (the Argon2id check, ≈0.1 s idle, is measured in bench_security.py).
from hallclient.core.permissions import Actor, Role
from hallclient.services.accounts import SignedIn
clerk = Actor(login="bench", name="测试", roles=frozenset({Role.CLERK}), window_number=ws.settings.window_number)
w = MainWindow(ws, SignedIn(clerk)); w.resize(1366, 768); w.show()
loop = QEventLoop()
w.catalog.index_ready.connect(lambda _n: loop.quit())
QTimer.singleShot(0, w.start)
loop.exec()
ready_clock = time.monotonic()
ready = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_SELF)
cpu = ru.ru_utime + ru.ru_stime
t1 = time.perf_counter()
w.ui.searchEdit.setText("spjy")
first_ms = (time.perf_counter() - t1) * 1000
searches, painted = [], []
if sys.argv[2] == "search":
    # Warm: the start-up work deferred after the window was usable has finished.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (w.tasks.pending or not getattr(w.announcer, "made", True)):
        app.processEvents(); time.sleep(0.01)
    queries = ["spjy", "食品", "营业执照", "shipin", "jyxk", "个体工商户", "卫生许可", "户籍", "yyzz",
               "社保", "不动产", "建筑", "药品", "ws", "dl", "餐饮", "公共场所", "xk", "税务", "001"]
    for _round in range(20):
        for q in queries:
            w.ui.searchEdit.clear()
            app.processEvents()
            t = time.perf_counter()
            w.ui.searchEdit.setText(q)  # the index search, the results list, the first hit selected
            t1 = time.perf_counter()
            app.processEvents()  # and painted
            searches.append((t1 - t) * 1000)
            painted.append((time.perf_counter() - t) * 1000)
import hallclient
print(json.dumps({"ready_clock": ready_clock, "in_process_s": ready, "cpu_s": cpu, "hallclient": hallclient.__file__,
                  "first_search_ms": first_ms, "searches_ms": searches, "painted_ms": painted,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
w.tasks.wait_idle(); ws.close()
"""


def child_env(pycache: str | None, root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH")])])
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def run_child(code: str, args: list[str], env: dict[str, str], *, flags: list[str] | None = None
              ) -> tuple[dict, str]:  # type: ignore[type-arg]
    """Run one fresh process; returns its JSON figures (plus wall_s from spawn) and its stderr."""
    start = time.monotonic()
    out = subprocess.run([sys.executable, *(flags or []), "-c", code, *args], capture_output=True,
                         text=True, env=env, cwd=env["PYTHONPATH"].split(os.pathsep)[0])
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"child failed with status {out.returncode}")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["wall_s"] = figures.pop("ready_clock") - start
    return figures, out.stderr


def import_sums(stderr: str) -> tuple[float, dict[str, float]]:
    """Total import time (s, sum of self times) and the sum per top-level package."""
    per: dict[str, float] = defaultdict(float)
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        fields = line.split("|")
        self_us = int(fields[0].split(":")[1])
        name = fields[2].strip()
        top = name.split(".")[0]
        per[top] += self_us / 1e6
    return sum(per.values()), dict(sorted(per.items(), key=lambda kv: -kv[1]))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="keep PYTHONDONTWRITEBYTECODE as it is (hallclient's modules compiled every start)")
    parser.add_argument("--no-importtime", action="store_true", help="skip the -X importtime child")
    parser.add_argument("--checkout", type=Path, default=ROOT,
                        help="the checkout whose hallclient is measured (default: this one)")
    args = parser.parse_args()
    root = args.checkout.resolve()
    with tempfile.TemporaryDirectory() as data_dir, tempfile.TemporaryDirectory() as pycache:
        env = child_env(None if args.no_bytecode_cache else pycache, root)
        bytecode = "none (compiled every start)" if args.no_bytecode_cache else "cached (as installed)"
        first, _ = run_child(APP_CHILD, [data_dir, "-"], env)
        run_child(BARE_CHILD, [], env)  # warms the bare child's bytecode too
        print(f"hallclient: {Path(first['hallclient']).parent}; bytecode: {bytecode}")
        print(f"first start (creates the database, seeds the sample catalog): {first['wall_s']:.2f} s, "
              f"RSS {first['rss_mb']:.0f} MB")
        bare: list[dict] = []  # type: ignore[type-arg]
        app: list[dict] = []  # type: ignore[type-arg]
        for i in range(args.runs):
            bare.append(run_child(BARE_CHILD, [], env)[0])
            app.append(run_child(APP_CHILD, [data_dir, "search" if i == args.runs - 1 else "-"], env)[0])
        imports: dict[str, object] = {}
        if not args.no_importtime:
            _, stderr = run_child(APP_CHILD, [data_dir, "-"], env, flags=["-X", "importtime"])
            total, per = import_sums(stderr)
            _, bare_stderr = run_child(BARE_CHILD, [], env, flags=["-X", "importtime"])
            bare_total, _ = import_sums(bare_stderr)
            imports = {"import_s": round(total, 3), "bare_import_s": round(bare_total, 3),
                       "import_by_package_s": {k: round(v, 3) for k, v in list(per.items())[:12]}}

    def med(runs: list[dict], key: str) -> float:  # type: ignore[type-arg]
        return statistics.median(r[key] for r in runs)

    bare_wall, app_wall = med(bare, "wall_s"), med(app, "wall_s")
    pair_ratio = statistics.median(a["wall_s"] / b["wall_s"] for a, b in zip(app, bare, strict=True))
    bare_cpu, app_cpu = med(bare, "cpu_s"), med(app, "cpu_s")
    searches, painted = app[-1]["searches_ms"], app[-1]["painted_ms"]
    print(f"bare PySide6 QMainWindow, {args.runs} runs: median {bare_wall:.2f} s from spawn "
          f"(CPU {bare_cpu:.2f} s, RSS {max(r['rss_mb'] for r in bare):.0f} MB)")
    print(f"hallclient to a searchable main window, {args.runs} runs: median {app_wall:.2f} s from spawn, "
          f"max {max(r['wall_s'] for r in app):.2f} s, in-process {med(app, 'in_process_s'):.2f} s "
          f"(CPU {app_cpu:.2f} s)   budget ≤ 1.5 s")
    print(f"ratio hallclient / bare: {app_wall / bare_wall:.2f} (medians), {pair_ratio:.2f} (median of pairs), "
          f"CPU {app_cpu / bare_cpu:.2f}")
    print(f"peak RSS: {max(r['rss_mb'] for r in app):.0f} MB   budget ≤ 300 MB")
    print(f"first search after start: {med(app, 'first_search_ms'):.1f} ms; warm search over "
          f"{len(searches)} queries: p50 {pct(searches, 50):.1f} ms, p95 {pct(searches, 95):.1f} ms   budget p95 ≤ 15 ms; "
          f"to painted p50 {pct(painted, 50):.1f} ms, p95 {pct(painted, 95):.1f} ms")
    if imports:
        per = imports["import_by_package_s"]
        print(f"import time (-X importtime, sum of self): {imports['import_s']:.2f} s, "
              f"bare {imports['bare_import_s']:.2f} s; by package: "
              + ", ".join(f"{k} {v:.3f}" for k, v in list(per.items())[:8]))  # type: ignore[union-attr]
    print(json.dumps({
        "checkout": str(root), "bytecode": "none" if args.no_bytecode_cache else "cached", "runs": args.runs,
        "first_start_s": round(first["wall_s"], 3),
        "bare_s": round(bare_wall, 3), "ready_s": round(app_wall, 3),
        "ready_max_s": round(max(r["wall_s"] for r in app), 3),
        "ready_in_process_s": round(med(app, "in_process_s"), 3),
        "ratio": round(app_wall / bare_wall, 3), "pair_ratio": round(pair_ratio, 3),
        "bare_cpu_s": round(bare_cpu, 3), "cpu_s": round(app_cpu, 3), "cpu_ratio": round(app_cpu / bare_cpu, 3),
        "rss_mb": round(max(r["rss_mb"] for r in app), 1),
        "first_search_ms": round(med(app, "first_search_ms"), 2),
        "search_p50_ms": round(pct(searches, 50), 2), "search_p95_ms": round(pct(searches, 95), 2),
        "painted_p50_ms": round(pct(painted, 50), 2), "painted_p95_ms": round(pct(painted, 95), 2),
        **imports,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
