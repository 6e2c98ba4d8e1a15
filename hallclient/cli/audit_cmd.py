"""`hallclient audit verify|list`: the window's audit trail."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from hallclient.cli.common import EXIT_ERROR, add_data_dir, open_workspace, signed_in_actor


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = commands.add_parser("audit", help="verify or read the audit trail",
                                description="The window's audit trail (审计日志): every sign-in, decision, "
                                            "print, supplement, return, settings and account change, "
                                            "chained with HMAC-SM3 so that a change, removal or insertion "
                                            "is detected.")
    add_data_dir(audit)
    sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help="check the chain; exit 1 naming the first bad record",
                            description="Walk the whole chain with the key. Exit 0 with the count of records "
                                        "checked when it is whole, 1 naming the first record that was "
                                        "changed, removed or inserted.")
    add_data_dir(verify)
    verify.set_defaults(handler=_verify)
    lst = sub.add_parser("list", help="the records, newest first (supervisor)")
    lst.add_argument("--case", metavar="NUMBER", help="records of one case")
    lst.add_argument("--user", metavar="LOGIN", help="records of one person")
    lst.add_argument("--kind", help="one kind of record (sign_in, case_created, …)")
    lst.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD")
    lst.add_argument("--limit", type=int, default=1000)
    lst.add_argument("--json", action="store_true")
    add_data_dir(lst)
    lst.set_defaults(handler=_list)


def _verify(_args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.services import audit

    workspace = open_workspace(data_dir, seed=False)
    try:
        report = audit.verify(workspace.services)
    finally:
        workspace.close()
    if report.ok:
        print(f"审计日志完整：已校验 {report.checked} 条记录 (chain intact: {report.checked} records checked)")
        return 0
    print(f"审计日志被改动：{report.problem} (first bad record: seq {report.first_bad_seq})")
    return EXIT_ERROR


def _list(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.services import audit

    workspace = open_workspace(data_dir, seed=False)
    try:
        actor = signed_in_actor(workspace)
        rows = audit.list_records(workspace.services, actor, audit.AuditFilter(
            case_number=args.case, login=args.user, kind=args.kind, since=args.since, limit=args.limit)).value
    finally:
        workspace.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(f"{row['seq']}\t{row['at']}\t{row['actor']}\t{row['window']}\t{row['kind_label']}\t{row['case_number'] or ''}")
    return 0
