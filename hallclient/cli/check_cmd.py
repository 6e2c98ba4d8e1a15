"""`hallclient check`: evaluate a checklist against the catalog without creating a case."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from hallclient.cli.common import EXIT_USAGE, CommandError, add_data_dir, open_workspace

HELP = """Evaluate a material checklist against the catalog in use and print the decision
(受理 / 容缺受理 / 一次性告知 / 不予受理), its reasons, the outstanding materials and the
deadlines. No case is created. Materials given no status count as missing."""


def _keys(value: str) -> list[str]:
    return [k.strip() for k in value.split(",") if k.strip()]


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    check = commands.add_parser("check", help="evaluate a checklist without creating a case", description=HELP)
    check.add_argument("--item", action="append", default=[], metavar="CODE", help="the item's code (repeatable)")
    check.add_argument("--bundle", metavar="CODE", help="a bundle (一件事): its items' merged checklist")
    for flag, meaning in (
        ("--received", "received"), ("--e-license", "fetched from the e-license library"),
        ("--commitment", "replaced by a signed commitment (告知承诺)"),
        ("--tolerated", "missing but tolerated (容缺)"), ("--not-applicable", "conditional and not applicable"),
    ):
        check.add_argument(flag, type=_keys, default=[], metavar="KEY,...", help=f"material keys {meaning}")
    check.add_argument("--defective", type=_keys, default=[], metavar="KEY=REASON,...",
                       help="materials that do not meet the standard, each with the reason")
    check.add_argument("--bad-credit", action="store_true", help="the applicant has a 失信 record")
    check.add_argument("--date", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                       help="the day of acceptance (default: today)")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    add_data_dir(check)
    check.set_defaults(handler=_check)


def _check(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.checklist import (
        DECISION_LABELS,
        MaterialMark,
        MaterialStatus,
        build_checklist,
        decide,
        refusal,
    )
    from hallclient.store import calendar_repo, catalog_repo

    if not args.item and not args.bundle:
        raise CommandError("name an item (--item CODE) or a bundle (--bundle CODE)", EXIT_USAGE)
    workspace = open_workspace(data_dir)
    try:
        with workspace.store.session() as session:
            codes = list(args.item)
            if args.bundle:
                bundle = catalog_repo.load_bundle(session, args.bundle)
                if bundle is None:
                    raise CommandError(f"unknown bundle: {args.bundle}", EXIT_USAGE)
                codes.extend(c for c in bundle.items if c not in codes)
            items = catalog_repo.load_items(session, codes)
            calendar = calendar_repo.load_calendar(session)
    finally:
        workspace.close()
    unknown_items = [c for c in codes if c not in {i.code for i in items}]
    if unknown_items:
        raise CommandError(f"unknown item: {', '.join(unknown_items)}", EXIT_USAGE)

    marks: dict[str, MaterialMark] = {}
    for status, keys in (
        (MaterialStatus.RECEIVED, args.received), (MaterialStatus.E_LICENSE, args.e_license),
        (MaterialStatus.COMMITMENT, args.commitment), (MaterialStatus.TOLERATED, args.tolerated),
        (MaterialStatus.NOT_APPLICABLE, args.not_applicable),
    ):
        for key in keys:
            marks[key] = MaterialMark(status, reason="不适用" if status is MaterialStatus.NOT_APPLICABLE else None)
    for entry in args.defective:
        key, _, reason = entry.partition("=")
        marks[key.strip()] = MaterialMark(MaterialStatus.DEFECTIVE, reason=reason.strip() or None)
    rows = build_checklist(items)
    known = {r.material.key for r in rows}
    unknown_keys = sorted(set(marks) - known)
    if unknown_keys:
        names = "\n".join(f"  {r.material.key}  {r.material.name}" for r in rows)
        raise CommandError(f"unknown material key for {', '.join(codes)}: {', '.join(unknown_keys)}\n"
                           f"this item's keys:\n{names}", EXIT_USAGE)
    try:
        result = decide(items, marks, bad_credit=args.bad_credit, accepted_on=args.date or date.today(),
                        calendar=calendar, checklist=rows)
    except ValueError as error:
        result = refusal(str(error))
    from hallclient.core.workdays import holiday_question

    accepted_on = args.date or date.today()
    question = holiday_question(calendar, accepted_on)
    if args.json:
        data = result.to_json()
        data["holiday_warning"] = question
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if question:
        print(f"警告：{question}")
    print(f"决定：{DECISION_LABELS[result.decision]}（{result.decision.value}）")
    for reason in result.reasons:
        print(f"  - {reason}")
    for tolerated in result.tolerated:
        by = tolerated.supplement_by.isoformat() if tolerated.supplement_by else "待定"
        print(f"  容缺：{tolerated.name}（{tolerated.key}），补正期限 {by}")
    for item in result.item_deadlines:
        due = item.due_date.isoformat() if item.due_date else "待定"
        print(f"  事项 {item.name}（{item.code}）：承诺时限 {item.limit_days} 个工作日，办结日期 {due}")
    if result.due_date:
        print(f"  承诺办结日期：{result.due_date.isoformat()}")
    if result.deadline_problem:
        print(f"  期限：{result.deadline_problem}")
    return 0
