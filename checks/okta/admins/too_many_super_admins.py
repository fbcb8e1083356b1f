"""More super administrators than the org needs."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import ADMIN_ROLES, GROUP_ROLES, SUPER_ADMIN, USERS, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.admins.too_many_super_admins",
    title="Too many Okta super administrators",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.3",),
    remediation="Keep super admin to a few break-glass and platform owners; give everyone else "
    "a narrower standard or custom admin role.",
    requires=(USERS, ADMIN_ROLES, GROUP_ROLES),
    description="Counts active users holding SUPER_ADMIN directly or through a group "
    "(threshold okta.thresholds.max_super_admins, default 4).",
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    limit = ctx.config.okta.thresholds.max_super_admins
    holders = []
    for user_id, roles in inventory.roles_by_user().items():
        user = inventory.user(user_id)
        if SUPER_ADMIN in roles and user is not None and user.active:
            holders.append(user.login)
    holders.sort()
    evidence = {"super_admin_count": len(holders), "threshold": limit, "super_admins": holders}
    resource = resources.org(inventory, "super_admins")
    yield pass_or_fail(
        resource,
        len(holders) <= limit,
        f"Okta org {inventory.account} has {len(holders)} super admins (at most {limit}).",
        f"Okta org {inventory.account} has {len(holders)} super admins (more than {limit}): "
        "move the others to narrower roles.",
        evidence=evidence,
    )


CHECK = Check(META, OktaInventory, evaluate)
