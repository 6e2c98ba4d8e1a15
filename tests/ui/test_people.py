"""People at the window: the first administrator, sign-in, the idle lock, unlocking, switching
users, who sees the audit view, and refusals shown with the role that may act."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from hallclient.services import accounts, audit
from hallclient.services.changes import Changes
from hallclient.store.models import AuditRow
from hallclient.ui.change_hub import ChangeHub
from hallclient.ui.main_window import MainWindow
from hallclient.ui.signin_dialog import FirstAdminDialog, SignInDialog
from hallclient.ui.tasks import TaskRunner
from hallclient.workspace import Workspace
from tests.ui.conftest import PASSWORD, sign_in
from tests.ui.window_steps import accept_with_form_received, open_intake

AUDIT = AuditRow.__table__


def kinds(workspace: Workspace) -> list[tuple[str, str]]:
    with workspace.store.session() as session:
        return [(r.kind, r.actor) for r in session.execute(select(AUDIT).order_by(AUDIT.c.seq))]


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait_idle()


def make_window(qtbot: QtBot, workspace: Workspace, login: str) -> MainWindow:
    win = MainWindow(workspace, sign_in(workspace, login))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    with qtbot.waitSignal(win.catalog.index_ready, timeout=10000):
        win.start()
    return win


@pytest.fixture
def clerk_window(qtbot: QtBot, people_workspace: Workspace) -> Iterator[MainWindow]:
    win = make_window(qtbot, people_workspace, "lisi")
    yield win
    win.tasks.wait_idle()


# -- the first administrator and signing in ---------------------------------------------------------


def test_first_admin_dialog_creates_the_administrator(qtbot: QtBot, data_dir: Path, tasks: TaskRunner) -> None:
    workspace = Workspace(data_dir)
    try:
        assert accounts.needs_first_admin(workspace.services)
        dialog = FirstAdminDialog(workspace.services, tasks)
        qtbot.addWidget(dialog)
        dialog.login_edit.setText("admin")
        dialog.name_edit.setText("管理员")
        dialog.password_edit.setText(PASSWORD)
        dialog.again_edit.setText(PASSWORD + "x")
        dialog.submit()
        assert dialog.error_label.text() == "两次输入的密码不一致" and dialog.created is None
        dialog.again_edit.setText(PASSWORD)
        dialog.login_edit.setText("Bad Login")
        dialog.submit()
        qtbot.waitUntil(lambda: "登录名须为" in dialog.error_label.text(), timeout=5000)
        dialog.login_edit.setText("admin")
        with qtbot.waitSignal(dialog.accepted, timeout=5000):
            dialog.submit()
        assert dialog.created is not None and dialog.created.roles == (accounts.Role.ADMIN,)
        assert not accounts.needs_first_admin(workspace.services)
        assert workspace.settings.last_login == "admin"
    finally:
        tasks.wait_idle()
        workspace.close()


def test_sign_in_prefills_the_last_login_and_enter_signs_in(qtbot: QtBot, people_workspace: Workspace,
                                                          tasks: TaskRunner) -> None:
    people_workspace.settings.last_login = "lisi"
    dialog = SignInDialog(people_workspace.services, tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.login_edit.text() == "lisi" and dialog.password_edit.text() == ""
    dialog.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.signed is not None and dialog.signed.actor.name == "李四" and not dialog.signed.offline
    assert ("sign_in", "lisi") in kinds(people_workspace)


def test_wrong_passwords_are_told_then_sign_in_locks(qtbot: QtBot, people_workspace: Workspace,
                                                    tasks: TaskRunner) -> None:
    dialog = SignInDialog(people_workspace.services, tasks)
    qtbot.addWidget(dialog)
    dialog.login_edit.setText("lisi")
    dialog.password_edit.setText("wrong-password-1")
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    assert dialog.error_label.text() == "用户名或密码错误（还可尝试 4 次）"
    assert dialog.password_edit.text() == "" and dialog.signed is None
    for _ in range(4):
        dialog.password_edit.setText("wrong-password-1")
        dialog.submit()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    assert dialog.error_label.text().startswith("密码连续错误 5 次，登录已锁定至")
    dialog.password_edit.setText(PASSWORD)  # even the right password waits now
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    assert dialog.error_label.text().startswith("登录已锁定至") and dialog.signed is None


# -- the signed-in window -----------------------------------------------------------------------------


def test_status_bar_names_the_person_and_role(clerk_window: MainWindow) -> None:
    assert clerk_window.status.clerk_label.text() == "登录：李四（窗口受理人员）"
    assert "李四" in clerk_window.windowTitle()


def test_idle_time_locks_the_window(qtbot: QtBot, clerk_window: MainWindow) -> None:
    win = clerk_window
    win.workspace.settings.idle_lock_minutes = 0.002  # type: ignore[assignment]  # 120 ms
    win.session.apply_settings()
    qtbot.waitUntil(lambda: win.session.locked, timeout=5000)
    screen = win.session.lock_screen
    assert screen.isVisible() and screen.geometry() == win.rect()
    assert not win.centralWidget().isEnabled() and not win.menuBar().isEnabled()
    assert screen.title.text() == "无操作已自动锁屏" and screen.login_edit.text() == "lisi"
    win.tasks.wait_idle()
    qtbot.waitUntil(lambda: ("lock", "lisi") in kinds(win.workspace), timeout=5000)


def test_locking_hides_the_case_documents_and_the_same_person_unlocks(qtbot: QtBot,
                                                                       clerk_window: MainWindow) -> None:
    win = clerk_window
    open_intake(win, qtbot)
    accept_with_form_received(win, qtbot, "韩梅梅")
    qtbot.waitUntil(lambda: win.documents_dialog is not None and win.documents_dialog.isVisible(), timeout=5000)
    qtbot.keyClick(win.ui.searchEdit, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # Ctrl+L
    assert win.session.locked and not win.documents_dialog.isVisible()  # type: ignore[union-attr]
    screen = win.session.lock_screen
    screen.password_edit.setText("not-the-password-1")
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: screen.unlock_button.isEnabled(), timeout=5000)
    assert screen.error_label.text() == "用户名或密码错误（还可尝试 4 次）" and win.session.locked
    screen.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(win.session.locked_changed, timeout=5000):
        qtbot.keyClick(screen.password_edit, Qt.Key.Key_Return)
    assert not win.session.locked and not screen.isVisible() and win.centralWidget().isEnabled()
    assert win.documents_dialog.isVisible()  # type: ignore[union-attr]  # the same clerk: back as it was
    assert win.session.actor.login == "lisi"
    assert ("unlock", "lisi") in kinds(win.workspace)


def test_another_person_unlocking_is_a_switch_of_user(qtbot: QtBot, clerk_window: MainWindow) -> None:
    win = clerk_window
    open_intake(win, qtbot)
    win.intake.ui.nameEdit.setText("韩梅梅")  # an intake in progress: not the next clerk's
    win.session.lock()
    screen = win.session.lock_screen
    screen.login_edit.setText("wangfang")
    screen.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(win.session.actor_changed, timeout=5000):
        screen.unlock_button.click()
    assert win.session.actor.login == "wangfang" and not win.session.locked
    assert win.intake.intake is None and win.intake.ui.nameEdit.text() == ""
    assert win.status.clerk_label.text() == "登录：王芳（窗口受理人员）"
    assert ("switch_user", "wangfang") in kinds(win.workspace)


def test_switch_user_at_a_shift_change(qtbot: QtBot, clerk_window: MainWindow) -> None:
    win = clerk_window
    assert win.ui.actionSwitchUser.shortcut().toString() == "Ctrl+Shift+L"
    win.ui.actionSwitchUser.trigger()
    dialog = win.switch_dialog
    assert isinstance(dialog, SignInDialog) and dialog.login_edit.text() == ""
    dialog.login_edit.setText("wangfang")
    dialog.password_edit.setText(PASSWORD)
    with qtbot.waitSignal(win.session.actor_changed, timeout=5000):
        dialog.submit()
    assert win.session.actor.name == "王芳"
    with win.workspace.store.session() as session:
        last = list(session.execute(select(AUDIT).order_by(AUDIT.c.seq.desc()).limit(2)))
    assert [(r.kind, r.actor) for r in last] == [("sign_out", "lisi"), ("switch_user", "wangfang")]


def test_closing_the_window_signs_out(qtbot: QtBot, people_workspace: Workspace) -> None:
    win = make_window(qtbot, people_workspace, "lisi")
    win.close()
    assert kinds(people_workspace)[-1] == ("sign_out", "lisi")


# -- roles ----------------------------------------------------------------------------------------------


def test_clerk_has_no_audit_view(clerk_window: MainWindow) -> None:
    tabs = [clerk_window.ui.mainTabs.tabText(i) for i in range(clerk_window.ui.mainTabs.count())]
    assert "审计日志" not in tabs and clerk_window.audit_panel is None


def test_supervisor_reads_filters_and_verifies_the_audit(qtbot: QtBot, people_workspace: Workspace) -> None:
    win = make_window(qtbot, people_workspace, "zhaoyun")
    panel = win.audit_panel
    assert panel is not None
    win.ui.mainTabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.table.rowCount() > 0, timeout=5000)
    headers = [panel.table.horizontalHeaderItem(c).text() for c in range(panel.table.columnCount())]
    assert headers == ["时间", "人员", "角色", "窗口", "内容", "办件"]
    assert panel.table.item(0, 1).text() == "zhaoyun" and panel.table.item(0, 4).text() == "登录"
    assert panel.table.item(0, 2).text() == "大厅管理人员"
    panel.person_edit.setText("admin")
    panel.kind_combo.setCurrentIndex(panel.kind_combo.findText("新增账号"))
    panel.refresh()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 4, timeout=5000)
    assert {panel.table.item(r, 4).text() for r in range(4)} == {
        "新增账号：账号 admin", "新增账号：账号 lisi", "新增账号：账号 wangfang", "新增账号：账号 zhaoyun"}
    panel.verify()
    qtbot.waitUntil(lambda: panel.verify_label.text().startswith("完整"), timeout=5000)
    assert panel.verify_label.text() == f"完整（{panel.last_report.checked} 条）"
    with people_workspace.store.session() as session, session.begin():  # someone edits a record
        session.execute(update(AUDIT).where(AUDIT.c.seq == 3).values(actor="nobody"))
    panel.verify()
    qtbot.waitUntil(lambda: panel.verify_label.text().startswith("不完整"), timeout=5000)
    assert panel.verify_label.text() == "不完整：第 3 条记录被修改（校验值不符）"
    win.tasks.wait_idle()


def test_supervisor_confirming_an_intake_is_refused_with_the_role_named(qtbot: QtBot,
                                                                         people_workspace: Workspace) -> None:
    win = make_window(qtbot, people_workspace, "zhaoyun")
    open_intake(win, qtbot)
    intake = win.intake
    intake.ui.nameEdit.setText("韩梅梅")
    intake.ui.idNumberEdit.setText("11010519491231002X")
    intake.ui.phoneEdit.setText("13812345678")
    from hallclient.core.checklist import MaterialStatus

    intake.mark_row(0, MaterialStatus.RECEIVED, original=True)
    intake.confirm()
    qtbot.waitUntil(lambda: intake.last_error is not None, timeout=5000)
    assert intake.last_error == "不能受理办件：需要窗口受理人员权限"
    assert intake.intake is not None  # the ticks are kept
    win.tasks.wait_idle()


def test_clerk_importing_the_catalog_is_refused(qtbot: QtBot, clerk_window: MainWindow, catalog_file: Path) -> None:
    clerk_window.catalog_files.import_path(catalog_file)
    qtbot.waitUntil(lambda: clerk_window.catalog_files.last_error is not None, timeout=5000)
    assert "不能维护事项清单：需要系统管理员权限" in clerk_window.catalog_files.last_error  # type: ignore[operator]


def test_window_settings_need_an_administrator_for_hall_settings(people_workspace: Workspace) -> None:
    from hallclient.core.permissions import PermissionDenied
    from hallclient.services import settings as settings_service
    from hallclient.settings import Settings

    ctx = people_workspace.services
    clerk, admin = sign_in(people_workspace, "lisi").actor, sign_in(people_workspace, "admin").actor
    with pytest.raises(PermissionDenied, match="不能修改大厅设置：需要系统管理员权限"):
        settings_service.update_settings(ctx, clerk, {"authority": "别的机关"})
    assert ctx.settings.authority != "别的机关"
    done = settings_service.update_settings(ctx, clerk, {"idle_lock_minutes": 10, "authority": ctx.settings.authority})
    assert done.value == ["idle_lock_minutes"]
    done = settings_service.update_settings(ctx, admin, {"authority": "别的机关", "central_token": "secret-token"})
    assert done.value == ["authority", "central_token"] and done.changes.settings and done.changes.outbox
    assert Settings.load(people_workspace.data_dir).authority == "别的机关"
    records = audit.list_records(ctx, admin, audit.AuditFilter(kind="settings_changed")).value
    assert [r["actor"] for r in records] == ["admin", "lisi"]
    assert "secret-token" not in str(records[0]["detail"])


# -- the change hub -----------------------------------------------------------------------------------------


def test_change_hub_coalesces_notices_and_nudges_a_push(qtbot: QtBot) -> None:
    hub = ChangeHub(coalesce_ms=20, push_delay_ms=30)
    seen: list[Changes] = []
    pushes: list[int] = []
    hub.subscribe(lambda changes, _sources: seen.append(changes))
    hub.set_push(lambda: pushes.append(1) is None and len(pushes) > 1)  # busy the first time
    hub.notify(Changes(cases=True, case_uuids={"a"}))
    hub.notify(Changes(audit=True, outbox=True))
    hub.notify(Changes())  # nothing changed: no notice
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=2000)
    assert seen[0].cases and seen[0].audit and seen[0].case_uuids == {"a"}
    qtbot.waitUntil(lambda: len(pushes) == 2, timeout=2000)  # retried after a busy round
    qtbot.wait(100)
    assert len(seen) == 1 and len(pushes) == 2


def test_a_new_case_refreshes_the_cases_list_through_the_hub(qtbot: QtBot, clerk_window: MainWindow) -> None:
    win = clerk_window
    before = win.hub.emitted
    open_intake(win, qtbot)
    accept_with_form_received(win, qtbot, "李雷")
    qtbot.waitUntil(lambda: win.cases.model.rowCount() == 1, timeout=5000)
    assert win.hub.emitted > before
    # The outbox nudge runs a (standalone) round that recounts the records waiting.
    # Standalone says one thing (单机运行); the count is in its tooltip.
    qtbot.waitUntil(lambda: "条记录" in win.status.sync_label.toolTip(), timeout=8000)
    assert win.status.sync_label.text() == "单机运行"


def test_an_offline_sign_in_is_shown_in_the_status_bar(qtbot: QtBot, people_workspace: Workspace) -> None:
    actor = sign_in(people_workspace, "lisi").actor
    win = MainWindow(people_workspace, accounts.SignedIn(actor, offline=True))
    qtbot.addWidget(win)
    assert win.status.clerk_label.text() == "登录：李四（窗口受理人员），离线登录"
    win.tasks.wait_idle()


def test_start_up_asks_for_the_first_administrator_then_signs_in(qtbot: QtBot, data_dir: Path,
                                                                 tasks: TaskRunner, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from hallclient.ui.app import sign_in_at_start

    shown: list[str] = []

    def first_exec(dialog: FirstAdminDialog) -> int:
        shown.append("first")
        dialog.login_edit.setText("admin")
        dialog.password_edit.setText(PASSWORD)
        dialog.again_edit.setText(PASSWORD)
        dialog.submit()
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)
        return dialog.result()

    def sign_in_exec(dialog: SignInDialog) -> int:
        shown.append(f"sign-in:{dialog.login_edit.text()}")
        dialog.password_edit.setText(PASSWORD)
        dialog.submit()
        qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)
        return dialog.result()

    monkeypatch.setattr(FirstAdminDialog, "exec", first_exec)
    monkeypatch.setattr(SignInDialog, "exec", sign_in_exec)
    workspace = Workspace(data_dir)
    try:
        signed = sign_in_at_start(workspace.services, tasks)
        assert shown == ["first", "sign-in:admin"]  # the new login is pre-filled
        assert signed is not None and signed.actor.login == "admin"
        shown.clear()
        assert sign_in_at_start(workspace.services, tasks) is not None
        assert shown == ["sign-in:admin"]  # an account exists: straight to sign-in
    finally:
        tasks.wait_idle()
        workspace.close()
