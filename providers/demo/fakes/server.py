"""A small threaded HTTP server on loopback, with a request log and fault injection."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

Handler = Callable[[Request], Response]


def json_response(
    payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        json.dumps(payload), status=status, headers=headers or {}, mimetype="application/json"
    )


@dataclass
class Fault:
    """Answer the next `times` requests whose path contains `path_contains` with this instead."""

    path_contains: str
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1
    delay_seconds: float = 0.0
    """Wait this long before answering (a hung endpoint); cut short when the server stops."""


Headers = dict[str, str] | Callable[[], dict[str, str]]


@dataclass
class Throttle:
    """Answer a seeded pseudo-random `fraction` of all requests with this status instead."""

    fraction: float
    status: int
    body: Any
    headers: Headers
    rng: random.Random
    max_in_a_row: int
    refused_in_a_row: dict[str, int] = field(default_factory=dict)


class FakeServer:
    """Serves `handler` on 127.0.0.1 (a free port) in a daemon thread.

    Every request is logged as (method, full path with query) so tests can prove
    that pagination reached the last page and that faults were retried.
    """

    def __init__(self, handler: Handler) -> None:
        self._handler = handler
        self._faults: list[Fault] = []
        self._throttle: Throttle | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []
        self.throttled = 0
        """Requests answered by `throttle` rather than the handler."""
        self.arrivals: list[tuple[float, str]] = []
        """(time.monotonic() on arrival, full path) of every request."""
        self.latency_seconds = 0.0
        """Every answer waits this long first, so that concurrent requests overlap."""
        self._in_flight: dict[str, int] = {}
        self.peak_in_flight: dict[str, int] = {}
        """The most requests handled at once, per first path segment (the API)."""
        self._server: BaseWSGIServer = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def inject(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def throttle(
        self,
        fraction: float,
        status: int = 429,
        headers: Headers | None = None,
        body: Any = None,
        seed: int = 0,
        max_in_a_row: int = 3,
    ) -> None:
        """From now on, answer `fraction` of ALL requests with `status` (seeded, repeatable).

        `headers` may be a callable, called per throttled answer (e.g. a reset time of now).
        `fraction` 0 switches throttling off. Faults injected with `inject` still come first.
        A request refused `max_in_a_row` times running is answered on its next try: which
        request draws which number depends on thread timing, and the rare request refused six
        times running would otherwise make a test's time the client's longest backoff.
        """
        rng = random.Random(seed)  # noqa: S311
        with self._lock:
            self._throttle = (
                Throttle(fraction, status, body, headers or {}, rng, max_in_a_row)
                if fraction > 0
                else None
            )

    def _take_throttle(self, request_key: str) -> Response | None:
        with self._lock:
            throttle = self._throttle
            if throttle is None:
                return None
            refused = throttle.refused_in_a_row.get(request_key, 0)
            if refused >= throttle.max_in_a_row or throttle.rng.random() >= throttle.fraction:
                throttle.refused_in_a_row.pop(request_key, None)
                return None
            throttle.refused_in_a_row[request_key] = refused + 1
            self.throttled += 1
        headers = throttle.headers() if callable(throttle.headers) else throttle.headers
        return json_response(throttle.body, throttle.status, dict(headers))

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.path_contains in path and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    def _wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        full_path = request.full_path.rstrip("?")
        api = full_path.split("/")[1] if full_path.count("/") > 1 else full_path
        with self._lock:
            self.requests.append((request.method, full_path))
            self.arrivals.append((time.monotonic(), full_path))
            self._in_flight[api] = self._in_flight.get(api, 0) + 1
            self.peak_in_flight[api] = max(self.peak_in_flight.get(api, 0), self._in_flight[api])
        try:
            if self.latency_seconds:
                self._stopping.wait(self.latency_seconds)
            return self._answer(request, full_path)(environ, start_response)
        finally:
            with self._lock:
                self._in_flight[api] -= 1

    def _answer(self, request: Request, full_path: str) -> Response:
        fault = self._take_fault(full_path)
        throttled = self._take_throttle(f"{request.method} {full_path}") if fault is None else None
        if fault is not None:
            if fault.delay_seconds > 0:
                self._stopping.wait(fault.delay_seconds)
            response = json_response(fault.body, fault.status, fault.headers)
        elif throttled is not None:
            response = throttled
        else:
            try:
                response = self._handler(request)
            except Exception as exc:  # a bug in a fake must show up as a 500, not hang a test
                response = json_response({"error": type(exc).__name__, "detail": str(exc)}, 500)
        return response

    def start(self) -> FakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


ServiceT = TypeVar("ServiceT", bound="FakeService")


class FakeService:
    """A fake provider API served by one `FakeServer`: the lifecycle and test hooks it shares."""

    server: FakeServer

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def requests(self) -> list[tuple[str, str]]:
        return self.server.requests

    def inject(self, fault: Fault) -> None:
        self.server.inject(fault)

    def __enter__(self: ServiceT) -> ServiceT:
        # werkzeug logs every request at INFO on its own handler; the demo's stderr stays quiet.
        werkzeug_log = logging.getLogger("werkzeug")
        if werkzeug_log.level == logging.NOTSET:
            werkzeug_log.setLevel(logging.WARNING)
        self.server.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.stop()
