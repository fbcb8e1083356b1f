"""The one GitHub transport: GET-only REST v3 calls, the paginate helper and the retry policy.

Every call goes through `GithubApi.get`: `X-GitHub-Api-Version: 2022-11-28`, the token as a
bearer header (never logged, never in an error), a total deadline per call (its retries
included) and a bound on the size of every answer.

Rate limits (GitHub's "Rate limits for the REST API"): a 429, or a 403 that carries
`retry-after`, `x-ratelimit-remaining: 0` or says "rate limit" (the secondary limits), waits
`retry-after` seconds, else until `x-ratelimit-reset`, else a minute, and is tried again; 5xx
answers back off exponentially. The waits happen outside the request slots, so other requests
go on. When a successful answer says the primary limit is used up, every request of the org
pauses until its reset.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from providers.github.errors import GithubAuthError, GithubCallError
from scanner import __version__
from scanner.retries import (
    BACKOFF_CAP_SECONDS,
    RETRY_AFTER_CAP_SECONDS,
    RETRYABLE_STATUSES,
)

log = logging.getLogger(__name__)

API_VERSION = "2022-11-28"
PER_PAGE = 100
MAX_PAGES = 100_000
SECONDARY_LIMIT_WAIT_SECONDS = 60.0
"""GitHub: after a secondary rate limit without retry-after, wait at least a minute."""

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Answer:
    status: int
    data: Any
    headers: httpx.Headers
    next_url: str | None


def _number(headers: httpx.Headers, name: str) -> float | None:
    try:
        return float(headers[name])
    except (KeyError, ValueError):
        return None


def _message(data: Any) -> str:
    """GitHub's error `message` (basic-error), cut short; never the whole body."""
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return str(data["message"])[:200]
    return ""


