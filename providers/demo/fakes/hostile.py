"""A hostile HTTP server on 127.0.0.1 for tests: answers that trickle, never end, or redirect.

Raw sockets rather than a WSGI server, because the point is to misbehave below HTTP's level:
one byte every few tenths of a second (a slowloris), or a body that never ends. Each request
is answered by the first behaviour whose path prefix matches its path.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

Behaviour = Callable[[socket.socket, threading.Event], None]


def answer(status: int, body: Any, headers: dict[str, str] | None = None) -> Behaviour:
    """A well-formed JSON answer."""
    data = json.dumps(body).encode()
    lines = [f"HTTP/1.1 {status} X", "Content-Type: application/json", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    head = ("\r\n".join(lines) + f"\r\nContent-Length: {len(data)}\r\n\r\n").encode()

    def send(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head + data)

    return send


def trickle_headers(conn: socket.socket, stop: threading.Event) -> None:
    """The status line and then a header, one byte at a time, never finished."""
    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000:
        if stop.wait(0.3):
            return
        conn.sendall(bytes([byte]))


def trickle_body(conn: socket.socket, stop: threading.Event) -> None:
    """Headers promising a large JSON body that then arrives one byte at a time."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 999999\r\n\r\n["
    )
    while not stop.wait(0.3):
        conn.sendall(b"1")


def endless_array(conn: socket.socket, stop: threading.Event) -> None:
    """A JSON array (or Graph page) that never ends, as fast as the client reads it."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b'{"id": "x"},' * 5000
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    opening = b'{"value": [{"id": "first"},'
    conn.sendall(f"{len(opening):x}\r\n".encode() + opening + b"\r\n")
    while not stop.is_set():
        conn.sendall(framed)


def hang_up(conn: socket.socket, stop: threading.Event) -> None:
    """Closes the connection without a word."""


class HostileServer:
    def __init__(self, routes: dict[str, Behaviour], default: Behaviour = hang_up) -> None:
        self.routes = routes
        self.default = default
        self.paths: list[str] = []
        self.heads: list[str] = []
        """Each request's line and headers, as received."""
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            try:
                head = conn.recv(65536).decode("latin-1")
                path = head.split(" ", 2)[1] if head.count(" ") >= 2 else "/"
                self.paths.append(path)
                self.heads.append(head.partition("\r\n\r\n")[0])
                behaviour = next(
                    (b for prefix, b in self.routes.items() if path.startswith(prefix)),
                    self.default,
                )
                behaviour(conn, self._stop)
            except OSError:
                pass

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._listener.close()
