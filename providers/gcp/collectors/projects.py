"""Which projects (Resource Manager): a named project's look-up, an organization's search.

Both are the scan's planning step, read before any project-level collection: a failed look-up
is the project's PROJECT outcome, a failed search the organization's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from providers.gcp.clients import GcpClients
from providers.gcp.runner import Project, gcp_collection
from scanner.inventory import gcp as inv

log = logging.getLogger(__name__)


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


def fetch_project(clients: GcpClients, project: Project) -> Project | None:
    """The named project as Resource Manager knows it; None when it is not ACTIVE."""
    message = clients.projects().get_project(
        name=f"projects/{project.id}", retry=clients.retry, timeout=clients.timeout
    )
    if not _active(message):
        log.warning("skipping project %s: it is not ACTIVE", project.id)
        return None
    return _project_from(message)


def _ancestry(clients: GcpClients, parent: str, folders: dict[str, str]) -> tuple[str, ...]:
    """Ancestors nearest first; `folders` caches folder -> parent across projects."""
    chain: list[str] = []
    client = None
    while parent.startswith("folders/") and parent not in chain:
        chain.append(parent)
        if parent not in folders:
            client = client or clients.folders()
            folder = client.get_folder(name=parent, retry=clients.retry, timeout=clients.timeout)
            folders[parent] = str(folder.parent)
        parent = folders[parent]
    return (*chain, parent) if parent else tuple(chain)


@dataclass(frozen=True)
class Unplaced:
    """A project the search returned whose folder chain could not be read: it may belong to
    another organization, so it is neither scanned nor assumed to be in this one."""

    project_id: str
    parent: str
    error: Exception


def search_organization(clients: GcpClients, org_id: str) -> tuple[list[Project], list[Unplaced]]:
    """The organization's ACTIVE projects the caller may see, with the folders above each,
    and the projects whose folders could not be read."""
    org = f"organizations/{org_id}"
    pager = clients.projects().search_projects(
        request={"query": ""}, retry=clients.retry, timeout=clients.timeout
    )
    folders: dict[str, str] = {}
    projects = []
    unplaced = []
    for message in pager:
        if not _active(message):
            continue
        parent = str(message.parent)
        try:
            ancestors = _ancestry(clients, parent, folders) if parent else (org,)
        except Exception as exc:
            # The search returns every project the caller may see, in any organization.
            unplaced.append(Unplaced(str(message.project_id), parent, exc))
            continue
        if ancestors[-1] != org:
            continue  # visible to the caller, but in another organization
        projects.append(replace(_project_from(message), ancestors=ancestors))
    return sorted(projects, key=lambda p: p.id), unplaced


PROJECT = gcp_collection(
    inv.PROJECT, ("account_name", "project_number", "parent"), fetch_project, always=True
)
"""Read while planning, not as a job: the Project it returns heads the project's inventory
(`Project.header`); a look-up that ended ok records no outcome."""
