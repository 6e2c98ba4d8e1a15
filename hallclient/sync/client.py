"""HTTP client of the central service (requests): timeouts, the token, typed errors.

No Qt, no database: callers (catalog_pull, outbox, round) decide what a failure means.
A `CentralClient` holds a requests.Session and is used by one thread at a time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from urllib3.exceptions import ProtocolError

API_PREFIX = "/api/v1"
CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 30.0


class CentralError(Exception):
    """Anything that kept a request from getting a usable answer."""


class CentralUnreachable(CentralError):
    """No answer: refused, timed out, DNS, or the connection was cut mid-way."""


def _connect_reason(exc: Exception) -> str:
    """What a clerk can act on, instead of urllib3's connection-pool wording."""
    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError) or "CERTIFICATE_VERIFY_FAILED" in text:
        return "证书验证失败（中心服务的证书不是本大厅 CA 签发，或 CA 证书文件设置有误）"
    if "refused" in text.lower():
        return "连接被拒绝（中心服务未运行或地址、端口有误）"
    if "NameResolution" in text or "Name or service not known" in text or "getaddrinfo" in text:
        return "找不到该服务器地址（请检查中心服务地址）"
    if "timed out" in text.lower() or isinstance(exc, requests.Timeout):
        return "连接超时（网络不通或中心服务无响应）"
    if "unreachable" in text.lower():
        return "网络不可达（请检查网络连接）"
    return _short(exc)


