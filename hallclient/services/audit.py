"""The window's audit trail: an append-only HMAC-SM3 chain, each record sent to the central.

`append` runs inside the caller's write transaction (SQLite serialises writers, so the chain's
last link cannot change under it); the record goes to the outbox in the same transaction, so a
copy leaves the machine: deleting the newest records locally is then visible at the central.
Records never hold personal data: cases are named by number, people by login.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from hallclient.core.permissions import Action, Actor, require
from hallclient.security import audit_chain
from hallclient.services.changes import Changes, Result
from hallclient.services.context import ServiceContext
from hallclient.store.cases_repo import enqueue
from hallclient.store.models import AuditRow

AUDIT = cast(Table, AuditRow.__table__)

KIND_LABELS: dict[str, str] = {
    "sign_in": "登录", "sign_in_failed": "登录失败", "sign_in_locked": "登录锁定", "sign_out": "退出登录",
    "lock": "锁屏", "unlock": "解锁", "switch_user": "切换用户",
    "case_created": "受理决定", "case_supplemented": "登记补正", "case_returned": "退件",
    "case_printed": "打印文书", "case_reprinted": "补打文书", "case_approved": "审批准予",
    "case_sent_back": "退回窗口", "settings_changed": "修改设置", "user_added": "新增账号",
    "user_disabled": "停用账号", "password_reset": "重置密码", "roles_changed": "修改角色",
    "catalog_imported": "导入事项清单", "calendar_loaded": "载入节假日", "audit_read": "查阅审计日志",
    "audit_exported": "导出审计日志", "case_denied": "不予许可", "case_to_back_office": "转后台审批",
    "case_extended": "延长期限", "authorisation_set": "更新授权书", "prereview_created": "预审",
}


def append(session: Session, key: bytes, actor: Actor | None, kind: str, *, window: str,
           case_number: str | None = None, detail: Mapping[str, Any] | None = None,
           at: str, login: str | None = None) -> dict[str, Any]:
    """Add one link to the chain (and its copy to the outbox) in the caller's transaction."""
    last = session.execute(select(AUDIT.c.seq, AUDIT.c.tag).order_by(AUDIT.c.seq.desc()).limit(1)).first()
    prev_tag = last.tag if last else audit_chain.GENESIS
    record: dict[str, Any] = {
        "seq": (last.seq + 1) if last else 1,
        "uuid": str(uuid.uuid4()),
        "at": at,
        "actor": login or (actor.login if actor else ""),
        "roles": ",".join(sorted(r.value for r in actor.roles)) if actor else "",
        "window": window,
        "kind": kind,
        "case_number": case_number,
        "detail": json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True),
    }
    record["prev_tag"] = prev_tag
    record["tag"] = audit_chain.tag_for(key, prev_tag, record)
    session.execute(AUDIT.insert().values(**record))
    enqueue(session, "audit", record["uuid"], record, at)
    return record


def record(ctx: ServiceContext, actor: Actor | None, kind: str, *, case_number: str | None = None,
           detail: Mapping[str, Any] | None = None, login: str | None = None) -> Changes:
    """An audit record on its own (sign-in, lock, unlock…): its own short transaction."""
    with ctx.store.session() as session, session.begin():
        append(session, ctx.audit_key, actor, kind, window=ctx.window_number, case_number=case_number,
               detail=detail, at=ctx.clock().isoformat(timespec="seconds"), login=login)
    return Changes(audit=True, outbox=True)


def verify(ctx: ServiceContext) -> audit_chain.ChainReport:
    """Walk the whole chain with the key; names the first record changed, removed or inserted."""
    with ctx.store.session() as session:
        rows = session.execute(select(AUDIT).order_by(AUDIT.c.seq)).mappings()
        return audit_chain.verify(ctx.audit_key, (dict(row) for row in rows))


@dataclass(frozen=True)
class AuditFilter:
    case_number: str | None = None
    login: str | None = None
    kind: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int = 1000


def list_records(ctx: ServiceContext, actor: Actor, flt: AuditFilter) -> Result[list[dict[str, Any]]]:
    """The supervisor's reading of the trail; the reading itself is recorded."""
    require(actor, Action.AUDIT_READ)
    query = select(AUDIT).order_by(AUDIT.c.seq.desc()).limit(flt.limit)
    if flt.case_number:
        query = query.where(AUDIT.c.case_number == flt.case_number)
    if flt.login:
        query = query.where(AUDIT.c.actor == flt.login)
    if flt.kind:
        query = query.where(AUDIT.c.kind == flt.kind)
    if flt.since:
        query = query.where(AUDIT.c.at >= flt.since.isoformat())
    if flt.until:
        query = query.where(func.substr(AUDIT.c.at, 1, 10) <= flt.until.isoformat())
    with ctx.store.session() as session, session.begin():
        rows = [dict(r) for r in session.execute(query).mappings()]
        used = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in flt.__dict__.items()
                if v is not None and k != "limit"}
        append(session, ctx.audit_key, actor, "audit_read", window=ctx.window_number,
               detail={"filter": used, "count": len(rows)}, at=ctx.clock().isoformat(timespec="seconds"))
    for row in rows:
        row["detail"] = json.loads(row["detail"])
        row["kind_label"] = KIND_LABELS.get(row["kind"], row["kind"])
    return Result(rows, Changes(audit=True, outbox=True))
