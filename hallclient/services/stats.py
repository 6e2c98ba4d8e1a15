"""The hall's figures, the monthly assessment, the quarterly ranking and what-if staffing, for a
signed-in person: a supervisor (or administrator) reads everything; a clerk reads only their
own figures and their own score, never another person's.

On a standalone window the figures are the window's own data (its walk-in tickets and their
events, its cases, ratings, rectifications, complaints, pre-reviews), in the same fact tables
and through the same SQL as the central's (hallclient.central.stats_query).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from hallclient.core.permissions import Action, Actor, PermissionDenied, Role, allowed, require
from hallclient.core.stats import assessment as assessment_mod
from hallclient.core.stats.facts import case_fact, ticket_fact
from hallclient.core.stats.period import Period
from hallclient.core.stats.scheme import Scheme, SchemeError, load_scheme, scheme_from_json
from hallclient.services.context import ServiceContext


def _tickets_of_day(session: Session, day: date, kind: Any) -> list[Any]:
    from hallclient.central.stats import tickets_of_day

    return tickets_of_day(session, day, kind)

SCHEME_FILE = "assessment-scheme.json"


def may_read_all(actor: Actor) -> bool:
    return allowed(actor, Action.STATS_READ)


def scope(actor: Actor) -> str | None:
    """None: every figure; else the login whose figures alone the actor may read."""
    if may_read_all(actor):
        return None
    if actor.has(Role.CLERK):
        return actor.login
    require(actor, Action.STATS_READ)  # raises, naming the roles that may
    return actor.login


def scheme(ctx: ServiceContext) -> Scheme:
    """The hall's scheme: the `assessment_scheme` setting (JSON text), else `assessment-scheme.json`
    in the data directory, else the shipped default."""
    configured = getattr(ctx.settings, "assessment_scheme", None)
    if configured:
        return scheme_from_json(json.loads(configured) if isinstance(configured, str) else configured)
    if ctx.data_dir is not None and (Path(ctx.data_dir) / SCHEME_FILE).exists():
        return load_scheme(Path(ctx.data_dir) / SCHEME_FILE)
    return load_scheme()


# -- filling the window's fact tables ------------------------------------------------------------

def _logins(session: Session) -> dict[str, str]:
    from hallclient.central.stats import name_to_login

    return name_to_login(session)


def refresh(ctx: ServiceContext) -> dict[str, int]:
    """Rewrite the window's facts from its own records (small: one window's data)."""
    from hallclient.central.stats import (
        INSERT_CASE,
        INSERT_TICKET,
        case_row,
        item_categories,
        ticket_row,
    )
    from hallclient.central.stats_summary import summarise

    with ctx.store.session() as session, session.begin():
        logins = _logins(session)
        events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (payload,) in session.execute(text("SELECT payload FROM outbox WHERE kind = 'queue_event' ORDER BY id")):
            e = json.loads(payload)
            events[e.get("ticket_uuid") or ""].append({"kind": e["kind"], "at": e["at"], "window": e.get("window"),
                                                       "clerk": logins.get(e.get("clerk") or "", e.get("clerk"))})
        tickets = []
        for t in session.execute(text("SELECT uuid, day, number, category, state, issued_at, window "
                                      "FROM walkin_tickets")):
            row = {"id": t.uuid, "day": t.day, "number": t.number, "category": t.category, "type": "normal",
                   "state": t.state, "issued_at": t.issued_at, "window": t.window}
            tickets.append(ticket_row(ticket_fact(row, sorted(events.get(t.uuid, []), key=lambda e: e["at"]))))
        session.execute(text("DELETE FROM stats_ticket_facts"))
        if tickets:
            session.execute(INSERT_TICKET, tickets)
        summarise(session)
        categories = item_categories(session)
        case_events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in session.execute(text("SELECT case_uuid, kind, at, data FROM case_events ORDER BY at")):
            case_events[e.case_uuid].append({"kind": e.kind, "at": e.at, "data": json.loads(e.data or "{}")})
        cases = []
        for c in session.execute(text("SELECT uuid, state, decision, accepted_on, window_number, clerk_login, "
                                      "clerk_name, item_codes, tolerated, due_date FROM cases")):
            case = {"uuid": c.uuid, "accepted_on": c.accepted_on, "window_number": c.window_number,
                    "clerk": c.clerk_login or logins.get(c.clerk_name, c.clerk_name), "decision": c.decision,
                    "state": c.state, "item_codes": json.loads(c.item_codes or "[]"),
                    "tolerated": json.loads(c.tolerated or "[]"), "due_date": c.due_date}
            cases.append(case_row(case_fact(case, case_events.get(c.uuid, []), categories)))
        session.execute(text("DELETE FROM stats_case_facts"))
        if cases:
            session.execute(INSERT_CASE, cases)
    return {"tickets": len(tickets), "cases": len(cases)}


# -- reading ---------------------------------------------------------------------------------------

def figures(ctx: ServiceContext, actor: Actor, period: Period, *, by: str | None = None,
            window: str | None = None, today: date | None = None) -> dict[str, Any]:
    """The figures of `period` (a clerk: their own, whatever they asked for)."""
    from hallclient.central.stats_query import compute

    own = scope(actor)
    if own is not None and by not in (None, "clerk"):
        by = None
    refresh(ctx)
    with ctx.store.session() as session:
        return compute(session, period, by=by, today=today or ctx.clock().date(), window=window, clerk=own)


def figures_of_store(ctx: ServiceContext, today: date, clerk: str | None = None) -> assessment_mod.FiguresOf:
    from hallclient.central.stats_query import compute

    def figures_of(period: Period, by: str) -> dict[str, Any]:
        with ctx.store.session() as session:
            return compute(session, period, by=by, today=today, clerk=clerk)

    return figures_of


def assessment(ctx: ServiceContext, actor: Actor, period: Period, *, by: str = "window",
               today: date | None = None) -> assessment_mod.Assessment:
    """The month's assessment, or the quarter's ranking (a quarter period). A clerk gets their
    own month's score only (by clerk, their row alone)."""
    own = scope(actor)
    try:
        used = scheme(ctx)
    except (SchemeError, ValueError) as error:
        raise SchemeError(f"大厅考核方案有误：{error}") from error
    refresh(ctx)
    figures_of = figures_of_store(ctx, today or ctx.clock().date(), clerk=own)
    if own is not None:
        if period.kind != "month":
            raise PermissionDenied(Action.STATS_READ, "大厅管理人员或系统管理员", "窗口人员只能查看本人当月考核")
        by = "clerk"
    if period.kind == "quarter":
        return assessment_mod.quarterly(figures_of, period, used, by)
    if period.kind != "month":
        raise SchemeError("考核按月（如 2026-12）或按季度（如 2026-Q3）进行")
    return assessment_mod.monthly(figures_of, period, used, by)


