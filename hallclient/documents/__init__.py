"""The documents the window prints, as PDF bytes (reportlab + qrcode; never Qt).

Public API::

    documents_for(case) -> list[DocumentKind]
    build_document(kind, case, settings, *, reprint=False, commitment_key=None) -> bytes
    build_slip(slip) -> bytes
    write_pdf_atomic(path, data) -> Path
    mask_id_number(s), mask_phone(s)
    write_samples(outdir) -> list[Path]      (hallclient.documents.sample)
    print_slip_escpos(slip, EscposConfig)    (hallclient.documents.escpos_slip)
"""

from hallclient.documents.kinds import (
    KIND_TITLES,
    DocumentKind,
    build_document,
    build_slip,
    commitment_keys,
    documents_for,
    write_pdf_atomic,
)
from hallclient.documents.masking import mask_id_number, mask_phone
from hallclient.documents.model import (
    ApplicantInfo,
    DecisionValue,
    DocumentCase,
    DocumentSettings,
    MaterialLine,
    Slip,
    progress_url,
)

__all__ = [
    "KIND_TITLES",
    "ApplicantInfo",
    "DecisionValue",
    "DocumentCase",
    "DocumentKind",
    "DocumentSettings",
    "MaterialLine",
    "Slip",
    "build_document",
    "build_slip",
    "commitment_keys",
    "documents_for",
    "mask_id_number",
    "mask_phone",
    "progress_url",
    "write_pdf_atomic",
]