class GithubApi:
    """GET-only access to one GitHub API root for one organisation."""

    def __init__(
        self,
        api_url: str,
        token: Callable[[], str],
        max_requests_in_flight: int = 8,
        max_attempts: int = 6,
        call_timeout_seconds: float = 300,
        max_response_bytes: int = 64 * 1024 * 1024,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self._origin = urlsplit(self.api_url)
        self._token = token
        self._slots = threading.BoundedSemaphore(max_requests_in_flight)
        self._max_attempts = max_attempts
        self._call_timeout = call_timeout_seconds
        self._max_bytes = max_response_bytes
        self._lock = threading.Lock()
        self._resume_at = 0.0
        self.requests = 0
        self.answered = 0
        """Requests that got any HTTP answer: none at all means the API is unreachable."""
        self.unreachable_reason: str | None = None
        self.client = httpx.Client(
            base_url=self.api_url,
            headers={
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": f"posture/{__version__}",
            },
            follow_redirects=False,
            transport=transport,
        )

    def close(self) -> None:
        self.client.close()

    # -- one request -------------------------------------------------------------------------
    def _url(self, path_or_url: str) -> str:
        """A path below the API root; an absolute URL (a Link) must stay on that root."""
        if path_or_url.startswith("/"):
            return self.api_url + path_or_url
        parts = urlsplit(path_or_url)
        same = (parts.scheme, parts.netloc) == (self._origin.scheme, self._origin.netloc)
        if not same or not parts.path.startswith(self._origin.path):
            # Following a link elsewhere would send the token there.
            raise GithubCallError(parts.path, None, "link points outside the API root")
        return path_or_url

    def _send(self, url: str, params: Mapping[str, str] | None, timeout: float) -> Answer:
        ends_at = time.monotonic() + timeout
        with self._lock:
            pause = self._resume_at - time.monotonic()
        if pause > 0:
            time.sleep(min(pause, timeout))
        with self._slots:
            self.requests += 1
            headers = {"Authorization": f"Bearer {self._token()}"}
            with self.client.stream(
                "GET", url, params=params, headers=headers, timeout=timeout
            ) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > self._max_bytes:
                        raise GithubCallError(
                            urlsplit(url).path, response.status_code, "answer too large"
                        )
                    if time.monotonic() > ends_at:  # a slow drip stops at the deadline too
                        raise GithubCallError(
                            urlsplit(url).path, response.status_code, "answer too slow"
                        )
            self.answered += 1
        data: Any = None
        if body:
            try:
                data = json.loads(bytes(body))
            except ValueError:
                data = None
        link = response.links.get("next", {}).get("url")
        self._note_primary_limit(response.status_code, response.headers)
        return Answer(response.status_code, data, response.headers, link)

    def _note_primary_limit(self, status: int, headers: httpx.Headers) -> None:
        if status >= 400 or headers.get("x-ratelimit-remaining") != "0":
            return
        reset = _number(headers, "x-ratelimit-reset")
        if reset is None:
            return
        wait = min(max(reset - time.time() + 1, 0.0), RETRY_AFTER_CAP_SECONDS)
        log.info("GitHub rate limit used up: pausing %.0fs", wait)
        with self._lock:
            self._resume_at = max(self._resume_at, time.monotonic() + wait)

    def _retry_wait(self, answer: Answer, attempt: int) -> float | None:
        """Seconds to wait before trying this answer again; None: do not retry it."""
        if attempt + 1 >= self._max_attempts:
            return None
        headers, status = answer.headers, answer.status
        retry_after = _number(headers, "retry-after")
        exhausted = headers.get("x-ratelimit-remaining") == "0"
        limited = status == 429 or (
            status == 403
            and (
                retry_after is not None
                or exhausted
                or "rate limit" in _message(answer.data).lower()
            )
        )
        if limited:
            if retry_after is not None:
                wait = retry_after
            elif exhausted and (reset := _number(headers, "x-ratelimit-reset")) is not None:
                wait = reset - time.time() + 1
            else:
                wait = SECONDARY_LIMIT_WAIT_SECONDS
            return min(max(wait, 0.0), RETRY_AFTER_CAP_SECONDS)
        if status in RETRYABLE_STATUSES:
            jitter = random.uniform(0, 0.5)  # noqa: S311 (spreads the retries)
            return min(2.0**attempt + jitter, BACKOFF_CAP_SECONDS)
        return None

    def get(
        self,
        path: str,
        params: Mapping[str, str] | None = None,
        ok: Sequence[int] = (200,),
    ) -> Answer:
        """One GET, retried through the rate limits; an answer outside `ok` raises."""
        url = self._url(path)
        where = urlsplit(url).path.removeprefix(self._origin.path) or "/"
        ends_at = time.monotonic() + self._call_timeout
        for attempt in range(self._max_attempts):
            remaining = ends_at - time.monotonic()
            if remaining <= 0:
                break
            try:
                answer = self._send(url, params, remaining)
            except httpx.HTTPError as exc:
                self.unreachable_reason = self.unreachable_reason or type(exc).__name__
                raise GithubCallError(where, None, type(exc).__name__) from None
            if answer.status in ok:
                return answer
            if answer.status == 401:
                raise GithubAuthError(where, 401, _message(answer.data))
            wait = self._retry_wait(answer, attempt)
            if wait is None:
                raise GithubCallError(where, answer.status, _message(answer.data))
            if wait >= ends_at - time.monotonic():
                raise GithubCallError(where, answer.status, "rate limited past the call deadline")
            log.debug("GitHub answered %d on %s: retrying in %.1fs", answer.status, where, wait)
            time.sleep(wait)  # outside the request slot: other requests go on
        raise GithubCallError(where, None, f"not answered within {self._call_timeout:g} s")

    def get_json(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        return self.get(path, params).data

    # -- lists -------------------------------------------------------------------------------
    def pages(
        self, path: str, params: Mapping[str, str] | None = None, key: str | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """Every page of a list endpoint, following `Link: rel="next"` to the last page.

        `key` names the array of an endpoint that wraps its items in an object."""
        query: dict[str, str] | None = {"per_page": str(PER_PAGE), **(params or {})}
        next_url: str | None = path
        for _ in range(MAX_PAGES):
            if next_url is None:
                return
            answer = self.get(next_url, query)
            query = None  # the next link carries the whole query
            data = answer.data.get(key) if key and isinstance(answer.data, dict) else answer.data
            if not isinstance(data, list):
                raise GithubCallError(path, answer.status, "expected a JSON list")
            yield [d for d in data if isinstance(d, dict)]
            next_url = answer.next_url
        raise GithubCallError(path, None, "pagination did not end")

    def list_all(
        self, path: str, params: Mapping[str, str] | None = None, key: str | None = None
    ) -> list[dict[str, Any]]:
        return [item for page in self.pages(path, params, key) for item in page]


class FanOut:
    """Per-repository work on a bounded pool; results in the order of the items."""

    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="github-repo")

    def map(self, work: Callable[[T], R], items: Iterable[T]) -> list[R]:
        return list(self._pool.map(work, items))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
