"""The catalog (政务服务事项实施清单): service items, their materials, and bundles.

Plain frozen dataclasses so the same objects serve the GUI, the CLI, the decision engine and
the documents. Field names follow docs/catalog-format.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ItemType(StrEnum):
    LICENSING = "行政许可"
    CONFIRMATION = "行政确认"
    ADJUDICATION = "行政裁决"
    PAYMENT = "行政给付"
    REWARD = "行政奖励"
    FILING = "行政备案"
    OTHER_POWER = "其他行政权力"
    PUBLIC_SERVICE = "公共服务"


class ItemState(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


class Necessity(StrEnum):
    REQUIRED = "required"
    CONDITIONAL = "conditional"
    OPTIONAL = "optional"


class MaterialSource(StrEnum):
    APPLICANT = "applicant"
    GOVERNMENT = "government"
    E_LICENSE = "e_license"


ITEM_STATE_LABELS: dict[ItemState, str] = {
    ItemState.ACTIVE: "在用",
    ItemState.SUSPENDED: "暂停",
    ItemState.CANCELLED: "取消",
}
NECESSITY_LABELS: dict[Necessity, str] = {
    Necessity.REQUIRED: "必要",
    Necessity.CONDITIONAL: "特定情形必要",
    Necessity.OPTIONAL: "非必要",
}
SOURCE_LABELS: dict[MaterialSource, str] = {
    MaterialSource.APPLICANT: "申请人自备",
    MaterialSource.GOVERNMENT: "政府部门核发",
    MaterialSource.E_LICENSE: "电子证照库",
}


@dataclass(frozen=True, slots=True)
class Material:
    """A 申请材料 of one item, in display order."""

    key: str
    name: str
    necessity: Necessity = Necessity.REQUIRED
    core: bool = False
    form: str | None = None
    copies: int | None = None
    source: MaterialSource = MaterialSource.APPLICANT
    tolerable: bool = False
    supplement_days: int | None = None
    commitment: bool = False
    standard: str | None = None
    note: str | None = None
    # 设定依据 of the proof this material is: printed on the 告知承诺书 that replaces it.
    basis: str | None = None
    # The code of the item that issues this material (e.g. the licence a bundle's first item
    # issues): inside a bundle holding that item it is 本套办理中产生, not the applicant's to bring.
    produced_by: str | None = None


@dataclass(frozen=True, slots=True)
class ServiceItem:
    """A 事项 as the window handles it."""

    code: str
    name: str
    item_type: ItemType
    department: str
    version: int
    materials: tuple[Material, ...] = ()
    basic_code: str | None = None
    window_category: str | None = None
    legal_limit_days: int | None = None
    promised_limit_days: int | None = None
    on_site_approval: bool = False
    tolerance_allowed: bool = False
    commitment_allowed: bool = False
    fee: str | None = None
    conditions: str | None = None
    basis: str | None = None
    visits: int | None = None
    state: ItemState = ItemState.ACTIVE
    back_office: str | None = None  # 承办科室: the back office the window hands the case to
    guide: str | None = None  # the public service guide (办事指南) the item's data follows
    limit_note: str | None = None  # how the law states the limit, where not in working days

    @property
    def is_immediate(self) -> bool:
        """即办件: promised to be completed on the spot."""
        return self.promised_limit_days == 0

    def limit_text(self, days: int | None) -> str:
        if days is None:
            return "—"
        return "即办件（当场办结）" if days == 0 else f"{days} 个工作日"


@dataclass(frozen=True, slots=True)
class Bundle:
    """一件事: several items handled as one."""

    code: str
    name: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CatalogHeader:
    authority: str | None = None
    catalog_version: int = 0
    generated_at: str | None = None


@dataclass(slots=True)
class Catalog:
    """A whole catalog as read from a file or a feed page."""

    header: CatalogHeader
    items: list[ServiceItem] = field(default_factory=list)
    bundles: list[Bundle] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    def item_map(self) -> dict[str, ServiceItem]:
        return {item.code: item for item in self.items}
