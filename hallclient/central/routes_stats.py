"""Route: the hall's figures over all windows, for a person signed in on a window.

    GET /stats?period=2026-Q3[&by=window|clerk|category|item]

A supervisor or administrator (permission `stats.read`) reads every figure; a clerk reads only
their own (the figures of their login, whatever `by` they asked for, as on a standalone window:
hallclient.services.stats.scope). The answer is what `hallclient central stats --json` prints
(hallclient.central.stats_query.compute), with `scope` naming whose figures they are.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from hallclient.central import stats as central_stats
from hallclient.central.deps import PERSON_RESPONSES, ActorDep
from hallclient.central.schemas import ErrorOut
from hallclient.central.stats_query import BY_CHOICES
from hallclient.core.stats.period import parse_period

router = APIRouter()
PeriodQuery = Annotated[str, Query(min_length=4, max_length=24, pattern=r"^[0-9Q.\-]+$",
                                   description="a day 2026-12-01, a month 2026-12, a quarter 2026-Q3, "
                                               "or a range 2026-12-01..2026-12-15")]
ByQuery = Annotated[str | None, Query(pattern="^(" + "|".join(BY_CHOICES) + ")$",
                                      description="also per window, clerk, window category or item")]


def _figures(request: Request, period: Any, by: str | None, clerk: str | None) -> dict[str, Any]:
    return central_stats.figures(request.app.state.store, period, by=by, today=date.today(), clerk=clerk)


@router.get("/stats", tags=["stats"],
            summary="The hall's figures of a period over all windows (a clerk: their own)",
            responses={**PERSON_RESPONSES, 422: {"model": ErrorOut, "description": "not a period"}})
async def get_stats(request: Request, actor: ActorDep, period: PeriodQuery, by: ByQuery = None) -> dict[str, Any]:
    from hallclient.services.stats import scope

    own = scope(actor)  # PermissionDenied (403, naming who may) for a person who is neither
    if own is not None and by not in (None, "clerk"):
        by = None
    try:
        parsed = parse_period(period)
    except ValueError as exc:
        raise HTTPException(422, f"时段无效：{exc}") from None
    # A refresh may fill days (a write) and the aggregate reads a quarter: off the event loop.
    result = await run_in_threadpool(_figures, request, parsed, by, own)
    return {**result, "scope": "own" if own is not None else "hall"}
