"""The thermal slip through python-escpos's Dummy printer; clear errors when it cannot print."""

from __future__ import annotations

import socket
from datetime import datetime

import pytest

from hallclient.documents.escpos_slip import (
    FS_CHINESE_ON,
    EscposConfig,
    SlipPrinterError,
    print_slip_escpos,
    write_slip,
)
from hallclient.documents.model import Slip

escpos_printer = pytest.importorskip("escpos.printer")

SLIP = Slip("A023", "市场准入", 5, datetime(2026, 9, 28, 9, 15), "https://q.example/A023")


def test_dummy_printer_receives_the_slip() -> None:
    device = escpos_printer.Dummy()
    write_slip(device, SLIP)
    out = device.output
    assert FS_CHINESE_ON in out
    assert b"A023" in out
    assert "业务类别：市场准入".encode("gb18030") in out
    assert "您前面还有 5 人等候".encode("gb18030") in out
    assert b"\x1dV" in out  # cut


def test_without_chinese_mode_uses_escpos_text() -> None:
    device = escpos_printer.Dummy()
    write_slip(device, Slip("C001", "VIP", 0, datetime(2026, 1, 5, 8, 0)), chinese_mode=False,
               cut=False)
    assert FS_CHINESE_ON not in device.output and b"C001" in device.output


def test_unreachable_network_printer_says_so() -> None:
    with socket.socket() as sock:  # a local port with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SlipPrinterError, match="无法连接小票打印机"):
        print_slip_escpos(SLIP, EscposConfig("network", f"127.0.0.1:{port}", timeout=2))


def test_missing_device_file_and_bad_connection(tmp_path) -> None:
    with pytest.raises(SlipPrinterError, match="无法连接小票打印机"):
        print_slip_escpos(SLIP, EscposConfig("file", str(tmp_path / "missing" / "lp0")))
    with pytest.raises(SlipPrinterError, match="连接方式"):
        print_slip_escpos(SLIP, EscposConfig("bluetooth", "x"))


def test_file_printer_gets_the_bytes(tmp_path) -> None:
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    print_slip_escpos(SLIP, EscposConfig("file", str(device)))
    assert b"A023" in device.read_bytes()
