"""The Azure AD fetches: which Graph lists each collection reads, and what it yields."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from providers.azuread import parse
from providers.azuread.graph import GraphApi, GraphCallError
from providers.azuread.permissions import LICENCE_ERROR_CODES, NEEDS
from scanner.collection import AnyCollection, Collected
from scanner.inventory import azuread as inv
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from scanner.payload import OddPayloadError

log = logging.getLogger(__name__)

PAGE_SIZE = 999
SIGN_IN_PAGE_SIZE = 120  # Graph caps pages that carry signInActivity
USER_FIELDS = (
    "id,displayName,userPrincipalName,mail,accountEnabled,userType,"
    "onPremisesSyncEnabled,createdDateTime,externalUserState"
)
APP_CREDENTIAL_FIELDS = "id,appId,displayName,passwordCredentials,keyCredentials"
SP_FIELDS = (
    f"{APP_CREDENTIAL_FIELDS},servicePrincipalType,appOwnerOrganizationId,preferredSingleSignOnMode"
)
MEMBER_FIELDS = "id,displayName,userPrincipalName"


def outcome_for(collection: str, exc: Exception) -> CollectionOutcome:
    need = NEEDS[collection]
    if isinstance(exc, GraphCallError):
        if exc.code in LICENCE_ERROR_CODES and need.licence:
            return CollectionOutcome(
                collection=collection,
                outcome=Outcome.NOT_AVAILABLE,
                missing=need.licence,
                message=f"{exc.code}: {need.request} needs a {need.licence}",
            )
        if exc.status in (401, 403):
            return CollectionOutcome(
                collection=collection,
                outcome=Outcome.ACCESS_DENIED,
                missing=need.permission,
                message=f"HTTP {exc.status} {exc.code} on {need.request} "
                f"(the app needs the {need.permission} application permission)",
            )
        if exc.status == 429:
            message = f"still throttled after the retry policy gave up on {need.request}"
        else:
            message = str(exc)
        return CollectionOutcome(
            collection=collection, outcome=Outcome.ERROR, missing=need.permission, message=message
        )
    if isinstance(exc, OddPayloadError):
        return CollectionOutcome(
            collection=collection,
            outcome=Outcome.ERROR,
            message=f"unexpected answer to {need.request}: {exc}",
        )
    return CollectionOutcome(
        collection=collection,
        outcome=Outcome.ERROR,
        message=f"unexpected {type(exc).__name__} while reading {need.request}",
    )


def classify(collection: AnyCollection, scope: str | None, exc: Exception) -> CollectionOutcome:
    if not isinstance(exc, GraphCallError):
        log.debug("collection %s failed", collection.name, exc_info=True)
    return outcome_for(collection.name, exc)


async def _list(
    graph: GraphApi, path: str, params: dict[str, str | int] | None = None
) -> list[parse.Json]:
    return await graph.list_all(path, params)


async def fetch_organization(graph: GraphApi) -> parse.Json:
    """The tenant: /organization names it and proves the credential works."""
    url = graph.url("/organization", {"$select": "id,displayName"})
    return await graph.get(url, NEEDS[inv.ORGANIZATION].request)


async def fetch_users(graph: GraphApi, with_sign_in: bool = False) -> tuple[inv.AzureUser, ...]:
    if with_sign_in:
        select, top = f"{USER_FIELDS},signInActivity", SIGN_IN_PAGE_SIZE
    else:
        select, top = USER_FIELDS, PAGE_SIZE
    raw = await _list(graph, "/users", {"$select": select, "$top": top})
    return tuple(parse.user(u) for u in raw)


async def fetch_mfa_registration(graph: GraphApi) -> tuple[inv.MfaRegistration, ...]:
    raw = await _list(graph, "/reports/authenticationMethods/userRegistrationDetails")
    return tuple(parse.mfa_registration(r) for r in raw)


async def fetch_conditional_access(graph: GraphApi) -> tuple[inv.ConditionalAccessPolicy, ...]:
    raw = await _list(graph, "/identity/conditionalAccess/policies")
    return tuple(parse.conditional_access_policy(p) for p in raw)


async def fetch_security_defaults(graph: GraphApi) -> bool:
    url = graph.url("/policies/identitySecurityDefaultsEnforcementPolicy")
    body = await graph.get(url, NEEDS[inv.SECURITY_DEFAULTS].request)
    return body.get("isEnabled") is True


async def fetch_authorization_policy(graph: GraphApi) -> inv.AuthorizationPolicy:
    url = graph.url("/policies/authorizationPolicy")
    body = await graph.get(url, NEEDS[inv.AUTHORIZATION_POLICY].request)
    return parse.authorization_policy(body)


async def fetch_role_definitions(graph: GraphApi) -> tuple[inv.RoleDefinition, ...]:
    try:
        raw = await _list(
            graph,
            "/roleManagement/directory/roleDefinitions",
            {"$select": "id,displayName,templateId,isBuiltIn"},
        )
    except GraphCallError as exc:
        if exc.status != 404:
            raise
        # Older or sovereign deployments without the unified RBAC API: activated roles.
        raw = await _list(graph, "/directoryRoles")
        return tuple(parse.directory_role(r) for r in raw)
    return tuple(parse.role_definition(r) for r in raw)


async def fetch_role_assignments(graph: GraphApi) -> tuple[inv.RoleAssignment, ...]:
    raw = await _list(graph, "/roleManagement/directory/roleAssignments", {"$expand": "principal"})
    return tuple(parse.role_assignment(r) for r in raw)


async def fetch_role_eligibility(graph: GraphApi) -> tuple[inv.RoleAssignment, ...]:
    try:
        raw = await _list(
            graph, "/roleManagement/directory/roleEligibilitySchedules", {"$expand": "principal"}
        )
    except GraphCallError as exc:
        if exc.status != 404:
            raise
        raw = await _list(
            graph,
            "/roleManagement/directory/roleEligibilityScheduleInstances",
            {"$expand": "principal"},
        )
    return tuple(parse.role_assignment(r) for r in raw)


async def fetch_group_members(
    graph: GraphApi, group_ids: Iterable[str]
) -> tuple[inv.AzureGroup, ...]:
    """Transitive members of the groups that hold roles or that policies name."""

    async def members(group_id: str, relation: str) -> list[parse.Json] | None:
        try:
            return await _list(
                graph,
                f"/groups/{group_id}/{relation}",
                {"$select": MEMBER_FIELDS, "$top": PAGE_SIZE},
            )
        except GraphCallError as exc:
            if exc.status == 404:
                return None
            raise

    async def one(group_id: str) -> inv.AzureGroup | None:
        raw = await members(group_id, "transitiveMembers")
        if raw is None:  # role-assignable groups cannot nest, so direct members suffice
            raw = await members(group_id, "members")
        if raw is None:  # a principal of unknown type that is not a group
            return None
        return inv.AzureGroup(id=group_id, members=tuple(parse.group_member(m) for m in raw))

    groups = await asyncio.gather(*(one(g) for g in sorted(set(group_ids))))
    return tuple(g for g in groups if g is not None)


async def fetch_applications(graph: GraphApi) -> tuple[inv.AzureApplication, ...]:
    raw = await _list(graph, "/applications", {"$select": APP_CREDENTIAL_FIELDS, "$top": PAGE_SIZE})
    return tuple(parse.application(a) for a in raw)


async def fetch_service_principals(graph: GraphApi) -> tuple[inv.AzureServicePrincipal, ...]:
    raw = await _list(graph, "/servicePrincipals", {"$select": SP_FIELDS, "$top": PAGE_SIZE})
    return tuple(parse.service_principal(s) for s in raw)


def referenced_groups(collected: Collected) -> set[str]:
    """Groups whose members matter: role holders, and groups conditional access names."""
    ids: set[str] = set()
    for name in (inv.ROLE_ASSIGNMENTS, inv.ROLE_ELIGIBILITY):
        assignments: tuple[inv.RoleAssignment, ...] = collected.value(name, default=())
        # "other": the principal was not expanded; it may be a group (a 404 says it is not).
        ids.update(a.principal_id for a in assignments if a.principal_type in ("group", "other"))
    policies: tuple[inv.ConditionalAccessPolicy, ...] = collected.value(
        inv.CONDITIONAL_ACCESS, default=()
    )
    for p in policies:
        ids.update(p.include_groups)
        ids.update(p.exclude_groups)
    users: tuple[inv.AzureUser, ...] = collected.value(inv.USERS, default=())
    sps: tuple[inv.AzureServicePrincipal, ...] = collected.value(
        inv.SERVICE_PRINCIPALS, default=()
    )
    return ids - {u.id for u in users} - {s.id for s in sps}
