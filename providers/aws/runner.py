"""Runs declared collections concurrently, one per scope, and records how each ended."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from providers.aws.actions import iam_action
from providers.aws.errors import outcome_for
from providers.aws.session import AwsClients
from scanner.models.inventory import CollectionOutcome
from scanner.progress import NullProgress, ProgressSink

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AwsAccount:
    id: str
    partition: str


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


def run_collections(
    collections: Iterable[Collection],
    regions: Iterable[str],
    clients: AwsClients,
    account: AwsAccount,
    executor: Executor,
    progress: ProgressSink | None = None,
) -> Collected:
    progress = progress or NullProgress()
    region_list = tuple(regions)
    futures: dict[tuple[Collection, str | None], Future[Any]] = {}

    def run(collection: Collection, scope: str | None) -> Any:
        label = f"{collection.name} {scope or ''}".strip()
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
    for (collection, scope), future in futures.items():
        try:
            result.values[(collection, scope)] = future.result()
            result.outcomes.append(CollectionOutcome(collection=collection.name, scope=scope))
        except Exception as exc:
            outcome = outcome_for(collection.name, scope, exc, _action(collection, exc))
            log.warning("%s", outcome.describe())
            result.outcomes.append(outcome)
    return result
