"""The catalog tab: search as the clerk types, pick an item or a bundle, see its detail."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHeaderView, QListWidgetItem

from hallclient.core.catalog import Bundle, ServiceItem
from hallclient.core.search import SearchIndex
from hallclient.services import catalog as catalog_service
from hallclient.services.changes import Changes
from hallclient.services.context import ServiceContext
from hallclient.ui.catalog_models import CodeRole, MaterialTableModel, SearchResultModel
from hallclient.ui.forms.ui_main_window import Ui_MainWindow
from hallclient.ui.item_detail import prepare_detail, show_item
from hallclient.ui.tasks import TaskRunner
from hallclient.ui.text_fit import WrapElideDelegate, fit_columns

EMPTY_QUERY_LIMIT = 200


class CatalogPanel(QObject):
    item_shown = Signal(object)  # ServiceItem | None
    index_ready = Signal(int)  # number of searchable items
    intake_requested = Signal(object)  # ServiceItem
    bundle_intake_requested = Signal(object)  # Bundle
    failed = Signal(str)

    def __init__(self, ui: Ui_MainWindow, tasks: TaskRunner, ctx: ServiceContext) -> None:
        super().__init__()
        self.ui = ui
        self.tasks = tasks
        self.ctx = ctx
        self.index = SearchIndex([])
        self.current: ServiceItem | None = None
        self.category: str | None = None  # only this window category (a ticket being served)
        self.results = SearchResultModel()
        self.materials = MaterialTableModel()
        ui.resultList.setModel(self.results)
        ui.materialsTable.setModel(self.materials)
        table = ui.materialsTable
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # At 1366×768 beside the queue dock: the short columns take what they need, the name
        # up to 40 % of the rest and 受理标准 all that is left; both wrap to three lines and end
        # in "…" beyond (the whole text in the row's tooltip). Rows grow to their lines.
        standard = header.count() - 1
        table.setWordWrap(True)
        self.wrap = WrapElideDelegate(3, table)
        for column in (0, standard):
            table.setItemDelegateForColumn(column, self.wrap)
        table.verticalHeader().setMinimumSectionSize(24)
        table.verticalHeader().setDefaultSectionSize(24)
        self.columns = fit_columns(table, {0: 0.4}, standard, minimum=120, rows_to_contents=True)
        # The results: a long name wraps (the list is narrow), the whole name in the tooltip.
        ui.resultList.setWordWrap(True)
        ui.resultList.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        prepare_detail(ui)
        ui.searchEdit.textChanged.connect(self._search)
        ui.searchEdit.installEventFilter(self)
        ui.resultList.selectionModel().selectionChanged.connect(self._selection_changed)
        ui.resultList.activated.connect(lambda _index: self.request_intake())
        ui.startIntakeButton.clicked.connect(self.request_intake)
        ui.bundleList.itemActivated.connect(self._bundle_activated)
        show_item(ui, self.materials, None)

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Rebuild the search index and the bundle list from the store, off the GUI thread."""
        ctx = self.ctx

        def load() -> tuple[SearchIndex, list[Bundle]]:
            return SearchIndex(catalog_service.search_entries(ctx)), catalog_service.list_bundles(ctx)

        self.tasks.run_db(load, self._loaded)

    def on_changes(self, changes: Changes, _sources: frozenset) -> None:  # type: ignore[type-arg]
        if changes.catalog:
            self.reload()

    def _loaded(self, result: object) -> None:
        if isinstance(result, BaseException):
            self.failed.emit(f"载入事项清单失败：{result}")
            return
        index, bundles = result  # type: ignore[misc]
        self.index = index
        self.ui.bundleList.clear()
        for bundle in bundles:
            entry = QListWidgetItem(bundle.name)
            entry.setToolTip(f"{bundle.name}：{len(bundle.items)} 个事项合并为一张材料清单（Enter 开始受理）")
            entry.setData(CodeRole, bundle)
            self.ui.bundleList.addItem(entry)
        self._search(self.ui.searchEdit.text())
        self.index_ready.emit(len(index))

    # -- searching -------------------------------------------------------------------------
    def set_category(self, category: str | None) -> None:
        """Show only one window category's items (Esc in the search box shows all again).

        A queue line that no item belongs to (无差别受理 is a way of serving every category, not a
        category of items) shows the whole catalog."""
        known = {entry.window_category for entry in getattr(self.index, "entries", ())} if category else set()
        self.category = category if category and (not known or category in known) else None
        self._search(self.ui.searchEdit.text())

    def _search(self, text: str) -> None:
        limit = len(self.index) if self.category else 50
        if text.strip():
            hits = self.index.search(text, limit=limit)
        else:
            hits = self.index.search_all(len(self.index) if self.category else EMPTY_QUERY_LIMIT)
        if self.category:
            hits = [h for h in hits if h.entry.window_category == self.category][:EMPTY_QUERY_LIMIT]
        if text.strip():
            label = f"找到 {len(hits)} 项" if len(hits) < 50 or self.category else "显示最相关的 50 项"
        else:
            label = f"共 {len(hits) if self.category else len(self.index)} 项事项，输入关键词查找"
        if self.category:
            label = f"仅「{self.category}」· {label}（Esc 显示全部）"
        self.results.set_hits(hits)
        self.ui.resultCountLabel.setText(label)
        if hits and text.strip():
            self.ui.resultList.setCurrentIndex(self.results.index(0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down/Enter in the search box move to the results, so the keyboard never has to leave home.
        if watched is self.ui.searchEdit and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
                self.ui.resultList.setFocus()
                return False
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.results.rowCount():
                self.ui.resultList.setFocus()
                return True
            if key == Qt.Key.Key_Escape and self.category:
                self.set_category(None)
                return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        self.ui.searchEdit.setFocus()
        self.ui.searchEdit.selectAll()

    # -- detail ----------------------------------------------------------------------------
    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        self.show_code(indexes[0].data(CodeRole))

    def show_code(self, code: str) -> None:
        ctx = self.ctx
        self.tasks.run_db(lambda: catalog_service.load_item(ctx, code), self._show_loaded)

    def _show_loaded(self, item: object) -> None:
        if isinstance(item, BaseException):
            self.failed.emit(f"读取事项失败：{item}")
            return
        if item is not None and not isinstance(item, ServiceItem):
            return
        # A slower load for an earlier selection must not replace the current one.
        current = self.ui.resultList.currentIndex()
        if item is not None and current.isValid() and current.data(CodeRole) != item.code:
            return
        self.current = item
        show_item(self.ui, self.materials, item)
        self.item_shown.emit(item)

    def request_intake(self) -> None:
        if self.current is not None:
            self.intake_requested.emit(self.current)

    def _bundle_activated(self, entry: QListWidgetItem) -> None:
        self.bundle_intake_requested.emit(entry.data(CodeRole))
