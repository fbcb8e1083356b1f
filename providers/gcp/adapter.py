"""The GCP provider adapter: which projects, concurrent collection, one inventory each."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import replace
from functools import partial
from typing import Any

from providers.gcp.clients import GcpClients
from providers.gcp.collectors import ancestors, compute, iam, kms, sql, storage, workspace
from providers.gcp.collectors import logging as log_collectors
from providers.gcp.errors import outcome_for
from providers.gcp.lanes import ApiLanes, lane_for
from providers.gcp.permissions import NEEDS, PROJECTS_SEARCH
from providers.gcp.runner import (
    Collection,
    Deadline,
    Pending,
    Project,
    ProjectResults,
    record,
    settle,
    settle_collections,
    submit_collections,
)
from scanner.config import PostureConfig
from scanner.errors import UsageError
from scanner.inventory import gcp as inv
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.progress import NullProgress, ProgressSink
from scanner.providers import CollectRequest

log = logging.getLogger(__name__)

ALL_COLLECTIONS: tuple[Collection, ...] = (
    *iam.COLLECTIONS,
    *storage.COLLECTIONS,
    *kms.COLLECTIONS,
    *log_collectors.COLLECTIONS,
    *compute.COLLECTIONS,
    *sql.COLLECTIONS,
)
WORKSPACE = Collection(
    inv.WORKSPACE_USERS,
    "workspace_users",
    "admin",
    lambda clients, project: (),
)
PROJECT_GET = Collection(
    inv.PROJECT,
    "project",
    "cloudresourcemanager",
    lambda c, p: (),
)

ExecutorFactory = Callable[[int], Executor]
SINK_DESTINATION_INPUTS = frozenset({"log_sinks", "buckets"})
"""Fields `_sink_destinations` reads: their collections are settled before it starts."""


THREADS_PER_REQUEST_SLOT = 2
"""A lane's threads per request slot: the extra ones wait out retries without a slot."""


def _api_lanes(requests_per_api: int) -> Executor:
    return ApiLanes(requests_per_api * THREADS_PER_REQUEST_SLOT)


def _project_from(message: Any) -> Project:
    """A resourcemanager_v3.Project message: name is projects/<number>."""
    return Project(
        id=str(message.project_id),
        number=str(message.name).rsplit("/", 1)[-1] or None,
        display_name=str(message.display_name) or None,
        parent=str(message.parent) or None,
    )


def _active(message: Any) -> bool:
    """ACTIVE; a project with no state at all (never from Google itself) is not skipped."""
    state = getattr(message.state, "name", str(message.state))
    return state in ("ACTIVE", "STATE_UNSPECIFIED")


