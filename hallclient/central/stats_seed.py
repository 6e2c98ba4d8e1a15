"""A busy hall's history, generated: for the statistics' benchmark, the what-if check and demos.

Each day the hall opens 09:00–12:00 and 13:00–17:00; applicants arrive per window category as a
Poisson stream with a morning peak; each category's windows call first come first served; a
ticket is called, started ~20 s later and finished after a log-normal service time; 3 % do not
show up. Cases, their events (supplements, approvals, completions) and ratings follow. Rows go
straight into the central's tables, as the central itself would have written them.
"""

from __future__ import annotations

import heapq
import json
import math
import random
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from hallclient.central.models import CentralCase, CentralCaseEvent
from hallclient.central.queue_models import QueueEvent, QueueTicket

CATEGORIES = {"无差别受理": "A", "市场准入": "B", "建设工程": "C", "不动产登记": "D", "社会事务": "E"}
STAFFING = {"无差别受理": 9, "市场准入": 7, "建设工程": 3, "不动产登记": 5, "社会事务": 4}
SHARE = {"无差别受理": 0.4, "市场准入": 0.25, "建设工程": 0.07, "不动产登记": 0.16, "社会事务": 0.12}
SERVICE_MEAN_MIN = {"无差别受理": 5.0, "市场准入": 7.0, "建设工程": 10.0, "不动产登记": 8.0, "社会事务": 6.0}
LEVELS = (("very_satisfied", 0.62), ("satisfied", 0.2), ("basically_satisfied", 0.08), ("unsatisfied", 0.02),
          ("very_unsatisfied", 0.01), (None, 0.07))
TZ = datetime.now().astimezone().tzinfo


def windows() -> dict[str, str]:
    """window number → its one category."""
    found, n = {}, 1
    for cat, count in STAFFING.items():
        for _ in range(count):
            found[str(n)] = cat
            n += 1
    return found


def _rate(minute: float) -> float:
    """Relative arrival intensity over the day (morning peak, lunch dip)."""
    if 12 * 60 <= minute < 13 * 60:
        return 0.0
    return 1.0 + 0.8 * math.exp(-((minute - 10 * 60) / 60) ** 2) + 0.3 * math.exp(-((minute - 14.5 * 60) / 50) ** 2)


