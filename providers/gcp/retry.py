"""The one retry policy for every Google client: 429, 5xx, rateLimitExceeded, dropped links."""

from __future__ import annotations

import time
from typing import Any

import requests
from google.api_core import exceptions as core_exceptions
from google.api_core.retry import Retry
from googleapiclient.errors import HttpError

from providers.gcp.errors import describe, is_rate_limited
from scanner.retries import BACKOFF_CAP_SECONDS, RETRY_AFTER_CAP_SECONDS, RETRYABLE_STATUSES


def is_retryable(exc: BaseException) -> bool:
    failure = describe(exc)
    if failure is not None:
        return failure.status in RETRYABLE_STATUSES or is_rate_limited(failure)
    return isinstance(exc, ConnectionError | TimeoutError | requests.ConnectionError)


def retry_after(exc: BaseException) -> float:
    """Seconds the server asked us to wait (Retry-After in seconds), capped; 0 if it did not."""
    headers: Any = None
    if isinstance(exc, HttpError):
        headers = exc.resp
    elif isinstance(exc, core_exceptions.GoogleAPICallError) and exc.response is not None:
        headers = getattr(exc.response, "headers", None)
    value = headers.get("retry-after") if headers is not None else None
    try:
        seconds = float(value) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0  # an HTTP date: rare from Google; the backoff still applies
    return min(max(seconds, 0.0), RETRY_AFTER_CAP_SECONDS)


def _honour_retry_after(exc: BaseException) -> None:
    wait = retry_after(exc)
    if wait:
        time.sleep(wait)


def retry_policy(initial: float, deadline: float) -> Retry:
    """Exponential backoff with jitter (google-api-core), bounded by `deadline` seconds.

    A Retry-After header is waited out first, then the backoff applies.
    """
    return Retry(
        predicate=is_retryable,
        initial=initial,
        maximum=max(initial, BACKOFF_CAP_SECONDS),
        multiplier=2.0,
        timeout=deadline,
        on_error=_honour_retry_after,
    )
