"""Every Graph answer is whole within a total deadline and a size bound, per HTTP attempt.

httpx's timeouts bound each read, so a server trickling a byte at a time holds a request
forever, and an endless `value` array grows memory until it runs out. This handler (in the
kiota pipeline inside the retry handler, outside the request slots) reads each body itself,
with a wall-clock deadline and a byte count, and hands on a response whose body is in memory.
"""

from __future__ import annotations

import asyncio

import httpx
from kiota_http.middleware.middleware import BaseMiddleware

MAX_ANSWER_BYTES = 64 * 1024 * 1024
"""A Graph page holds at most 999 objects (`$top`); the largest real ones are a few MiB."""


class AnswerBoundError(httpx.TransportError):
    """An answer that was not whole within the deadline, or larger than the bound."""

    def __init__(self, code: str, message: str, request: httpx.Request) -> None:
        super().__init__(message, request=request)
        self.code = code


class BoundedAnswerHandler(BaseMiddleware):  # type: ignore[misc]
    def __init__(self, total_seconds: float, max_bytes: int = MAX_ANSWER_BYTES) -> None:
        super().__init__()
        self.total_seconds = total_seconds
        self.max_bytes = max_bytes

    async def send(
        self, request: httpx.Request, transport: httpx.AsyncBaseTransport
    ) -> httpx.Response:
        try:
            async with asyncio.timeout(self.total_seconds):
                response: httpx.Response = await super().send(request, transport)
                body = await self._read(response, request)
        except TimeoutError:
            raise AnswerBoundError(
                "CallTimeout", f"no complete answer within {self.total_seconds:g} s", request
            ) from None
        # Raw (still encoded) bytes with the original headers: httpx decodes them on read.
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            content=body,
            request=request,
            extensions=response.extensions,
        )

    async def _read(self, response: httpx.Response, request: httpx.Request) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_raw():
                size += len(chunk)
                if size > self.max_bytes:
                    raise AnswerBoundError(
                        "AnswerTooLarge",
                        f"answer larger than {self.max_bytes // (1024 * 1024)} MiB",
                        request,
                    )
                chunks.append(chunk)
        finally:
            await response.aclose()
        return b"".join(chunks)
