"""A case as the chief representative reads it before deciding: the checklist as decided at the
window, the applicant (masked on screen), the materials received, the clerk's notes, the
documents printed so far and every later step. Plain HTML for a QTextBrowser; no widgets here."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from hallclient.core.cases import CASE_STATE_LABELS, Case, CaseState
from hallclient.core.checklist import DECISION_LABELS, MATERIAL_STATUS_LABELS, MaterialStatus

# What a case's events are called on screen (window steps and the chief representative's).
EVENT_LABELS: dict[str, str] = {
    "created": "登记", "supplemented": "登记补正", "returned": "退件", "printed": "打印",
    "reprinted": "补打", "reintaken": "再次受理", "approved": "准予", "denied": "不予许可",
    "sent_back": "退回窗口", "to_back_office": "转后台审批", "extended": "延长期限",
}
PRINTED_KINDS = ("printed", "reprinted")
_HAVE = (MaterialStatus.RECEIVED, MaterialStatus.E_LICENSE, MaterialStatus.COMMITMENT, MaterialStatus.PRODUCED)


def mask_id_number(value: str | None) -> str:
    """`documents.masking.mask_id_number`, imported when first used (the documents package
    brings reportlab, which a start does not need)."""
    from hallclient.documents.masking import mask_id_number as mask

    return mask(value)


def mask_phone(value: str | None) -> str:
    """`documents.masking.mask_phone`, imported when first used."""
    from hallclient.documents.masking import mask_phone as mask

    return mask(value)


def document_title(kind: str) -> str:
    try:
        from hallclient.documents import KIND_TITLES, DocumentKind

        return KIND_TITLES[DocumentKind(kind)]
    except (ImportError, KeyError, ValueError):
        return kind


def waiting_text(since: datetime, now: datetime) -> str:
    """Time since acceptance, as a person says it: 8 分钟, 2 小时 5 分, 3 天 4 小时."""
    if since.tzinfo is not None and now.tzinfo is None:
        since = since.replace(tzinfo=None)
    elif since.tzinfo is None and now.tzinfo is not None:
        now = now.replace(tzinfo=None)
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} 分钟"
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} 小时 {rest} 分" if rest else f"{hours} 小时"
    days, hours = divmod(hours, 24)
    return f"{days} 天 {hours} 小时" if hours else f"{days} 天"




def mark_details(mark: Any) -> str:
    """How a material was received, in words: 原件/复印件, copies, licence number, reason."""
    parts: list[str] = []
    if mark.original is not None:
        parts.append("原件" if mark.original else "复印件")
    if mark.copies:
        parts.append(f"{mark.copies} 份")
    if mark.license_number:
        parts.append(f"证照号 {mark.license_number}")
    if mark.reason:
        parts.append(mark.reason)
    return "，".join(parts)


def when_text(value: str | None) -> str:
    """An ISO time as the clerk reads it (minutes); anything else as it is."""
    try:
        return datetime.fromisoformat(value or "").strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(value or "")


def event_detail(event: dict[str, Any]) -> str:
    """The one line after an event's label: the decision, opinion, reasons, days, document."""
    data = event.get("data") or {}
    kind = event.get("kind", "")
    if kind == "created" and data.get("decision"):
        try:
            from hallclient.core.checklist import Decision

            return DECISION_LABELS[Decision(data["decision"])]
        except ValueError:
            return str(data["decision"])
    if kind in PRINTED_KINDS:
        return document_title(str(data.get("document", "")))
    if kind == "denied":
        return "理由：" + "；".join(data.get("reasons") or [])
    if kind == "sent_back":
        return "意见：" + str(data.get("opinion", ""))
    if kind == "to_back_office":
        expected = data.get("expected_by")
        return f"预计 {expected} 前作出决定" if expected else ""
    if kind == "extended":
        return f"延长 {data.get('days')} 个工作日至 {data.get('new_due')}，理由：{data.get('reason', '')}"
    if kind == "returned":
        return str(data.get("reason", ""))
    if kind == "reintaken":
        return f"新办件 {data.get('case_number', '')}"
    return ""


def event_line(event: dict[str, Any]) -> str:
    label = EVENT_LABELS.get(event.get("kind", ""), event.get("kind", ""))
    who = event.get("clerk_name") or (event.get("data") or {}).get("chief_name") or ""
    return (f"{when_text(event.get('at', ''))}　{escape(label)}　{escape(str(who))}　"
            f"{escape(event_detail(event))}")