def day_tickets(ctx: ServiceContext, actor: Actor, day: date) -> list[Any]:
    """The served tickets of `day` for the what-if model (supervisor only)."""
    from hallclient.core.stats.simulation import RealTicket

    require(actor, Action.STATS_READ)
    refresh(ctx)
    with ctx.store.session() as session:
        return _tickets_of_day(session, day, RealTicket)


def hall_figures(ctx: ServiceContext, actor: Actor, period: Period, *, by: str | None = None,
                 today: date | None = None, session_token: str | None = None) -> dict[str, Any]:
    """The figures the dashboard shows: on a window attached to a central, the central's over all
    windows (the person's central session; a clerk still gets only their own); on a standalone
    window, or when the central cannot be reached, the window's own (`figures`), with a note.
    `source` says which: "central" or "local"."""
    from hallclient.services.accounts import central_session

    url = getattr(ctx.settings, "central_url", "") or ""
    token = session_token or (central_session(ctx, actor.login) if url else None)
    note = None
    if url and token:
        from hallclient.sync.client import CentralClient, CentralUnreachable
        from hallclient.sync.stats_client import STATS_TIMEOUT
        from hallclient.sync.stats_client import hall_figures as from_central

        scope(actor)  # the same refusal as offline, before asking
        try:
            with CentralClient(url, ctx.settings.central_token, timeout=STATS_TIMEOUT,
                               ca_file=getattr(ctx.settings, "central_ca_file", "") or None) as client:
                return {**from_central(client, token, period.text, by), "source": "central"}
        except CentralUnreachable as exc:
            note = f"中心服务无法连接，显示本窗口自己的数据（{exc}）"
    elif url:
        note = "未在线登录中心服务，显示本窗口自己的数据"
    result = figures(ctx, actor, period, by=by, today=today)
    if note:
        result["notes"] = [*result.get("notes", []), note]
    return {**result, "source": "local"}
