"""Filling the item detail pane of the main window from a ServiceItem.

The values are one line each (受理条件 and 设定依据 two) that end in "…" when longer, the whole
text in the tooltip: at 1366×768 a long fee or legal basis must not be cut mid-line or push the
pane wider than the window (`ui.text_fit`)."""

from __future__ import annotations

from hallclient.core.catalog import ITEM_STATE_LABELS, ItemState, ServiceItem
from hallclient.ui.catalog_models import MaterialTableModel
from hallclient.ui.forms.ui_main_window import Ui_MainWindow
from hallclient.ui.text_fit import elide_label, set_elided_text

TWO_LINE_VALUES = ("conditionsValue", "basisValue")
VALUES = ("codeValue", "typeValue", "departmentValue", "categoryValue", "limitsValue", "feeValue",
          "flagsValue", *TWO_LINE_VALUES)


def prepare_detail(ui: Ui_MainWindow) -> None:
    """Once, when the main window is made: the value labels elide instead of wrapping."""
    for name in VALUES:
        elide_label(getattr(ui, name), 2 if name in TWO_LINE_VALUES else 1)


def flags_text(item: ServiceItem) -> str:
    parts = [
        "可容缺受理" if item.tolerance_allowed else "不适用容缺受理",
        "可告知承诺" if item.commitment_allowed else "不适用告知承诺",
        "首席代表可当场审批" if item.on_site_approval else "后台审批",
    ]
    if item.visits is not None:
        parts.append(f"到现场 {item.visits} 次")
    return "；".join(parts)


def limits_text(item: ServiceItem) -> str:
    if item.is_immediate:
        return f"即办件（当场办结）；法定 {item.limit_text(item.legal_limit_days)}"
    return f"承诺 {item.limit_text(item.promised_limit_days)}；法定 {item.limit_text(item.legal_limit_days)}"


def show_item(ui: Ui_MainWindow, model: MaterialTableModel, item: ServiceItem | None) -> None:
    if item is None:
        ui.itemTitle.setText("请选择事项")
        ui.itemTitle.setToolTip("")
        for name in VALUES:
            set_elided_text(getattr(ui, name), "")
        model.set_materials([])
        ui.startIntakeButton.setEnabled(False)
        return
    state = "" if item.state == ItemState.ACTIVE else f"【{ITEM_STATE_LABELS[item.state]}】"
    ui.itemTitle.setText(f"{state}{item.name}")
    ui.itemTitle.setToolTip(f"{state}{item.name}")
    code = item.code if not item.basic_code else f"{item.code}　（基本编码 {item.basic_code}）"
    values = {
        "codeValue": code, "typeValue": item.item_type.value, "departmentValue": item.department,
        "categoryValue": item.window_category or "—", "limitsValue": limits_text(item),
        "feeValue": item.fee or "—", "flagsValue": flags_text(item),
        "conditionsValue": item.conditions or "—", "basisValue": item.basis or "—",
    }
    for name, text in values.items():
        set_elided_text(getattr(ui, name), text)
    ui.materialsCaption.setText(f"申请材料（{len(item.materials)} 项）")
    model.set_materials(list(item.materials))
    ui.startIntakeButton.setEnabled(item.state == ItemState.ACTIVE)