def sent_back_opinion(case: Case) -> str | None:
    """The chief representative's written opinion on a case sent back to the window."""
    for event in reversed(case.events):
        if event.get("kind") == "sent_back":
            return str((event.get("data") or {}).get("opinion", "")) or None
    return None


def printed_titles(case: Case) -> list[str]:
    """The documents printed so far, in order, each once (补打 noted)."""
    seen: dict[str, str] = {}
    for event in case.events:
        if event.get("kind") in PRINTED_KINDS:
            kind = str((event.get("data") or {}).get("document", ""))
            title = document_title(kind)
            seen[kind] = title + ("（已补打）" if event["kind"] == "reprinted" or kind in seen else "")
    return list(seen.values())


def _row(label: str, value: str) -> str:
    return f"<tr><td style='color:#555; padding-right:8px; white-space:nowrap' valign='top'>{label}</td><td>{value}</td></tr>"


def chief_case_html(case: Case, now: datetime) -> str:
    """The case view of the 审批 tab. ID numbers and phones are masked on screen (the decision
    does not need them in full; the documents carry what the law needs)."""
    a = case.applicant
    title = (f"<p style='font-size:14pt'><b>{escape(case.case_number)}</b>　"
             f"<span style='color:#1d4e89'><b>{CASE_STATE_LABELS[case.state]}</b></span>　"
             f"<span style='color:#555'>受理后已等待 {waiting_text(case.created_at, now)}</span></p>")
    who = escape(a.name)
    if a.uscc:
        who += f"　统一社会信用代码 {escape(a.uscc)}"
    if a.legal_representative:
        who += f"　法定代表人 {escape(a.legal_representative)}"
    rows = [_row("申请人", who)]
    if a.id_number:
        rows.append(_row("证件号", escape(mask_id_number(a.id_number))))
    if a.phone:
        rows.append(_row("电话", escape(mask_phone(a.phone))))
    if a.agent_name:
        rows.append(_row("代理人", f"{escape(a.agent_name)}　{escape(mask_id_number(a.agent_id_number))}"
                                + ("　已交授权委托书" if a.agent_power_of_attorney else "")))
    names = "、".join(case.item_names)
    rows.append(_row("事项", escape(f"{case.bundle_name}（{names}）" if case.bundle_name else names)))
    accepted = (f"{case.created_at:%Y-%m-%d %H:%M}　{escape(case.window_number)} 号窗口　"
                f"{escape(case.clerk_name)}")
    if case.prereview_number:
        accepted += f"　来自预审 {escape(case.prereview_number)}"
    rows.append(_row("受理", accepted))
    rows.append(_row("窗口决定", DECISION_LABELS[case.decision]))
    rows.append(_row("窗口意见", "<br>".join(escape(r) for r in case.reasons) or "—"))
    if case.commitments:
        rows.append(_row("告知承诺", escape("、".join(case.commitments))))
    due = case.due_date.isoformat() if case.due_date else (f"待定（{case.deadline_problem}）"
                                                            if case.deadline_problem else "—")
    rows.append(_row("办结期限", escape(due)))
    opinion = sent_back_opinion(case)
    if opinion and case.state is CaseState.SENT_BACK:
        rows.append(_row("退回意见", f"<span style='color:#9b1c1c'>{escape(opinion)}</span>"))
    printed = printed_titles(case)
    rows.append(_row("已打印文书", escape("、".join(printed)) if printed else "尚未打印"))

    have = sum(1 for e in case.checklist if e.mark.status in _HAVE)
    lines = []
    for e in case.checklist:
        colour = "#2e7d32" if e.mark.status in _HAVE else ("#9b1c1c" if e.mark.status in (
            MaterialStatus.MISSING, MaterialStatus.DEFECTIVE) else "#555")
        lines.append(f"<tr><td>{escape(e.name)}</td>"
                     f"<td style='padding:0 8px; color:{colour}'>{MATERIAL_STATUS_LABELS[e.mark.status]}</td>"
                     f"<td>{escape(mark_details(e.mark))}</td></tr>")
    events = "<br>".join(event_line(e) for e in case.events) or "—"
    return (f"{title}<table cellspacing=0 cellpadding=2>{''.join(rows)}</table>"
            f"<p><b>材料清单（窗口核验结果）</b>：共 {len(case.checklist)} 项，已收取/已核验 {have} 项</p>"
            f"<table cellspacing=0 cellpadding=2>{''.join(lines)}</table>"
            f"<p><b>办理记录</b></p><p>{events}</p>")
