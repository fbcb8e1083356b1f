"""The GCP provider adapter: which projects, concurrent collection, one inventory each."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass, field
from typing import Any

from google.auth.credentials import Credentials

from providers.gcp import scopes
from providers.gcp.clients import GcpClients
from providers.gcp.collections import COLLECTIONS
from providers.gcp.collectors import projects as project_lookup
from providers.gcp.collectors import workspace
from providers.gcp.disabled import DisabledNotes
from providers.gcp.errors import outcome_for
from providers.gcp.lanes import ApiLanes
from providers.gcp.permissions import NEEDS, PROJECTS_SEARCH
from providers.gcp.runner import GcpCollection, Project, classify, on_lanes
from scanner.collection import Collected, Deadline, Job, JobRun, Recorder, Scope
from scanner.config import PostureConfig
from scanner.errors import UsageError
from scanner.inventory import gcp as inv
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.providers import CollectRequest, JobIO

log = logging.getLogger(__name__)

ExecutorFactory = Callable[[int], Executor]

THREADS_PER_REQUEST_SLOT = 2
"""A lane's threads per request slot: the extra ones wait out retries without a slot."""

Plan = tuple[list[Project], dict[str, CollectionOutcome], list[CollectionOutcome]]
"""Projects to scan, failed project look-ups by project, and a failed organization search
(or the projects it returned whose folders could not be read)."""


def _api_lanes(requests_per_api: int) -> Executor:
    return ApiLanes(requests_per_api * THREADS_PER_REQUEST_SLOT)


def _lookup_failed(exc: Exception) -> CollectionOutcome:
    # The look-up is the first call of PROJECT's need; the folders are read by the search.
    need = project_lookup.PROJECT.needs
    return outcome_for(inv.PROJECT, exc, need.service, need.calls[0].permission)


def _unplaced(project: project_lookup.Unplaced, org_id: str) -> CollectionOutcome:
    need = project_lookup.PROJECT.needs
    failed = outcome_for(
        PROJECTS_SEARCH,
        project.error,
        need.service,
        need.calls[1].permission,  # resourcemanager.folders.get
        scope=f"projects/{project.project_id}",
    )
    return failed.model_copy(
        update={
            "message": f"the folders above project {project.project_id} ({project.parent}) "
            f"could not be read ({failed.message}); it is not known to be in "
            f"organizations/{org_id} and was not scanned"
        }
    )


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
        for project_id in dict.fromkeys(ids):
            try:
                found = project_lookup.PROJECT.fetch(clients, Project(id=project_id))
            except Exception as exc:
                failures[project_id] = _lookup_failed(exc)
                projects.append(Project(id=project_id))
                continue
            if found is not None:
                projects.append(found)
        return projects, failures

    def _projects(self, clients: GcpClients) -> Plan:
        """Projects to scan, failed project look-ups, and a failed organization search."""
        if self.config.projects:
            projects, failures = self._named_projects(clients, self.config.projects)
            return projects, failures, []
        if self.config.organization:
            org_id = self.config.organization.removeprefix("organizations/")
            try:
                projects, unplaced = project_lookup.search_organization(clients, org_id)
            except Exception as exc:
                need = NEEDS[PROJECTS_SEARCH]
                outcome = outcome_for(
                    PROJECTS_SEARCH,
                    exc,
                    need.service,
                    need.missing,
                    scope=f"organizations/{org_id}",
                )
                return [], {}, [outcome]
            return projects, {}, [_unplaced(u, org_id) for u in unplaced]
        if clients.default_project is None:
            raise UsageError(
                "no GCP project to scan: pass --project or --organization (the Application "
                "Default Credentials name no project)"
            )
        projects, failures = self._named_projects(clients, (clients.default_project,))
        return projects, failures, []

    # -- collection -------------------------------------------------------------------------

    def _projects_by(self, clients: GcpClients, executor: Executor, deadline: Deadline) -> Plan:
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

    def _planned(
        self, clients: GcpClients, executor: Executor, deadline: Deadline, job: JobIO | None
    ) -> Plan:
        """The projects this collection covers: listed here (the whole scan), or as the
        planner of a distributed run listed them (one project; the ancestors' chains)."""
        kind = scopes.part(job)
        if job is None or kind is None:
            return self._projects_by(clients, executor, deadline)
        if kind == scopes.PROJECT:
            return [scopes.project_of(job)], {}, []
        if kind == scopes.ANCESTORS:
            # Stand-ins that carry only the chains: no project inventory is built from them.
            chains = scopes.chains_of(job)
            return [Project(id=f"chain-{i}", ancestors=c) for i, c in enumerate(chains)], {}, []
        return [], {}, []

    def collect(self, request: CollectRequest) -> list[Inventory]:
        kind = scopes.part(request.job)
        deadline = Deadline(self.config.scan_timeout_seconds)
        clients = GcpClients(self.config)
        clients.load_credentials()
        if request.job is not None and request.job.broker:
            clients.share_quota(request.job.broker)
        wanted = [c for c in COLLECTIONS if c.name in request.collections]
        directory = [c for c in wanted if c.scope is Scope.ORG]
        project_level = request.collections - {c.name for c in directory}
        workspace_admin = self.config.workspace_admin
        # One delegated credential per OAuth scope: a scope not delegated fails only its own.
        delegated = (
            {
                c.name: clients.workspace_credentials(workspace_admin, c.needs.scope)
                for c in directory
            }
            if workspace_admin
            and inv.WORKSPACE_USERS in request.collections
            and kind in (None, scopes.WORKSPACE)
            else None
        )
        customer = self.config.workspace_customer
        executor = self.executor_factory(self.config.max_requests_in_flight)
        # Everything independent is in flight before anything is awaited, so one hung call
        # costs only what depends on it: the Workspace directory is read while planning.
        run = JobRun(on_lanes(executor), Recorder(classify, request.progress), deadline)
        disabled = DisabledNotes()
        try:
            if delegated is not None:
                run.start(_workspace_jobs(wanted, clients, delegated, customer))
            projects, lookup_failures, search_failures = (
                self._planned(clients, executor, deadline, request.job)
                if project_level and kind != scopes.WORKSPACE
                else ([], {}, [])
            )
            run.start(
                [
                    *(
                        _project_jobs(wanted, projects, clients, disabled)
                        if kind != scopes.ANCESTORS
                        else []
                    ),
                    *(_ancestor_jobs(wanted, projects, clients) if kind != scopes.PROJECT else []),
                ]
            )
            collected = run.finish()
        finally:
            # Past the deadline, calls still running are abandoned rather than awaited.
            executor.shutdown(wait=False, cancel_futures=True)
        ancestral = [c for c in wanted if c.scope is Scope.ANCESTOR]
        inherited = [c for c in ancestral if c.inventory is inv.GcpInventory]
        resources = {a for p in projects for a in p.ancestors}
        if request.job is not None and kind == scopes.PROJECT:
            org = f"organizations/{(self.config.organization or '').removeprefix('organizations/')}"
            scopes.receive(collected, inherited, resources, request.job.received, org)
        by_project = _by_project(collected, disabled)
        inventories: list[Inventory] = []
        if kind != scopes.ANCESTORS:
            inventories += [
                _inventory(p, collected, by_project, inherited, lookup_failures.get(p.id))
                for p in projects
            ]
        if kind != scopes.PROJECT:
            inventories += _ancestor_inventories(projects, collected, by_project, ancestral)
        if request.job is not None and kind == scopes.ANCESTORS:
            request.job.hand_down.update(scopes.hand_down(collected, inherited, resources))
        if search_failures:
            org = (self.config.organization or "").removeprefix("organizations/")
            inventories.append(
                inv.GcpOrganizationInventory(account=org, outcomes=tuple(search_failures))
            )
        if delegated is not None:
            inventories.append(_workspace_inventory(customer, collected, directory))
        return inventories


