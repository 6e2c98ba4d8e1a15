"""`hallclient central forward-ratings`: send the ratings waiting for the provincial 好差评
system through an adapter (a folder, or the province's HTTP endpoint)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hallclient.cli.common import EXIT_PARTIAL

TARGET_HELP = ("where ratings go: file:/folder (one JSON file per rating: what would be sent) or the "
               "province's https:// endpoint")


def register(sub: argparse._SubParsersAction, add_db: Callable[..., None]) -> None:  # type: ignore[type-arg]
    fwd = sub.add_parser("forward-ratings", help="forward waiting ratings to the provincial 好差评 system",
                         description="One pass over the ratings the province has not taken yet. A refused "
                                     "rating is recorded with the province's answer; one that could not be "
                                     "sent waits for the next pass. Exit 0 all sent, 3 some refused or left, "
                                     "1 none could be sent.",
                         epilog="example: hallclient central forward-ratings --to file:/var/lib/hall/province "
                                "--db sqlite:///central.db")
    fwd.add_argument("--to", required=True, metavar="TARGET", help=TARGET_HELP)
    fwd.add_argument("--token", default="", help="the province's access token, if it needs one")
    fwd.add_argument("--region", default="411571000000", help="the hall's 12-digit region code")
    fwd.add_argument("--json", action="store_true")
    add_db(fwd)
    fwd.set_defaults(handler=_forward)


def _forward(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central.crypto import CaseCipher
    from hallclient.central.provincial import HallIdentity, adapter_from_settings, forward_pending
    from hallclient.central.records_store import forward_states
    from hallclient.cli.central_cmd import open_with_keys

    store, keys = open_with_keys(args, data_dir)
    try:
        result = forward_pending(store.session, adapter_from_settings(args.to, args.token), CaseCipher(keys),
                                 HallIdentity(region_code=args.region))
        with store.session() as session:
            states: dict[str, Any] = forward_states(session)
    finally:
        store.close()
    if result.busy:
        print("另一个中心进程正在转发评价，本次未转发；稍后再试", file=sys.stderr)
    summary = {"sent": result.sent, "refused": result.refused, "retry_later": result.retry_later, "states": states}
    print(json.dumps(summary, ensure_ascii=False) if args.json else
          f"已转发 {result.sent} 条，被省平台拒收 {result.refused} 条，待重试 {result.retry_later} 条；"
          f"累计：{states}")
    if result.retry_later and not result.sent:
        return 1
    return EXIT_PARTIAL if result.refused or result.retry_later else 0
