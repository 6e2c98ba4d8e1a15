"""Examples for every command's `--help`, and a description where a command has none.

`apply(parser)` walks the whole command tree once (from `build_parser`): a command without a
description gets its one-line help as description, and every command gets an "examples:"
epilog from EXAMPLES (commands whose description already shows example lines keep theirs).
"""

from __future__ import annotations

import argparse

CASE = "信高新受〔2026〕03000001"
DB = "--db sqlite:///central.db"

EXAMPLES: dict[str, tuple[str, ...]] = {
    "": ("hallclient", "hallclient --window 3", "hallclient --self-test", "hallclient catalog search spjy"),
    "catalog": ("hallclient catalog import 实施清单.json", "hallclient catalog search 食品 --json"),
    "catalog import": ("hallclient catalog import 实施清单.json",
                       "hallclient catalog import /media/usb/catalog.json --data-dir /srv/window3"),
    "catalog export": ("hallclient catalog export 当前清单.json",),
    "catalog search": ("hallclient catalog search 食品经营", "hallclient catalog search spjy --limit 5",
                       "hallclient catalog search 4115001100310 --json"),
    "check": ("hallclient check --item 4115001100310-001 --received application_form,id_card",
              "hallclient check --item 4115001100310-001 --received application_form "
              "--e-license business_license,id_card --json",
              "hallclient check --bundle YJS-411500-001 --defective id_card=已过有效期 --date 2026-12-01"),
    "calendar": ("hallclient calendar load 2027.json", "hallclient calendar show 2027"),
    "calendar load": ("hallclient calendar load 2027.json",),
    "calendar show": ("hallclient calendar show 2026",),
    "documents": ("hallclient documents sample ./样张", f"hallclient documents case {CASE} ./文书"),
    "documents sample": ("hallclient documents sample ./样张",),
    "documents case": (f"hallclient documents case {CASE} ./文书",
                       f"hallclient documents case {CASE} ./文书 --reprint"),
    "documents prereview": ("hallclient documents prereview YS-03-20261201-001 ./预审",),
    "central": ("hallclient central --host 0.0.0.0 --port 8765 " + DB,
                "hallclient central --host 0.0.0.0 --certfile tls/central.pem --keyfile tls/central.key " + DB,
                f"hallclient central add-window 3 {DB}",
                "hallclient central --host 0.0.0.0 --workers 4 --pool-size 12 "
                "--db postgresql+psycopg://hall:secret@db.example/hall"),
    "central make-cert": ("hallclient central make-cert ca --out /srv/hall-tls --hall 信阳高新区政务服务中心",
                          "hallclient central make-cert server --ca /srv/hall-tls --host 10.0.0.5"),
    "central make-cert ca": ("hallclient central make-cert ca --out /srv/hall-tls --hall 信阳高新区政务服务中心",),
    "central make-cert server": ("hallclient central make-cert server --ca /srv/hall-tls --host 10.0.0.5 "
                                 "--host central.hall.lan",),
    "central publish": (f"hallclient central publish 实施清单.json {DB}",),
    "central add-window": (f"hallclient central add-window 3 --name 综合窗口3 {DB}",
                           f"hallclient central add-window 99 --name 管理终端 --admin {DB}"),
    "central new-token": (f"hallclient central new-token 3 {DB}",),
    "central load-calendar": (f"hallclient central load-calendar 2027.json {DB}",),
    "central users": (f"hallclient central users list {DB}",
                      f"printf '%s\\n' \"$PW\" | hallclient central users add li --name 李四 --role clerk "
                      f"--password-stdin {DB}"),
    "central users add": (f"printf '%s\\n' \"$PW\" | hallclient central users add li --name 李四 --role clerk "
                          f"--password-stdin {DB}",),
    "central users list": (f"hallclient central users list --json {DB}",),
    "central users disable": (f"hallclient central users disable li {DB}",),
    "central users enable": (f"hallclient central users enable li {DB}",),
    "central users reset-password": (f"printf '%s\\n' \"$PW\" | hallclient central users reset-password li "
                                     f"--password-stdin {DB}",),
    "central users roles": (f"hallclient central users roles li --role clerk --role proxy {DB}",),
    "central audit": (f"hallclient central audit verify {DB}", f"hallclient central audit list --user li {DB}"),
    "central audit verify": (f"hallclient central audit verify {DB}",),
    "central audit list": (f"hallclient central audit list --case {CASE} --json {DB}",
                           f"hallclient central audit list --since 2026-12-01 --limit 50 {DB}"),
    "central authorisation": (f"hallclient central authorisation show wang {DB}",),
    "central authorisation set": ("hallclient central authorisation set wang --department 信阳高新区市场监督管理局 "
                                  f"--from 2026-12-01 --to 2027-11-30 {DB}",),
    "central authorisation show": (f"hallclient central authorisation show wang --json {DB}",),
    "central forward-ratings": (f"hallclient central forward-ratings --to ./省平台导出 {DB}",),
    "central stats": (f"hallclient central stats --period 2026-Q3 --by window {DB}",),
    "sync": ("hallclient sync", "hallclient sync --central https://10.0.0.5:8765 --token hc_… --save",
             "hallclient sync --json"),
    "backup": ("hallclient backup list", "hallclient backup now"),
    "backup list": ("hallclient backup list --json",),
    "backup now": ("hallclient backup now",),
    "backup restore": ("hallclient backup restore hallclient-20261201-090000.db",),
    "users": ("hallclient users list", "printf '%s\\n' \"$PW\" | hallclient users add li --name 李四 --role clerk "
                                      "--password-stdin"),
    "users add": ("printf '%s\\n' \"$PW\" | hallclient users add admin --name 管理员 --role admin --password-stdin",
                  "printf '%s\\n' \"$PW\" | hallclient users add li --name 李四 --role clerk --password-stdin"),
    "users list": ("hallclient users list --json",),
    "users disable": ("hallclient users disable li",),
    "users reset-password": ("printf '%s\\n' \"$PW\" | hallclient users reset-password li --password-stdin",),
    "users roles": ("hallclient users roles li --role clerk --role proxy",
                    "hallclient users roles wang --role chief --department 信阳高新区市场监督管理局"),
    "case": (f"hallclient case show {CASE}", "hallclient case list --text 李雷 --json"),
    "case create": ("hallclient case create --item 4115001100310-001 --received application_form,id_card,"
                    "business_license --applicant-name 李雷 --applicant-id 11010519491231002X --phone 13812345678",),
    "case show": (f"hallclient case show {CASE} --json",),
    "case approve": (f"hallclient case approve {CASE}",),
    "case deny": (f"hallclient case deny {CASE} --reason 经营场所不符合要求",),
    "case send-back": (f"hallclient case send-back {CASE} --opinion 请补充平面布局图",),
    "case back-office": (f"hallclient case back-office {CASE} --days 10",),
    "case extend": (f"hallclient case extend {CASE} --days 10 --reason 需现场核查",),
    "case list": ("hallclient case list --text 李雷", "hallclient case list --limit 20 --json"),
    "audit": ("hallclient audit verify", "hallclient audit list --user li"),
    "audit verify": ("hallclient audit verify",),
    "audit list": (f"hallclient audit list --case {CASE}", "hallclient audit list --since 2026-12-01 --json"),
    "prereview": ("hallclient prereview list", "hallclient prereview show YS-03-20261201-001"),
    "prereview create": ("hallclient prereview create --item 4115001100310-001 --received application_form "
                         "--missing id_card --applicant-name 李雷 …",),
    "prereview show": ("hallclient prereview show YS-03-20261201-001 --json",),
    "prereview list": ("hallclient prereview list --json",),
    "authorisation": ("hallclient authorisation show wang",),
    "authorisation set": ("hallclient authorisation set wang --department 信阳高新区市场监督管理局 "
                          "--from 2026-12-01 --to 2027-11-30",),
    "authorisation show": ("hallclient authorisation show wang",),
    "rate": (f"hallclient rate {CASE} --level 5", f"hallclient rate {CASE} --level 1 --reason 等待时间长 --channel pad"),
    "rectification": ("hallclient rectification list --open",),
    "rectification list": ("hallclient rectification list --open --json",),
    "rectification advance": ("hallclient rectification advance UUID contact --note 已电话联系申请人",
                              "hallclient rectification advance UUID close --verdict 满意"),
    "complaint": ("hallclient complaint list --open",),
    "complaint add": ("hallclient complaint add --complainant 张三 --what 材料被要求重复提交",),
    "complaint list": ("hallclient complaint list --open",),
    "complaint show": ("hallclient complaint show TS-20261201-001",),
    "complaint advance": ("hallclient complaint advance TS-20261201-001 accept",
                          "hallclient complaint advance TS-20261201-001 handover --to wang"),
    "diagnostics": ("hallclient diagnostics ~/诊断信息.zip",),
    "stats": ("hallclient stats --period 2026-Q3 --by window",),
}


class ExamplesFormatter(argparse.HelpFormatter):
    """Wraps one-paragraph descriptions as usual, keeps text with line breaks (examples) as is."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def _has_examples(parser: argparse.ArgumentParser) -> bool:
    text = f"{parser.description or ''}\n{parser.epilog or ''}"
    return "examples:" in text or "\n    hallclient " in text or "\n  hallclient " in text


def apply(parser: argparse.ArgumentParser, path: str = "", help_text: str | None = None) -> None:
    if not parser.description and help_text:
        parser.description = help_text[0].upper() + help_text[1:] + "."
    examples = EXAMPLES.get(path)
    if examples and not _has_examples(parser):
        block = "examples:\n" + "\n".join(f"  {line}" for line in examples)
        parser.epilog = f"{parser.epilog}\n\n{block}" if parser.epilog else block
        if parser.formatter_class is argparse.HelpFormatter:
            parser.formatter_class = ExamplesFormatter
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                apply(sub, f"{path} {name}".strip(), helps.get(name))
