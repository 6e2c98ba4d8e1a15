"""`hallclient case create|show|list`: cases through the same services as the intake tab."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from hallclient.cli.common import (
    EXIT_USAGE,
    CommandError,
    add_data_dir,
    open_workspace,
    signed_in_actor,
)

CREATE_HELP = """Create a case exactly as the intake tab confirms one: the checklist is evaluated
(the same marks as `hallclient check`), the case numbered, stored with its outbox record and its
audit record, under the signed-in clerk (HALLCLIENT_USER / HALLCLIENT_PASSWORD)."""
EXAMPLES = """examples:
  hallclient case create --item 11411500MB1234567X-001 --received application_form,id_card \\
      --tolerated floor_plan --applicant-name 张三 --applicant-id 11010519491231002X --json
  hallclient case show 信高新受〔2026〕03000001 --json
  hallclient case list --text 张三"""


def _keys(value: str) -> list[str]:
    return [k.strip() for k in value.split(",") if k.strip()]


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    case = commands.add_parser("case", help="create, show or list cases (under the signed-in person)",
                               description="Cases (办件) under the signed-in person's permissions.",
                               epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_data_dir(case)
    sub = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)

    create = sub.add_parser("create", help="create a case as the intake tab does", description=CREATE_HELP)
    create.add_argument("--item", action="append", default=[], metavar="CODE", help="the item's code (repeatable)")
    create.add_argument("--bundle", metavar="CODE", help="a bundle (一件事)")
    for flag, meaning in (
        ("--received", "received"), ("--commitment", "replaced by a signed commitment (告知承诺)"),
        ("--tolerated", "missing but tolerated (容缺)"), ("--not-applicable", "conditional and not applicable"),
    ):
        create.add_argument(flag, type=_keys, default=[], metavar="KEY,...", help=f"material keys {meaning}")
    create.add_argument("--e-license", type=_keys, default=[], metavar="KEY=NO,...",
                        help="materials fetched from the e-license library, each with the licence number")
    create.add_argument("--defective", type=_keys, default=[], metavar="KEY=REASON,...",
                        help="materials that do not meet the standard, each with the reason")
    create.add_argument("--from-prereview", metavar="NUMBER",
                        help="take up a pre-review (预审): its items, applicant and marks; marks given here override")
    create.add_argument("--applicant-name", metavar="NAME")
    create.add_argument("--applicant-id", metavar="ID", help="resident ID number (GB 11643)")
    create.add_argument("--phone", default="", metavar="PHONE")
    create.add_argument("--bad-credit", action="store_true", help="the applicant has a 失信 record")
    create.add_argument("--ticket", default=None, metavar="NUMBER", help="the queue ticket served")
    create.add_argument("--json", action="store_true", help="print the case as JSON")
    add_data_dir(create)
    create.set_defaults(handler=_create)

    show = sub.add_parser("show", help="one case by its number")
    show.add_argument("number", metavar="NUMBER")
    show.add_argument("--json", action="store_true")
    add_data_dir(show)
    show.set_defaults(handler=_show)

    for name, helptext in (("approve", "准予: approve on site (chief representative)"),
                           ("deny", "不予许可 with reasons (chief representative)"),
                           ("send-back", "退回窗口 with a written opinion (chief representative)"),
                           ("back-office", "转后台审批 with an expected decision date (chief representative)"),
                           ("extend", "延长期限 by up to 10 working days with the reason")):
        cmd = sub.add_parser(name, help=helptext)
        cmd.add_argument("number", metavar="NUMBER")
        if name == "deny":
            cmd.add_argument("--reason", action="append", default=[], required=True, help="repeatable")
        if name == "send-back":
            cmd.add_argument("--opinion", required=True)
        if name == "back-office":
            cmd.add_argument("--days", type=int, default=None, help="expected decision in N working days")
        if name == "extend":
            cmd.add_argument("--days", type=int, required=True)
            cmd.add_argument("--reason", required=True)
        cmd.add_argument("--json", action="store_true")
        add_data_dir(cmd)
        cmd.set_defaults(handler=_decide, outcome=name)

    lst = sub.add_parser("list", help="the cases the signed-in person may read, newest first")
    lst.add_argument("--text", default="", help="case number, applicant name, or a whole ID number")
    lst.add_argument("--limit", type=int, default=500)
    lst.add_argument("--json", action="store_true")
    add_data_dir(lst)
    lst.set_defaults(handler=_list)


def case_json(case: Any) -> dict[str, Any]:
    from hallclient.core.cases import CASE_STATE_LABELS

    return {
        "uuid": case.uuid, "number": case.case_number, "state": case.state.value,
        "state_label": CASE_STATE_LABELS[case.state], "decision": case.decision.value,
        "applicant": case.applicant.to_json(), "items": list(case.item_codes),
        "item_names": list(case.item_names), "bundle": case.bundle_code,
        "reasons": list(case.reasons), "tolerated": list(case.tolerated),
        "due_date": case.due_date.isoformat() if case.due_date else None,
        "due_date_open_reason": case.deadline_problem, "accepted_on": case.accepted_on.isoformat(),
        "window": case.window_number, "clerk": case.clerk_name, "ticket": case.ticket_number,
        "prereview": case.prereview_number,
        "events": list(case.events),
    }


def parse_marks(args: argparse.Namespace) -> dict[str, Any]:
    from hallclient.core.checklist import MaterialMark, MaterialStatus

    marks: dict[str, MaterialMark] = {}
    for status, keys in ((MaterialStatus.RECEIVED, args.received), (MaterialStatus.COMMITMENT, args.commitment),
                         (MaterialStatus.TOLERATED, getattr(args, "tolerated", []))):
        for key in keys:
            marks[key] = MaterialMark(status, original=status is MaterialStatus.RECEIVED)
    for key in args.not_applicable:
        marks[key] = MaterialMark(MaterialStatus.NOT_APPLICABLE, reason="不适用")
    for entry in args.e_license:
        key, _, number = entry.partition("=")
        marks[key.strip()] = MaterialMark(MaterialStatus.E_LICENSE, license_number=number.strip() or None)
    for entry in args.defective:
        key, _, reason = entry.partition("=")
        marks[key.strip()] = MaterialMark(MaterialStatus.DEFECTIVE, reason=reason.strip() or None)
    return marks


def valid_applicant(args: argparse.Namespace) -> Any:
    from hallclient.core.cases import Applicant, applicant_problems

    if not args.applicant_name or not args.applicant_id:
        raise CommandError("--applicant-name/--applicant-id: the applicant's name and ID number are required",
                           EXIT_USAGE)
    applicant = Applicant(name=args.applicant_name.strip(), id_number=args.applicant_id.strip().upper(),
                          phone=args.phone.strip(), bad_credit=getattr(args, "bad_credit", False))
    problems = applicant_problems(applicant)
    if problems:
        field, reason = next(iter(problems.items()))
        flag = {"name": "--applicant-name", "id_number": "--applicant-id", "phone": "--phone"}.get(field, field)
        raise CommandError(f"{flag}: {reason}", EXIT_USAGE)
    return applicant


def load_items_for(ctx: Any, codes_given: list[str], bundle_code: str | None) -> tuple[list[Any], Any]:
    from hallclient.services import catalog

    if not codes_given and not bundle_code:
        raise CommandError("--item: name an item (--item CODE) or a bundle (--bundle CODE)", EXIT_USAGE)
    bundle = None
    codes = list(codes_given)
    if bundle_code:
        bundle = catalog.load_bundle(ctx, bundle_code)
        if bundle is None:
            raise CommandError(f"--bundle: unknown bundle {bundle_code}", EXIT_USAGE)
        codes.extend(c for c in bundle.items if c not in codes)
    items = catalog.load_items(ctx, codes)
    unknown = [c for c in codes if c not in {i.code for i in items}]
    if unknown:
        raise CommandError(f"--item: unknown item {', '.join(unknown)}", EXIT_USAGE)
    return items, bundle


def _create(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.intake import Intake, IntakeNotAllowed
    from hallclient.core.prereview import PrereviewUnusable
    from hallclient.services import cases, catalog, prereview

    applicant = None if args.from_prereview and not args.applicant_name else valid_applicant(args)
    workspace = open_workspace(data_dir)
    try:
        ctx = workspace.services
        actor = signed_in_actor(workspace)
        try:
            if args.from_prereview:
                pre = prereview.for_intake(ctx, actor, args.from_prereview)
                items, bundle = load_items_for(ctx, list(pre.item_codes), None)
                intake = Intake.from_prereview(pre, items, None, ticket_number=args.ticket)
                if applicant is not None:
                    intake.set_applicant(applicant)
            else:
                items, bundle = load_items_for(ctx, args.item, args.bundle)
                intake = Intake(tuple(items), bundle=bundle, ticket_number=args.ticket)
                intake.set_applicant(applicant)
        except (IntakeNotAllowed, PrereviewUnusable, prereview.PrereviewNotFound) as error:
            raise CommandError(f"{'--from-prereview' if args.from_prereview else '--item'}: {error}",
                               EXIT_USAGE) from error
        known = {r.material.key for r in intake.rows}
        for key, mark in parse_marks(args).items():
            if key not in known:
                names = ", ".join(f"{r.material.key}（{r.material.name}）" for r in intake.rows)
                raise CommandError(f"unknown material key {key}; this item's keys: {names}", EXIT_USAGE)
            try:
                intake.set_mark(key, mark)
            except ValueError as error:
                raise CommandError(f"{key}: {error}", EXIT_USAGE) from error
        today = date.today()
        result = intake.result(today, catalog.load_calendar(ctx))
        draft = intake.draft(result, today=today, window=ctx.window_number, clerk=actor.name)
        try:
            case = cases.create_case(ctx, actor, draft).value
        except PrereviewUnusable as error:
            raise CommandError(f"--from-prereview: {error}", EXIT_USAGE) from error
    finally:
        workspace.close()
    if args.json:
        print(json.dumps(case_json(case), ensure_ascii=False, indent=2))
    else:
        print(f"{case.case_number}\t{case.decision.value}\t{case.uuid}")
    return 0


def _decide(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.approval import ApprovalOutcome, ApprovalRefused
    from hallclient.services import approval, cases
    from hallclient.store.cases_repo import CaseNotFound, CaseStateError

    outcome = {"approve": ApprovalOutcome.APPROVED, "deny": ApprovalOutcome.DENIED,
               "send-back": ApprovalOutcome.SENT_BACK, "back-office": ApprovalOutcome.TO_BACK_OFFICE,
               "extend": ApprovalOutcome.EXTENDED}[args.outcome]
    workspace = open_workspace(data_dir, seed=False)
    try:
        ctx = workspace.services
        actor = signed_in_actor(workspace)
        try:
            case = cases.find_case(ctx, actor, args.number)
            changed = approval.decide(
                ctx, actor, case.uuid, outcome, reasons=getattr(args, "reason", None) if args.outcome == "deny" else None,
                opinion=getattr(args, "opinion", "") or "", expected_days=getattr(args, "days", None),
                days=getattr(args, "days", None), reason=(args.reason if args.outcome == "extend" else "")).value
        except CaseNotFound as error:
            raise CommandError(str(error), EXIT_USAGE) from error
        except (ApprovalRefused, CaseStateError) as error:
            raise CommandError(f"refused: {error}", EXIT_USAGE) from error
    finally:
        workspace.close()
    if args.json:
        print(json.dumps(case_json(changed), ensure_ascii=False, indent=2))
    else:
        print(f"{changed.case_number}\t{changed.state.value}")
    return 0


def _show(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.services import cases
    from hallclient.store.cases_repo import CaseNotFound

    workspace = open_workspace(data_dir, seed=False)
    try:
        actor = signed_in_actor(workspace)
        try:
            case = cases.find_case(workspace.services, actor, args.number)
        except CaseNotFound as error:
            raise CommandError(str(error), EXIT_USAGE) from error
    finally:
        workspace.close()
    if args.json:
        print(json.dumps(case_json(case), ensure_ascii=False, indent=2))
        return 0
    data = case_json(case)
    print(f"{data['number']}  {data['state_label']}  {', '.join(data['item_names'])}")
    print(f"申请人：{case.applicant.name}  证件：{case.applicant.id_number}  电话：{case.applicant.phone or '—'}")
    print(f"受理：{data['accepted_on']}  {data['window']} 号窗口  {data['clerk']}  办结期限：{data['due_date'] or '—'}")
    for reason in case.reasons:
        print(f"  - {reason}")
    return 0


def _list(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.services import cases
    from hallclient.store.cases_repo import CaseFilter

    workspace = open_workspace(data_dir, seed=False)
    try:
        actor = signed_in_actor(workspace)
        found = cases.list_cases(workspace.services, actor, CaseFilter(text=args.text, limit=args.limit), date.today())
    finally:
        workspace.close()
    if args.json:
        print(json.dumps([case_json(c) for c in found], ensure_ascii=False, indent=2))
    else:
        for case in found:
            print(f"{case.case_number}\t{case.state.value}\t{case.applicant.name}\t{case.accepted_on.isoformat()}")
    return 0
