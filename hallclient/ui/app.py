"""Starting the GUI: the application, its fonts, the workspace, the main window."""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(data_dir: Path | None, *, window: str | None = None, clerk: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from hallclient.logging_setup import setup_logging
    from hallclient.paths import default_data_dir
    from hallclient.store.backup import backup_dir_for
    from hallclient.store.database import DB_FILENAME
    from hallclient.ui.backup_timer import BackupTimer
    from hallclient.ui.error_hook import install_error_hook
    from hallclient.ui.fonts import apply_ui_font
    from hallclient.ui.main_window import MainWindow
    from hallclient.ui.restore_dialog import open_workspace_or_restore

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("hallclient")
    apply_ui_font(app)  # type: ignore[arg-type]
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    install_error_hook(setup_logging(data_dir), data_dir / DB_FILENAME)
    # A damaged database offers its backups; an unwritable directory is a dialog, never a traceback.
    workspace = open_workspace_or_restore(data_dir)
    if workspace is None:
        return 1
    if window or clerk:
        workspace.settings.window_number = window or workspace.settings.window_number
        workspace.settings.clerk_name = clerk or workspace.settings.clerk_name
        workspace.save_settings()
    main = MainWindow(workspace)
    main.resize(1366, 768)
    main.show()
    main.start()
    s = workspace.settings
    backups = BackupTimer(workspace.store.path, backup_dir_for(workspace.data_dir, s.backup_dir),
                          s.backup_count, s.backup_interval_hours, main.status.message, main)
    backups.start()
    code = app.exec()
    backups.stop()
    workspace.close()
    return code
