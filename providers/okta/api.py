"""The one Okta paginate helper: raw JSON through the SDK's request executor, every page.

Raw JSON rather than the SDK's models: its strict models reject real payloads (phone factors,
EventBridge log streams, dynamic zones), and its own `paginate_all` stops quietly on an error.
Here an error on any page raises, so a collection is whole or failed, never shorter.

Rate limits: a 429 (or 503/504) is retried here, not in the SDK (whose retries sleep while
holding a concurrency slot): the wait (until `X-Rate-Limit-Reset`, else exponential back-off)
happens outside the semaphore, so other requests go on meanwhile; `max_attempts` tries in all.
On top, every response's `X-Rate-Limit-Remaining` is watched and all requests for the org
pause until the window resets when fewer than `reserve` calls remain. A semaphore bounds
concurrency.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Iterable
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from okta.error_messages import ERROR_MESSAGE_429_MISSING_DATE_X_RESET

from providers.okta.errors import OktaAuthError, OktaCallError, from_sdk_error
from providers.okta.http import AnswerRefusedError
from scanner.collection import count_call, count_throttled
from scanner.retries import BACKOFF_CAP_SECONDS, RETRY_AFTER_CAP_SECONDS, THROTTLING_STATUSES

log = logging.getLogger(__name__)

MAX_PAGES = 100_000
T = TypeVar("T")


def _header_number(headers: Any, name: str) -> float | None:
    values = headers.getall(name, []) if hasattr(headers, "getall") else []
    numbers = []
    for value in values:
        try:
            numbers.append(float(value))
        except ValueError:
            continue
    return min(numbers) if numbers else None


def _server_time(headers: Any) -> float:
    try:
        return parsedate_to_datetime(headers.get("Date", "")).timestamp()
    except (TypeError, ValueError):
        return time.time()


class OktaApi:
    """GET-only access to one org. Every call goes through `_get`; nothing here writes."""

    def __init__(
        self,
        executor: Any,
        org_url: str,
        max_requests_in_flight: int,
        reserve: int,
        max_attempts: int = 6,
    ) -> None:
        self._executor = executor
        self._origin = urlsplit(org_url)
        self._semaphore = asyncio.Semaphore(max_requests_in_flight)
        self._reserve = reserve
        self._max_attempts = max_attempts
        self._resume_at = 0.0
        self.requests = 0
        self.answered = 0
        """Requests that got any HTTP answer: none at all means the org is unreachable."""
        self.unreachable_reason: str | None = None

    def _same_org(self, url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme, parts.netloc) == (self._origin.scheme, self._origin.netloc)

    def _relative(self, url: str) -> str:
        """A path for the executor (which prefixes the org URL); other hosts are refused."""
        if url.startswith("/"):
            return url
        if not self._same_org(url):
            # Following a link to another host would send the token there.
            raise OktaCallError(urlsplit(url).path, None, None, "link points outside the org")
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _note_rate_limit(self, headers: Any) -> None:
        remaining = _header_number(headers, "X-Rate-Limit-Remaining")
        reset = _header_number(headers, "X-Rate-Limit-Reset")
        if remaining is None or reset is None or remaining > self._reserve:
            return
        wait = min(max(reset - _server_time(headers) + 1, 0.0), RETRY_AFTER_CAP_SECONDS)
        log.info("Okta rate limit nearly used (%d left): pausing %.0fs", remaining, wait)
        self._resume_at = max(self._resume_at, time.monotonic() + wait)

    async def _send(self, path: str) -> tuple[Any, Any, Any]:
        """One request through the SDK (which itself retries a 429 that carries its headers)."""
        async with self._semaphore:
            delay = self._resume_at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            request, error = await self._executor.create_request("GET", path)
            if error is not None:
                raise OktaAuthError(path, None, None, "could not obtain an access token")
            response, body, error = await self._executor.execute(request)
            self.requests += 1
            count_call()
            # A 429 is waited out by its own request (see _retry_wait), not by the whole org.
            if response is not None and getattr(response, "status", None) != 429:
                self._note_rate_limit(response.headers)
        return response, body, error

    def _retry_wait(self, response: Any, error: Any, attempt: int) -> float | None:
        """Seconds to wait before retrying this answer; None: do not retry it."""
        if attempt + 1 >= self._max_attempts:
            return None
        status = getattr(error, "status", None)
        if status is None and response is not None and error is not None:
            status = getattr(response, "status", None)
        bare_429 = str(error) == ERROR_MESSAGE_429_MISSING_DATE_X_RESET
        if not bare_429 and status not in THROTTLING_STATUSES:
            return None
        count_throttled()
        headers = getattr(response, "headers", None)
        reset = _header_number(headers, "X-Rate-Limit-Reset") if headers is not None else None
        if reset is not None and status == 429:
            wait, cap = reset - _server_time(headers) + 1, RETRY_AFTER_CAP_SECONDS
        else:
            wait, cap = 2.0**attempt, BACKOFF_CAP_SECONDS
        jitter = random.uniform(0, 0.1 * max(wait, 1.0))  # noqa: S311 (spreads the retries)
        return min(max(wait, 0.0) + jitter, cap)

    async def _get(self, url: str) -> tuple[Any, Any]:
        path = self._relative(url)
        for attempt in range(self._max_attempts):
            response, body, error = await self._send(path)
            wait = self._retry_wait(response, error, attempt)
            if wait is None:
                break
            # Waits outside the concurrency slot: other requests go on meanwhile.
            self.answered += 1
            log.debug("Okta answered %s on %s: retrying in %.1fs", error, path, wait)
            await asyncio.sleep(wait)
        refused = isinstance(error, AnswerRefusedError)  # the org did answer, badly
        if response is not None or refused or isinstance(getattr(error, "status", None), int):
            self.answered += 1
        elif error is not None and self.unreachable_reason is None:
            self.unreachable_reason = type(error).__name__
        where = urlsplit(path).path
        if str(error) == ERROR_MESSAGE_429_MISSING_DATE_X_RESET:
            raise OktaCallError(where, 429, "E0000047", "rate limited")
        if error is not None:
            raise from_sdk_error(where, error)
        if response is None:
            raise OktaCallError(where, None, None, "no response")
        try:
            data = json.loads(body) if body else None
        except ValueError:
            raise OktaCallError(where, response.status, None, "not JSON") from None
        return data, response

    async def get(self, url: str) -> Any:
        data, _ = await self._get(url)
        return data

    async def list_all(self, url: str) -> list[dict[str, Any]]:
        """Every item of a list endpoint, following `Link: <…>; rel="next"` to the end."""
        items: list[dict[str, Any]] = []
        next_url: str | None = url
        for _ in range(MAX_PAGES):
            if next_url is None:
                return items
            data, response = await self._get(next_url)
            if not isinstance(data, list):
                raise OktaCallError(urlsplit(next_url).path, None, None, "expected a JSON list")
            items.extend(d for d in data if isinstance(d, dict))
            link = response.links.get("next")
            next_url = str(link.get("url")) if link and link.get("url") else None
        raise OktaCallError(
            urlsplit(url).path, None, None, f"pagination did not end within {MAX_PAGES} pages"
        )

    async def list_all_in_body(self, url: str, key: str = "value") -> list[dict[str, Any]]:
        """Every item of an endpoint that pages in its body: `{value: […], _links: {next}}`."""
        items: list[dict[str, Any]] = []
        next_url: str | None = url
        for _ in range(MAX_PAGES):
            if next_url is None:
                return items
            data = await self.get(next_url)
            if not isinstance(data, dict) or not isinstance(data.get(key), list):
                raise OktaCallError(urlsplit(next_url).path, None, None, f"expected {key!r}")
            items.extend(d for d in data[key] if isinstance(d, dict))
            href = ((data.get("_links") or {}).get("next") or {}).get("href")
            next_url = str(href) if href else None
        raise OktaCallError(
            urlsplit(url).path, None, None, f"pagination did not end within {MAX_PAGES} pages"
        )


async def gather_all(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """All results in order; when calls fail, the failure of the first one *in order* is
    raised as itself. Every call runs to its end (each has its deadline): which one fails
    first in time depends on the network, and the scan's error must not, or two scans of one
    org (in-process and distributed, or two nights) would name different users."""
    results = await asyncio.gather(*(_as_coroutine(a) for a in awaitables), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result from None
    return cast("list[T]", results)


async def _as_coroutine(awaitable: Awaitable[T]) -> T:
    return await awaitable
