"""What the Okta adapter can collect: the inventory field, the fetch, and what a 403 lacks.

`needs` names the least admin role and the OAuth scope a collection reads with; it becomes the
`missing` of an access-denied outcome, so the checks' `error` results say what to grant.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from providers.okta.api import OktaApi
from providers.okta.collectors import admins, policies, security, users
from scanner.inventory import okta as inv

READ_ONLY = "Read-Only Administrator role"
SUPER = "Super Administrator role"


@dataclass(frozen=True)
class Collection:
    name: str
    field: str
    """The OktaInventory field the result goes to."""
    needs: str
    feature: str
    fetch: Callable[[OktaApi], Awaitable[Any]]


def _needs(role: str, scope: str) -> str:
    return f"{role} (OAuth scope {scope})"


USERS = Collection(
    inv.USERS,
    "directory_users",
    _needs(READ_ONLY, "okta.users.read"),
    "the Users API",
    users.fetch_users,
)
# Factors are read per user once the users are known; the adapter runs them after USERS.
FACTORS_NEEDS = _needs(READ_ONLY, "okta.users.read")

INDEPENDENT: tuple[Collection, ...] = (
    Collection(
        inv.ADMIN_ROLES,
        "admin_roles",
        _needs(SUPER, "okta.roles.read"),
        "the role assignment API",
        admins.fetch_admin_roles,
    ),
    Collection(
        inv.GROUP_ROLES,
        "group_roles",
        _needs(SUPER, "okta.groups.read and okta.roles.read"),
        "the role assignment API",
        admins.fetch_group_roles,
    ),
    Collection(
        inv.PASSWORD_POLICIES,
        "password_policies",
        _needs(READ_ONLY, "okta.policies.read"),
        "password policies",
        policies.fetch_password_policies,
    ),
    Collection(
        inv.SESSION_POLICIES,
        "session_policies",
        _needs(READ_ONLY, "okta.policies.read"),
        "global session policies",
        policies.fetch_session_policies,
    ),
    Collection(
        inv.APP_ACCESS_POLICIES,
        "app_access_policies",
        _needs(READ_ONLY, "okta.apps.read and okta.policies.read"),
        "Identity Engine authentication policies",
        policies.fetch_app_access_policies,
    ),
    Collection(
        inv.AUTHENTICATORS,
        "authenticators",
        _needs(READ_ONLY, "okta.authenticators.read"),
        "Identity Engine authenticators",
        security.fetch_authenticators,
    ),
    Collection(
        inv.API_TOKENS,
        "api_tokens",
        _needs(SUPER, "okta.apiTokens.read"),
        "the API token API",
        security.fetch_api_tokens,
    ),
    Collection(
        inv.LOG_STREAMS,
        "log_streams",
        _needs(READ_ONLY, "okta.logStreams.read"),
        "log streaming",
        security.fetch_log_streams,
    ),
    Collection(
        inv.THREAT_INSIGHT,
        "threat_insight",
        _needs(READ_ONLY, "okta.threatInsights.read"),
        "ThreatInsight",
        security.fetch_threat_insight,
    ),
    Collection(
        inv.NETWORK_ZONES,
        "network_zones",
        _needs(READ_ONLY, "okta.networkZones.read"),
        "network zones",
        security.fetch_network_zones,
    ),
)
