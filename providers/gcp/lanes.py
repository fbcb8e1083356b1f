"""One thread pool per API, so one API's sleeping retries take no thread from another."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
GENERAL = "general"
"""The lane for work not tied to one API (project look-ups, the Workspace directory)."""


class ApiLanes(Executor):
    """`submit` runs on the general lane; `lane(api)` is the API's own pool.

    Each lane has `workers` threads, made on demand. Requests in flight are bounded
    separately, per API (providers.gcp.slots): a lane's extra threads are for calls that are
    waiting out a retry, which hold no request slot.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._lanes: dict[str, ThreadPoolExecutor] = {}
        self._lock = threading.Lock()

    def lane(self, api: str) -> Executor:
        with self._lock:
            if api not in self._lanes:
                self._lanes[api] = ThreadPoolExecutor(
                    max_workers=self.workers, thread_name_prefix=f"posture-gcp-{api}"
                )
            return self._lanes[api]

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        return self.lane(GENERAL).submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            lanes = list(self._lanes.values())
        for pool in lanes:
            pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def lane_for(executor: Executor, api: str) -> Executor:
    """The API's lane when `executor` has lanes, else `executor` itself."""
    return executor.lane(api) if isinstance(executor, ApiLanes) else executor
