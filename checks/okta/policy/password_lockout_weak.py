"""Password policies that lock out late, or never."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta.policy._select import okta_password_policies, password_policy
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.okta import PASSWORD_POLICIES, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.policy.password_lockout_weak",
    title="Okta password policy locks out after more than 10 attempts, or never",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Lock the account after at most 10 failed sign-in attempts.",
    requires=(PASSWORD_POLICIES,),
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    limit = ctx.config.okta.thresholds.password_max_lockout_attempts
    for policy in okta_password_policies(inventory):
        attempts = policy.max_attempts
        evidence = {"max_attempts": attempts, "threshold": limit}
        resource = password_policy(inventory, policy)
        if not attempts:
            yield fail(
                resource,
                f"Okta password policy {policy.name!r} never locks accounts out: "
                f"lock after at most {limit} failed attempts.",
                evidence=evidence,
            )
        elif attempts > limit:
            yield fail(
                resource,
                f"Okta password policy {policy.name!r} locks out only after {attempts} failed "
                f"attempts: lower it to {limit} or fewer.",
                evidence=evidence,
            )
        else:
            yield passed(
                resource,
                f"Password policy {policy.name!r} locks out after {attempts} failed attempts.",
                evidence=evidence,
            )


CHECK = Check(META, OktaInventory, evaluate)