def simulate_day(day: date, tickets: int, rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The day's ticket rows and events."""
    wins = windows()
    base = datetime(day.year, day.month, day.day, tzinfo=TZ)
    start, end = 9 * 60, 16 * 60 + 30
    peak = 1.8
    per_minute = tickets / sum(_rate(m) for m in range(start, end))
    rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for cat, prefix in CATEGORIES.items():
        lam = per_minute * SHARE[cat] * peak
        t = float(start)
        arrivals = []
        while t < end:  # thinning of a Poisson process with the day's intensity
            t += rng.expovariate(lam)
            if t < end and rng.random() < _rate(t) / peak:
                arrivals.append(t)
        free = [(start, w) for w, c in wins.items() if c == cat]
        heapq.heapify(free)
        for seq, arrival in enumerate(arrivals, 1):
            at_free, window = heapq.heappop(free)
            if 12 * 60 <= at_free < 13 * 60:
                at_free = 13 * 60
            call = max(arrival, at_free)
            tid = str(uuid.uuid4())
            issued = base + timedelta(minutes=arrival)
            called = base + timedelta(minutes=call)
            clerk = f"窗口{window}人员"
            ev = [("issued", issued, None), ("called", called, window)]
            if rng.random() < 0.03:
                state, busy = "missed", 1.5
                ev += [("called", called + timedelta(minutes=0.5), window), ("no_show", called + timedelta(minutes=1.5),
                                                                           window)]
            else:
                state = "done"
                service = rng.lognormvariate(math.log(SERVICE_MEAN_MIN[cat]) - 0.18, 0.6)
                started = called + timedelta(seconds=20)
                finished = started + timedelta(minutes=service)
                ev += [("started", started, window), ("finished", finished, window)]
                busy = (finished - called).total_seconds() / 60
            heapq.heappush(free, (call + busy, window))
            number = f"{prefix}{seq:03d}"
            rows.append({"id": tid, "day": day.isoformat(), "number": number, "category": cat, "prefix": prefix,
                         "seq": seq, "type": "normal", "state": state, "issued_at": issued.isoformat(),
                         "queued_at": issued.isoformat(), "calls": 1, "window": window, "front": False,
                         "source": "kiosk", "updated_at": issued.isoformat()})
            for kind, at, win in ev:
                events.append({"uuid": str(uuid.uuid4()), "ticket_id": tid, "day": day.isoformat(), "kind": kind,
                               "at": at.isoformat(), "window": win, "clerk": clerk if win else None, "data": None})
    for window in wins:  # one break per window and day
        paused = base + timedelta(minutes=rng.uniform(14 * 60, 15 * 60))
        for kind, at in (("paused", paused), ("unpaused", paused + timedelta(minutes=rng.uniform(5, 20)))):
            events.append({"uuid": str(uuid.uuid4()), "ticket_id": None, "day": day.isoformat(), "kind": kind,
                           "at": at.isoformat(), "window": window, "clerk": f"窗口{window}人员", "data": None})
    return rows, events


def _cases(day: date, count: int, rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                                                                list[dict[str, Any]]]:
    wins = list(windows())
    cases, events, ratings = [], [], []
    stamp = datetime(day.year, day.month, day.day, 10, tzinfo=TZ)
    for i in range(count):
        cid = str(uuid.uuid4())
        window = rng.choice(wins)
        r = rng.random()
        decision = ("accept" if r < 0.8 else "accept_with_tolerance" if r < 0.9 else
                    "one_time_notice" if r < 0.97 else "refuse")
        due = (day + timedelta(days=rng.choice((0, 5, 10, 14)))).isoformat()
        tolerated = ([{"key": "m1", "name": "材料", "supplement_by": (day + timedelta(days=5)).isoformat()}]
                     if decision == "accept_with_tolerance" else [])
        payload = {"uuid": cid, "item_codes": [f"ITEM{rng.randrange(200):03d}"], "tolerated": tolerated,
                   "due_date": due if decision.startswith("accept") else None, "clerk_login": f"clerk{window}",
                   "clerk_name": f"窗口{window}人员", "applicant": "sealed"}
        state = {"one_time_notice": "one_time_noticed", "refuse": "refused"}.get(decision, "completed")
        cases.append({"uuid": cid, "case_number": f"{day:%Y%m%d}{i:05d}", "window_number": window, "state": state,
                      "decision": decision, "applicant_name": "某", "applicant_id": "x", "accepted_on": day.isoformat(),
                      "updated_at": stamp.isoformat(), "payload": json.dumps(payload, ensure_ascii=False),
                      "pushed_by": window, "received_at": stamp.isoformat()})
        if decision.startswith("accept"):
            if tolerated:
                late = rng.random() < 0.2
                at = day + timedelta(days=7 if late else 2)
                events.append(_event(cid, "supplemented", at, {"keys": ["m1"], "complete": True}, window))
            done = day + timedelta(days=rng.choice((0, 0, 1, 3, 8, 16)))
            kind = "approved" if rng.random() < 0.5 else "completed"
            data = {"minutes_since_acceptance": rng.randrange(5, 60)} if kind == "approved" else {}
            events.append(_event(cid, kind, done, data, window))
        if rng.random() < 0.8:
            level = rng.choices([lv for lv, _ in LEVELS], [w for _, w in LEVELS])[0]
            ratings.append({"uuid": str(uuid.uuid4()), "service_key": f"case:{cid}", "case_uuid": cid,
                            "case_number": cases[-1]["case_number"], "window_number": window,
                            "clerk_login": f"clerk{window}", "level": level, "channel": "pad",
                            "rated_at": (stamp + timedelta(minutes=i % 400)).isoformat(), "data": "{}",
                            "phone": None, "pushed_by": window, "received_at": stamp.isoformat()})
    return cases, events, ratings


def _event(case_uuid: str, kind: str, day: date, data: dict[str, Any], window: str) -> dict[str, Any]:
    at = datetime(day.year, day.month, day.day, 11, tzinfo=TZ).isoformat()
    return {"uuid": str(uuid.uuid4()), "case_uuid": case_uuid, "kind": kind, "at": at,
            "payload": json.dumps({"kind": kind, "at": at, "data": data}, ensure_ascii=False), "pushed_by": window,
            "received_at": at}


def seed(session: Session, first: date, days: int, *, tickets_per_day: int, cases_per_day: int,
         seed: int = 1) -> dict[str, int]:
    """Working days from `first` (weekends skipped); returns what was written."""
    rng = random.Random(seed)
    has_ratings = session.connection().dialect.has_table(session.connection(), "central_ratings")
    counts = {"tickets": 0, "events": 0, "cases": 0, "ratings": 0}
    day, done = first, 0
    while done < days:
        if day.weekday() < 5:
            rows, events = simulate_day(day, tickets_per_day, rng)
            session.execute(insert(QueueTicket.__table__), rows)
            session.execute(insert(QueueEvent.__table__), events)
            cases, case_events, ratings = _cases(day, cases_per_day, rng)
            session.execute(insert(CentralCase.__table__), cases)
            if case_events:
                session.execute(insert(CentralCaseEvent.__table__), case_events)
            if has_ratings and ratings:
                session.execute(text(
                    "INSERT INTO central_ratings (uuid, service_key, case_uuid, case_number, window_number, clerk_login,"
                    " level, channel, rated_at, data, phone, pushed_by, received_at) VALUES (:uuid, :service_key,"
                    " :case_uuid, :case_number, :window_number, :clerk_login, :level, :channel, :rated_at, :data,"
                    " :phone, :pushed_by, :received_at)"), ratings)
            counts["tickets"] += len(rows)
            counts["events"] += len(events)
            counts["cases"] += len(cases)
            counts["ratings"] += len(ratings) if has_ratings else 0
            done += 1
        day += timedelta(days=1)
    return counts
