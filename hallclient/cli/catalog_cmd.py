"""`hallclient catalog import|export|search`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hallclient.cli.common import (
    EXIT_USAGE,
    CommandError,
    add_data_dir,
    open_workspace,
    signed_in_actor,
)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    catalog = commands.add_parser("catalog", help="import, export or search the service catalog",
                                  description="Import, export or search the window's service catalog (事项清单).")
    add_data_dir(catalog)
    sub = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)

    imp = sub.add_parser("import", help="replace the catalog with a catalog file",
                         description="Replace the catalog in use with FILE (format: hallclient-catalog v1). "
                                     "A file that breaks the format is refused and the current catalog is kept.")
    imp.add_argument("file", metavar="FILE", type=Path)
    add_data_dir(imp)
    imp.set_defaults(handler=_import)

    exp = sub.add_parser("export", help="write the catalog in use to a file",
                         description="Write the catalog in use to FILE in the hallclient-catalog v1 format.")
    exp.add_argument("file", metavar="FILE", type=Path)
    add_data_dir(exp)
    exp.set_defaults(handler=_export)

    search = sub.add_parser("search", help="find service items by name, pinyin or code",
                            description="Print the items matching QUERY, best first: by any part of the name, "
                                        "pinyin initials (spjy), full pinyin (shipin) or code prefix.")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--json", action="store_true", help="print JSON instead of a table")
    search.add_argument("--limit", type=int, default=50, help="at most this many results (default 50)")
    add_data_dir(search)
    search.set_defaults(handler=_search)


def _import(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.catalog_format import CatalogFormatError, read_catalog_file
    from hallclient.services import catalog as catalog_service

    try:
        catalog = read_catalog_file(args.file)
    except CatalogFormatError as error:
        raise CommandError(f"refused, catalog unchanged: {error}", EXIT_USAGE) from error
    workspace = open_workspace(data_dir, seed=False)
    try:
        # through the service, as the window's import: an administrator's action, audited (a
        # standalone window with no account yet acts as the system, to set itself up)
        actor = signed_in_actor(workspace, bootstrap=True)
        diff = catalog_service.replace_catalog(workspace.services, actor, catalog).value
    finally:
        workspace.close()
    print(diff.summary())
    for label, codes in (("added", diff.added), ("updated", diff.updated), ("removed", diff.removed)):
        for code in codes:
            print(f"  {label}: {code}")
    return 0


def _export(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.atomicfile import write_atomic
    from hallclient.core.catalog_format import dump_catalog
    from hallclient.store.catalog_repo import export_catalog

    workspace = open_workspace(data_dir)
    try:
        with workspace.store.session() as session:
            catalog = export_catalog(session)
    finally:
        workspace.close()
    try:
        write_atomic(args.file, dump_catalog(catalog).encode("utf-8"))
    except OSError as error:
        raise CommandError(f"cannot write {args.file}: {error.strerror or error}") from error
    print(f"exported {len(catalog.items)} items, {len(catalog.bundles)} bundles "
          f"(catalog version {catalog.header.catalog_version}) to {args.file}")
    return 0


def _search(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.catalog import ITEM_STATE_LABELS, ItemState
    from hallclient.core.search import SearchIndex
    from hallclient.store.catalog_repo import search_entries

    workspace = open_workspace(data_dir)
    try:
        with workspace.store.session() as session:
            index = SearchIndex(search_entries(session))
    finally:
        workspace.close()
    hits = index.search(args.query, limit=max(1, args.limit))
    if args.json:
        print(json.dumps(
            [{"code": h.entry.code, "name": h.entry.name, "state": h.entry.state.value,
              "match": h.match.name.lower(), "field": h.field.name.lower()} for h in hits],
            ensure_ascii=False, indent=2,
        ))
        return 0
    if not hits:
        print("no matching items")
    for hit in hits:
        state = "" if hit.entry.state == ItemState.ACTIVE else f"  [{ITEM_STATE_LABELS[hit.entry.state]}]"
        print(f"{hit.entry.code}\t{hit.entry.name}{state}")
    return 0
