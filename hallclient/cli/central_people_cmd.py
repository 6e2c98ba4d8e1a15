"""`hallclient central users …` and `hallclient central audit …`: on the central database itself.

    hallclient central users add LOGIN [--name N] --role ROLE [--role …] [--department D]… --password-stdin
    hallclient central users list [--json]
    hallclient central users disable LOGIN | enable LOGIN
    hallclient central users reset-password LOGIN --password-stdin
    hallclient central users roles LOGIN --role ROLE [--role …] [--department D]…
    hallclient central audit verify
    hallclient central audit list [--case NUMBER] [--user LOGIN] [--kind KIND] [--since DATE] [--json]

The first account of an empty database needs no sign-in and must have the admin role; after it,
the command signs in with HALLCLIENT_USER and HALLCLIENT_PASSWORD (or asks on a terminal).
Exit status: 0 done, 1 failed, 2 bad input (the message names the field), 4 not permitted.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hallclient.cli.common import EXIT_USAGE, CommandError

EXIT_DENIED = 4
CLI_WINDOW = "cli"


def register(sub: argparse._SubParsersAction, add_db: Callable[[argparse.ArgumentParser], None]) -> None:  # type: ignore[type-arg]
    users = sub.add_parser("users", help="person accounts on the central (one per person, several roles)")
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add an account (password read from standard input)")
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--name", default="", help="the person's name, e.g. 李四")
    _roles_options(add)
    add.add_argument("--password-stdin", action="store_true", help="read the new password from standard input")
    add_db(add)
    add.set_defaults(handler=_users_add)

    listing = actions.add_parser("list", help="the accounts")
    listing.add_argument("--json", action="store_true")
    add_db(listing)
    listing.set_defaults(handler=_users_list)

    for name, handler, text in (("disable", _users_disable, "disable an account (its sessions end)"),
                                ("enable", _users_enable, "enable and unlock an account")):
        parser = actions.add_parser(name, help=text)
        parser.add_argument("login", metavar="LOGIN")
        add_db(parser)
        parser.set_defaults(handler=handler)

    reset = actions.add_parser("reset-password", help="set a new password (read from standard input)")
    reset.add_argument("login", metavar="LOGIN")
    reset.add_argument("--password-stdin", action="store_true")
    add_db(reset)
    reset.set_defaults(handler=_users_reset)

    roles = actions.add_parser("roles", help="replace an account's roles and departments")
    roles.add_argument("login", metavar="LOGIN")
    _roles_options(roles)
    add_db(roles)
    roles.set_defaults(handler=_users_roles)

    audit = sub.add_parser("audit", help="the central's audit trail: verify the chain, list records")
    audit_actions = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_actions.add_parser("verify", help="check the chain (exit 1 naming the first bad record)")
    add_db(verify)
    verify.set_defaults(handler=_audit_verify)
    records = audit_actions.add_parser("list", help="records, newest first")
    records.add_argument("--case", dest="case_number", help="one case number")
    records.add_argument("--user", help="one person's login")
    records.add_argument("--kind", help="e.g. signin, case.read, user.add")
    records.add_argument("--since", help="from this date (YYYY-MM-DD)")
    records.add_argument("--limit", type=int, default=200)
    records.add_argument("--json", action="store_true")
    add_db(records)
    records.set_defaults(handler=_audit_list)


def _roles_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", dest="roles", action="append", default=[], metavar="ROLE",
                        help="clerk, chief, proxy, supervisor or admin (may be repeated)")
    parser.add_argument("--department", dest="departments", action="append", default=[], metavar="DEPT",
                        help="a chief representative's department (may be repeated)")


# -- opening the database and signing in ------------------------------------------------------

def _opened(args: argparse.Namespace, data_dir: Path | None) -> tuple[Any, Any]:
    from hallclient.cli.central_cmd import open_with_keys

    return open_with_keys(args, data_dir)


def _read_password(args: argparse.Namespace) -> str:
    if not getattr(args, "password_stdin", False):
        raise CommandError("输入有误（password）：请用 --password-stdin 从标准输入提供新密码", EXIT_USAGE)
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CommandError("输入有误（password）：标准输入中没有密码", EXIT_USAGE)
    return password


def _sign_in(session: Any, keys: Any) -> Any:
    """The administrator (or supervisor) running the command, from HALLCLIENT_USER/PASSWORD."""
    from hallclient.central.signin import AuthSettings, SignInRefused, check_password

    login = os.environ.get("HALLCLIENT_USER", "")
    password = os.environ.get("HALLCLIENT_PASSWORD", "")
    if (not login or not password) and sys.stdin.isatty():
        login = login or input("用户名：").strip()
        password = password or getpass.getpass("密码：")
    if not login or not password:
        raise CommandError("需要登录：请设置 HALLCLIENT_USER 和 HALLCLIENT_PASSWORD", EXIT_DENIED)
    try:
        user = check_password(session, keys.audit, AuthSettings(), login=login, password=password,
                              window=CLI_WINDOW, channel="cli")
    except SignInRefused as exc:
        session.commit()  # the failure is counted and audited
        raise CommandError(f"登录失败：{exc}", EXIT_DENIED) from None
    from hallclient.central.audit_log import append

    append(session, keys.audit, actor=user.login, roles=[r.value for r in user.roles], window=CLI_WINDOW,
           kind="signin", detail={"channel": "cli"})
    return user.actor(CLI_WINDOW)


def _act(args: argparse.Namespace, data_dir: Path | None, work: Callable[[Any, Any, Any], str], *,
         bootstrap: bool = False) -> int:
    """Open, sign in (unless `bootstrap` on an empty users table), run `work`, commit, print."""
    from hallclient.central import people
    from hallclient.core.permissions import PermissionDenied

    store, keys = _opened(args, data_dir)
    try:
        with store.session() as session:
            actor = None
            if not (bootstrap and people.count_users(session) == 0):
                actor = _sign_in(session, keys)
            try:
                text = work(session, keys, actor)
            except PermissionDenied as exc:
                session.rollback()
                raise CommandError(str(exc), EXIT_DENIED) from None
            except people.BadUserInput as exc:
                session.rollback()
                raise CommandError(f"输入有误（{exc.field}）：{exc}", EXIT_USAGE) from None
            except people.UserNotFound as exc:
                session.rollback()
                raise CommandError(f"输入有误（login）：{exc}", EXIT_USAGE) from None
            except people.UserExists as exc:
                session.rollback()
                raise CommandError(str(exc)) from None
            session.commit()
    finally:
        store.close()
    if text:
        print(text)
    return 0


def _now() -> str:
    from hallclient.central.audit_log import now_text

    return now_text()


def _describe(user: Any) -> str:
    from hallclient.core.permissions import ROLE_LABELS

    roles = "、".join(ROLE_LABELS[r] for r in user.roles)
    depts = f"（{'、'.join(user.departments)}）" if user.departments else ""
    state = "，已停用" if user.disabled else ""
    return f"{user.login}\t{user.name}\t{roles}{depts}{state}"


# -- users -----------------------------------------------------------------------------------

def _users_add(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central import people

    password = _read_password(args)

    def work(session: Any, keys: Any, actor: Any) -> str:
        user = people.add_user(session, keys.audit, actor, login=args.login, name=args.name, roles=args.roles,
                               departments=args.departments, password=password, now=_now())
        return f"已添加账号：{_describe(user)}"

    return _act(args, data_dir, work, bootstrap=True)


def _users_list(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central import people
    from hallclient.core.permissions import Action, require

    def work(session: Any, _keys: Any, actor: Any) -> str:
        require(actor, Action.USERS_MANAGE)
        users = people.list_users(session)
        if args.json:
            return json.dumps([u.to_json() for u in users], ensure_ascii=False, indent=2)
        return "\n".join(_describe(u) for u in users) or "（没有账号）"

    return _act(args, data_dir, work)


def _users_disable(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central import people

    return _act(args, data_dir, lambda s, k, a: "已停用：" + _describe(
        people.disable_user(s, k.audit, a, args.login, _now())))


def _users_enable(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central import people

    return _act(args, data_dir, lambda s, k, a: "已启用：" + _describe(
        people.enable_user(s, k.audit, a, args.login, _now())))


def _users_reset(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central import people

    password = _read_password(args)
    return _act(args, data_dir, lambda s, k, a: "已重置密码：" + _describe(
        people.reset_password(s, k.audit, a, args.login, password, _now())))


def _users_roles(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central import people

    return _act(args, data_dir, lambda s, k, a: "已修改角色：" + _describe(
        people.set_roles(s, k.audit, a, args.login, args.roles, args.departments, _now())))


# -- audit -----------------------------------------------------------------------------------

def _audit_actor(session: Any, keys: Any) -> tuple[str, list[str]]:
    """Who reads the audit: a signed-in supervisor or administrator (anyone while no account exists)."""
    from hallclient.central import people
    from hallclient.core.permissions import Action, require

    if people.count_users(session) == 0:
        return "cli", []
    actor = _sign_in(session, keys)
    require(actor, Action.AUDIT_READ)
    return actor.login, sorted(r.value for r in actor.roles)


def _audit_verify(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central import audit_log
    from hallclient.core.permissions import PermissionDenied

    store, keys = _opened(args, data_dir)
    try:
        with store.session() as session:
            # Checked before this command's own sign-in is recorded (shown only if it may read it).
            report = audit_log.verify_central(session, keys.audit)
            windows = audit_log.verify_window_chains(session)
            session.rollback()
            try:
                who, roles = _audit_actor(session, keys)
            except PermissionDenied as exc:
                raise CommandError(str(exc), EXIT_DENIED) from None
            audit_log.append(session, keys.audit, actor=who, roles=roles, window=CLI_WINDOW, kind="audit.verify",
                             detail={"ok": report.ok, "checked": report.checked})
            session.commit()
    finally:
        store.close()
    lines = []
    for chain in windows:
        lines.append(f"{chain.window} 号窗口上报的审计记录：{chain.checked} 条链接完整" if chain.ok
                     else f"{chain.problem}（已核对 {chain.checked} 条）")
    if not report.ok:
        if lines:
            print("\n".join(lines), file=sys.stderr)
        raise CommandError(f"审计日志校验失败：{report.problem}（此前 {report.checked} 条完好）")
    print(f"审计日志完整：已校验 {report.checked} 条记录")
    if lines:
        print("\n".join(lines))
    if not all(chain.ok for chain in windows):
        return 1
    return 0


def _audit_list(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central import audit_log
    from hallclient.core.permissions import PermissionDenied

    store, keys = _opened(args, data_dir)
    try:
        with store.session() as session:
            try:
                who, roles = _audit_actor(session, keys)
            except PermissionDenied as exc:
                raise CommandError(str(exc), EXIT_DENIED) from None
            rows = audit_log.list_records(session, case_number=args.case_number, actor=args.user,
                                          kind=args.kind, since=args.since, limit=args.limit)
            audit_log.append(session, keys.audit, actor=who, roles=roles, window=CLI_WINDOW, kind="audit.list",
                             detail={"returned": len(rows)})
            session.commit()
    finally:
        store.close()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        case = f" {row['case_number']}" if row["case_number"] else ""
        print(f"{row['seq']}\t{row['at']}\t{row['actor']}\t{row['window'] or '-'}\t{row['kind']}{case}\t"
              f"{json.dumps(row['detail'], ensure_ascii=False)}")
    return 0
