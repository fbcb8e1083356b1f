"""Custom roles of the project and of the organization above it (iam v1 roles.list).

view=FULL returns `includedPermissions`; showDeleted=true returns deleted roles too, so a
binding to one is known to grant nothing rather than left unresolved.
"""

from __future__ import annotations

from typing import Any

from providers.gcp import parse
from providers.gcp.clients import GcpClients
from providers.gcp.runner import Project, gcp_collection
from scanner.collection import Scope
from scanner.inventory import gcp as inv


def _role(raw: dict[str, Any]) -> inv.CustomRole:
    return inv.CustomRole(
        name=str(raw["name"]),
        title=str(raw.get("title", "")),
        stage=str(raw.get("stage") or "ALPHA"),  # Role.stage is omitted for ALPHA
        included_permissions=tuple(str(p) for p in raw.get("includedPermissions") or ()),
        deleted=parse.flag(raw.get("deleted"), "deleted"),
    )


def _list(clients: GcpClients, resource: Any, parent: str) -> tuple[inv.CustomRole, ...]:
    listed = clients.paginate(
        "iam",
        resource,
        "list",
        "roles",
        parent=parent,
        view="FULL",
        showDeleted=True,
        pageSize=1000,
    )
    return tuple(_role(raw) for raw in listed)


def fetch_project_roles(clients: GcpClients, project: Project) -> tuple[inv.CustomRole, ...]:
    return _list(clients, clients.service("iam").projects().roles(), f"projects/{project.id}")


def fetch_org_roles(clients: GcpClients, resource: str) -> tuple[inv.CustomRole, ...]:
    if not resource.startswith("organizations/"):
        return ()  # folders hold no custom roles
    return _list(clients, clients.service("iam").organizations().roles(), resource)


COLLECTIONS = (
    gcp_collection(inv.CUSTOM_ROLES, ("custom_roles",), fetch_project_roles),
    gcp_collection(
        inv.ORG_CUSTOM_ROLES, ("org_custom_roles",), fetch_org_roles, scope=Scope.ANCESTOR
    ),
)