class GcpProvider:
    def __init__(
        self, config: PostureConfig, executor_factory: ExecutorFactory = _api_lanes
    ) -> None:
        self.config = config.gcp
        self.executor_factory = executor_factory

    # -- which projects ---------------------------------------------------------------------

    def _named_projects(
        self, clients: GcpClients, ids: Iterable[str]
    ) -> tuple[list[Project], dict[str, CollectionOutcome]]:
        projects: list[Project] = []
        failures: dict[str, CollectionOutcome] = {}
        client = clients.projects()
        for project_id in dict.fromkeys(ids):
            try:
                message = client.get_project(
                    name=f"projects/{project_id}", retry=clients.retry, timeout=clients.timeout
                )
            except Exception as exc:
                failures[project_id] = outcome_for(
                    inv.PROJECT, exc, PROJECT_GET.service, PROJECT_GET.permissions[0]
                )
                projects.append(Project(id=project_id))
                continue
            if not _active(message):
                log.warning("skipping project %s: it is not ACTIVE", project_id)
                continue
            projects.append(_project_from(message))
        return projects, failures

    def _ancestry(
        self, clients: GcpClients, parent: str, folders: dict[str, str]
    ) -> tuple[str, ...]:
        """Ancestors nearest first; `folders` caches folder -> parent across projects."""
        chain: list[str] = []
        client = None
        while parent.startswith("folders/") and parent not in chain:
            chain.append(parent)
            if parent not in folders:
                client = client or clients.folders()
                folder = client.get_folder(
                    name=parent, retry=clients.retry, timeout=clients.timeout
                )
                folders[parent] = str(folder.parent)
            parent = folders[parent]
        return (*chain, parent) if parent else tuple(chain)

    def _organization_projects(self, clients: GcpClients, org_id: str) -> list[Project]:
        org = f"organizations/{org_id}"
        pager = clients.projects().search_projects(
            request={"query": ""}, retry=clients.retry, timeout=clients.timeout
        )
        folders: dict[str, str] = {}
        projects = []
        for message in pager:
            if not _active(message):
                continue
            parent = str(message.parent)
            try:
                ancestors = self._ancestry(clients, parent, folders) if parent else (org,)
            except Exception as exc:
                # The search was scoped to what we may see; keep the project, assume the org.
                log.warning("cannot resolve the folders above %s (%s)", message.project_id, exc)
                ancestors = (parent, org)
            if ancestors[-1] != org:
                continue  # visible to the caller, but in another organization
            projects.append(replace(_project_from(message), ancestors=ancestors))
        return sorted(projects, key=lambda p: p.id)

    def _projects(
        self, clients: GcpClients
    ) -> tuple[list[Project], dict[str, CollectionOutcome], list[CollectionOutcome]]:
        """Projects to scan, failed project look-ups, and a failed organization search."""
        if self.config.projects:
            projects, failures = self._named_projects(clients, self.config.projects)
            return projects, failures, []
        if self.config.organization:
            org_id = self.config.organization.removeprefix("organizations/")
            try:
                return self._organization_projects(clients, org_id), {}, []
            except Exception as exc:
                outcome = outcome_for(
                    PROJECTS_SEARCH,
                    exc,
                    "cloudresourcemanager.googleapis.com",
                    NEEDS[PROJECTS_SEARCH].missing,
                    scope=f"organizations/{org_id}",
                )
                return [], {}, [outcome]
        if clients.default_project is None:
            raise UsageError(
                "no GCP project to scan: pass --project or --organization (the Application "
                "Default Credentials name no project)"
            )
        projects, failures = self._named_projects(clients, (clients.default_project,))
        return projects, failures, []

    # -- collection -------------------------------------------------------------------------

    def _projects_by(
        self, clients: GcpClients, executor: Executor, deadline: Deadline
    ) -> tuple[list[Project], dict[str, CollectionOutcome], list[CollectionOutcome]]:
        """`_projects`, unless the deadline passes first: then the look-ups are errors."""
        future = executor.submit(self._projects, clients)
        try:
            return future.result(timeout=deadline.remaining())
        except FuturesTimeout:
            future.cancel()
        if self.config.organization:
            org_id = self.config.organization.removeprefix("organizations/")
            outcome = deadline.outcome(PROJECTS_SEARCH, scope=f"organizations/{org_id}")
            log.warning("%s", outcome.describe())
            return [], {}, [outcome]
        ids = self.config.projects or (
            (clients.default_project,) if clients.default_project else ()
        )
        projects = [Project(id=i) for i in dict.fromkeys(ids)]
        failures = {p.id: deadline.outcome(inv.PROJECT) for p in projects}
        for outcome in failures.values():
            log.warning("%s", outcome.describe())
        return projects, failures, []

    def collect(self, request: CollectRequest) -> list[Inventory]:
        deadline = Deadline(self.config.scan_timeout_seconds)
        clients = GcpClients(self.config)
        clients.load_credentials()
        wanted = [c for c in ALL_COLLECTIONS if c.name in request.collections]
        project_level = request.collections - {inv.WORKSPACE_USERS}
        progress = request.progress or NullProgress()
        workspace_admin = self.config.workspace_admin
        delegated = (
            clients.workspace_credentials(workspace_admin)
            if workspace_admin and inv.WORKSPACE_USERS in request.collections
            else None
        )
        workspace_inventories: list[Inventory] = []
        customer = self.config.workspace_customer
        executor = self.executor_factory(self.config.max_requests_in_flight)
        try:
            users_future = (
                lane_for(executor, WORKSPACE.api).submit(
                    record,
                    WORKSPACE,
                    partial(workspace.fetch_users, clients, delegated, customer),
                    progress,
                    f"{inv.WORKSPACE_USERS} {customer}",
                )
                if delegated is not None
                else None
            )
            projects, lookup_failures, search_failures = (
                self._projects_by(clients, executor, deadline) if project_level else ([], {}, [])
            )
            # Everything independent is in flight before anything is awaited, so one hung
            # call costs only what depends on it.
            pending = submit_collections(wanted, projects, clients, executor, progress)
            inherited = _submit_inherited(
                request.collections, projects, clients, executor, progress
            )
            results: dict[str, ProjectResults] = {}
            if inv.SINK_DESTINATIONS in request.collections:
                first: Pending = {
                    k: f for k, f in pending.items() if k[1].field in SINK_DESTINATION_INPUTS
                }
                settle_collections(first, results, deadline)
                pending = {k: f for k, f in pending.items() if k not in first}
                _sink_destinations(results, clients, executor, progress, deadline)
            settle_collections(pending, results, deadline)
            _settle_inherited(inherited, projects, results, deadline)
            if users_future is not None:
                users, outcome = settle(users_future, inv.WORKSPACE_USERS, deadline)
                workspace_inventories.append(_workspace_inventory(customer, users, outcome))
        finally:
            # Past the deadline, calls still running are abandoned rather than awaited.
            executor.shutdown(wait=False, cancel_futures=True)
        inventories: list[Inventory] = []
        for project in projects:
            slot = results.get(project.id, ProjectResults(values={}, outcomes=[]))
            extra = [lookup_failures[project.id]] if project.id in lookup_failures else []
            inventories.append(_inventory(project, slot, extra))
        if search_failures:
            org = (self.config.organization or "").removeprefix("organizations/")
            inventories.append(
                inv.GcpOrganizationInventory(account=org, outcomes=tuple(search_failures))
            )
        return [*inventories, *workspace_inventories]


