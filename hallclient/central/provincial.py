"""Forwarding ratings to the provincial 好差评 system, through an adapter.

The interface a province's system is met by (`ProvincialAdapter.send`) takes one record with the
fields such systems ask for — case number, item code and version, department code, applicant
(name, masked ID), handling state, 12-digit region code, rating level and indicators, channel
code (评价器 = "PJQ"), time — and answers with the province's receipt or raises:
`ProvinceRefused` (the province said no: recorded, not retried) or `ProvinceUnavailable`
(down, timed out, 5xx: retried with backoff). A rating leaves the queue only when the province
took it, so no rating is lost while the province (or the central) is down.

Adapters: `FileAdapter` writes what would be sent, one JSON file per rating, into a folder (for a
hall whose provincial link is not set up yet, and for audits); `HttpAdapter` POSTs JSON to the
province's endpoint and reads its `{"code": "0", "receipt": …}` style answer.

One pass at a time: a central run as several processes (`hallclient central --workers N`) has a
forwarder in each, and `hallclient central forward-ratings` may run beside them; on PostgreSQL a
pass first takes an advisory lock of the database schema (`pg_try_advisory_lock`), and a pass
that finds it taken does nothing (`ForwardResult.busy`), so no rating is sent twice by two
processes reading the same pending rows. SQLite is served by one process only.
"""

from __future__ import annotations

import json
import logging
import os
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import requests
from sqlalchemy import text
from sqlalchemy.orm import Session

from hallclient.atomicfile import write_atomic
from hallclient.central import records_store
from hallclient.core.evaluation import LEVEL_LABELS, PROVINCIAL_CHANNEL_CODES, Channel, Level

log = logging.getLogger("hallclient.central.provincial")
BACKOFF_CAP_S = 3600.0


class ProvinceRefused(Exception):
    """The provincial system refused the record (bad data): recorded, not retried."""


class ProvinceUnavailable(Exception):
    """The provincial system could not be reached or failed: retried later."""


