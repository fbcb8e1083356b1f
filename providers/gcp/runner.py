"""Declared collections and the bounded, concurrent run of them over projects."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any

from providers.gcp.clients import GcpClients
from providers.gcp.errors import outcome_for
from providers.gcp.permissions import NEEDS
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


def run_collections(
    collections: Iterable[Collection],
    projects: Iterable[Project],
    clients: GcpClients,
    executor: Executor,
    progress: ProgressSink | None = None,
) -> dict[str, ProjectResults]:
    """Every (project, collection) pair as one task on the bounded executor."""
    sink = progress or NullProgress()
    futures: dict[tuple[str, Collection], Future[tuple[Any, CollectionOutcome]]] = {}
    wanted = tuple(collections)
    for project in projects:
        for collection in wanted:

            def run(c: Collection = collection, p: Project = project) -> Any:
                return c.fetch(clients, p)

            label = f"{collection.name} {project.id}"
            futures[(project.id, collection)] = executor.submit(
                record, collection, run, sink, label
            )
    results: dict[str, ProjectResults] = {}
    for (project_id, collection), future in futures.items():
        value, outcome = future.result()
        slot = results.setdefault(project_id, ProjectResults(values={}, outcomes=[]))
        slot.outcomes.append(outcome)
        if not outcome.ok:
            continue
        if collection.field is None:
            slot.values.update(value)
        else:
            slot.values[collection.field] = value
    return results
