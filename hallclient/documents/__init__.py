"""The documents the window prints, as PDF bytes (reportlab + qrcode; never Qt).

Public API::

    documents_for(case) -> list[DocumentKind]
    build_document(kind, case, settings, *, reprint=False, commitment_key=None) -> bytes
    build_prereview_sheet(sheet, settings, *, reprint=False) -> bytes   (预审意见单)
    rating_url(settings, token), progress_url(settings, case_number)
    build_slip(slip) -> bytes
    write_pdf_atomic(path, data) -> Path
    mask_id_number(s), mask_phone(s)
    write_samples(outdir) -> list[Path]      (hallclient.documents.sample)
    print_slip_escpos(slip, EscposConfig)    (hallclient.documents.escpos_slip)
"""

from hallclient.documents.kinds import (
    CASE_KINDS,
    KIND_TITLES,
    DocumentKind,
    build_document,
    build_slip,
    commitment_keys,
    documents_for,
    title_for,
    write_pdf_atomic,
)
from hallclient.documents.masking import mask_id_number, mask_phone
from hallclient.documents.model import (
    ApplicantInfo,
    ChiefDecision,
    DecisionValue,
    DocumentCase,
    DocumentSettings,
    MaterialLine,
    PrereviewMaterial,
    PrereviewSheet,
    Slip,
    progress_url,
    rating_url,
)
from hallclient.documents.prereview_sheet import build_prereview_sheet

__all__ = [
    "CASE_KINDS",
    "KIND_TITLES",
    "ApplicantInfo",
    "ChiefDecision",
    "DecisionValue",
    "DocumentCase",
    "DocumentKind",
    "DocumentSettings",
    "MaterialLine",
    "PrereviewMaterial",
    "PrereviewSheet",
    "Slip",
    "build_document",
    "build_prereview_sheet",
    "build_slip",
    "commitment_keys",
    "documents_for",
    "mask_id_number",
    "mask_phone",
    "progress_url",
    "rating_url",
    "title_for",
    "write_pdf_atomic",
]