class CentralRejected(CentralError):
    """The central answered with an error status; `message` is its own explanation."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"中心服务拒绝了请求（{status}）：{message}")
        self.status = status
        self.message = message

    @property
    def transient(self) -> bool:
        """Worth retrying as is: server trouble, a conflict that may resolve, rate limiting."""
        return self.status >= 500 or self.status in (408, 409, 425, 429)


@dataclass(frozen=True)
class Page:
    data: dict[str, Any]
    etag: str | None
    size: int  # bytes received


@dataclass(frozen=True)
class RawPage:
    """A feed page as it came: the JSON body (decoded from gzip when the central compressed it)."""

    body: bytes
    etag: str | None
    size: int  # bytes received on the wire
    next_cursor: str | None  # the central's X-Feed-Next header: the next page's cursor, before parsing


FEED_NEXT_HEADER = "X-Feed-Next"


def base_url(central_url: str) -> str:
    url = central_url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        url = f"http://{url}"
    return url if url.endswith(API_PREFIX) else url + API_PREFIX


class CentralClient:
    def __init__(self, central_url: str, token: str = "", *, timeout: tuple[float, float] | None = None,
                 session: requests.Session | None = None, ca_file: str | None = None) -> None:
        """`ca_file`: the hall's own CA (PEM) to verify an https:// central against (the settings'
        `central_ca_file`); without it the system's CAs are used."""
        self.base = base_url(central_url)
        self.timeout = timeout or (CONNECT_TIMEOUT, READ_TIMEOUT)
        self.http = session or requests.Session()
        # Given with each request: requests lets REQUESTS_CA_BUNDLE override a session's `verify`.
        self.verify: str | bool = True
        if ca_file:
            if not Path(ca_file).is_file():
                raise CentralError(f"找不到中心服务的 CA 证书文件：{ca_file}（请检查窗口设置中的 central_ca_file）")
            self.verify = ca_file
        self.http.headers["User-Agent"] = "hallclient-sync/1"
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> CentralClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                body: bytes | None = None, headers: dict[str, str] | None = None,
                ok: tuple[int, ...] = (200, 201, 204)) -> requests.Response:
        """Send and read the whole answer; typed errors for everything but the `ok` statuses."""
        all_headers = dict(headers or {})
        if body is not None:
            all_headers["Content-Type"] = "application/json"
        try:
            response = self.http.request(method, self.base + path, params=params, data=body,
                                         headers=all_headers, timeout=self.timeout, verify=self.verify)
            response.content  # noqa: B018 (read it all now: a cut shows up here, typed)
        except requests.exceptions.ReadTimeout as exc:
            raise CentralUnreachable(f"中心服务响应超时（{self.base}）") from exc
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            raise CentralUnreachable(f"与中心服务的连接中途断开：{_short(exc)}") from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            if isinstance(exc.args[0] if exc.args else None, ProtocolError):  # connected, then cut
                raise CentralUnreachable(f"与中心服务的连接中途断开：{_short(exc)}") from exc
            raise CentralUnreachable(f"无法连接中心服务（{self.base}）：{_connect_reason(exc)}") from exc
        except requests.RequestException as exc:
            raise CentralUnreachable(f"中心服务请求失败：{_short(exc)}") from exc
        if response.status_code not in ok:
            raise CentralRejected(response.status_code, _message(response))
        return response

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        try:
            return response.json()
        except ValueError as exc:
            raise CentralRejected(response.status_code, "中心服务的回答不是有效的 JSON") from exc

    # -- the API -------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        answer = self.json("GET", "/health")
        return answer if isinstance(answer, dict) else {}

    def whoami(self) -> dict[str, Any]:
        answer = self.json("GET", "/whoami")
        return answer if isinstance(answer, dict) else {}

    def catalog_page(self, params: dict[str, Any], etag: str | None = None) -> Page | None:
        """One feed page, or None when the ETag sent still matches (304)."""
        headers = {"If-None-Match": etag} if etag else None
        response = self.request("GET", "/catalog/changes", params=params, headers=headers, ok=(200, 304))
        if response.status_code == 304:
            return None
        try:
            data = json.loads(response.content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise PageError(f"中心服务发来的清单页不是有效的 JSON：{_short(exc)}") from exc
        if not isinstance(data, dict):
            raise PageError("中心服务发来的清单页不是 JSON 对象")
        return Page(data=data, etag=response.headers.get("ETag"), size=len(response.content))

    def catalog_page_raw(self, params: dict[str, Any], etag: str | None = None) -> RawPage | None:
        """One feed page undecoded, or None when the ETag sent still matches (304).

        requests asks for gzip (Accept-Encoding: gzip, deflate) and undoes it; a central that
        compresses (routes_catalog) sends about a tenth of the bytes."""
        headers = {"If-None-Match": etag} if etag else None
        response = self.request("GET", "/catalog/changes", params=params, headers=headers, ok=(200, 304))
        if response.status_code == 304:
            return None
        body = response.content
        try:
            size = int(response.raw.tell()) or len(body)
        except (AttributeError, TypeError, ValueError):
            size = len(body)
        return RawPage(body=body, etag=response.headers.get("ETag"), size=size,
                       next_cursor=response.headers.get(FEED_NEXT_HEADER) or None)

    def calendar(self) -> list[dict[str, Any]]:
        data = self.json("GET", "/calendar")
        years = data.get("years") if isinstance(data, dict) else None
        if not isinstance(years, list):
            raise CentralRejected(200, "中心服务的节假日安排格式不正确")
        return years

    def push(self, kind: str, record_uuid: str, body: bytes) -> dict[str, Any]:
        """PUT one outbox record (body: hallclient.sync.payloads.wire_body)."""
        path = {"case": "/cases/", "case_event": "/case-events/", "walkin_ticket": "/queue/walkins/",
                "queue_event": "/queue/events/", "audit": "/audit/", "prereview": "/prereviews/",
                "rating": "/ratings/", "rectification": "/rectifications/", "complaint": "/complaints/",
                "complaint_event": "/complaint-events/"}.get(kind)
        if path is None:
            raise CentralRejected(0, f"未知的待上报记录类型：{kind}")
        answer = self.json("PUT", path + record_uuid, body=body)
        return answer if isinstance(answer, dict) else {}


class PageError(CentralError):
    """A feed page that cannot be used (not JSON, breaks the spec, inconsistent with the others)."""


def _message(response: requests.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return str(data["message"])
    if isinstance(data, dict) and isinstance(data.get("detail"), str):
        return str(data["detail"])
    return (response.reason or "").strip() or f"HTTP {response.status_code}"


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"
