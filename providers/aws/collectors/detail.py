"""Per-resource detail calls: bounded concurrency, and failures recorded per aspect.

A list call that fails fails the whole collection (the runner records it). A detail call
about one resource (one bucket's policy, one key's rotation) that is denied or errors makes
only that aspect of that resource unknown, so the checks that need it say `error` for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from providers.aws.errors import denied_by_scp, error_code
from scanner.inventory.aws.storage import Unknown

T = TypeVar("T")
R = TypeVar("R")

DETAIL_WORKERS = 4
"""Small on purpose: the runner already runs collections and regions side by side."""

ExecutorFactory = Callable[[int], Executor]


def small_pool(workers: int) -> Executor:
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="posture-aws-detail")


def map_bounded(
    fn: Callable[[T], R],
    items: Iterable[T],
    executor_factory: ExecutorFactory = small_pool,
    workers: int | None = None,
) -> list[R]:
    """`fn` over `items` on at most `workers` (default DETAIL_WORKERS) threads, in order."""
    todo = list(items)
    if not todo:
        return []
    with executor_factory(min(workers or DETAIL_WORKERS, len(todo))) as executor:
        return list(executor.map(fn, todo))


class ResourceGoneError(Exception):
    """The resource disappeared between the list call and the detail call."""


class AspectReader:
    """Reads the aspects of one resource, recording each that cannot be read."""

    def __init__(self, gone_codes: Iterable[str] = ()) -> None:
        self.gone_codes = frozenset(gone_codes)
        self.unknown: list[Unknown] = []

    def failed(self, aspect: str) -> bool:
        return any(u.aspect == aspect for u in self.unknown)

    def read(
        self,
        aspect: str,
        action: str,
        call: Callable[[], dict[str, Any]],
        absent: Iterable[str] = (),
    ) -> dict[str, Any] | None:
        """The response, None when `absent` says not configured or when the read failed.

        `action` is the IAM action the call needs (s3:GetEncryptionConfiguration), which is
        not always the operation's name.
        """
        try:
            return call()
        except ClientError as exc:
            code = error_code(exc)
            if code in absent:
                return None
            if code in self.gone_codes:
                raise ResourceGoneError(code) from None
            # An SCP is no permission the scanner's role could be given: say so.
            reason = (
                f"{code}, denied by a service control policy"
                if denied_by_scp(exc)
                else (code or "error")
            )
        except BotoCoreError as exc:
            reason = type(exc).__name__
        self.unknown.append(Unknown(aspect=aspect, missing=action, reason=reason))
        return None
