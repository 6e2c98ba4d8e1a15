"""A real fault for the sync tests: a TCP proxy that forwards a request to the central and, once
the central has answered (so it has committed), drops the connection instead of passing the
answer on."""

from __future__ import annotations

import contextlib
import socket
import threading


class CuttingProxy:
    def __init__(self, upstream_port: int, marker: bytes = b"PUT /api/v1/cases/", cuts: int = 1) -> None:
        self.upstream_port = upstream_port
        self.marker = marker
        self.armed = cuts
        self.cut = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        marked = threading.Event()

        def forward_requests() -> None:
            with contextlib.suppress(OSError):
                while data := client.recv(65536):
                    with self.lock:
                        if self.armed and self.marker in data:
                            self.armed -= 1
                            marked.set()
                    upstream.sendall(data)

        threading.Thread(target=forward_requests, daemon=True).start()
        try:
            while data := upstream.recv(65536):
                if marked.is_set():  # the central answered: it has committed. Drop the answer.
                    self.cut += 1
                    break
                client.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (client, upstream):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
