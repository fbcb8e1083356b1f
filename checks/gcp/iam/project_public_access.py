"""allUsers or allAuthenticatedUsers granted a role on a project, a folder or the organization."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp import principals
from checks.gcp.resources import policy_holder
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.gcp import ANCESTOR_IAM_POLICY, IAM_POLICY, GcpIamInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.iam.project_public_access",
    title=(
        "Project, folder or organization IAM policy grants access to allUsers or "
        "allAuthenticatedUsers"
    ),
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1", "CC6.6"),
    remediation=(
        "Remove allUsers and allAuthenticatedUsers from the IAM policy of the project, folder "
        "or organization."
    ),
    requires=(IAM_POLICY, ANCESTOR_IAM_POLICY),
)


def evaluate(inventory: GcpIamInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if inventory.iam_policy is None:
        return
    grants = sorted(
        f"{m} -> {b.role}"
        for b in inventory.iam_policy.bindings
        for m in b.members
        if m in principals.PUBLIC_MEMBERS
    )
    if grants:
        yield fail(
            policy_holder(inventory),
            f"{inventory.label.capitalize()} grants roles to the public ({grants[0]}); remove "
            "allUsers/allAuthenticatedUsers.",
            evidence={"public_grants": list(grants)},
        )
    else:
        yield passed(
            policy_holder(inventory),
            f"{inventory.label.capitalize()} grants nothing to the public.",
            evidence={"public_grants": []},
        )


CHECK = Check(META, GcpIamInventory, evaluate)
