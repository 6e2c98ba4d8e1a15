"""Reading and writing the catalog interchange format, version 1 (docs/catalog-format.md).

The format is a contract with other systems: a file that follows the spec must load, a file
that does not is refused with a message naming the item and the field. Unknown keys are
ignored for forward compatibility.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_args

import msgspec

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


def read_catalog_file(path: str | Path) -> CatalogDoc:
    """Read and validate a catalog file into its checked document (the fast form: see
    decode_catalog); any problem is a CatalogFormatError naming the file, item and field."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise CatalogFormatError(f"cannot read {path}: {error.strerror or error}") from error
    try:
        return decode_catalog(raw)
    except CatalogNotJSON as not_json:
        cause = not_json.error
        if isinstance(cause, UnicodeDecodeError):
            raise CatalogFormatError(f"{path}: not UTF-8 text ({cause.reason} at byte {cause.start})") from cause
        raise CatalogFormatError(f"{path}: not valid JSON: {cause.msg} (line {cause.lineno}, column {cause.colno})") from cause


def load_catalog_file(path: str | Path) -> Catalog:
    """Read and validate a catalog file; any problem is a CatalogFormatError."""
    return doc_to_catalog(read_catalog_file(path))


# -- the checked document: decoding 200,000 materials without a Python object per field ----------
#
# parse_catalog (above) is the reference: it says exactly what is wrong and where. Reading a
# province's catalog through it costs seconds (a Python call per field); decode_catalog reads the
# same bytes with msgspec straight into the structs below (types, lengths and minimums checked in
# C), then checks in Python what a type cannot say (blank strings, duplicates, cross-field rules).
# Whatever the fast path does not accept — a null where a default is meant, a lone surrogate,
# NaN in an unknown key, or a real error — goes through parse_catalog, so a document is accepted
# or refused, and an error worded, exactly as parse_catalog does (tests/core/test_catalog_doc.py
# holds the two equal). The structs' fields are in the store's column order
# (hallclient.store.catalog_repo), so a row is msgspec.structs.astuple away.

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Count = Annotated[int, msgspec.Meta(ge=0)]
# The enums' values as plain strings: sqlite3 binds a str as it is, an enum member only after
# asking it for an adapter (which doubled the insert of 200,000 materials).
NecessityValue = Literal["required", "conditional", "optional"]
SourceValue = Literal["applicant", "government", "e_license"]
ItemTypeValue = Literal["行政许可", "行政确认", "行政裁决", "行政给付", "行政奖励", "行政备案", "其他行政权力", "公共服务"]
StateValue = Literal["active", "suspended", "cancelled"]
for _values, _enum in ((NecessityValue, Necessity), (SourceValue, MaterialSource), (ItemTypeValue, ItemType),
                       (StateValue, ItemState)):
    assert get_args(_values) == tuple(e.value for e in _enum), f"{_enum.__name__} and its Literal differ"


class MaterialDoc(msgspec.Struct, kw_only=True, omit_defaults=True, gc=False):
    """A checked material; fields as Material's, in the same order."""

    key: Code
    name: Name
    necessity: NecessityValue = "required"
    core: bool = False
    form: str | None = None
    copies: Count | None = None
    source: SourceValue = "applicant"
    tolerable: bool = False
    supplement_days: Annotated[int, msgspec.Meta(ge=1)] | None = None
    commitment: bool = False
    standard: str | None = None
    note: str | None = None
    basis: str | None = None
    produced_by: Annotated[str, msgspec.Meta(max_length=64)] | None = None


class ItemDoc(msgspec.Struct, kw_only=True, omit_defaults=True, gc=False):
    """A checked item: ServiceItem's fields in the store's column order, materials last."""

    code: Code
    basic_code: str | None = None
    name: Name
    item_type: ItemTypeValue
    department: Annotated[str, msgspec.Meta(min_length=1)]
    window_category: str | None = None
    legal_limit_days: Count | None = None
    promised_limit_days: Count | None = None
    on_site_approval: bool = False
    tolerance_allowed: bool = False
    commitment_allowed: bool = False
    fee: str | None = None
    conditions: str | None = None
    basis: str | None = None
    visits: Count | None = None
    state: StateValue = "active"
    version: Annotated[int, msgspec.Meta(ge=1)]
    back_office: str | None = None
    guide: str | None = None
    limit_note: str | None = None
    materials: list[MaterialDoc]


class BundleDoc(msgspec.Struct, kw_only=True, gc=False):
    code: Code
    name: Name
    items: list[str]


