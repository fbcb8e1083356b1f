"""The client-based quota workers share, for real against Redis: two processes, each with its
own limiter, never take more than the rate together; the wait ends at the call's timeout."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from providers.gcp.quota import QuotaWaitTimeoutError, SharedQuota
from tests.servers import Redis

pytestmark = pytest.mark.slow
RATE = 6


def take(url: str, project: str, attempts: int, wait: float) -> list[float]:
    """In its own process: the times at which this limiter was admitted."""
    quota = SharedQuota(url, {"cloudkms": RATE}, project, wait_seconds=wait)
    admitted = []
    for _ in range(attempts):
        try:
            quota.admit("cloudkms")
        except QuotaWaitTimeoutError:
            continue
        admitted.append(time.time())
    return admitted


def test_two_processes_never_exceed_the_rate_together(redis: Redis) -> None:
    url = f"{redis.url.rsplit('/', 1)[0]}/5"  # a database of its own
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        runs = [pool.apply_async(take, (url, "hub-project", RATE, 0.5)) for _ in range(2)]
        admitted = sorted(t for run in runs for t in run.get(timeout=60))
    assert len(admitted) == RATE  # 2 x RATE asked within a minute: RATE admitted in all
    assert admitted[-1] - admitted[0] < 60


def test_each_quota_project_has_its_own_budget(redis: Redis) -> None:
    url = f"{redis.url.rsplit('/', 1)[0]}/6"
    assert len(take(url, "project-a", RATE, 0.2)) == RATE
    assert len(take(url, "project-b", RATE, 0.2)) == RATE
    assert take(url, "project-a", 1, 0.2) == []


def test_the_wait_ends_at_the_call_timeout(redis: Redis) -> None:
    url = f"{redis.url.rsplit('/', 1)[0]}/7"
    quota = SharedQuota(url, {"cloudkms": 1}, "p", wait_seconds=0.5)
    quota.admit("cloudkms")
    started = time.monotonic()
    with pytest.raises(QuotaWaitTimeoutError, match="1/min client quota of quota project p"):
        quota.admit("cloudkms")
    assert 0.4 < time.monotonic() - started < 2
    quota.admit("compute")  # resource-based: never waits
