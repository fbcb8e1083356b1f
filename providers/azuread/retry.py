"""The one Graph retry policy: honour Retry-After exactly, more retries, a bounded total wait.

The SDK's default handler retries 3 times, and reads `Retry-After: 0` as "no header" and so
waits about 4 s of backoff. Graph's throttling guidance is to wait exactly what it says.
"""

from __future__ import annotations

import random

import httpx
from kiota_http.middleware import RetryHandler
from kiota_http.middleware.options import RetryHandlerOption

from scanner.collection import count_throttled
from scanner.retries import BACKOFF_CAP_SECONDS, RETRY_AFTER_CAP_SECONDS, THROTTLING_STATUSES

WAITED_KEY = "posture_retry_waited_seconds"
BACKOFF_BASE_SECONDS = 1.0


class GraphRetryHandler(RetryHandler):
    """Retries 429/503/504 up to `max_retries` times for at most `max_total_wait` seconds."""

    def __init__(self, max_retries: int, max_total_wait: float) -> None:
        super().__init__(RetryHandlerOption(delay=0.0, max_retries=max_retries))
        self.retry_on_status_codes = set(THROTTLING_STATUSES)
        self.max_total_wait = max_total_wait

    def get_delay_time(
        self,
        retry_count: int,
        response: httpx.Response | None = None,
        delay: float = 0.0,
    ) -> float:
        if response is None or response.status_code not in self.retry_on_status_codes:
            return 0.0
        count_throttled()
        wait = self._get_retry_after(response)
        if wait is not None:
            wait = min(wait, RETRY_AFTER_CAP_SECONDS)
        else:  # no (or an unreadable) Retry-After: exponential backoff with jitter
            wait = min(
                BACKOFF_CAP_SECONDS,
                BACKOFF_BASE_SECONDS * 2**retry_count + random.uniform(0, 1),  # noqa: S311
            )
        extensions = response.request.extensions
        waited = float(extensions.get(WAITED_KEY, 0.0))
        if waited + wait > self.max_total_wait:
            return RetryHandlerOption.MAX_DELAY  # the handler gives up and returns the 429
        extensions[WAITED_KEY] = waited + wait
        return wait
