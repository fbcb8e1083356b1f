"""Bounds requests in flight per API, per HTTP request: a retry's wait holds no slot.

The retry policy (providers.gcp.retry) sleeps between attempts outside `request`, so a
throttled call waits with its slot released and other calls to the same API go on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import requests
import requests.adapters

from providers.gcp.quota import no_wait
from scanner.collection import count_call, count_throttled


class RequestSlots:
    """One bounded semaphore per API host."""

    def __init__(self, apis: Iterable[str], per_api: int) -> None:
        self.per_api = per_api
        self._slots = {api: threading.BoundedSemaphore(per_api) for api in apis}

    def of(self, api: str) -> threading.BoundedSemaphore:
        return self._slots[api]


def _count(status: object) -> None:
    count_call()
    if status == 429:
        count_throttled()


class SlottedHttp:
    """An httplib2-style client (`request` only, as the discovery clients use it) whose
    every request holds one of its API's slots; the whole body is read within it. `admit`
    waits for room in a shared quota first, holding no slot (providers.gcp.quota)."""

    def __init__(
        self,
        http: Any,
        slot: threading.BoundedSemaphore,
        admit: Callable[[], None] = no_wait,
    ) -> None:
        self._http = http
        self._slot = slot
        self._admit = admit

    def request(self, *args: Any, **kwargs: Any) -> tuple[Any, bytes]:
        self._admit()
        with self._slot:
            response, content = self._http.request(*args, **kwargs)
        _count(getattr(response, "status", None))
        return response, content


class SlottedAdapter(requests.adapters.BaseAdapter):  # type: ignore[misc]
    """The same for a `requests` session (the Resource Manager GAPIC clients' REST transport):
    wraps the session's adapter, reading the whole body within the slot."""

    def __init__(
        self,
        inner: requests.adapters.BaseAdapter,
        slot: threading.BoundedSemaphore,
        admit: Callable[[], None] = no_wait,
    ):
        super().__init__()
        self._inner = inner
        self._slot = slot
        self._admit = admit

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float | None, float | None] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        self._admit()
        with self._slot:
            response: requests.Response = self._inner.send(
                request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
            )
            if not stream:
                _ = response.content
        _count(response.status_code)
        return response

    def close(self) -> None:
        self._inner.close()


def mount_slot(
    session: requests.Session,
    slot: threading.BoundedSemaphore,
    admit: Callable[[], None] = no_wait,
) -> None:
    for prefix in ("https://", "http://"):
        session.mount(prefix, SlottedAdapter(session.get_adapter(prefix), slot, admit))