def _sink_destinations(
    results: dict[str, ProjectResults],
    clients: GcpClients,
    executor: Executor,
    progress: ProgressSink,
    deadline: Deadline | None = None,
) -> None:
    """The Cloud Storage bucket each sink writes to, wherever it lives.

    Buckets already listed in a scanned project are taken from there; others are read.
    """
    collection = storage.SINK_DESTINATIONS
    listed: dict[str, inv.SinkDestinationBucket] = {
        b.name: inv.SinkDestinationBucket(
            name=b.name,
            retention_period_seconds=b.retention_period_seconds,
            retention_locked=b.retention_locked,
        )
        for slot in results.values()
        for b in slot.values.get("buckets", ())
    }
    jobs = {}
    for project_id, slot in results.items():
        sinks: tuple[inv.LogSink, ...] | None = slot.values.get("log_sinks")
        if sinks is None:
            continue
        names = sorted({s.storage_bucket for s in sinks if s.storage_bucket and not s.disabled})

        def fetch_all(names: list[str] = names) -> tuple[inv.SinkDestinationBucket, ...]:
            return tuple(listed.get(n) or storage.fetch_destination(clients, n) for n in names)

        jobs[project_id] = lane_for(executor, collection.api).submit(
            record, collection, fetch_all, progress, f"{collection.name} {project_id}"
        )
    for project_id, future in jobs.items():
        value, outcome = settle(future, collection.name, deadline, project_id)
        results[project_id].outcomes.append(outcome)
        if outcome.ok:
            results[project_id].values[collection.field or ""] = value


InheritedPending = list[tuple[Collection, dict[str, Future[tuple[Any, CollectionOutcome]]]]]


def _submit_inherited(
    wanted: frozenset[str],
    projects: list[Project],
    clients: GcpClients,
    executor: Executor,
    progress: ProgressSink,
) -> InheritedPending:
    """Reads each folder and organization above the projects once."""
    resources = sorted({a for p in projects for a in p.ancestors})
    readers = (
        (ancestors.AUDIT_CONFIGS, ancestors.fetch_audit_configs),
        (ancestors.SINKS, ancestors.fetch_sinks),
    )
    pending: InheritedPending = []
    for collection, fetch in readers:
        if collection.name not in wanted or not resources:
            continue
        futures = {
            r: lane_for(executor, collection.api).submit(
                record, collection, partial(fetch, clients, r), progress, f"{collection.name} {r}"
            )
            for r in resources
        }
        pending.append((collection, futures))
    return pending


def _settle_inherited(
    pending: InheritedPending,
    projects: list[Project],
    results: dict[str, ProjectResults],
    deadline: Deadline | None = None,
) -> None:
    """Hands what was read above the projects down to each project."""
    for collection, futures in pending:
        done = {r: settle(f, collection.name, deadline, r) for r, f in futures.items()}
        for project in projects:
            if not project.ancestors:
                continue
            slot = results.setdefault(project.id, ProjectResults(values={}, outcomes=[]))
            failed = [(r, done[r][1]) for r in project.ancestors if not done[r][1].ok]
            if failed:
                resource, outcome = failed[0]
                slot.outcomes.append(
                    outcome.model_copy(update={"message": f"{resource}: {outcome.message}"})
                )
                continue
            slot.outcomes.append(CollectionOutcome(collection=collection.name))
            slot.values[collection.field or ""] = tuple(
                item for r in project.ancestors for item in done[r][0]
            )


def _inventory(
    project: Project, slot: ProjectResults, extra: list[CollectionOutcome]
) -> inv.GcpInventory:
    return inv.GcpInventory(
        account=project.id,
        account_name=project.display_name,
        project_number=project.number,
        parent=project.parent,
        ancestors=project.ancestors,
        scopes=(project.id,),
        outcomes=(*extra, *slot.outcomes),
        **slot.values,
    )


def _workspace_inventory(
    customer: str, users: Any, outcome: CollectionOutcome
) -> inv.GcpWorkspaceInventory:
    found: tuple[inv.WorkspaceUser, ...] = users or ()
    # "my_customer" is an alias: the users carry the real customer id.
    account = found[0].customer_id if found else customer
    return inv.GcpWorkspaceInventory(
        account=account,
        scopes=(account,),
        outcomes=(outcome,),
        workspace_users=found,
        directory_users=tuple(workspace.directory_user(u) for u in found),
    )


def iter_permissions() -> Iterator[str]:
    """Every IAM permission the collections need (for documentation and tests)."""
    for need in NEEDS.values():
        if not need.delegated:
            yield from need.permissions
