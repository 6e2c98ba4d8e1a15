"""A window process killed (SIGKILL) while applying a 20,000-item catalog: afterwards the
catalog is entirely the old one or entirely the new one, never a mix."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.synthetic_catalog import synthetic_catalog
from hallclient.central import feed
from hallclient.core.catalog_format import parse_catalog
from hallclient.store import catalog_repo
from hallclient.store.catalog_sync import FEED_VERSION, read_feed_state
from hallclient.store.database import Store, get_meta
from hallclient.store.models import MaterialRow
from hallclient.sync.catalog_pull import pull_catalog
from hallclient.sync.client import CentralClient
from tests.central.support import start_central
from tests.conftest import small_catalog

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
ROOT = Path(__file__).resolve().parents[2]
NEW_VERSION = 100

PULL = textwrap.dedent("""
    import sys
    from pathlib import Path
    from hallclient.store.database import Store
    from hallclient.sync.catalog_pull import pull_catalog
    from hallclient.sync.client import CentralClient

    def progress(phase, done, total):
        if phase == "apply" and done == 0:
            print("APPLYING", flush=True)

    store = Store.open_file(Path(sys.argv[1]))
    with CentralClient(sys.argv[2], sys.argv[3]) as client:
        pull_catalog(store, client, page_size=5000, progress=progress)
    print("DONE", flush=True)
""")


def state_of(db: Path) -> tuple[int, int, int, int]:
    """(catalog version, version the feed reached, items, materials) of a window database."""
    store = Store.open_file(db)
    try:
        with store.session() as session:
            version = read_feed_state(session).catalog_version
            feed_version = int(get_meta(session, FEED_VERSION) or 0)
            items = catalog_repo.item_count(session)
            materials = session.execute(select(func.count()).select_from(MaterialRow)).scalar_one()
            if version == 7:  # the old catalog, whole and exactly as it was
                assert catalog_repo.export_catalog(session) == parse_catalog(small_catalog())
        return version, feed_version, items, int(materials)
    finally:
        store.close()


def test_sigkill_mid_apply_leaves_old_or_new_never_a_mix(tmp_path: Path) -> None:
    central = start_central(f"sqlite:///{tmp_path / 'central.db'}")
    try:
        with central.store.session() as session, session.begin():
            feed.publish(session, parse_catalog(small_catalog()))
        pristine = tmp_path / "pristine.db"
        window = Store.open_file(pristine)
        with CentralClient(central.url, central.window_token) as http:
            pull_catalog(window, http)
        window.close()  # checkpoints the WAL: the file alone is the whole database
        with central.store.session() as session, session.begin():
            feed.publish(session, parse_catalog(synthetic_catalog(20_000, version=NEW_VERSION)))

        outcomes = []
        for attempt, delay in enumerate((0.05, 0.3, 0.8, None)):
            db = tmp_path / f"attempt{attempt}" / "hallclient.db"
            db.parent.mkdir()
            shutil.copy(pristine, db)
            proc = subprocess.Popen([sys.executable, "-c", PULL, str(db), central.url, central.window_token],
                                    cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "APPLYING", proc.stderr.read() if proc.stderr else ""
            killed_mid_apply = False
            if delay is not None:  # None: left alone to finish
                time.sleep(delay)
                killed_mid_apply = proc.poll() is None
                if killed_mid_apply:
                    os.kill(proc.pid, signal.SIGKILL)
            proc.wait(60)
            outcomes.append((killed_mid_apply, state_of(db)))
    finally:
        central.stop()
        central.store.close()
    old = (7, 7, 6, 11)
    new = (NEW_VERSION, NEW_VERSION, 20_000, 200_000)
    assert all(state in (old, new) for _, state in outcomes), outcomes
    assert any(mid for mid, _ in outcomes), f"no kill landed during the apply: {outcomes}"
    assert any(mid and state == old for mid, state in outcomes), outcomes
    assert outcomes[-1] == (False, new)  # left alone, the same download completes
