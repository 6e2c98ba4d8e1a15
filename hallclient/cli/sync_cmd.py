"""`hallclient sync`: one sync round with the configured central service, from the command line.

Exit status: 0 when the round went through, 1 when the central cannot be reached, 3 when it
was reached but something was not synced (a bad catalog page, a refused record…), 4 when the
central refused this window's token, 2 when no central is configured.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from hallclient.cli.common import (
    EXIT_DENIED,
    EXIT_USAGE,
    CommandError,
    add_data_dir,
    open_workspace,
)

EXIT_UNREACHABLE = 1
EXIT_PARTIAL = 3


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sync = commands.add_parser(
        "sync", help="push waiting cases and pull the catalog and calendar once",
        description="Run one sync round with the central service configured in the window's settings: "
                    "push the outbox (cases and their events) and pull catalog changes and holiday "
                    "arrangements. Exits non-zero when the central cannot be reached.")
    sync.add_argument("--central", metavar="URL", help="central address for this run (default: settings)")
    sync.add_argument("--token", help="window token for this run (default: settings)")
    sync.add_argument("--save", action="store_true", help="remember --central/--token in the settings")
    sync.add_argument("--json", action="store_true", help="print the report as JSON")
    sync.add_argument("--quiet", action="store_true", help="no download progress")
    add_data_dir(sync)
    sync.set_defaults(handler=_sync)


def _sync(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.sync.round import run_sync_round

    workspace = open_workspace(data_dir, seed=False)
    try:
        settings = workspace.settings
        if args.central is not None:
            settings.central_url = args.central
        if args.token is not None:
            settings.central_token = args.token
        if not settings.central_url.strip():
            raise CommandError("未配置中心服务地址：请在窗口设置中填写，或使用 --central URL", EXIT_USAGE)
        if args.save:
            workspace.save_settings()
        progress = None if args.quiet or args.json else _progress_printer()
        report = run_sync_round(workspace.store, settings, progress=progress, force=True)
    finally:
        workspace.close()
    if args.json:
        print(json.dumps(asdict(report), ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            print(line)
    if getattr(report, "auth_failed", False):
        return EXIT_DENIED  # reached, but the token was refused (invalid or disabled)
    if not report.online:
        return EXIT_UNREACHABLE
    return EXIT_PARTIAL if report.errors or report.rejected else 0


def _progress_printer():  # type: ignore[no-untyped-def]
    import sys

    last: dict[str, int] = {}

    def show(phase: str, done: int, total: int) -> None:
        step = max(total // 10, 1)
        if phase == "download" and done < total and done - last.get(phase, -step) < step:
            return
        last[phase] = done
        label = {"download": "下载事项清单", "apply": "应用事项清单"}.get(phase, phase)
        print(f"{label}：{done}/{total}", file=sys.stderr, flush=True)

    return show
