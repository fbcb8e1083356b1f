"""Every Okta collection, declared once, in the order a scan reports them.

Each names its OktaInventory field, its entry of the one table of admin roles, OAuth scopes and
calls (providers.okta.permissions.NEEDS, which also says what a 403 or a 404 lacks), its fetch,
and what it runs after (factors are read per listed user).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from providers.okta.api import OktaApi
from providers.okta.collectors import admins, policies, security, users
from providers.okta.errors import OktaAuthError, outcome_for
from providers.okta.permissions import DEPENDS, NEEDS, Need
from scanner.collection import (
    AnyCollection,
    Collected,
    Collection,
    CollectionFailedError,
    Recorder,
    by_name,
)
from scanner.inventory import okta as inv
from scanner.inventory.okta import Factor, GroupRole, OktaInventory
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from scanner.progress import ProgressSink

OktaFetch = Callable[[OktaApi, Collected], Awaitable[Any]]
"""Reads one collection from the org; `Collected` holds the values of its `after`."""

OktaCollection = Collection[Need]


def okta_collection(name: str, field: str, fetch: OktaFetch) -> OktaCollection:
    return Collection(
        name=name,
        inventory=OktaInventory,
        fields=(field,),
        needs=NEEDS[name],
        fetch=fetch,
        after=DEPENDS.get(name, ()),
    )


def _from_api(fetch: Callable[[OktaApi], Awaitable[Any]]) -> OktaFetch:
    """A fetch that reads nothing collected before it."""

    async def run(api: OktaApi, _: Collected) -> Any:
        return await fetch(api)

    return run


async def _factors_of_listed_users(api: OktaApi, got: Collected) -> tuple[Factor, ...]:
    if not got.ok(inv.USERS):
        raise CollectionFailedError(
            Outcome.ERROR,
            "factors are read per user and the users could not be listed",
            missing=NEEDS[inv.USERS].missing,
        )
    return await users.fetch_factors(api, got.value(inv.USERS))


async def _roles_of_named_groups(api: OktaApi, got: Collected) -> tuple[GroupRole, ...]:
    if not got.ok(inv.ADMIN_ROLES):
        raise CollectionFailedError(
            Outcome.ERROR,
            "group roles are read for the groups that role holders' assignments name, and "
            "the role holders could not be listed",
            missing=NEEDS[inv.ADMIN_ROLES].missing,
        )
    return await admins.fetch_group_roles(api, got.value(inv.ADMIN_ROLES))


COLLECTIONS: tuple[OktaCollection, ...] = (
    okta_collection(inv.USERS, "directory_users", _from_api(users.fetch_users)),
    okta_collection(inv.FACTORS, "factors", _factors_of_listed_users),
    okta_collection(inv.ADMIN_ROLES, "admin_roles", _from_api(admins.fetch_admin_roles)),
    okta_collection(inv.GROUP_ROLES, "group_roles", _roles_of_named_groups),
    okta_collection(
        inv.PASSWORD_POLICIES, "password_policies", _from_api(policies.fetch_password_policies)
    ),
    okta_collection(
        inv.SESSION_POLICIES, "session_policies", _from_api(policies.fetch_session_policies)
    ),
    okta_collection(
        inv.APP_ACCESS_POLICIES,
        "app_access_policies",
        _from_api(policies.fetch_app_access_policies),
    ),
    okta_collection(inv.AUTHENTICATORS, "authenticators", _from_api(security.fetch_authenticators)),
    okta_collection(inv.API_TOKENS, "api_tokens", _from_api(security.fetch_api_tokens)),
    okta_collection(inv.LOG_STREAMS, "log_streams", _from_api(security.fetch_log_streams)),
    okta_collection(inv.THREAT_INSIGHT, "threat_insight", _from_api(security.fetch_threat_insight)),
    okta_collection(inv.NETWORK_ZONES, "network_zones", _from_api(security.fetch_network_zones)),
)
BY_NAME = by_name(COLLECTIONS)

HOLDERS = (inv.ADMIN_ROLES, inv.GROUP_ROLES, inv.API_TOKENS)
"""Collections whose items name users: the users are complete once those users are read."""


def classify(collection: AnyCollection, scope: str | None, exc: Exception) -> CollectionOutcome:
    need: Need = collection.needs
    return outcome_for(collection.name, exc, need)


def recorder(progress: ProgressSink | None = None) -> Recorder:
    """Records Okta outcomes; rejected credentials end the scan rather than one collection."""
    return Recorder(classify, progress, reraise=(OktaAuthError,))
