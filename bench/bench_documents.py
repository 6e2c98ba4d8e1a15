"""Time to build each document kind (cold and warm) and its size.

    python bench/bench_documents.py [--runs 20]

Every kind (the decisions after acceptance, the 收件回执 and the 预审意见单 included) is built from
its demonstration case in hallclient.documents.sample, with the rating QR of the sample settings.

Import: importing hallclient.documents (reportlab, qrcode) in a fresh process. Cold: the first
build after that, font registration included (each kind is measured in its own subprocess).
Warm: the median of N builds after that (wall clock; cpu: the process's CPU time of the same builds). Budget: warm <= 150 ms and
size <= 200 KB per document.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WARM_BUDGET_MS = 150.0
SIZE_BUDGET_KB = 200.0
SLIP = "queue_slip"
LONG = "acceptance_40_materials"  # a 40-material list over several pages
RARE = "acceptance_rare_chars"  # names with CJK Ext A/B: both fallback fonts load cold


def _build(name: str) -> bytes:
    from hallclient.documents.kinds import DocumentKind, build_document, build_slip
    from hallclient.documents.sample import SAMPLE_SETTINGS, SAMPLE_SLIP, sample_case

    if name == SLIP:
        return build_slip(SAMPLE_SLIP)
    if name == DocumentKind.PREREVIEW_SHEET.value:
        from hallclient.documents.prereview_sheet import build_prereview_sheet
        from hallclient.documents.sample import SAMPLE_PREREVIEW

        return build_prereview_sheet(SAMPLE_PREREVIEW, SAMPLE_SETTINGS)
    if name in (LONG, RARE):
        from dataclasses import replace

        from hallclient.documents.model import MaterialLine

        kind = DocumentKind.ACCEPTANCE_NOTICE
        case = sample_case(kind)
        if name == LONG:
            lines = tuple(MaterialLine(f"第{i}号申请材料（名称较长需要换行显示的材料）", "原件", 1, "已收取")
                          for i in range(1, 41))
            case = replace(case, materials=lines)
        else:
            case = replace(case, applicant=replace(case.applicant, name="王𠀁䶮", organisation=""),
                           clerk_name="李𠀾")
        return build_document(kind, case, SAMPLE_SETTINGS)
    kind = DocumentKind(name)
    return build_document(kind, sample_case(kind), SAMPLE_SETTINGS)


def measure(name: str, runs: int) -> dict[str, float]:
    """In this process: import, cold first build, then the warm median."""
    t0 = time.perf_counter()
    import hallclient.documents.kinds
    import hallclient.documents.sample  # noqa: F401
    imported = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    data = _build(name)
    cold = (time.perf_counter() - t0) * 1000
    warm, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        _build(name)
        warm.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return {"import_ms": imported, "cold_ms": cold, "warm_ms": statistics.median(warm),
            "cpu_ms": statistics.median(cpu), "kb": len(data) / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure one kind, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.runs)))
        return 0

    from hallclient.documents.kinds import DocumentKind

    names = [k.value for k in DocumentKind] + [SLIP, LONG, RARE]
    print(f"{'document':<26}{'import ms':>10}{'cold ms':>10}{'warm ms':>10}{'cpu ms':>10}{'size KB':>10}")
    over = False
    for name in names:
        out = subprocess.run([sys.executable, __file__, "--one", name, "--runs", str(args.runs)],
                             capture_output=True, text=True, check=True, cwd=ROOT)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        flag = ""
        if r["warm_ms"] > WARM_BUDGET_MS or r["kb"] > SIZE_BUDGET_KB:
            flag, over = "  OVER BUDGET", True
        print(f"{name:<26}{r['import_ms']:>10.1f}{r['cold_ms']:>10.1f}{r['warm_ms']:>10.1f}"
              f"{r['cpu_ms']:>10.1f}{r['kb']:>10.1f}{flag}")
    print(f"budget: warm <= {WARM_BUDGET_MS:.0f} ms, size <= {SIZE_BUDGET_KB:.0f} KB; "
          f"warm = median of {args.runs} (cpu: this process's CPU time, less sensitive to a loaded machine)")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
