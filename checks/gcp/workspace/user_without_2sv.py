"""Active Google Workspace users not enrolled in 2-step verification."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import workspace_user
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.gcp import WORKSPACE_USERS, GcpWorkspaceInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.workspace.user_without_2sv",
    title="Workspace user without 2-step verification",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation=(
        "Enforce 2-step verification for every organizational unit (Admin console > Security > "
        "2-step verification) and have the user enrol, preferably with a security key."
    ),
    requires=(WORKSPACE_USERS,),
)


def evaluate(inventory: GcpWorkspaceInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for user in inventory.workspace_users:
        if user.suspended or user.archived:
            continue
        evidence = {
            "email": user.primary_email,
            "enrolled_2sv": user.enrolled_2sv,
            "enforced_2sv": user.enforced_2sv,
            "is_admin": user.is_admin,
        }
        role = "administrator " if user.is_admin else ""
        yield pass_or_fail(
            workspace_user(user),
            user.enrolled_2sv,
            f"{user.primary_email} is enrolled in 2-step verification.",
            f"Workspace {role}{user.primary_email} is not enrolled in 2-step verification; "
            "enforce it for their organizational unit.",
            evidence=evidence,
            account=user.customer_id,
        )


CHECK = Check(META, GcpWorkspaceInventory, evaluate)
