"""Routes: windows push their audit records; supervisors and administrators read the audit.

- `PUT /api/v1/audit/{uuid}` (device token): one record of the window's own chain
  (`seq, uuid, at, actor, roles, window, kind, case_number, detail, prev_tag, tag`), kept
  verbatim under (the device's window number, seq). The same record again → `unchanged`; a
  different record under a seq or uuid already received → 409 (and recorded: a window's log
  rewritten); a record naming another window → 403.
- `GET /api/v1/audit` (person session, 大厅管理人员 or 系统管理员): the central's records, newest
  first, filtered by `case_number`, `actor`, `kind`, `since`; `GET /api/v1/audit/verify`: the
  central chain and the windows' links checked. Both reads are themselves audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request

from hallclient.central import audit_log
from hallclient.central.deps import PERSON_RESPONSES, ActorDep, PrincipalDep, SessionDep
from hallclient.central.people_schemas import AuditRecordOut, AuditVerifyOut, WindowAuditPush
from hallclient.central.schemas import ErrorOut
from hallclient.core.permissions import Action, Actor, require

router = APIRouter()
_UUID = r"^[0-9A-Za-z-]{1,36}$"


def _roles(actor: Actor) -> list[str]:
    return sorted(r.value for r in actor.roles)


@router.put("/audit/{uuid}", tags=["audit"], summary="Push one record of the window's audit chain",
            description=__doc__,
            responses={403: {"model": ErrorOut, "description": "the record names another window"},
                       409: {"model": ErrorOut, "description": "differs from the record received before"}})
def put_audit(uuid: Annotated[str, Path(pattern=_UUID)], body: WindowAuditPush, request: Request,
              session: SessionDep, device: PrincipalDep) -> dict[str, Any]:
    if body.uuid != uuid:
        raise HTTPException(422, "请求地址中的 UUID 与请求内容中的 uuid 不一致")
    if body.window and body.window != device.window_number:
        raise HTTPException(403, f"不能上报：该审计记录属于 {body.window} 号窗口")
    key = request.app.state.keys.audit
    try:
        result = audit_log.store_window_record(session, device.window_number, body.model_dump())
    except audit_log.WindowRecordConflict as exc:
        session.rollback()
        audit_log.append(session, key, actor=f"window:{device.window_number}", roles=[],
                         window=device.window_number, kind="window_audit.conflict",
                         detail={"seq": body.seq, "uuid": body.uuid})
        session.commit()
        raise HTTPException(409, str(exc)) from None
    session.commit()
    return {"uuid": uuid, "result": result}


@router.get("/audit", response_model=list[AuditRecordOut], tags=["audit"],
            summary="The central's audit records, newest first (supervisor, admin)", responses=PERSON_RESPONSES)
def get_audit(request: Request, session: SessionDep, actor: ActorDep,
              case_number: Annotated[str | None, Query(max_length=64)] = None,
              by: Annotated[str | None, Query(alias="actor", max_length=100)] = None,
              kind: Annotated[str | None, Query(max_length=64)] = None,
              since: Annotated[str | None, Query(max_length=40)] = None,
              limit: Annotated[int, Query(ge=1, le=5000)] = 200,
              before_seq: Annotated[int | None, Query(ge=1)] = None) -> list[dict[str, Any]]:
    require(actor, Action.AUDIT_READ)
    rows = audit_log.list_records(session, case_number=case_number, actor=by, kind=kind, since=since,
                                  limit=limit, before_seq=before_seq)
    audit_log.append(session, request.app.state.keys.audit, actor=actor.login, roles=_roles(actor),
                     window=actor.window_number, kind="audit.list",
                     detail={"filter": {k: v for k, v in {"case_number": case_number, "actor": by, "kind": kind,
                                                          "since": since}.items() if v}, "returned": len(rows)})
    session.commit()
    return rows


@router.get("/audit/verify", response_model=AuditVerifyOut, tags=["audit"],
            summary="Check the central's chain and the windows' links (supervisor, admin)",
            responses=PERSON_RESPONSES)
def get_audit_verify(request: Request, session: SessionDep, actor: ActorDep) -> AuditVerifyOut:
    require(actor, Action.AUDIT_READ)
    key = request.app.state.keys.audit
    report = audit_log.verify_central(session, key)
    windows = audit_log.verify_window_chains(session)
    audit_log.append(session, key, actor=actor.login, roles=_roles(actor), window=actor.window_number,
                     kind="audit.verify", detail={"ok": report.ok, "checked": report.checked})
    session.commit()
    return AuditVerifyOut(ok=report.ok and all(w.ok for w in windows), checked=report.checked,
                          first_bad_seq=report.first_bad_seq, problem=report.problem,
                          windows=[{"window": w.window, "checked": w.checked, "ok": w.ok, "problem": w.problem,
                                    "first_bad_seq": w.first_bad_seq} for w in windows])
