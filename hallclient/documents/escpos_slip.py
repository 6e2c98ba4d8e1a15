"""Print a queue slip on an ESC/POS thermal printer (python-escpos, imported lazily).

Chinese text is sent as GB18030 after ``FS &`` (the Chinese character mode of the common
Chinese thermal printers); python-escpos's own encoder sends no such command. A printer
without that mode takes ``chinese_mode=False`` (python-escpos's code pages, no Chinese).
"""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass
from typing import Any

from hallclient.documents.model import Slip

FS_CHINESE_ON = b"\x1c\x26"
FS_CHINESE_OFF = b"\x1c\x2e"
CONNECTIONS = ("network", "usb", "serial", "file", "cups")


class SlipPrinterError(RuntimeError):
    """The slip could not be printed; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class EscposConfig:
    """Where the dispenser's thermal printer is.

    address: ``host`` or ``host:port`` (network), ``0x0416:0x5011`` (usb vendor:product),
    a device path (serial, file, e.g. /dev/usb/lp0), or a CUPS queue name (cups).
    """

    connection: str
    address: str
    chinese_mode: bool = True
    native_qr: bool = False  # True: the printer draws the QR code itself (GS ( k)
    cut: bool = True
    timeout: float = 5.0
    paper_pixels: int = 576  # printable dots of 80 mm paper at 203 dpi (58 mm paper: 384)


def _escpos_printer_module() -> Any:
    try:
        from escpos import printer
    except ImportError as exc:
        raise SlipPrinterError(
            "未安装 python-escpos，无法使用热敏小票打印机。请安装后重试，或改为打印 PDF 小票。"
        ) from exc
    return printer


def open_printer(config: EscposConfig) -> Any:
    """An opened python-escpos printer for `config` (SlipPrinterError when it is unreachable)."""
    if config.connection not in CONNECTIONS:
        raise SlipPrinterError(f"小票打印机连接方式“{config.connection}”无效，应为：{'、'.join(CONNECTIONS)}。")
    printer = _escpos_printer_module()
    try:
        if config.connection == "network":
            host, _, port = config.address.partition(":")
            device = printer.Network(host, int(port or 9100), timeout=config.timeout)
        elif config.connection == "usb":
            vendor, _, product = config.address.partition(":")
            device = printer.Usb(int(vendor, 16), int(product, 16))
        elif config.connection == "serial":
            device = printer.Serial(config.address, timeout=config.timeout)
        elif config.connection == "file":
            device = printer.File(config.address)
        else:
            device = printer.CupsPrinter(config.address)
        device.open()
    except SlipPrinterError:
        raise
    except Exception as exc:  # escpos raises its own errors, OSError, ValueError, usb errors…
        raise SlipPrinterError(
            f"无法连接小票打印机（{config.address}）：请检查打印机电源、连线和纸张后重试。（{exc}）"
        ) from exc
    return device


def write_slip(device: Any, slip: Slip, *, chinese_mode: bool = True, native_qr: bool = False,
               cut: bool = True, paper_pixels: int = 576) -> None:
    """Send the slip's commands to an opened python-escpos device (any, incl. Dummy)."""
    data = device.profile.profile_data
    if not isinstance(data.get("media", {}).get("width", {}).get("pixels"), int):
        # Lets python-escpos centre the QR image; a copy, as profile data may be shared.
        data = copy.deepcopy(data)
        data.setdefault("media", {}).setdefault("width", {})["pixels"] = paper_pixels
        device.profile.profile_data = data

    def line(text: str) -> None:
        if chinese_mode:
            device._raw(FS_CHINESE_ON + (text + "\n").encode("gb18030", errors="replace"))
        else:
            device.textln(text)

    device.set(align="center", normal_textsize=True)
    if slip.hall_name:
        line(slip.hall_name)
    line("-" * 32)
    line("您的排队号")
    device.set(align="center", bold=True, custom_size=True, width=4, height=4)
    line(slip.ticket_number)
    device.set(align="center", bold=False, normal_textsize=True)
    line(f"业务类别：{slip.category}")
    line(f"您前面还有 {slip.people_ahead} 人等候" if slip.people_ahead > 0 else "您前面无人等候")
    line(f"取号时间：{slip.issued_at:%Y-%m-%d %H:%M}")
    if slip.qr_content:
        line("-" * 32)
        if chinese_mode:
            device._raw(FS_CHINESE_OFF)
        device.qr(slip.qr_content, size=6, native=native_qr, center=True)
        line("扫码查看排队进度")
    for note in slip.notes:
        line(note)
    device.ln(2)
    if cut:
        device.cut()


def print_slip_escpos(slip: Slip, config: EscposConfig) -> None:
    """Print `slip` on the configured thermal printer; SlipPrinterError says what went wrong."""
    device = open_printer(config)
    try:
        write_slip(device, slip, chinese_mode=config.chinese_mode, native_qr=config.native_qr,
                   cut=config.cut, paper_pixels=config.paper_pixels)
    except SlipPrinterError:
        raise
    except Exception as exc:
        raise SlipPrinterError(f"小票打印失败：请检查打印机是否缺纸或离线后重试。（{exc}）") from exc
    finally:
        # Closing a broken connection must not hide the error.
        with contextlib.suppress(Exception):
            device.close()
