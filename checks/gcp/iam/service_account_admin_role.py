"""Customer service accounts holding basic or administrative roles on a project, a folder or
the organization."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp import principals, roles
from checks.gcp.resources import member
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, pass_or_fail
from scanner.inventory.gcp import ANCESTOR_IAM_POLICY, IAM_POLICY, GcpIamInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.iam.service_account_admin_role",
    title="Service account with an admin or basic role",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3",),
    remediation=(
        "Give workloads only the predefined roles they use (see IAM recommender); Google's own "
        "service agents are not flagged."
    ),
    requires=(IAM_POLICY, ANCESTOR_IAM_POLICY),
    optional=roles.READS,
)


def evaluate(inventory: GcpIamInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if inventory.iam_policy is None:
        return
    for who, granted in sorted(inventory.iam_policy.roles_of().items()):
        if not principals.is_customer_service_account(who):
            continue
        held = roles.resolve(inventory, granted)
        predefined = sorted(r for r in held.roles if principals.is_admin_role(r))
        shown = {held.via.get(r) for r in predefined}
        admin = [held.named(r) for r in predefined] + [
            f"{r} (can set IAM policies)" for r in held.admin_custom if r not in shown
        ]
        evidence = {"member": who, "admin_roles": list(admin)}
        if not admin and held.unknown:
            yield error(member(inventory, who), held.unknown_message(who), evidence=evidence)
            continue
        yield pass_or_fail(
            member(inventory, who),
            not admin,
            f"{principals.identity(who)} holds no admin or basic role.",
            f"Service account {principals.identity(who)} holds {', '.join(admin)} on "
            f"{inventory.label}; grant it only the roles its workload needs.",
            evidence=evidence,
        )


CHECK = Check(META, GcpIamInventory, evaluate)
