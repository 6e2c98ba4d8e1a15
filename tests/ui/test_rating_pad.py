"""The rating pad as the applicant uses it: a service ends (a confirmed case without a ticket, or
F4 finishing a ticket), the pad opens, the applicant touches a level (and, for a 差评, reasons and
a phone on the keypad) and submits; nobody touching it records 未评价; a second rating of the same
service is refused with the reason on the pad; with a second screen the pad goes full-screen
there (checked under Xvfb with two screens, in a child process: this one is offscreen)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from hallclient.core.evaluation import Channel, Level, RectState
from hallclient.services import evaluation
from hallclient.ui import rating_pad
from hallclient.ui.main_window import MainWindow
from hallclient.workspace import Workspace
from tests.ui.conftest import sign_in
from tests.ui.window_steps import accept_with_form_received, open_intake

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(autouse=True)
def cjk_font(qapp: QApplication) -> None:
    from hallclient.ui.fonts import apply_ui_font

    apply_ui_font(qapp)  # as the app does: the screenshots show real Chinese glyphs


def open_window(qtbot: QtBot, workspace: Workspace, login: str = "lisi") -> MainWindow:
    win = MainWindow(workspace, sign_in(workspace, login))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    with qtbot.waitSignal(win.catalog.index_ready, timeout=10000):
        win.start()
    return win


@pytest.fixture
def window(qtbot: QtBot, people_workspace: Workspace):  # type: ignore[no-untyped-def]
    win = open_window(qtbot, people_workspace)
    yield win
    win.tasks.wait_idle()


def confirm_case(window: MainWindow, qtbot: QtBot, applicant: str = "张三"):  # type: ignore[no-untyped-def]
    """A case confirmed without a ticket; returns (case, the pad's host window)."""
    with qtbot.waitSignal(window.rating.opened, timeout=5000) as opened:
        open_intake(window, qtbot)
        case = accept_with_form_received(window, qtbot, applicant)
    return case, opened.args[0]


def touch(qtbot: QtBot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def shoot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    for _ in range(3):  # layouts settle and replaced widgets go before the picture is taken
        QApplication.processEvents()
    widget.grab().save(str(SHOTS / name))


def test_confirming_a_case_opens_the_pad_and_clicks_record_the_rating(window: MainWindow, qtbot: QtBot) -> None:
    case, host = confirm_case(window, qtbot)
    pad = host.pad
    assert host.isVisible() and not host.isModal()
    assert QApplication.activeModalWidget() is None  # the clerk's window is not blocked
    # five alike buttons in the usual order, none chosen, none focused
    assert [b.text() for b in pad.level_buttons.values()] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert {b.styleSheet() for b in pad.level_buttons.values()} == {""}
    assert not any(b.isCheckable() or b.hasFocus() for b in pad.level_buttons.values())
    shoot(host, "rating_pad_levels.png")
    touch(qtbot, pad.level_buttons[Level.SATISFIED])
    assert pad.stack.currentIndex() == 2  # straight to the optional indicators
    touch(qtbot, pad.indicator_buttons["attitude"][Level.VERY_SATISFIED])
    touch(qtbot, pad.indicator_buttons["efficiency"][Level.BASIC])
    touch(qtbot, pad.indicator_buttons["efficiency"][Level.SATISFIED])  # changed their mind: one per indicator
    pad.comment_edit.setPlainText("讲解耐心")
    shoot(host, "rating_pad_details.png")
    with qtbot.waitSignal(window.rating.recorded, timeout=5000) as recorded:
        touch(qtbot, pad.submit_button)
    rating = recorded.args[0]
    assert rating.case_number == case.case_number and rating.level is Level.SATISFIED
    assert rating.channel is Channel.WINDOW  # one screen: the clerk turned the dialog around
    assert dict(rating.indicators) == {"attitude": Level.VERY_SATISFIED, "efficiency": Level.SATISFIED}
    assert rating.comment == "讲解耐心" and rating.clerk_login == "lisi"
    qtbot.waitUntil(lambda: pad.stack.currentIndex() == 3)
    assert pad.result_label.text() == "感谢您的评价！"


def test_a_bad_rating_takes_reasons_and_a_phone_from_the_keypad(window: MainWindow, qtbot: QtBot,
                                                                people_workspace: Workspace) -> None:
    _case, host = confirm_case(window, qtbot)
    pad = host.pad
    touch(qtbot, pad.level_buttons[Level.UNSATISFIED])
    assert pad.stack.currentIndex() == 1 and not pad.next_button.isEnabled()  # a reason first
    assert [b.text() for b in pad.reason_buttons.values()] == list(evaluation.bad_reasons(people_workspace.services))
    touch(qtbot, pad.reason_buttons["等候时间长"])
    for digit in "13912345678":
        touch(qtbot, next(b for b in pad.findChildren(type(pad.next_button)) if b.text() == digit))
    assert pad.phone_edit.text() == "13912345678"
    shoot(host, "rating_pad_bad.png")
    touch(qtbot, pad.next_button)
    with qtbot.waitSignal(window.rating.recorded, timeout=5000) as recorded:
        touch(qtbot, pad.submit_button)
    assert recorded.args[0].reasons == ("等候时间长",)
    supervisor = sign_in(people_workspace, "zhaoyun").actor
    [task] = evaluation.rectifications(people_workspace.services, supervisor)
    assert task.state is RectState.OPEN and task.real_name and task.clerk_login == "lisi"


def test_a_wrong_phone_is_told_on_the_pad_and_nothing_is_sent(window: MainWindow, qtbot: QtBot) -> None:
    _case, host = confirm_case(window, qtbot)
    pad = host.pad
    touch(qtbot, pad.level_buttons[Level.VERY_UNSATISFIED])
    touch(qtbot, pad.reason_buttons["服务态度差"])
    pad.phone_edit.setText("1391234")
    touch(qtbot, pad.next_button)
    touch(qtbot, pad.submit_button)
    assert pad.stack.currentIndex() == 1 and "11位" in pad.bad_hint.text() and not pad.done


def test_nobody_rating_in_time_records_unrated(window: MainWindow, qtbot: QtBot,
                                               people_workspace: Workspace) -> None:
    people_workspace.settings.rating_pad_timeout_seconds = 1
    queue = window.queue
    queue.issue_walkin()
    qtbot.waitUntil(lambda: not queue.busy and window.queue.state.walkins == 1, timeout=5000)
    queue.call_next()
    qtbot.waitUntil(lambda: not queue.busy and queue.current_ticket is not None, timeout=5000)
    number = queue.current_ticket.number  # type: ignore[union-attr]
    queue.toggle_service()
    qtbot.waitUntil(lambda: not queue.busy and queue.current_ticket.state == "serving", timeout=5000)  # type: ignore[union-attr]
    with qtbot.waitSignal(window.rating.opened, timeout=5000) as opened:
        queue.toggle_service()  # F4 finishes the service: the pad opens by itself
    host = opened.args[0]
    assert host.pad.countdown.text() == "1 秒后自动关闭"
    with qtbot.waitSignal(window.rating.recorded, timeout=5000) as recorded:
        pass
    rating = recorded.args[0]
    assert rating.level is None and rating.label == "未评价" and rating.ticket_number == number
    qtbot.waitUntil(lambda: not host.isVisible(), timeout=3000)
    [(mine, _rect)] = evaluation.my_ratings(window.ctx, window.current_actor())
    assert mine.label == "未评价"


def test_a_case_served_on_a_ticket_is_rated_when_f4_finishes_it(window: MainWindow, qtbot: QtBot) -> None:
    window.intake.ticket_number = "A008"  # as F4 starting a ticket sets it
    open_intake(window, qtbot)
    case = accept_with_form_received(window, qtbot, "李雷")
    assert window.rating.host is None  # not yet: the applicant is still at the window
    from hallclient.sync.queue_client import QueueTicket

    with qtbot.waitSignal(window.rating.opened, timeout=5000):
        window.queue.service_finished.emit(QueueTicket(id="t8", number="A008", category="市场准入", state="done"))
    assert window.rating.current.case_number == case.case_number  # type: ignore[union-attr]


def test_a_second_rating_of_the_same_service_is_refused_with_the_reason(window: MainWindow, qtbot: QtBot,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rating_pad, "RESULT_SECONDS", 0)
    case, host = confirm_case(window, qtbot)
    touch(qtbot, host.pad.level_buttons[Level.VERY_SATISFIED])
    with qtbot.waitSignal(window.rating.recorded, timeout=5000):
        touch(qtbot, host.pad.submit_button)
    qtbot.waitUntil(lambda: window.rating.host is None, timeout=3000)
    with qtbot.waitSignal(window.rating.opened, timeout=5000) as opened:
        window.rating.request(window.current_actor(), case_number=case.case_number)
    again = opened.args[0].pad
    monkeypatch.setattr(rating_pad, "RESULT_SECONDS", 30)
    touch(qtbot, again.level_buttons[Level.SATISFIED])
    with qtbot.waitSignal(window.rating.refused, timeout=5000) as refused:
        touch(qtbot, again.submit_button)
    assert "已评价为「非常满意」" in refused.args[0] and "只能评价一次" in refused.args[0]
    assert again.stack.currentIndex() == 3 and "只能评价一次" in again.result_label.text()
    shoot(opened.args[0], "rating_pad_refused.png")
    [(rating, _)] = evaluation.my_ratings(window.ctx, window.current_actor())
    assert rating.level is Level.VERY_SATISFIED


def test_closing_the_pad_records_unrated_and_opens_the_next_waiting_service(window: MainWindow,
                                                                            qtbot: QtBot) -> None:
    actor = window.current_actor()
    with qtbot.waitSignal(window.rating.opened, timeout=5000):
        window.rating.request(actor, ticket_number="B001")
    window.rating.request(actor, ticket_number="B002")  # waits its turn
    assert window.rating.current.ticket_number == "B001"  # type: ignore[union-attr]
    with qtbot.waitSignals([window.rating.recorded, window.rating.opened], timeout=5000):
        window.rating.host.close()  # type: ignore[union-attr]
    assert window.rating.current.ticket_number == "B002"  # type: ignore[union-attr]
    [(rating, _)] = evaluation.my_ratings(window.ctx, actor)
    assert rating.ticket_number == "B001" and rating.level is None


# -- a second screen (Xvfb, xcb) ----------------------------------------------------------------

SECOND_SCREEN_SCRIPT = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
from hallclient.ui.fonts import apply_ui_font
apply_ui_font(app)
from hallclient.core.evaluation import Level
from hallclient.ui.rating_controller import RatingController
from hallclient.ui.tasks import TaskRunner
from hallclient.workspace import Workspace
from tests.ui.conftest import add_people, sign_in
data, shot = Path(sys.argv[1]), sys.argv[2]
ws = Workspace(data)
add_people(ws, ("admin", "lisi"))
actor = sign_in(ws, "lisi").actor
clerk = QMainWindow()
clerk.setScreen(app.screens()[0])
clerk.resize(800, 600)
clerk.show()
tasks = TaskRunner()
controller = RatingController(ws.services, tasks, clerk)
got = {}
controller.opened.connect(lambda host: got.setdefault("host", host))
controller.recorded.connect(lambda r: got.setdefault("rating", r))
controller.request(actor, ticket_number="A001")
host = got["host"]
for _ in range(50):
    app.processEvents(); time.sleep(0.02)
handle = host.windowHandle()
out = {"screens": [s.geometry().getRect() for s in app.screens()],
       "pad_screen": app.screens().index(handle.screen()), "clerk_screen": app.screens().index(clerk.screen()),
       "full_screen": host.isFullScreen(), "size": [host.width(), host.height()],
       "modal": host.isModal(), "modal_widget": app.activeModalWidget() is not None,
       "clerk_enabled": clerk.isEnabled()}
host.grab().save(shot)
QTest.mouseClick(host.pad.level_buttons[Level.BASIC], Qt.MouseButton.LeftButton)
QTest.mouseClick(host.pad.submit_button, Qt.MouseButton.LeftButton)
deadline = time.time() + 10
while "rating" not in got and time.time() < deadline:
    app.processEvents(); time.sleep(0.02)
out["channel"] = got["rating"].channel.value if "rating" in got else None
out["level"] = got["rating"].label if "rating" in got else None
tasks.wait_idle()
ws.close()
print("RESULT " + json.dumps(out))
"""


def _free_display() -> int:
    for n in range(97, 60, -1):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise RuntimeError("no free X display number")


def test_the_pad_goes_full_screen_on_the_second_screen(tmp_path: Path) -> None:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb): the two-screen case needs a real X server")
    display = _free_display()
    server = subprocess.Popen([xvfb, f":{display}", "-screen", "0", "1366x768x24", "-screen", "1", "1024x600x24",
                               "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while not Path(f"/tmp/.X11-unix/X{display}").exists():
            if server.poll() is not None or time.time() > deadline:
                pytest.skip("Xvfb did not start here")
            time.sleep(0.05)
        env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=f":{display}")
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / "rating_pad_second_screen.png"
        (tmp_path / "data").mkdir()
        run = subprocess.run([sys.executable, "-c", SECOND_SCREEN_SCRIPT, str(tmp_path / "data"), str(shot)],
                             env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
        if "could not connect to display" in run.stderr or "xcb" in run.stderr and run.returncode:
            pytest.skip(f"Qt's xcb platform does not start here: {run.stderr[-300:]}")
        assert run.returncode == 0, run.stderr[-2000:]
        result = json.loads(next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))[7:])
    finally:
        server.terminate()
        server.wait(10)
    assert len(result["screens"]) == 2
    assert result["clerk_screen"] == 0 and result["pad_screen"] == 1
    assert result["full_screen"] and result["size"] == [1024, 600]
    assert not result["modal"] and not result["modal_widget"] and result["clerk_enabled"]
    assert result["channel"] == "pad" and result["level"] == "基本满意"
