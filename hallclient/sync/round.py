"""One sync round: push the outbox, pull the catalog and the calendar, report what happened.

`run_sync_round` is what the GUI's timer, F9 and `hallclient sync` call. It touches no widget
and may run on any worker thread (it opens its own sessions; SQLite's busy timeout makes the
window's own writes wait at most for the catalog's single apply transaction). Two rounds never
overlap: a round started while another is running returns at once with `busy=True`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from hallclient.settings import Settings
from hallclient.store.database import Store, get_meta, set_meta
from hallclient.sync.calendar_pull import pull_calendar
from hallclient.sync.catalog_pull import DEFAULT_PAGE_SIZE, Progress, pull_catalog
from hallclient.sync.client import CentralClient, CentralError, CentralRejected, CentralUnreachable
from hallclient.sync.outbox import PushResult, outbox_summary, push_outbox
from hallclient.sync.reconcile import reconcile

LAST_GOOD_SYNC = "last_good_sync_at"
AUTH_FAILED = "认证失败（令牌无效或已停用）"
INSECURE_NOTE = "未加密连接（http）：建议中心启用 HTTPS"
_round_lock = threading.Lock()


@dataclass
class SyncReport:
    standalone: bool = False  # no central configured
    busy: bool = False  # another round was running
    online: bool = False
    error: str | None = None  # the first problem, for the status bar
    errors: list[str] = field(default_factory=list)
    catalog_unchanged: bool = False
    catalog_full: bool = False
    catalog_version_before: int = 0
    catalog_version_after: int = 0
    pulled_items: int = 0
    deleted_items: int = 0
    calendar_years: list[int] = field(default_factory=list)
    pushed: int = 0
    rejected: int = 0
    waiting: int = 0  # records still in the outbox after the round
    warnings: list[str] = field(default_factory=list)  # for the clerk (e.g. a cancelled item)
    finished_at: str = ""
    auth_failed: bool = False  # the central answered 401/403: the token is wrong or disabled
    central_restored: str | None = None  # the central lacked records it had confirmed (reconcile)
    repushed: int = 0
    conflicts: int = 0  # records the central answered as a conflict (kept here for the clerk)
    insecure: bool = False  # plain HTTP to a central that is not on this machine
    case_events: int = 0  # events of this window's cases taken elsewhere (a chief's decision), applied here

    @property
    def ok(self) -> bool:
        return self.online and not self.errors

    def lines(self) -> list[str]:
        """A readable account of the round (CLI output, a tooltip)."""
        if self.standalone:
            return ["单机运行：未配置中心服务"]
        if self.busy:
            return ["同步正在进行中"]
        if self.auth_failed:
            return [AUTH_FAILED, *(f"错误：{e}" for e in self.errors)]
        out = [f"中心服务：{'在线' if self.online else '离线'}"]
        if self.insecure:
            out.append(INSECURE_NOTE)
        if self.central_restored:
            out.append(f"注意：{self.central_restored}")
        if self.catalog_unchanged:
            out.append(f"事项清单：无变化（版本 {self.catalog_version_after}）")
        elif self.pulled_items or self.deleted_items or self.catalog_version_after != self.catalog_version_before:
            kind = "完整下载" if self.catalog_full else "增量更新"
            out.append(f"事项清单：{kind}，版本 {self.catalog_version_before} → {self.catalog_version_after}，"
                       f"更新 {self.pulled_items} 项，删除 {self.deleted_items} 项")
        if self.calendar_years:
            out.append(f"节假日安排：更新 {', '.join(map(str, self.calendar_years))} 年")
        if self.case_events:
            out.append(f"办件动态：{self.case_events} 条（首席代表等在其他位置的处理）")
        out.append(f"上报：{self.pushed} 条已确认，{self.waiting} 条待上报"
                   + (f"（{self.rejected} 条被中心拒收）" if self.rejected else ""))
        out.extend(f"提示：{w}" for w in self.warnings)
        out.extend(f"错误：{e}" for e in self.errors)
        return out


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def last_good_sync(store: Store) -> str | None:
    """When the last round without any error ended (ISO, local time), or None."""
    with store.session() as session:
        return get_meta(session, LAST_GOOD_SYNC)


def run_sync_round(store: Store, settings: Settings, *, progress: Progress | None = None,
                   force: bool = False, client: CentralClient | None = None,
                   page_size: int = DEFAULT_PAGE_SIZE) -> SyncReport:
    """Push, then pull. `force` retries outbox records now even if their backoff is not over."""
    report = SyncReport()
    if not settings.central_url.strip() and client is None:
        report.standalone = True
        _count_waiting(store, report)
        return report
    if not _round_lock.acquire(blocking=False):
        report.busy = True
        return report
    own_client = client is None
    report.insecure = is_insecure(settings.central_url)
    try:
        http = client or CentralClient(settings.central_url, settings.central_token,
                                       ca_file=getattr(settings, "central_ca_file", "") or None)
    except CentralError as exc:
        _round_lock.release()
        report.errors.append(str(exc))
        report.error = report.errors[0]
        _count_waiting(store, report)
        return report
    try:
        _run(store, http, report, progress, force, page_size, settings)
    except SQLAlchemyError as exc:  # e.g. the window's database stayed locked past busy_timeout
        report.errors.append(f"本机数据库暂时无法写入，本轮同步未完成：{type(exc).__name__}")
    finally:
        if own_client:
            http.close()
        _round_lock.release()
    report.error = report.errors[0] if report.errors else None
    _count_waiting(store, report)
    report.finished_at = _now()
    if report.ok:
        finished = report.finished_at
        store.write(lambda session: set_meta(session, LAST_GOOD_SYNC, finished))
    return report


def _run(store: Store, http: CentralClient, report: SyncReport, progress: Progress | None,
         force: bool, page_size: int, settings: Settings) -> None:
    try:
        http.health()
    except CentralError as exc:
        report.errors.append(str(exc))
        return
    report.online = True
    try:
        http.whoami()  # a wrong token is one clear message, not one per step
    except CentralRejected as exc:
        if exc.status in (401, 403):
            report.online, report.auth_failed = False, True
            report.errors.append(f"{AUTH_FAILED}：{exc.message}")
        else:
            report.errors.append(str(exc))
        return
    except CentralUnreachable as exc:
        report.online = False
        report.errors.append(str(exc))
        return
    try:
        checked = reconcile(store, http, settings.case_number_pattern, settings.window_number)
    except CentralRejected as exc:
        if exc.status not in (404, 405):  # an older central without /windows/me: nothing to compare
            report.errors.append(f"无法核对中心数据：{exc}")
    except CentralUnreachable as exc:
        report.online = False
        report.errors.append(str(exc))
        return
    else:
        report.central_restored, report.repushed = checked.message(), checked.repushed
        force = force or checked.repushed > 0
    pushed = push_outbox(store, http, force=force)
    report.pushed, report.rejected, report.warnings = pushed.pushed, pushed.rejected, pushed.warnings
    report.conflicts = pushed.conflicts
    if pushed.error:
        report.errors.append(pushed.error)
        if not pushed.online:
            report.online = False
            return
    try:
        pulled = pull_catalog(store, http, page_size=page_size, progress=progress)
    except CentralUnreachable as exc:
        report.online = False
        report.errors.append(str(exc))
        return
    except CentralError as exc:
        report.errors.append(f"事项清单未更新：{exc}")
    else:
        report.catalog_unchanged, report.catalog_full = pulled.unchanged, pulled.full
        report.catalog_version_before, report.catalog_version_after = pulled.version_before, pulled.version_after
        report.pulled_items, report.deleted_items = pulled.upserted, pulled.deleted
    try:
        report.calendar_years = pull_calendar(store, http)
    except CentralUnreachable as exc:
        report.online = False
        report.errors.append(str(exc))
        return
    except (CentralRejected, CentralError) as exc:
        report.errors.append(f"节假日安排未更新：{exc}")
    _pull_back(store, http, report)


def _pull_back(store: Store, http: CentralClient, report: SyncReport) -> None:
    """What happened elsewhere to this window's cases and pre-reviews (hallclient.sync.case_pull)."""
    from hallclient.sync.case_pull import pull_case_events, pull_prereview_outcomes

    try:
        report.case_events = pull_case_events(store, http).applied
        pull_prereview_outcomes(store, http)
    except CentralUnreachable as exc:
        report.online = False
        report.errors.append(str(exc))
    except CentralRejected as exc:
        if exc.status not in (404, 405):  # an older central without the feed: nothing to pull
            report.errors.append(f"办件动态未更新：{exc}")
    except CentralError as exc:
        report.errors.append(f"办件动态未更新：{exc}")


def is_insecure(central_url: str) -> bool:
    """Plain HTTP to a central that is not on this machine (a warning in the status bar)."""
    url = central_url.strip().lower()
    if not url or url.startswith("https://"):
        return False
    host = url.removeprefix("http://").split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
    return host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("127.")


def _count_waiting(store: Store, report: SyncReport) -> None:
    with store.session() as session:
        report.waiting = outbox_summary(session).waiting


def push_now(store: Store, client: CentralClient, *, force: bool = True) -> PushResult | None:
    """Push the outbox at once (e.g. the queue panel saw the central come back); None when a
    sync round is running, which pushes it anyway. `force=False` (hallclient.sync.live.poll)
    leaves records whose backoff is not over for later."""
    if not _round_lock.acquire(blocking=False):
        return None
    try:
        return push_outbox(store, client, force=force)
    finally:
        _round_lock.release()
