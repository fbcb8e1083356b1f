"""What each GCP collection calls and which IAM permission each call needs: the one table.

The collections' `needs` (providers.gcp.collections), the `missing` of an access-denied
outcome, `posture permissions --provider gcp` and docs/gcp.md all come from `NEEDS`; a test scans
the fake organization and maps every request it logged back to a call declared here.
No SDK imports, so the policy can be printed without the GCP extra installed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from scanner.inventory import gcp as inv

BROWSER = "roles/browser"
VIEWER = "roles/viewer"
SECURITY_REVIEWER = "roles/iam.securityReviewer"
DIRECTORY_SCOPE = "https://www.googleapis.com/auth/admin.directory.user.readonly"
ORG_UNIT_SCOPE = "https://www.googleapis.com/auth/admin.directory.orgunit.readonly"
INBOUND_SSO_SCOPE = "https://www.googleapis.com/auth/cloud-identity.inboundsso.readonly"

PROJECTS_SEARCH = "gcp.resourcemanager.projects"
"""The organization's project search (`--organization`); not a collection checks name."""


@dataclass(frozen=True)
class Call:
    """One REST method: `path` matches the path under https://<api>.googleapis.com."""

    api: str
    method: str
    path: str
    permission: str
    role: str

    def matches(self, method: str, path: str) -> bool:
        return method == self.method and re.fullmatch(self.path, path) is not None


@dataclass(frozen=True)
class Need:
    calls: tuple[Call, ...]
    delegated: bool = False
    """Workspace: an OAuth scope granted through domain-wide delegation, not an IAM role."""
    scope: str = DIRECTORY_SCOPE
    """The delegated OAuth scope (each delegated collection asks for its own)."""
    empty_when_disabled: bool = False
    """The resources read exist only through this API: with it disabled in the scanned
    project, the project holds none (see providers.gcp.disabled). False where they exist
    whatever the API's state (a project's IAM policy, its service accounts, its log sinks)."""

    def __post_init__(self) -> None:
        if len({c.api for c in self.calls}) != 1:
            raise TypeError("a need's calls go to one API")

    @property
    def api(self) -> str:
        """The API host name: its own lane, and a disabled API is named after it."""
        return self.calls[0].api

    @property
    def service(self) -> str:
        return f"{self.api}.googleapis.com"

    @property
    def permissions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.permission for c in self.calls))

    @property
    def missing(self) -> str:
        """What an access-denied outcome names."""
        if self.delegated:
            scope = self.scope.rsplit("/", 1)[-1]
            return f"OAuth scope {scope} via domain-wide delegation"
        return ", ".join(self.permissions)


_ID = r"[^/:]+"
_P = rf"/v1/projects/{_ID}"


def _get(api: str, path: str, permission: str, role: str = VIEWER) -> Call:
    return Call(api, "GET", path, permission, role)


_ANCESTOR_POLICY = (
    Call(
        "cloudresourcemanager",
        "POST",
        rf"/v3/organizations/{_ID}:getIamPolicy",
        "resourcemanager.organizations.getIamPolicy",
        SECURITY_REVIEWER,
    ),
    Call(
        "cloudresourcemanager",
        "POST",
        rf"/v3/folders/{_ID}:getIamPolicy",
        "resourcemanager.folders.getIamPolicy",
        SECURITY_REVIEWER,
    ),
)

