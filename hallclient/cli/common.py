"""What every command shares: the --data-dir option, opening the workspace, errors."""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_ERROR = 1
EXIT_USAGE = 2  # bad input: a file that breaks the spec, an unknown item or key


class CommandError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def add_data_dir(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    # SUPPRESS on subcommands keeps a value given before the subcommand from being reset.
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None if top_level else argparse.SUPPRESS,
        help="keep the database and settings in DIR instead of the user's data directory",
    )


def open_workspace(data_dir: Path | None, *, seed: bool = True):  # type: ignore[no-untyped-def]
    from hallclient.store.database import SchemaTooNewError
    from hallclient.workspace import Workspace

    try:
        workspace = Workspace(data_dir)
    except SchemaTooNewError as error:
        raise CommandError(str(error)) from error
    if seed:
        from hallclient.core.catalog_format import CatalogFormatError

        try:
            workspace.seed_if_empty()
        except CatalogFormatError as error:
            workspace.close()
            raise CommandError(f"the bundled sample catalog cannot be loaded: {error}") from error
    return workspace
