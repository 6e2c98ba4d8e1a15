"""What every command shares: the --data-dir option, opening the workspace, errors."""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_ERROR = 1
EXIT_USAGE = 2  # bad input: a file that breaks the spec, an unknown item or key
EXIT_PARTIAL = 3  # partly done
EXIT_DENIED = 4  # not permitted (the message names the role that may), or not signed in


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


def read_password_stdin() -> str:
    """A password piped in (`--password-stdin`): the first line, without its newline."""
    import sys

    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise CommandError("password: no password on standard input", EXIT_USAGE)
    return password


def signed_in_actor(workspace, *, bootstrap: bool = False):  # type: ignore[no-untyped-def]
    """The person a command acts for: HALLCLIENT_USER / HALLCLIENT_PASSWORD from the environment,
    else asked on a terminal. With `bootstrap`, a standalone window that has no account yet
    acts as the system (there is nobody to sign in)."""
    import getpass
    import os
    import sys

    from hallclient.core.permissions import SYSTEM
    from hallclient.services import accounts

    ctx = workspace.services
    login = os.environ.get("HALLCLIENT_USER", "")
    password = os.environ.get("HALLCLIENT_PASSWORD", "")
    if not login and bootstrap and not ctx.has_central and accounts.needs_first_admin(ctx):
        return SYSTEM
    if not login and sys.stdin.isatty():
        login = input("登录名：").strip()
    if login and not password and sys.stdin.isatty():
        password = getpass.getpass("密码：")
    if not login or not password:
        raise CommandError("not signed in: set HALLCLIENT_USER and HALLCLIENT_PASSWORD "
                           "(未登录：请设置 HALLCLIENT_USER 和 HALLCLIENT_PASSWORD)", EXIT_DENIED)
    try:
        return accounts.sign_in(ctx, login, password).actor
    except accounts.SignInFailed as error:
        raise CommandError(f"sign-in failed: {error}", EXIT_DENIED) from error
