"""`hallclient central authorisation …`: chief representatives' authorisations (授权书) on the central.

    hallclient central authorisation set LOGIN --department D [--department …] [--item CODE]…
                                         [--from DATE] [--to DATE] [--note TEXT]
    hallclient central authorisation show LOGIN [--json]

`set` records the next version (a 系统管理员); `show` lists every version (the chief representative
themself, a 大厅管理人员 or a 系统管理员). Sign-in with HALLCLIENT_USER and HALLCLIENT_PASSWORD.
Exit status: 0 done, 1 failed, 2 bad input, 4 not permitted.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hallclient.cli.common import EXIT_USAGE, CommandError


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("authorisation", help="chief representatives' authorisations (授权书), versioned")
    actions = parser.add_subparsers(dest="authorisation_command", metavar="ACTION", required=True)
    put = actions.add_parser("set", help="record a new version of a chief representative's authorisation")
    put.add_argument("login", metavar="LOGIN")
    put.add_argument("--department", dest="departments", action="append", default=[], metavar="DEPT",
                     help="a department the authorisation covers (may be repeated)")
    put.add_argument("--item", dest="items", action="append", default=[], metavar="CODE",
                     help="only these items (may be repeated; default: every on-site item of the departments)")
    put.add_argument("--from", dest="valid_from", metavar="DATE", help="valid from (YYYY-MM-DD)")
    put.add_argument("--to", dest="valid_to", metavar="DATE", help="valid until (YYYY-MM-DD)")
    put.add_argument("--note", default="", help="e.g. the number of the written authorisation")
    add_db(put)
    put.set_defaults(handler=_set)
    show = actions.add_parser("show", help="every version of a chief representative's authorisation")
    show.add_argument("login", metavar="LOGIN")
    show.add_argument("--json", action="store_true")
    add_db(show)
    show.set_defaults(handler=_show)


def _run(args: argparse.Namespace, data_dir: Path | None, work: Callable[[Any, Any, Any], str]) -> int:
    from hallclient.central.authorisations import BadAuthorisation
    from hallclient.cli.central_people_cmd import _act

    def guarded(session: Any, keys: Any, actor: Any) -> str:
        try:
            return work(session, keys, actor)
        except BadAuthorisation as exc:
            session.rollback()
            raise CommandError(f"输入有误（{exc.field}）：{exc}", EXIT_USAGE) from None

    return _act(args, data_dir, guarded)


def _set(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central import authorisations

    def work(session: Any, keys: Any, actor: Any) -> str:
        saved = authorisations.set_authorisation(
            session, keys.audit, actor, args.login, departments=args.departments, item_codes=args.items,
            valid_from=args.valid_from, valid_to=args.valid_to, note=args.note)
        return "已登记：" + authorisations.describe(saved)

    return _run(args, data_dir, work)


def _show(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central import audit_log, authorisations

    def work(session: Any, keys: Any, actor: Any) -> str:
        authorisations.may_read(actor, args.login)
        found = authorisations.versions(session, args.login)
        audit_log.append(session, keys.audit, actor=actor.login, roles=sorted(r.value for r in actor.roles),
                         window="cli", kind="authorisation.read", detail={"login": args.login})
        if args.json:
            return json.dumps([a.to_json() for a in found], ensure_ascii=False, indent=2)
        if not found:
            return f"{args.login} 没有授权书"
        return "\n".join(authorisations.describe(a) for a in reversed(found))

    return _run(args, data_dir, work)
