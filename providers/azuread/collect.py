"""Every Azure AD collection: which Graph lists it reads, how each ended, what it yields."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from providers.azuread import parse
from providers.azuread.graph import GraphApi, GraphCallError, TokenError
from providers.azuread.permissions import LICENCE_ERROR_CODES, NEEDS
from scanner.inventory import azuread as inv
from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome
from scanner.payload import OddPayloadError
from scanner.progress import NullProgress, ProgressSink

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

T = TypeVar("T")


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


@dataclass
class Collected:
    fields: dict[str, Any] = field(default_factory=dict)
    outcomes: list[CollectionOutcome] = field(default_factory=list)

    def ok(self, collection: str) -> bool:
        return any(o.collection == collection and o.ok for o in self.outcomes)


class Collector:
    def __init__(self, graph: GraphApi, progress: ProgressSink | None = None) -> None:
        self.graph = graph
        self.progress = progress or NullProgress()
        self.result = Collected()

    async def attempt(
        self, collection: str, fetch: Callable[[], Awaitable[T]], target: str | None
    ) -> T | None:
        """Runs one collection and records its outcome; `target` is the inventory field."""
        self.progress.started(collection)
        try:
            value = await fetch()
        except TokenError:
            raise
        except Exception as exc:
            outcome = outcome_for(collection, exc)
            if not isinstance(exc, GraphCallError):
                log.debug("collection %s failed", collection, exc_info=True)
            log.warning("%s", outcome.describe())
            self.result.outcomes.append(outcome)
            return None
        finally:
            self.progress.finished(collection)
        self.result.outcomes.append(CollectionOutcome(collection=collection))
        if target is not None:
            self.result.fields[target] = value
        return value

    async def _list(
        self, path: str, params: dict[str, str | int] | None = None
    ) -> list[parse.Json]:
        return await self.graph.list_all(path, params)

    # --- the collections -------------------------------------------------------------------

    async def users(self, with_sign_in: bool) -> None:
        async def fetch(select: str, top: int) -> tuple[inv.AzureUser, ...]:
            raw = await self._list("/users", {"$select": select, "$top": top})
            return tuple(parse.user(u) for u in raw)

        sign_in_failure: CollectionOutcome | None = None
        if with_sign_in:
            self.progress.started(inv.SIGN_IN_ACTIVITY)
            try:
                users = await fetch(f"{USER_FIELDS},signInActivity", SIGN_IN_PAGE_SIZE)
            except GraphCallError as exc:
                if exc.status not in (400, 403):
                    for name in (inv.SIGN_IN_ACTIVITY, inv.USERS):
                        self.result.outcomes.append(outcome_for(name, exc))
                    return
                # Sign-in activity needs AuditLog.Read.All and a P1 licence; users do not.
                sign_in_failure = outcome_for(inv.SIGN_IN_ACTIVITY, exc)
            else:
                self.result.outcomes += [
                    CollectionOutcome(collection=inv.SIGN_IN_ACTIVITY),
                    CollectionOutcome(collection=inv.USERS),
                ]
                self.result.fields["users"] = users
                return
            finally:
                self.progress.finished(inv.SIGN_IN_ACTIVITY)
        read = await self.attempt(inv.USERS, lambda: fetch(USER_FIELDS, PAGE_SIZE), "users")
        if sign_in_failure is not None:
            if read is None:  # the users themselves could not be read: that is the cause
                (users_outcome,) = [o for o in self.result.outcomes if o.collection == inv.USERS]
                sign_in_failure = users_outcome.model_copy(
                    update={"collection": inv.SIGN_IN_ACTIVITY}
                )
            self.result.outcomes.append(sign_in_failure)

    async def mfa_registration(self) -> None:
        async def fetch() -> tuple[inv.MfaRegistration, ...]:
            raw = await self._list("/reports/authenticationMethods/userRegistrationDetails")
            return tuple(parse.mfa_registration(r) for r in raw)

        await self.attempt(inv.MFA_REGISTRATION, fetch, "mfa_registrations")

    async def conditional_access(self) -> None:
        async def fetch() -> tuple[inv.ConditionalAccessPolicy, ...]:
            raw = await self._list("/identity/conditionalAccess/policies")
            return tuple(parse.conditional_access_policy(p) for p in raw)

        await self.attempt(inv.CONDITIONAL_ACCESS, fetch, "conditional_access_policies")

    async def security_defaults(self) -> None:
        async def fetch() -> bool:
            url = self.graph.url("/policies/identitySecurityDefaultsEnforcementPolicy")
            body = await self.graph.get(url, NEEDS[inv.SECURITY_DEFAULTS].request)
            return body.get("isEnabled") is True

        await self.attempt(inv.SECURITY_DEFAULTS, fetch, "security_defaults_enabled")

    async def authorization_policy(self) -> None:
        async def fetch() -> inv.AuthorizationPolicy:
            url = self.graph.url("/policies/authorizationPolicy")
            body = await self.graph.get(url, NEEDS[inv.AUTHORIZATION_POLICY].request)
            return parse.authorization_policy(body)

        await self.attempt(inv.AUTHORIZATION_POLICY, fetch, "authorization_policy")

    async def role_definitions(self) -> None:
        async def fetch() -> tuple[inv.RoleDefinition, ...]:
            try:
                raw = await self._list(
                    "/roleManagement/directory/roleDefinitions",
                    {"$select": "id,displayName,templateId,isBuiltIn"},
                )
            except GraphCallError as exc:
                if exc.status != 404:
                    raise
                # Older or sovereign deployments without the unified RBAC API: activated roles.
                raw = await self._list("/directoryRoles")
                return tuple(parse.directory_role(r) for r in raw)
            return tuple(parse.role_definition(r) for r in raw)

        await self.attempt(inv.ROLE_DEFINITIONS, fetch, "role_definitions")

    async def role_assignments(self) -> None:
        async def fetch() -> tuple[inv.RoleAssignment, ...]:
            raw = await self._list(
                "/roleManagement/directory/roleAssignments", {"$expand": "principal"}
            )
            return tuple(parse.role_assignment(r) for r in raw)

        await self.attempt(inv.ROLE_ASSIGNMENTS, fetch, "role_assignments")

    async def role_eligibility(self) -> None:
        async def fetch() -> tuple[inv.RoleAssignment, ...]:
            try:
                raw = await self._list(
                    "/roleManagement/directory/roleEligibilitySchedules", {"$expand": "principal"}
                )
            except GraphCallError as exc:
                if exc.status != 404:
                    raise
                raw = await self._list(
                    "/roleManagement/directory/roleEligibilityScheduleInstances",
                    {"$expand": "principal"},
                )
            return tuple(parse.role_assignment(r) for r in raw)

        await self.attempt(inv.ROLE_ELIGIBILITY, fetch, "role_eligibilities")

    async def group_members(self, group_ids: Iterable[str]) -> None:
        """Transitive members of the groups that hold roles or that policies name."""

        async def members(group_id: str, relation: str) -> list[parse.Json] | None:
            try:
                return await self._list(
                    f"/groups/{group_id}/{relation}", {"$select": MEMBER_FIELDS, "$top": PAGE_SIZE}
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

        async def fetch() -> tuple[inv.AzureGroup, ...]:
            groups = await asyncio.gather(*(one(g) for g in sorted(set(group_ids))))
            return tuple(g for g in groups if g is not None)

        await self.attempt(inv.GROUP_MEMBERS, fetch, "groups")

    async def applications(self) -> None:
        async def fetch() -> tuple[inv.AzureApplication, ...]:
            raw = await self._list(
                "/applications", {"$select": APP_CREDENTIAL_FIELDS, "$top": PAGE_SIZE}
            )
            return tuple(parse.application(a) for a in raw)

        await self.attempt(inv.APPLICATIONS, fetch, "applications")

    async def service_principals(self) -> None:
        async def fetch() -> tuple[inv.AzureServicePrincipal, ...]:
            raw = await self._list("/servicePrincipals", {"$select": SP_FIELDS, "$top": PAGE_SIZE})
            return tuple(parse.service_principal(s) for s in raw)

        await self.attempt(inv.SERVICE_PRINCIPALS, fetch, "service_principals")


def referenced_groups(collected: Collected) -> set[str]:
    """Groups whose members matter: role holders, and groups conditional access names."""
    ids: set[str] = set()
    for field_name in ("role_assignments", "role_eligibilities"):
        assignments: tuple[inv.RoleAssignment, ...] = collected.fields.get(field_name, ())
        # "other": the principal was not expanded; it may be a group (a 404 says it is not).
        ids.update(a.principal_id for a in assignments if a.principal_type in ("group", "other"))
    policies: tuple[inv.ConditionalAccessPolicy, ...] = collected.fields.get(
        "conditional_access_policies", ()
    )
    for p in policies:
        ids.update(p.include_groups)
        ids.update(p.exclude_groups)
    users: tuple[inv.AzureUser, ...] = collected.fields.get("users", ())
    sps: tuple[inv.AzureServicePrincipal, ...] = collected.fields.get("service_principals", ())
    return ids - {u.id for u in users} - {s.id for s in sps}


def expected_collections(wanted: frozenset[str], pim_eligibility: bool) -> list[str]:
    """The collections `collect_all` records an outcome for, in its order."""
    names: list[str] = []
    if wanted & {inv.USERS, inv.SIGN_IN_ACTIVITY}:
        names.append(inv.USERS)
    if inv.SIGN_IN_ACTIVITY in wanted:
        names.append(inv.SIGN_IN_ACTIVITY)
    names += [name for name in SIMPLE_COLLECTIONS if name in wanted]
    if inv.ROLE_ASSIGNMENTS in wanted and pim_eligibility:
        names.append(inv.ROLE_ELIGIBILITY)
    if inv.GROUP_MEMBERS in wanted:
        names.append(inv.GROUP_MEMBERS)
    return names


def past_deadline(
    collected: Collected, wanted: frozenset[str], pim_eligibility: bool, seconds: float
) -> None:
    """Every expected collection without an outcome yet becomes an error."""
    done = {o.collection for o in collected.outcomes}
    for name in expected_collections(wanted, pim_eligibility):
        if name in done:
            continue
        outcome = CollectionOutcome(
            collection=name,
            outcome=Outcome.ERROR,
            missing=NEEDS[name].permission,
            message=f"not finished within the scan deadline of {seconds:g} s",
        )
        log.warning("%s", outcome.describe())
        collected.outcomes.append(outcome)


SIMPLE_COLLECTIONS = (
    inv.MFA_REGISTRATION,
    inv.CONDITIONAL_ACCESS,
    inv.SECURITY_DEFAULTS,
    inv.AUTHORIZATION_POLICY,
    inv.ROLE_DEFINITIONS,
    inv.ROLE_ASSIGNMENTS,
    inv.APPLICATIONS,
    inv.SERVICE_PRINCIPALS,
)


async def collect_all(
    collector: Collector, wanted: frozenset[str], pim_eligibility: bool
) -> Collected:
    """Phase one in parallel (bounded by the HTTP client's request slots), then the groups."""
    c = collector
    jobs: list[Awaitable[None]] = []
    if wanted & {inv.USERS, inv.SIGN_IN_ACTIVITY}:
        jobs.append(c.users(with_sign_in=inv.SIGN_IN_ACTIVITY in wanted))
    simple: dict[str, Callable[[], Awaitable[None]]] = {
        inv.MFA_REGISTRATION: c.mfa_registration,
        inv.CONDITIONAL_ACCESS: c.conditional_access,
        inv.SECURITY_DEFAULTS: c.security_defaults,
        inv.AUTHORIZATION_POLICY: c.authorization_policy,
        inv.ROLE_DEFINITIONS: c.role_definitions,
        inv.ROLE_ASSIGNMENTS: c.role_assignments,
        inv.APPLICATIONS: c.applications,
        inv.SERVICE_PRINCIPALS: c.service_principals,
    }
    jobs += [run() for name, run in simple.items() if name in wanted]
    if inv.ROLE_ASSIGNMENTS in wanted and pim_eligibility:
        jobs.append(c.role_eligibility())
    await asyncio.gather(*jobs)
    if inv.GROUP_MEMBERS in wanted:
        await c.group_members(referenced_groups(c.result))
    return c.result
