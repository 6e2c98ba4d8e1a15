"""The window's own settings (window number, clerk, authority…), kept as JSON in the data dir."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from hallclient.atomicfile import write_atomic

SETTINGS_FILENAME = "settings.json"


@dataclass
class Settings:
    window_number: str = "1"
    clerk_name: str = ""
    window_categories: list[str] | None = None  # which queues this window serves; None = all
    authority: str = "信阳高新区行政审批局"
    seal_name: str = "信阳高新区行政审批局行政审批专用章"
    # {year} and {seq} are filled in; {window} keeps numbers of different windows apart offline.
    case_number_pattern: str = "信高新受〔{year}〕{window:0>2}{seq:0>6}"
    progress_url_pattern: str = "https://zwfw.xyhtz.gov.cn/case/{case_number}"
    # The QR of a notice leads to the central's rating page: {central} is rating_public_url (the
    # address applicants' phones reach), else central_url; {token} the case's random rate token.
    # No address or no token: the QR keeps progress_url_pattern.
    rating_url_pattern: str = "{central}/rate/{token}"
    rating_public_url: str = ""
    decision_number_pattern: str = "{case_number}-{kind}"  # 文号 of decisions; {kind}: 准/结/不/延, {year}
    hall_phone: str = "0376-6201234"
    # What the documents print (issue 15). The hall's legal office confirms the 复议机关 and the
    # court; left empty, the documents print "待设置" and `legal_setup_warnings` says so.
    hall_address: str = ""
    supervision_phone: str = "12345"
    reconsideration_body: str = ""  # 行政复议机关 (2023 行政复议法: the county-level people's government)
    court: str = ""  # the court for administrative suits against the authority (Henan designates one)
    # The published rules the tolerance and commitment documents cite.
    tolerance_rules: str = "本地区公布的容缺受理制度"
    commitment_rules: str = (
        "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》（国办发〔2020〕42号）"
    )
    refusal_other_basis: str = "政务服务事项实施清单及有关规定"  # refusals outside 行政许可法 art. 32
    supplement_ways: list[str] | None = None  # 现场 / 邮寄 / 网上; None = all three
    supplement_online: str = "河南政务服务网"  # where 网上 supplements go
    acceptance_stub: bool = False  # the 受理通知书 carries a 存根 the hall keeps
    archive_full_id: bool = False  # the 存档联 shows ID numbers in full (the applicant's never)
    central_url: str = ""  # empty: standalone, no central service
    central_token: str = ""  # this window's token, issued by `hallclient central add-window`
    central_ca_file: str = ""  # the hall CA (PEM) an https:// central is verified against; empty: system CAs
    printer_name: str = ""  # the printer documents go to with one key; empty: the system default
    sync_interval_seconds: int = 60  # background sync round every N seconds (0: only on demand)
    # The queue (排队叫号). The categories served are `window_categories` above.
    queue_priority_in_row: int = 3  # K: priority calls in a row while a normal ticket waits
    queue_no_show_calls: int = 3  # a ticket is missed after N calls without the applicant coming
    announcement_template: str = "请{ticket}号到{window}号窗口办理"  # {ticket} and {window}
    announcement_sink: str = "auto"  # auto (Mandarin TTS, else the shipped clips) / tts / clips
    queue_poll_seconds: int = 3  # waiting counts refreshed every N seconds
    # Sign-in (issue: people and permissions)
    last_login: str = ""  # the last person who signed in here (never their password)
    signin_max_failures: int = 5  # wrong passwords in a row before sign-in is locked
    signin_lock_minutes: int = 5
    offline_verifier_days: int = 7  # an online sign-in here lets that person sign in offline this long
    prereview_valid_days: int = 7  # a pre-review (预审) can be taken up at a window this long
    # 好差评: first contact and rectification of a 差评, in working days (halls use 3, 5, 7 or 15)
    rectification_contact_days: int = 1
    rectification_days: int = 5
    evaluation_bad_reasons: list[str] | None = None  # None: the usual 差评 categories
    rating_pad_timeout_seconds: int = 60  # the pad closes as 未评价 after this long
    # 有诉即办: deadline of each stage in working days, by complexity
    complaint_days_on_spot: int = 0
    complaint_days_ordinary: int = 2
    complaint_days_complex: int = 5
    complaint_days_max: int = 10
    idle_lock_minutes: int = 5  # the screen locks after this long without input (0: never)
    # Backups of the window's database (hallclient.store.backup): at start and every N hours.
    backup_count: int = 10  # rotating backups kept
    backup_interval_hours: float = 4  # 0: only at start
    backup_dir: str = ""  # empty: <data dir>/backups

    @classmethod
    def load(cls, data_dir: Path) -> Settings:
        path = data_dir / SETTINGS_FILENAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            # A damaged settings file must not stop the window from opening; keep it aside.
            path.replace(path.with_suffix(".damaged.json"))
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})

    def save(self, data_dir: Path) -> None:
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"
        write_atomic(data_dir / SETTINGS_FILENAME, text.encode("utf-8"))


SUPPLEMENT_WAYS = ("现场", "邮寄", "网上")


def legal_setup_warnings(settings: Settings) -> list[str]:
    """What the hall must still set before its refusals name the right bodies (shown once)."""
    warnings = []
    if not settings.reconsideration_body.strip():
        warnings.append("尚未设置行政复议机关：不予受理决定书将显示“待设置”。请与本机关法制部门确认后填写。")
    if not settings.court.strip():
        warnings.append("尚未设置管辖法院：不予受理决定书将显示“待设置”。请与本机关法制部门确认后填写。")
    return warnings
