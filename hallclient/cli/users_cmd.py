"""`hallclient users …`: the people who may sign in at this window.

A standalone window keeps its accounts in its own database; a window with a central service
manages the central's accounts (the same accounts every window signs in with) through its API.
The very first account of a standalone window needs no sign-in and must be an administrator;
every later change needs an administrator (HALLCLIENT_USER / HALLCLIENT_PASSWORD).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from hallclient.cli.common import (
    EXIT_DENIED,
    EXIT_USAGE,
    CommandError,
    add_data_dir,
    open_workspace,
    read_password_stdin,
    signed_in_actor,
)

ROLES_HELP = "clerk (窗口受理), chief (首席代表), proxy (帮办代办), supervisor (大厅管理), admin (系统管理员)"
EXAMPLES = """examples:
  printf '%s\\n' "$PW" | hallclient users add admin --name 管理员 --role admin --password-stdin
  printf '%s\\n' "$PW" | hallclient users add li --name 李四 --role clerk --password-stdin
  printf '%s\\n' "$PW" | hallclient users add wang --role chief --department 信阳高新区市场监督管理局 --password-stdin
  HALLCLIENT_USER=admin HALLCLIENT_PASSWORD=… hallclient users list --json"""


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    users = commands.add_parser("users", help="manage the people who sign in (accounts and roles)",
                                description=__doc__, epilog=EXAMPLES,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    add_data_dir(users)
    sub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = sub.add_parser("add", help="add an account", description="Add an account. Roles: " + ROLES_HELP)
    add.add_argument("login")
    add.add_argument("--name", default="", help="the person's name as shown and printed")
    _role_args(add, required=True)
    add.add_argument("--password-stdin", action="store_true", required=True,
                     help="read the password from the first line of standard input")
    add_data_dir(add)
    add.set_defaults(handler=_add)

    lst = sub.add_parser("list", help="list the accounts")
    lst.add_argument("--json", action="store_true", help="print JSON")
    add_data_dir(lst)
    lst.set_defaults(handler=_list)

    disable = sub.add_parser("disable", help="disable an account (it can no longer sign in)")
    disable.add_argument("login")
    add_data_dir(disable)
    disable.set_defaults(handler=_disable)

    reset = sub.add_parser("reset-password", help="set a new password")
    reset.add_argument("login")
    reset.add_argument("--password-stdin", action="store_true", required=True)
    add_data_dir(reset)
    reset.set_defaults(handler=_reset)

    roles = sub.add_parser("roles", help="replace an account's roles and departments",
                           description="Replace LOGIN's roles (and a chief representative's departments). "
                                       "Roles: " + ROLES_HELP)
    roles.add_argument("login")
    _role_args(roles, required=True)
    add_data_dir(roles)
    roles.set_defaults(handler=_roles)


def _role_args(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--role", action="append", default=[], required=required, metavar="ROLE",
                        help="clerk, chief, proxy, supervisor or admin (repeatable)")
    parser.add_argument("--department", action="append", default=[], metavar="DEPT",
                        help="a chief representative's department (repeatable)")


def _run(data_dir: Path | None, action, *, remote=None, bootstrap: bool = False) -> Any:  # type: ignore[no-untyped-def]
    """Run `action(ctx, actor)` on this window's accounts, or `remote(url, token, session)` on
    the central's when the window has one (signed in there as the administrator)."""
    from hallclient.services.accounts import BadAccountInput

    workspace = open_workspace(data_dir, seed=False)
    try:
        ctx = workspace.services
        if ctx.has_central:
            return _on_central(workspace, remote)
        actor = signed_in_actor(workspace, bootstrap=bootstrap)
        try:
            return action(ctx, actor)
        except BadAccountInput as error:
            raise CommandError(f"{error.field}: {error}", EXIT_USAGE) from error
    finally:
        workspace.close()


