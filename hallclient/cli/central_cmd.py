"""`hallclient central`: run the central service, publish a catalog, manage window accounts.

    hallclient central [--host 127.0.0.1] [--port 8765] [--db URL] [--catalog FILE] [--workers N]
    hallclient central publish FILE [--db URL]
    hallclient central add-window NUMBER [--name NAME] [--admin] [--db URL]
    hallclient central new-token NUMBER [--db URL]
    hallclient central load-calendar FILE [--db URL]
    hallclient central users add|list|disable|enable|reset-password|roles … [--db URL]
    hallclient central authorisation set LOGIN --department D … | show LOGIN [--json] [--db URL]
    hallclient central audit verify|list … [--db URL]

The database is SQLite (`<data dir>/central.db`) unless --db (or HALLCLIENT_CENTRAL_DB) names
another, e.g. postgresql+psycopg://hall:secret@db.example/hall. Personal data and the audit
chain are keyed by a secret kept off the database: in the keyring or the user's key directory
under the database's URL, or in the file named by --key-file (created 0600 when missing).

`--workers N` serves the API from N processes on one port (PostgreSQL only; see
docs/scaling.md and hallclient.central.workers for what each process keeps to itself).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hallclient.cli.common import EXIT_USAGE, CommandError, add_data_dir

DB_ENV = "HALLCLIENT_CENTRAL_DB"
LIMITER_ENV = "HALLCLIENT_LIMITER_STORAGE"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
MAX_WORKERS = 64


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"需要一个正整数：{text}") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"需要 1–1000 之间的整数：{text}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"需要秒数：{text}") from None
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"需要 0–3600 之间的秒数：{text}")
    return value


def _add_db(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    parser.add_argument("--db", metavar="URL", default=None if top_level else argparse.SUPPRESS,
                        help=f"database URL (default: ${DB_ENV}, else sqlite:///<data dir>/central.db)")
    parser.add_argument("--key-file", metavar="FILE", type=Path, default=None if top_level else argparse.SUPPRESS,
                        help="the database's key file (default: keyring, else the user's key directory)")
    add_data_dir(parser)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    central = commands.add_parser(
        "central", help="run the central service (catalog feed, calendar, case intake, accounts)",
        description="Run the hall's central service: an HTTP API (OpenAPI at /openapi.json, docs at /docs) "
                    "on SQLite or PostgreSQL. Every request needs a window token except /api/v1/health.")
    central.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    central.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    central.add_argument("--certfile", type=Path, help="serve HTTPS with this certificate (PEM; make-cert server)")
    central.add_argument("--keyfile", type=Path, help="the certificate's private key (PEM)")
    central.add_argument("--api-docs", action="store_true", help="serve /docs and /openapi.json (off by default)")
    central.add_argument("--max-body-mb", type=float, default=2, help="largest request body (default 2 MB)")
    central.add_argument("--max-publish-mb", type=float, default=64,
                         help="largest catalog an administrator may publish (default 64 MB)")
    central.add_argument("--province", metavar="TARGET", default="",
                         help="forward ratings in the background: file:/folder or the province's URL")
    central.add_argument("--catalog", metavar="FILE", type=Path,
                         help="publish this catalog file before serving (no change: no new version)")
    central.add_argument("--workers", type=_positive_int, default=1, metavar="N",
                         help="serve from N processes on the one port (PostgreSQL only; default 1)")
    central.add_argument("--pool-size", type=_positive_int, default=None, metavar="N",
                         help="database connections each process keeps open (default 40, plus 10 on a burst); "
                              "workers × (pool size + 10) must fit PostgreSQL's max_connections")
    central.add_argument("--limiter-storage", metavar="URI", default=None,
                         help=f"where the kiosk's per-minute limits are counted (default ${LIMITER_ENV}, else "
                              "memory://: per process, so N workers allow N times the limit; "
                              "redis://host:6379 is shared by all, needs the redis package)")
    central.add_argument("--token-cache-seconds", type=_seconds, default=5.0, metavar="S",
                         help="how long a process trusts a token it looked up (default 5; 0: never): a token "
                              "rotated or an account disabled through another process works at most this long")
    central.add_argument("--log-level", choices=LOG_LEVELS, default="info", help="server log level (default info)")
    central.add_argument("--no-access-log", action="store_true", help="no line per request on the console")
    _add_db(central, top_level=True)
    central.set_defaults(handler=_serve)
    sub = central.add_subparsers(dest="central_command", metavar="ACTION")
    from hallclient.cli import cert_cmd

    cert_cmd.register(sub)

    publish = sub.add_parser("publish", help="publish a catalog file (only changed items get a new version)")
    publish.add_argument("file", metavar="FILE", type=Path)
    _add_db(publish)
    publish.set_defaults(handler=_publish)

    add = sub.add_parser("add-window", help="add a window account and print its token (shown once)")
    add.add_argument("number", metavar="NUMBER", help="the window number, e.g. 3")
    add.add_argument("--name", default="", help="a label, e.g. 综合窗口3")
    add.add_argument("--admin", action="store_true", help="an administrator account (may publish, add windows)")
    _add_db(add)
    add.set_defaults(handler=_add_window)

    token = sub.add_parser("new-token", help="issue a new token for a window (the old one stops working)")
    token.add_argument("number", metavar="NUMBER")
    _add_db(token)
    token.set_defaults(handler=_new_token)

    calendar = sub.add_parser("load-calendar", help="load a year's holiday arrangement for the windows")
    calendar.add_argument("file", metavar="FILE", type=Path)
    _add_db(calendar)
    calendar.set_defaults(handler=_load_calendar)

    from hallclient.cli import central_people_cmd

    central_people_cmd.register(sub, _add_db)
    from hallclient.cli import central_authorisation_cmd

    central_authorisation_cmd.register(sub, _add_db)
    from hallclient.cli import province_cmd

    province_cmd.register(sub, _add_db)
    from hallclient.cli import stats_cmd

    stats_cmd.register_central(sub, _add_db, _open)


def database_url(args: argparse.Namespace, data_dir: Path | None) -> str:
    if getattr(args, "db", None):
        return str(args.db)
    if os.environ.get(DB_ENV):
        return os.environ[DB_ENV]
    from hallclient.paths import default_data_dir

    directory = data_dir or default_data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'central.db'}"


def _keys(args: argparse.Namespace, url: str):  # type: ignore[no-untyped-def]
    from hallclient.central.crypto import central_keys
    from hallclient.security.keys import KeyUnavailable

    try:
        return central_keys(url, getattr(args, "key_file", None))
    except (OSError, ValueError, KeyUnavailable) as exc:
        raise CommandError(f"无法读取中心数据库的密钥：{exc}") from exc


def open_with_keys(args: argparse.Namespace, data_dir: Path | None):  # type: ignore[no-untyped-def]
    """The central store and its keys (personal data, audit chain)."""
    from hallclient.central.crypto import WrongKey, check_keys

    url = database_url(args, data_dir)
    keys = _keys(args, url)
    store = _open(args, data_dir, keys=keys)
    try:
        check_keys(store, keys)
    except WrongKey as exc:
        store.close()
        raise CommandError(str(exc)) from exc
    return store, keys


def _open(args: argparse.Namespace, data_dir: Path | None, keys=None):  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import ArgumentError, OperationalError

    from hallclient.central.database import open_central
    from hallclient.store.database import SchemaTooNewError

    url = database_url(args, data_dir)
    if keys is None and getattr(args, "key_file", None):
        keys = _keys(args, url)
    try:
        return open_central(url, keys=keys)
    except (ArgumentError, ModuleNotFoundError) as exc:
        raise CommandError(f"数据库地址无效：{url}（{exc}）", EXIT_USAGE) from exc
    except (OperationalError, SchemaTooNewError) as exc:
        raise CommandError(f"无法打开中心数据库：{exc}") from exc


def _publish_file(store, path: Path) -> str:  # type: ignore[no-untyped-def]
    from hallclient.central.publish import PublishBusy, publish_catalog
    from hallclient.core.catalog_format import CatalogFormatError, load_catalog_file

    try:
        catalog = load_catalog_file(path)
        result, _times = publish_catalog(store, catalog)  # as the API's publish: prepared once per distinct piece
    except PublishBusy as exc:
        raise CommandError(str(exc)) from exc
    except CatalogFormatError as exc:
        raise CommandError(f"refused, central catalog unchanged: {exc}", EXIT_USAGE) from exc
    if not result.changed:
        return f"catalog unchanged (version {result.version_after})"
    return (f"catalog version {result.version_before} → {result.version_after}: {len(result.added)} added, "
            f"{len(result.updated)} updated, {len(result.removed)} removed"
            + (", bundles changed" if result.bundles_changed else ""))


def _serve(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central.database import POOL_OVERFLOW, POOL_SIZE, sqlite_file
    from hallclient.central.http_limits import MB
    from hallclient.central.workers import ServeSettings, connection_budget, serve

    if bool(args.certfile) != bool(args.keyfile):
        raise CommandError("--certfile 与 --keyfile 需同时给出", EXIT_USAGE)
    for path in (args.certfile, args.keyfile):
        if path is not None and not path.is_file():
            raise CommandError(f"找不到证书文件：{path}", EXIT_USAGE)
    url = database_url(args, data_dir)
    workers = args.workers
    if workers > MAX_WORKERS:
        raise CommandError(f"--workers 最多 {MAX_WORKERS} 个进程", EXIT_USAGE)
    if workers > 1 and (sqlite_file(url) is not None or url.startswith("sqlite")):
        raise CommandError(
            "SQLite 数据库只能由一个中心进程服务：同一进程内的写入按顺序排队，"
            "多个进程则会在 SQLite 的写锁上轮询等待，叫号变慢甚至答复“数据库忙”。"
            "多进程请改用 PostgreSQL（--db postgresql+psycopg://…），或去掉 --workers。", EXIT_USAGE)
    storage = args.limiter_storage or os.environ.get(LIMITER_ENV) or "memory://"
    _check_limiter_storage(storage)
    if args.province:
        from hallclient.central.provincial import adapter_from_settings

        adapter_from_settings(args.province)  # a bad target is refused before serving
    store, keys = open_with_keys(args, data_dir)
    try:
        if args.catalog:
            print(_publish_file(store, args.catalog), flush=True)
        if workers > 1:
            warning = connection_budget(store.engine, workers, args.pool_size or POOL_SIZE, POOL_OVERFLOW)
            if warning:
                print(warning, file=sys.stderr, flush=True)
    finally:
        store.close()  # each serving process opens its own
    if workers > 1 and storage.startswith("memory://"):
        print(f"提示：取号机每分钟限额按进程计数（memory://）：{workers} 个进程时一台取号机最多可取 {workers} 倍；"
              f"需要准确限额请用 --limiter-storage redis://…", file=sys.stderr, flush=True)
    _check_port_free(args.host, args.port)  # before the banner: a taken port is said in Chinese
    settings = ServeSettings(
        db_url=url, key_file=str(args.key_file) if args.key_file else None, workers=workers,
        max_body_bytes=int(args.max_body_mb * MB), max_publish_bytes=int(args.max_publish_mb * MB),
        api_docs=args.api_docs, province=args.province, limiter_storage=storage,
        token_cache_seconds=args.token_cache_seconds, pool_size=args.pool_size, log_level=args.log_level)
    scheme = "https" if args.certfile else "http"
    docs = "OpenAPI: /openapi.json, docs: /docs" if args.api_docs else "API docs off (--api-docs)"
    processes = f"; {workers} worker processes" if workers > 1 else ""
    print(f"hallclient central: {scheme}://{args.host}:{args.port}/api/v1 ({docs}); "
          f"ticket dispenser: /kiosk, hall board: /board{processes}", flush=True)
    serve(settings, args.host, args.port, certfile=args.certfile, keyfile=args.keyfile,
          access_log=not args.no_access_log, keys=keys)
    return 0


def _check_limiter_storage(uri: str) -> None:
    """The kiosk limiter's storage, tried now: a wrong one would fail every kiosk ticket later."""
    from limits.errors import ConfigurationError
    from limits.storage import storage_from_string

    try:
        reachable = storage_from_string(uri).check()
    except (ConfigurationError, ValueError, ImportError) as exc:
        raise CommandError(f"取号机限流存储无效：{uri}（{exc}）", EXIT_USAGE) from exc
    except Exception as exc:  # the storage's own connection errors
        raise CommandError(f"无法连接取号机限流存储：{uri}（{exc}）") from exc
    if not reachable:
        raise CommandError(f"无法连接取号机限流存储：{uri}")


