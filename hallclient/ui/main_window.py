"""The main window: composes the panels for the signed-in person; each panel owns its own
behaviour. Every write goes through a service on the task runner; what it changed reaches the
panels through the change hub (no hand-wired refresh signals here).

Start-up (issue 16): the window is usable once the catalog is searchable. What the first screen
does not need is imported or built later: the cases service and the documents (reportlab, qrcode),
the sync client (requests), the statistics tab (QtCharts), the announcer's audio (QtMultimedia,
QtTextToSpeech) and the first sync round start after the catalog is ready (`_after_ready`), and
a network-pool job imports the rest so the first confirmation or print does not wait for it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QDockWidget, QMainWindow, QMessageBox, QWidget

from hallclient.core.catalog import Bundle, ServiceItem
from hallclient.core.intake import Intake, IntakeNotAllowed
from hallclient.core.permissions import Action, Actor, allowed
from hallclient.services import catalog as catalog_service
from hallclient.services import settings as settings_service
from hallclient.services.accounts import SignedIn
from hallclient.services.changes import Changes
from hallclient.ui import approval_wiring, rating_wiring
from hallclient.ui.cases_panel import CasesPanel
from hallclient.ui.catalog_io import CatalogFileActions
from hallclient.ui.catalog_panel import CatalogPanel
from hallclient.ui.change_hub import ChangeHub
from hallclient.ui.forms.ui_main_window import Ui_MainWindow
from hallclient.ui.intake_panel import IntakePanel
from hallclient.ui.messages import warn
from hallclient.ui.session import SessionController
from hallclient.ui.status_bar import WindowStatus
from hallclient.ui.sync_controller import SyncController
from hallclient.ui.tasks import TaskRunner
from hallclient.workspace import Workspace


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace, signed: SignedIn, tasks: TaskRunner | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.ctx = workspace.services
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.tasks = tasks or TaskRunner(self)
        # A sync round fetches on the network pool and writes on the database worker.
        workspace.store.write_executor = self.tasks.call_db
        self.hub = ChangeHub(self)
        self.tasks.hub = self.hub
        # Watching the application's input waits for `_after_ready` (see SessionController.watch_input).
        self.session = SessionController(self, self.ctx, self.tasks, signed, watch_now=False)
        self.session.actor_changed.connect(self._actor_changed)
        self.status = WindowStatus(self.ui.statusbar)
        self.tasks.busy_changed.connect(self.status.set_busy)
        self.catalog = CatalogPanel(self.ui, self.tasks, self.ctx)
        self.catalog.failed.connect(self.show_error)
        self.catalog.index_ready.connect(self._catalog_ready)
        self.intake = IntakePanel(self.ctx, self.tasks, self.current_actor)
        self.ui.mainTabs.addTab(self.intake, "受理")
        self.intake.message.connect(lambda text: self.status.message(text))
        self.intake.case_created.connect(self._case_created)
        self.cases = CasesPanel(self.ctx, self.tasks, self.current_actor)
        self.ui.mainTabs.addTab(self.cases, "办件")
        self.audit_panel: QWidget | None = None
        self._show_audit_tab()
        self.cases.failed.connect(self.show_error)
        self.cases.reintake_requested.connect(self.start_reintake)
        self.catalog.intake_requested.connect(self.start_item_intake)
        self.catalog.bundle_intake_requested.connect(self.start_bundle_intake)
        self.documents_dialog: QDialog | None = None
        self.switch_dialog: QDialog | None = None
        self.last_error: str | None = None
        self._ready = False  # the catalog is searchable and the deferred start-up work has begun
        self._closed = False
        self._build_queue_dock()
        rating_wiring.install(self)  # 好差评 pad when a service ends, 登记投诉, supervision tabs
        approval_wiring.install(self)  # 审批 / 预审 tabs; pre-review numbers typed or scanned at the intake
        self.sync = SyncController(workspace.store, self.tasks, workspace.settings, self)
        self.sync.report_ready.connect(self._sync_reported)
        self.sync.progress.connect(self.status.set_sync_progress)
        # What a sync round brought in is announced like any other change.
        self.sync.catalog_changed.connect(lambda: self.hub.notify(Changes(catalog=True), self.sync))
        self.sync.calendar_changed.connect(lambda: self.hub.notify(Changes(calendar=True), self.sync))
        self.catalog_files = CatalogFileActions(self, self.tasks, self.ctx, self.current_actor)
        for view in (self.catalog, self.cases, self.intake):
            self.hub.subscribe(view.on_changes)
        self.hub.subscribe(self._on_changes)
        # Records put in the outbox are pushed within seconds (a standalone window recounts them).
        self.hub.set_push(lambda: self.sync.sync_now(force=False))
        self._wire_actions()
        self._refresh_window_identity()
        self.ui.itemTitle.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.ui.searchEdit.setStyleSheet("font-size: 13pt; padding: 4px;")
        self.ui.catalogSplitter.setSizes([260, 1100])
        self.ui.searchEdit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build_queue_dock(self) -> None:
        """The queue panel, docked on the right; F1–F7 work from every tab."""
        from hallclient.ui.queue_panel import QueuePanel, queue_client_factory

        settings = self.workspace.settings
        # The voice (a TTS engine or the clips, QtMultimedia) is made once the catalog is ready,
        # or at the first call before that.
        self.announcer = DeferredAnnouncer(self._make_announcer)
        # The first poll waits for the catalog too (`_after_ready`): the catalog loads first.
        self.queue = QueuePanel(self.tasks, settings, self.workspace.store, self.announcer,  # type: ignore[arg-type]
                                queue_client_factory(settings), actor=self.current_actor, refresh_now=False)
        self.queue.install_shortcuts(self)
        self.queue.message.connect(lambda text: self.status.message(text))
        self.queue.service_started.connect(self.start_ticket_intake)
        self.queue.walkin_issued.connect(self._print_walkin_slip)
        self.queue_dock = QDockWidget("排队叫号", self)
        self.queue_dock.setObjectName("queueDock")
        self.queue_dock.setWidget(self.queue)
        # Narrow enough that the intake's 12-row checklist keeps its columns at 1366×768.
        self.queue.setMaximumWidth(290)
        self.queue_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                    | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                                    | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.queue_dock)
        self.ui.menuSettings.addAction(self.queue_dock.toggleViewAction())
        from hallclient.ui.diagnostics_action import add_diagnostics_action

        add_diagnostics_action(self.ui.menuHelp, self, self.tasks, self.workspace.data_dir,
                               lambda text: self.status.message(text))

    def _make_announcer(self) -> Any:
        import os

        from hallclient.ui.announcement_sinks import AnnouncerConfig, make_sink
        from hallclient.ui.announcer import Announcer

        settings = self.workspace.settings
        # HALLCLIENT_TTS_ENGINE picks a Qt speech engine by name (tests use "mock": speechd with
        # no audio device can hang).
        config = AnnouncerConfig(sink=settings.announcement_sink,  # type: ignore[arg-type]
                                 tts_engine=os.environ.get("HALLCLIENT_TTS_ENGINE") or None)
        return Announcer(make_sink(config, self), parent=self)

    def _print_walkin_slip(self, ticket: object) -> None:
        """A walk-in number issued here (offline) gets its slip at once."""
        from hallclient.ui.walkin_slip import print_walkin_slip

        ahead = max(0, self.queue.state.walkins)  # those already waiting for this window's own calls
        _printed, text = print_walkin_slip(self, ticket, ahead, self.workspace.settings.window_number)
        self.status.message(text, 10000)

    def start_ticket_intake(self, ticket: object) -> None:
        """Service started on a ticket: the catalog filtered to its category, the ticket kept for
        the case so waiting time, service time and the decision can be linked."""
        number = getattr(ticket, "number", None)
        # Nothing of the last applicant is left where it could be used for the next one.
        if self.intake.dirty:
            self.status.message("上一位申请人未确认的受理已放弃", 8000)
        self.intake.discard()
        self.ui.searchEdit.clear()
        from hallclient.ui.item_detail import show_item

        self.catalog.current = None
        show_item(self.ui, self.catalog.materials, None)
        self.intake.ticket_number = number
        category = getattr(ticket, "category", "") or ""
        self.catalog.set_category(category)
        self.ui.mainTabs.setCurrentWidget(self.ui.catalogTab)
        self.catalog.focus_search()
        self.status.message(f"开始为 {number} 号（{category}）办理：请选择事项后按 Enter", 15000)

    def _wire_actions(self) -> None:
        ui = self.ui
        ui.actionFocusSearch.triggered.connect(self._focus_search)
        ui.actionStartIntake.triggered.connect(self.catalog.request_intake)
        ui.actionIntakeByCode.triggered.connect(self._intake_by_code)
        ui.actionPrintCase.triggered.connect(self._print_selected_case)
        ui.actionSyncNow.triggered.connect(self._sync_now)
        # F9 works while a document preview is the active window, too.
        ui.actionSyncNow.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        ui.actionImportCatalog.triggered.connect(self.catalog_files.import_file)
        ui.actionExportCatalog.triggered.connect(self.catalog_files.export_file)
        ui.actionWindowSettings.triggered.connect(self._edit_settings)
        ui.actionShortcuts.triggered.connect(self.show_shortcuts)
        ui.actionShortcuts.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        ui.actionAbout.triggered.connect(
            lambda: QMessageBox.about(self, "关于", "hallclient —— 政务服务大厅综合窗口客户端")
        )
        ui.actionQuit.triggered.connect(self.close)
        ui.actionLock.triggered.connect(lambda: self.session.lock(idle=False))
        ui.actionSwitchUser.triggered.connect(self.switch_user)
        for action in (ui.actionLock, ui.actionSwitchUser):
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)

    def show_shortcuts(self) -> QDialog:
        from hallclient.ui.shortcuts_help import show_shortcuts

        self.shortcuts_dialog = show_shortcuts(self)
        return self.shortcuts_dialog

    def start(self) -> None:
        """Seed an empty database and build the search index, off the GUI thread."""
        workspace = self.workspace
        self.status.message("正在载入事项清单…", 0)
        self.tasks.run_db(workspace.seed_if_empty, self._seeded)
        # A catalog that fails to load must not keep the queue and sync waiting.
        QTimer.singleShot(10_000, self, self._begin_deferred)

    def _sync_now(self) -> None:
        if not self.workspace.settings.central_url.strip():
            self.status.message("单机运行：未配置中心服务地址（设置 → 窗口设置）")
        elif not self.sync.sync_now(force=True):
            self.status.message("同步正在进行中")
        else:
            self.status.message("正在与中心服务同步…", 0)

    def _sync_reported(self, report: object) -> None:
        from hallclient.services.sync_ops import last_good_sync

        store = self.workspace.store
        self.tasks.run_db(lambda: last_good_sync(store),
                          lambda when: self.status.set_sync(report, None if isinstance(when, BaseException) else when))
        error = getattr(report, "error", None)
        if not getattr(report, "standalone", False):  # never 同步完成 without a central
            self.status.message(f"同步未完成：{error}" if error else "同步完成", 10000)
        warnings = getattr(report, "warnings", [])
        if warnings:
            warn(self, "中心服务提示", "\n".join(warnings))  # not modal: the clerk keeps serving

    def _seeded(self, result: object) -> None:
        if isinstance(result, BaseException):
            self.show_error(f"载入内置事项清单失败：{result}")
        self.catalog.reload()

    def _catalog_ready(self, count: int) -> None:
        ctx = self.ctx
        self.tasks.run_db(lambda: catalog_service.read_header(ctx), lambda h: self.status.set_catalog(None if isinstance(h, BaseException) else h, count))
        self.status.message("事项清单已就绪", 3000)
        self._begin_deferred()

    def _begin_deferred(self) -> None:
        """Once: the start-up work that waited for the catalog (or for the fallback timer)."""
        if self._ready:
            return
        self._ready = True
        # After this signal has been handled and the window painted: the search box answers first.
        QTimer.singleShot(0, self, self._after_ready)

    def _after_ready(self) -> None:
        if self._closed:
            return
        self.session.watch_input()
        self.sync.sync_now(force=False)  # a standalone window only counts its outbox
        self.queue.refresh()
        self.tasks.run_net(warm_imports)
        # The voice last: a speech engine may take a moment to answer; a call before this makes it.
        QTimer.singleShot(500, self, self.announcer.get)

    # -- intake ------------------------------------------------------------------------------
    def start_item_intake(self, item: ServiceItem) -> None:
        self._start_intake(lambda: Intake((item,)))

    def start_bundle_intake(self, bundle: Bundle) -> None:
        ctx = self.ctx
        self.tasks.run_db(lambda: catalog_service.load_items(ctx, bundle.items), lambda items: self._start_intake(
            lambda: Intake(tuple(items), bundle=bundle)) if not isinstance(items, BaseException)
            else self.show_error(f"读取一件事失败：{items}"))

    def start_reintake(self, case: object) -> None:
        """A one-time-noticed applicant is back: a new intake pre-filled from the earlier case."""
        ctx = self.ctx
        codes = case.item_codes  # type: ignore[attr-defined]
        bundle_code = case.bundle_code  # type: ignore[attr-defined]

        def load():  # type: ignore[no-untyped-def]
            bundle = catalog_service.load_bundle(ctx, bundle_code) if bundle_code else None
            return catalog_service.load_items(ctx, codes), bundle

        def loaded(result: object) -> None:
            if isinstance(result, BaseException):
                self.show_error(f"读取事项失败：{result}")
                return
            items, bundle = result  # type: ignore[misc]
            if len(items) != len(codes):
                self.show_error("原办件的事项已不在事项清单中，请重新选择事项受理")
                return
            self._start_intake(lambda: Intake.again_after_notice(case, items, bundle))  # type: ignore[arg-type]

        self.tasks.run_db(load, loaded)

    def _intake_by_code(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        code, ok = QInputDialog.getText(self, "按编码受理", "事项编码：")
        if not ok or not code.strip():
            return
        ctx = self.ctx

        def load() -> ServiceItem | None:
            return catalog_service.load_item(ctx, code.strip())

        def loaded(item: object) -> None:
            if isinstance(item, BaseException) or item is None:
                self.show_error(f"事项清单中没有编码为 {code.strip()} 的事项")
            else:
                self.start_item_intake(item)  # type: ignore[arg-type]

        self.tasks.run_db(load, loaded)

    def _start_intake(self, make: object) -> None:
        try:
            intake = make()  # type: ignore[operator]
        except IntakeNotAllowed as error:
            self.show_error(str(error))
            return
        if approval_wiring.route_to_prereview(self, intake):
            return
        if self.intake.dirty and QMessageBox.question(
                self, "开始新的受理", "当前受理尚未确认，放弃并开始新的受理？") != QMessageBox.StandardButton.Yes:
            return
        self.intake.start(intake)
        self.ui.mainTabs.setCurrentWidget(self.intake)

    def _case_created(self, case: object) -> None:
        from hallclient.core.checklist import DECISION_LABELS

        self.status.message(f"已生成办件 {case.case_number}（{DECISION_LABELS[case.decision]}）", 20000)  # type: ignore[attr-defined]
        self.open_documents(case)  # the cases list refreshes through the change hub

    def open_documents(self, case: object, kind: str = "") -> None:
        """The case is already committed; now its documents, to preview and print (`kind`: the
        one to open at once, e.g. the decision that followed, when the case has it)."""
        from hallclient.services import cases as case_service
        from hallclient.ui.case_documents_dialog import CaseDocumentsDialog

        ctx, actor, case_uuid = self.ctx, self.current_actor(), case.uuid  # type: ignore[attr-defined]

        def load():  # type: ignore[no-untyped-def]
            return case_service.case_with_items(ctx, actor, case_uuid)

        def loaded(result: object) -> None:
            if isinstance(result, BaseException):
                self.show_error(f"读取办件失败：{result}")
                return
            fresh, items = result  # type: ignore[misc]
            self.documents_dialog = CaseDocumentsDialog(fresh, items, ctx, actor, self.tasks, self)
            self.documents_dialog.show()  # not modal: the queue and sync keys keep working
            approval_wiring.open_kind(self.documents_dialog, kind)

        self.tasks.run_db(load, loaded)

    def _print_selected_case(self) -> None:
        case = self.cases.selected_case()
        if case is None:
            self.status.message("请先在「办件」中选择办件")
            return
        self.open_documents(case)

    def _focus_search(self) -> None:
        self.ui.mainTabs.setCurrentWidget(self.ui.catalogTab)
        self.catalog.focus_search()

    def _edit_settings(self) -> None:
        actor = self.current_actor()
        from hallclient.ui.window_settings import edit_window_settings

        values = edit_window_settings(self, self.workspace.settings, actor, self.tasks)
        if values is None:
            return
        ctx = self.ctx
        self.tasks.run_op(lambda: settings_service.update_settings(ctx, actor, values), self._settings_saved)

    def _settings_saved(self, result: object) -> None:
        if isinstance(result, BaseException):
            self.show_error(f"设置未保存：{result}")
            return
        if result:
            self.status.message("设置已保存")
        changed = set(result or ())  # type: ignore[call-overload]
        if "printer_name" in changed:
            from hallclient.ui.print_service import set_preferred_printer

            set_preferred_printer(self.workspace.settings.printer_name)  # the next print goes there
        if "window_categories" in changed:
            self.queue.refresh()  # the waiting counts of the categories served now
        if {"central_url", "central_token", "central_ca_file"} & set(result or ()) \
                and self.workspace.settings.central_url.strip():  # type: ignore[arg-type]
            self.sync.sync_now(force=True)  # a new central or token is tried at once
            self.status.message("设置已保存：正在连接中心服务…", 0)

    def _on_changes(self, changes: Changes, _sources: frozenset) -> None:  # type: ignore[type-arg]
        if changes.settings:
            self._refresh_window_identity()
            self.sync.apply_settings()
            self.session.apply_settings()

    # -- who sits at the window ------------------------------------------------------------------
    def current_actor(self) -> Actor:
        return self.session.actor

    def switch_user(self) -> None:
        """切换用户 at a shift change: the next person signs in here."""
        from hallclient.ui.signin_dialog import SignInDialog

        if self.intake.dirty and QMessageBox.question(
                self, "切换用户", "当前受理尚未确认，交班将放弃本次受理。继续？") != QMessageBox.StandardButton.Yes:
            return
        dialog = SignInDialog(self.ctx, self.tasks, current=self.current_actor(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: dialog.signed and self.session.set_signed(dialog.signed))
        self.switch_dialog = dialog
        dialog.open()

    def _actor_changed(self, actor: Actor) -> None:
        self.intake.discard()
        if self.documents_dialog is not None:
            self.documents_dialog.close()
            self.documents_dialog = None
        self._show_audit_tab()
        rating_wiring.sync_tabs(self)
        approval_wiring.sync_tabs(self)
        self._refresh_window_identity()
        self.cases.refresh()
        self.status.message(f"已切换为 {actor.describe()}", 10000)

    def _show_audit_tab(self) -> None:
        """The audit view, for the roles that may read the audit (the service decides anyway)."""
        from hallclient.ui.dashboard_tab import sync_tab

        sync_tab(self)  # the 统计考核 tab, for those who may read figures (built when first shown)

        wanted = allowed(self.current_actor(), Action.AUDIT_READ)
        if wanted and self.audit_panel is None:
            from hallclient.ui.audit_panel import AuditPanel

            panel = AuditPanel(self.ctx, self.tasks, self.current_actor)
            self.hub.subscribe(panel.on_changes)
            self.ui.mainTabs.addTab(panel, "审计日志")
            self.audit_panel = panel
        elif not wanted and self.audit_panel is not None:
            self.hub.changed.disconnect(self.audit_panel.on_changes)
            self.ui.mainTabs.removeTab(self.ui.mainTabs.indexOf(self.audit_panel))
            self.audit_panel.deleteLater()
            self.audit_panel = None

    def _refresh_window_identity(self) -> None:
        settings = self.workspace.settings
        actor = self.current_actor()
        self.status.set_window(settings.window_number, actor.name)
        offline = "，离线登录" if self.session.offline else ""
        self.status.clerk_label.setText(f"登录：{actor.describe()}{offline}")
        self.status.clerk_label.setStyleSheet("color: #c62828;" if self.session.offline else "")
        self.setWindowTitle(f"综合窗口 {settings.window_number} 号 · {actor.name} · hallclient")

    def show_error(self, message: str) -> None:
        self.status.message(message, 15000)
        title = "没有权限" if message.startswith("不能") else "出错了"
        self.last_error = message
        warn(self, title, message)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        self.queue.shutdown()
        self.rating.close_all()  # an open pad records 未评价
        self.announcer.shutdown()
        self.session.sign_out()  # closing the window signs the person out (recorded)
        # Let queued database work finish: a case being written must land before we exit.
        self.tasks.wait_idle(15000)
        self.session.detach()
        super().closeEvent(event)


class DeferredAnnouncer:
    """The queue's `ui.announcer.Announcer`, made by `make` at the first announcement or when
    `get()` is called (the window calls it once the catalog is ready): its speech engine or audio
    device is not part of the start. Everything else is the real announcer's."""

    def __init__(self, make: Any) -> None:
        self._make = make
        self._real: Any = None

    def get(self) -> Any:
        if self._real is None:
            self._real = self._make()
        return self._real

    @property
    def made(self) -> bool:
        return self._real is not None

    def announce(self, text: str) -> None:
        self.get().announce(text)

    def shutdown(self) -> None:
        if self._real is not None:
            self._real.shutdown()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)


# Imported on the network pool once the catalog is ready, so the first confirmation, print or sync
# does not wait for them (pure Python: no Qt object is made off the GUI thread).
WARM_MODULES = (
    "hallclient.services.cases",  # the documents package with it: reportlab, qrcode
    "hallclient.documents",
    "hallclient.case_documents",
    "hallclient.services.sync_ops",  # requests, urllib3
    "hallclient.services.queue",
    "hallclient.services.stats",
    "hallclient.services.evaluation",
)


def warm_imports() -> list[str]:
    """Import WARM_MODULES; returns the ones that failed (logged, never raised: a missing extra
    shows itself when used)."""
    import importlib
    import logging

    failed = []
    for name in WARM_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # reported where it is used
            logging.getLogger(__name__).warning("warm-up import of %s failed", name, exc_info=True)
            failed.append(name)
    return failed
