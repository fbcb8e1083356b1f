"""Password policies that allow short passwords."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta.policy._select import okta_password_policies, password_policy
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import PASSWORD_POLICIES, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.policy.password_min_length_short",
    title="Okta password policy allows passwords shorter than 14 characters",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Set the policy's minimum length to at least 14 "
    "(Security > Authenticators > Password).",
    requires=(PASSWORD_POLICIES,),
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    minimum = ctx.config.okta.thresholds.password_min_length
    for policy in okta_password_policies(inventory):
        evidence = {"min_length": policy.min_length, "threshold": minimum}
        yield pass_or_fail(
            password_policy(inventory, policy),
            policy.min_length is not None and policy.min_length >= minimum,
            f"Password policy {policy.name!r} requires {policy.min_length} characters.",
            f"Okta password policy {policy.name!r} allows passwords of "
            f"{policy.min_length or 'any'} characters: require at least {minimum}.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