class CatalogDoc(msgspec.Struct, kw_only=True):
    """A checked catalog-v1 document (decode_catalog, read_catalog_file, catalog_to_doc)."""

    format: str
    format_version: int
    authority: str | None = None
    catalog_version: Count
    generated_at: str | None = None
    items: list[ItemDoc]
    bundles: list[BundleDoc] = []
    deleted: list[str] = []

    @property
    def header(self) -> CatalogHeader:
        return CatalogHeader(authority=self.authority, catalog_version=self.catalog_version,
                             generated_at=self.generated_at)


MATERIAL_FIELDS: tuple[str, ...] = MaterialDoc.__struct_fields__
ITEM_FIELDS: tuple[str, ...] = ItemDoc.__struct_fields__[:-1]  # without "materials"
_DECODER = msgspec.json.Decoder(CatalogDoc)


def _frame_field(info: Any) -> tuple[Any, ...]:
    kind = list[msgspec.Raw] if info.name == "items" else info.type
    if info.default is not msgspec.NODEFAULT:
        return (info.name, kind, info.default)
    if info.default_factory is not msgspec.NODEFAULT:
        return (info.name, kind, msgspec.field(default_factory=info.default_factory))
    return (info.name, kind)


# CatalogDoc with its items left undecoded (their JSON text checked, their bytes kept), each then
# decoded by _ITEM_DECODER on its own: one C call per item rather than one for the whole
# document, so the interpreter lock changes hands between items (_decode_by_items).
_FRAME_DECODER = msgspec.json.Decoder(msgspec.defstruct(
    "_CatalogFrame", [_frame_field(f) for f in msgspec.structs.fields(CatalogDoc)], kw_only=True))
_ITEM_DECODER = msgspec.json.Decoder(ItemDoc)


class CatalogNotJSON(CatalogFormatError):
    """The bytes are not UTF-8 JSON; `error` is json's own account of where."""

    def __init__(self, error: UnicodeDecodeError | json.JSONDecodeError) -> None:
        super().__init__(str(error))
        self.error = error


class CatalogNotAnObject(CatalogFormatError):
    """The JSON document is not an object (the message is parse_catalog's)."""


def decode_catalog(raw: bytes, *, partial: bool = False) -> CatalogDoc:
    """Decode and check catalog-v1 JSON: accepted, refused and worded as
    parse_catalog(json.loads(raw), partial=partial), only about ten times faster.

    Raises CatalogNotJSON for bytes that are not UTF-8 JSON, CatalogNotAnObject for JSON that is
    not an object, CatalogFormatError for a document that breaks the spec.
    """
    try:
        doc: CatalogDoc | None = _decode_by_items(raw) if len(raw) > BY_ITEMS_ABOVE else _DECODER.decode(raw)
    except (msgspec.DecodeError, RecursionError):  # msgspec.ValidationError is a DecodeError
        doc = None
    if doc is not None and _checks_pass(doc, partial):
        return doc
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CatalogNotJSON(error) from error
    except json.JSONDecodeError as error:
        raise CatalogNotJSON(error) from error
    if not isinstance(data, Mapping):
        raise CatalogNotAnObject(f"catalog: expected an object, got {type(data).__name__}")
    return catalog_to_doc(parse_catalog(data, partial=partial))


BY_ITEMS_ABOVE = 4_000_000  # bytes: a document this long is decoded item by item (_decode_by_items)


def _decode_by_items(raw: bytes) -> CatalogDoc:
    """_DECODER.decode(raw), the same document, with the items decoded one by one.

    msgspec decodes without letting other threads run: a 23 MB catalog in one call held every
    other thread of the process for 126 ms here (the hall's requests on a central receiving a
    catalog, the window's own screen during an import), item by item at most 58 ms, for 0.03 s
    more decoding (bench/bench_publish.py prints both). A sync page (about 1 MB: a few ms in one
    call) is decoded in one call (BY_ITEMS_ABOVE). Raises what _DECODER.decode raises for a
    document it refuses (the messages differ; decode_catalog words its own)."""
    frame: Any = _FRAME_DECODER.decode(raw)
    item = _ITEM_DECODER.decode
    fields = {name: getattr(frame, name) for name in frame.__struct_fields__}
    fields["items"] = [item(text) for text in frame.items]
    return CatalogDoc(**fields)


