"""From a case (and the catalog items it names) to what the documents print. No Qt."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from hallclient.core.cases import Applicant, ApplicantKind, Case
from hallclient.core.catalog import ItemType, Necessity, ServiceItem
from hallclient.core.checklist import MATERIAL_STATUS_LABELS, MaterialStatus, build_checklist
from hallclient.core.validators import ID_TYPE_LABELS
from hallclient.documents import ApplicantInfo, DocumentCase, DocumentSettings, MaterialLine
from hallclient.documents.model import ChiefDecision, ItemLimit, PrereviewMaterial, PrereviewSheet
from hallclient.settings import Settings

_COVERED = {MaterialStatus.RECEIVED, MaterialStatus.E_LICENSE, MaterialStatus.PRODUCED}
_OUTSTANDING = {MaterialStatus.MISSING, MaterialStatus.DEFECTIVE, MaterialStatus.TOLERATED}


def document_settings(settings: Settings) -> DocumentSettings:
    from hallclient.settings import SUPPLEMENT_WAYS

    defaults = DocumentSettings()
    return DocumentSettings(
        authority=settings.authority, seal_name=settings.seal_name,
        progress_url_pattern=settings.progress_url_pattern, hall_phone=settings.hall_phone,
        hall_address=settings.hall_address, supervision_phone=settings.supervision_phone,
        reconsideration_body=settings.reconsideration_body, court=settings.court,
        tolerance_rules=settings.tolerance_rules, commitment_rules=settings.commitment_rules,
        refusal_other_basis=settings.refusal_other_basis,
        supplement_ways=tuple(settings.supplement_ways or SUPPLEMENT_WAYS),
        supplement_online=settings.supplement_online, acceptance_stub=settings.acceptance_stub,
        archive_full_id=settings.archive_full_id,
        rating_url_pattern=getattr(settings, "rating_url_pattern", defaults.rating_url_pattern),
        rating_base_url=(getattr(settings, "rating_public_url", "") or settings.central_url or "").strip(),
        decision_number_pattern=getattr(settings, "decision_number_pattern", defaults.decision_number_pattern),
    )


def _applicant(a: Applicant) -> ApplicantInfo:
    organisation = a.kind is ApplicantKind.ORGANISATION
    return ApplicantInfo(
        name=a.legal_representative if organisation else a.name,
        id_type=ID_TYPE_LABELS[a.id_type], id_number=a.id_number, phone=a.phone,
        organisation=a.name if organisation else "", uscc=a.uscc,
        legal_representative=a.legal_representative, agent_name=a.agent_name,
        agent_id_number=a.agent_id_number,
    )


def _limit(items: Sequence[ServiceItem], attr: str) -> int | None:
    values = [getattr(i, attr) for i in items if getattr(i, attr) is not None]
    return max(values) if values else None


def document_case(case: Case, items: Sequence[ServiceItem]) -> DocumentCase:
    """`items` are the case's items from the catalog in use (for forms, copies and standards);
    a material the catalog no longer lists still prints, by the name kept on the case."""
    terms = {row.material.key: row.material for row in build_checklist(items)} if items else {}
    supplement_by = {t["key"]: t.get("supplement_by") for t in case.tolerated}
    lines: dict[str, list[MaterialLine]] = {"materials": [], "tolerated": [], "commitments": [], "outstanding": []}
    for entry in case.checklist:
        mark = entry.mark
        material = terms.get(entry.key)
        by = supplement_by.get(entry.key)
        line = MaterialLine(
            name=entry.name, key=entry.key,
            form=(material.form if material else None) or "",
            copies=mark.copies if mark.copies is not None else (material.copies if material else None),
            status_label=MATERIAL_STATUS_LABELS[mark.status],
            standard=(material.standard if material else None) or "",
            reason=mark.reason or ("未提交" if mark.status is MaterialStatus.MISSING else ""),
            supplement_by=_date(by),
            commitment=mark.status is MaterialStatus.COMMITMENT,
            basis=(material.basis if material else None) or "",
        )
        optional = material is not None and material.necessity is Necessity.OPTIONAL
        if mark.status in _COVERED:
            lines["materials"].append(line)
        elif mark.status is MaterialStatus.COMMITMENT:
            lines["commitments"].append(line)
        elif mark.status is MaterialStatus.TOLERATED and entry.key in supplement_by:
            lines["tolerated"].append(line)
        elif mark.status in _OUTSTANDING and not optional:
            # A material marked tolerated on a one-time notice is outstanding like the rest.
            lines["outstanding"].append(line)
    return DocumentCase(
        case_number=case.case_number, applicant=_applicant(case.applicant),
        item_names=case.item_names, item_codes=case.item_codes, bundle_name=case.bundle_name or "",
        department="、".join(dict.fromkeys(i.department for i in items)),
        accepted_on=case.accepted_on, decision=case.decision.value, reasons=case.reasons,
        materials=tuple(lines["materials"]), tolerated=tuple(lines["tolerated"]),
        commitments=tuple(lines["commitments"]), outstanding=tuple(lines["outstanding"]),
        legal_limit_days=_limit(items, "legal_limit_days"),
        promised_limit_days=_limit(items, "promised_limit_days"),
        due_date=case.due_date, deadline_note=case.deadline_problem or "",
        window_number=case.window_number, clerk_name=case.clerk_name,
        licensing=any(i.item_type is ItemType.LICENSING for i in items) if items else True,
        back_office="、".join(dict.fromkeys(i.back_office for i in items if i.back_office)),
        fee="；".join(dict.fromkeys(i.fee for i in items if i.fee)),
        limit_note="；".join(dict.fromkeys(i.limit_note for i in items if i.limit_note)),
        item_limits=_item_limits(case, items),
        refusal_ground=case.refusal_ground or "other", competent_body=case.competent_body or "",
        delivery=case.delivery or "自取", delivery_address=case.delivery_address or "",
        state=case.state.value, received_at=case.created_at,
        item_basis="；".join(dict.fromkeys(i.basis.strip() for i in items if i.basis and i.basis.strip())),
        approval=_chief_decision(case, ("approved", "denied")),
        extension=_chief_decision(case, ("extended",)),
        rate_token=case.rate_token or "",
    )


def _item_limits(case: Case, items: Sequence[ServiceItem]) -> tuple[ItemLimit, ...]:
    """A bundle's items, each with its own limit and the due date the decision gave it."""
    if len(items) < 2:
        return ()
    due = {d.get("code"): d for d in case.item_deadlines}
    by_name = {d.get("name"): d for d in case.item_deadlines}
    out = []
    for i in items:
        found = due.get(i.code) or by_name.get(i.name) or {}
        limit = i.promised_limit_days if i.promised_limit_days is not None else i.legal_limit_days
        out.append(ItemLimit(i.name, found.get("limit_days", limit), _date(found.get("due_date"))))
    return tuple(out)


