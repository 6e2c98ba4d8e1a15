"""JSON Schema of catalog-v1 (docs/catalog-format.md) for the OpenAPI document.

Documentation and fuzzing only: the authority on validity is
hallclient.core.catalog_format.parse_catalog, which also checks what a schema cannot express
(unique codes and keys, a core material is never tolerable, bundle members exist).
"""

from __future__ import annotations

from typing import Any

from hallclient.core.catalog import ItemState, ItemType, MaterialSource, Necessity


def _text(max_length: int | None = None, min_length: int = 0, nullable: bool = True,
          blank: bool = False) -> dict[str, Any]:
    """parse_catalog reads null as absent for every optional field: the schema says so too."""
    schema: dict[str, Any] = {"type": ["string", "null"] if nullable else "string"}
    if min_length:
        schema["minLength"] = min_length
    if min_length and not blank:
        schema["pattern"] = r"\S"  # required text must not be blank
    if max_length:
        schema["maxLength"] = max_length
    return schema


def _int(minimum: int, nullable: bool = True) -> dict[str, Any]:
    return {"type": ["integer", "null"] if nullable else "integer", "minimum": minimum, "maximum": 2**31 - 1}


def _enum(values: list[str]) -> dict[str, Any]:
    return {"enum": [*values, None]}


_BOOL: dict[str, Any] = {"type": ["boolean", "null"]}


MATERIAL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["key", "name"],
    "properties": {
        "key": _text(64, 1, False), "name": _text(200, 1, False),
        "necessity": _enum([n.value for n in Necessity]),
        "core": _BOOL, "form": _text(32), "copies": _int(0),
        "source": _enum([s.value for s in MaterialSource]),
        "tolerable": _BOOL, "supplement_days": _int(1),
        "commitment": _BOOL, "standard": _text(), "note": _text(),
        "basis": _text(), "produced_by": _text(64),
    },
}

ITEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["code", "name", "item_type", "department", "version", "materials"],
    "properties": {
        "code": _text(64, 1, False), "basic_code": _text(64), "name": _text(200, 1, False),
        "item_type": {"enum": [t.value for t in ItemType]}, "department": _text(None, 1, False),
        "window_category": _text(32), "legal_limit_days": _int(0), "promised_limit_days": _int(0),
        "on_site_approval": _BOOL, "tolerance_allowed": _BOOL,
        "commitment_allowed": _BOOL, "fee": _text(), "conditions": _text(),
        "basis": _text(), "visits": _int(0),
        "state": _enum([s.value for s in ItemState]),
        "back_office": _text(), "guide": _text(), "limit_note": _text(),
        "version": _int(1, nullable=False),
        "materials": {"type": "array", "items": MATERIAL_SCHEMA},
    },
}

BUNDLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["code", "name", "items"],
    "properties": {"code": _text(64, 1, False), "name": _text(200, 1, False),
                   "items": {"type": "array", "minItems": 2, "uniqueItems": True,
                             "items": _text(64, 1, False, blank=True)}},
}

CATALOG_V1_SCHEMA: dict[str, Any] = {
    "title": "catalog-v1",
    "type": "object",
    "required": ["format", "format_version", "catalog_version", "items"],
    "properties": {
        "format": {"const": "hallclient-catalog"},
        "format_version": {"const": 1},
        "authority": _text(), "catalog_version": {"type": "integer", "minimum": 0, "exclusiveMaximum": 2**53},
        "generated_at": _text(),
        "items": {"type": "array", "items": ITEM_SCHEMA},
        "bundles": {"type": ["array", "null"], "items": BUNDLE_SCHEMA},
        "deleted": {"type": ["array", "null"], "items": _text(64, 1, False, blank=True)},
    },
}

FEED_PAGE_SCHEMA: dict[str, Any] = {
    "title": "catalog-v1 feed page",
    "type": "object",
    "required": ["format", "format_version", "catalog_version", "items", "deleted", "feed"],
    "properties": {
        **CATALOG_V1_SCHEMA["properties"],
        "authority": {"type": ["string", "null"]},
        "generated_at": {"type": ["string", "null"]},
        "items": {"type": "array", "items": {**ITEM_SCHEMA, "properties": {
            **ITEM_SCHEMA["properties"], "position": {"type": "integer", "minimum": 0}}}},
        "feed": {
            "type": "object",
            "required": ["id", "since", "full", "next", "total", "page_items", "item_count"],
            "properties": {
                "id": {"type": "string"}, "since": {"type": "integer"}, "full": {"type": "boolean"},
                "reason": {"type": ["string", "null"]}, "next": {"type": ["string", "null"]},
                "total": {"type": "integer"}, "page_items": {"type": "integer"},
                "item_count": {"type": "integer"},
            },
        },
    },
}
