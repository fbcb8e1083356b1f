"""Global session rules with a long (or unlimited) session lifetime."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta.policy._select import session_rule, session_rules
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import SESSION_POLICIES, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.policy.session_lifetime_too_long",
    title="Okta global session lifetime over 12 hours",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Set 'Maximum Okta global session lifetime' to 12 hours or less in the rule.",
    requires=(SESSION_POLICIES,),
    description="0 (no limit) fails. Threshold okta.thresholds.session_max_lifetime_hours.",
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    limit = round(ctx.config.okta.thresholds.session_max_lifetime_hours * 60)
    for policy, rule in session_rules(inventory):
        lifetime = rule.max_session_lifetime_minutes
        evidence = {"max_session_lifetime_minutes": lifetime, "threshold_minutes": limit}
        resource = session_rule(inventory, policy, rule)
        too_long = not lifetime or lifetime > limit
        shown = "no limit" if not lifetime else f"{lifetime} minutes"
        yield pass_or_fail(
            resource,
            not too_long,
            f"Sessions under {rule.name} end after {lifetime} minutes.",
            f"Okta global session rule {policy.name} / {rule.name} allows sessions of "
            f"{shown}: cap them at {limit} minutes.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
