"""`hallclient documents sample|case`: the PDFs the window prints, written to a folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from hallclient.cli.common import (
    EXIT_USAGE,
    CommandError,
    add_data_dir,
    open_workspace,
    signed_in_actor,
)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    documents = commands.add_parser("documents", help="write the notices and receipts as PDF files",
                                    description="Write the documents the window prints as PDF files.")
    add_data_dir(documents)
    sub = documents.add_subparsers(dest="documents_command", metavar="ACTION", required=True)
    sample = sub.add_parser("sample", help="one PDF of every document kind for a demonstration case",
                            description="Write one PDF of every document kind (and a queue slip) for a "
                                        "demonstration case into OUTDIR, to check templates and settings.")
    sample.add_argument("outdir", metavar="OUTDIR", type=Path)
    add_data_dir(sample)
    sample.set_defaults(handler=_sample)
    case = sub.add_parser("case", help="the documents of one case",
                          description="Write the documents of the case numbered NUMBER into OUTDIR: the "
                                      "window's notices for its decision, and, where the case has them, the "
                                      "收件回执, the 延长期限告知书 and the chief representative's decision.")
    case.add_argument("number", metavar="NUMBER", help="the case number, e.g. 信高新受〔2026〕03000001")
    case.add_argument("outdir", metavar="OUTDIR", type=Path)
    case.add_argument("--reprint", action="store_true", help="mark the copies 补打 (reprint)")
    add_data_dir(case)
    case.set_defaults(handler=_case)
    pre = sub.add_parser("prereview", help="the 预审意见单 of one pre-review",
                         description="Write the pre-review sheet (预审意见单) of the pre-review numbered NUMBER "
                                     "into OUTDIR.")
    pre.add_argument("number", metavar="NUMBER", help="the pre-review number, e.g. YS2026120101001")
    pre.add_argument("outdir", metavar="OUTDIR", type=Path)
    pre.add_argument("--reprint", action="store_true", help="mark the copy 补打 (reprint)")
    add_data_dir(pre)
    pre.set_defaults(handler=_prereview)


def _sample(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.documents.sample import write_samples

    try:
        paths = write_samples(args.outdir)
    except OSError as error:
        raise CommandError(f"cannot write to {args.outdir}: {error.strerror or error}") from error
    for path in paths:
        print(path)
    return 0


def _case(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.case_documents import document_case, document_settings
    from hallclient.documents import KIND_TITLES, build_document, documents_for, write_pdf_atomic
    from hallclient.services import cases
    from hallclient.store.cases_repo import CaseNotFound

    workspace = open_workspace(data_dir)
    try:
        actor = signed_in_actor(workspace)  # the documents carry the applicant: a reader's permission
        try:
            found = cases.find_case(workspace.services, actor, args.number)
        except CaseNotFound as error:
            raise CommandError(f"no case numbered {args.number}", EXIT_USAGE) from error
        case, items = cases.case_with_items(workspace.services, actor, found.uuid)
        settings = document_settings(workspace.settings)
    finally:
        workspace.close()
    doc_case = document_case(case, items)
    safe_number = "".join(ch if ch.isalnum() else "_" for ch in case.case_number)
    for kind in documents_for(doc_case):
        path = args.outdir / f"{safe_number}-{KIND_TITLES[kind]}.pdf"
        write_pdf_atomic(path, build_document(kind, doc_case, settings, reprint=args.reprint))
        print(path)
    return 0


def _prereview(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.case_documents import document_settings, prereview_document
    from hallclient.documents import build_prereview_sheet, write_pdf_atomic
    from hallclient.services import catalog, prereview

    workspace = open_workspace(data_dir, seed=False)
    try:
        actor = signed_in_actor(workspace)  # the sheet carries the applicant: a reader's permission
        try:
            found = prereview.show(workspace.services, actor, args.number)
        except prereview.PrereviewNotFound as error:
            raise CommandError(str(error), EXIT_USAGE) from error
        items = catalog.load_items(workspace.services, list(found.item_codes))
        bundle = catalog.load_bundle(workspace.services, found.bundle_code) if found.bundle_code else None
        settings = document_settings(workspace.settings)
    finally:
        workspace.close()
    sheet = prereview_document(found, items, bundle.name if bundle else "")
    safe_number = "".join(ch if ch.isalnum() else "_" for ch in found.number)
    path = args.outdir / f"{safe_number}-预审意见单.pdf"
    write_pdf_atomic(path, build_prereview_sheet(sheet, settings, reprint=args.reprint))
    print(path)
    return 0
