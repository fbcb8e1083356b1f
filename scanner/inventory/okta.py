"""The Okta inventory. Built by providers.okta, read by checks.okta. No SDK imports here.

Users live in `directory_users` (the shared model) so cross-provider identity rules can read
them; everything else is Okta-specific. Each model keeps only chosen fields: Okta returns
secrets (TOTP seeds, log stream tokens) in some payloads and those never enter the inventory.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import Field

from scanner.inventory.common import DirectoryUser
from scanner.models.inventory import Frozen, Inventory

# Collection names: checks declare them in `requires`, the adapter records their outcomes.
USERS = "okta.users"
FACTORS = "okta.factors"
ADMIN_ROLES = "okta.admin_roles"
GROUP_ROLES = "okta.group_roles"
PASSWORD_POLICIES = "okta.password_policies"
SESSION_POLICIES = "okta.session_policies"
APP_ACCESS_POLICIES = "okta.app_access_policies"
AUTHENTICATORS = "okta.authenticators"
API_TOKENS = "okta.api_tokens"
LOG_STREAMS = "okta.log_streams"
THREAT_INSIGHT = "okta.threat_insight"
NETWORK_ZONES = "okta.network_zones"

SUPER_ADMIN = "SUPER_ADMIN"
ADMIN_CONSOLE_APP = "saasure"
DASHBOARD_APP = "okta_enduser"


class Factor(Frozen):
    """An enrolled factor of one user (GET /api/v1/users/{id}/factors), secrets left out."""

    id: str
    user_id: str
    factor_type: str = Field(description="e.g. push, sms, call, webauthn, token:software:totp")
    provider: str | None = None
    vendor_name: str | None = None
    status: str = Field(description="ACTIVE, PENDING_ACTIVATION, NOT_SETUP, …")

    @property
    def active(self) -> bool:
        return self.status == "ACTIVE"


class AdminRole(Frozen):
    """One admin role a user holds, directly (USER) or through a group (GROUP)."""

    id: str
    user_id: str
    role_type: str = Field(description="SUPER_ADMIN, ORG_ADMIN, … or CUSTOM")
    label: str | None = None
    assignment_type: str = Field(description="USER (direct) or GROUP")
    status: str | None = None
    group_id: str | None = Field(None, description="The granting group, when known")


class GroupRole(Frozen):
    """An admin role assigned to a group, with the group's members at collection time."""

    id: str
    group_id: str
    group_name: str
    role_type: str
    label: str | None = None
    member_ids: tuple[str, ...] = ()


class PasswordPolicy(Frozen):
    id: str
    name: str
    status: str
    priority: int | None = None
    system: bool = False
    auth_provider: str = "OKTA"
    min_length: int | None = None
    history_count: int | None = None
    max_attempts: int | None = Field(None, description="0 or None: no lockout")


class SignOnRule(Frozen):
    """A global session policy (OKTA_SIGN_ON) rule: who may get a session, and for how long."""

    id: str
    name: str
    status: str
    priority: int | None = None
    access: str = "ALLOW"
    require_factor: bool = False
    max_session_lifetime_minutes: int | None = Field(None, description="0: no limit")
    max_session_idle_minutes: int | None = None
    use_persistent_cookie: bool = False


class SignOnPolicy(Frozen):
    id: str
    name: str
    status: str
    priority: int | None = None
    rules: tuple[SignOnRule, ...] = ()


class ChainMethod(Frozen):
    """One authenticator method a chain step accepts (AuthenticationMethod in Okta's spec)."""

    key: str = Field(description="The authenticator: okta_password, phone_number, okta_verify, …")
    method: str = Field(description="password, sms, voice, email, push, signed_nonce, totp, …")
    user_verification: bool = Field(False, description="userVerification REQUIRED")
    phishing_resistant: bool = Field(False, description="phishingResistant REQUIRED")


class ChainStep(Frozen):
    """One step of an authentication method chain: any one of its methods satisfies it."""

    methods: tuple[ChainMethod, ...] = ()


class AuthMethodChain(Frozen):
    """One sequence of steps a user may complete; a rule's chains are alternatives."""

    steps: tuple[ChainStep, ...] = ()


