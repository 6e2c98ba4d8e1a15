"""What the central's HTTP front door refuses before the application reads anything.

* Request bodies: at most `max_body_bytes` (2 MB) for every request, `max_publish_bytes` for an
  administrator's catalog publish (PUT /api/v1/catalog, read as a stream by its route). A
  `Content-Length` above the limit is answered 413 before one byte of the body is read; a body
  without one (chunked) is counted as it arrives and cut at the limit. 413 in Chinese, like
  every other error of the central.
* Headers: a client has `header_timeout` seconds from its first byte to the end of the request
  headers (uvicorn has no such timeout: a client trickling a header a byte at a time would hold
  a connection forever). `HeaderGuardHttpToolsProtocol` (httptools, the C parser, when
  installed) or `HeaderTimeoutH11Protocol` (h11) adds it, and caps the size of the headers
  (16 KB: 431; h11's `h11_max_incomplete_event_size`); uvicorn's `timeout_keep_alive` closes
  idle kept-alive connections. `serve_config` puts the three together.
* The API documentation pages (/docs, /redoc, /openapi.json) are served only when
  `api_docs` is set (off by default: a production central does not describe itself to the
  hall's LAN; `hallclient central --api-docs` turns them on).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

MB = 1024 * 1024
PUBLISH_PATH = "/api/v1/catalog"


@dataclass(frozen=True)
class HttpLimits:
    max_body_bytes: int = 2 * MB
    max_publish_bytes: int = 64 * MB  # a 20,000-item catalog is ≈ 25 MB of JSON
    header_timeout: float = 10.0  # seconds from a request's first byte to the end of its headers
    keep_alive_timeout: float = 5.0  # uvicorn's timeout_keep_alive
    max_header_bytes: int = 16 * 1024  # h11_max_incomplete_event_size
    api_docs: bool = False


def _mb(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{size // 1024} KB"


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its limit. An HTTPException, so that a
    route reading the body (or FastAPI parsing it) lets it through to the 413 answer."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"请求内容过大：超过 {_mb(limit)} 的上限，中心未处理该请求")


def body_limit_for(scope: Scope, limits: HttpLimits) -> int:
    if scope.get("method") == "PUT" and scope.get("path", "").rstrip("/") == PUBLISH_PATH:
        return limits.max_publish_bytes
    return limits.max_body_bytes


class BodyLimitMiddleware:
    """Pure ASGI (no buffering): checks Content-Length, then counts what `receive` delivers."""

    def __init__(self, app: ASGIApp, limits: HttpLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit_for(scope, self.limits)
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > limit:
                    await _answer(send, 413 if declared > limit else 400,
                                  BodyTooLarge(limit).detail if declared > limit else "请求头 Content-Length 无效")
                    return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge as exc:  # raised where no handler answered it (outside a route)
            if started:
                raise
            await _answer(send, 413, str(exc.detail))


async def _answer(send: Send, status: int, message: str) -> None:
    body = json.dumps({"message": message, "detail": None}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class _HeaderDeadline:
    """The deadline for a request's headers, shared by the h11 and httptools protocols: armed
    when a connection opens or the next request's first bytes arrive, disarmed when the headers
    are complete; when it passes, the connection is closed."""

    header_timeout = 10.0
    _header_deadline: asyncio.TimerHandle | None = None
    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport

    def _arm(self) -> None:
        self._disarm()
        self._header_deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _too_slow(self) -> None:
        self._header_deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()  # a connection that never sends anything is closed too

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]


class HeaderTimeoutH11Protocol(_HeaderDeadline, H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers (see the module doc)."""

    def data_received(self, data: bytes) -> None:
        waiting_for_request = self.cycle is None or self.cycle.response_complete
        before = self.cycle
        if waiting_for_request and self._header_deadline is None:
            self._arm()  # the next request on a kept-alive connection starts its own deadline
        super().data_received(data)
        if self.cycle is not before:
            self._disarm()  # the headers are complete: the request is the application's now


try:  # httptools: the C parser, a third of h11's CPU per request (bench/bench_queue.py --profile)
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - the central's extra installs it
    HttpToolsProtocol = None


if HttpToolsProtocol is not None:
    class HeaderGuardHttpToolsProtocol(_HeaderDeadline, HttpToolsProtocol):  # type: ignore[misc,valid-type]
        """uvicorn's httptools protocol with the header deadline and a cap on the headers' size
        (httptools has none of its own: h11's `max_incomplete_event_size` is the h11 one)."""

        max_header_bytes = 16 * 1024

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._in_headers = True  # between requests or inside a request's headers
            self._header_bytes = 0

        def data_received(self, data: bytes) -> None:
            if self._in_headers and self._header_deadline is None:
                self._arm()  # the next request on a kept-alive connection starts its own deadline
            super().data_received(data)
            if self._in_headers and not self.transport.is_closing():  # headers arriving in pieces
                self._header_bytes += len(data)
                if self._header_bytes > self.max_header_bytes:
                    self._refuse_headers()

        def on_message_begin(self) -> None:
            self._header_bytes = 0
            super().on_message_begin()

        def on_url(self, url: bytes) -> None:
            self._count(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value) + 4)
            super().on_header(name, value)

        def _count(self, size: int) -> None:
            """Headers that came in one piece: raising here makes httptools stop parsing, and
            uvicorn answers `send_400_response`, which answers 431 instead."""
            self._header_bytes += size
            if self._header_bytes > self.max_header_bytes:
                self._headers_too_large = True
                raise ValueError("request headers too large")

        def send_400_response(self, msg: str) -> None:
            if getattr(self, "_headers_too_large", False):
                self._refuse_headers()
            else:
                super().send_400_response(msg)

        def _refuse_headers(self) -> None:
            self._disarm()
            body = json.dumps({"message": "请求头过大，中心未处理该请求", "detail": None},
                              ensure_ascii=False).encode("utf-8")
            self.transport.write(b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
                                 b"content-type: application/json\r\nconnection: close\r\n"
                                 b"content-length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            self.transport.close()

        def on_headers_complete(self) -> None:
            self._in_headers = False
            self._header_bytes = 0
            self._disarm()  # the headers are complete: the request is the application's now
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            self._in_headers = True
            super().on_response_complete()
else:  # pragma: no cover
    HeaderGuardHttpToolsProtocol = None

# What the central serves with: httptools when it is installed, else h11.
FrontDoorProtocol: type[Any] = HeaderGuardHttpToolsProtocol or HeaderTimeoutH11Protocol


def protocol_with(header_timeout: float, max_header_bytes: int = 16 * 1024) -> type[Any]:
    return type("HeaderGuard", (FrontDoorProtocol,), {"header_timeout": header_timeout,
                                                       "max_header_bytes": max_header_bytes})


def serve_config(limits: HttpLimits) -> dict[str, Any]:
    """uvicorn.Config / uvicorn.run keyword arguments for these limits."""
    return {"http": protocol_with(limits.header_timeout, limits.max_header_bytes),
            "timeout_keep_alive": limits.keep_alive_timeout,
            "h11_max_incomplete_event_size": limits.max_header_bytes}
