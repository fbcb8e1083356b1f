"""GCP in a distributed run: one job per project, one for the folders and organization above
them, one for the Google Workspace directory.

The planner lists the projects as the in-process scan does (the organization's active
projects with the folders above each, or the --project list). What the in-process scan reads
once for all projects is read once here too: the ancestors job reads each folder's and the
organization's allow policy, sinks and custom roles, judges the ancestors' own inventories and
hands down to every project job what that project inherits (the project jobs start after it).
A listing that failed, or found a project whose folders it could not read, is not split: GCP
then runs as one job, which reports the failure exactly as the in-process scan does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from scanner.collection import Collected
from scanner.config import PostureConfig
from scanner.inventory import gcp as inv
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from scanner.plugin import AFTER, PlannedScope
from scanner.providers import JobIO

PART = "part"
PROJECT, ANCESTORS, WORKSPACE = "project", "ancestors", "workspace"
WHOLE = "*"
"""The one-job scope: the config's whole GCP scan (no organization, or its listing failed)."""


def list_scopes(config: PostureConfig) -> list[PlannedScope]:
    """The jobs, in the order the in-process scan reports its inventories: projects, their
    ancestors, the Workspace directory."""
    gcp = config.gcp
    scopes: list[PlannedScope]
    if gcp.projects:
        scopes = [PlannedScope(p) for p in dict.fromkeys(gcp.projects)]
    elif gcp.organization:
        scopes = _organization_scopes(config)
    else:
        scopes = [PlannedScope(WHOLE)]  # the credentials' default project
    if gcp.workspace_admin:
        scopes.append(PlannedScope(gcp.workspace_customer, None, {PART: WORKSPACE}))
    return scopes


def _organization_scopes(config: PostureConfig) -> list[PlannedScope]:
    from providers.gcp.clients import GcpClients
    from providers.gcp.collectors.projects import search_organization

    org_id = (config.gcp.organization or "").removeprefix("organizations/")
    clients = GcpClients(config.gcp)
    clients.load_credentials()
    try:
        projects, unplaced = search_organization(clients, org_id)
    except Exception:
        return [PlannedScope(WHOLE)]
    if unplaced:
        return [PlannedScope(WHOLE)]
    org = f"organizations/{org_id}"
    chains = sorted({p.ancestors for p in projects if p.ancestors})
    after = [org] if chains else []
    scopes = [
        PlannedScope(p.id, p.display_name, {PART: PROJECT, "project": _as_json(p), AFTER: after})
        for p in projects
    ]
    if chains:
        scopes.append(PlannedScope(org, None, {PART: ANCESTORS, "chains": chains}))
    return scopes


def narrow(config: PostureConfig, scope: str) -> PostureConfig:
    """The config of one job. A --project job reads that project only; the Workspace
    directory is read by its own job alone."""
    gcp = config.gcp
    update: dict[str, Any] = {}
    if scope != gcp.workspace_customer or not gcp.workspace_admin:
        update["workspace_admin"] = None
    if gcp.projects and scope in gcp.projects:
        update["projects"] = (scope,)
    return config.model_copy(update={"gcp": gcp.model_copy(update=update)})


# -- what the jobs pass on -------------------------------------------------------------------


def part(job: JobIO | None) -> str | None:
    """Which part of the GCP scan this collection is; None for the whole (in-process) scan."""
    return str(job.detail.get(PART)) if job is not None and job.detail.get(PART) else None


def _as_json(project: Any) -> dict[str, Any]:
    return dataclasses.asdict(project)


def project_of(job: JobIO) -> Any:
    from providers.gcp.runner import Project

    data = dict(job.detail["project"])
    data["ancestors"] = tuple(data.get("ancestors") or ())
    return Project(**data)


def chains_of(job: JobIO) -> list[tuple[str, ...]]:
    return [tuple(chain) for chain in job.detail.get("chains", ())]


def hand_down(
    collected: Collected, collections: Sequence[Any], resources: Iterable[str]
) -> dict[str, Any]:
    """Each (collection, ancestor) the project jobs inherit: its outcome and its value."""
    entries = []
    for resource in sorted(set(resources)):
        for c in collections:
            outcome = next(
                (o for o in collected.outcomes if o.collection == c.name and o.scope == resource),
                None,
            )
            if outcome is None:
                continue
            entry: dict[str, Any] = {"outcome": outcome.model_dump(mode="json")}
            if collected.ok(c.name, resource):
                fields = c.fold(collected.value(c.name, resource))
                carrier = inv.GcpInventory(account=resource, **fields)
                entry["fields"] = carrier.model_dump(mode="json", include=set(fields))
            entries.append(entry)
    return {"inherited": entries}


def receive(
    collected: Collected,
    collections: Sequence[Any],
    ancestors: Iterable[str],
    received: Mapping[str, Any],
    source: str,
) -> None:
    """Adds what the ancestors job handed down to this project job's `collected`, as if read
    here; an ancestor it has nothing for (its job failed) is an error naming that job."""
    by_key: dict[tuple[str, str | None], dict[str, Any]] = {}
    for handed in received.values():
        for entry in handed.get("inherited", ()):
            outcome = CollectionOutcome.model_validate(entry["outcome"])
            by_key[(outcome.collection, outcome.scope)] = entry
    for c in collections:
        collected.collections[c.name] = c
        for resource in ancestors:
            entry = by_key.get((c.name, resource))
            if entry is None:
                collected.outcomes.append(
                    CollectionOutcome(
                        collection=c.name,
                        scope=resource,
                        outcome=Outcome.ERROR,
                        message=f"not collected: the job reading {source} did not finish",
                    )
                )
                continue
            collected.outcomes.append(CollectionOutcome.model_validate(entry["outcome"]))
            if "fields" in entry:
                carrier = inv.GcpInventory.model_validate({"account": resource, **entry["fields"]})
                (field,) = c.fields
                collected.values[(c.name, resource)] = getattr(carrier, field)