NEEDS: dict[str, Need] = {
    inv.PROJECT: Need(
        (
            _get("cloudresourcemanager", rf"/v3/projects/{_ID}", "resourcemanager.projects.get"),
            _get("cloudresourcemanager", rf"/v3/folders/{_ID}", "resourcemanager.folders.get"),
        )
    ),
    PROJECTS_SEARCH: Need(
        (
            _get(
                "cloudresourcemanager",
                r"/v3/projects:search",
                "resourcemanager.projects.get",
                BROWSER,
            ),
        )
    ),
    inv.IAM_POLICY: Need(
        (
            Call(
                "cloudresourcemanager",
                "POST",
                rf"/v3/projects/{_ID}:getIamPolicy",
                "resourcemanager.projects.getIamPolicy",
                SECURITY_REVIEWER,
            ),
        )
    ),
    # One getIamPolicy per folder and organization serves both (see collectors.ancestors).
    inv.ANCESTOR_IAM_POLICY: Need(_ANCESTOR_POLICY),
    inv.INHERITED_AUDIT_CONFIGS: Need(_ANCESTOR_POLICY),
    inv.INHERITED_SINKS: Need(
        (_get("logging", rf"/v2/(?:organizations|folders)/{_ID}/sinks", "logging.sinks.list"),)
    ),
    inv.SERVICE_ACCOUNT_KEYS: Need(
        (
            _get("iam", rf"{_P}/serviceAccounts", "iam.serviceAccounts.list", SECURITY_REVIEWER),
            _get(
                "iam",
                rf"{_P}/serviceAccounts/[^/]+/keys",
                "iam.serviceAccountKeys.list",
                SECURITY_REVIEWER,
            ),
        )
    ),
    inv.CUSTOM_ROLES: Need(
        (_get("iam", rf"{_P}/roles", "iam.roles.list", SECURITY_REVIEWER),),
    ),
    inv.ORG_CUSTOM_ROLES: Need(
        (_get("iam", rf"/v1/organizations/{_ID}/roles", "iam.roles.list", SECURITY_REVIEWER),),
    ),
    inv.BUCKETS: Need(
        (
            _get("storage", r"/storage/v1/b", "storage.buckets.list"),
            _get(
                "storage",
                r"/storage/v1/b/[^/]+/iam",
                "storage.buckets.getIamPolicy",
                SECURITY_REVIEWER,
            ),
        ),
        empty_when_disabled=True,
    ),
    inv.SINK_DESTINATIONS: Need((_get("storage", r"/storage/v1/b/[^/]+", "storage.buckets.get"),)),
    inv.CRYPTO_KEYS: Need(
        (
            _get("cloudkms", rf"{_P}/locations", "cloudkms.locations.list"),
            _get("cloudkms", rf"{_P}/locations/{_ID}/keyRings", "cloudkms.keyRings.list"),
            _get(
                "cloudkms",
                rf"{_P}/locations/{_ID}/keyRings/{_ID}/cryptoKeys",
                "cloudkms.cryptoKeys.list",
            ),
            _get(
                "cloudkms",
                rf"{_P}/locations/{_ID}/keyRings/{_ID}/cryptoKeys/{_ID}:getIamPolicy",
                "cloudkms.cryptoKeys.getIamPolicy",
                SECURITY_REVIEWER,
            ),
            # Only for EXTERNAL_VPC keys: their EKM connection's keyManagementMode.
            _get(
                "cloudkms",
                rf"{_P}/locations/{_ID}/ekmConnections/{_ID}",
                "cloudkms.ekmConnections.get",
            ),
        ),
        empty_when_disabled=True,
    ),
    inv.LOG_SINKS: Need((_get("logging", rf"/v2/projects/{_ID}/sinks", "logging.sinks.list"),)),
    inv.LOG_BUCKETS: Need(
        (_get("logging", rf"/v2/projects/{_ID}/locations/-/buckets", "logging.buckets.list"),)
    ),
    inv.TLS_PROXIES: Need(
        (
            _get(
                "compute",
                rf"/compute{_P}/aggregated/sslPolicies",
                "compute.sslPolicies.list",
            ),
            _get(
                "compute",
                rf"/compute{_P}/aggregated/targetHttpsProxies",
                "compute.targetHttpsProxies.list",
            ),
            _get(
                "compute",
                rf"/compute{_P}/global/targetSslProxies",
                "compute.targetSslProxies.list",
            ),
        ),
        empty_when_disabled=True,
    ),
    inv.SQL_INSTANCES: Need(
        (_get("sqladmin", rf"{_P}/instances", "cloudsql.instances.list"),),
        empty_when_disabled=True,
    ),
    inv.WORKSPACE_USERS: Need(
        (_get("admin", r"/admin/directory/v1/users", DIRECTORY_SCOPE, "Workspace admin"),),
        delegated=True,
    ),
    inv.WORKSPACE_ORG_UNITS: Need(
        (
            _get(
                "admin",
                rf"/admin/directory/v1/customer/{_ID}/orgunits",
                ORG_UNIT_SCOPE,
                "Workspace admin",
            ),
        ),
        delegated=True,
        scope=ORG_UNIT_SCOPE,
    ),
    inv.WORKSPACE_SSO: Need(
        tuple(
            _get("cloudidentity", rf"/v1/{kind}", INBOUND_SSO_SCOPE, "Workspace admin")
            for kind in (
                "inboundSsoAssignments",
                "inboundSamlSsoProfiles",
                "inboundOidcSsoProfiles",
            )
        ),
        delegated=True,
        scope=INBOUND_SSO_SCOPE,
    ),
}

DISCOVERY = (inv.PROJECT, PROJECTS_SEARCH)
"""Read before any project-level collection: which projects, and the folders above them."""


def needed(collections: Iterable[str]) -> list[str]:
    """The NEEDS keys a scan of `collections` reads (project discovery included)."""
    wanted = [c for c in NEEDS if c in set(collections)]
    if any(not NEEDS[c].delegated for c in wanted):
        wanted = [*DISCOVERY, *wanted]
    return wanted


def iam_permissions(collections: Iterable[str]) -> list[str]:
    keys = needed(collections)
    return sorted({p for k in keys if not NEEDS[k].delegated for p in NEEDS[k].permissions})


def predefined_roles(collections: Iterable[str]) -> list[str]:
    """The fewest of Browser, Viewer and Security Reviewer that cover the permissions."""
    roles = {c.role for k in needed(collections) if not NEEDS[k].delegated for c in NEEDS[k].calls}
    if VIEWER in roles:
        roles.discard(BROWSER)  # Viewer includes Browser's permissions
    return sorted(roles)


def render(collections: frozenset[str]) -> str:
    """`posture permissions --provider gcp`: a custom role file for gcloud, and the roles."""
    permissions = iam_permissions(collections)
    lines: list[str] = []
    if permissions:
        lines += [
            "# A custom role with exactly the permissions posture uses; grant it at the",
            "# organization (or on each project):",
            "#   gcloud iam roles create postureReader --organization=ORG_ID --file=THIS_FILE",
            "title: posture read-only",
            "description: Read-only access for the posture scanner",
            "stage: GA",
            "includedPermissions:",
            *(f"- {p}" for p in permissions),
            "# Or grant the predefined roles: " + ", ".join(predefined_roles(collections)),
        ]
    # The directory is read only with its users (the other Workspace lists qualify them).
    scopes = [n.scope for k, n in NEEDS.items() if n.delegated and k in collections]
    if inv.WORKSPACE_USERS in collections:
        lines += [
            "# Google Workspace (--workspace-admin): domain-wide delegation of the scopes",
            *(f"#   {s}" for s in dict.fromkeys(scopes)),
            "# to the scanning service account; the impersonated admin needs Users > Read",
            "# (and Organizational Units > Read, Security > SSO settings, where listed).",
        ]
    if not lines:
        lines = ["# The selected checks read nothing from GCP."]
    return "\n".join(lines) + "\n"
