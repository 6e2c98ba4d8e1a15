"""The hall's figures from the central (hallclient.central.routes_stats), for the person signed
in on this window (their central session). No Qt, no database.

Errors are the CentralClient's: `CentralUnreachable` (offline: the caller falls back to the
window's own figures) and `CentralRejected` (e.g. 403 for a person who may not read figures).
"""

from __future__ import annotations

from typing import Any

from hallclient.sync.auth_client import SESSION_HEADER
from hallclient.sync.client import CentralClient, CentralRejected

# A quarter's figures for the whole hall take about a second on the central; leave it room.
STATS_TIMEOUT = (3.05, 30.0)


def hall_figures(client: CentralClient, session_token: str, period: str, by: str | None = None) -> dict[str, Any]:
    """`GET /stats?period=…&by=…`: the figures as `hallclient central stats --json` prints them,
    with `scope` ("hall", or "own" for a clerk)."""
    params = {"period": period, **({"by": by} if by else {})}
    answer = client.json("GET", "/stats", params=params, headers={SESSION_HEADER: session_token})
    if not isinstance(answer, dict) or not isinstance(answer.get("hall"), dict):
        raise CentralRejected(200, "中心服务的统计数据格式不正确")
    return answer
