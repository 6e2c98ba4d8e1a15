"""The log file: rotating, 0600, personal data and tokens masked in every part of every record."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from hallclient import logging_setup
from hallclient.logging_setup import mask, setup_logging


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = setup_logging(tmp_path / "data")
    assert path == tmp_path / "data" / "logs" / "hallclient.log"
    yield path
    for handler in list(logging.getLogger().handlers):
        if isinstance(handler, logging_setup._QuietRotatingHandler):
            logging.getLogger().removeHandler(handler)
            handler.close()


def read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("raw", "masked"), [
    ("身份证 11010519491231002X 已核验", "身份证 110105********002X 已核验"),
    ("id=110105194912310021,", "id=110105********0021,"),
    ("统一社会信用代码91411500MA40ABCD1X", "统一社会信用代码91************CD1X"),
    ("手机13812345678", "手机138****5678"),
    ("tel +86 138-1234-5678 end", "tel +86 138****5678 end"),
    ("Authorization: Bearer eyJhbGciOi.J9-x_y", "Authorization: Bearer ***"),
    ("token hc_Q2xvc2UtZW5vdWdoLXRvLXJlYWw_-9 sent", "token hc_*** sent"),
])
def test_mask_hides_personal_data_and_tokens(raw: str, masked: str) -> None:
    assert mask(raw) == masked


@pytest.mark.parametrize("kept", [
    "信高新受〔2026〕03000017",  # a case number is not personal data
    "11411500MB1234567X-001",  # a catalog item code (a department's USCC plus a number)
    "3f2b8c1e-1389-4a6b-9e1f-138123456789",  # a record uuid
    "2026-12-01T09:30:00+08:00 took 1381234567 ns",
])
def test_mask_keeps_what_is_not_personal(kept: str) -> None:
    assert mask(kept) == kept


def test_every_part_of_a_record_is_masked_in_the_file(log_file: Path) -> None:
    log = logging.getLogger("hallclient.test")
    log.warning("push failed for %s (%s)", "11010519491231002X", "13812345678")
    try:
        raise ValueError("central refused Bearer abc.def token hc_abcdefgh applicant 11010519491231002X")
    except ValueError:
        log.exception("sync round")
    log.info("stack", stack_info=True, extra={"unused": 1})
    text = read(log_file)
    for secret in ("11010519491231002X", "13812345678", "abc.def", "hc_abcdefgh"):
        assert secret not in text
    assert "push failed for 110105********002X (138****5678)" in text
    assert "Traceback" in text and "Bearer ***" in text and "hc_***" in text
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600


def test_the_log_rotates_at_its_size(log_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 2000)
    path = setup_logging(tmp_path / "data")
    assert path is not None
    log = logging.getLogger("hallclient.test")
    for i in range(400):
        log.warning("line %d %s", i, "x" * 50)
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == ["hallclient.log", *[f"hallclient.log.{n}" for n in range(1, 6)]]
    assert all(p.stat().st_size <= 2200 for p in path.parent.iterdir())
    assert "line 399" in read(path)


def test_setup_again_replaces_its_own_handler_only(log_file: Path, tmp_path: Path) -> None:
    other = logging.NullHandler()
    logging.getLogger().addHandler(other)
    try:
        second = setup_logging(tmp_path / "elsewhere")
        ours = [h for h in logging.getLogger().handlers if isinstance(h, logging_setup._QuietRotatingHandler)]
        assert len(ours) == 1 and Path(ours[0].baseFilename) == second
        assert other in logging.getLogger().handlers
        assert logging_setup.current_log_path() == second
    finally:
        logging.getLogger().removeHandler(other)


def test_a_log_on_a_full_disk_is_dropped_silently(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.store.test_integrity import fill, tiny_tmpfs

    small = tmp_path / "small"
    with tiny_tmpfs(small, "100k"):
        path = setup_logging(small)
        assert path is not None
        logging.getLogger("hallclient.test").warning("first line")
        filler = fill(small)
        for _ in range(200):
            logging.getLogger("hallclient.test").warning("this cannot be written %s", "y" * 500)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err and "No space" not in captured.err
        for handler in list(logging.getLogger().handlers):
            if isinstance(handler, logging_setup._QuietRotatingHandler):
                logging.getLogger().removeHandler(handler)
                handler.close()
        filler.unlink()
        assert "first line" in path.read_text(encoding="utf-8")


def test_an_unwritable_place_gives_no_log_and_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert setup_logging(blocker) is None
