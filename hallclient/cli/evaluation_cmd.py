"""`hallclient rate`, `hallclient rectification …`, `hallclient complaint …` (好差评, 有诉即办)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from hallclient.cli.common import (
    EXIT_USAGE,
    CommandError,
    add_data_dir,
    open_workspace,
    signed_in_actor,
)

LEVELS = "非常满意, 满意, 基本满意, 不满意, 非常不满意"


def _pairs(value: str) -> dict[str, str]:
    return dict(p.split("=", 1) for p in value.split(",") if "=" in p)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    rate = commands.add_parser("rate", help="record the applicant's rating of a case (好差评)",
                               description=f"Record one rating of a case. LEVEL: {LEVELS}. A second rating of the "
                                           "same case is refused (exit 2).",
                               epilog="example: hallclient rate 信高新受〔2026〕03000001 --level 满意 "
                                      "--indicators 办事效率=满意,服务态度=非常满意")
    rate.add_argument("number", metavar="NUMBER")
    rate.add_argument("--level", required=True)
    rate.add_argument("--indicators", type=_pairs, default={}, metavar="NAME=LEVEL,...",
                      help="整体/办事效率/业务水平/服务态度 (or overall/efficiency/competence/attitude)")
    rate.add_argument("--comment", default="")
    rate.add_argument("--reason", action="append", default=[], help="a 差评 reason (repeatable)")
    rate.add_argument("--phone", default="", help="for the callback of a 差评")
    rate.add_argument("--channel", choices=["pad", "qr", "window"], default="window")
    rate.add_argument("--json", action="store_true")
    add_data_dir(rate)
    rate.set_defaults(handler=_rate)

    rect = commands.add_parser("rectification", help="差评 rectification tasks (supervisor)")
    add_data_dir(rect)
    rsub = rect.add_subparsers(dest="rectification_command", metavar="ACTION", required=True)
    rlist = rsub.add_parser("list", help="tasks, overdue first")
    rlist.add_argument("--open", action="store_true", help="only tasks not closed")
    rlist.add_argument("--json", action="store_true")
    add_data_dir(rlist)
    rlist.set_defaults(handler=_rect_list)
    radv = rsub.add_parser("advance", help="contact, rectify, explain, appeal, decide_appeal or close")
    radv.add_argument("uuid")
    radv.add_argument("action", choices=["contact", "rectify", "explain", "appeal", "decide_appeal", "close"])
    radv.add_argument("--note", default="")
    radv.add_argument("--verdict", choices=["满意", "基本满意", "不满意"])
    radv.add_argument("--upheld", choices=["yes", "no"])
    radv.add_argument("--json", action="store_true")
    add_data_dir(radv)
    radv.set_defaults(handler=_rect_advance)

    comp = commands.add_parser("complaint", help="有诉即办: complaints from registration to the archive")
    add_data_dir(comp)
    csub = comp.add_subparsers(dest="complaint_command", metavar="ACTION", required=True)
    add = csub.add_parser("add", help="register a complaint (you own it: 首问负责)")
    add.add_argument("--complainant", required=True)
    add.add_argument("--contact", default="")
    add.add_argument("--what", required=True, help="what happened")
    add.add_argument("--ask", default="", help="what they ask for")
    add.add_argument("--kind", choices=["complaint", "cannot_get_done", "experience_officer"], default="complaint")
    add.add_argument("--complexity", choices=["on_spot", "ordinary", "complex"], default="ordinary")
    add.add_argument("--window")
    add.add_argument("--clerk")
    add.add_argument("--case")
    add.add_argument("--item")
    add.add_argument("--json", action="store_true")
    add_data_dir(add)
    add.set_defaults(handler=_complaint_add)
    clist = csub.add_parser("list", help="complaints, overdue first")
    clist.add_argument("--open", action="store_true")
    clist.add_argument("--json", action="store_true")
    add_data_dir(clist)
    clist.set_defaults(handler=_complaint_list)
    cshow = csub.add_parser("show", help="one complaint with its whole history")
    cshow.add_argument("number")
    cshow.add_argument("--json", action="store_true")
    add_data_dir(cshow)
    cshow.set_defaults(handler=_complaint_show)
    cadv = csub.add_parser("advance", help="accept, handle, handled, callback, archive or handover")
    cadv.add_argument("number")
    cadv.add_argument("action", choices=["accept", "handle", "handled", "callback", "archive", "handover"])
    cadv.add_argument("--note", default="")
    cadv.add_argument("--verdict", choices=["满意", "基本满意", "不满意"])
    cadv.add_argument("--to", dest="to_login")
    cadv.add_argument("--json", action="store_true")
    add_data_dir(cadv)
    cadv.set_defaults(handler=_complaint_advance)


def _jsonable(obj: Any) -> Any:
    data = asdict(obj)

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        if isinstance(value, date):
            return value.isoformat()
        return getattr(value, "value", value)

    return clean(data)


def _session(data_dir: Path | None, action: Any) -> Any:
    from hallclient.core.complaints import ComplaintRefused
    from hallclient.core.evaluation import RatingRefused

    workspace = open_workspace(data_dir, seed=False)
    try:
        actor = signed_in_actor(workspace)
        try:
            return action(workspace.services, actor)
        except (RatingRefused, ComplaintRefused) as error:
            raise CommandError(f"refused: {error}", EXIT_USAGE) from error
    finally:
        workspace.close()


def _rate(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.evaluation import INDICATORS, Channel, RatingRefused, parse_level
    from hallclient.services import evaluation

    try:
        level = parse_level(args.level)
        names = {**{v: k for k, v in INDICATORS.items()}, **{k: k for k in INDICATORS}}
        indicators = {}
        for name, value in args.indicators.items():
            if name.strip() not in names:
                raise RatingRefused(f"未知的评价指标「{name}」，可选：{'、'.join(INDICATORS.values())}")
            indicators[names[name.strip()]] = parse_level(value)
    except RatingRefused as error:
        raise CommandError(f"--level: {error}", EXIT_USAGE) from error
    rating = _session(data_dir, lambda ctx, actor: evaluation.rate(
        ctx, actor, case_number=args.number, level=level, channel=Channel(args.channel), indicators=indicators,
        comment=args.comment, reasons=tuple(args.reason), phone=args.phone).value)
    print(json.dumps(_jsonable(rating), ensure_ascii=False) if args.json else f"{rating.case_number}\t{rating.label}")
    return 0


def _rect_list(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.evaluation import RECT_LABELS
    from hallclient.services import evaluation

    found = _session(data_dir, lambda ctx, actor: (evaluation.rectifications(ctx, actor, open_only=args.open),
                                                   ctx.clock().date()))
    tasks, today = found
    if args.json:
        print(json.dumps([dict(_jsonable(t), overdue=t.overdue(today)) for t in tasks], ensure_ascii=False, indent=2))
    else:
        for t in tasks:
            late = "、".join(t.overdue(today))
            print(f"{t.uuid}\t{RECT_LABELS[t.state]}\t{t.case_number or ''}\t{t.window_number} 号窗口\t"
                  f"整改期限 {t.rectify_by or '—'}\t{late}")
    return 0


def _rect_advance(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.services import evaluation

    upheld = None if args.upheld is None else args.upheld == "yes"
    done = _session(data_dir, lambda ctx, actor: evaluation.advance(
        ctx, actor, args.uuid, args.action, note=args.note, verdict=args.verdict, upheld=upheld).value)
    print(json.dumps(_jsonable(done), ensure_ascii=False) if args.json else f"{done.uuid}\t{done.state.value}")
    return 0


def _complaint_add(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.complaints import ComplaintKind, Complexity
    from hallclient.services import complaints

    made = _session(data_dir, lambda ctx, actor: complaints.register(
        ctx, actor, complainant=args.complainant, contact=args.contact, what_happened=args.what,
        what_they_ask=args.ask, kind=ComplaintKind(args.kind), complexity=Complexity(args.complexity),
        about_window=args.window, about_clerk=args.clerk, case_number=args.case, item_code=args.item).value)
    print(json.dumps(_jsonable(made), ensure_ascii=False) if args.json else f"{made.number}\t{made.stage.value}")
    return 0


def _complaint_list(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.complaints import STAGE_LABELS
    from hallclient.services import complaints

    found, today = _session(data_dir, lambda ctx, actor: (
        complaints.list_complaints(ctx, actor, open_only=args.open), ctx.clock().date()))
    if args.json:
        print(json.dumps([dict(_jsonable(c), overdue=c.overdue(today)) for c in found], ensure_ascii=False, indent=2))
    else:
        for c in found:
            late = "\t逾期" if c.overdue(today) else ""
            print(f"{c.number}\t{STAGE_LABELS[c.stage]}\t{c.owner_login}\t期限 {c.stage_due or '—'}{late}")
    return 0


def _complaint_show(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.complaints import STAGE_LABELS
    from hallclient.services import complaints

    found = _session(data_dir, lambda ctx, actor: complaints.show(ctx, actor, args.number))
    if args.json:
        print(json.dumps(_jsonable(found), ensure_ascii=False, indent=2))
        return 0
    print(f"{found.number}  {STAGE_LABELS[found.stage]}  责任人 {found.owner_login}  期限 {found.stage_due or '—'}")
    print(f"反映人：{found.complainant}  问题：{found.what_happened}")
    for h in found.history:
        print(f"  {h['at']}  {h['by']}  {h['action']}  {h.get('note', '')}")
    return 0


def _complaint_advance(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.services import complaints

    done = _session(data_dir, lambda ctx, actor: complaints.advance(
        ctx, actor, args.number, args.action, note=args.note, verdict=args.verdict, to_login=args.to_login).value)
    print(json.dumps(_jsonable(done), ensure_ascii=False) if args.json else f"{done.number}\t{done.stage.value}")
    return 0
