"""Testing a central service's address, token and CA before the window uses them (first run,
the settings dialog). No Qt; runs on the UI's network pool."""

from __future__ import annotations

from dataclasses import dataclass

from hallclient.sync.client import CentralClient, CentralError, CentralRejected


@dataclass(frozen=True)
class CentralCheck:
    ok: bool
    message: str  # for the person setting up the window, in Chinese
    window_number: str = ""  # the window the token belongs to
    name: str = ""
    secure: bool = False  # https (verified against the hall CA or the system's)


def check_central(url: str, token: str, ca_file: str = "", *, timeout: float = 8.0) -> CentralCheck:
    """Reach the central at `url`, then ask it whose `token` this is; never raises."""
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        return CentralCheck(False, "中心服务地址须以 http:// 或 https:// 开头，例如 https://192.168.1.10:8443")
    if not token.strip():
        return CentralCheck(False, "请填写窗口令牌（由中心服务管理员用 hallclient central add-window 发放）")
    secure = url.startswith("https://")
    try:
        with CentralClient(url, token.strip(), timeout=(timeout, timeout), ca_file=ca_file.strip() or None) as http:
            http.health()
            who = http.whoami()
    except CentralRejected as exc:
        if exc.status in (401, 403):
            return CentralCheck(False, f"已连接中心服务，但令牌无效或已停用：{exc.message}", secure=secure)
        return CentralCheck(False, str(exc), secure=secure)
    except CentralError as exc:  # its message already says what could not be reached, and why
        text = str(exc)
        return CentralCheck(False, text if "无法连接" in text else f"无法连接中心服务：{text}", secure=secure)
    except (OSError, ValueError) as exc:  # a CA file that is not PEM, a malformed address
        return CentralCheck(False, f"无法连接中心服务：{exc}", secure=secure)
    window = str(who.get("window_number") or "")
    name = str(who.get("name") or "")
    how = "已加密（HTTPS，证书已验证）" if secure else "未加密（HTTP）：大厅网络外请使用 https://"
    return CentralCheck(True, f"连接成功：令牌属于 {window} 号窗口（{name}）；{how}", window, name, secure)
