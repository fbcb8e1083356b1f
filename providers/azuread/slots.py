"""Bounds Graph requests in flight per HTTP attempt, so a retry's wait holds no slot.

The handler is the last of the kiota pipeline (nearest the wire, inside the retry handler):
the retry handler sleeps between attempts with the slot released, and other requests go on.
A slot is held from sending until the response body is read or closed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx
from kiota_http.middleware.middleware import BaseMiddleware


class _ReleasingStream(httpx.AsyncByteStream):
    """A response body that gives the slot back once, when it is closed."""

    def __init__(self, stream: httpx.AsyncByteStream, release: Callable[[], None]) -> None:
        self._stream = stream
        self._release: Callable[[], None] | None = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            release, self._release = self._release, None
            if release is not None:
                release()


class RequestSlotHandler(BaseMiddleware):  # type: ignore[misc]
    """At most `max_in_flight` requests on the wire at once."""

    def __init__(self, max_in_flight: int) -> None:
        super().__init__()
        self.max_in_flight = max_in_flight
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _slots_of_running_loop(self) -> asyncio.Semaphore:
        # The client is built before asyncio.run starts the loop its requests run on.
        loop = asyncio.get_running_loop()
        if self._slots is None or self._loop is not loop:
            self._slots, self._loop = asyncio.Semaphore(self.max_in_flight), loop
        return self._slots

    async def send(
        self, request: httpx.Request, transport: httpx.AsyncBaseTransport
    ) -> httpx.Response:
        slots = self._slots_of_running_loop()
        await slots.acquire()
        try:
            response: httpx.Response = await super().send(request, transport)
            if not isinstance(response.stream, httpx.AsyncByteStream):
                raise TypeError("an async client got a sync response stream")
        except BaseException:
            slots.release()
            raise
        response.stream = _ReleasingStream(response.stream, slots.release)
        return response
