"""The catalog and the calendar: replaced by an administrator, read by everyone.

Until a window has its first administrator (a fresh standalone install), there is nobody to
sign in: maintenance runs as the bootstrap actor (`core.permissions.SYSTEM`), and no case can
be made, since a case needs a signed-in clerk.
"""

from __future__ import annotations

from collections.abc import Iterable

from hallclient.core.catalog import Bundle, Catalog, CatalogHeader, ServiceItem
from hallclient.core.catalog_format import CatalogDoc
from hallclient.core.permissions import Action, Actor, require
from hallclient.core.search import SearchEntry
from hallclient.core.workdays import WorkCalendar, YearArrangement
from hallclient.services import audit
from hallclient.services.changes import Changes, Result
from hallclient.services.context import ServiceContext
from hallclient.store import calendar_repo, catalog_repo
from hallclient.store.catalog_repo import CatalogDiff


def replace_catalog(ctx: ServiceContext, actor: Actor, catalog: Catalog | CatalogDoc) -> Result[CatalogDiff]:
    """Replace the catalog with a file's (catalog_format.read_catalog_file gives the CatalogDoc
    that is written without building a Python object per material; a Catalog works too)."""
    require(actor, Action.CATALOG_MANAGE)
    with ctx.store.session() as session, session.begin():
        diff = catalog_repo.replace_catalog(session, catalog)
        audit.append(session, ctx.audit_key, actor, "catalog_imported", window=ctx.window_number,
                     at=ctx.clock().isoformat(timespec="seconds"),
                     detail={"version": catalog.header.catalog_version, "added": len(diff.added),
                             "updated": len(diff.updated), "removed": len(diff.removed)})
    return Result(diff, Changes(catalog=True, audit=True, outbox=True))


def load_calendar_year(ctx: ServiceContext, actor: Actor, arrangement: YearArrangement) -> Changes:
    require(actor, Action.SETTINGS_MANAGE)
    with ctx.store.session() as session, session.begin():
        calendar_repo.save_year(session, arrangement)
        audit.append(session, ctx.audit_key, actor, "calendar_loaded", window=ctx.window_number,
                     at=ctx.clock().isoformat(timespec="seconds"), detail={"year": arrangement.year})
    return Changes(calendar=True, audit=True, outbox=True)


# -- reads (no permission needed: the catalog is public information) ----------------------------


def export_catalog(ctx: ServiceContext) -> Catalog:
    with ctx.store.session() as session:
        return catalog_repo.export_catalog(session)


def read_header(ctx: ServiceContext) -> CatalogHeader | None:
    with ctx.store.session() as session:
        return catalog_repo.read_header(session)


def load_item(ctx: ServiceContext, code: str) -> ServiceItem | None:
    with ctx.store.session() as session:
        return catalog_repo.load_item(session, code)


def load_items(ctx: ServiceContext, codes: Iterable[str]) -> list[ServiceItem]:
    with ctx.store.session() as session:
        return catalog_repo.load_items(session, list(codes))


def load_bundle(ctx: ServiceContext, code: str) -> Bundle | None:
    with ctx.store.session() as session:
        return catalog_repo.load_bundle(session, code)


def list_bundles(ctx: ServiceContext) -> list[Bundle]:
    with ctx.store.session() as session:
        return catalog_repo.list_bundles(session)


def search_entries(ctx: ServiceContext) -> list[SearchEntry]:
    with ctx.store.session() as session:
        return catalog_repo.search_entries(session)


def load_calendar(ctx: ServiceContext) -> WorkCalendar:
    with ctx.store.session() as session:
        return calendar_repo.load_calendar(session)
