"""`hallclient --self-test`: prove an installation (above all the frozen bundle) works.

In a throw-away data directory it opens the main window offscreen, loads the shipped catalog,
evaluates a checklist, renders every document kind, joins an announcement into a WAV file, plays
one silently (or, without an audio device, shows that it is skipped without hanging), checks
Qt's Chinese collation and codecs (the bundle's ICU data is cut to Chinese and English) and that
Qt's own dialogs speak Chinese. It prints one line per check and exits 0 when all
passed, 1 naming what failed. Nothing of the user's data directory is read or written.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path

_STARTED = time.perf_counter()


class SelfTest:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.passed: list[str] = []
        self.failed: list[str] = []

    def check(self, name: str, step: Callable[[], str]) -> bool:
        try:
            detail = step()
        except Exception as error:  # every failure is reported, the next check still runs
            line = f"失败  {name}：{type(error).__name__}: {error}"
            self.failed.append(line)
            print(line, flush=True)
            if os.environ.get("HALLCLIENT_SELFTEST_TRACEBACK"):
                traceback.print_exc()
            return False
        line = f"通过  {name}：{detail}"
        self.passed.append(line)
        print(line, flush=True)
        return True


def run(started: float | None = None) -> int:
    """Run every check; 0 when all passed, 1 otherwise."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("HALLCLIENT_TTS_ENGINE", "mock")
    began = started if started is not None else _STARTED
    print(f"hallclient 自检（{_version()}，{'打包版' if _frozen() else 'Python 安装'}）", flush=True)
    with tempfile.TemporaryDirectory(prefix="hallclient-selftest-") as tmp:
        workdir = Path(tmp)
        os.environ.setdefault("HALLCLIENT_KEY_DIR", str(workdir / "keys"))
        test = SelfTest(workdir)
        state: dict[str, object] = {}
        test.check("资源文件", lambda: _resources())
        if test.check("工作区与内置事项清单", lambda: _workspace(workdir, state)):
            test.check("清单判定", lambda: _checklist(state))
            test.check("主窗口（离屏）", lambda: _main_window(state, began))
        test.check("文书（每一种）", lambda: _documents(workdir / "documents"))
        test.check("叫号语音写入文件", lambda: _announcement(workdir / "announcement.wav"))
        test.check("叫号语音播放", _announcement_playback)
        test.check("Qt 中文排序与编码", _qt_collation_and_codecs)
        test.check("Qt 对话框中文", _qt_chinese)
        workspace = state.get("workspace")
        if workspace is not None:
            workspace.close()  # type: ignore[attr-defined]
    if test.failed:
        print(f"自检未通过：{len(test.failed)} 项失败，{len(test.passed)} 项通过", flush=True)
        for line in test.failed:
            print(f"  {line}", flush=True)
        return 1
    print(f"自检通过：{len(test.passed)} 项", flush=True)
    return 0


def _frozen() -> bool:
    from hallclient.paths import is_frozen

    return is_frozen()


def _version() -> str:
    from hallclient import __version__

    return f"版本 {__version__}"


def _resources() -> str:
    from hallclient.paths import resource_path, resources_root

    needed = [("fonts", "wqy-microhei.ttc"), ("catalog", "sample-catalog.json"), ("sounds", "qing.wav"),
              ("calendar", "README.md")]
    missing = ["/".join(parts) for parts in needed if not resource_path(*parts).is_file()]
    if missing:
        raise FileNotFoundError(f"{resources_root()} 中缺少 {'、'.join(missing)}")
    return str(resources_root())


def _workspace(workdir: Path, state: dict[str, object]) -> str:
    import secrets

    from hallclient.services import accounts, catalog
    from hallclient.workspace import Workspace

    setup_began = time.perf_counter()
    workspace = Workspace(workdir / "data")
    state["workspace"] = workspace
    workspace.seed_if_empty()
    ctx = workspace.services
    password = secrets.token_urlsafe(16)
    accounts.add_user(ctx, None, "selftest", name="自检", roles=["admin", "clerk"], departments=[],
                      password=password)
    state["signed"] = accounts.sign_in(ctx, "selftest", password)
    # A new database, its keys and the first account are made once per installation, not at
    # every start: the start-up time reported by the window check leaves them out.
    state["setup_seconds"] = time.perf_counter() - setup_began
    header = catalog.read_header(ctx)
    entries = catalog.search_entries(ctx)
    if header is None or not entries:
        raise RuntimeError("内置事项清单没有载入")
    state["entries"] = entries
    return f"{len(entries)} 个事项，清单版本 {header.catalog_version}"


def _checklist(state: dict[str, object]) -> str:
    from hallclient.core.checklist import MaterialMark, MaterialStatus, build_checklist, decide
    from hallclient.services import catalog

    workspace = state["workspace"]
    ctx = workspace.services  # type: ignore[attr-defined]
    items = [item for entry in state["entries"]  # type: ignore[attr-defined]
             if (item := catalog.load_item(ctx, entry.code)) is not None and item.materials]
    if not items:
        raise RuntimeError("清单中没有带申请材料的事项")
    item = items[0]
    rows = build_checklist([item])
    nothing = decide([item], {}, accepted_on=date.today(), calendar=catalog.load_calendar(ctx))
    everything = decide([item], {row.material.key: MaterialMark(MaterialStatus.RECEIVED, original=True) for row in rows},
                        accepted_on=date.today(), calendar=catalog.load_calendar(ctx))
    return f"「{item.name}」{len(rows)} 项材料：全缺 → {nothing.decision}，齐全 → {everything.decision}"


