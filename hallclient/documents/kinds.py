"""Which documents a decision needs, and building each one as PDF bytes.

This package never imports Qt: the preview and printing live in ``hallclient.ui``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from hallclient.atomicfile import write_atomic
from hallclient.documents.commitments import commitment_letter, tolerance_commitment
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
    "DocumentKind",
    "build_document",
    "build_slip",
    "commitment_keys",
    "documents_for",
    "write_pdf_atomic",
]


class DocumentKind(StrEnum):
    ACCEPTANCE_NOTICE = "acceptance_notice"
    TOLERANCE_NOTICE = "tolerance_notice"
    TOLERANCE_COMMITMENT = "tolerance_commitment"
    COMMITMENT_LETTER = "commitment_letter"
    ONE_TIME_NOTICE = "one_time_notice"
    REFUSAL_DECISION = "refusal_decision"

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
}

_BUILDERS: dict[DocumentKind, Callable[[DocumentCase, DocumentSettings], list[Section]]] = {
    DocumentKind.ACCEPTANCE_NOTICE: acceptance_notice,
    DocumentKind.TOLERANCE_NOTICE: tolerance_notice,
    DocumentKind.TOLERANCE_COMMITMENT: tolerance_commitment,
    DocumentKind.ONE_TIME_NOTICE: one_time_notice,
    DocumentKind.REFUSAL_DECISION: refusal_decision,
}


def documents_for(case: DocumentCase) -> list[DocumentKind]:
    """The documents the window prints for the case's decision, in handing-out order.

    The tolerance notice is one PDF holding both copies (申请人联, 存档联). A case with
    commitments also gets the 告知承诺书 (one section per commitment; see `commitment_keys`).
    """
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

    def make() -> list[Section]:
        if kind is DocumentKind.COMMITMENT_LETTER:
            return commitment_letter(case, settings, commitment_key)
        return _BUILDERS[kind](case, settings)

    meta = PageMeta(title=kind.title, case_number=case.case_number, reprint=reprint,
                    footer_note="补打件" if reprint else "")
    return render_sections(make, meta, author=settings.authority)


def write_pdf_atomic(path: str | Path, data: bytes) -> Path:
    """Write PDF bytes crash-safely (temp file in the same folder, fsync, os.replace)."""
    return write_atomic(path, data)
