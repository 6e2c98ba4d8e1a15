"""Starting the GUI: the application, its fonts, the workspace, the main window."""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(data_dir: Path | None, *, window: str | None = None, clerk: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from hallclient.store.database import SchemaTooNewError
    from hallclient.ui.fonts import apply_ui_font
    from hallclient.ui.main_window import MainWindow
    from hallclient.workspace import Workspace

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("hallclient")
    apply_ui_font(app)  # type: ignore[arg-type]
    try:
        workspace = Workspace(data_dir)
    except (SchemaTooNewError, OSError) as error:
        QMessageBox.critical(None, "无法打开数据库", str(error))
        return 1
    if window or clerk:
        workspace.settings.window_number = window or workspace.settings.window_number
        workspace.settings.clerk_name = clerk or workspace.settings.clerk_name
        workspace.save_settings()
    main = MainWindow(workspace)
    main.resize(1366, 768)
    main.show()
    main.start()
    code = app.exec()
    workspace.close()
    return code
