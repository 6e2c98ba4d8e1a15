"""Reading and writing the catalog interchange format, version 1 (docs/catalog-format.md).

The format is a contract with other systems: a file that follows the spec must load, a file
that does not is refused with a message naming the item and the field. Unknown keys are
ignored for forward compatibility.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from hallclient.core.catalog import (
    Bundle,
    Catalog,
    CatalogHeader,
    ItemState,
    ItemType,
    Material,
    MaterialSource,
    Necessity,
    ServiceItem,
)

E = TypeVar("E")

FORMAT_NAME = "hallclient-catalog"
FORMAT_VERSION = 1


class CatalogFormatError(ValueError):
    """A catalog that breaks the spec; the message names the item code and the field."""


class _Fields:
    """Typed access to one JSON object, with errors that say where they happened."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise CatalogFormatError(f"{where}: expected an object, got {type(data).__name__}")
        self.data = data
        self.where = where

    def fail(self, name: str, problem: str) -> CatalogFormatError:
        return CatalogFormatError(f"{self.where}: field '{name}': {problem}")

    def string(self, name: str, *, required: bool = False, max_len: int | None = None) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise self.fail(name, "is required")
            return None
        if not isinstance(value, str):
            raise self.fail(name, f"must be a string, got {type(value).__name__}")
        if required and not value.strip():
            raise self.fail(name, "must not be empty")
        if max_len is not None and len(value) > max_len:
            raise self.fail(name, f"must be at most {max_len} characters")
        return value

    def required_string(self, name: str, max_len: int | None = None) -> str:
        value = self.string(name, required=True, max_len=max_len)
        assert value is not None
        return value

    def integer(self, name: str, *, minimum: int, required: bool = False) -> int | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise self.fail(name, "is required")
            return None
        # bool is an int in Python; the spec means a JSON number.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, f"must be an integer, got {json.dumps(value, ensure_ascii=False)}")
        if value < minimum:
            raise self.fail(name, f"must be ≥ {minimum}, got {value}")
        return value

    def boolean(self, name: str) -> bool:
        value = self.data.get(name, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(name, f"must be true or false, got {json.dumps(value, ensure_ascii=False)}")
        return value

    def choice(self, name: str, enum: type[E], default: E) -> E:
        value = self.data.get(name)
        if value is None:
            return default
        try:
            return enum(value)  # type: ignore[call-arg]
        except ValueError:
            allowed = ", ".join(str(e.value) for e in enum)  # type: ignore[attr-defined]
            raise self.fail(name, f"must be one of {allowed}, got {json.dumps(value, ensure_ascii=False)}") from None

    def array(self, name: str, *, required: bool = False) -> list[Any]:
        value = self.data.get(name)
        if value is None:
            if required:
                raise self.fail(name, "is required")
            return []
        if not isinstance(value, list):
            raise self.fail(name, "must be a list")
        return value


def _parse_material(data: Any, item_where: str, index: int) -> Material:
    probe = data.get("key") if isinstance(data, Mapping) else None
    label = f"material '{probe}'" if isinstance(probe, str) and probe else f"material #{index + 1}"
    f = _Fields(data, f"{item_where}: {label}")
    material = Material(
        key=f.required_string("key", 64),
        name=f.required_string("name", 200),
        necessity=f.choice("necessity", Necessity, Necessity.REQUIRED),
        core=f.boolean("core"),
        form=f.string("form"),
        copies=f.integer("copies", minimum=0),
        source=f.choice("source", MaterialSource, MaterialSource.APPLICANT),
        tolerable=f.boolean("tolerable"),
        supplement_days=f.integer("supplement_days", minimum=1),
        commitment=f.boolean("commitment"),
        standard=f.string("standard"),
        note=f.string("note"),
        basis=f.string("basis"),
        produced_by=f.string("produced_by", max_len=64),
    )
    if material.core and material.tolerable:
        raise CatalogFormatError(f"{f.where}: core material cannot be tolerable")
    if material.supplement_days is not None and not material.tolerable:
        raise f.fail("supplement_days", "only a tolerable material has a supplement period")
    return material


def _parse_item(data: Any, index: int) -> ServiceItem:
    probe = data.get("code") if isinstance(data, Mapping) else None
    where = f"item {probe}" if isinstance(probe, str) and probe else f"item #{index + 1}"
    f = _Fields(data, where)
    code = f.required_string("code", 64)
    materials_raw = f.array("materials", required=True)
    materials = tuple(_parse_material(m, where, i) for i, m in enumerate(materials_raw))
    seen: set[str] = set()
    for material in materials:
        if material.produced_by is not None and material.produced_by == code:
            raise CatalogFormatError(
                f"{where}: material '{material.key}': field 'produced_by': an item cannot produce its own material")
        if material.key in seen:
            raise CatalogFormatError(f"{where}: material '{material.key}': key appears twice")
        seen.add(material.key)
    item = ServiceItem(
        code=code,
        basic_code=f.string("basic_code"),
        name=f.required_string("name", 200),
        item_type=f.choice("item_type", ItemType, None),  # type: ignore[arg-type]
        department=f.required_string("department"),
        window_category=f.string("window_category"),
        legal_limit_days=f.integer("legal_limit_days", minimum=0),
        promised_limit_days=f.integer("promised_limit_days", minimum=0),
        on_site_approval=f.boolean("on_site_approval"),
        tolerance_allowed=f.boolean("tolerance_allowed"),
        commitment_allowed=f.boolean("commitment_allowed"),
        fee=f.string("fee"),
        conditions=f.string("conditions"),
        basis=f.string("basis"),
        visits=f.integer("visits", minimum=0),
        state=f.choice("state", ItemState, ItemState.ACTIVE),
        back_office=f.string("back_office"),
        guide=f.string("guide"),
        limit_note=f.string("limit_note"),
        version=f.integer("version", minimum=1, required=True),  # type: ignore[arg-type]
        materials=materials,
    )
    if item.item_type is None:
        raise f.fail("item_type", "is required")
    return item


def _parse_bundle(data: Any, index: int) -> Bundle:
    probe = data.get("code") if isinstance(data, Mapping) else None
    where = f"bundle {probe}" if isinstance(probe, str) and probe else f"bundle #{index + 1}"
    f = _Fields(data, where)
    codes = f.array("items", required=True)
    if len(codes) < 2:
        raise f.fail("items", "a bundle names at least two items")
    if not all(isinstance(c, str) and c for c in codes):
        raise f.fail("items", "must be a list of item codes")
    if len(set(codes)) != len(codes):
        raise f.fail("items", "names an item twice")
    return Bundle(code=f.required_string("code", 64), name=f.required_string("name", 200), items=tuple(codes))


def parse_catalog(data: Any, *, partial: bool = False) -> Catalog:
    """Validate a decoded JSON document and build a Catalog.

    `partial` is for feed pages: bundles may then name items the page does not carry.
    """
    f = _Fields(data, "catalog")
    if data.get("format") != FORMAT_NAME:
        raise f.fail("format", f"must be '{FORMAT_NAME}'")
    version = f.integer("format_version", minimum=1, required=True)
    if version != FORMAT_VERSION:
        raise f.fail("format_version", f"version {version} is not supported (this client reads {FORMAT_VERSION})")
    header = CatalogHeader(
        authority=f.string("authority"),
        catalog_version=f.integer("catalog_version", minimum=0, required=True) or 0,
        generated_at=f.string("generated_at"),
    )
    items = [_parse_item(raw, i) for i, raw in enumerate(f.array("items", required=True))]
    codes: set[str] = set()
    for item in items:
        if item.code in codes:
            raise CatalogFormatError(f"item {item.code}: field 'code': appears twice in the catalog")
        codes.add(item.code)
    bundles = [_parse_bundle(raw, i) for i, raw in enumerate(f.array("bundles"))]
    bundle_codes: set[str] = set()
    for bundle in bundles:
        if bundle.code in bundle_codes:
            raise CatalogFormatError(f"bundle {bundle.code}: field 'code': appears twice in the catalog")
        bundle_codes.add(bundle.code)
        if not partial:
            for code in bundle.items:
                if code not in codes:
                    raise CatalogFormatError(f"bundle {bundle.code}: field 'items': item {code} is not in the catalog")
    if not partial:
        for item in items:
            for material in item.materials:
                if material.produced_by is not None and material.produced_by not in codes:
                    raise CatalogFormatError(
                        f"item {item.code}: material '{material.key}': field 'produced_by': "
                        f"item {material.produced_by} is not in the catalog")
    deleted = f.array("deleted")
    if not all(isinstance(c, str) and c for c in deleted):
        raise f.fail("deleted", "must be a list of item codes")
    return Catalog(header=header, items=items, bundles=bundles, deleted=list(deleted))


def load_catalog_file(path: str | Path) -> Catalog:
    """Read and validate a catalog file; any problem is a CatalogFormatError."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise CatalogFormatError(f"cannot read {path}: {error.strerror or error}") from error
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CatalogFormatError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error
    except json.JSONDecodeError as error:
        raise CatalogFormatError(f"{path}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from error
    return parse_catalog(data)


def _drop_empty(values: dict[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """Omit absent optional fields and fields equal to the spec's default."""
    return {k: v for k, v in values.items() if v is not None and defaults.get(k, object()) != v}


_MATERIAL_DEFAULTS = {"core": False, "tolerable": False, "commitment": False}
_ITEM_DEFAULTS = {"on_site_approval": False, "tolerance_allowed": False, "commitment_allowed": False}


def material_to_json(m: Material) -> dict[str, Any]:
    return _drop_empty(
        {
            "key": m.key, "name": m.name, "necessity": m.necessity.value, "core": m.core,
            "form": m.form, "copies": m.copies, "source": m.source.value, "tolerable": m.tolerable,
            "supplement_days": m.supplement_days, "commitment": m.commitment,
            "standard": m.standard, "note": m.note, "basis": m.basis, "produced_by": m.produced_by,
        },
        _MATERIAL_DEFAULTS,
    )


def item_to_json(item: ServiceItem) -> dict[str, Any]:
    values = _drop_empty(
        {
            "code": item.code, "basic_code": item.basic_code, "name": item.name,
            "item_type": item.item_type.value, "department": item.department,
            "window_category": item.window_category, "legal_limit_days": item.legal_limit_days,
            "promised_limit_days": item.promised_limit_days, "on_site_approval": item.on_site_approval,
            "tolerance_allowed": item.tolerance_allowed, "commitment_allowed": item.commitment_allowed,
            "fee": item.fee, "conditions": item.conditions, "basis": item.basis, "visits": item.visits,
            "state": item.state.value, "back_office": item.back_office, "guide": item.guide,
            "limit_note": item.limit_note, "version": item.version,
        },
        _ITEM_DEFAULTS,
    )
    values["materials"] = [material_to_json(m) for m in item.materials]
    return values


def catalog_to_json(catalog: Catalog) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "authority": catalog.header.authority,
        "catalog_version": catalog.header.catalog_version,
        "generated_at": catalog.header.generated_at,
        "items": [item_to_json(item) for item in catalog.items],
        "bundles": [{"code": b.code, "name": b.name, "items": list(b.items)} for b in catalog.bundles],
        "deleted": list(catalog.deleted),
    }


def dump_catalog(catalog: Catalog) -> str:
    return json.dumps(catalog_to_json(catalog), ensure_ascii=False, indent=2) + "\n"
