"""Suspended or deprovisioned users who still hold an admin role."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import ADMIN_ROLES, GROUP_ROLES, USERS, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.admins.inactive_user_holds_role",
    title="Suspended or deprovisioned Okta user still holds an admin role",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.2",),
    remediation="Remove the admin role (and the admin group membership) from the user; "
    "reactivating the account would otherwise restore admin access.",
    requires=(USERS, ADMIN_ROLES, GROUP_ROLES),
)

LEFT = frozenset({"SUSPENDED", "DEPROVISIONED"})


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for user_id, roles in sorted(inventory.roles_by_user().items()):
        user = inventory.user(user_id)
        if user is None:
            continue
        evidence = {"status": user.status, "roles": sorted(roles)}
        yield pass_or_fail(
            resources.user(inventory, user),
            user.status not in LEFT,
            f"Admin {user.login} is {user.status}.",
            f"Okta user {user.login} is {user.status} but still holds "
            f"{', '.join(sorted(roles))}: remove the role.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
