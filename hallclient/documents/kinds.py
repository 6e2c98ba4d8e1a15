"""Which documents a decision needs, and building each one as PDF bytes.

This package never imports Qt: the preview and printing live in ``hallclient.ui``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from hallclient.atomicfile import write_atomic
from hallclient.documents.commitments import commitment_letter, tolerance_commitment
from hallclient.documents.decisions import (
    approval_decision,
    completion_notice,
    denial_decision,
    extension_notice,
    receipt,
)
from hallclient.documents.layout import PageMeta, Section, render_sections
from hallclient.documents.model import DecisionValue, DocumentCase, DocumentSettings
from hallclient.documents.notices import (
    acceptance_notice,
    one_time_notice,
    refusal_decision,
    tolerance_notice,
)
from hallclient.documents.slip import build_slip

__all__ = [
    "CASE_KINDS",
    "DocumentKind",
    "build_document",
    "build_slip",
    "commitment_keys",
    "documents_for",
    "title_for",
    "write_pdf_atomic",
]


class DocumentKind(StrEnum):
    ACCEPTANCE_NOTICE = "acceptance_notice"
    TOLERANCE_NOTICE = "tolerance_notice"
    TOLERANCE_COMMITMENT = "tolerance_commitment"
    COMMITMENT_LETTER = "commitment_letter"
    ONE_TIME_NOTICE = "one_time_notice"
    REFUSAL_DECISION = "refusal_decision"
    # After acceptance (core.approval.decision_document names them), and before it.
    APPROVAL_DECISION = "approval_decision"
    COMPLETION_NOTICE = "completion_notice"
    DENIAL_DECISION = "denial_decision"
    EXTENSION_NOTICE = "extension_notice"
    RECEIPT = "receipt"
    # Built from a pre-review, not a case: `build_prereview_sheet` (prereview_sheet.py).
    PREREVIEW_SHEET = "prereview_sheet"

    @property
    def title(self) -> str:
        """The title printed on the document (and shown on buttons)."""
        return KIND_TITLES[self]


KIND_TITLES: dict[DocumentKind, str] = {
    DocumentKind.ACCEPTANCE_NOTICE: "受理通知书",
    DocumentKind.TOLERANCE_NOTICE: "容缺受理通知书",
    DocumentKind.TOLERANCE_COMMITMENT: "容缺受理承诺书",
    DocumentKind.COMMITMENT_LETTER: "告知承诺书",
    DocumentKind.ONE_TIME_NOTICE: "一次性告知书",
    DocumentKind.REFUSAL_DECISION: "不予受理决定书",
    DocumentKind.APPROVAL_DECISION: "准予行政许可决定书",
    DocumentKind.COMPLETION_NOTICE: "办结通知书",
    DocumentKind.DENIAL_DECISION: "不予许可决定书",
    DocumentKind.EXTENSION_NOTICE: "延长期限告知书",
    DocumentKind.RECEIPT: "收件回执",
    DocumentKind.PREREVIEW_SHEET: "预审意见单",
}

# The kinds `build_document` makes from a case (all but the pre-review sheet).
CASE_KINDS: tuple[DocumentKind, ...] = tuple(k for k in DocumentKind if k is not DocumentKind.PREREVIEW_SHEET)

_BUILDERS: dict[DocumentKind, Callable[[DocumentCase, DocumentSettings], list[Section]]] = {
    DocumentKind.ACCEPTANCE_NOTICE: acceptance_notice,
    DocumentKind.TOLERANCE_NOTICE: tolerance_notice,
    DocumentKind.TOLERANCE_COMMITMENT: tolerance_commitment,
    DocumentKind.ONE_TIME_NOTICE: one_time_notice,
    DocumentKind.REFUSAL_DECISION: refusal_decision,
    DocumentKind.APPROVAL_DECISION: approval_decision,
    DocumentKind.COMPLETION_NOTICE: completion_notice,
    DocumentKind.DENIAL_DECISION: denial_decision,
    DocumentKind.EXTENSION_NOTICE: extension_notice,
    DocumentKind.RECEIPT: receipt,
}


def title_for(kind: DocumentKind, case: DocumentCase) -> str:
    """The title printed: a denial of an item that is not a 行政许可 is not 不予许可."""
    if kind is DocumentKind.DENIAL_DECISION:
        return "不予行政许可决定书" if case.licensing else "不予办理决定书"
    return kind.title


def documents_for(case: DocumentCase) -> list[DocumentKind]:
    """The documents of the case, in handing-out order: the window's (for its decision), then
    the extension and the chief representative's decision, where the case has them.

    The tolerance notice is one PDF holding both copies (申请人联, 存档联). A case with
    commitments also gets the 告知承诺书 (one section per commitment; see `commitment_keys`).
    A case received and not yet accepted has its 收件回执 only.
    """
    if case.state == "received":
        return [DocumentKind.RECEIPT]
    kinds = _window_documents(case)
    if case.extension is not None:
        kinds.append(DocumentKind.EXTENSION_NOTICE)
    if case.approval is not None:
        if case.approval.outcome == "approved":
            kinds.append(DocumentKind.APPROVAL_DECISION if case.licensing else DocumentKind.COMPLETION_NOTICE)
        elif case.approval.outcome == "denied":
            kinds.append(DocumentKind.DENIAL_DECISION)
    return kinds


def _window_documents(case: DocumentCase) -> list[DocumentKind]:
    try:
        decision = DecisionValue(case.decision)
    except ValueError:
        raise ValueError(f"未知的受理决定：{case.decision!r}") from None
    kinds: list[DocumentKind]
    if decision is DecisionValue.ACCEPT:
        kinds = [DocumentKind.ACCEPTANCE_NOTICE]
    elif decision is DecisionValue.ACCEPT_WITH_TOLERANCE:
        kinds = [DocumentKind.TOLERANCE_NOTICE, DocumentKind.TOLERANCE_COMMITMENT]
    elif decision is DecisionValue.ONE_TIME_NOTICE:
        return [DocumentKind.ONE_TIME_NOTICE]
    else:
        return [DocumentKind.REFUSAL_DECISION]
    if case.commitments:
        kinds.append(DocumentKind.COMMITMENT_LETTER)
    return kinds


def commitment_keys(case: DocumentCase) -> list[str]:
    """The keys that select one 告知承诺书 each (`build_document(..., commitment_key=)`)."""
    return [m.ident for m in case.commitments]


def build_document(
    kind: DocumentKind | str,
    case: DocumentCase,
    settings: DocumentSettings,
    *,
    reprint: bool = False,
    commitment_key: str | None = None,
) -> bytes:
    """The PDF of one document. A reprint carries a visible 补打 mark on every page.

    For the 告知承诺书, `commitment_key` selects one commitment; None prints all of them,
    each from a new page.
    """
    kind = DocumentKind(kind)
    if kind is DocumentKind.PREREVIEW_SHEET:
        raise TypeError("预审意见单由预审生成：use build_prereview_sheet(sheet, settings)")

    def make() -> list[Section]:
        if kind is DocumentKind.COMMITMENT_LETTER:
            return commitment_letter(case, settings, commitment_key)
        return _BUILDERS[kind](case, settings)

    meta = PageMeta(title=title_for(kind, case), case_number=case.case_number, reprint=reprint,
                    footer_note="补打件" if reprint else "")
    return render_sections(make, meta, author=settings.authority)


def write_pdf_atomic(path: str | Path, data: bytes) -> Path:
    """Write PDF bytes crash-safely (temp file in the same folder, fsync, os.replace)."""
    return write_atomic(path, data)
