"""`hallclient central --workers N` without starting workers: what the command refuses, what each
worker is handed (picklable uvicorn settings, the environment its factory reads), and the rating
forwarder's one pass at a time. The real two-worker run is test_queue_workers_pg."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from hallclient.central import workers
from hallclient.central.accounts import TokenCache
from hallclient.central.database import open_central
from hallclient.central.http_limits import HttpLimits
from hallclient.central.provincial import FileAdapter, HallIdentity, _one_pass, forward_pending
from hallclient.central.workers import SERVE_ENV, ServeSettings, uvicorn_options, worker_app
from hallclient.cli import main


def test_sqlite_is_served_by_one_process_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["central", "--workers", "2", "--db", f"sqlite:///{tmp_path / 'central.db'}",
                 "--data-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "SQLite 数据库只能由一个中心进程服务" in err and "PostgreSQL" in err
    assert "hallclient central: http" not in out  # refused before anything was served


@pytest.mark.parametrize(("argument", "said"), [
    (["--limiter-storage", "nosuch://here"], "取号机限流存储无效"),
    (["--workers", "0"], "1–1000"),
    (["--token-cache-seconds", "-1"], "0–3600"),
])
def test_wrong_serving_options_are_refused(argument: list[str], said: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["central", *argument, "--data-dir", str(tmp_path)])
    except SystemExit as exit_:  # argparse's own refusal
        code = int(exit_.code or 0)
    assert code == 2
    assert said in capsys.readouterr().err


def test_a_worker_builds_its_app_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = ServeSettings(db_url=f"sqlite:///{tmp_path / 'central.db'}", key_file=str(tmp_path / "central.key"),
                             workers=3, max_body_bytes=12345, max_publish_bytes=54321, api_docs=True,
                             limiter_storage="memory://", token_cache_seconds=0.0, pool_size=4, log_level="warning")
    monkeypatch.setenv(SERVE_ENV, settings.to_env())
    assert ServeSettings.from_env() == settings
    monkeypatch.setattr(workers, "_worker_logging", lambda level: None)  # not this test process's root logger
    app = worker_app()
    try:
        assert app.state.http == HttpLimits(max_body_bytes=12345, max_publish_bytes=54321, api_docs=True)
        assert app.state.queue.limiter_storage == "memory://"
        assert isinstance(app.state.tokens, TokenCache) and app.state.tokens.ttl == 0.0
        assert workers.WorkerProtocol.header_timeout == HttpLimits().header_timeout
        assert (tmp_path / "central.key").exists()  # the keys from the key file, read by the worker itself
    finally:
        app.state.store.close()


def test_every_worker_gets_the_same_limits_and_tls(tmp_path: Path) -> None:
    """uvicorn pickles its Config for each spawned worker: the protocol is an import string, the
    certificate paths and the limits plain values; the worker's app comes from the factory."""
    import uvicorn

    settings = ServeSettings(db_url="postgresql+psycopg://u@h/db", workers=2)
    options = uvicorn_options(settings, "127.0.0.1", 8765, certfile=tmp_path / "c.pem", keyfile=tmp_path / "k.pem",
                              access_log=False)
    config = pickle.loads(pickle.dumps(uvicorn.Config(workers.FACTORY, **options)))
    assert config.workers == 2 and config.factory and config.app == workers.FACTORY
    assert config.ssl_certfile == str(tmp_path / "c.pem") and config.ssl_keyfile == str(tmp_path / "k.pem")
    assert config.http == workers.WORKER_PROTOCOL and config.timeout_keep_alive == HttpLimits().keep_alive_timeout
    assert config.h11_max_incomplete_event_size == HttpLimits().max_header_bytes and config.access_log is False
    assert "[%(process)d]" in config.log_config["formatters"]["access"]["fmt"]
    single = uvicorn_options(ServeSettings(db_url="sqlite://"), "127.0.0.1", 8765)
    assert "workers" not in single and "ssl_certfile" not in single


def test_one_rating_forwarding_pass_at_a_time(central_db_url: str, tmp_path: Path) -> None:
    """Every worker forwards ratings; on PostgreSQL a pass while another holds the lock does nothing."""
    store = open_central(central_db_url)
    try:
        adapter = FileAdapter(tmp_path / "province")
        with _one_pass(store.session) as mine:
            assert mine
            during = forward_pending(store.session, adapter, None, HallIdentity())
        after = forward_pending(store.session, adapter, None, HallIdentity())
    finally:
        store.close()
    assert during.busy is (store.engine.dialect.name == "postgresql")
    assert not after.busy and after.sent == 0
