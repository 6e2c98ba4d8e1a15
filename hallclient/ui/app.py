"""Starting the GUI: the application, its fonts, the workspace, who signs in, the main window."""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(data_dir: Path | None, *, window: str | None = None, clerk: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from hallclient.logging_setup import setup_logging
    from hallclient.paths import default_data_dir
    from hallclient.services.maintenance import DB_FILENAME, backup_dir_for
    from hallclient.ui.backup_timer import BackupTimer
    from hallclient.ui.error_hook import install_error_hook
    from hallclient.ui.fonts import apply_ui_font
    from hallclient.ui.main_window import MainWindow
    from hallclient.ui.restore_dialog import open_workspace_or_restore
    from hallclient.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("hallclient")
    install_qt_translations(app)  # before any window: Qt's own dialogs in Chinese
    from PySide6.QtGui import QIcon

    from hallclient.paths import resource_path

    app.setWindowIcon(QIcon(str(resource_path("icons", "hallclient.png"))))
    apply_ui_font(app)  # type: ignore[arg-type]
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    from hallclient.ui.first_run_wizard import needs_first_run, run_first_run

    first_run = needs_first_run(data_dir)  # before anything writes a settings file
    install_error_hook(setup_logging(data_dir), data_dir / DB_FILENAME)
    # A damaged database offers its backups; an unwritable directory is a dialog, never a traceback.
    workspace = open_workspace_or_restore(data_dir)
    if workspace is None:
        return 1
    tasks = TaskRunner()
    if window:
        workspace.settings.window_number = window
        if not first_run:  # the wizard saves it with the rest
            workspace.save_settings()
    # `clerk` is no longer used: the clerk on a case is the person signed in.
    if first_run and not run_first_run(workspace.services, tasks):
        tasks.wait_idle()
        workspace.close()
        return 0
    from hallclient.ui.print_service import set_preferred_printer

    set_preferred_printer(workspace.settings.printer_name)
    signed = sign_in_at_start(workspace.services, tasks)
    if signed is None:
        tasks.wait_idle()
        workspace.close()
        return 0
    main = MainWindow(workspace, signed, tasks)
    main.showMaximized()  # everything is laid out to fit 1366×768
    main.start()
    s = workspace.settings
    backups = BackupTimer(workspace.store.path, backup_dir_for(workspace.data_dir, s.backup_dir),
                          s.backup_count, s.backup_interval_hours, main.status.message, main)
    backups.start()
    code = app.exec()
    backups.stop()
    workspace.close()
    return code


def install_qt_translations(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Load Qt's own zh_CN strings (确定/取消, the file and print dialogs) and, when present, an
    application translation for the system locale; returns the files loaded. Idempotent."""
    from PySide6.QtCore import QLocale, QTranslator

    from hallclient.paths import qt_translations_dirs, resource_path

    if getattr(app, "_hallclient_translators", None) is not None:
        return [t.filePath() for t in app._hallclient_translators]
    translators: list[QTranslator] = []
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        for folder in qt_translations_dirs():
            translator = QTranslator(app)
            if translator.load(name, str(folder)):
                app.installTranslator(translator)
                translators.append(translator)
                break
    own = QTranslator(app)  # hallclient_<locale>.qm: the app's strings in another language
    if own.load(QLocale(), "hallclient", "_", str(resource_path("translations"))):
        app.installTranslator(own)
        translators.append(own)
    app._hallclient_translators = translators
    return [t.filePath() for t in translators]


def sign_in_at_start(ctx, tasks):  # type: ignore[no-untyped-def]
    """The first administrator of a new standalone window, then the sign-in dialog; returns
    `accounts.SignedIn`, or None when the person closed the dialog."""
    from PySide6.QtWidgets import QDialog

    from hallclient.services import accounts
    from hallclient.ui.signin_dialog import FirstAdminDialog, SignInDialog

    if not ctx.has_central and accounts.needs_first_admin(ctx):
        first = FirstAdminDialog(ctx, tasks)
        if first.exec() != QDialog.DialogCode.Accepted:
            return None
    dialog = SignInDialog(ctx, tasks)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.signed
