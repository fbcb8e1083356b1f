"""Active users who never signed in, well after they were activated."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import USERS, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.users.never_logged_in",
    title="Active Okta user who never signed in 30 days after activation",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.2",),
    remediation="Find out whether the account is still expected to be used; deactivate it "
    "if not, so unused credentials do not linger.",
    requires=(USERS,),
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    grace = ctx.config.okta.thresholds.never_logged_in_days
    for user in inventory.directory_users:
        if not user.active or user.last_login is not None:
            continue
        since = user.activated or user.created
        age = resources.days_since(since, ctx.now)
        evidence = {
            "status": user.status,
            "activated": resources.stamp(user.activated),
            "created": resources.stamp(user.created),
            "days_since_activation": age,
            "threshold_days": grace,
        }
        overdue = age is None or age >= grace
        when = f"{age} days ago" if age is not None else "at an unknown date"
        yield pass_or_fail(
            resources.user(inventory, user),
            not overdue,
            f"{user.login} has not signed in yet but was activated only {age} days ago.",
            f"Okta user {user.login} was activated {when} and has never signed in: "
            "deactivate it if it is not needed.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
