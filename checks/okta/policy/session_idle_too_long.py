"""Global session rules with a long idle timeout."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta.policy._select import session_rule, session_rules
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import SESSION_POLICIES, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.policy.session_idle_too_long",
    title="Okta global session idle timeout over 1 hour",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Set 'Expire session after user has been idle' to 60 minutes or less.",
    requires=(SESSION_POLICIES,),
    description="Threshold okta.thresholds.session_max_idle_minutes.",
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    limit = ctx.config.okta.thresholds.session_max_idle_minutes
    for policy, rule in session_rules(inventory):
        idle = rule.max_session_idle_minutes
        evidence = {"max_session_idle_minutes": idle, "threshold_minutes": limit}
        resource = session_rule(inventory, policy, rule)
        too_long = not idle or idle > limit
        shown = "no limit" if not idle else f"{idle} minutes"
        yield pass_or_fail(
            resource,
            not too_long,
            f"Idle sessions under {rule.name} end after {idle} minutes.",
            f"Okta global session rule {policy.name} / {rule.name} keeps idle sessions for "
            f"{shown}: expire them after {limit} minutes.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
