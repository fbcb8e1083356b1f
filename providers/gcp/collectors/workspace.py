"""Google Workspace users (Admin SDK directory API) with their 2-step verification state."""

from __future__ import annotations

from typing import Any

from google.auth.credentials import Credentials

from providers.gcp import parse
from providers.gcp.clients import GcpClients
from providers.gcp.runner import gcp_collection
from scanner.collection import Scope
from scanner.inventory import gcp as inv
from scanner.inventory.common import DirectoryUser


def _user(raw: dict[str, Any], customer: str) -> inv.WorkspaceUser:
    return inv.WorkspaceUser(
        id=str(raw["id"]),
        primary_email=str(raw.get("primaryEmail", "")),
        customer_id=str(raw.get("customerId") or customer),
        full_name=(raw.get("name") or {}).get("fullName"),
        suspended=parse.flag(raw.get("suspended"), "suspended"),
        archived=parse.flag(raw.get("archived"), "archived"),
        is_admin=parse.flag(raw.get("isAdmin"), "isAdmin"),
        enrolled_2sv=parse.flag(raw.get("isEnrolledIn2Sv"), "isEnrolledIn2Sv"),
        enforced_2sv=parse.flag(raw.get("isEnforcedIn2Sv"), "isEnforcedIn2Sv"),
        created=parse.timestamp(raw.get("creationTime")),
        last_login=parse.timestamp(raw.get("lastLoginTime")),
    )


def directory_user(user: inv.WorkspaceUser) -> DirectoryUser:
    status = "SUSPENDED" if user.suspended else "ARCHIVED" if user.archived else "ACTIVE"
    never = user.last_login is not None and user.last_login.year <= 1970
    return DirectoryUser(
        uid=user.id,
        login=user.primary_email,
        email=user.primary_email,
        display_name=user.full_name,
        status=status,
        active=status == "ACTIVE",
        created=user.created,
        last_login=None if never else user.last_login,
    )


def fetch_users(
    clients: GcpClients, credentials: Credentials, customer: str
) -> tuple[inv.WorkspaceUser, ...]:
    users = clients.service("admin").users()
    listed = clients.paginate(
        "admin",
        users,
        "list",
        "users",
        credentials=credentials,
        customer=customer,
        maxResults=500,
        projection="basic",
    )
    return tuple(_user(raw, customer) for raw in listed)


COLLECTIONS = (
    gcp_collection(
        inv.WORKSPACE_USERS,
        ("workspace_users",),
        fetch_users,
        scope=Scope.ORG,
        derived=("directory_users",),
        inventory=inv.GcpWorkspaceInventory,
    ),
)
