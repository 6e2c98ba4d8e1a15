"""Fixtures of the document tests; every test here runs offscreen."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hallclient.documents.model import DocumentCase  # noqa: E402
from tests.documents.doc_cases import CASES  # noqa: E402


@pytest.fixture(params=sorted(CASES))
def decided_case(request: pytest.FixtureRequest) -> DocumentCase:
    return CASES[request.param]
