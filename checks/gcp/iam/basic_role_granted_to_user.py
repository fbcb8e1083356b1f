"""Owner or Editor granted to people or groups on a project, a folder or the organization."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp import principals
from checks.gcp.resources import member
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.gcp import ANCESTOR_IAM_POLICY, IAM_POLICY, GcpIamInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.iam.basic_role_granted_to_user",
    title="Basic role (Owner/Editor) granted to a user or group",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3",),
    remediation=(
        "Replace roles/owner and roles/editor with predefined roles scoped to the job; keep "
        "owner for a break-glass group only."
    ),
    requires=(IAM_POLICY, ANCESTOR_IAM_POLICY),
)


def evaluate(inventory: GcpIamInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if inventory.iam_policy is None:
        return
    for who, roles in sorted(inventory.iam_policy.roles_of().items()):
        if not principals.is_human(who):
            continue
        basic = sorted(roles & principals.BASIC_ROLES)
        evidence = {"member": who, "basic_roles": list(basic)}
        yield pass_or_fail(
            member(inventory, who),
            not basic,
            f"{who} holds no basic role.",
            f"{who} holds {', '.join(basic)} on {inventory.label}; grant "
            "narrower predefined roles instead.",
            evidence=evidence,
        )


CHECK = Check(META, GcpIamInventory, evaluate)
