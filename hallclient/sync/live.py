"""The light, frequent exchange with the central: what the GUI calls every few seconds.

    poll(store, settings, *, session_token=None, login=None, client=None) -> PollReport

pushes what waits in the outbox (a case just accepted reaches the chief's inbox, a chief's
decision reaches the accepting window), pulls the later events of this window's cases
(hallclient.sync.case_pull) and, with a chief representative's session, their inbox and
authorisation (hallclient.sync.inbox_pull). No catalog, no calendar, no reconcile: those stay in
the sync round (`run_sync_round`, every `sync_interval_seconds`).

Why a short poll and not a push channel: the central is a plain HTTP service (uvicorn, possibly
several worker processes, behind the hall's proxies), with no broker between workers that a
WebSocket or server-sent-event stream would need, and windows already reach it only by
requests. A poll costs one indexed read when nothing changed (the feed cursor: `unchanged`, no
audit record), so a 2 s interval (`POLL_SECONDS`) meets "within 5 seconds" for a hall's windows
at a few dozen requests a second. No Qt; polls never overlap (a poll started while one runs returns `busy`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from hallclient.settings import Settings
from hallclient.store.database import Store
from hallclient.sync.case_pull import pull_case_events
from hallclient.sync.client import CentralClient, CentralError, CentralRejected, CentralUnreachable
from hallclient.sync.inbox_pull import pull_inbox
from hallclient.sync.round import push_now

# What the GUI's timer should use. Worst case from a case accepted at window 3 to the chief's
# client: 3's next poll pushes it (≤ 2 s), the chief's next poll pulls it (≤ 2 s), plus the two
# exchanges (≈ 0.7 s measured on loopback): under 5 s. Polling right after a local write (a case
# accepted, a decision taken) removes the first wait.
POLL_SECONDS = 2.0
_poll_lock = threading.Lock()


@dataclass
class PollReport:
    standalone: bool = False
    busy: bool = False
    online: bool = False
    error: str | None = None
    pushed: int = 0
    conflicts: int = 0
    events_applied: int = 0
    inbox_unchanged: bool = True
    inbox_listed: int | None = None  # None: no inbox pulled (not a chief session)
    inbox_added: int = 0
    authorisation_version: int | None = None
    session_expired: bool = False
    case_uuids: set[str] = field(default_factory=set)  # cases that changed here
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.case_uuids) or self.pushed > 0


def poll(store: Store, settings: Settings, *, session_token: str | None = None, login: str | None = None,
         client: CentralClient | None = None) -> PollReport:
    report = PollReport()
    if not settings.central_url.strip() and client is None:
        report.standalone = True
        return report
    if not _poll_lock.acquire(blocking=False):
        report.busy = True
        return report
    http = client
    try:
        http = client or CentralClient(settings.central_url, settings.central_token,
                                       ca_file=getattr(settings, "central_ca_file", "") or None,
                                       timeout=(3.05, 10.0))
        _poll(store, http, report, session_token, login)
    except CentralUnreachable as exc:
        report.online, report.error = False, str(exc)
    except CentralError as exc:
        report.error = str(exc)
    finally:
        if client is None and http is not None:
            http.close()
        _poll_lock.release()
    return report


def _poll(store: Store, http: CentralClient, report: PollReport, session_token: str | None,
          login: str | None) -> None:
    pushed = push_now(store, http, force=False)  # None: a sync round is pushing right now
    if pushed is not None:
        report.pushed, report.conflicts = pushed.pushed, pushed.conflicts
        report.warnings.extend(pushed.warnings)
        if not pushed.online:
            raise CentralUnreachable(pushed.error or "中心服务无法连接")
    events = pull_case_events(store, http)
    report.online = True
    report.events_applied = events.applied
    report.case_uuids |= events.case_uuids
    if not (session_token and login):
        return
    try:
        inbox = pull_inbox(store, http, session_token, login)
    except CentralRejected as exc:
        if exc.status == 401:
            report.session_expired, report.error = True, f"登录已失效，待审办件未更新：{exc.message}"
            return
        if exc.status == 403:  # not a chief representative: nothing to pull
            return
        raise
    report.inbox_unchanged, report.inbox_listed = inbox.unchanged, None if inbox.unchanged else inbox.listed
    report.inbox_added = inbox.added
    report.authorisation_version = inbox.authorisation_version
    report.case_uuids |= inbox.case_uuids
