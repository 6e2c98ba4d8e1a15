"""The monthly assessment's scoring scheme: a hall setting (JSON), not code.

A scheme has weighted indicators and deductions:

- each indicator reads one figure (hallclient.core.stats.figures) and turns it into points
  linearly between `worst` (0 points) and `best` (its full `weight`), clamped to that range;
  `best` may be above or below `worst` (a waiting time is better low, a rate better high);
- an indicator whose figure has no data this month (no rated service, no case with a limit)
  scores as `no_data` says: "full" (its full weight: nothing went wrong), "zero", or
  "reweight" (it drops out and the other indicators' points are scaled up to the same total);
- each deduction takes `points` per unit of its figure (per overdue case…), at most `max`;
- the total is the indicators' points minus the deductions, kept within [min_score, max_score]
  (the cap).

The default ships as resources/assessment/default-scheme.json and is described in
docs/assessment.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hallclient.core.stats.figures import BY_KEY, show

FORMAT = "hallclient-assessment-scheme"
EXTRA_FIGURES = {"bad_not_rectified": ("差评未按期整改", "差评数 − 差评按期整改")}


class SchemeError(ValueError):
    pass


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    figure: str
    weight: float
    best: float
    worst: float


@dataclass(frozen=True)
class Deduction:
    key: str
    label: str
    figure: str
    points: float
    max: float | None = None


@dataclass(frozen=True)
class Scheme:
    name: str
    indicators: tuple[Indicator, ...]
    deductions: tuple[Deduction, ...] = ()
    max_score: float = 100
    min_score: float = 0
    no_data: str = "full"
    marks: int = 3  # top / bottom N of the ranking marked for commendation / warning
    note: str = ""

    @property
    def total_weight(self) -> float:
        return sum(i.weight for i in self.indicators)

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": 1, "name": self.name, "note": self.note,
                "max_score": self.max_score, "min_score": self.min_score, "no_data": self.no_data,
                "indicators": [vars(i) for i in self.indicators],
                "deductions": [{k: v for k, v in vars(d).items() if v is not None} for d in self.deductions],
                "marks": self.marks}


def _known(figure: str) -> bool:
    return figure in BY_KEY or figure in EXTRA_FIGURES


def scheme_from_json(data: Mapping[str, Any]) -> Scheme:
    """Read and check a scheme (SchemeError says what is wrong, in the reader's words)."""
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise SchemeError(f"不是考核方案文件（format 应为 {FORMAT}）")
    try:
        indicators = tuple(Indicator(str(i["key"]), str(i["label"]), str(i["figure"]), float(i["weight"]),
                                     float(i["best"]), float(i["worst"])) for i in data["indicators"])
        deductions = tuple(Deduction(str(d["key"]), str(d["label"]), str(d["figure"]), float(d["points"]),
                                     float(d["max"]) if d.get("max") is not None else None)
                           for d in data.get("deductions", ()))
        scheme = Scheme(name=str(data.get("name", "考核方案")), indicators=indicators, deductions=deductions,
                        max_score=float(data.get("max_score", 100)), min_score=float(data.get("min_score", 0)),
                        no_data=str(data.get("no_data", "full")), marks=int(data.get("marks", 3)),
                        note=str(data.get("note", "")))
    except (KeyError, TypeError, ValueError) as error:
        raise SchemeError(f"考核方案格式有误：{error}") from None
    if not scheme.indicators:
        raise SchemeError("考核方案至少需要一项指标")
    named: list[tuple[str, str]] = [(i.label, i.figure) for i in scheme.indicators]
    named += [(d.label, d.figure) for d in scheme.deductions]
    for label, figure in named:
        if not _known(figure):
            raise SchemeError(f"「{label}」引用了未知的统计指标 {figure}")
    for ind in scheme.indicators:
        if ind.weight < 0 or ind.best == ind.worst:
            raise SchemeError(f"「{ind.label}」的权重须非负，且最好值与最差值不能相同")
    if scheme.no_data not in ("full", "zero", "reweight"):
        raise SchemeError("no_data 只能是 full、zero 或 reweight")
    if scheme.max_score <= scheme.min_score:
        raise SchemeError("满分须高于最低分")
    if scheme.marks < 0:
        raise SchemeError("表彰/警示名额不能为负")
    return scheme


def load_scheme(path: Path | None = None) -> Scheme:
    """The hall's scheme file, or the shipped default."""
    if path is None:
        from hallclient.paths import resource_path

        path = resource_path("assessment", "default-scheme.json")
    try:
        return scheme_from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as error:
        raise SchemeError(f"无法读取考核方案 {path}：{error}") from None


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    figure: str
    value: Any  # the figure's value, None: no data
    points: float
    weight: float
    note: str  # how the points came about, in the reader's words


@dataclass(frozen=True)
class Score:
    total: float
    parts: tuple[Part, ...]
    deductions: tuple[Part, ...] = field(default=())
    capped: bool = False

    @property
    def deducted(self) -> float:
        return sum(d.points for d in self.deductions)

    def explain(self) -> str:
        """Why this total: each indicator's points, each deduction, the cap."""
        lines = [f"{p.label}：{p.note}" for p in self.parts]
        lines += [f"扣分 · {d.label}：{d.note}" for d in self.deductions]
        if self.capped:
            lines.append("已按满分/最低分封顶")
        lines.append(f"合计 {self.total:.2f} 分")
        return "\n".join(lines)


def figure_value(figures: Mapping[str, Any], key: str) -> Any:
    if key == "bad_not_rectified":
        return max(0, int(figures.get("bad_ratings") or 0) - int(figures.get("bad_rectified_on_time") or 0))
    return figures.get(key)


def _fmt(figure: str, value: Any) -> str:
    if figure in BY_KEY:
        return show(figure, value)
    return "无数据" if value is None else str(value)


def score(figures: Mapping[str, Any], scheme: Scheme) -> Score:
    """The monthly score of one window or clerk from its figures of the month."""
    raw: list[tuple[Indicator, Any, float | None]] = []
    for ind in scheme.indicators:
        value = figure_value(figures, ind.figure)
        if value is None:
            raw.append((ind, None, None))
            continue
        share = (float(value) - ind.worst) / (ind.best - ind.worst)
        raw.append((ind, value, ind.weight * min(1.0, max(0.0, share))))
    scale = 1.0
    if scheme.no_data == "reweight":
        present = sum(ind.weight for ind, _v, pts in raw if pts is not None)
        scale = scheme.total_weight / present if present else 0.0
    parts = []
    for ind, value, pts in raw:
        if pts is None:
            points = ind.weight if scheme.no_data == "full" else 0.0
            note = {"full": f"无数据，按满分计 {points:.2f}/{ind.weight:g}",
                    "zero": f"无数据，计 0/{ind.weight:g}",
                    "reweight": "无数据，不计入（其余指标按比例折算）"}[scheme.no_data]
        else:
            points = pts * scale
            note = f"{_fmt(ind.figure, value)} → {points:.2f}/{ind.weight * scale:.4g}"
        parts.append(Part(ind.key, ind.label, ind.figure, value, round(points, 4), ind.weight, note))
    deductions = []
    for ded in scheme.deductions:
        value = figure_value(figures, ded.figure) or 0
        points = float(value) * ded.points
        if ded.max is not None:
            points = min(points, ded.max)
        if points:
            limit = f"，至多 {ded.max:g} 分" if ded.max is not None else ""
            deductions.append(Part(ded.key, ded.label, ded.figure, value, round(points, 4), ded.points,
                                   f"{value} × {ded.points:g} 分{limit} → −{points:.2f}"))
    total = sum(p.points for p in parts) - sum(d.points for d in deductions)
    kept = min(scheme.max_score, max(scheme.min_score, total))
    return Score(round(kept, 2), tuple(parts), tuple(deductions), capped=kept != round(total, 10))
