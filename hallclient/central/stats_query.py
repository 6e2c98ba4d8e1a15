"""The figures as SQL aggregates over the fact tables (and the ratings, rectifications,
complaints and pre-reviews where the database has them): one module for the central and a
standalone window alike, on SQLite and PostgreSQL.

Counts are summed in SQL per group; the queue's come from the per-day summary
(hallclient.central.stats_summary), its waiting and service times as exact 1-second histograms
summed per group in SQL, from which the median and the 90th percentile are read
(hallclient.core.stats.figures.Times). Only the ten longest waits are read from the facts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from hallclient.core.stats.facts import DEFAULT_HALL_HOURS
from hallclient.core.stats.figures import Times, derive
from hallclient.core.stats.period import Period

BY_CHOICES = ("window", "clerk", "category", "item")
_TICKET_DIM = {"window": "window_number", "clerk": "clerk", "category": "category", "item": None}
_CASE_DIM = {"window": "window_number", "clerk": "clerk", "category": "category", "item": "item_code"}
_RATING_DIM = {"window": "r.window", "clerk": "r.clerk_login", "category": "cf.category", "item": "cf.item_code"}
ALL = "__all__"


def has_table(session: Session, name: str) -> bool:
    cache = session.info.setdefault("stats_tables", {})
    if name not in cache:
        cache[name] = inspect(session.connection()).has_table(name)
    return bool(cache[name])


def _filters(column_window: str, column_clerk: str, window: str | None, clerk: str | None) -> str:
    parts = []
    if window is not None:
        parts.append(f" AND {column_window} = :window")
    if clerk is not None:
        parts.append(f" AND {column_clerk} = :clerk")
    return "".join(parts)


def _group(dim: str | None) -> tuple[str, str]:
    """(select expression, group by clause)."""
    if dim is None:
        return f"'{ALL}'", ""
    return f"COALESCE({dim}, '')", f" GROUP BY COALESCE({dim}, '')"


def compute(session: Session, period: Period, *, by: str | None = None, today: date | None = None,
            window: str | None = None, clerk: str | None = None,
            hall_hours: tuple[tuple[str, str], ...] = DEFAULT_HALL_HOURS) -> dict[str, Any]:
    """The figures of `period` for the hall (or one window / clerk), and per `by` group."""
    if by is not None and by not in BY_CHOICES:
        raise ValueError(f"--by 只能是 {'、'.join(BY_CHOICES)}")
    today = today or date.today()
    params: dict[str, Any] = {"a": period.first.isoformat(), "b": period.last.isoformat(),
                              "a0": period.first.isoformat(), "b1": period.last.isoformat() + "\uffff",
                              "cutoff": min(period.last, today).isoformat(), "window": window, "clerk": clerk}
    counts: dict[str, dict[str, float]] = defaultdict(dict)
    waits: dict[str, Times] = {}
    services: dict[str, Times] = {}
    notes: list[str] = []

    def add(group: str, values: Mapping[str, Any]) -> None:
        bucket = counts[group]
        for key, value in values.items():
            bucket[key] = bucket.get(key, 0) + float(value or 0)

    # -- tickets: the per-day summary (hallclient.central.stats_summary), not one row per ticket ----
    tdim = _TICKET_DIM.get(by) if by else None
    tflt = _filters("window_number", "clerk", window, clerk)
    if by != "item":
        sel, grp = _group(tdim)
        for row in session.execute(text(
                f"SELECT {sel} AS g, SUM(issued) AS issued, SUM(served) AS served, SUM(no_show) AS no_show,"
                " SUM(transferred) AS transferred"
                f" FROM stats_ticket_days WHERE day BETWEEN :a AND :b{tflt}{grp}"), params):
            add(row.g, {"tickets_issued": row.issued, "tickets_served": row.served, "tickets_no_show": row.no_show,
                        "tickets_transferred": row.transferred})
    hist_sel = _group(tdim if by != "item" else None)[0]
    hist_grp = f" GROUP BY {tdim}, seconds" if tdim and by != "item" else " GROUP BY seconds"
    for kind, into in (("wait", waits), ("service", services)):
        rows = session.execute(text(
            f"SELECT {hist_sel} AS g, seconds, SUM(n) AS n FROM stats_time_hist"
            f" WHERE kind = '{kind}' AND day BETWEEN :a AND :b{tflt}{hist_grp} ORDER BY 1, 2"), params).all()
        for g, pairs in groupby(rows, key=itemgetter(0)):
            into[g] = Times.from_sorted([(int(v), int(k)) for _g, v, k in pairs])
    hourly = [0] * 24
    for row in session.execute(text(
            f"SELECT hour, SUM(issued) AS n FROM stats_ticket_days WHERE day BETWEEN :a AND :b{tflt} GROUP BY hour"),
            params):
        hourly[int(row.hour)] = int(row.n)
    # The ten longest: every wait at or above the tenth largest (read from the histogram) and
    # only those, from the facts (ties at the threshold included, then cut by the same order).
    every_wait = Times.merged(waits.values())
    threshold = every_wait.top_threshold(10)
    longest = [] if threshold is None else [
        {"number": r.number, "day": r.day, "category": r.category, "window": r.window_number,
         "wait_min": round(r.wait_s / 60, 1)} for r in session.execute(text(
             "SELECT number, day, category, window_number, wait_s FROM stats_ticket_facts"
             f" WHERE day BETWEEN :a AND :b AND wait_s >= :threshold{tflt}"
             " ORDER BY wait_s DESC, day, number LIMIT 10"), {**params, "threshold": threshold})]
    if by == "item":  # tickets carry no item: no waiting or service figures per item, nor for the hall
        waits.clear()
        services.clear()

    # -- cases --------------------------------------------------------------------------------
    cdim = _CASE_DIM.get(by) if by else None
    sel, grp = _group(cdim)
    cflt = _filters("window_number", "clerk", window, clerk)
    for row in session.execute(text(
            f"SELECT {sel} AS g, COUNT(*) AS total,"
            " SUM(CASE WHEN decision = 'accept' THEN 1 ELSE 0 END) AS accepted,"
            " SUM(tolerated) AS tolerated,"
            " SUM(CASE WHEN decision = 'one_time_notice' THEN 1 ELSE 0 END) AS notice,"
            " SUM(CASE WHEN decision = 'refuse' THEN 1 ELSE 0 END) AS refused,"
            " SUM(CASE WHEN supplement = 'on_time' THEN 1 ELSE 0 END) AS sup_on_time,"
            " SUM(CASE WHEN supplement = 'late' THEN 1 ELSE 0 END) AS sup_late,"
            " SUM(CASE WHEN supplement = 'returned' THEN 1 ELSE 0 END) AS sup_returned,"
            " SUM(CASE WHEN completion = 'on_time' THEN 1 ELSE 0 END) AS done_on_time,"
            " SUM(CASE WHEN completion = 'late' THEN 1 ELSE 0 END) AS done_late,"
            " SUM(CASE WHEN completion = 'open' AND due_date < :cutoff THEN 1 ELSE 0 END) AS open_overdue,"
            " SUM(on_site) AS on_site, SUM(approval_minutes) AS minutes, COUNT(approval_minutes) AS minutes_n"
            f" FROM stats_case_facts WHERE accepted_on BETWEEN :a AND :b{cflt}{grp}"), params):
        add(row.g, {"cases_total": row.total, "cases_accepted": row.accepted, "cases_tolerated": row.tolerated,
                    "cases_one_time_notice": row.notice, "cases_refused": row.refused,
                    "tolerance_on_time": row.sup_on_time, "tolerance_late": row.sup_late,
                    "tolerance_returned": row.sup_returned, "completed_on_time": row.done_on_time,
                    "completed_late": row.done_late, "open_overdue": row.open_overdue,
                    "on_site_approvals": row.on_site, "approval_minutes_sum": row.minutes,
                    "approval_minutes_n": row.minutes_n})

    # -- ratings and their rectifications ---------------------------------------------------------
    central = has_table(session, "central_ratings")
    rating_table = "central_ratings" if central else "ratings" if has_table(session, "ratings") else None
    if rating_table is not None:
        wcol = "r.window_number" if central else "r.window"
        rdim = {**_RATING_DIM, "window": wcol}.get(by) if by else None
        sel, grp = _group(rdim)
        rflt = _filters(wcol, "r.clerk_login", window, clerk)
        rect_join = (" LEFT JOIN rectifications x ON x.rating_uuid = r.uuid"
                     if not central and has_table(session, "rectifications") else "")
        on_time = ("SUM(CASE WHEN x.state = 'closed' AND x.rectify_by IS NOT NULL"
                   " AND SUBSTR(x.closed_at, 1, 10) <= x.rectify_by THEN 1 ELSE 0 END)") if rect_join else "0"
        case_join = (" LEFT JOIN stats_case_facts cf ON cf.case_uuid = r.case_uuid"
                     if by in ("category", "item") else "")
        if central:
            notes.append("差评按期整改按各窗口的整改台账统计（中心库只收到整改步骤）")
        for row in session.execute(text(
                f"SELECT {sel} AS g, COUNT(*) AS total, COUNT(r.level) AS rated,"
                " SUM(CASE WHEN r.level IN ('very_satisfied', 'satisfied', 'basically_satisfied')"
                " THEN 1 ELSE 0 END) AS satisfied,"
                " SUM(CASE WHEN r.level IN ('unsatisfied', 'very_unsatisfied') THEN 1 ELSE 0 END) AS bad,"
                f" {on_time} AS rect_on_time"
                f" FROM {rating_table} r{rect_join}{case_join}"
                f" WHERE r.rated_at >= :a0 AND r.rated_at < :b1{rflt}{grp}"), params):
            add(row.g, {"services_to_rate": row.total, "ratings_rated": row.rated, "ratings_satisfied": row.satisfied,
                        "bad_ratings": row.bad, "bad_rectified_on_time": row.rect_on_time})
    else:
        notes.append("本库没有评价数据（好差评由各窗口上报后计入）")

    # -- complaints (few rows: read and counted here) --------------------------------------------------
    for row in _complaints(session, params):
        data = row["data"]
        who = data.get("about_clerk")
        if (window is not None and row["about_window"] != window) or (clerk is not None and who != clerk):
            continue
        group = ALL if by is None else {"window": row["about_window"] or "", "clerk": who or "",
                                        "item": data.get("item_code") or ""}.get(by, "")
        add(group, {"complaints_received": 1,
                    "complaints_closed_on_time": row["stage"] == "archived" and data.get("closed_on_time") is True,
                    "complaints_reopened": int(data.get("reopened") or 0) > 0,
                    "complaints_substantiated": bool(row["about_window"] or who)
                    and data.get("substantiated") is not False})
    # -- pre-reviews ----------------------------------------------------------------------------
    if by in (None, "window") and clerk is None:
        for pre in _prereviews(session, params):
            if window is not None and pre["used_window"] != window:
                continue
            add(ALL if by is None else pre["used_window"] or "",
                {"prereviews": 1, "prereviews_missing": pre["outcome"] == "missing"})

    # -- attendance ------------------------------------------------------------------------------
    if by in (None, "window", "clerk"):
        adim = {"window": "window_number", "clerk": "clerk"}.get(by or "")
        sel, grp = _group(adim)
        for row in session.execute(text(
                f"SELECT {sel} AS g, SUM(open_minutes) AS o, SUM(paused_minutes) AS p FROM stats_window_days"
                f" WHERE day BETWEEN :a AND :b{_filters('window_number', 'clerk', window, clerk)}{grp}"), params):
            add(row.g, {"open_minutes": row.o, "paused_minutes": row.p})

    hall_counts: dict[str, float] = defaultdict(float)
    for bucket in counts.values():
        for key, value in bucket.items():
            hall_counts[key] += value
    all_waits = Times.merged(waits.values())
    all_services = Times.merged(services.values())
    result: dict[str, Any] = {"period": period.text, "first": period.first.isoformat(),
                              "last": period.last.isoformat(), "label": period.label, "by": by,
                              "window": window, "clerk": clerk,
                              "hall": derive(hall_counts, all_waits, all_services),
                              "hourly": hourly, "longest_waits": longest, "notes": notes}
    if by is not None:
        groups = sorted(set(counts) | set(waits) | set(services))
        result["groups"] = {g: derive(counts.get(g, {}), waits.get(g, Times()), services.get(g, Times()))
                            for g in groups}
    return result


def _complaints(session: Session, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The period's complaints: the window's own table, or what windows pushed to the central."""
    found = []
    if has_table(session, "complaints"):
        for row in session.execute(text("SELECT about_window, stage, data FROM complaints"
                                        " WHERE registered_at >= :a0 AND registered_at < :b1"), params):
            found.append({"about_window": row.about_window, "stage": row.stage, "data": json.loads(row.data or "{}")})
    elif has_table(session, "central_records"):
        for (payload,) in session.execute(text("SELECT payload FROM central_records WHERE kind = 'complaint'")):
            p = json.loads(payload)
            if params["a0"] <= str(p.get("registered_at", "")) < params["b1"]:
                data = p.get("data")
                found.append({"about_window": p.get("about_window"), "stage": p.get("stage"),
                              "data": json.loads(data) if isinstance(data, str) else (data or {})})
    return found


def _prereviews(session: Session, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    if has_table(session, "prereviews"):
        return [{"used_window": r.used_window, "outcome": r.outcome} for r in session.execute(text(
            "SELECT used_window, outcome FROM prereviews WHERE created_at >= :a0 AND created_at < :b1"), params)]
    found = []
    if has_table(session, "central_prereviews"):
        for (payload,) in session.execute(text("SELECT payload FROM central_prereviews")):
            p = json.loads(payload)
            if params["a0"] <= str(p.get("created_at", "")) < params["b1"]:
                found.append({"used_window": p.get("used_window"), "outcome": p.get("outcome")})
    return found
