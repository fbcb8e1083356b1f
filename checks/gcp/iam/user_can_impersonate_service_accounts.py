"""People who can act as, or mint tokens for, every service account in a project, or in every
project below a folder or the organization."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp import principals, roles
from checks.gcp.resources import member
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, pass_or_fail
from scanner.inventory.gcp import (
    ANCESTOR_IAM_POLICY,
    IAM_POLICY,
    GcpIamInventory,
    GcpInventory,
)
from scanner.models.enums import Category, Severity

IMPERSONATION_ROLES = frozenset(
    {
        "roles/iam.serviceAccountUser",
        "roles/iam.serviceAccountTokenCreator",
        "roles/iam.serviceAccountOpenIdTokenCreator",
        "roles/iam.workloadIdentityUser",
    }
)


def _within(inventory: GcpIamInventory) -> str:
    if isinstance(inventory, GcpInventory):
        return "of the project"
    return f"in every project below the {inventory.kind}"


META = CheckMeta(
    id="gcp.iam.user_can_impersonate_service_accounts",
    title="User can impersonate service accounts at project, folder or organization level",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3",),
    remediation=(
        "Grant Service Account User or Token Creator on the specific service account that a "
        "person needs, not on a whole project, folder or organization."
    ),
    requires=(IAM_POLICY, ANCESTOR_IAM_POLICY),
    optional=roles.READS,
)


def evaluate(inventory: GcpIamInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if inventory.iam_policy is None:
        return
    for who, granted in sorted(inventory.iam_policy.roles_of().items()):
        if not principals.is_human(who):
            continue
        held = roles.resolve(inventory, granted)
        found = [held.named(r) for r in sorted(held.roles & IMPERSONATION_ROLES)]
        evidence = {"member": who, "impersonation_roles": list(found)}
        if not found and held.unknown:
            yield error(member(inventory, who), held.unknown_message(who), evidence=evidence)
            continue
        yield pass_or_fail(
            member(inventory, who),
            not found,
            f"{who} cannot impersonate service accounts {inventory.kind}-wide.",
            f"{who} holds {', '.join(found)} on {inventory.label} and can act as "
            f"any service account {_within(inventory)}; grant it on single service accounts "
            "instead.",
            evidence=evidence,
        )


CHECK = Check(META, GcpIamInventory, evaluate)
