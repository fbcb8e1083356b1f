"""Personal Google accounts (gmail.com) granted roles on a project."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp import principals
from checks.gcp.resources import member
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.gcp import IAM_POLICY, GcpInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.iam.personal_account_access",
    title="Personal Gmail account with access to the project",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.2",),
    remediation=(
        "Remove consumer accounts; grant access to managed identities in your Workspace or "
        "Cloud Identity domain, and set the iam.allowedPolicyMemberDomains organization policy."
    ),
    requires=(IAM_POLICY,),
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if inventory.iam_policy is None:
        return
    for who, roles in sorted(inventory.iam_policy.roles_of().items()):
        if principals.kind(who) != "user":
            continue
        evidence = {"member": who, "roles": sorted(roles)}
        if principals.is_personal_account(who):
            yield fail(
                member(inventory, who),
                f"Personal account {who} has {len(roles)} role(s) on project "
                f"{inventory.account}; replace it with a managed corporate identity.",
                evidence=evidence,
            )
        else:
            yield passed(member(inventory, who), f"{who} is a managed account.", evidence=evidence)


CHECK = Check(META, GcpInventory, evaluate)
