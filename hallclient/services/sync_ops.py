"""What the window's UI needs of `hallclient.sync`, in one place (the UI never imports sync/).

A thin facade: names are re-exported unchanged, so the sync package stays free to move its
insides. The sync round itself writes through the store on its own; it is not a person's act.
"""

from __future__ import annotations

from hallclient.sync.client import CentralError, CentralRejected, CentralUnreachable
from hallclient.sync.queue_client import QueueClient, QueueTicket, WindowQueueStatus
from hallclient.sync.round import SyncReport, last_good_sync, push_now, run_sync_round

__all__ = [
    "CentralError", "CentralRejected", "CentralUnreachable", "QueueClient", "QueueTicket",
    "SyncReport", "WindowQueueStatus", "last_good_sync", "push_now", "run_sync_round",
]