def _project_jobs(
    wanted: Sequence[GcpCollection],
    projects: Sequence[Project],
    clients: GcpClients,
    disabled: DisabledNotes,
) -> list[Job]:
    """Every (project, collection) pair; the look-up itself was the planning."""
    per_project = [
        c for c in wanted if c.scope is Scope.PROJECT and c is not project_lookup.PROJECT
    ]

    def job(c: GcpCollection, project: Project) -> Job:
        def run(seen: Collected) -> Any:
            if c.after:
                return disabled.guard(c, project, lambda: c.fetch(clients, project, seen))
            return disabled.guard(c, project, lambda: c.fetch(clients, project))

        return Job(c, project.id, run)

    return [job(c, p) for p in projects for c in per_project]


def _ancestor_jobs(
    wanted: Sequence[GcpCollection], projects: Sequence[Project], clients: GcpClients
) -> list[Job]:
    """Each folder and organization above the projects, read once."""
    resources = sorted({a for p in projects for a in p.ancestors})

    def job(c: GcpCollection, resource: str) -> Job:
        if c.after:
            return Job(c, resource, lambda seen: c.fetch(clients, resource, seen))
        return Job(c, resource, lambda _: c.fetch(clients, resource))

    return [job(c, r) for c in wanted if c.scope is Scope.ANCESTOR for r in resources]


def _workspace_jobs(
    wanted: Sequence[GcpCollection],
    clients: GcpClients,
    delegated: dict[str, Credentials],
    customer: str,
) -> list[Job]:
    def job(c: GcpCollection) -> Job:
        return Job(c, customer, lambda _: c.fetch(clients, delegated[c.name], customer))

    return [job(c) for c in wanted if c.scope is Scope.ORG]


def _own(outcome: CollectionOutcome, message: str | None = None) -> CollectionOutcome:
    """An outcome as its inventory holds it: the inventory is the scope."""
    update: dict[str, Any] = {"scope": None}
    if message is not None:
        update["message"] = message
    return outcome.model_copy(update=update)


@dataclass
class _ByProject:
    """The run's outcomes and values by project, and the ancestors' outcomes."""

    outcomes: dict[str, list[CollectionOutcome]] = field(default_factory=dict)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    ancestors: dict[tuple[str, str | None], CollectionOutcome] = field(default_factory=dict)


