"""The slip of a walk-in number issued at the window (offline): printed at once on the window's
printer; when that fails, the slip opens in the preview to print elsewhere or save."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QWidget

from hallclient.documents import build_slip
from hallclient.documents.model import Slip

NOTES = ("本号由窗口直接发放，请在本窗口附近等候叫号", "过号请到服务台重新取号")


def slip_pdf(ticket: object, people_ahead: int, window: str) -> bytes:
    number = str(getattr(ticket, "number", ""))
    issued = getattr(ticket, "issued_at", None) or datetime.now().astimezone()
    category = str(getattr(ticket, "category", "") or "")
    return build_slip(Slip(ticket_number=number, category=f"{category}（{window} 号窗口）" if category
                           else f"{window} 号窗口", people_ahead=people_ahead, issued_at=issued, notes=NOTES))


def print_walkin_slip(parent: QWidget, ticket: object, people_ahead: int, window: str) -> tuple[bool, str]:
    """Print the slip on the window's printer; (printed, what to tell the clerk)."""
    from hallclient.ui.print_service import PrintError, default_printer, print_pdf_bytes

    number = getattr(ticket, "number", "")
    data = slip_pdf(ticket, people_ahead, window)
    try:
        printer = default_printer()
        parent._slip_printer = printer  # type: ignore[attr-defined]  # kept referenced
        print_pdf_bytes(data, printer, dpi=200)
    except PrintError as exc:
        from hallclient.ui.document_preview import DocumentPreviewDialog

        preview = DocumentPreviewDialog.from_bytes("queue_slip", data, title=f"排队号 {number}", parent=parent)
        preview.file_name = f"排队号-{number}.pdf"
        preview.show()
        parent._slip_preview = preview  # type: ignore[attr-defined]
        return False, f"排队号 {number} 的小票未打印：{exc}"
    return True, f"已发本窗口号 {number}，小票已打印"