def _checks_pass(doc: CatalogDoc, partial: bool) -> bool:
    """What the structs' types cannot say; False sends the document to parse_catalog."""
    if doc.format != FORMAT_NAME or doc.format_version != FORMAT_VERSION:
        return False
    codes: set[str] = set()
    produced: list[str] = []
    for item in doc.items:
        code = item.code
        if code in codes or not code.strip() or not item.name.strip() or not item.department.strip():
            return False
        codes.add(code)
        keys: set[str] = set()
        for m in item.materials:
            key = m.key
            if key in keys or not key.strip() or not m.name.strip():
                return False
            keys.add(key)
            if m.tolerable:
                if m.core:
                    return False
            elif m.supplement_days is not None:
                return False
            if m.produced_by is not None:
                if m.produced_by == code:
                    return False
                produced.append(m.produced_by)
    bundle_codes: set[str] = set()
    for bundle in doc.bundles:
        members = bundle.items
        if (bundle.code in bundle_codes or not bundle.code.strip() or not bundle.name.strip()
                or len(members) < 2 or len(set(members)) != len(members) or not all(members)):
            return False
        bundle_codes.add(bundle.code)
        if not partial and not codes.issuperset(members):
            return False
    if not partial and not codes.issuperset(produced):
        return False
    return all(doc.deleted)


def doc_to_catalog(doc: CatalogDoc) -> Catalog:
    """The core objects of a checked document.

    Equal materials are one object (a Material is immutable): a catalog repeats its materials
    (居民身份证, 营业执照… in thousands of items), and building 200,000 frozen dataclasses was
    nine tenths of this on 20,000 items, where a few hundred distinct ones are built here."""
    astuple = msgspec.structs.astuple
    known: dict[tuple[Any, ...], Material] = {}
    items = []
    for item in doc.items:
        values: dict[str, Any] = dict(zip(ITEM_FIELDS, astuple(item), strict=False))  # stops before materials
        values.update(item_type=ItemType(item.item_type), state=ItemState(item.state))
        try:
            materials = tuple([known[key] for key in map(astuple, item.materials)])
        except KeyError:
            materials = tuple([known.get(key) or known.setdefault(key, _material(m))
                               for key, m in zip(map(astuple, item.materials), item.materials, strict=True)])
        items.append(ServiceItem(materials=materials, **values))
    bundles = [Bundle(code=b.code, name=b.name, items=tuple(b.items)) for b in doc.bundles]
    return Catalog(header=doc.header, items=items, bundles=bundles, deleted=list(doc.deleted))


def _material(m: MaterialDoc) -> Material:
    return Material(
        key=m.key, name=m.name, necessity=Necessity(m.necessity), core=m.core, form=m.form, copies=m.copies,
        source=MaterialSource(m.source), tolerable=m.tolerable, supplement_days=m.supplement_days,
        commitment=m.commitment, standard=m.standard, note=m.note, basis=m.basis, produced_by=m.produced_by)


def material_doc(m: Material) -> MaterialDoc:
    return MaterialDoc(
        key=m.key, name=m.name, necessity=m.necessity.value, core=m.core, form=m.form, copies=m.copies,
        source=m.source.value, tolerable=m.tolerable, supplement_days=m.supplement_days,
        commitment=m.commitment, standard=m.standard, note=m.note, basis=m.basis, produced_by=m.produced_by)


def item_doc(item: ServiceItem) -> ItemDoc:
    """The document form of a core item, as it is (not checked again)."""
    return ItemDoc(
        code=item.code, basic_code=item.basic_code, name=item.name, item_type=item.item_type.value,
        department=item.department, window_category=item.window_category,
        legal_limit_days=item.legal_limit_days, promised_limit_days=item.promised_limit_days,
        on_site_approval=item.on_site_approval, tolerance_allowed=item.tolerance_allowed,
        commitment_allowed=item.commitment_allowed, fee=item.fee, conditions=item.conditions,
        basis=item.basis, visits=item.visits, state=item.state.value, version=item.version,
        back_office=item.back_office, guide=item.guide, limit_note=item.limit_note,
        materials=[material_doc(m) for m in item.materials])


def catalog_to_doc(catalog: Catalog) -> CatalogDoc:
    h = catalog.header
    return CatalogDoc(
        format=FORMAT_NAME, format_version=FORMAT_VERSION, authority=h.authority,
        catalog_version=h.catalog_version, generated_at=h.generated_at,
        items=[item_doc(item) for item in catalog.items],
        bundles=[BundleDoc(code=b.code, name=b.name, items=list(b.items)) for b in catalog.bundles],
        deleted=list(catalog.deleted))


def item_doc_json(item: ItemDoc) -> dict[str, Any]:
    """item_to_json of the same item, built in C (msgspec.to_builtins leaves out what equals its
    default: None and false, as item_to_json does, and also the default necessity, source and
    state, which item_to_json always writes, so they are put back)."""
    values: dict[str, Any] = msgspec.to_builtins(item)
    values.setdefault("state", "active")
    for m in values["materials"]:
        m.setdefault("necessity", "required")
        m.setdefault("source", "applicant")
    return values


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
