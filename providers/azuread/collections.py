"""Every Azure AD collection, declared once, and how a tenant's run is put together."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from providers.azuread import collect
from providers.azuread.graph import GraphApi, GraphCallError, TokenError
from providers.azuread.permissions import NEEDS, Need, scan_reads
from scanner.collection import (
    Collected,
    Collection,
    Deadline,
    Job,
    Recorder,
    by_name,
    run_jobs_async,
)
from scanner.inventory import azuread as inv
from scanner.progress import ProgressSink

Fetch = Callable[..., Awaitable[Any]]
AzureCollection = Collection[Need]


def _declare(
    name: str,
    fields: tuple[str, ...],
    fetch: Fetch,
    after: tuple[str, ...] = (),
    derived: tuple[str, ...] = (),
    always: bool = False,
) -> AzureCollection:
    return Collection(
        name=name,
        inventory=inv.AzureAdInventory,
        fields=fields,
        needs=NEEDS[name],
        fetch=fetch,
        after=after,
        derived=derived,
        always=always,
    )


async def fetch_sign_in_activity(graph: GraphApi) -> tuple[inv.AzureUser, ...]:
    return await collect.fetch_users(graph, with_sign_in=True)


ORGANIZATION = _declare(
    inv.ORGANIZATION, ("account_name",), collect.fetch_organization, always=True
)
USERS = _declare(inv.USERS, ("users",), collect.fetch_users, derived=("directory_users",))
# The users' sign-in activity comes in the users listing itself (it needs a P1 licence).
SIGN_IN_ACTIVITY = _declare(inv.SIGN_IN_ACTIVITY, ("users",), fetch_sign_in_activity)
ROLE_ASSIGNMENTS = _declare(
    inv.ROLE_ASSIGNMENTS, ("role_assignments",), collect.fetch_role_assignments
)
ROLE_ELIGIBILITY = _declare(
    inv.ROLE_ELIGIBILITY, ("role_eligibilities",), collect.fetch_role_eligibility
)
GROUP_MEMBERS = _declare(
    inv.GROUP_MEMBERS,
    ("groups",),
    collect.fetch_group_members,
    # The groups that matter are the role holders and the groups policies name.
    after=(
        inv.ROLE_ASSIGNMENTS,
        inv.ROLE_ELIGIBILITY,
        inv.CONDITIONAL_ACCESS,
        inv.USERS,
        inv.SIGN_IN_ACTIVITY,
        inv.SERVICE_PRINCIPALS,
    ),
)

COLLECTIONS: tuple[AzureCollection, ...] = (
    ORGANIZATION,
    USERS,
    SIGN_IN_ACTIVITY,
    _declare(inv.MFA_REGISTRATION, ("mfa_registrations",), collect.fetch_mfa_registration),
    _declare(
        inv.CONDITIONAL_ACCESS, ("conditional_access_policies",), collect.fetch_conditional_access
    ),
    _declare(
        inv.SECURITY_DEFAULTS, ("security_defaults_enabled",), collect.fetch_security_defaults
    ),
    _declare(
        inv.AUTHORIZATION_POLICY, ("authorization_policy",), collect.fetch_authorization_policy
    ),
    _declare(inv.ROLE_DEFINITIONS, ("role_definitions",), collect.fetch_role_definitions),
    ROLE_ASSIGNMENTS,
    ROLE_ELIGIBILITY,
    GROUP_MEMBERS,
    _declare(inv.APPLICATIONS, ("applications",), collect.fetch_applications),
    _declare(inv.SERVICE_PRINCIPALS, ("service_principals",), collect.fetch_service_principals),
)
by_name(COLLECTIONS)


def wanted_collections(wanted: frozenset[str], pim_eligibility: bool) -> list[AzureCollection]:
    """What a tenant scan reads for the selected checks, in table order (the organization is
    read first, on its own)."""
    names = scan_reads(wanted, pim_eligibility)
    return [c for c in COLLECTIONS if c.name in names and not c.always]


def recorder(progress: ProgressSink | None) -> Recorder:
    return Recorder(collect.classify, progress, reraise=(TokenError,))


async def _users(graph: GraphApi, rec: Recorder, with_sign_in: bool) -> Any:
    """The users, with their sign-in activity when it is wanted and the tenant allows it.

    A 400 or 403 on the sign-in attributes (no AuditLog.Read.All, no P1 licence) leaves the
    users to be read without them; any other failure is the users' own.
    """
    if not with_sign_in:
        return await collect.fetch_users(graph)
    try:
        users = await SIGN_IN_ACTIVITY.fetch(graph)
    except GraphCallError as exc:
        if exc.status not in (400, 403):
            rec.failed(SIGN_IN_ACTIVITY, None, exc)
            raise
        sign_in_failure = exc
    else:
        rec.succeeded(SIGN_IN_ACTIVITY)
        return users
    try:
        users = await collect.fetch_users(graph)
    except Exception as exc:
        # The users themselves could not be read: that is the cause, for both.
        cause = collect.classify(USERS, None, exc)
        rec.add(cause.model_copy(update={"collection": inv.SIGN_IN_ACTIVITY}))
        raise
    rec.failed(SIGN_IN_ACTIVITY, None, sign_in_failure)
    return users


async def collect_tenant(
    graph: GraphApi, rec: Recorder, wanted: frozenset[str], pim_eligibility: bool
) -> Collected:
    """Everything independent at once (bounded by the HTTP client's request slots); the group
    members once the collections naming groups are in."""
    with_sign_in = inv.SIGN_IN_ACTIVITY in wanted

    def job(c: AzureCollection) -> Job:
        if c is USERS:
            return Job(c, None, lambda _: _users(graph, rec, with_sign_in))
        if c is GROUP_MEMBERS:
            return Job(c, None, lambda done: c.fetch(graph, collect.referenced_groups(done)))
        return Job(c, None, lambda _: c.fetch(graph))

    jobs = [
        job(c)
        for c in wanted_collections(wanted, pim_eligibility)
        if c is not SIGN_IN_ACTIVITY
    ]
    return await run_jobs_async(jobs, rec)


def past_deadline(
    rec: Recorder, deadline: Deadline, wanted: frozenset[str], pim_eligibility: bool
) -> None:
    """Every expected collection without an outcome yet becomes an error."""
    expected = [(c, None) for c in wanted_collections(wanted, pim_eligibility)]
    rec.past_deadline(deadline, expected, missing=lambda c: c.needs.permission)
