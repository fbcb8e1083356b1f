"""Google Workspace users (Admin SDK directory API) with their 2-step verification state, the
organizational units, and who signs in through a third-party identity provider (Cloud
Identity inbound SSO assignments and profiles)."""

from __future__ import annotations

from typing import Any

from google.auth.credentials import Credentials

from providers.gcp import parse
from providers.gcp.clients import GcpClients
from providers.gcp.runner import GcpCollection, gcp_collection
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
        org_unit_path=str(raw.get("orgUnitPath") or "/"),
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


def fetch_org_units(
    clients: GcpClients, credentials: Credentials, customer: str
) -> tuple[inv.OrgUnit, ...]:
    """orgunits.list type=all: every unit below the root in one answer (it does not page)."""
    request = clients.service("admin").orgunits().list(customerId=customer, type="all")
    listed = clients.execute("admin", request, credentials).get("organizationUnits") or ()
    return tuple(
        inv.OrgUnit(
            id=str(raw.get("orgUnitId", "")).removeprefix("id:"),
            path=str(raw.get("orgUnitPath", "")),
            parent_id=str(raw.get("parentOrgUnitId", "")).removeprefix("id:") or None,
        )
        for raw in listed
    )


def _profile_names(clients: GcpClients, credentials: Credentials, filter_: str) -> dict[str, str]:
    api = clients.service("cloudidentity")
    names: dict[str, str] = {}
    for kind in ("inboundSamlSsoProfiles", "inboundOidcSsoProfiles"):
        listed = clients.paginate(
            "cloudidentity",
            getattr(api, kind)(),
            "list",
            kind,
            credentials=credentials,
            filter=filter_,
            pageSize=100,
        )
        names.update((str(p["name"]), str(p.get("displayName") or p["name"])) for p in listed)
    return names


def _assignment(raw: dict[str, Any], names: dict[str, str]) -> inv.SsoAssignment:
    profile = (raw.get("samlSsoInfo") or {}).get("inboundSamlSsoProfile") or (
        raw.get("oidcSsoInfo") or {}
    ).get("inboundOidcSsoProfile")
    redirect = (raw.get("signInBehavior") or {}).get("redirectCondition")
    return inv.SsoAssignment(
        name=str(raw.get("name", "")),
        target_org_unit=raw.get("targetOrgUnit") or None,
        target_group=raw.get("targetGroup") or None,
        rank=int(raw.get("rank") or 0),
        sso_mode=str(raw.get("ssoMode") or "SSO_MODE_UNSPECIFIED"),
        profile=profile or None,
        profile_name=names.get(str(profile)) if profile else None,
        # NEVER: sign-ins that prompt for an identity stay with Google (a Google password).
        redirect_never=redirect == "NEVER",
    )


def fetch_sso_assignments(
    clients: GcpClients, credentials: Credentials, customer: str
) -> tuple[inv.SsoAssignment, ...]:
    """inboundSsoAssignments.list, filtered by customer ("customers/my_customer" is the
    caller's own), with the SAML and OIDC profiles' display names."""
    filter_ = f'customer=="customers/{customer}"'
    listed = clients.paginate(
        "cloudidentity",
        clients.service("cloudidentity").inboundSsoAssignments(),
        "list",
        "inboundSsoAssignments",
        credentials=credentials,
        filter=filter_,
        pageSize=100,
    )
    names = _profile_names(clients, credentials, filter_) if listed else {}
    return tuple(_assignment(raw, names) for raw in listed)


def _workspace(name: str, fields: tuple[str, ...], fetch: Any, **kw: Any) -> GcpCollection:
    return gcp_collection(
        name, fields, fetch, scope=Scope.ORG, inventory=inv.GcpWorkspaceInventory, **kw
    )


COLLECTIONS = (
    _workspace(
        inv.WORKSPACE_USERS, ("workspace_users",), fetch_users, derived=("directory_users",)
    ),
    _workspace(inv.WORKSPACE_ORG_UNITS, ("org_units",), fetch_org_units),
    _workspace(inv.WORKSPACE_SSO, ("sso_assignments",), fetch_sso_assignments),
)
