"""What each collection reads from Graph and which application permission or licence it needs.

A 403 from Graph does not say which permission is missing, so posture names it from here.
No SDK imports: the README table and `missing` in collection outcomes are built from this.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.inventory import azuread as inv

P1 = "Microsoft Entra ID P1 licence"
P2 = "Microsoft Entra ID P2 licence"


@dataclass(frozen=True)
class Need:
    request: str
    permission: str
    licence: str | None = None


NEEDS: dict[str, Need] = {
    inv.ORGANIZATION: Need("GET /organization", "Organization.Read.All"),
    inv.USERS: Need("GET /users", "User.Read.All"),
    inv.SIGN_IN_ACTIVITY: Need("GET /users?$select=signInActivity", "AuditLog.Read.All", P1),
    inv.MFA_REGISTRATION: Need(
        "GET /reports/authenticationMethods/userRegistrationDetails", "AuditLog.Read.All", P1
    ),
    inv.CONDITIONAL_ACCESS: Need("GET /identity/conditionalAccess/policies", "Policy.Read.All", P1),
    inv.SECURITY_DEFAULTS: Need(
        "GET /policies/identitySecurityDefaultsEnforcementPolicy", "Policy.Read.All"
    ),
    inv.AUTHORIZATION_POLICY: Need("GET /policies/authorizationPolicy", "Policy.Read.All"),
    inv.ROLE_DEFINITIONS: Need(
        "GET /roleManagement/directory/roleDefinitions", "RoleManagement.Read.Directory"
    ),
    inv.ROLE_ASSIGNMENTS: Need(
        "GET /roleManagement/directory/roleAssignments?$expand=principal",
        "RoleManagement.Read.Directory",
    ),
    inv.ROLE_ELIGIBILITY: Need(
        "GET /roleManagement/directory/roleEligibilitySchedules?$expand=principal",
        "RoleEligibilitySchedule.Read.Directory",
        P2,
    ),
    inv.GROUP_MEMBERS: Need("GET /groups/{id}/transitiveMembers", "GroupMember.Read.All"),
    inv.APPLICATIONS: Need("GET /applications", "Application.Read.All"),
    inv.SERVICE_PRINCIPALS: Need("GET /servicePrincipals", "Application.Read.All"),
}

# Service plan ids of the licences ("Product names and service plan identifiers for licensing",
# Microsoft Entra docs): AAD_PREMIUM and AAD_PREMIUM_P2. P2 includes everything P1 gives.
LICENCE_PLANS: dict[str, frozenset[str]] = {
    "41781fb2-bc02-4b7c-bd55-b576c07bb09d": frozenset({P1}),
    "eec0eb4f-6444-4f95-aba0-50c24d67f998": frozenset({P1, P2}),
}
# assignedPlan.capabilityStatus values under which the plan's features work ("Warning" is the
# grace period after expiry; Suspended, Deleted and LockedOut do not give the features).
PLAN_IN_FORCE = frozenset({"enabled", "warning"})

# Graph error codes that mean "the tenant lacks a licence", not "the app lacks a permission".
LICENCE_ERROR_CODES = frozenset(
    {
        "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
        "AadPremiumLicenseRequired",
        "Request_LicenseRequired",
    }
)


def scan_reads(wanted: frozenset[str], pim_eligibility: bool = True) -> frozenset[str]:
    """Every collection a tenant scan reads for the checks' collections: the organization
    always (it names the tenant), the users under their sign-in activity, PIM eligibility
    unless it is switched off."""
    names = set(wanted) | {inv.ORGANIZATION}
    if inv.SIGN_IN_ACTIVITY in names:
        names.add(inv.USERS)
    if not pim_eligibility:
        names.discard(inv.ROLE_ELIGIBILITY)
    return frozenset(names)


def required_permissions() -> tuple[str, ...]:
    return tuple(sorted({n.permission for n in NEEDS.values()}))


def render(collections: frozenset[str]) -> str:
    """`posture permissions --provider azuread`: the Graph application permissions to grant."""
    needs = [NEEDS[c] for c in sorted(scan_reads(collections)) if c in NEEDS]
    lines = ["Microsoft Graph application permissions (read-only), with admin consent:", ""]
    for permission in sorted({n.permission for n in needs}):
        used_by = sorted({n.request for n in needs if n.permission == permission})
        lines.append(f"  {permission:40} {'; '.join(used_by)}")
    licences = sorted({n.licence for n in needs if n.licence})
    if licences:
        lines += ["", "Licences: " + ", ".join(licences) + " (without them those reads say error)"]
    return "\n".join(lines) + "\n"
