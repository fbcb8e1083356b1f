"""A total deadline and a size bound for every HTTP request a sink makes.

requests' timeout bounds each socket read, so a receiver that trickles one byte every few
seconds (a slowloris) holds a delivery forever. `DeadlineAdapter` runs the whole exchange —
connect, every retry urllib3 makes, the headers and the body — on a worker thread and gives up
when the wall-clock deadline passes; the abandoned worker is a daemon thread, so it never keeps
the process alive. The body is read in chunks and refused past `max_bytes`.
"""

from __future__ import annotations

import threading
from typing import Any

import requests
from requests.adapters import HTTPAdapter

MAX_RESPONSE_BYTES = 4 * 1024 * 1024
"""A sink's answers are small JSON documents (an issue key, a page of 50 issues)."""
_CHUNK = 64 * 1024


class DeliveryTimeoutError(requests.Timeout):
    """No complete answer within the delivery's total deadline."""


class ResponseTooLargeError(requests.RequestException):
    """The answer is larger than the sink reads."""


class DeadlineAdapter(HTTPAdapter):
    def __init__(
        self, total_seconds: float, max_bytes: int = MAX_RESPONSE_BYTES, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.total_seconds = total_seconds
        self.max_bytes = max_bytes

    def send(  # type: ignore[override]
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | None = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        outcome: dict[str, Any] = {}

        def exchange() -> None:
            try:
                response = super(DeadlineAdapter, self).send(
                    request, stream=True, timeout=timeout, verify=verify, cert=cert, proxies=proxies
                )
                outcome["response"] = self._read_body(response)
            except BaseException as exc:  # handed to the caller's thread below
                outcome["error"] = exc

        worker = threading.Thread(target=exchange, name="posture-sink-request", daemon=True)
        worker.start()
        worker.join(self.total_seconds)
        if worker.is_alive():
            raise DeliveryTimeoutError(
                f"no complete answer within {self.total_seconds:g} s", request=request
            )
        if "error" in outcome:
            raise outcome["error"]
        response: requests.Response = outcome["response"]
        return response

    def _read_body(self, response: requests.Response) -> requests.Response:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.raw.stream(_CHUNK, decode_content=True):
            size += len(chunk)
            if size > self.max_bytes:
                response.close()
                raise ResponseTooLargeError(
                    f"answer larger than {self.max_bytes // 1024} KiB", response=response
                )
            chunks.append(chunk)
        response._content = b"".join(chunks)  # what requests does without stream
        response._content_consumed = True
        response.raw.release_conn()
        return response


def safe_reason(exc: requests.RequestException) -> str:
    """Safe to print: ours say what bound was hit; others by their type only (requests puts
    the full URL, with any token in it, into its messages)."""
    if isinstance(exc, DeliveryTimeoutError | ResponseTooLargeError):
        return str(exc)
    return type(exc).__name__


def mount(session: requests.Session, adapter: HTTPAdapter) -> None:
    for prefix in ("http://", "https://"):
        session.mount(prefix, adapter)