def _main_window(state: dict[str, object], began: float) -> str:
    from PySide6.QtWidgets import QApplication

    from hallclient.ui.app import install_qt_translations
    from hallclient.ui.fonts import apply_ui_font
    from hallclient.ui.main_window import MainWindow
    from hallclient.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_translations(app)
    apply_ui_font(app)  # type: ignore[arg-type]
    tasks = TaskRunner()
    window = MainWindow(state["workspace"], state["signed"], tasks)  # type: ignore[arg-type]
    ready: list[int] = []
    window.catalog.index_ready.connect(ready.append)
    window.resize(1366, 768)
    window.show()
    window.start()
    deadline = time.monotonic() + 30
    while not ready and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    shown = time.perf_counter() - began - float(state.get("setup_seconds", 0.0))  # type: ignore[arg-type]
    size = window.size()
    window.close()
    tasks.wait_idle(15000)
    app.processEvents()
    if not ready:
        raise TimeoutError("30 秒内事项检索索引没有建好")
    return f"{size.width()}×{size.height()}，{ready[0]} 个事项可检索，启动到主窗口就绪 {shown:.2f} 秒（不含首次建库与建账户）"


def _documents(outdir: Path) -> str:
    from hallclient.documents.sample import write_samples

    paths = write_samples(outdir)
    bad = [p.name for p in paths if not p.read_bytes().startswith(b"%PDF")]
    if bad:
        raise RuntimeError(f"不是 PDF：{'、'.join(bad)}")
    return f"{len(paths)} 份 PDF，共 {sum(p.stat().st_size for p in paths) // 1024} KB"


def _announcement(out: Path) -> str:
    import wave

    from hallclient.ui.announcement_sinks import ClipSink

    sink = ClipSink()
    if not sink.available:
        raise RuntimeError(sink.unavailable_reason)
    data, length_ms = sink.render("请A023号到3号窗口办理")
    out.write_bytes(data)
    with wave.open(str(out), "rb") as clip:
        frames = clip.getnframes()
    if frames == 0 or length_ms == 0:
        raise RuntimeError("语音文件是空的")
    return f"{out.name}，{length_ms / 1000:.1f} 秒"


def _announcement_playback() -> str:
    """The clips through QAudioSink, silent (volume 0): played on a device, or skipped without one.

    Proves QtMultimedia works in the bundle without its FFmpeg media backend, and that a machine
    without an audio device neither crashes nor hangs the announcement queue.
    """
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtMultimedia import QMediaDevices

    from hallclient.ui.announcement_sinks import ClipSink

    app = QCoreApplication.instance()
    if app is None:
        from PySide6.QtWidgets import QApplication

        app = QApplication(sys.argv[:1])
    sink = ClipSink(volume=0.0)
    finished: list[float] = []
    sink.finished.connect(lambda: finished.append(time.perf_counter()))
    device = QMediaDevices.defaultAudioOutput()
    began = time.perf_counter()
    sink.speak("A1")
    _, length_ms = sink.render("A1")
    deadline = time.monotonic() + length_ms / 1000 + 10
    while not finished and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    if not finished:
        sink.stop()
        raise TimeoutError("叫号语音播放没有结束")
    took = finished[0] - began
    if device.isNull():
        return f"没有音频输出设备：跳过且不阻塞（{took:.2f} 秒）"
    return f"经“{device.description()}”播放 {length_ms / 1000:.1f} 秒的片段，用时 {took:.1f} 秒（音量 0）"


def _qt_collation_and_codecs() -> str:
    """What Qt asks ICU for still works with the bundle's ICU data (zh/en only): collation, codecs."""
    import functools

    from PySide6.QtCore import QCollator, QLocale, QStringEncoder

    names = ["张三", "李四", "王五", "赵六", "阿", "波"]
    collator = QCollator(QLocale("zh_CN"))
    ordered = sorted(names, key=functools.cmp_to_key(collator.compare))
    if ordered != ["阿", "波", "李四", "王五", "张三", "赵六"]:
        raise RuntimeError(f"中文排序不是拼音顺序：{'、'.join(ordered)}")
    collator.setNumericMode(True)
    files = sorted(["材料10", "材料2", "材料1"], key=functools.cmp_to_key(collator.compare))
    if files != ["材料1", "材料2", "材料10"]:
        raise RuntimeError(f"文件名的数字排序不对：{'、'.join(files)}")
    if sys.platform.startswith("linux") and not QStringEncoder("GB18030").isValid():
        raise RuntimeError("Qt 没有 GB18030 编码（ICU 数据不全）")
    return "拼音排序、数字排序" + ("、GB18030" if sys.platform.startswith("linux") else "")


def _qt_chinese() -> str:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from hallclient.ui.app import install_qt_translations

    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_qt_translations(app)
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    texts = [box.button(b).text() for b in (QMessageBox.StandardButton.Ok, QMessageBox.StandardButton.Cancel)]
    box.deleteLater()
    if texts != ["确定", "取消"]:
        raise RuntimeError(f"标准按钮是 {texts}，不是 确定/取消（Qt 的中文翻译没有载入）")
    return "确定/取消"
