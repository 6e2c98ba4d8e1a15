"""`hallclient stats`: the hall's figures, the monthly assessment, the quarterly ranking and a
what-if day, for the signed-in person (HALLCLIENT_USER / HALLCLIENT_PASSWORD); a clerk gets their
own figures only. `hallclient central stats --db URL …` prints the same over all windows.

    hallclient stats --period 2026-Q3 [--by window|clerk|category|item] [--json]
    hallclient stats --period 2026-12 --assessment [--csv FILE] [--pdf FILE]
    hallclient stats --whatif 2026-12-01 [--windows 无差别受理=3,市场准入=2] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from hallclient.cli.common import EXIT_USAGE, CommandError, add_data_dir

BY = ("window", "clerk", "category", "item")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--period", metavar="P", help="2026-12-01, 2026-12, 2026-Q3 or 2026-12-01..2026-12-15")
    parser.add_argument("--by", choices=BY, help="also per window, clerk, window category or item")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--assessment", action="store_true",
                        help="the monthly assessment (a month) or the quarterly ranking (a quarter)")
    parser.add_argument("--csv", metavar="FILE", type=Path, help="write the assessment as CSV")
    parser.add_argument("--pdf", metavar="FILE", type=Path, help="write the assessment as a PDF report")
    parser.add_argument("--whatif", metavar="DAY", help="simulate DAY (fitted on its tickets) with other staffing")
    parser.add_argument("--windows", metavar="SPEC", default="",
                        help="open windows per category for --whatif, e.g. 无差别受理=3,市场准入=2")
    parser.add_argument("--seed", type=int, default=1, help="the simulation's seed (same seed, same result)")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("stats", help="the hall's figures, assessment, ranking and what-if staffing",
                                 description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    add_data_dir(parser)
    parser.set_defaults(handler=_run_window)


def parse_windows(spec: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, _, count = part.partition("=")
        if not name.strip() or not count.strip().isdigit():
            raise CommandError(f"--windows: 「{part}」应写作 类别=窗口数", EXIT_USAGE)
        found[name.strip()] = int(count)
    return found


def staffing_from(spec: dict[str, int], real: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]] | None:
    """Windows per category: each new window serves its one category; unnamed categories keep
    their real windows."""
    if not spec:
        return None
    staffing = {w: cats for w, cats in real.items() if not set(cats) & set(spec)}
    for cat, n in spec.items():
        for i in range(n):
            staffing[f"{cat}-{i + 1}"] = (cat,)
    return staffing


def _period(text: str | None):  # type: ignore[no-untyped-def]
    from hallclient.core.stats.period import PeriodError, parse_period

    if not text:
        raise CommandError("--period is required (2026-12-01, 2026-12, 2026-Q3 or a..b)", EXIT_USAGE)
    try:
        return parse_period(text)
    except PeriodError as error:
        raise CommandError(str(error), EXIT_USAGE) from error


def print_figures(result: dict[str, Any], as_json: bool) -> None:
    from hallclient.core.stats.figures import FIGURES, show

    if as_json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    who = f"（{result['clerk']}）" if result.get("clerk") else ""
    print(f"{result['label']}{who}  {result['first']} 至 {result['last']}")
    groups = result.get("groups") or {}
    names = list(groups)
    header = ["指标", "全厅" if not result.get("clerk") else "本人", *names]
    rows = [[f.label, show(f.key, result["hall"].get(f.key)), *(show(f.key, groups[g].get(f.key)) for g in names)]
            for f in FIGURES]
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(r)).rstrip())
    print("按小时取号：" + " ".join(f"{h}时{n}" for h, n in enumerate(result["hourly"]) if n))
    if result["longest_waits"]:
        print("最长等候：" + "；".join(f"{w['day']} {w['number']} {w['wait_min']}分钟" for w in result["longest_waits"][:5]))
    for note in result.get("notes", []):
        print(f"注：{note}")


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def print_assessment(found: Any, as_json: bool) -> None:
    from hallclient.core.stats.ranking import MARK_LABELS

    if as_json:
        json.dump(found.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    kind = "季度排名" if found.period.kind == "quarter" else "月度考核"
    print(f"{found.period.label}{kind}（{found.scheme.name}）")
    for r in found.ranking:
        extra = [MARK_LABELS[r.mark]] if r.mark else []
        if r.flagged:
            extra.append("连续两月末位")
        if r.tied:
            extra.append("并列")
        print(f"{r.rank:>3}  {r.subject:<12} {r.score:7.2f}  {' '.join(extra)}")
        last = next((s for s in reversed(list(r.monthly.values())) if s is not None), None)
        if last is not None:
            for line in last.explain().splitlines():
                print(f"       {line}")
    print(f"排名规则：{found.tie_rule}")


def run(args: argparse.Namespace, *, figures: Callable[[Any, str | None], dict[str, Any]],
        assessment: Callable[[Any, str], Any], model: Callable[[date], Any], authority: str) -> int:
    if args.whatif:
        return _whatif(args, model)
    period = _period(args.period)
    if args.assessment or args.csv or args.pdf:
        found = assessment(period, args.by if args.by in ("window", "clerk") else "window")
        if args.csv:
            from hallclient.documents.report import assessment_csv

            assessment_csv(found, args.csv)
        if args.pdf:
            from hallclient.documents.report import assessment_pdf

            assessment_pdf(found, args.pdf, authority=authority,
                           figures=figures(period, None))
        print_assessment(found, args.json)
        return 0
    print_figures(figures(period, args.by), args.json)
    return 0


def _whatif(args: argparse.Namespace, model_of: Callable[[date], Any]) -> int:
    from hallclient.core.stats.simulation import simulate_many, validate

    try:
        day = date.fromisoformat(args.whatif)
    except ValueError as error:
        raise CommandError(f"--whatif: {error}", EXIT_USAGE) from error
    try:
        model = model_of(day)
    except ValueError as error:
        raise CommandError(str(error), EXIT_USAGE) from error
    staffing = staffing_from(parse_windows(args.windows), dict(model.staffing))
    sim = simulate_many(model, staffing, seed=args.seed)
    check = validate(model, seed=args.seed)
    result = {"day": model.day, "measured": {k: v for k, v in model.measured.items() if k != "queue"},
              "real_staffing": model.staffing, "simulated": sim, "validation": check}
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1, default=list)
        print()
        return 0
    m, s = model.measured, sim["summary"]
    print(f"{model.day} 模拟（种子 {args.seed}，{sim['runs']} 次平均）：窗口 {len(sim['staffing'])} 个（实际 {len(model.staffing)} 个）")
    print(f"  实际：平均等候 {m['wait_mean_min']} 分钟，90分位 {m['wait_p90_min']}，最长 {m['wait_max_min']}")
    print(f"  模拟：平均等候 {s['wait_mean_min']} 分钟，90分位 {s['wait_p90_min']}，最长 {s['wait_max_min']}")
    print(f"  校验：{check['tolerance']}；实际人员配置下模拟 {check['simulated_mean_min']} 分钟 → "
          f"{'符合' if check['ok'] else '不符合'}")
    return 0


def _run_window(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.cli.common import open_workspace, signed_in_actor
    from hallclient.core.stats.simulation import fit_day
    from hallclient.services import stats

    workspace = open_workspace(data_dir)
    try:
        actor = signed_in_actor(workspace)
        ctx = workspace.services
        return run(args, figures=lambda p, by: stats.figures(ctx, actor, p, by=by),
                   assessment=lambda p, by: stats.assessment(ctx, actor, p, by=by),
                   model=lambda d: fit_day(stats.day_tickets(ctx, actor, d), d.isoformat()),
                   authority=getattr(ctx.settings, "authority", "") or "")
    finally:
        workspace.close()


def register_central(sub: argparse._SubParsersAction, add_db: Callable[..., None],  # type: ignore[type-arg]
                     open_store: Callable[..., Any]) -> None:
    """`hallclient central stats`: the same figures over all windows, from the central database."""
    parser = sub.add_parser("stats", help="the hall's figures over all windows (same as `hallclient stats`)",
                            description="The hall's figures, assessment, ranking and what-if staffing over all "
                                        "windows. --refresh fills the daily facts ahead of time (e.g. nightly).")
    add_arguments(parser)
    parser.add_argument("--refresh", action="store_true", help="fill the daily facts now and say how many")
    add_db(parser)

    def handler(args: argparse.Namespace, data_dir: Path | None) -> int:
        from hallclient.central import stats as central_stats
        from hallclient.core.stats import assessment as assessment_mod
        from hallclient.core.stats.scheme import load_scheme

        store = open_store(args, data_dir)
        try:
            today = date.today()
            if args.refresh:
                done = central_stats.refresh(store, today)
                print(f"已整理 {done['days']} 天的号票、{done['cases']} 件办件", file=sys.stderr)
            central_stats.refresh(store, today)
            scheme = load_scheme()

            def figures_of(period: Any, by: str | None) -> dict[str, Any]:
                return central_stats.figures(store, period, by=by, today=today, lazy=False)

            def assessment(period: Any, by: str) -> Any:
                if period.kind == "quarter":
                    return assessment_mod.quarterly(figures_of, period, scheme, by)
                if period.kind != "month":
                    raise CommandError("考核按月（如 2026-12）或按季度（如 2026-Q3）进行", EXIT_USAGE)
                return assessment_mod.monthly(figures_of, period, scheme, by)

            if args.refresh and not (args.period or args.whatif):
                return 0
            return run(args, figures=figures_of, assessment=assessment,
                       model=lambda d: central_stats.day_model(store, d, today), authority="")
        finally:
            store.close()

    parser.set_defaults(handler=handler)
