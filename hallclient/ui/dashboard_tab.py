"""The 统计考核 tab of the main window, built the first time it is shown.

The dashboard (`ui.dashboard_panel`: QtCharts, the statistics service, five charts) is not part
of a start: the tab holds a `LazyPanel` until the person opens it (or something asks for the
panel), then the real panel fills it. The rule of who gets the tab is the statistics service's
(`may_read_all`) plus every clerk, for their own month.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from hallclient.core.permissions import Action, Actor, Role, allowed


class LazyPanel(QWidget):
    """A tab page whose panel is made by `make()` when the page is first shown."""

    def __init__(self, make: Callable[[QWidget], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._make = make
        self._panel: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._panel is not None

    def panel(self) -> Any:
        """The real panel, made now if it was not yet."""
        if self._panel is None:
            self._panel = self._make(self)
            self.layout().addWidget(self._panel)
        return self._panel

    def showEvent(self, event: QShowEvent) -> None:
        self.panel()
        super().showEvent(event)


def wants_dashboard(actor: Actor) -> bool:
    """Those who may read the hall's figures (`services.stats.may_read_all`), and every clerk."""
    return allowed(actor, Action.STATS_READ) or actor.has(Role.CLERK)


def _make_dashboard(window: Any) -> Callable[[QWidget], QWidget]:
    def make(parent: QWidget) -> QWidget:
        from hallclient.ui.dashboard_panel import DashboardPanel

        return DashboardPanel(window.ctx, window.tasks, window.current_actor, parent)

    return make


def sync_tab(window: Any) -> None:
    """Add the 统计考核 tab to the main window when the signed-in person may read figures (a
    supervisor or administrator: the hall's; a clerk: their own month), remove it otherwise.
    `window.dashboard_panel` is the tab's `LazyPanel`; `.panel()` gives the dashboard itself."""
    actor = window.current_actor()
    wanted = wants_dashboard(actor)
    holder = getattr(window, "dashboard_panel", None)
    if wanted and holder is None:
        holder = LazyPanel(_make_dashboard(window), window)
        window.ui.mainTabs.addTab(holder, window.tr("统计考核"))
        window.dashboard_panel = holder
    elif wanted and holder is not None:
        if holder.built:  # not built yet: it is made for the person at the window when shown
            holder.panel().apply_actor()
    elif not wanted and holder is not None:
        window.ui.mainTabs.removeTab(window.ui.mainTabs.indexOf(holder))
        holder.deleteLater()
        window.dashboard_panel = None
