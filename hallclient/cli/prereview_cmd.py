"""`hallclient prereview create|show|list` and `hallclient authorisation set|show`."""

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

EXAMPLES = """examples:
  HALLCLIENT_USER=zhou HALLCLIENT_PASSWORD=… hallclient prereview create --item 4115000100017-001 \\
      --received application_form --missing floor_plan --applicant-name 张三 \\
      --applicant-id 11010519491231002X --phone 13812345678 --remark 平面图需标注面积 --json
  hallclient prereview show YS2026120101001 --json
  hallclient case create --from-prereview YS2026120101001 --received floor_plan --json"""


def _keys(value: str) -> list[str]:
    return [k.strip() for k in value.split(",") if k.strip()]


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    pre = commands.add_parser("prereview", help="pre-reviews (预审) by proxy-service staff",
                              description="Pre-reviews (预审) made by proxy-service staff (帮办代办) and taken up "
                                          "once at a window.", epilog=EXAMPLES,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    add_data_dir(pre)
    sub = pre.add_subparsers(dest="prereview_command", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="record a pre-review")
    create.add_argument("--item", action="append", default=[], metavar="CODE")
    create.add_argument("--bundle", metavar="CODE")
    for flag in ("--received", "--missing", "--commitment", "--not-applicable"):
        create.add_argument(flag, type=_keys, default=[], metavar="KEY,...")
    create.add_argument("--e-license", type=_keys, default=[], metavar="KEY=NO,...")
    create.add_argument("--defective", type=_keys, default=[], metavar="KEY=REASON,...")
    create.add_argument("--applicant-name", required=True)
    create.add_argument("--applicant-id", required=True)
    create.add_argument("--phone", default="")
    create.add_argument("--remark", default="", help="the overall remark")
    create.add_argument("--material-remark", action="append", default=[], metavar="KEY=TEXT",
                        help="a remark on one material (repeatable)")
    create.add_argument("--agent", action="store_true", help="代办 with the applicant's 委托书 (default: 帮办)")
    create.add_argument("--not-hall", action="store_true", help="the item is not handled in this hall")
    create.add_argument("--json", action="store_true")
    add_data_dir(create)
    create.set_defaults(handler=_create)
    show = sub.add_parser("show", help="one pre-review by its number")
    show.add_argument("number")
    show.add_argument("--json", action="store_true")
    add_data_dir(show)
    show.set_defaults(handler=_show)
    lst = sub.add_parser("list", help="the signed-in proxy's pre-reviews and what became of each")
    lst.add_argument("--json", action="store_true")
    add_data_dir(lst)
    lst.set_defaults(handler=_list)

    auth = commands.add_parser("authorisation", help="chief representatives' authorisations (授权书)",
                               description="A chief representative's 授权书: the departments and items they may "
                                           "approve on site, from when to when (administrator).")
    add_data_dir(auth)
    asub = auth.add_subparsers(dest="authorisation_command", metavar="ACTION", required=True)
    aset = asub.add_parser("set", help="record a new version")
    aset.add_argument("login")
    aset.add_argument("--department", action="append", default=[], required=True)
    aset.add_argument("--item", action="append", default=[], metavar="CODE",
                      help="only these items (default: every on-site item of the departments)")
    aset.add_argument("--from", dest="valid_from", type=date.fromisoformat, metavar="YYYY-MM-DD")
    aset.add_argument("--to", dest="valid_to", type=date.fromisoformat, metavar="YYYY-MM-DD")
    add_data_dir(aset)
    aset.set_defaults(handler=_auth_set)
    ashow = asub.add_parser("show", help="the current version")
    ashow.add_argument("login")
    add_data_dir(ashow)
    ashow.set_defaults(handler=_auth_show)


def prereview_json(p: Any) -> dict[str, Any]:
    from hallclient.core.prereview import OUTCOME_LABELS, marks_to_json

    return {"number": p.number, "uuid": p.uuid, "outcome": p.outcome.value, "outcome_label": OUTCOME_LABELS[p.outcome],
            "missing": list(p.missing), "items": list(p.item_codes), "item_names": list(p.item_names),
            "applicant": p.applicant.to_json(), "marks": marks_to_json(p.marks), "remarks": dict(p.remarks),
            "remark": p.remark, "consent": p.consent.value, "proxy": p.proxy_login,
            "valid_until": p.valid_until.isoformat(), "used_case_number": p.used_case_number,
            "used_window": p.used_window}


def _create(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.cli.case_cmd import load_items_for, parse_marks, valid_applicant
    from hallclient.core.checklist import MaterialMark, MaterialStatus
    from hallclient.core.prereview import Consent, PrereviewUnusable
    from hallclient.services import prereview

    applicant = valid_applicant(args)
    workspace = open_workspace(data_dir)
    try:
        actor = signed_in_actor(workspace)
        items, bundle = load_items_for(workspace.services, args.item, args.bundle)
        marks = parse_marks(args)
        for key in args.missing:
            marks[key] = MaterialMark(MaterialStatus.MISSING)
        known = {m.key for i in items for m in i.materials}
        unknown = sorted(set(marks) - known)
        if unknown:
            raise CommandError(f"unknown material key: {', '.join(unknown)}", EXIT_USAGE)
        remarks = dict(entry.partition("=")[::2] for entry in args.material_remark)
        try:
            made = prereview.create(workspace.services, actor, items=items, bundle=bundle, applicant=applicant,
                                    marks=marks, remarks=remarks, remark=args.remark,
                                    consent=Consent.AGENT if args.agent else Consent.HELP,
                                    power_of_attorney=args.agent, not_hall=args.not_hall).value
        except PrereviewUnusable as error:
            raise CommandError(str(error), EXIT_USAGE) from error
    finally:
        workspace.close()
    if args.json:
        print(json.dumps(prereview_json(made), ensure_ascii=False, indent=2))
    else:
        print(f"{made.number}\t{made.outcome.value}\t有效期至 {made.valid_until.isoformat()}")
    return 0


def _show(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.services import prereview

    workspace = open_workspace(data_dir, seed=False)
    try:
        actor = signed_in_actor(workspace)
        try:
            found = prereview.show(workspace.services, actor, args.number)
        except prereview.PrereviewNotFound as error:
            raise CommandError(str(error), EXIT_USAGE) from error
    finally:
        workspace.close()
    data = prereview_json(found)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        used = f"已在 {found.used_window} 号窗口受理（{found.used_case_number}）" if found.used_case_number else "尚未受理"
        print(f"{found.number}  {data['outcome_label']}  {'、'.join(found.item_names)}  {used}")
        for name in found.missing:
            print(f"  需补齐：{name}")
    return 0


def _list(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.services import prereview

    workspace = open_workspace(data_dir, seed=False)
    try:
        found = prereview.list_mine(workspace.services, signed_in_actor(workspace))
    finally:
        workspace.close()
    if args.json:
        print(json.dumps([prereview_json(p) for p in found], ensure_ascii=False, indent=2))
    else:
        for p in found:
            print(f"{p.number}\t{p.outcome.value}\t{p.used_case_number or '尚未受理'}")
    return 0


def _auth_set(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.approval import ApprovalRefused, Authorisation
    from hallclient.services import approval

    workspace = open_workspace(data_dir, seed=False)
    try:
        actor = signed_in_actor(workspace)
        try:
            saved = approval.set_authorisation(workspace.services, actor, Authorisation(
                login=args.login, version=0, departments=tuple(args.department), item_codes=tuple(args.item),
                valid_from=args.valid_from, valid_to=args.valid_to)).value
        except ApprovalRefused as error:
            raise CommandError(f"--department: {error}", EXIT_USAGE) from error
    finally:
        workspace.close()
    print(json.dumps(saved.to_json(), ensure_ascii=False))
    return 0


def _auth_show(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.services import approval

    workspace = open_workspace(data_dir, seed=False)
    try:
        signed_in_actor(workspace)
        found = approval.current_authorisation(workspace.services, args.login)
    finally:
        workspace.close()
    if found is None:
        raise CommandError(f"{args.login} has no authorisation (没有授权书)")
    print(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
    return 0
