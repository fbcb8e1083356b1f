"""The SDK's HTTP client with posture's bounds: answers only from the org, and of bounded size.

aiohttp follows redirects to any host (it drops the Authorization header on the way, but the
other host's answer would still be read as the org's data), and the SDK reads every body
whole with `response.text()`. `GuardedHttpClient` (the SDK's documented `httpClient` hook)
wraps the session the SDK is given: an answer reached through a hop outside the org's origin,
or a body over `MAX_ANSWER_BYTES`, becomes an `AnswerRefusedError`, which the SDK hands back
as the call's error like any other client error. The total time of each request is the SDK's
own `requestTimeout` (an aiohttp total timeout, body included).
"""

from __future__ import annotations

from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from okta.http_client import HTTPClient

MAX_ANSWER_BYTES = 32 * 1024 * 1024
"""An Okta page holds at most 200 users (1,000 log events); the largest are a few MiB."""
_CHUNK = 64 * 1024


class AnswerRefusedError(aiohttp.ClientError):
    """posture refused the answer; the message says why (safe to print)."""


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


class _BoundedResponse:
    """The response, except that its body is read with a size bound."""

    def __init__(self, response: aiohttp.ClientResponse, max_bytes: int) -> None:
        self._response = response
        self._max_bytes = max_bytes

    def __getattr__(self, name: str) -> Any:
        return getattr(self._response, name)

    async def read(self) -> bytes:
        body = bytearray()
        while chunk := await self._response.content.read(_CHUNK):
            body.extend(chunk)
            if len(body) > self._max_bytes:
                raise AnswerRefusedError(
                    f"answer larger than {self._max_bytes // (1024 * 1024)} MiB"
                )
        return bytes(body)

    async def text(self, encoding: str | None = None, errors: str = "strict") -> str:
        body = await self.read()
        return body.decode(encoding or self._response.get_encoding(), errors)


class _GuardedRequest:
    def __init__(self, request: Any, origin: tuple[str, str], max_bytes: int) -> None:
        self._request = request
        self._origin = origin
        self._max_bytes = max_bytes

    async def __aenter__(self) -> _BoundedResponse:
        response: aiohttp.ClientResponse = await self._request.__aenter__()
        hops = [str(r.url) for r in response.history] + [str(response.url)]
        if any(_origin(hop) != self._origin for hop in hops):
            await self._request.__aexit__(None, None, None)
            raise AnswerRefusedError("redirected to another host: not followed")
        return _BoundedResponse(response, self._max_bytes)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._request.__aexit__(exc_type, exc, tb)


class _GuardedSession:
    def __init__(self, session: aiohttp.ClientSession, max_bytes: int) -> None:
        self._session = session
        self._max_bytes = max_bytes

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)

    def request(self, **params: Any) -> _GuardedRequest:
        origin = _origin(str(params["url"]))
        return _GuardedRequest(self._session.request(**params), origin, self._max_bytes)


class GuardedHttpClient(HTTPClient):  # type: ignore[misc]
    max_bytes = MAX_ANSWER_BYTES

    def set_session(self, session: aiohttp.ClientSession) -> None:
        super().set_session(_GuardedSession(session, self.max_bytes))  # type: ignore[no-untyped-call]
