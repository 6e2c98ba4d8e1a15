"""What a database can store, checked before it is asked to: input the spec allows but a
column cannot hold (a 40-character window category in VARCHAR(32) on PostgreSQL, a NUL
character, a lone surrogate, an integer past 2^31) is refused with a message, never a 500."""

from __future__ import annotations

from hallclient.core.catalog import Catalog, ServiceItem
from hallclient.core.catalog_format import CatalogFormatError
from hallclient.core.text_rules import encoded_json_problem
from hallclient.core.text_rules import text_problem as core_text_problem

INT_MAX = 2**31 - 1  # INTEGER on PostgreSQL
VERSION_MAX = 2**53  # versions stay exact in every JSON reader (JavaScript included)
CODE_MAX = 64
# Columns narrower than the spec promises (hallclient.store.models); the spec's own limits
# (code, name, key) are enforced by parse_catalog.
_ITEM_TEXT = {"basic_code": 64, "window_category": 32}
_MATERIAL_TEXT = {"form": 32}
_ITEM_INTS = ("legal_limit_days", "promised_limit_days", "visits", "version")
_MATERIAL_INTS = ("copies", "supplement_days")


def text_problem(value: str) -> str | None:
    """Why a string is refused as text, or None: the window's rule (hallclient.core.text_rules)."""
    return core_text_problem(value)


def check_json_text(where: str, encoded: str) -> None:
    """Every string inside a JSON document (as json.dumps(ensure_ascii=False) wrote it) is acceptable."""
    problem = encoded_json_problem(encoded)
    if problem:
        raise CatalogFormatError(f"{where}: a field {problem}")


def _fail(where: str, name: str, problem: str) -> CatalogFormatError:
    return CatalogFormatError(f"{where}: field '{name}': {problem}")


def check_item_columns(item: ServiceItem) -> None:
    """Lengths and integer ranges of one item; its text is checked by check_json_text."""
    where = f"item {item.code}"
    for name, limit in _ITEM_TEXT.items():
        value = getattr(item, name)
        if value is not None and len(value) > limit:
            raise _fail(where, name, f"must be at most {limit} characters")
    for name in _ITEM_INTS:
        value = getattr(item, name)
        if value is not None and value > INT_MAX:
            raise _fail(where, name, f"must be at most {INT_MAX}")
    for material in item.materials:
        mwhere = f"{where}: material '{material.key}'"
        if material.form is not None and len(material.form) > _MATERIAL_TEXT["form"]:
            raise _fail(mwhere, "form", f"must be at most {_MATERIAL_TEXT['form']} characters")
        for name in _MATERIAL_INTS:
            value = getattr(material, name)
            if value is not None and value > INT_MAX:
                raise _fail(mwhere, name, f"must be at most {INT_MAX}")


def check_catalog_frame(catalog: Catalog) -> None:
    """Header, bundles and tombstones (items are checked one by one as they are published)."""
    for name in ("authority", "generated_at"):
        value = getattr(catalog.header, name)
        if isinstance(value, str) and text_problem(value):
            raise _fail("catalog", name, text_problem(value) or "")
    if catalog.header.catalog_version >= VERSION_MAX:
        raise _fail("catalog", "catalog_version", f"must be less than {VERSION_MAX}")
    for bundle in catalog.bundles:
        for value in (bundle.code, bundle.name, *bundle.items):
            if text_problem(value):
                raise _fail(f"bundle {bundle.code!r}", "items", text_problem(value) or "")
        if any(len(code) > CODE_MAX for code in bundle.items):
            raise _fail(f"bundle {bundle.code}", "items", f"an item code is longer than {CODE_MAX} characters")
    for code in catalog.deleted:
        if len(code) > CODE_MAX or text_problem(code):
            raise _fail("catalog", "deleted", f"invalid item code {code[:80]!r}")
