"""What-if staffing: a hall day simulated with simpy, fitted on the hall's own tickets.

Fitting (`fit_day`), from one real day's served tickets:
- arrivals: per window category, the tickets issued in each 30-minute slot of the day, i.e. a
  piecewise-constant Poisson rate (tickets per minute) per category and slot;
- service: per category, the empirical distribution of the time a window is taken by a ticket
  (first call → finish), resampled with replacement;
- staffing: which windows served which categories that day (a window serving several
  categories takes the earliest waiting ticket among them, first come first served).

Simulation (`simulate`): simpy runs the day with any staffing (windows → categories). The same
seed gives the same result. Tickets never called (no-shows, cancellations) are left out: they
take little of a window's time.

Validation (`validate`): the real day's staffing is simulated over a few seeds; the mean wait
of the simulation must come within TOLERANCE of the measured mean wait:
|simulated − measured| ≤ max(25 % of measured, 2 minutes).
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hallclient.core.stats.figures import mean, percentile

SLOT_MIN = 30
TOLERANCE_SHARE = 0.25
TOLERANCE_MIN = 2.0
TOLERANCE_TEXT = "模拟平均等候时间与实际相差不超过实际值的25%或2分钟（取较大者）"


@dataclass(frozen=True)
class RealTicket:
    category: str
    issued_at: datetime
    called_at: datetime | None
    busy_s: int | None  # first call → finish
    window: str | None


@dataclass(frozen=True)
class DayModel:
    day: str
    start_min: int  # minute of the day of the first slot
    slots: int
    rates: Mapping[str, tuple[float, ...]]  # category → tickets per minute, per slot
    service: Mapping[str, tuple[int, ...]]  # category → observed busy seconds (sorted)
    staffing: Mapping[str, tuple[str, ...]]  # window → categories it served
    measured: Mapping[str, Any]  # the real day's waits and queue curve

    def arrivals_per_minute(self) -> dict[str, list[float]]:
        return {c: list(r) for c, r in self.rates.items()}


def _minute(moment: datetime) -> float:
    return moment.hour * 60 + moment.minute + moment.second / 60


def _summary(waits_min: Sequence[float]) -> dict[str, Any]:
    ordered = sorted(waits_min)
    return {"count": len(ordered), "wait_mean_min": _r(mean(ordered)), "wait_p90_min": _r(percentile(ordered, 0.9)),
            "wait_max_min": _r(ordered[-1] if ordered else None)}


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def queue_curve(issued: Sequence[float], called: Sequence[float], start_min: int, end_min: int,
                step: int = 15) -> list[tuple[int, int]]:
    """People waiting (issued, not yet called) at each `step` minutes from start to end."""
    points = []
    for t in range(start_min, end_min + 1, step):
        points.append((t, sum(1 for a in issued if a <= t) - sum(1 for c in called if c <= t)))
    return points


def fit_day(tickets: Sequence[RealTicket], day: str) -> DayModel:
    served = [t for t in tickets if t.called_at is not None and t.busy_s is not None]
    if not served:
        raise ValueError(f"{day} 没有可用于拟合的已办理号票")
    first = min(_minute(t.issued_at) for t in served)
    start_min = int(first // SLOT_MIN * SLOT_MIN)
    last = max(_minute(t.issued_at) for t in served)
    slots = int((last - start_min) // SLOT_MIN) + 1
    categories = sorted({t.category for t in served})
    rates: dict[str, tuple[float, ...]] = {}
    service: dict[str, tuple[int, ...]] = {}
    for cat in categories:
        counts = [0] * slots
        for t in served:
            if t.category == cat:
                counts[int((_minute(t.issued_at) - start_min) // SLOT_MIN)] += 1
        rates[cat] = tuple(c / SLOT_MIN for c in counts)
        service[cat] = tuple(sorted(t.busy_s for t in served if t.category == cat and t.busy_s is not None))
    staffing: dict[str, set[str]] = {}
    for t in served:
        if t.window:
            staffing.setdefault(t.window, set()).add(t.category)
    waits = [(_minute(t.called_at) - _minute(t.issued_at)) for t in served if t.called_at]
    end_min = int(max(_minute(t.called_at) for t in served if t.called_at)) + 1
    measured = dict(_summary(waits), by_category={
        c: _summary([(_minute(t.called_at) - _minute(t.issued_at)) for t in served
                     if t.category == c and t.called_at]) for c in categories},
        queue=queue_curve([_minute(t.issued_at) for t in served], [_minute(t.called_at) for t in served
                                                                   if t.called_at], start_min, end_min))
    return DayModel(day, start_min, slots, rates, service, {w: tuple(sorted(c)) for w, c in sorted(staffing.items())},
                    measured)


@dataclass
class SimResult:
    seed: int
    staffing: Mapping[str, tuple[str, ...]]
    summary: dict[str, Any]
    by_category: dict[str, dict[str, Any]]
    queue: list[tuple[int, int]]
    served: int
    unserved: int = 0
    waits: list[float] = field(default_factory=list, repr=False)


def _arrivals(model: DayModel, rng: random.Random) -> list[tuple[float, str]]:
    """Piecewise-constant Poisson arrivals per category, in minutes of the day."""
    found: list[tuple[float, str]] = []
    for cat, rates in sorted(model.rates.items()):
        for slot, rate in enumerate(rates):
            if rate <= 0:
                continue
            t = float(model.start_min + slot * SLOT_MIN)
            end = t + SLOT_MIN
            while True:
                t += rng.expovariate(rate)
                if t >= end:
                    break
                found.append((t, cat))
    found.sort()
    return found


def simulate(model: DayModel, staffing: Mapping[str, Sequence[str]] | None = None, *, seed: int = 1,
             horizon_min: int = 24 * 60) -> SimResult:
    """One simulated day: Poisson arrivals, the fitted service times, `staffing` (window →
    categories; the real day's when None)."""
    import simpy

    chosen: dict[str, tuple[str, ...]] = {w: tuple(c) for w, c in
                                          (staffing if staffing is not None else model.staffing).items() if c}
    rng = random.Random(seed)
    env = simpy.Environment(initial_time=model.start_min)
    queues: dict[str, deque[tuple[float, str]]] = {c: deque() for c in model.rates}
    waiters: list[simpy.Event] = []
    waits: dict[str, list[float]] = {c: [] for c in model.rates}
    issued_at: list[float] = []
    called_at: list[float] = []
    arrivals = _arrivals(model, rng)
    service_rng = random.Random(seed * 7919 + 1)

    def arrive():  # type: ignore[no-untyped-def]
        for at, cat in arrivals:
            yield env.timeout(at - env.now)
            issued_at.append(at)
            queues[cat].append((at, cat))
            for w in waiters:
                if not w.triggered:
                    w.succeed()
            waiters.clear()

    def window(cats: tuple[str, ...]):  # type: ignore[no-untyped-def]
        while True:
            best = None
            for cat in cats:
                q = queues.get(cat)
                if q and (best is None or q[0][0] < queues[best][0][0]):
                    best = cat
            if best is None:
                wake = env.event()
                waiters.append(wake)
                yield wake
                continue
            at, cat = queues[best].popleft()
            waits[cat].append(env.now - at)
            called_at.append(env.now)
            observed = model.service[cat]
            busy = observed[service_rng.randrange(len(observed))] if observed else 300
            yield env.timeout(busy / 60)

    env.process(arrive())  # type: ignore[no-untyped-call]
    for _w, cats in sorted(chosen.items()):
        env.process(window(cats))
    env.run(until=horizon_min)
    all_waits = [w for ws in waits.values() for w in ws]
    unserved = sum(len(q) for q in queues.values())
    end = int(max(called_at)) + 1 if called_at else model.start_min
    return SimResult(seed, chosen, _summary(all_waits), {c: _summary(w) for c, w in waits.items()},
                     queue_curve(issued_at, called_at, model.start_min, end), len(all_waits), unserved, all_waits)


def simulate_many(model: DayModel, staffing: Mapping[str, Sequence[str]] | None = None, *, seed: int = 1,
                  runs: int = 5) -> dict[str, Any]:
    """`runs` days with seeds seed, seed+1, …: the means of their figures, and the first day's curve."""
    results = [simulate(model, staffing, seed=seed + i) for i in range(runs)]

    def avg(key: str, per: list[dict[str, Any]]) -> float | None:
        values = [p[key] for p in per if p.get(key) is not None]
        return _r(sum(values) / len(values)) if values else None

    summary = {k: avg(k, [r.summary for r in results]) for k in ("wait_mean_min", "wait_p90_min", "wait_max_min")}
    by_category = {c: {k: avg(k, [r.by_category[c] for r in results]) for k in
                       ("wait_mean_min", "wait_p90_min", "wait_max_min")} for c in model.rates}
    return {"seed": seed, "runs": runs, "staffing": results[0].staffing, "summary": summary,
            "by_category": by_category, "queue": results[0].queue,
            "unserved": sum(r.unserved for r in results) / runs}


def within_tolerance(simulated: float | None, measured: float | None) -> bool:
    if simulated is None or measured is None:
        return False
    return abs(simulated - measured) <= max(TOLERANCE_SHARE * measured, TOLERANCE_MIN)


def validate(model: DayModel, *, seed: int = 1, runs: int = 5) -> dict[str, Any]:
    """The real staffing simulated against the measured day (see TOLERANCE_TEXT)."""
    sim = simulate_many(model, None, seed=seed, runs=runs)
    measured = model.measured["wait_mean_min"]
    simulated = sim["summary"]["wait_mean_min"]
    return {"measured_mean_min": measured, "simulated_mean_min": simulated,
            "difference_min": None if simulated is None or measured is None else round(simulated - measured, 1),
            "tolerance": TOLERANCE_TEXT, "ok": within_tolerance(simulated, measured)}