class ProvincialAdapter(Protocol):
    def send(self, record: dict[str, Any]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class HallIdentity:
    region_code: str = "411571000000"  # 12-digit 行政区划代码 of the hall (a setting)
    department_codes: dict[str, str] | None = None  # department name → its code


def provincial_record(rating: dict[str, Any], case: dict[str, Any] | None, hall: HallIdentity) -> dict[str, Any]:
    """The record a provincial system is sent for one rating (no phone, ID masked)."""
    from hallclient.documents.masking import mask_id_number

    data = json.loads(rating["data"]) if isinstance(rating.get("data"), str) else (rating.get("data") or {})
    level = rating.get("level")
    applicant = (case or {}).get("applicant") or {}
    items = (case or {}).get("item_codes") or []
    department = (case or {}).get("department") or ""
    return {
        "case_number": rating.get("case_number") or "", "item_code": items[0] if items else "",
        "item_version": (case or {}).get("item_version"),
        "department_code": (hall.department_codes or {}).get(department, ""),
        "applicant_name": applicant.get("name", ""),
        "applicant_id": mask_id_number(applicant.get("uscc") or applicant.get("id_number") or ""),
        "handling_state": (case or {}).get("state", ""), "region_code": hall.region_code,
        "rating": LEVEL_LABELS[Level(level)] if level else "未评价", "rating_code": level or "unrated",
        "indicators": {k: LEVEL_LABELS.get(Level(v), v) for k, v in (data.get("indicators") or {}).items()},
        "reasons": data.get("reasons") or [], "comment": data.get("comment") or "",
        "channel": PROVINCIAL_CHANNEL_CODES.get(Channel(rating.get("channel") or "pad"), "PJQ"),
        "rated_at": rating.get("rated_at"), "rating_id": rating["uuid"],
    }


class FileAdapter:
    """Writes each record to `folder/<rating uuid>.json` (crash-safe); answers a local receipt."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, record: dict[str, Any]) -> dict[str, Any]:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{record['rating_id']}.json"
            write_atomic(path, json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8"))
        except OSError as exc:
            raise ProvinceUnavailable(f"无法写入转发目录 {self.folder}：{exc.strerror or exc}") from exc
        return {"receipt": f"file:{path.name}"}


class HttpAdapter:
    """POST the record as JSON; 2xx with code 0 is taken, 4xx or a non-zero code is refused."""

    def __init__(self, url: str, *, token: str = "", timeout: float = 10.0) -> None:
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, record: dict[str, Any]) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = requests.post(self.url, json=record, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise ProvinceUnavailable(f"省好差评系统无法连接：{type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise ProvinceUnavailable(f"省好差评系统出错（HTTP {response.status_code}）")
        try:
            answer = response.json()
        except ValueError:
            answer = {"raw": response.text[:500]}
        if response.status_code >= 400 or str(answer.get("code", "0")) != "0":
            raise ProvinceRefused(str(answer.get("message") or f"HTTP {response.status_code}"))
        return answer if isinstance(answer, dict) else {"answer": answer}


def adapter_from_settings(target: str, token: str = "") -> ProvincialAdapter:
    """`file:/path/to/folder` or an http(s) URL."""
    if target.startswith(("http://", "https://")):
        return HttpAdapter(target, token=token)
    return FileAdapter(Path(target.removeprefix("file:")))


@dataclass
class ForwardResult:
    sent: int = 0
    refused: int = 0
    retry_later: int = 0
    busy: bool = False  # another process was forwarding: this pass did nothing


_PASS_LOCK = "SELECT {fn}(hashtext(current_schema() || :name))"
_PASS_NAME = {"name": "/hallclient.forward_ratings"}


@contextmanager
def _one_pass(session_factory: Any) -> Iterator[bool]:
    """True when this pass may forward (module doc): on PostgreSQL it holds a session advisory
    lock on a connection of its own for the pass (released at the end, or by PostgreSQL when the
    process dies); on other databases always."""
    with session_factory() as session:
        engine = session.get_bind()
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as conn:
        got = bool(conn.execute(text(_PASS_LOCK.format(fn="pg_try_advisory_lock")), _PASS_NAME).scalar())
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(text(_PASS_LOCK.format(fn="pg_advisory_unlock")), _PASS_NAME)
                conn.commit()


def _backoff(attempts: int) -> float:
    return min(BACKOFF_CAP_S, 30.0 * 2 ** min(attempts, 12)) * (0.5 + random.random() / 2)


def forward_pending(session_factory: Any, adapter: ProvincialAdapter, cipher: Any, hall: HallIdentity,
                    now: datetime | None = None) -> ForwardResult:
    """One pass over the ratings waiting for the province; each outcome committed on its own.
    Nothing (`busy`) while another process makes a pass on the same database (module doc)."""
    with _one_pass(session_factory) as mine:
        if not mine:
            return ForwardResult(busy=True)
        return _forward_pass(session_factory, adapter, cipher, hall, now)


def _forward_pass(session_factory: Any, adapter: ProvincialAdapter, cipher: Any, hall: HallIdentity,
                  now: datetime | None) -> ForwardResult:
    now = now or datetime.now().astimezone()
    result = ForwardResult()
    with session_factory() as session:
        pending = records_store.pending_forwards(session, now.isoformat(timespec="seconds"))
    for rating in pending:
        with session_factory() as session:
            record = provincial_record(rating, _case_for(session, cipher, rating.get("case_uuid")), hall)
        try:
            answer = adapter.send(record)
        except ProvinceRefused as exc:
            _record(session_factory, rating["uuid"], state="refused", attempts=rating["attempts"] + 1, error=str(exc))
            result.refused += 1
            continue
        except ProvinceUnavailable as exc:
            later = (now + timedelta(seconds=_backoff(rating["attempts"]))).isoformat(timespec="seconds")
            _record(session_factory, rating["uuid"], state="pending", attempts=rating["attempts"] + 1,
                    error=str(exc), next_attempt_at=later)
            result.retry_later += 1
            break  # the province is down: the rest waits for the next pass
        _record(session_factory, rating["uuid"], state="sent", attempts=rating["attempts"] + 1, answer=answer)
        result.sent += 1
    return result


def _record(session_factory: Any, rating_uuid: str, **values: Any) -> None:
    with session_factory() as session, session.begin():
        records_store.record_forward(session, rating_uuid, **values)


def _case_for(session: Session, cipher: Any, case_uuid: str | None) -> dict[str, Any] | None:
    if not case_uuid:
        return None
    from sqlalchemy import text

    row = session.execute(text("SELECT payload, state FROM central_cases WHERE uuid = :u"), {"u": case_uuid}).first()
    if row is None:
        return None
    case = cipher.open_text(row.payload)
    case["state"] = row.state
    codes = case.get("item_codes") or []
    if codes:
        dept = session.execute(text("SELECT department, version FROM service_items WHERE code = :c"),
                               {"c": codes[0]}).first()
        if dept is not None:
            case["department"], case["item_version"] = dept.department, dept.version
    return case


def forwarding_target() -> str:
    return os.environ.get("HALLCLIENT_PROVINCE", "")