def _event_day(event: Mapping[str, Any]) -> date:
    try:
        return datetime.fromisoformat(str(event.get("at"))).date()
    except ValueError:
        return date.today()


def _chief_decision(case: Case, kinds: tuple[str, ...]) -> ChiefDecision | None:
    """The last of the case's events of `kinds` (core.approval.ApprovalOutcome values), as printed."""
    found = [e for e in case.events if e.get("kind") in kinds]
    if not found:
        return None
    event = found[-1]
    data: Mapping[str, Any] = event.get("data") or {}
    days = data.get("days")
    return ChiefDecision(
        outcome=str(event["kind"]), decided_on=_event_day(event),
        chief_name=str(data.get("chief_name") or event.get("clerk_name") or ""),
        number=str(data.get("decision_number") or ""),
        reasons=tuple(str(r) for r in data.get("reasons") or ()),
        validity=str(data.get("validity") or ""),
        days=int(days) if days is not None else None, reason=str(data.get("reason") or ""),
        previous_due=_date(data.get("previous_due")), new_due=_date(data.get("new_due")),
    )


def prereview_document(prereview: Any, items: Sequence[ServiceItem], bundle_name: str = "") -> PrereviewSheet:
    """The 预审意见单 of a `core.prereview.Prereview`; `items` are its catalog items (for the
    material list in catalog order; a material only the pre-review names still prints)."""
    from hallclient.core.prereview import CONSENT_LABELS, OUTCOME_LABELS

    labels = {MaterialStatus.RECEIVED: "已备齐", MaterialStatus.E_LICENSE: "电子证照",
              MaterialStatus.COMMITMENT: "告知承诺", MaterialStatus.NOT_APPLICABLE: "不适用",
              MaterialStatus.PRODUCED: "本套办理中产生", MaterialStatus.MISSING: "缺少",
              MaterialStatus.DEFECTIVE: "不符合要求", MaterialStatus.TOLERATED: "缺少（可容缺）"}
    lines: list[PrereviewMaterial] = []
    seen: set[str] = set()
    rows = build_checklist(items) if items else []
    for row in rows:
        m = row.material
        seen.add(m.key)
        mark = prereview.marks.get(m.key)
        state = labels.get(mark.status, MATERIAL_STATUS_LABELS[mark.status]) if mark else "未核验"
        remark = "；".join(x for x in (prereview.remarks.get(m.key, ""), (mark.reason if mark else "") or "") if x)
        lines.append(PrereviewMaterial(m.name, state, remark, required=m.necessity is not Necessity.OPTIONAL))
    for key, mark in prereview.marks.items():
        if key not in seen:
            lines.append(PrereviewMaterial(key, labels.get(mark.status, MATERIAL_STATUS_LABELS[mark.status]),
                                           prereview.remarks.get(key, "")))
    bundle = bundle_name if prereview.bundle_code else ""
    return PrereviewSheet(
        number=prereview.number, applicant=_applicant(prereview.applicant),
        item_names=tuple(prereview.item_names), item_codes=tuple(prereview.item_codes),
        bundle_name=bundle, created_on=prereview.created_at.date(), valid_until=prereview.valid_until,
        outcome=prereview.outcome.value, outcome_label=OUTCOME_LABELS[prereview.outcome],
        materials=tuple(lines), missing=tuple(prereview.missing), remark=prereview.remark,
        proxy_name=prereview.proxy_name or prereview.proxy_login,
        consent_label=CONSENT_LABELS.get(prereview.consent, ""), window_number=prereview.window_number,
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
