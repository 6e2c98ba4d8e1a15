"""好差评 and 有诉即办 in the main window, in two calls so the main window stays small:

- `install(window)` once: the rating pad opens when a service ends (F4 finishing a ticket; a
  confirmed case without a ticket, whose case is rated; a ticket that produced a case rates the
  case when F4 finishes it) and 办件 → 登记投诉… (Ctrl+Shift+T) for every role;
- `sync_tabs(window)` whenever the person changes: 差评整改 and 投诉 for the supervisor, 我的评价
  for those who serve applicants, 我的投诉 for anyone who owns complaints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from hallclient.core.permissions import Action, allowed
from hallclient.ui.rating_controller import RatingController

if TYPE_CHECKING:
    from hallclient.ui.complaint_dialog import ComplaintDialog

# 办件 → 登记投诉…; the dialog itself (and the complaints service) loads when it is opened.
SHORTCUT = "Ctrl+Shift+T"  # T: 投诉 (tousu); ui.complaint_dialog.SHORTCUT is this one


def install(window: Any) -> RatingController:
    controller = RatingController(window.ctx, window.tasks, window)
    controller.message.connect(lambda text: window.status.message(text, 10000))
    window.rating = controller
    window.ticket_cases = {}  # ticket number → the case made while serving it

    def case_created(case: Any) -> None:
        actor = window.current_actor()
        if getattr(case, "ticket_number", None):
            window.ticket_cases[case.ticket_number] = case.case_number  # rated when F4 finishes it
        elif allowed(actor, Action.RATE):
            controller.request(actor, case_number=case.case_number)

    def service_finished(ticket: Any) -> None:
        actor = window.current_actor()
        number = getattr(ticket, "number", None)
        if number and allowed(actor, Action.RATE):
            case_number = window.ticket_cases.pop(number, None)
            controller.request(actor, case_number=case_number, ticket_number=None if case_number else number)

    window.intake.case_created.connect(case_created)
    window.queue.service_finished.connect(service_finished)

    action = QAction(window.tr("登记投诉…"), window)
    action.setShortcut(QKeySequence(SHORTCUT))
    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    action.triggered.connect(lambda: open_complaint_dialog(window))
    window.ui.menuCase.addAction(action)
    window.complaint_action = action
    sync_tabs(window)
    return controller


def open_complaint_dialog(window: Any, case_number: str = "") -> ComplaintDialog:
    from hallclient.ui.complaint_dialog import ComplaintDialog

    dialog = ComplaintDialog(window.ctx, window.tasks, window.current_actor, window, case_number=case_number)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def registered(complaint: Any) -> None:
        window.status.message(window.tr("已登记投诉 %s，由您首问负责") % complaint.number, 15000)
        panel = getattr(window, "complaint_panel", None)
        if panel is not None:
            panel.refresh()

    dialog.registered.connect(registered)
    window.complaint_dialog = dialog
    dialog.show()  # not modal: the queue keys keep working
    return dialog


def _tab(window: Any, attr: str, wanted: bool, make: Any) -> None:
    tabs = window.ui.mainTabs
    panel = getattr(window, attr, None)
    if wanted and panel is None:
        panel = make()
        window.hub.subscribe(panel.on_changes)
        tabs.addTab(panel, panel.title())
        if hasattr(panel, "title_changed"):
            panel.title_changed.connect(lambda text, p=panel: tabs.setTabText(tabs.indexOf(p), text))
            panel.message.connect(lambda text: window.status.message(text, 10000))
        setattr(window, attr, panel)
    elif not wanted and panel is not None:
        window.hub.changed.disconnect(panel.on_changes)
        tabs.removeTab(tabs.indexOf(panel))
        panel.deleteLater()
        setattr(window, attr, None)
    elif panel is not None:
        panel.refresh()


def _rectification_panel(*args: Any) -> Any:
    from hallclient.ui.rectification_panel import RectificationPanel

    return RectificationPanel(*args)


def _complaint_panel(*args: Any) -> Any:
    from hallclient.ui.complaint_panel import ComplaintPanel

    return ComplaintPanel(*args)


def _my_ratings_panel(*args: Any) -> Any:
    from hallclient.ui.my_ratings_panel import MyRatingsPanel

    return MyRatingsPanel(*args)


def sync_tabs(window: Any) -> None:
    # Each panel's module is imported only when its tab is made (a clerk's start loads one).
    actor = window.current_actor()
    args = (window.ctx, window.tasks, window.current_actor)
    _tab(window, "rectification_panel", allowed(actor, Action.RECTIFY), lambda: _rectification_panel(*args))
    rect = getattr(window, "rectification_panel", None)
    if rect is not None and not getattr(rect, "_wired", False):
        rect.complaint_made.connect(lambda number: show_complaint(window, number))
        rect._wired = True
    _tab(window, "complaint_panel", allowed(actor, Action.COMPLAINT_HANDLE), lambda: _complaint_panel(*args))
    _tab(window, "my_ratings_panel", allowed(actor, Action.RATE), lambda: _my_ratings_panel(*args))


def show_complaint(window: Any, number: str) -> None:
    """After a 差评 became a complaint: the complaints tab, that complaint selected."""
    panel = getattr(window, "complaint_panel", None)
    if panel is None:
        return
    window.ui.mainTabs.setCurrentWidget(panel)
    panel.filter_combo.setCurrentIndex(0)

    def select_when_loaded() -> None:
        panel.select_key(number)

    panel.title_changed.connect(select_when_loaded, Qt.ConnectionType.SingleShotConnection)
    panel.refresh()
