"""Active users who have not signed in for a long time."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import USERS, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.users.dormant",
    title="Active Okta user with no sign-in for 90 days or more",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.2",),
    remediation="Confirm with the user's manager whether access is still needed; suspend or "
    "deactivate the account if not.",
    requires=(USERS,),
    description="Users who never signed in are covered by okta.users.never_logged_in.",
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    limit = ctx.config.okta.thresholds.dormant_user_days
    for user in inventory.directory_users:
        if not user.active or user.last_login is None:
            continue
        idle = resources.days_since(user.last_login, ctx.now) or 0
        evidence = {
            "status": user.status,
            "last_login": resources.stamp(user.last_login),
            "days_since_login": idle,
            "threshold_days": limit,
        }
        yield pass_or_fail(
            resources.user(inventory, user),
            idle < limit,
            f"{user.login} signed in {idle} days ago.",
            f"Okta user {user.login} is {user.status} but last signed in {idle} days ago: "
            "review and deactivate if no longer needed.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