def _on_central(workspace: Any, remote: Any) -> Any:
    import os

    from hallclient.services import accounts
    from hallclient.sync import auth_client

    settings = workspace.services.settings
    login, password = os.environ.get("HALLCLIENT_USER", ""), os.environ.get("HALLCLIENT_PASSWORD", "")
    if not login or not password:
        raise CommandError("not signed in: set HALLCLIENT_USER and HALLCLIENT_PASSWORD of an administrator "
                           "(未登录)", EXIT_DENIED)
    try:
        signed = accounts.sign_in(workspace.services, login, password)
    except accounts.SignInFailed as error:
        raise CommandError(f"sign-in failed: {error}", EXIT_DENIED) from error
    if signed.session_token is None:
        raise CommandError("the central cannot be reached: accounts are managed on the central "
                           "(中心服务无法连接，账号须在中心管理)")
    try:
        return remote(settings.central_url, settings.central_token, signed.session_token)
    except auth_client.NotPermitted as error:
        raise CommandError(f"not permitted: {error}", EXIT_DENIED) from error
    except auth_client.BadInput as error:
        raise CommandError(f"{error.field or 'input'}: {error}", EXIT_USAGE) from error
    except auth_client.CentralError as error:
        raise CommandError(f"central: {error}") from error


class _Remote:
    """A central account as printed by `_print_user`."""

    def __init__(self, data: dict[str, Any]) -> None:
        from hallclient.core.permissions import Role

        self.login = data.get("login", "")
        self.name = data.get("name", "")
        self.roles = tuple(Role(r) for r in data.get("roles", []) if r in {x.value for x in Role})
        self.departments = tuple(data.get("departments", []))
        self.disabled = bool(data.get("disabled", False))
        self.source = "central"

    def to_json(self) -> dict[str, Any]:
        return {"login": self.login, "name": self.name, "roles": [r.value for r in self.roles],
                "departments": list(self.departments), "disabled": self.disabled, "source": self.source}


def _print_user(info: Any) -> None:
    from hallclient.services.accounts import role_names

    state = "（已停用）" if info.disabled else ""
    depts = f" 部门：{'、'.join(info.departments)}" if info.departments else ""
    print(f"{info.login}\t{info.name}\t{role_names(info.roles)}{depts}{state}")


def _add(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.permissions import SYSTEM
    from hallclient.services import accounts
    from hallclient.sync import auth_client

    password = read_password_stdin()
    info = _run(data_dir, lambda ctx, actor: accounts.add_user(
        ctx, None if actor is SYSTEM else actor, args.login, name=args.name, roles=args.role,
        departments=args.department, password=password).value, bootstrap=True,
        remote=lambda url, token, session: _Remote(auth_client.users_add(
            url, token, session, args.login, password=password, name=args.name, roles=args.role,
            departments=args.department)))
    _print_user(info)
    return 0


def _list(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.services import accounts
    from hallclient.sync import auth_client

    infos = _run(data_dir, accounts.list_users, remote=lambda url, token, session: [
        _Remote(u) for u in auth_client.users_list(url, token, session)])
    if args.json:
        print(json.dumps([i.to_json() for i in infos], ensure_ascii=False, indent=2))
    else:
        for info in infos:
            _print_user(info)
    return 0


def _disable(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.services import accounts
    from hallclient.sync import auth_client

    _print_user(_run(data_dir, lambda ctx, actor: accounts.disable_user(ctx, actor, args.login).value,
                     remote=lambda url, token, session: _Remote(
                         auth_client.users_disable(url, token, session, args.login))))
    return 0


def _reset(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.services import accounts
    from hallclient.sync import auth_client

    password = read_password_stdin()
    _print_user(_run(data_dir, lambda ctx, actor: accounts.reset_password(ctx, actor, args.login, password).value,
                     remote=lambda url, token, session: _Remote(
                         auth_client.users_reset_password(url, token, session, args.login, password))))
    return 0


def _roles(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.services import accounts
    from hallclient.sync import auth_client

    _print_user(_run(data_dir, lambda ctx, actor: accounts.set_roles(
        ctx, actor, args.login, args.role, args.department).value,
        remote=lambda url, token, session: _Remote(
            auth_client.users_roles(url, token, session, args.login, args.role, args.department))))
    return 0
