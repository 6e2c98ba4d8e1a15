"""`hallclient calendar load|show`: the holiday arrangements deadlines are computed with."""

from __future__ import annotations

import argparse
from pathlib import Path

from hallclient.cli.common import EXIT_USAGE, CommandError, add_data_dir, open_workspace


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    calendar = commands.add_parser(
        "calendar", help="load or show a year's holiday arrangement",
        description="Legal deadlines count working days. The calendar package knows years up to 2026; "
                    "load the State Council's arrangement for a later year from a small JSON file "
                    "(see hallclient/resources/calendar/README.md).")
    add_data_dir(calendar)
    sub = calendar.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    load = sub.add_parser("load", help="load a year file (holidays and make-up working days)",
                          description="Load FILE: {\"year\": 2027, \"holidays\": [...], \"workdays\": [...]}.")
    load.add_argument("file", metavar="FILE", type=Path)
    add_data_dir(load)
    load.set_defaults(handler=_load)
    show = sub.add_parser("show", help="print a year's holidays and make-up working days",
                          description="Print the holidays and make-up working days of YEAR.")
    show.add_argument("year", type=int, metavar="YEAR")
    add_data_dir(show)
    show.set_defaults(handler=_show)


def _load(args: argparse.Namespace, data_dir: Path | None) -> int:
    """Load a year; where its notice moves days of the year before, move open cases with it."""
    from hallclient.core.workdays import changed_days, read_year_file
    from hallclient.store.calendar_repo import load_calendar, save_year
    from hallclient.store.deadline_recompute import recompute_open_cases

    try:
        arrangement = read_year_file(args.file)
    except (OSError, ValueError) as error:
        raise CommandError(f"refused: {error}", EXIT_USAGE) from error
    workspace = open_workspace(data_dir, seed=False)
    try:
        with workspace.store.session() as session, session.begin():
            old = load_calendar(session)
            save_year(session, arrangement)
            new = load_calendar(session)
            changed = changed_days(old, new, [arrangement.year - 1, arrangement.year])
            moved = recompute_open_cases(session, old, new)
    finally:
        workspace.close()
    print(f"loaded {arrangement.year}: {len(arrangement.holidays)} holidays, "
          f"{len(arrangement.workdays)} make-up working days")
    earlier = [d for d in changed if d.year < arrangement.year]
    if earlier:
        print(f"该通知同时调整了 {arrangement.year - 1} 年的 {len(earlier)} 天："
              + "、".join(d.isoformat() for d in earlier))
    for m in moved:
        print(f"期限已调整：{m.case_number} {m.what} {m.before.isoformat()} → {m.after.isoformat()}")
    if earlier and not moved:
        print("没有在办案件的期限受到影响。")
    return 0


def _show(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.workdays import UnknownCalendarYear
    from hallclient.store.calendar_repo import load_calendar

    workspace = open_workspace(data_dir, seed=False)
    try:
        with workspace.store.session() as session:
            calendar = load_calendar(session)
    finally:
        workspace.close()
    try:
        arrangement = calendar.arrangement(args.year)
    except UnknownCalendarYear as error:
        raise CommandError(str(error)) from error
    print(f"{args.year} 年 节假日：{', '.join(d.isoformat() for d in sorted(arrangement.holidays))}")
    print(f"{args.year} 年 调休上班：{', '.join(d.isoformat() for d in sorted(arrangement.workdays)) or '无'}")
    return 0