class AccessRule(Frozen):
    """An authentication policy (ACCESS_POLICY) rule's access decision and assurance."""

    id: str
    name: str
    status: str
    priority: int | None = None
    access: str = "ALLOW"
    factor_mode: str | None = Field(None, description="1FA or 2FA")
    verification_type: str | None = Field(None, description="ASSURANCE or AUTH_METHOD_CHAIN")
    phishing_resistant: bool = False
    chains: tuple[AuthMethodChain, ...] = Field(
        (), description="AUTH_METHOD_CHAIN rules: every path, each `next` branch its own chain"
    )


class AppAccessPolicy(Frozen):
    """The authentication policy guarding a first-party app (Admin Console, Dashboard)."""

    app_id: str
    app_name: str
    app_label: str
    policy_id: str
    policy_name: str
    rules: tuple[AccessRule, ...] = ()


class AuthenticatorMethod(Frozen):
    type: str = Field(description="e.g. sms, voice")
    status: str


class Authenticator(Frozen):
    id: str
    key: str = Field(description="e.g. phone_number, security_question, okta_verify, webauthn")
    name: str
    type: str | None = None
    status: str
    allowed_for: str | None = Field(None, description="any, recovery, sso or none")
    methods: tuple[AuthenticatorMethod, ...] = ()

    @property
    def active(self) -> bool:
        return self.status == "ACTIVE"


class ApiToken(Frozen):
    """API token metadata (never the token). Expiry slides forward by `token_window` on use."""

    id: str
    name: str
    user_id: str | None = None
    client_name: str | None = None
    created: datetime | None = None
    expires_at: datetime | None = None
    token_window_days: float | None = None
    network_connection: str | None = Field(None, description="ANYWHERE or ZONE")
    network_include: tuple[str, ...] = ()
    network_exclude: tuple[str, ...] = ()

    @property
    def last_used(self) -> datetime | None:
        """Okta keeps no last-use field; expiry = last use + token window."""
        if self.expires_at is None or self.token_window_days is None:
            return None
        return self.expires_at - timedelta(days=self.token_window_days)


class LogStream(Frozen):
    id: str
    name: str
    type: str = Field(description="aws_eventbridge, splunk_cloud_logstreaming, …")
    status: str


class ThreatInsight(Frozen):
    action: str = Field(description="none, audit or block")
    exclude_zones: tuple[str, ...] = ()


class NetworkZone(Frozen):
    id: str
    name: str
    type: str = Field(description="IP, DYNAMIC or DYNAMIC_V2")
    status: str
    usage: str | None = Field(None, description="POLICY or BLOCKLIST")


class OktaInventory(Inventory):
    provider: str = "okta"
    org_url: str
    directory_users: tuple[DirectoryUser, ...] = ()
    factors: tuple[Factor, ...] = ()
    admin_roles: tuple[AdminRole, ...] = ()
    group_roles: tuple[GroupRole, ...] = ()
    password_policies: tuple[PasswordPolicy, ...] = ()
    session_policies: tuple[SignOnPolicy, ...] = ()
    app_access_policies: tuple[AppAccessPolicy, ...] = ()
    authenticators: tuple[Authenticator, ...] = ()
    api_tokens: tuple[ApiToken, ...] = ()
    log_streams: tuple[LogStream, ...] = ()
    threat_insight: ThreatInsight | None = None
    network_zones: tuple[NetworkZone, ...] = ()

    def user(self, user_id: str) -> DirectoryUser | None:
        return next((u for u in self.directory_users if u.uid == user_id), None)

    def factors_of(self, user_id: str) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if f.user_id == user_id)

    def roles_by_user(self) -> dict[str, set[str]]:
        """Every user's admin role types, direct or through a group."""
        held: dict[str, set[str]] = {}
        for role in self.admin_roles:
            held.setdefault(role.user_id, set()).add(role.role_type)
        for group_role in self.group_roles:
            for member in group_role.member_ids:
                held.setdefault(member, set()).add(group_role.role_type)
        return held
