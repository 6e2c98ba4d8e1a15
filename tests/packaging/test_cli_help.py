"""Every command's --help has a description and examples, and the examples parse."""

from __future__ import annotations

import argparse
import shlex

import pytest

from hallclient.cli import build_parser
from hallclient.cli.examples import EXAMPLES, _has_examples


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


def test_every_command_has_a_description_and_examples() -> None:
    missing = [" ".join(path) or "hallclient" for path, parser in _commands(build_parser())
               if not parser.description or not _has_examples(parser)]
    assert missing == []


@pytest.mark.parametrize("line", sorted({line for lines in EXAMPLES.values() for line in lines
                                         if "…" not in line and "$" not in line}))
def test_examples_parse(line: str) -> None:
    words = shlex.split(line)
    assert words[0] == "hallclient"
    build_parser().parse_args(words[1:])  # SystemExit (usage error) fails the test


def test_check_with_an_unknown_key_lists_the_items_keys_with_names(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from hallclient.cli import main

    code = main(["check", "--item", "4115001100310-001", "--received", "bogus_key", "--data-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "bogus_key" in err and "application_form  印章刻制备案信息表" in err


def test_central_on_a_taken_port_says_so_in_chinese_before_its_banner(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import socket

    pytest.importorskip("uvicorn", reason="the [central] extra is not installed")
    from hallclient.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["central", "--port", str(port), "--data-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "端口已被占用" in err and str(port) in err
    assert "hallclient central: http" not in out  # no banner
