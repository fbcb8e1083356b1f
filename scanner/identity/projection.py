"""Pure projections from provider inventories to the provider-neutral `CloudIdentity`.

A cloud provider joins the cross-provider identity checks by adding one entry to
`PROJECTIONS`: its inventory type and a function yielding its principals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import CredentialReportUser
from scanner.inventory.common import CloudIdentity
from scanner.inventory.gcp import GcpInventory, is_google_managed, workforce_member
from scanner.inventory.github import GithubInventory
from scanner.inventory.run import RunInventory, build_run_inventory
from scanner.models.inventory import Inventory

Projection = Callable[[Any], Iterable[CloudIdentity]]


def aws_user_identity(account: str, user: CredentialReportUser) -> CloudIdentity:
    uses = [user.password_last_used, *(k.last_used for k in user.access_keys)]
    seen = [u for u in uses if u is not None]
    return CloudIdentity(
        provider="aws",
        account=account,
        uid=user.arn,
        name=user.name,
        kind="user",
        email=user.name if "@" in user.name else None,
        login=user.name,
        console_access=user.password_enabled,
        active_keys=tuple(k.sub_key for k in user.active_keys),
        created=user.created,
        last_used=max(seen) if seen else None,
    )


def aws_identities(inventory: AwsInventory) -> Iterator[CloudIdentity]:
    """Every IAM user of the credential report (the root user is not a person's identity)."""
    for user in inventory.credential_report:
        yield aws_user_identity(inventory.account, user)


_GCP_KINDS = {"user": "user", "serviceAccount": "service_account", "group": "group"}


def gcp_member_identities(
    project: str, bindings: Iterable[tuple[str, Iterable[str]]]
) -> Iterator[CloudIdentity]:
    """One identity per member of a project's IAM bindings, given as (role, members) pairs.

    `user:` members are people (a Google account holding a project role can use the console),
    and so is a workforce pool subject (`principal://.../workforcePools/POOL/subject/S`: a
    person federated from an external identity provider, who signs in to the console through
    it); `serviceAccount:` and `group:` members keep their kind, and a workforce pool set
    (`principalSet://.../workforcePools/...`) is a group. Google-managed service agents,
    `domain:`, `allUsers`, `deleted:`, workload identity pools and other principals are not
    identities of a person and are left to the GCP checks.
    """
    roles: dict[str, set[str]] = {}
    for role, members in bindings:
        for member in members:
            roles.setdefault(member, set()).add(role)
    for member, held in sorted(roles.items()):
        federated = workforce_member(member)
        if federated is not None:
            yield _workforce_identity(project, member, federated.subject, held)
            continue
        prefix, _, email = member.partition(":")
        kind = _GCP_KINDS.get(prefix)
        if kind is None or not email or (kind == "service_account" and is_google_managed(email)):
            continue
        yield CloudIdentity(
            provider="gcp",
            account=project,
            uid=member,
            name=email,
            kind=kind,
            email=email,
            login=email,
            console_access=kind == "user",
            grants=tuple(sorted(held)),
        )


def _workforce_identity(
    project: str, member: str, subject: str | None, held: set[str]
) -> CloudIdentity:
    """A workforce pool subject is a person (its subject is the IdP's name for them, often
    the email); a workforce pool set is a group of them."""
    name = subject if subject is not None else member
    return CloudIdentity(
        provider="gcp",
        account=project,
        uid=member,
        name=name,
        kind="user" if subject is not None else "group",
        email=subject if subject is not None and "@" in subject else None,
        login=subject,
        console_access=subject is not None,
        grants=tuple(sorted(held)),
    )


def gcp_identities(inventory: GcpInventory) -> Iterator[CloudIdentity]:
    """Every member of the project's own IAM policy (inherited folder and organization
    bindings are not collected). No policy (its collection failed) yields nothing: the failed
    outcome makes the identity checks say error."""
    policy = inventory.iam_policy
    if policy is None:
        return
    yield from gcp_member_identities(
        inventory.account, ((b.role, b.members) for b in policy.bindings)
    )


def github_identities(inventory: GithubInventory) -> Iterator[CloudIdentity]:
    """Every member of the organisation: each can sign in to GitHub and reach the org's
    repositories. A GitHub login is the person's own choice, not a corporate name, so it is
    matched only through identity-map.yaml (`github: [login]`) or the email GitHub shows."""
    for member in inventory.members:
        yield CloudIdentity(
            provider="github",
            account=inventory.account,
            uid=member.url,
            name=member.login,
            kind="user",
            email=member.email,
            console_access=True,
        )


PROJECTIONS: tuple[tuple[type[Inventory], Projection], ...] = (
    (AwsInventory, aws_identities),
    (GcpInventory, gcp_identities),
    (GithubInventory, github_identities),
)


def project(inventories: Sequence[Inventory]) -> tuple[list[CloudIdentity], list[str]]:
    """The identities of every cloud inventory, and the provider:account of each."""
    identities: list[CloudIdentity] = []
    accounts: list[str] = []
    for inv in inventories:
        for inventory_type, projection in PROJECTIONS:
            if isinstance(inv, inventory_type):
                accounts.append(f"{inv.provider}:{inv.account}")
                identities.extend(projection(inv))
    return identities, accounts


def run_inventory(inventories: Sequence[Inventory]) -> RunInventory:
    identities, accounts = project(inventories)
    return build_run_inventory(inventories, identities, accounts)
