"""`hallclient backup list|now|restore`: the window database's backups from the command line.

These commands never open the database through the store (no migration, no seeding), so they
also work when the database is damaged — which is when `restore` is needed. Exit status 1 with
a Chinese message on stderr when a backup cannot be made or restored.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hallclient.cli.common import EXIT_USAGE, CommandError, add_data_dir


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backup = commands.add_parser(
        "backup", help="list, make or restore backups of the window's database",
        description="Backups of the window's database: the newest `backup_count` are kept in "
                    "`backup_dir` (settings; default DATA_DIR/backups).")
    add_data_dir(backup)
    sub = backup.add_subparsers(dest="backup_command", metavar="ACTION", required=True)

    ls = sub.add_parser("list", help="show the backups, newest first",
                        description="Show the backups, newest first, with their time, kind and size.")
    ls.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_data_dir(ls)
    ls.set_defaults(handler=_list)

    now = sub.add_parser("now", help="back up the database now",
                         description="Make a backup now (SQLite online backup, checked before it is kept) "
                                     "and rotate out the oldest.")
    add_data_dir(now)
    now.set_defaults(handler=_now)

    restore = sub.add_parser(
        "restore", help="replace the database with a backup",
        description="Replace the database with FILE (a path, or a name from `backup list`). FILE is "
                    "checked first; the current database is backed up (or kept aside when damaged); the "
                    "case-number counters never go back. Close every hallclient window first.")
    restore.add_argument("file", metavar="FILE")
    add_data_dir(restore)
    restore.set_defaults(handler=_restore)


def _places(data_dir: Path | None) -> tuple[Path, Path, object]:
    from hallclient.paths import default_data_dir
    from hallclient.settings import Settings
    from hallclient.store.backup import backup_dir_for
    from hallclient.store.database import DB_FILENAME

    directory = Path(data_dir) if data_dir else default_data_dir()
    settings = Settings.load(directory) if directory.is_dir() else Settings()
    return directory / DB_FILENAME, backup_dir_for(directory, settings.backup_dir), settings


def _list(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.store.backup import list_backups

    db_path, backup_dir, _settings = _places(data_dir)
    backups = list_backups(backup_dir, db_path.parent)
    if args.json:
        print(json.dumps([b.to_json() for b in backups], ensure_ascii=False, indent=2))
        return 0
    if not backups:
        print(f"没有备份（备份目录：{backup_dir}）")
        return 0
    for info in backups:
        print(f"{info.created_at:%Y-%m-%d %H:%M:%S}\t{info.label}\t{info.size}\t{info.path}")
    return 0


def _now(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.store.backup import backup_database

    db_path, backup_dir, settings = _places(data_dir)
    if not db_path.exists():
        raise CommandError(f"数据库文件不存在：{db_path}\n没有可备份的内容。")
    target = backup_database(db_path, backup_dir, keep=settings.backup_count)  # type: ignore[attr-defined]
    print(f"已备份：{target}")
    return 0


def _resolve(name: str, backup_dir: Path) -> Path:
    given = Path(name).expanduser()
    if given.exists() or given.is_absolute() or len(given.parts) > 1:
        return given
    return backup_dir / name


def _restore(args: argparse.Namespace, data_dir: Path | None) -> int:
    from hallclient.store.backup import restore_backup

    db_path, backup_dir, settings = _places(data_dir)
    source = _resolve(args.file, backup_dir)
    if not source.exists():
        raise CommandError(f"备份文件不存在：{source}\n请用 hallclient backup list 查看可用的备份。", EXIT_USAGE)
    result = restore_backup(db_path, source, backup_dir,
                            number_pattern=settings.case_number_pattern)  # type: ignore[attr-defined]
    print(f"已从备份恢复：{result.restored_from}")
    if result.previous_kept_as is not None:
        what = "已损坏的原数据库保留为" if result.previous_damaged else "原数据库已备份为"
        print(f"{what}：{result.previous_kept_as}")
    for year, seq in sorted(result.counters.items()):
        print(f"{year} 年受理编号从第 {seq + 1} 号起继续（不会重复使用）")
    print("备份之后受理的办件将在下次与中心服务同步时找回。")
    return 0
