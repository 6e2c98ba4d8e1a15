"""Tickets per kiosk client and minute (the `limits` package, moving window).

The open dispenser endpoint (POST /api/v1/queue/kiosk/tickets) is limited per client address:
`QueueConfig.kiosk_per_minute` tickets of any kind and `kiosk_green_per_minute` green-channel
tickets (0: no limit). A refusal is a 429 in Chinese with Retry-After.

Per-process state: with the default storage (`memory://`) each central process counts on its
own, so a central run with N worker processes lets N times as many tickets through. Give
`QueueConfig.limiter_storage` a shared storage (e.g. `redis://host:6379`, which needs the
`redis` package; `hallclient central --limiter-storage URI`) when the central runs more than one
process. With a shared storage the test-then-hit below is still one step per process only. The client address is the TCP
peer's: a kiosk behind a proxy that hides it shares the proxy's budget.
"""

from __future__ import annotations

import math
import threading
import time

from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class KioskLimiter:
    def __init__(self, storage_uri: str = "memory://") -> None:
        self.storage_uri = storage_uri
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._lock = threading.Lock()  # test-then-hit of two limits as one step (in this process)

    def check(self, client: str, green: bool, per_minute: int, green_per_minute: int) -> tuple[str, int] | None:
        """Count one ticket for `client`; (message, retry-after seconds) when it is over a limit."""
        limits = []
        if per_minute > 0:
            limits.append((RateLimitItemPerMinute(per_minute), "all",
                           f"本取号机每分钟最多取 {per_minute} 个号"))
        if green and green_per_minute > 0:
            limits.append((RateLimitItemPerMinute(green_per_minute), "green",
                           f"本取号机每分钟最多取 {green_per_minute} 个绿色通道号"))
        with self._lock:
            for item, scope, message in limits:
                if not self.limiter.test(item, client, scope):
                    reset = self.limiter.get_window_stats(item, client, scope).reset_time
                    wait = max(1, math.ceil(reset - time.time()))
                    return f"取号过于频繁：{message}，请 {wait} 秒后再试或到服务台咨询", wait
            for item, scope, _message in limits:
                self.limiter.hit(item, client, scope)
        return None