def _by_project(collected: Collected, disabled: DisabledNotes) -> _ByProject:
    out = _ByProject()
    for o in collected.outcomes:
        kind = collected.collections[o.collection].scope
        if kind is Scope.PROJECT and o.scope is not None:
            # An ok outcome of a project whose API is off says so.
            note = disabled.messages.get((o.collection, o.scope)) if o.ok else None
            out.outcomes.setdefault(o.scope, []).append(_own(o, note))
        elif kind is Scope.ANCESTOR:
            out.ancestors[(o.collection, o.scope)] = o
    for (name, scope), value in collected.values.items():
        collection = collected.collections[name]
        if collection.scope is Scope.PROJECT and scope is not None:
            out.fields.setdefault(scope, {}).update(collection.fold(value))
    return out


def _inventory(
    project: Project,
    collected: Collected,
    by_project: _ByProject,
    inherited: Sequence[GcpCollection],
    lookup_failure: CollectionOutcome | None,
) -> inv.GcpInventory:
    outcomes = [lookup_failure] if lookup_failure is not None else []
    outcomes += by_project.outcomes.get(project.id, [])
    fields = dict(by_project.fields.get(project.id, {}))
    if project.ancestors:
        for c in inherited:
            outcome, value = _handed_down(c, project.ancestors, by_project.ancestors, collected)
            outcomes.append(outcome)
            if value is not None:
                fields.update(c.fold(value))
    return inv.GcpInventory(
        account=project.id,
        ancestors=project.ancestors,
        scopes=(project.id,),
        outcomes=tuple(outcomes),
        **project.header(),
        **fields,
    )


def _handed_down(
    collection: GcpCollection,
    ancestors: tuple[str, ...],
    ended: dict[tuple[str, str | None], CollectionOutcome],
    collected: Collected,
) -> tuple[CollectionOutcome, tuple[Any, ...] | None]:
    """What the project's ancestors passed down, nearest first; or the first that failed,
    named in the message."""
    for resource in ancestors:
        outcome = ended[(collection.name, resource)]
        if not outcome.ok:
            return _own(outcome, f"{resource}: {outcome.message}"), None
    value = tuple(item for r in ancestors for item in collected.value(collection.name, r))
    return CollectionOutcome(collection=collection.name), value


def _chains(projects: Sequence[Project]) -> dict[str, tuple[str, ...]]:
    """Each folder and organization above the projects -> itself then its own ancestors."""
    chains: dict[str, tuple[str, ...]] = {}
    for project in projects:
        for i, resource in enumerate(project.ancestors):
            chains.setdefault(resource, project.ancestors[i:])
    return chains


def _ancestor_inventories(
    projects: Sequence[Project],
    collected: Collected,
    by_project: _ByProject,
    ancestral: Sequence[GcpCollection],
) -> list[inv.GcpAncestorInventory]:
    """One inventory per folder and organization whose allow policy was read (or failed):
    its policy, and the organization's custom roles its bindings may name."""
    policy = next((c for c in ancestral if c.name == inv.ANCESTOR_IAM_POLICY), None)
    if policy is None:
        return []
    org_roles = [c for c in ancestral if c.name == inv.ORG_CUSTOM_ROLES]
    out = []
    for resource, chain in sorted(_chains(projects).items()):
        ended = by_project.ancestors.get((policy.name, resource))
        if ended is None:
            continue  # it does not exist (404): nothing to judge
        outcomes = [_own(ended)]
        fields: dict[str, Any] = {}
        if ended.ok:
            fields.update(policy.fold(collected.value(policy.name, resource)))
        for c in org_roles:
            outcome, value = _handed_down(c, chain, by_project.ancestors, collected)
            outcomes.append(outcome)
            if value is not None:
                fields.update(c.fold(value))
        out.append(
            inv.GcpAncestorInventory(
                account=resource, scopes=(resource,), outcomes=tuple(outcomes), **fields
            )
        )
    return out


def _workspace_inventory(
    customer: str, collected: Collected, directory: Sequence[GcpCollection]
) -> inv.GcpWorkspaceInventory:
    names = {c.name for c in directory}
    outcomes = [_own(o) for o in collected.outcomes if o.collection in names]
    found: tuple[inv.WorkspaceUser, ...] = collected.value(inv.WORKSPACE_USERS, customer, ())
    fields: dict[str, Any] = {}
    for c in directory:
        if collected.ok(c.name, customer):
            fields.update(c.fold(collected.value(c.name, customer)))
    # "my_customer" is an alias: the users carry the real customer id.
    account = found[0].customer_id if found else customer
    return inv.GcpWorkspaceInventory(
        account=account,
        scopes=(account,),
        outcomes=tuple(outcomes),
        directory_users=tuple(workspace.directory_user(u) for u in found),
        **fields,
    )


def iter_permissions() -> Iterator[str]:
    """Every IAM permission the collections need (for documentation and tests)."""
    for need in NEEDS.values():
        if not need.delegated:
            yield from need.permissions
