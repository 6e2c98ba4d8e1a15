"""Who may do what: roles, the signed-in actor, and the one permission table.

Every service (window, CLI and central alike) asks `require(actor, action, ...)` before it
writes or reads; a refusal names the role that may do it, in the words a clerk reads, e.g.
``不能审批：需要首席代表（信阳高新区市场监督管理局）权限``. Hiding a button in the window is a
courtesy; this table is the protection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"  # 综合窗口 收件/受理人员
    CHIEF = "chief"  # 首席代表, of one or more departments
    PROXY = "proxy"  # 帮办代办
    SUPERVISOR = "supervisor"  # 大厅管理
    ADMIN = "admin"  # 系统管理员


ROLE_LABELS: dict[Role, str] = {
    Role.CLERK: "窗口受理人员",
    Role.CHIEF: "首席代表",
    Role.PROXY: "帮办代办人员",
    Role.SUPERVISOR: "大厅管理人员",
    Role.ADMIN: "系统管理员",
}


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        names = "、".join(r.value for r in Role)
        raise ValueError(f"未知角色「{text}」，可选：{names}") from None


class Action(StrEnum):
    CASE_CREATE = "case.create"  # accept, tolerate, one-time notice, refuse
    CASE_SUPPLEMENT = "case.supplement"
    CASE_RETURN = "case.return"
    CASE_PRINT = "case.print"
    CASE_READ = "case.read"
    CASE_APPROVE = "case.approve"
    CASE_SEND_BACK = "case.send_back"
    PREREVIEW_CREATE = "prereview.create"
    PREREVIEW_READ = "prereview.read"
    USERS_MANAGE = "users.manage"
    CATALOG_MANAGE = "catalog.manage"
    SETTINGS_MANAGE = "settings.manage"
    AUDIT_READ = "audit.read"
    QUEUE_CALL = "queue.call"
    RATE = "evaluation.rate"
    RECTIFY = "evaluation.rectify"
    COMPLAINT_REGISTER = "complaint.register"
    COMPLAINT_HANDLE = "complaint.handle"
    STATS_READ = "stats.read"  # the hall's figures, assessment and ranking (a clerk: their own only)


ACTION_LABELS: dict[Action, str] = {
    Action.CASE_CREATE: "受理办件",
    Action.CASE_SUPPLEMENT: "登记补正",
    Action.CASE_RETURN: "退件",
    Action.CASE_PRINT: "打印文书",
    Action.CASE_READ: "查看办件",
    Action.CASE_APPROVE: "审批",
    Action.CASE_SEND_BACK: "退回窗口",
    Action.PREREVIEW_CREATE: "预审",
    Action.PREREVIEW_READ: "查看预审",
    Action.USERS_MANAGE: "管理账号",
    Action.CATALOG_MANAGE: "维护事项清单",
    Action.SETTINGS_MANAGE: "修改大厅设置",
    Action.AUDIT_READ: "查看审计日志",
    Action.QUEUE_CALL: "叫号",
    Action.RATE: "记录评价",
    Action.RECTIFY: "处理差评整改",
    Action.COMPLAINT_REGISTER: "登记投诉",
    Action.COMPLAINT_HANDLE: "办理投诉",
    Action.STATS_READ: "查看大厅统计与考核",
}

# The roles that may take each action at all; scope (window, department) is checked on top.
ALLOWED: dict[Action, frozenset[Role]] = {
    Action.CASE_CREATE: frozenset({Role.CLERK}),
    Action.CASE_SUPPLEMENT: frozenset({Role.CLERK}),
    Action.CASE_RETURN: frozenset({Role.CLERK}),
    Action.CASE_PRINT: frozenset({Role.CLERK, Role.CHIEF}),
    Action.CASE_READ: frozenset({Role.CLERK, Role.CHIEF, Role.SUPERVISOR}),
    Action.CASE_APPROVE: frozenset({Role.CHIEF}),
    Action.CASE_SEND_BACK: frozenset({Role.CHIEF}),
    Action.PREREVIEW_CREATE: frozenset({Role.PROXY}),
    Action.PREREVIEW_READ: frozenset({Role.PROXY, Role.CLERK, Role.SUPERVISOR}),
    Action.USERS_MANAGE: frozenset({Role.ADMIN}),
    Action.CATALOG_MANAGE: frozenset({Role.ADMIN}),
    Action.SETTINGS_MANAGE: frozenset({Role.ADMIN}),
    Action.AUDIT_READ: frozenset({Role.SUPERVISOR, Role.ADMIN}),
    Action.QUEUE_CALL: frozenset({Role.CLERK}),
    Action.RATE: frozenset({Role.CLERK, Role.CHIEF}),
    Action.RECTIFY: frozenset({Role.SUPERVISOR}),
    # 首问负责: whoever is first asked registers it
    Action.COMPLAINT_REGISTER: frozenset({Role.CLERK, Role.CHIEF, Role.PROXY, Role.SUPERVISOR}),
    Action.COMPLAINT_HANDLE: frozenset({Role.SUPERVISOR, Role.CLERK, Role.CHIEF, Role.PROXY}),
    Action.STATS_READ: frozenset({Role.SUPERVISOR, Role.ADMIN}),
}

# Roles that see an applicant's full ID number and phone (the rest see them masked).
FULL_PERSONAL_DATA: frozenset[Role] = frozenset({Role.CLERK, Role.CHIEF})


@dataclass(frozen=True)
class Actor:
    """The signed-in person, at a window (or at the central, or in a script)."""

    login: str
    name: str
    roles: frozenset[Role]
    departments: tuple[str, ...] = ()
    window_number: str = ""

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def role_labels(self) -> str:
        return "、".join(ROLE_LABELS[r] for r in Role if r in self.roles)

    @property
    def sees_full_personal_data(self) -> bool:
        return bool(self.roles & FULL_PERSONAL_DATA)

    def describe(self) -> str:
        return f"{self.name or self.login}（{self.role_labels}）"


SYSTEM = Actor(login="system", name="系统", roles=frozenset(Role))
"""Internal work that no person starts (migrations, seeding the sample catalog)."""


class PermissionDenied(Exception):
    """A refused action: what was refused and who could have done it."""

    def __init__(self, action: Action, needed: str, detail: str = "") -> None:
        self.action = action
        self.needed = needed  # e.g. 首席代表（信阳高新区市场监督管理局）
        self.detail = detail
        text = f"不能{ACTION_LABELS[action]}：需要{needed}权限"
        super().__init__(f"{text}（{detail}）" if detail else text)


def _needed_roles(action: Action) -> str:
    return "或".join(ROLE_LABELS[r] for r in Role if r in ALLOWED[action])


def allowed(actor: Actor, action: Action) -> bool:
    return bool(actor.roles & ALLOWED[action])


def require(actor: Actor, action: Action, *, window: str | None = None,
            departments: Iterable[str] = ()) -> None:
    """Raise `PermissionDenied` unless `actor` may take `action`.

    `window`: the window a case belongs to (a clerk acts on their own window's cases only).
    `departments`: the departments of the case's items (a chief representative acts on those
    of their own departments only; a supervisor reads every case).
    """
    depts = tuple(dict.fromkeys(d for d in departments if d))
    if not allowed(actor, action):
        if action in (Action.CASE_APPROVE, Action.CASE_SEND_BACK) and depts:
            raise PermissionDenied(action, f"{ROLE_LABELS[Role.CHIEF]}（{'、'.join(depts)}）")
        raise PermissionDenied(action, _needed_roles(action))
    if action is Action.CASE_READ:
        if actor.has(Role.SUPERVISOR):
            return
        if actor.has(Role.CLERK) and (window is None or window == actor.window_number):
            return
        if actor.has(Role.CHIEF) and depts and set(depts) & set(actor.departments):
            return
        if window is not None:
            raise PermissionDenied(action, f"{window} 号窗口的受理人员、所属部门的首席代表或大厅管理人员")
        return
    if action in (Action.CASE_APPROVE, Action.CASE_SEND_BACK):
        if depts and not set(depts) <= set(actor.departments):
            raise PermissionDenied(action, f"{ROLE_LABELS[Role.CHIEF]}（{'、'.join(depts)}）")
        return
    if window is not None and actor.has(Role.CLERK) and action in (
            Action.CASE_SUPPLEMENT, Action.CASE_RETURN) and window != actor.window_number:
        raise PermissionDenied(action, f"{window} 号窗口的{ROLE_LABELS[Role.CLERK]}")
    if action is Action.CASE_PRINT and window is not None:
        if actor.has(Role.CLERK) and window == actor.window_number:
            return
        if actor.has(Role.CHIEF) and depts and set(depts) & set(actor.departments):
            return
        raise PermissionDenied(action, f"{window} 号窗口的{ROLE_LABELS[Role.CLERK]}或所属部门的首席代表")
