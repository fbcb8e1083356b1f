"""Password policies that let users reuse recent passwords."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta.policy._select import okta_password_policies, password_policy
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import PASSWORD_POLICIES, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.policy.password_history_short",
    title="Okta password policy remembers fewer than 5 previous passwords",
    severity=Severity.LOW,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Set 'Enforce password history' to at least 5 previous passwords.",
    requires=(PASSWORD_POLICIES,),
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    minimum = ctx.config.okta.thresholds.password_min_history
    for policy in okta_password_policies(inventory):
        history = policy.history_count or 0
        evidence = {"history_count": policy.history_count, "threshold": minimum}
        yield pass_or_fail(
            password_policy(inventory, policy),
            history >= minimum,
            f"Password policy {policy.name!r} remembers {history} previous passwords.",
            f"Okta password policy {policy.name!r} remembers {history} previous passwords: "
            f"enforce a history of at least {minimum}.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
