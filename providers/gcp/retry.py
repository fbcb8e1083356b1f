"""The one retry policy for every Google client: 429, 5xx, rateLimitExceeded, dropped links."""

from __future__ import annotations

import requests
from google.api_core.retry import Retry

from providers.gcp.errors import describe, is_rate_limited

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


def is_retryable(exc: BaseException) -> bool:
    failure = describe(exc)
    if failure is not None:
        return failure.status in RETRYABLE_STATUS or is_rate_limited(failure)
    return isinstance(exc, ConnectionError | TimeoutError | requests.ConnectionError)


def retry_policy(initial: float, deadline: float) -> Retry:
    """Exponential backoff with jitter (google-api-core), bounded by `deadline` seconds."""
    return Retry(
        predicate=is_retryable,
        initial=initial,
        maximum=max(initial, 32.0),
        multiplier=2.0,
        timeout=deadline,
    )
