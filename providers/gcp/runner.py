"""GCP collections: their declaration, how a failed one reads, and the API lane each runs on."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any

from providers.gcp.errors import outcome_for
from providers.gcp.lanes import lane_for
from providers.gcp.permissions import NEEDS, Need
from scanner.collection import AnyCollection, Collection, Job, Scope, Submit
from scanner.inventory.gcp import GcpInventory
from scanner.models.inventory import CollectionOutcome, Inventory


@dataclass(frozen=True)
class Project:
    id: str
    number: str | None = None
    display_name: str | None = None
    parent: str | None = None
    ancestors: tuple[str, ...] = ()
    """Folders then the organization, nearest first (known when scanning an organization)."""

    def header(self) -> dict[str, Any]:
        """The inventory fields the project look-up fills."""
        return {
            "account_name": self.display_name,
            "project_number": self.number,
            "parent": self.parent,
        }


GcpCollection = Collection[Need]
"""Its `needs` is its entry of providers.gcp.permissions.NEEDS.

The fetch by scope: PROJECT `(clients, project)`, ANCESTOR `(clients, resource)`, ORG (the
Workspace customer) `(clients, credentials, customer)`; a fetch that reads other collections
(`after`) also gets what was collected.
"""


def gcp_collection(
    name: str,
    fields: tuple[str, ...],
    fetch: Callable[..., Any],
    scope: Scope = Scope.PROJECT,
    after: tuple[str, ...] = (),
    derived: tuple[str, ...] = (),
    inventory: type[Inventory] = GcpInventory,
    always: bool = False,
) -> GcpCollection:
    return Collection(
        name=name,
        inventory=inventory,
        fields=fields,
        needs=NEEDS[name],
        fetch=fetch,
        scope=scope,
        after=after,
        derived=derived,
        always=always,
    )


def classify(collection: AnyCollection, scope: str | None, exc: Exception) -> CollectionOutcome:
    need: Need = collection.needs
    return outcome_for(collection.name, exc, need.service, need.missing, scope=scope)


def on_lanes(executor: Executor) -> Submit:
    """Each job on its API's lane (when `executor` has lanes), so one API's waits take no
    thread from another."""

    def submit(job: Job, work: Callable[[], Any]) -> Future[Any]:
        need: Need = job.collection.needs
        return lane_for(executor, need.api).submit(work)

    return submit
