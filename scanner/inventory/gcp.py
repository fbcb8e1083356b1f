"""The GCP inventory: one per project, plus one for the Google Workspace directory.

Built by providers.gcp, read by checks.gcp. Field names follow the REST resources they come
from, in snake_case. No SDK imports.
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import Field

from scanner.inventory.common import TLS_PROTOCOLS, DirectoryUser, TlsEndpoint
from scanner.models.inventory import Frozen, Inventory

# Service agents (IAM "Service agents" page): accounts Google creates and manages for its
# services. Their forms: service-PROJECT_NUMBER@gcp-sa-SERVICE.iam.gserviceaccount.com, the
# same with service-org-N / service-folder-N (organization and folder agents) or
# service-pN / service-fN / service-oN (Access Approval), service-N@ older per-service domains
# (container-engine-robot, compute-system, gs-project-accounts, cloud-ml.google.com, ...),
# NAME@gcp-sa-SERVICE (log sink writers p…/f…/o…), PROJECT_NUMBER@cloudservices (the Google
# APIs Service Agent), and any other @X.gserviceaccount.com domain of Google's own (system).
_AGENT_LOCAL = re.compile(r"^service-(?:org-|folder-|[pfo])?\d+$")
_IAM_DOMAIN = ".iam.gserviceaccount.com"
_SA_DOMAIN = ".gserviceaccount.com"

# Default service accounts (IAM "Service account types"): created by a service in the
# customer's project but managed by the customer, who is responsible for their roles (Compute
# Engine's gets Editor). They are judged like the customer's own.
_DEFAULT_ACCOUNTS = (
    re.compile(r"^\d+-compute@developer\.gserviceaccount\.com$"),
    re.compile(r"^[a-z0-9.:-]+@appspot\.gserviceaccount\.com$"),
    re.compile(r"^\d+@cloudbuild\.gserviceaccount\.com$"),  # legacy Cloud Build account
)


def is_default_service_account(email: str) -> bool:
    """A Compute Engine, App Engine or legacy Cloud Build default service account."""
    return any(p.match(email.lower()) for p in _DEFAULT_ACCOUNTS)


def is_google_managed(email: str) -> bool:
    """A Google-managed service agent (not a customer's service account, nor a person)."""
    local, _, domain = email.lower().rpartition("@")
    if not domain.endswith(_SA_DOMAIN) or is_default_service_account(email):
        return False
    if domain.endswith(_IAM_DOMAIN):
        # NAME@PROJECT_ID.iam… is the customer's own; agents carry service-N or gcp-sa-.
        return bool(_AGENT_LOCAL.match(local)) or domain.startswith("gcp-sa-")
    # @cloudservices, @system and any other Google-owned X.gserviceaccount.com domain.
    return "." not in domain.removesuffix(_SA_DOMAIN)


# Workforce Identity Federation members of allow policies (IAM "Principal identifiers"):
# principal://iam.googleapis.com/locations/global/workforcePools/POOL/subject/SUBJECT is one
# person; principalSet://.../workforcePools/POOL/ followed by group/GROUP_ID,
# attribute.NAME/VALUE or * is a set of people. Workload identity pools (under
# projects/NUMBER/) are workloads, not people, and do not match.
_WORKFORCE = re.compile(
    r"^(?P<form>principal|principalSet)://iam\.googleapis\.com/locations/global/"
    r"workforcePools/(?P<pool>[^/]+)/(?P<rest>.+)$"
)


class WorkforceMember(Frozen):
    """A person, or a set of people, federated from an external identity provider."""

    pool: str
    subject: str | None = Field(None, description="The one person's subject; None for a set")
    selector: str = Field(description="subject/S, group/G, attribute.NAME/VALUE or *")


def workforce_member(member: str) -> WorkforceMember | None:
    """The workforce pool principal a policy member names, or None for any other member."""
    found = _WORKFORCE.match(member)
    if found is None:
        return None
    pool, rest = found.group("pool"), found.group("rest")
    if found.group("form") == "principal":
        if not rest.startswith("subject/") or rest == "subject/":
            return None
        return WorkforceMember(pool=pool, subject=rest.removeprefix("subject/"), selector=rest)
    if rest == "*" or rest.startswith(("group/", "attribute.")):
        return WorkforceMember(pool=pool, selector=rest)
    return None


class Condition(Frozen):
    title: str = ""
    expression: str = ""


class Binding(Frozen):
    """One role granted to members, optionally under an IAM condition."""

    role: str
    members: tuple[str, ...] = ()
    condition: Condition | None = None


class AuditLogConfig(Frozen):
    log_type: str = Field(description="ADMIN_READ, DATA_READ or DATA_WRITE")
    exempted_members: tuple[str, ...] = ()


class AuditConfig(Frozen):
    service: str = Field(description="allServices or an API such as storage.googleapis.com")
    audit_log_configs: tuple[AuditLogConfig, ...] = ()


class IamPolicy(Frozen):
    version: int = 1
    bindings: tuple[Binding, ...] = ()
    audit_configs: tuple[AuditConfig, ...] = ()

    def members_with(self, role: str) -> set[str]:
        return {m for b in self.bindings if b.role == role for m in b.members}

    def roles_of(self) -> dict[str, set[str]]:
        """member -> roles granted to it (conditional grants included)."""
        out: dict[str, set[str]] = {}
        for binding in self.bindings:
            for member in binding.members:
                out.setdefault(member, set()).add(binding.role)
        return out


class CustomRole(Frozen):
    """A project or organization custom role: the iam v1 Role resource, read with view=FULL."""

    name: str = Field(description="projects/PROJECT_ID/roles/R or organizations/ORG_ID/roles/R")
    title: str = ""
    stage: str = Field("ALPHA", description="Role.stage; Google omits it for ALPHA")
    included_permissions: tuple[str, ...] = ()
    deleted: bool = False

    @property
    def grants_nothing(self) -> bool:
        """A DISABLED role contributes no permissions; a deleted one's bindings have no effect."""
        return self.deleted or self.stage == "DISABLED"


def is_custom_role(role: str) -> bool:
    """Custom roles are named under their project or organization; predefined ones roles/."""
    return role.startswith(("projects/", "organizations/"))


class ServiceAccountKey(Frozen):
    key_id: str
    name: str
    key_type: str = "USER_MANAGED"
    origin: str | None = Field(None, description="GOOGLE_PROVIDED or USER_PROVIDED")
    valid_after: datetime | None = None
    valid_before: datetime | None = None
    disabled: bool = False


class ServiceAccount(Frozen):
    email: str
    unique_id: str = ""
    display_name: str | None = None
    disabled: bool = False
    keys: tuple[ServiceAccountKey, ...] = Field((), description="User-managed keys only")


class Bucket(Frozen):
    name: str
    location: str | None = None
    uniform_access: bool = False
    public_access_prevention: str = Field("inherited", description="enforced or inherited")
    default_kms_key: str | None = None
    retention_period_seconds: int | None = None
    retention_locked: bool = False
    iam: IamPolicy = IamPolicy()
    iam_unreadable: str | None = Field(
        None, description="Why the IAM policy could not be read (`iam` is then empty, unknown)"
    )
    requester_pays: bool = False
    acl_entities: tuple[str, ...] = Field(
        (), description="Entities in the bucket ACL and default object ACL (fine-grained access)"
    )


EXTERNAL_PROTECTION_LEVELS = frozenset({"EXTERNAL", "EXTERNAL_VPC"})


class CryptoKey(Frozen):
    name: str = Field(description="projects/P/locations/L/keyRings/R/cryptoKeys/K")
    location: str
    purpose: str = "ENCRYPT_DECRYPT"
    rotation_period_seconds: int | None = None
    next_rotation: datetime | None = None
    primary_state: str | None = Field(None, description="State of the primary version")
    import_only: bool = False
    iam: IamPolicy = IamPolicy()
    protection_level: str = Field(
        "SOFTWARE", description="versionTemplate.protectionLevel: SOFTWARE, HSM, EXTERNAL, …"
    )
    crypto_key_backend: str | None = Field(
        None, description="The EkmConnection of an EXTERNAL_VPC key"
    )
    key_management_mode: str | None = Field(
        None,
        description="An external key's EkmConnection.keyManagementMode: MANUAL (the default) "
        "or CLOUD_KMS; EXTERNAL keys are always MANUAL",
    )

    @property
    def externally_managed(self) -> bool:
        """A Cloud EKM key whose key material only the external key manager can create: in
        MANUAL mode Cloud KMS cannot rotate it (EkmConnection.KeyManagementMode)."""
        return (
            self.protection_level in EXTERNAL_PROTECTION_LEVELS
            and self.key_management_mode != "CLOUD_KMS"
        )

    @property
    def short_name(self) -> str:
        return self.name.rsplit("/", 1)[-1]


class LogSink(Frozen):
    name: str
    destination: str
    filter: str = ""
    disabled: bool = False
    include_children: bool = False
    exclusions: tuple[str, ...] = Field((), description="Names of enabled exclusion filters")

    @property
    def storage_bucket(self) -> str | None:
        prefix = "storage.googleapis.com/"
        return self.destination[len(prefix) :] if self.destination.startswith(prefix) else None


class LogBucket(Frozen):
    name: str = Field(description="projects/P/locations/L/buckets/B")
    location: str
    retention_days: int
    locked: bool = False
    lifecycle_state: str = "ACTIVE"

    @property
    def bucket_id(self) -> str:
        return self.name.rsplit("/", 1)[-1]


class SinkDestinationBucket(Frozen):
    """The Cloud Storage bucket a log sink writes to, as read at scan time."""

    name: str
    retention_period_seconds: int | None = None
    retention_locked: bool = False


def compute_path(url: str) -> str:
    """projects/P/(global|regions/R)/KIND/NAME, whichever host or API version the URL names."""
    start = url.find("projects/")
    return url[start:] if start >= 0 else url


# An SSL policy's minTlsVersion, and the shared protocol name (TLS_PROTOCOLS) of each version.
GCP_TLS_VERSIONS: dict[str, str] = {
    "TLS_1_0": "TLSv1",
    "TLS_1_1": "TLSv1.1",
    "TLS_1_2": "TLSv1.2",
    "TLS_1_3": "TLSv1.3",
}
DEFAULT_SSL_PROFILE = "COMPATIBLE"
DEFAULT_MIN_TLS_VERSION = "TLS_1_0"
"""A proxy without an SSL policy gets Google's default: COMPATIBLE with TLS 1.0 and up."""


def tls_protocols(min_tls_version: str) -> tuple[str, ...]:
    """The versions a policy with this minTlsVersion accepts; () when the value is unknown."""
    name = GCP_TLS_VERSIONS.get(min_tls_version)
    if name is None:
        return ()
    return TLS_PROTOCOLS[TLS_PROTOCOLS.index(name) :]


class SslPolicy(Frozen):
    name: str
    self_link: str
    profile: str = "COMPATIBLE"
    min_tls_version: str = "TLS_1_0"
    region: str | None = None
    enabled_features: tuple[str, ...] | None = Field(
        None, description="The cipher suites it enables (enabledFeatures); None when not sent"
    )

    @property
    def path(self) -> str:
        return compute_path(self.self_link)


class TargetProxy(Frozen):
    """A target HTTPS or SSL proxy (where a Google load balancer terminates TLS)."""

    name: str
    self_link: str
    kind: str = Field(description="targetHttpsProxy or targetSslProxy")
    region: str | None = None
    ssl_policy: str | None = Field(None, description="The SSL policy URL, None for the default")


class SqlAuthorizedNetwork(Frozen):
    value: str
    name: str | None = None


class SqlInstance(Frozen):
    name: str
    region: str | None = None
    database_version: str | None = None
    instance_type: str | None = None
    ipv4_enabled: bool | None = Field(None, description="None when the API did not say")
    require_ssl: bool = False
    ssl_mode: str | None = None
    authorized_networks: tuple[SqlAuthorizedNetwork, ...] = ()
    backups_enabled: bool = False
    kms_key: str | None = None

    @property
    def is_primary(self) -> bool:
        """A Cloud SQL primary: CLOUD_SQL_INSTANCE (the type is omitted by older answers).
        A Blue-Green target (GREEN_INSTANCE) is one too. Read replicas and read pools take
        no backups of their own; an ON_PREMISES_INSTANCE
        is an external primary Cloud SQL replicates from, not a Cloud SQL instance."""
        return self.instance_type in (
            None,
            "",
            "CLOUD_SQL_INSTANCE",
            "SQL_INSTANCE_TYPE_UNSPECIFIED",
            "GREEN_INSTANCE",
        )

    @property
    def is_external(self) -> bool:
        """An on-premises (external server) entry: Cloud SQL settings do not govern it."""
        return self.instance_type == "ON_PREMISES_INSTANCE"


class InheritedAuditConfig(Frozen):
    """An audit config set on a folder or the organization above the project."""

    source: str = Field(description="folders/N or organizations/N")
    config: AuditConfig


class InheritedSink(Frozen):
    """An aggregated sink (includeChildren) on a folder or the organization above the project."""

    source: str
    sink: LogSink


class GcpIamInventory(Inventory):
    """A resource of the hierarchy with its own allow policy: a project, a folder or the
    organization. The IAM checks judge each one's bindings the same way."""

    provider: str = "gcp"
    iam_policy: IamPolicy | None = None
    custom_roles: tuple[CustomRole, ...] = Field((), description="The project's custom roles")
    org_custom_roles: tuple[CustomRole, ...] = Field(
        (), description="The organization's custom roles (when scanning an organization)"
    )

    @property
    def resource_name(self) -> str:
        """projects/ID, folders/N or organizations/N."""
        return f"projects/{self.account}"

    @property
    def kind(self) -> str:
        """project, folder or organization."""
        return self.resource_name.split("/", 1)[0].removesuffix("s")

    @property
    def label(self) -> str:
        """How a message names it: "project acme-prod", "organization 4820..."."""
        return f"{self.kind} {self.resource_name.split('/', 1)[1]}"


class GcpInventory(GcpIamInventory):
    """One project. `account` is the project id."""

    project_number: str | None = None
    parent: str | None = None
    ancestors: tuple[str, ...] = Field(
        (), description="Folders then the organization, nearest first"
    )
    inherited_audit_configs: tuple[InheritedAuditConfig, ...] = ()
    inherited_sinks: tuple[InheritedSink, ...] = ()
    service_accounts: tuple[ServiceAccount, ...] = ()
    buckets: tuple[Bucket, ...] = ()
    crypto_keys: tuple[CryptoKey, ...] = ()
    log_sinks: tuple[LogSink, ...] = ()
    log_buckets: tuple[LogBucket, ...] = ()
    sink_destinations: tuple[SinkDestinationBucket, ...] = ()
    ssl_policies: tuple[SslPolicy, ...] = ()
    target_proxies: tuple[TargetProxy, ...] = ()
    tls_endpoints: tuple[TlsEndpoint, ...] = ()
    sql_instances: tuple[SqlInstance, ...] = ()


class GcpAncestorInventory(GcpIamInventory):
    """A folder or the organization above the scanned projects, judged on its own allow
    policy: its bindings reach every project below it. `account` is its resource name
    (folders/N or organizations/N); `org_custom_roles` are the organization's."""

    @property
    def resource_name(self) -> str:
        return self.account


class GcpOrganizationInventory(Inventory):
    """An organization whose projects could not be listed: carries only the failed outcome."""

    provider: str = "gcp"


class WorkspaceUser(Frozen):
    id: str
    primary_email: str
    customer_id: str
    full_name: str | None = None
    suspended: bool = False
    archived: bool = False
    is_admin: bool = False
    enrolled_2sv: bool = False
    enforced_2sv: bool = False
    created: datetime | None = None
    last_login: datetime | None = None
    org_unit_path: str = Field("/", description="orgUnitPath: the organizational unit")


class OrgUnit(Frozen):
    """An organizational unit (Directory API orgunits.list; the root "/" is not listed)."""

    id: str = Field(description="orgUnitId without its 'id:' prefix")
    path: str
    parent_id: str | None = None


class SsoAssignment(Frozen):
    """A Cloud Identity InboundSsoAssignment: which org unit or group signs in through which
    SSO profile. Assignments of an org unit hold for the org units below it."""

    name: str
    target_org_unit: str | None = Field(None, description="orgUnits/ID")
    target_group: str | None = Field(None, description="groups/ID (rank 1 and up)")
    rank: int = 0
    sso_mode: str = Field(description="SSO_OFF, SAML_SSO, OIDC_SSO, DOMAIN_WIDE_SAML_IF_ENABLED")
    profile: str | None = Field(None, description="inboundSamlSsoProfiles/… or inboundOidc…")
    profile_name: str | None = Field(None, description="The profile's displayName")
    redirect_never: bool = Field(
        False, description="signInBehavior.redirectCondition NEVER: Google may ask a password"
    )

    @property
    def signs_in_elsewhere(self) -> bool:
        """Sign-in is handed to the external identity provider (always redirected)."""
        sso = self.sso_mode in ("SAML_SSO", "OIDC_SSO", "DOMAIN_WIDE_SAML_IF_ENABLED")
        return sso and not self.redirect_never

    @property
    def profile_label(self) -> str:
        if self.sso_mode == "DOMAIN_WIDE_SAML_IF_ENABLED":
            return "the domain-wide SAML SSO profile"
        shown = self.profile_name or self.profile or self.name
        return f"SSO profile {shown}"


class GcpWorkspaceInventory(Inventory):
    """The Google Workspace directory. `account` is the customer id asked for."""

    provider: str = "gcp"
    workspace_users: tuple[WorkspaceUser, ...] = ()
    directory_users: tuple[DirectoryUser, ...] = ()
    org_units: tuple[OrgUnit, ...] = ()
    sso_assignments: tuple[SsoAssignment, ...] = ()


# Collection names: checks declare them in `requires`, collectors record their outcomes.
PROJECT = "gcp.resourcemanager.project"
IAM_POLICY = "gcp.resourcemanager.iam_policy"
ANCESTOR_IAM_POLICY = "gcp.resourcemanager.ancestor_iam_policy"
INHERITED_AUDIT_CONFIGS = "gcp.resourcemanager.inherited_audit_configs"
INHERITED_SINKS = "gcp.logging.inherited_sinks"
SERVICE_ACCOUNT_KEYS = "gcp.iam.service_account_keys"
CUSTOM_ROLES = "gcp.iam.custom_roles"
ORG_CUSTOM_ROLES = "gcp.iam.org_custom_roles"
BUCKETS = "gcp.storage.buckets"
CRYPTO_KEYS = "gcp.kms.crypto_keys"
LOG_SINKS = "gcp.logging.sinks"
LOG_BUCKETS = "gcp.logging.buckets"
SINK_DESTINATIONS = "gcp.logging.sink_destinations"
TLS_PROXIES = "gcp.compute.tls_proxies"
SQL_INSTANCES = "gcp.sql.instances"
WORKSPACE_USERS = "gcp.workspace.users"
WORKSPACE_ORG_UNITS = "gcp.workspace.org_units"
WORKSPACE_SSO = "gcp.workspace.sso_assignments"
