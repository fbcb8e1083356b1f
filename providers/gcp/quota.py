"""Client-based quotas shared by every worker of a distributed run.

Google charges a client-based API call to the caller's quota project, not to the project it
reads (docs/distributed.md, "GCP quotas"): workers scanning many projects with one identity
draw on one per-minute quota. In a brokered run each request to such an API first takes a
token from one moving-window limiter in Redis (the run's broker), keyed by quota project and
API, so all workers together stay under the configured rate (`gcp.client_quota_per_minute`).
An in-process scan keeps only its per-API request slots (providers.gcp.slots).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping
from typing import Any

NAMESPACE = "posture-gcp-quota"
LONGEST_SLEEP_SECONDS = 1.0


class QuotaWaitTimeoutError(TimeoutError):
    """The shared quota had no room within the call's timeout (retried like a timeout)."""


@functools.cache
def _limiter(url: str) -> Any:
    from limits.storage import storage_from_string
    from limits.strategies import MovingWindowRateLimiter

    return MovingWindowRateLimiter(storage_from_string(url))


class SharedQuota:
    """One per-minute budget per (quota project, API), shared through Redis at `url`."""

    def __init__(
        self,
        url: str,
        per_minute: Mapping[str, int],
        quota_project: str,
        wait_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        from limits import RateLimitItemPerMinute

        self._limiter = _limiter(url)
        self._items = {api: RateLimitItemPerMinute(n) for api, n in per_minute.items()}
        self.quota_project = quota_project
        self.wait_seconds = wait_seconds
        self._clock = clock
        self._sleep = sleep

    def admit(self, api: str) -> None:
        """Returns once a request to `api` fits the shared budget; raises
        QuotaWaitTimeoutError when it does not within `wait_seconds`."""
        item = self._items.get(api)
        if item is None:
            return  # resource-based, or no rate configured
        keys = (NAMESPACE, self.quota_project, api)
        deadline = self._clock() + self.wait_seconds
        while not self._limiter.hit(item, *keys):
            left = deadline - self._clock()
            if left <= 0:
                raise QuotaWaitTimeoutError(
                    f"{api}: no room in the {item.amount}/min client quota of quota project "
                    f"{self.quota_project} within {self.wait_seconds:.0f} s"
                )
            reset = self._limiter.get_window_stats(item, *keys).reset_time
            self._sleep(max(0.01, min(reset - time.time(), left, LONGEST_SLEEP_SECONDS)))

    def admitter(self, api: str) -> Callable[[], None]:
        return functools.partial(self.admit, api)


def no_wait() -> None:
    """The admitter of an API without a shared quota."""
