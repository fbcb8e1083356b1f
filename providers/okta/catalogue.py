"""What the Okta adapter can collect: the inventory field, the fetch, and what a 403 lacks.

`needs` names the least admin role and the OAuth scope a collection reads with (from the one
table, providers.okta.permissions); it becomes the `missing` of an access-denied outcome, so the
checks' `error` results say what to grant.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from providers.okta.api import OktaApi
from providers.okta.collectors import admins, policies, security, users
from providers.okta.permissions import NEEDS
from scanner.inventory import okta as inv


@dataclass(frozen=True)
class Collection:
    name: str
    field: str
    """The OktaInventory field the result goes to."""
    feature: str
    fetch: Callable[[OktaApi], Awaitable[Any]]

    @property
    def needs(self) -> str:
        return NEEDS[self.name].missing


USERS = Collection(
    inv.USERS,
    "directory_users",
    "the Users API",
    users.fetch_users,
)
# Factors are read per user once the users are known; the adapter runs them after USERS.
FACTORS_NEEDS = NEEDS[inv.FACTORS].missing

INDEPENDENT: tuple[Collection, ...] = (
    Collection(
        inv.ADMIN_ROLES,
        "admin_roles",
        "the role assignment API",
        admins.fetch_admin_roles,
    ),
    Collection(
        inv.GROUP_ROLES,
        "group_roles",
        "the role assignment API",
        admins.fetch_group_roles,
    ),
    Collection(
        inv.PASSWORD_POLICIES,
        "password_policies",
        "password policies",
        policies.fetch_password_policies,
    ),
    Collection(
        inv.SESSION_POLICIES,
        "session_policies",
        "global session policies",
        policies.fetch_session_policies,
    ),
    Collection(
        inv.APP_ACCESS_POLICIES,
        "app_access_policies",
        "Identity Engine authentication policies",
        policies.fetch_app_access_policies,
    ),
    Collection(
        inv.AUTHENTICATORS,
        "authenticators",
        "Identity Engine authenticators",
        security.fetch_authenticators,
    ),
    Collection(
        inv.API_TOKENS,
        "api_tokens",
        "the API token API",
        security.fetch_api_tokens,
    ),
    Collection(
        inv.LOG_STREAMS,
        "log_streams",
        "log streaming",
        security.fetch_log_streams,
    ),
    Collection(
        inv.THREAT_INSIGHT,
        "threat_insight",
        "ThreatInsight",
        security.fetch_threat_insight,
    ),
    Collection(
        inv.NETWORK_ZONES,
        "network_zones",
        "network zones",
        security.fetch_network_zones,
    ),
)
