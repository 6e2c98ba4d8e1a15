"""From a case (and the catalog items it names) to what the documents print. No Qt."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from hallclient.core.cases import Applicant, ApplicantKind, Case
from hallclient.core.catalog import ItemType, Necessity, ServiceItem
from hallclient.core.checklist import MATERIAL_STATUS_LABELS, MaterialStatus, build_checklist
from hallclient.core.validators import ID_TYPE_LABELS
from hallclient.documents import ApplicantInfo, DocumentCase, DocumentSettings, MaterialLine
from hallclient.documents.model import ItemLimit
from hallclient.settings import Settings

_COVERED = {MaterialStatus.RECEIVED, MaterialStatus.E_LICENSE, MaterialStatus.PRODUCED}
_OUTSTANDING = {MaterialStatus.MISSING, MaterialStatus.DEFECTIVE, MaterialStatus.TOLERATED}


def document_settings(settings: Settings) -> DocumentSettings:
    from hallclient.settings import SUPPLEMENT_WAYS

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
        item_limits=tuple(ItemLimit(i.name, i.promised_limit_days if i.promised_limit_days is not None
                                    else i.legal_limit_days) for i in items) if len(items) > 1 else (),
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
