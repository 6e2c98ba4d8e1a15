"""What issue 11 adds to the main window, in one place: the 审批 tab (chief representative), the
预审 tab (proxy staff), and pre-review numbers typed or scanned at the intake (Ctrl+Shift+Y, or
`YS…` + Enter in the catalog's search box). The main window calls `install` once and
`sync_tabs` when the person at the window changes."""

from __future__ import annotations

from typing import Any

from hallclient.core.permissions import Action, allowed
from hallclient.ui.prereview_scan import install_prereview_entry

# The panels are imported only for the people who get their tabs (a clerk's start loads neither).


def install(window: Any) -> None:
    window.approval_panel = None
    window.prereview_panel = None
    window.prereview_scan = install_prereview_entry(window)
    window.intake.prereview_ready.connect(lambda intake: window._start_intake(lambda: intake))
    window.cases.documents_requested.connect(lambda case, kind: window.open_documents(case, kind))
    sync_tabs(window)


def sync_tabs(window: Any) -> None:
    actor = window.current_actor()
    if allowed(actor, Action.CASE_APPROVE) or getattr(window, "approval_panel", None) is not None:
        from hallclient.ui.approval_panel import sync_approval_tab

        sync_approval_tab(window)
    if allowed(actor, Action.PREREVIEW_CREATE) or getattr(window, "prereview_panel", None) is not None:
        from hallclient.ui.prereview_panel import sync_prereview_tab

        sync_prereview_tab(window)


def route_to_prereview(window: Any, intake: Any) -> bool:
    """Proxy staff who chose an item (or bundle) in the catalog start a pre-review of it."""
    if intake.prereview is not None or intake.previous_case_uuid or getattr(window, "prereview_panel", None) is None:
        return False
    from hallclient.ui.prereview_panel import wants_prereview

    if not wants_prereview(window):
        return False
    panel = window.prereview_panel
    if panel.dirty:
        from PySide6.QtWidgets import QMessageBox

        if QMessageBox.question(window, "开始新的预审", "当前预审尚未保存，放弃并开始新的预审？") \
                != QMessageBox.StandardButton.Yes:
            return True
    panel.start(intake.items, intake.bundle)
    window.ui.mainTabs.setCurrentWidget(panel)
    return True


def open_kind(dialog: Any, kind: str) -> bool:
    """Open `kind`'s preview in a case's documents dialog when the case has that document (a
    documents package without the kind, or a case without it, just shows the list)."""
    if not kind:
        return False
    from PySide6.QtCore import Qt

    listed = {str(dialog.list.item(row).data(Qt.ItemDataRole.UserRole)) for row in range(dialog.list.count())}
    if kind not in listed:
        return False
    dialog.open_preview(kind)
    return True
