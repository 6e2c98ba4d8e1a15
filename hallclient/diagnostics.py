"""诊断信息: one ZIP for support with the logs, versions and settings of a window.

`export_diagnostics(data_dir, out_file)` writes the ZIP (crash-safe: temp file, fsync, rename)
and returns what it holds. It never contains the database, the keys, passwords, tokens or
personal data: settings that name a person or a secret are replaced by whether they are set,
the logs are masked again (ID numbers, USCCs, mobile numbers, tokens; older logs may predate the
masking filter), and the database is described only by its size, schema version and row counts.
No Qt: the window's Help menu and `hallclient diagnostics OUTFILE` call the same function.
"""

from __future__ import annotations

import io
import json
import os
import platform
import sqlite3
import sys
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

# Settings whose values name a person or are secrets: exported as "已设置"/"未设置" only.
REDACTED_SETTINGS = frozenset({"central_token", "clerk_name", "last_login"})
_SECRET_WORDS = ("password", "token", "secret", "passphrase", "credential", "private", "pin")
REDACTED = "（已隐去：{state}）"
# Environment variables worth seeing (values of secret-looking ones are never written).
_ENV_PREFIXES = ("HALLCLIENT_", "QT_", "LANG", "LC_", "XDG_SESSION_TYPE", "WAYLAND_DISPLAY", "DISPLAY")
_PACKAGES = ("hallclient", "PySide6-Essentials", "PySide6-Addons", "shiboken6", "SQLAlchemy", "reportlab",
             "qrcode", "requests", "cryptography", "argon2-cffi", "keyring", "pypinyin", "chinesecalendar",
             "platformdirs", "fastapi", "uvicorn", "psycopg")


@dataclass
class DiagnosticsReport:
    path: Path
    members: list[str] = field(default_factory=list)


def _is_secret(name: str) -> bool:
    lowered = name.lower()
    return name in REDACTED_SETTINGS or any(word in lowered for word in _SECRET_WORDS)


def _without_userinfo(url: str) -> str:
    """An address without `user:password@` (a central URL should never carry one)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "（地址无法解析）"
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, "", ""))
    return url


def redacted_settings(data_dir: Path) -> dict[str, Any]:
    """The settings file as loaded, with secrets and personal values replaced."""
    from hallclient.logging_setup import mask
    from hallclient.settings import Settings

    values = asdict(Settings.load(data_dir))
    out: dict[str, Any] = {}
    for name, value in values.items():
        if _is_secret(name):
            out[name] = REDACTED.format(state="已设置" if value else "未设置")
        elif name == "central_url" and isinstance(value, str):
            out[name] = _without_userinfo(value)
        elif isinstance(value, str):
            out[name] = mask(value)
        else:
            out[name] = value
    return out


def versions() -> dict[str, Any]:
    from importlib import metadata

    from hallclient import __version__
    from hallclient.paths import is_frozen

    packages: dict[str, str] = {}
    for name in _PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = "未安装"
    info: dict[str, Any] = {
        "hallclient": __version__,
        "frozen_bundle": is_frozen(),
        "python": sys.version,
        "executable": sys.executable,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "sqlite": sqlite3.sqlite_version,
        "packages": packages,
    }
    try:  # the Qt version without starting Qt (no QApplication, no display needed)
        from PySide6 import QtCore
        from PySide6 import __version__ as pyside_version

        info["qt"] = QtCore.qVersion()
        info["pyside6"] = pyside_version
    except ImportError:
        info["qt"] = "未安装"
    try:
        from hallclient.store.database import SCHEMA_VERSION

        info["schema_version_supported"] = SCHEMA_VERSION
    except ImportError:  # pragma: no cover - the store is always there
        pass
    return info


def database_summary(db_path: Path) -> dict[str, Any]:
    """Size, schema version and row counts, read-only; never a row's content."""
    if not db_path.exists():
        return {"exists": False}
    summary: dict[str, Any] = {"exists": True, "bytes": db_path.stat().st_size}
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            summary[f"bytes{suffix}"] = side.stat().st_size
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
    except sqlite3.Error as error:
        summary["error"] = str(error)
        return summary
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        summary["schema_version"] = row[0] if row else None
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        summary["rows"] = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        summary["journal_mode"] = conn.execute("PRAGMA journal_mode").fetchone()[0]
    except sqlite3.Error as error:
        summary["error"] = str(error)
    finally:
        conn.close()
    return summary


def environment(data_dir: Path) -> dict[str, Any]:
    import shutil

    env = {}
    for name, value in sorted(os.environ.items()):
        if name.startswith(_ENV_PREFIXES):
            env[name] = REDACTED.format(state="已设置") if _is_secret(name) else value
    try:
        usage = shutil.disk_usage(data_dir)
        disk: dict[str, Any] = {"free_bytes": usage.free, "total_bytes": usage.total}
    except OSError as error:
        disk = {"error": str(error)}
    backups = data_dir / "backups"
    return {
        "data_dir": str(data_dir),
        "disk": disk,
        "backups": len(list(backups.glob("*"))) if backups.is_dir() else 0,
        "environment": env,
        "keyring": _keyring_backend(),
    }


def _keyring_backend() -> str:
    try:
        import keyring

        return type(keyring.get_keyring()).__module__ + "." + type(keyring.get_keyring()).__name__
    except Exception as error:  # keyring's backends fail in many ways; say which
        return f"不可用：{type(error).__name__}"


def _log_files(data_dir: Path) -> list[Path]:
    from hallclient.logging_setup import LOG_DIRNAME

    folder = data_dir / LOG_DIRNAME
    return sorted(p for p in folder.glob("*.log*") if p.is_file()) if folder.is_dir() else []


def export_diagnostics(data_dir: Path, out_file: Path) -> DiagnosticsReport:
    """Write the ZIP to `out_file` and return its members (in the order written)."""
    from hallclient.atomicfile import write_atomic
    from hallclient.logging_setup import mask
    from hallclient.store.database import DB_FILENAME

    data_dir = Path(data_dir)
    report = DiagnosticsReport(path=Path(out_file))
    buffer = io.BytesIO()

    def add(name: str, text: str) -> None:
        archive.writestr(name, text.encode("utf-8"))
        report.members.append(name)

    def as_json(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n"

    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        add("README.txt", _readme())
        add("versions.json", as_json(versions()))
        add("settings.json", as_json(redacted_settings(data_dir)))
        add("database.json", as_json(database_summary(data_dir / DB_FILENAME)))
        add("environment.json", as_json(environment(data_dir)))
        for log in _log_files(data_dir):
            try:
                text = log.read_text(encoding="utf-8", errors="replace")
            except OSError as error:
                text = f"（无法读取：{error}）\n"
            add(f"logs/{log.name}", "\n".join(mask(line) for line in text.splitlines()) + "\n")
    write_atomic(report.path, buffer.getvalue())
    return report


def _readme() -> str:
    return (
        "hallclient 诊断信息\n"
        f"生成时间：{datetime.now().astimezone().isoformat(timespec='seconds')}\n\n"
        "内容：版本（versions.json）、窗口设置（settings.json，令牌与人员姓名已隐去）、\n"
        "数据库概况（database.json，仅大小、结构版本与各表行数，不含任何记录内容）、\n"
        "运行环境（environment.json）和日志（logs/，身份证号、统一社会信用代码、手机号、令牌已打码）。\n"
        "不含数据库文件、密钥、口令或申请人的个人信息。\n"
    )
