"""The GCP provider adapter: which projects, concurrent collection, one inventory each."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from providers.gcp.clients import GcpClients
from providers.gcp.collectors import compute, iam, kms, sql, storage, workspace
from providers.gcp.collectors import logging as log_collectors
from providers.gcp.errors import outcome_for
from providers.gcp.runner import Collection, Project, ProjectResults, record, run_collections
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
PROJECTS_SEARCH = "gcp.resourcemanager.projects"
WORKSPACE = Collection(
    inv.WORKSPACE_USERS,
    "workspace_users",
    "admin",
    ("Admin SDK scope admin.directory.user.readonly via domain-wide delegation",),
    lambda clients, project: (),
)
PROJECT_GET = Collection(
    inv.PROJECT,
    "project",
    "cloudresourcemanager",
    ("resourcemanager.projects.get", "resourcemanager.folders.get"),
    lambda c, p: (),
)

ExecutorFactory = Callable[[int], Executor]


def _thread_pool(workers: int) -> Executor:
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="posture-gcp")


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
        self, config: PostureConfig, executor_factory: ExecutorFactory = _thread_pool
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
                    inv.PROJECT, exc, PROJECT_GET.service, "resourcemanager.projects.get"
                )
                projects.append(Project(id=project_id))
                continue
            if not _active(message):
                log.warning("skipping project %s: it is not ACTIVE", project_id)
                continue
            projects.append(_project_from(message))
        return projects, failures

    def _in_organization(self, clients: GcpClients, parent: str, org: str) -> bool:
        folders = clients.folders()
        seen: set[str] = set()
        while parent.startswith("folders/") and parent not in seen:
            seen.add(parent)
            try:
                parent = str(
                    folders.get_folder(
                        name=parent, retry=clients.retry, timeout=clients.timeout
                    ).parent
                )
            except Exception as exc:
                log.warning("cannot resolve %s (%s); scanning its project", parent, exc)
                return True
        return parent == org

    def _organization_projects(self, clients: GcpClients, org_id: str) -> list[Project]:
        org = f"organizations/{org_id}"
        pager = clients.projects().search_projects(
            request={"query": ""}, retry=clients.retry, timeout=clients.timeout
        )
        projects = []
        for message in pager:
            if not _active(message):
                continue
            parent = str(message.parent)
            if parent.startswith("organizations/") and parent != org:
                continue  # visible to the caller, but another organization's
            if parent.startswith("folders/") and not self._in_organization(clients, parent, org):
                continue
            projects.append(_project_from(message))
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
                    "resourcemanager.projects.get (search)",
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

    def collect(self, request: CollectRequest) -> list[Inventory]:
        clients = GcpClients(self.config)
        if not clients.all_local:
            clients.credentials("cloudresourcemanager")  # fail early on bad credentials
        projects, lookup_failures, search_failures = self._projects(clients)
        wanted = [c for c in ALL_COLLECTIONS if c.name in request.collections]
        progress = request.progress or NullProgress()
        workspace_admin = self.config.workspace_admin
        delegated = (
            clients.workspace_credentials(workspace_admin)
            if workspace_admin and inv.WORKSPACE_USERS in request.collections
            else None
        )
        workspace_inventories: list[Inventory] = []
        with self.executor_factory(self.config.max_workers) as executor:
            results = run_collections(wanted, projects, clients, executor, progress)
            if inv.SINK_DESTINATIONS in request.collections:
                _sink_destinations(results, clients, executor, progress)
            if delegated is not None:
                customer = self.config.workspace_customer
                future = executor.submit(
                    record,
                    WORKSPACE,
                    lambda: workspace.fetch_users(clients, delegated, customer),
                    progress,
                    f"{inv.WORKSPACE_USERS} {customer}",
                )
                users, outcome = future.result()
                workspace_inventories.append(_workspace_inventory(customer, users, outcome))
        inventories: list[Inventory] = []
        for project in projects:
            slot = results.get(project.id, ProjectResults(values={}, outcomes=[]))
            extra = [lookup_failures[project.id]] if project.id in lookup_failures else []
            inventories.append(_inventory(project, slot, extra))
        if search_failures:
            org = (self.config.organization or "").removeprefix("organizations/")
            inventories.append(inv.GcpInventory(account=org, outcomes=tuple(search_failures)))
        return [*inventories, *workspace_inventories]


def _sink_destinations(
    results: dict[str, ProjectResults],
    clients: GcpClients,
    executor: Executor,
    progress: ProgressSink,
) -> None:
    """Reads each Cloud Storage bucket a sink writes to, wherever it lives."""
    collection = storage.SINK_DESTINATIONS
    jobs = {}
    for project_id, slot in results.items():
        sinks: tuple[inv.LogSink, ...] | None = slot.values.get("log_sinks")
        if sinks is None:
            continue
        names = sorted({s.storage_bucket for s in sinks if s.storage_bucket and not s.disabled})

        def fetch_all(names: list[str] = names) -> tuple[inv.SinkDestinationBucket, ...]:
            return tuple(storage.fetch_destination(clients, n) for n in names)

        jobs[project_id] = executor.submit(
            record, collection, fetch_all, progress, f"{collection.name} {project_id}"
        )
    for project_id, future in jobs.items():
        value, outcome = future.result()
        results[project_id].outcomes.append(outcome)
        if outcome.ok:
            results[project_id].values[collection.field or ""] = value


def _inventory(
    project: Project, slot: ProjectResults, extra: list[CollectionOutcome]
) -> inv.GcpInventory:
    return inv.GcpInventory(
        account=project.id,
        account_name=project.display_name,
        project_number=project.number,
        parent=project.parent,
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
    for collection in (*ALL_COLLECTIONS, storage.SINK_DESTINATIONS, PROJECT_GET):
        yield from collection.permissions