def _check_port_free(host: str, port: int) -> None:
    """CommandError in Chinese when HOST:PORT cannot be bound (taken, not this machine's, no right)."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise CommandError(f"无法解析监听地址 {host}：{error}", EXIT_USAGE) from error
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            why = {errno.EADDRINUSE: "端口已被占用（另一个中心服务或其他程序正在使用）",
                   errno.EACCES: "没有权限使用该端口（1024 以下的端口需要管理员权限）",
                   errno.EADDRNOTAVAIL: "该地址不属于本机"}.get(error.errno or 0, error.strerror or str(error))
            raise CommandError(f"中心服务无法在 {host}:{port} 上监听：{why}。请换一个端口（--port）或先停止占用它的程序。",
                               1) from error


def _publish(args: argparse.Namespace, data_dir: Path | None) -> int:
    store = _open(args, data_dir)
    try:
        print(_publish_file(store, args.file))
    finally:
        store.close()
    return 0


def _add_window(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central.accounts import AccountExists, create_account
    from hallclient.central.schemas import AccountCreate

    try:
        AccountCreate(window_number=args.number, name=args.name)
    except ValueError as exc:
        raise CommandError(f"窗口编号或名称无效（编号为 1–16 位字母、数字、- 或 _）：{args.number}", EXIT_USAGE) from exc
    store = _open(args, data_dir)
    try:
        with store.session() as session, session.begin():
            token = create_account(session, args.number, args.name, "admin" if args.admin else "window")
    except AccountExists as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    finally:
        store.close()
    print(token)
    return 0


def _new_token(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.central.accounts import AccountNotFound, rotate_token

    store = _open(args, data_dir)
    try:
        with store.session() as session, session.begin():
            token = rotate_token(session, args.number)
    except AccountNotFound as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    finally:
        store.close()
    print(token)
    return 0


def _load_calendar(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.core.workdays import read_year_file
    from hallclient.store.calendar_repo import save_year

    try:
        arrangement = read_year_file(args.file)
    except (OSError, ValueError) as exc:
        raise CommandError(f"refused: {exc}", EXIT_USAGE) from exc
    store = _open(args, data_dir)
    try:
        with store.session() as session, session.begin():
            save_year(session, arrangement)
    finally:
        store.close()
    print(f"loaded {arrangement.year} for the windows: {len(arrangement.holidays)} holidays, "
          f"{len(arrangement.workdays)} make-up working days")
    return 0
