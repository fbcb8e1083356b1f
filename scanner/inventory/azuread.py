"""The Azure AD (Entra ID) inventory. Built by providers.azuread, read by checks.azuread."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from scanner.inventory.common import DirectoryUser
from scanner.models.inventory import Frozen, Inventory

GLOBAL_ADMINISTRATOR_TEMPLATE_ID = "62e90394-69f5-4237-9190-012177145e10"

# guestUserRoleId values of the authorization policy.
GUEST_ROLE_SAME_AS_MEMBERS = "a0b1b346-4d3e-4e8b-98f8-753987be4970"
GUEST_ROLE_LIMITED = "10dae51f-b6af-4d8d-a5e6-c6e4f0b3b43e"
GUEST_ROLE_RESTRICTED = "2af84b1e-32c8-42b7-82bc-daa82404023b"

PrincipalType = Literal["user", "group", "servicePrincipal", "device", "other"]


class AzureUser(Frozen):
    id: str
    user_principal_name: str
    display_name: str | None = None
    mail: str | None = None
    account_enabled: bool
    user_type: str = Field("Member", description="Member or Guest")
    on_premises_sync_enabled: bool = False
    created: datetime | None = None
    external_user_state: str | None = Field(None, description="Guests: PendingAcceptance, …")
    last_sign_in: datetime | None = Field(
        None, description="Last interactive sign-in attempt, failed ones included"
    )
    last_non_interactive_sign_in: datetime | None = Field(
        None, description="Last non-interactive sign-in attempt, failed ones included"
    )
    last_successful_sign_in: datetime | None = Field(
        None, description="Last successful sign-in of either kind (recorded since 2023-12-01)"
    )

    @property
    def is_guest(self) -> bool:
        return self.user_type.lower() == "guest"

    @property
    def last_sign_in_attempt(self) -> datetime | None:
        """The latest sign-in attempt Graph reports; it may have failed, so it is not activity."""
        stamps = [t for t in (self.last_sign_in, self.last_non_interactive_sign_in) if t]
        return max(stamps) if stamps else None


class MfaRegistration(Frozen):
    """A row of /reports/authenticationMethods/userRegistrationDetails."""

    user_id: str
    user_principal_name: str | None = None
    is_mfa_capable: bool = Field(
        description="A strong method registered that the authentication methods policy allows"
    )
    is_mfa_registered: bool = Field(
        False, description="A strong method registered, allowed by the policy or not"
    )
    methods_registered: tuple[str, ...] = ()


class ConditionalAccessPolicy(Frozen):
    id: str
    display_name: str
    state: str = Field(description="enabled, disabled or enabledForReportingButNotEnforced")
    include_users: tuple[str, ...] = ()
    exclude_users: tuple[str, ...] = ()
    include_groups: tuple[str, ...] = ()
    exclude_groups: tuple[str, ...] = ()
    include_roles: tuple[str, ...] = ()
    exclude_roles: tuple[str, ...] = ()
    include_guests_or_external_users: bool = False
    exclude_guests_or_external_users: bool = False
    include_applications: tuple[str, ...] = ()
    exclude_applications: tuple[str, ...] = ()
    include_user_actions: tuple[str, ...] = ()
    client_app_types: tuple[str, ...] = ()
    include_platforms: tuple[str, ...] = Field((), description="Empty when not conditioned")
    exclude_platforms: tuple[str, ...] = ()
    include_locations: tuple[str, ...] = Field((), description="Empty when not conditioned")
    exclude_locations: tuple[str, ...] = ()
    user_risk_levels: tuple[str, ...] = ()
    sign_in_risk_levels: tuple[str, ...] = ()
    device_filter: bool = Field(False, description="True when a device filter narrows it")
    service_principal_risk_levels: tuple[str, ...] = ()
    insider_risk_levels: str | None = Field(None, description="e.g. 'minor,moderate'")
    authentication_flows: str | None = Field(
        None, description="transferMethods it is limited to, e.g. 'deviceCodeFlow'"
    )
    client_applications: bool = Field(
        False, description="True when it targets service principals (workload identities)"
    )
    application_filter: bool = Field(False, description="True when an app filter narrows it")
    authentication_contexts: tuple[str, ...] = Field(
        (), description="includeAuthenticationContextClassReferences"
    )
    grant_operator: str | None = None
    built_in_controls: tuple[str, ...] = ()
    custom_authentication_factors: tuple[str, ...] = ()
    terms_of_use: tuple[str, ...] = ()
    authentication_strength: str | None = Field(None, description="Its display name, if set")
    authentication_strength_is_mfa: bool = Field(
        False, description="Its requirementsSatisfied is mfa (it grants the MFA claim)"
    )

    @property
    def enforced(self) -> bool:
        return self.state == "enabled"


class RoleDefinition(Frozen):
    id: str
    template_id: str | None = None
    display_name: str
    is_built_in: bool = True


class RoleAssignment(Frozen):
    """An active (or PIM-eligible) directory role assignment and its principal."""

    id: str
    role_definition_id: str
    principal_id: str
    principal_type: PrincipalType
    principal_name: str | None = None
    directory_scope_id: str = "/"


class GroupMember(Frozen):
    id: str
    type: PrincipalType
    name: str | None = None


class AzureGroup(Frozen):
    """A group that holds a role or that a conditional access policy names, with members."""

    id: str
    display_name: str | None = None
    members: tuple[GroupMember, ...] = Field((), description="Transitive members")


class AppCredential(Frozen):
    """A password (client secret) or key (certificate) credential; never its value."""

    key_id: str
    kind: Literal["password", "certificate"]
    display_name: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    usage: str | None = Field(None, description="Key credentials: Sign or Verify")
    thumbprint: str | None = Field(None, description="customKeyIdentifier of a certificate")

    @property
    def lifetime_days(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).total_seconds() / 86400


class AzureApplication(Frozen):
    """An app registration (the application object)."""

    id: str
    app_id: str
    display_name: str
    credentials: tuple[AppCredential, ...] = ()


class AzureServicePrincipal(Frozen):
    """An enterprise application (service principal) in this tenant."""

    id: str
    app_id: str
    display_name: str
    service_principal_type: str | None = None
    app_owner_organization_id: str | None = None
    preferred_single_sign_on_mode: str | None = None
    credentials: tuple[AppCredential, ...] = ()


class AuthorizationPolicy(Frozen):
    allowed_to_create_apps: bool
    permission_grant_policies_assigned: tuple[str, ...] = ()
    guest_user_role_id: str | None = None
    allow_invites_from: str | None = None
    allowed_to_create_tenants: bool | None = None


class AzureAdInventory(Inventory):
    provider: str = "azuread"
    graph_endpoint: str = "https://graph.microsoft.com"
    users: tuple[AzureUser, ...] = ()
    directory_users: tuple[DirectoryUser, ...] = Field(
        (), description="Enabled and disabled member users as people (guests excluded)"
    )
    mfa_registrations: tuple[MfaRegistration, ...] = ()
    conditional_access_policies: tuple[ConditionalAccessPolicy, ...] = ()
    security_defaults_enabled: bool | None = None
    role_definitions: tuple[RoleDefinition, ...] = ()
    role_assignments: tuple[RoleAssignment, ...] = ()
    role_eligibilities: tuple[RoleAssignment, ...] = ()
    groups: tuple[AzureGroup, ...] = ()
    applications: tuple[AzureApplication, ...] = ()
    service_principals: tuple[AzureServicePrincipal, ...] = ()
    authorization_policy: AuthorizationPolicy | None = None


# Collection names: checks declare them in `requires`, the adapter records their outcomes.
ORGANIZATION = "azuread.directory.organization"
USERS = "azuread.directory.users"
SIGN_IN_ACTIVITY = "azuread.directory.sign_in_activity"
MFA_REGISTRATION = "azuread.reports.mfa_registration"
CONDITIONAL_ACCESS = "azuread.policies.conditional_access"
SECURITY_DEFAULTS = "azuread.policies.security_defaults"
AUTHORIZATION_POLICY = "azuread.policies.authorization"
ROLE_DEFINITIONS = "azuread.roles.definitions"
ROLE_ASSIGNMENTS = "azuread.roles.assignments"
ROLE_ELIGIBILITY = "azuread.roles.eligibility"
GROUP_MEMBERS = "azuread.directory.group_members"
APPLICATIONS = "azuread.apps.applications"
SERVICE_PRINCIPALS = "azuread.apps.service_principals"
