"""Page 1 of every document rendered with QtPdf is not blank; QR codes decode to their content."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hallclient.documents import (  # noqa: E402
    DocumentKind,
    Slip,
    build_document,
    build_slip,
    documents_for,
    progress_url,
)
from hallclient.documents.blocks import qr_matrix  # noqa: E402
from tests.documents.doc_cases import CASES, LATER, SETTINGS  # noqa: E402

ZBARIMG = shutil.which("zbarimg")


def render_first_page(data: bytes, dpi: int = 100):  # -> QImage
    from hallclient.ui.print_service import LoadedPdf, render_page

    pdf = LoadedPdf(data)
    try:
        return render_page(pdf.document, 0, dpi)
    finally:
        pdf.close()


def ink_ratio(image) -> float:
    """Share of sampled pixels that are not near-white."""
    dark = total = 0
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            total += 1
            if image.pixelColor(x, y).lightness() < 200:
                dark += 1
    return dark / total


def zbar(image, tmp_path: Path) -> list[str]:
    path = tmp_path / "page.png"
    assert image.save(str(path))
    out = subprocess.run([ZBARIMG, "-q", "--raw", str(path)], capture_output=True, text=True,
                         timeout=60)
    return [line for line in out.stdout.splitlines() if line]


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_first_page_renders_with_ink(qapp, kind: DocumentKind) -> None:
    if kind is DocumentKind.PREREVIEW_SHEET:
        from hallclient.documents import build_prereview_sheet
        from hallclient.documents.sample import SAMPLE_PREREVIEW

        data = build_prereview_sheet(SAMPLE_PREREVIEW, SETTINGS)
    else:
        case = next((c for c in (*CASES.values(), *LATER.values()) if kind in documents_for(c)), None)
        assert case is not None, kind
        data = build_document(kind, case, SETTINGS)
    image = render_first_page(data)
    assert image.width() > 700  # A4 at 100 dpi: 827 x 1169
    ratio = ink_ratio(image)
    assert 0.01 < ratio < 0.5, ratio


@pytest.mark.skipif(ZBARIMG is None, reason="zbarimg (zbar-tools) not installed")
@pytest.mark.parametrize("decision", sorted(CASES))
def test_qr_code_decodes_to_progress_url(qapp, tmp_path: Path, decision: str) -> None:
    case = CASES[decision]
    kind = documents_for(case)[0]
    data = build_document(kind, case, SETTINGS)
    from hallclient.ui.print_service import LoadedPdf, render_page

    pdf = LoadedPdf(data)
    try:
        found = [code for page in range(pdf.document.pageCount())
                 for code in zbar(render_page(pdf.document, page, 200), tmp_path)]
    finally:
        pdf.close()
    copies = 2 if kind is DocumentKind.TOLERANCE_NOTICE else 1
    assert found == [progress_url(SETTINGS, case.case_number)] * copies


@pytest.mark.skipif(ZBARIMG is None, reason="zbarimg (zbar-tools) not installed")
def test_slip_qr_decodes(qapp, tmp_path: Path) -> None:
    slip = Slip("B105", "不动产登记", 0, datetime(2026, 9, 28, 14, 2), "https://q.example/B105?d=0928")
    image = render_first_page(build_slip(slip), dpi=203)
    assert zbar(image, tmp_path) == ["https://q.example/B105?d=0928"]


def test_qr_matrix_is_the_content() -> None:
    """Without a decoder: the drawn matrix is qrcode's own for the URL (version, finder patterns)."""
    url = progress_url(SETTINGS, CASES["accept"].case_number)
    matrix = qr_matrix(url)
    n = len(matrix)
    assert n >= 21 and (n - 17) % 4 == 0
    finder = [row[:7] for row in matrix[:7]]
    assert all(finder[0]) and all(finder[6]) and not any(finder[1][1:6])
