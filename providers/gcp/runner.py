"""Declared collections and the bounded, concurrent run of them over projects."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass, field
from typing import Any

from providers.gcp.clients import GcpClients
from providers.gcp.errors import outcome_for
from providers.gcp.lanes import lane_for
from providers.gcp.permissions import NEEDS
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from scanner.progress import NullProgress, ProgressSink

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Project:
    id: str
    number: str | None = None
    display_name: str | None = None
    parent: str | None = None
    ancestors: tuple[str, ...] = ()
    """Folders then the organization, nearest first (known when scanning an organization)."""


Fetch = Callable[[GcpClients, Project], Any]


@dataclass(frozen=True)
class Collection:
    name: str
    field: str | None
    """The GcpInventory field the value goes to; None: the value maps fields to values."""
    api: str
    """The API host name: a disabled API is named as <api>.googleapis.com."""
    fetch: Fetch

    @property
    def service(self) -> str:
        return f"{self.api}.googleapis.com"

    @property
    def permissions(self) -> tuple[str, ...]:
        """Every IAM permission the fetch needs, from the one table (providers.gcp.permissions)."""
        return NEEDS[self.name].permissions

    @property
    def missing(self) -> str:
        return NEEDS[self.name].missing


@dataclass
class Deadline:
    """The whole scan's deadline: what has not finished by then is an error, not awaited."""

    seconds: float
    ends_at: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.ends_at = time.monotonic() + self.seconds

    def remaining(self) -> float:
        return max(0.0, self.ends_at - time.monotonic())

    def outcome(self, collection: str, scope: str | None = None) -> CollectionOutcome:
        return CollectionOutcome(
            collection=collection,
            scope=scope,
            outcome=Outcome.ERROR,
            message=f"not finished within the scan deadline of {self.seconds:g} s",
        )


def settle(
    future: Future[tuple[Any, CollectionOutcome]],
    collection: str,
    deadline: Deadline | None,
    label: str = "",
) -> tuple[Any, CollectionOutcome]:
    """The (value, outcome) of a `record` task, or an error outcome once the deadline passed.

    A task still running then is abandoned (its calls end at their own timeout).
    """
    try:
        return future.result(timeout=None if deadline is None else deadline.remaining())
    except FuturesTimeout:
        future.cancel()
        assert deadline is not None
        outcome = deadline.outcome(collection)
        log.warning("%s: %s", label or collection, outcome.describe())
        return None, outcome


@dataclass
class ProjectResults:
    values: dict[str, Any]
    outcomes: list[CollectionOutcome]


def record(
    collection: Collection, run: Callable[[], Any], progress: ProgressSink, label: str
) -> tuple[Any, CollectionOutcome]:
    """Runs one fetch and turns how it ended into an outcome (never raises for API errors)."""
    progress.started(label)
    try:
        value = run()
    except Exception as exc:
        outcome = outcome_for(collection.name, exc, collection.service, collection.missing)
        log.warning("%s: %s", label, outcome.describe())
        return None, outcome
    finally:
        progress.finished(label)
    return value, CollectionOutcome(collection=collection.name)


Pending = dict[tuple[str, Collection], Future[tuple[Any, CollectionOutcome]]]


def submit_collections(
    collections: Iterable[Collection],
    projects: Iterable[Project],
    clients: GcpClients,
    executor: Executor,
    progress: ProgressSink | None = None,
) -> Pending:
    """Every (project, collection) pair as one task, on its API's lane when there are lanes."""
    sink = progress or NullProgress()
    futures: Pending = {}
    wanted = tuple(collections)
    for project in projects:
        for collection in wanted:

            def run(c: Collection = collection, p: Project = project) -> Any:
                return c.fetch(clients, p)

            label = f"{collection.name} {project.id}"
            futures[(project.id, collection)] = lane_for(executor, collection.api).submit(
                record, collection, run, sink, label
            )
    return futures


def settle_collections(
    futures: Pending,
    results: dict[str, ProjectResults],
    deadline: Deadline | None = None,
) -> dict[str, ProjectResults]:
    """Adds each task's value and outcome to `results`; unfinished at the deadline: errors."""
    for (project_id, collection), future in futures.items():
        value, outcome = settle(
            future, collection.name, deadline, f"{collection.name} {project_id}"
        )
        slot = results.setdefault(project_id, ProjectResults(values={}, outcomes=[]))
        slot.outcomes.append(outcome)
        if not outcome.ok:
            continue
        if collection.field is None:
            slot.values.update(value)
        else:
            slot.values[collection.field] = value
    return results


def run_collections(
    collections: Iterable[Collection],
    projects: Iterable[Project],
    clients: GcpClients,
    executor: Executor,
    progress: ProgressSink | None = None,
    deadline: Deadline | None = None,
) -> dict[str, ProjectResults]:
    """Every (project, collection) pair, run concurrently and settled.

    Pairs not finished at the `deadline` are recorded as errors and left behind.
    """
    futures = submit_collections(collections, projects, clients, executor, progress)
    return settle_collections(futures, {}, deadline)
