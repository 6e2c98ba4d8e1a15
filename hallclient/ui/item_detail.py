"""Filling the item detail pane of the main window from a ServiceItem."""

from __future__ import annotations

from hallclient.core.catalog import ITEM_STATE_LABELS, ItemState, ServiceItem
from hallclient.ui.catalog_models import MaterialTableModel
from hallclient.ui.forms.ui_main_window import Ui_MainWindow


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
        for label in (ui.codeValue, ui.typeValue, ui.departmentValue, ui.categoryValue, ui.limitsValue,
                      ui.feeValue, ui.flagsValue, ui.conditionsValue, ui.basisValue):
            label.clear()
        model.set_materials([])
        ui.startIntakeButton.setEnabled(False)
        return
    state = "" if item.state == ItemState.ACTIVE else f"【{ITEM_STATE_LABELS[item.state]}】"
    ui.itemTitle.setText(f"{state}{item.name}")
    code = item.code if not item.basic_code else f"{item.code}　（基本编码 {item.basic_code}）"
    ui.codeValue.setText(code)
    ui.typeValue.setText(item.item_type.value)
    ui.departmentValue.setText(item.department)
    ui.categoryValue.setText(item.window_category or "—")
    ui.limitsValue.setText(limits_text(item))
    ui.feeValue.setText(item.fee or "—")
    ui.flagsValue.setText(flags_text(item))
    ui.conditionsValue.setText(item.conditions or "—")
    ui.basisValue.setText(item.basis or "—")
    ui.materialsCaption.setText(f"申请材料（{len(item.materials)} 项）")
    model.set_materials(list(item.materials))
    ui.startIntakeButton.setEnabled(item.state == ItemState.ACTIVE)
