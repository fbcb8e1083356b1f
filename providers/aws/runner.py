"""Runs declared collections concurrently, one per scope, and records how each ended."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from providers.aws.actions import iam_action
from providers.aws.errors import outcome_for
from providers.aws.service_limits import DEFAULT_SERVICE_CONCURRENCY, SERVICE_CONCURRENCY
from providers.aws.session import AwsClients
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from scanner.progress import NullProgress, ProgressSink

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AwsAccount:
    id: str
    partition: str
    name: str | None = None


Fetch = Callable[[AwsClients, str, AwsAccount], Any]
"""Reads one collection for one region (the client factory's default region if global).

A regional fetch returns a tuple of models that each carry their region; the adapter
concatenates the regions' tuples into the inventory field.
"""


@dataclass(frozen=True)
class Collection:
    name: str
    field: str
    """The AwsInventory field the result goes to."""
    service: str
    """The IAM action prefix (iam, s3, ec2, …) used to name a missing permission."""
    actions: tuple[str, ...]
    """Every IAM action the fetch may call: `posture permissions` is derived from these."""
    fetch: Fetch
    regional: bool = False


@dataclass
class Collected:
    values: dict[tuple[Collection, str | None], Any]
    outcomes: list[CollectionOutcome]

    def fields(self) -> dict[str, Any]:
        """Inventory fields: global values as they are, regional tuples concatenated."""
        out: dict[str, Any] = {}
        for (collection, _scope), value in self.values.items():
            if collection.regional:
                out[collection.field] = (*out.get(collection.field, ()), *value)
            else:
                out[collection.field] = value
        return out


def _action(collection: Collection, exc: Exception) -> str:
    operation = getattr(exc, "operation_name", None) if isinstance(exc, ClientError) else None
    if operation:
        return iam_action(collection.service, operation)
    return collection.actions[0]


def _deadline_outcome(
    collection: Collection, scope: str | None, seconds: float
) -> CollectionOutcome:
    return CollectionOutcome(
        collection=collection.name,
        scope=scope,
        outcome=Outcome.ERROR,
        missing=collection.actions[0],
        message=f"not finished within the scan deadline of {seconds:g} s",
    )


def run_collections(
    collections: Iterable[Collection],
    regions: Iterable[str],
    clients: AwsClients,
    account: AwsAccount,
    executor: Executor,
    progress: ProgressSink | None = None,
    deadline_seconds: float | None = None,
) -> Collected:
    """Runs every collection for every scope; never raises for a collection's failure.

    After `deadline_seconds` the collections still running are recorded as errors and left
    behind (each call also has its own timeout), so a hung endpoint cannot hang the scan.
    """
    progress = progress or NullProgress()
    region_list = tuple(regions)
    futures: dict[tuple[Collection, str | None], Future[Any]] = {}
    limits: dict[str, threading.Semaphore] = {}
    for collection in collections:
        if collection.service not in limits:
            size = SERVICE_CONCURRENCY.get(collection.service, DEFAULT_SERVICE_CONCURRENCY)
            limits[collection.service] = threading.Semaphore(size)

    def run(collection: Collection, scope: str | None) -> Any:
        label = f"{collection.name} {scope or ''}".strip()
        with limits[collection.service]:
            progress.started(label)
            try:
                return collection.fetch(clients, scope or clients.default_region, account)
            finally:
                progress.finished(label)

    for collection in collections:
        scopes: tuple[str | None, ...] = region_list if collection.regional else (None,)
        for scope in scopes:
            futures[(collection, scope)] = executor.submit(run, collection, scope)

    result = Collected(values={}, outcomes=[])
    ends_at = None if deadline_seconds is None else time.monotonic() + deadline_seconds
    for (collection, scope), future in futures.items():
        remaining = None if ends_at is None else max(0.0, ends_at - time.monotonic())
        try:
            result.values[(collection, scope)] = future.result(timeout=remaining)
            result.outcomes.append(CollectionOutcome(collection=collection.name, scope=scope))
        except FuturesTimeout:
            future.cancel()
            assert deadline_seconds is not None
            outcome = _deadline_outcome(collection, scope, deadline_seconds)
            log.warning("%s", outcome.describe())
            result.outcomes.append(outcome)
        except Exception as exc:
            outcome = outcome_for(collection.name, scope, exc, _action(collection, exc))
            log.warning("%s", outcome.describe())
            result.outcomes.append(outcome)
    return result
