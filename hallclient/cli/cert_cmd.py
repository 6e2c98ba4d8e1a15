"""`hallclient central make-cert`: a hall CA and the central's server certificate, one command each.

    hallclient central make-cert ca --out /etc/hallclient/tls [--hall 信阳高新区政务服务中心]
    hallclient central make-cert server --ca /etc/hallclient/tls --host 10.0.0.5 --host central.hall.lan
    hallclient central --host 0.0.0.0 --certfile /etc/hallclient/tls/central.pem \\
                       --keyfile /etc/hallclient/tls/central.key

Copy hall-ca.pem (never the .key) to each window and set `central_ca_file` to it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hallclient.cli.common import EXIT_USAGE, CommandError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cert = sub.add_parser("make-cert", help="make a hall CA, or a server certificate signed by it (for HTTPS)")
    kinds = cert.add_subparsers(dest="cert_kind", metavar="KIND", required=True)
    ca = kinds.add_parser("ca", help="a new hall CA: hall-ca.pem (for the windows) and hall-ca.key (keep it safe)")
    ca.add_argument("--out", type=Path, required=True, metavar="DIR")
    ca.add_argument("--hall", default="政务服务中心", help="the hall's name, in the certificate")
    ca.add_argument("--days", type=int, default=3650)
    ca.set_defaults(handler=_make_ca)
    server = kinds.add_parser("server", help="central.pem / central.key for the central, signed by the hall CA")
    server.add_argument("--ca", type=Path, required=True, metavar="DIR", help="where hall-ca.pem and hall-ca.key are")
    server.add_argument("--host", action="append", required=True,
                        help="a name or IP address windows use to reach the central (repeatable)")
    server.add_argument("--out", type=Path, default=None, metavar="DIR", help="default: the CA's directory")
    server.add_argument("--days", type=int, default=825)
    server.set_defaults(handler=_make_server)


def _make_ca(args: argparse.Namespace, _data_dir: Path | None) -> int:
    from hallclient.central.tls import make_ca

    try:
        cert, key = make_ca(args.out, args.hall, args.days)
    except OSError as exc:
        raise CommandError(f"无法写入证书目录 {args.out}：{exc.strerror or exc}") from exc
    print(f"大厅 CA 证书：{cert}（复制到各窗口，设置 central_ca_file）\n大厅 CA 私钥：{key}（妥善保管，勿外传）")
    return 0


def _make_server(args: argparse.Namespace, _data_dir: Path | None) -> int:
    from hallclient.central.tls import make_server_cert

    try:
        cert, key = make_server_cert(args.ca, args.host, args.out, args.days)
    except FileNotFoundError as exc:
        raise CommandError(f"找不到大厅 CA：{exc.filename}（先运行 hallclient central make-cert ca）", EXIT_USAGE) from exc
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    except OSError as exc:
        raise CommandError(f"无法写入证书：{exc.strerror or exc}") from exc
    print(f"中心服务证书：{cert}\n中心服务私钥：{key}\n"
          f"启动：hallclient central --certfile {cert} --keyfile {key}")
    return 0
