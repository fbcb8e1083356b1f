"""AWS collections: their declaration, and their run per region within per-service bounds."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from providers.aws.actions import iam_action
from providers.aws.errors import outcome_for
from providers.aws.service_limits import DEFAULT_SERVICE_CONCURRENCY, SERVICE_CONCURRENCY
from providers.aws.session import AwsClients
from scanner.collection import (
    AnyCollection,
    Collected,
    Collection,
    Deadline,
    Job,
    Recorder,
    Scope,
    run_jobs,
)
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import OrganizationsFeatures
from scanner.models.inventory import CollectionOutcome
from scanner.progress import ProgressSink


@dataclass(frozen=True)
class AwsAccount:
    id: str
    partition: str
    name: str | None = None
    organizations_features: OrganizationsFeatures | None = None
    """Read once with the management account's credentials on an organization scan: a member
    account may not call iam:ListOrganizationsFeatures itself."""


@dataclass(frozen=True)
class AwsNeed:
    service: str
    """The IAM action prefix (iam, s3, ec2, …): it names a missing permission and picks the
    service's concurrency bound."""
    actions: tuple[str, ...]
    """Every IAM action the fetch may call: `posture permissions` is derived from these."""


Fetch = Callable[[AwsClients, str, AwsAccount], Any]
"""Reads one collection for one region (the client factory's default region if global).

A regional fetch returns a tuple of models that each carry their region; the regions' tuples
are concatenated into the inventory field.
"""

AwsCollection = Collection[AwsNeed]


def aws_collection(
    name: str,
    field: str,
    service: str,
    actions: tuple[str, ...],
    fetch: Fetch,
    regional: bool = False,
    derived: tuple[str, ...] = (),
) -> AwsCollection:
    return Collection(
        name=name,
        inventory=AwsInventory,
        fields=(field,),
        needs=AwsNeed(service, actions),
        fetch=fetch,
        scope=Scope.REGION if regional else Scope.ACCOUNT,
        derived=derived,
    )


def classify(collection: AnyCollection, scope: str | None, exc: Exception) -> CollectionOutcome:
    need: AwsNeed = collection.needs
    operation = getattr(exc, "operation_name", None) if isinstance(exc, ClientError) else None
    action = iam_action(need.service, operation) if operation else need.actions[0]
    return outcome_for(collection.name, scope, exc, action)


def first_action(collection: AnyCollection) -> str:
    need: AwsNeed = collection.needs
    return need.actions[0]


def run_collections(
    collections: Iterable[AwsCollection],
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
    region_list = tuple(regions)
    wanted = tuple(collections)
    limits: dict[str, threading.Semaphore] = {}
    for c in wanted:
        service = c.needs.service
        if service not in limits:
            size = SERVICE_CONCURRENCY.get(service, DEFAULT_SERVICE_CONCURRENCY)
            limits[service] = threading.Semaphore(size)

    def job(c: AwsCollection, scope: str | None) -> Job:
        def run(_: Collected) -> Any:
            return c.fetch(clients, scope or clients.default_region, account)

        return Job(c, scope, run)

    def submit(job: Job, work: Callable[[], Any]) -> Future[Any]:
        limit = limits[job.collection.needs.service]

        def bounded() -> Any:
            with limit:
                return work()

        return executor.submit(bounded)

    jobs = [
        job(c, scope)
        for c in wanted
        for scope in (region_list if c.scope is Scope.REGION else (None,))
    ]
    deadline = None if deadline_seconds is None else Deadline(deadline_seconds)
    return run_jobs(jobs, submit, Recorder(classify, progress), deadline, first_action)
