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
