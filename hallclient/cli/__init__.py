"""`hallclient`: the window's GUI by default, plus maintenance commands.

Every command takes `--data-dir DIR`, before or after its own arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from hallclient.cli import (
    audit_cmd,
    backup_cmd,
    calendar_cmd,
    case_cmd,
    catalog_cmd,
    central_cmd,
    check_cmd,
    diagnostics_cmd,
    documents_cmd,
    evaluation_cmd,
    prereview_cmd,
    stats_cmd,
    sync_cmd,
    users_cmd,
)
from hallclient.cli.common import EXIT_DENIED, CommandError, add_data_dir
from hallclient.core.permissions import PermissionDenied

DESCRIPTION = """hallclient — 政务服务大厅综合窗口客户端.

Without a command it opens the window's main screen. The commands below maintain the
window's catalog and calendar, check decisions, write documents, run the hall's central
service and sync a window with it."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hallclient", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_data_dir(parser, top_level=True)
    parser.add_argument("--window", help="this window's number (remembered for next time)")
    parser.add_argument("--clerk", help="the clerk's name shown in the status bar (remembered)")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation (window offscreen, catalog, checklist, documents, "
                             "announcement) in a temporary folder; exit 0 when all passed")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (catalog_cmd, check_cmd, calendar_cmd, documents_cmd, central_cmd, sync_cmd, backup_cmd,
                   users_cmd, case_cmd, audit_cmd, prereview_cmd, evaluation_cmd, diagnostics_cmd,
                   stats_cmd):
        module.register(commands)
    from hallclient.cli import examples

    examples.apply(parser)  # a description and examples on every command's --help
    return parser


# Installed by the [central] extra only: a window's install has none of them.
CENTRAL_ONLY_MODULES = frozenset({"fastapi", "uvicorn", "starlette", "pydantic", "pydantic_core", "limits"})
CENTRAL_MISSING = ("此安装只包含窗口客户端，没有中心服务（缺少 {module}）。"
                   "在中心服务器上请安装：pip install 'hallclient[central]'")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from hallclient.selftest import run

        return run()
    data_dir = Path(args.data_dir) if getattr(args, "data_dir", None) else None
    from hallclient.logging_setup import describe_failure, setup_logging
    from hallclient.paths import default_data_dir

    resolved_dir = data_dir or default_data_dir()
    log_path = setup_logging(resolved_dir)
    try:
        if args.command is None:
            from hallclient.ui.app import run_gui

            return run_gui(data_dir, window=args.window, clerk=args.clerk)
        return int(args.handler(args, data_dir) or 0)
    except CommandError as error:
        print(f"hallclient: {error}", file=sys.stderr)
        return error.exit_code
    except PermissionDenied as error:  # names the role that may
        print(f"hallclient: not permitted: {error}", file=sys.stderr)
        return EXIT_DENIED
    except KeyboardInterrupt:
        return 130
    except ModuleNotFoundError as error:
        name = error.name or ""
        if name.split(".")[0] not in CENTRAL_ONLY_MODULES and not name.startswith("hallclient.central"):
            raise
        print(f"hallclient: {CENTRAL_MISSING.format(module=error.name)}", file=sys.stderr)
        return 1
    except Exception as error:  # a storage problem in Chinese, or one line and the log's place
        print(f"hallclient: {describe_failure(error, resolved_dir / 'hallclient.db', log_path)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
