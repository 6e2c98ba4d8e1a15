"""Fixtures: a real central service on a loopback port (SQLite, and PostgreSQL when
HALLCLIENT_TEST_PG_URL is set) and a window's own SQLite store."""

from tests.central.support import central, central_db_url, central_keys_in_tmp, window_store  # noqa: F401
