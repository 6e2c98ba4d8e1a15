"""`hallclient diagnostics OUTFILE`: the support ZIP (logs, versions, settings; no secrets)."""

from __future__ import annotations

import argparse
from pathlib import Path

from hallclient.cli.common import CommandError, add_data_dir


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "diagnostics", help="export logs, versions and settings to one ZIP for support (诊断信息)",
        description="Write one ZIP for support: versions, the window's settings without tokens or "
                    "people's names, the database's size, schema version and row counts (never its "
                    "records), the environment and the masked logs. The same as 帮助 → 诊断信息.",
        epilog="examples:\n"
               "  hallclient diagnostics ~/诊断信息.zip\n"
               "  hallclient diagnostics /media/usb/window3.zip --data-dir /srv/hallclient/window3",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outfile", metavar="OUTFILE", type=Path, help="the ZIP to write")
    add_data_dir(parser)
    parser.set_defaults(handler=_export)


def _export(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.diagnostics import export_diagnostics
    from hallclient.paths import default_data_dir

    try:
        report = export_diagnostics(data_dir or default_data_dir(), args.outfile)
    except OSError as error:
        raise CommandError(f"cannot write {args.outfile}: {error.strerror or error}") from error
    print(report.path)
    for member in report.members:
        print(f"  {member}")
    return 0
