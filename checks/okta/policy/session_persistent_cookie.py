"""Global session rules that keep sessions across browser restarts."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta.policy._select import session_rule, session_rules
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import SESSION_POLICIES, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.policy.session_persistent_cookie",
    title="Okta global session persists across browser restarts",
    severity=Severity.LOW,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Turn off 'Okta global session cookies persist across browser sessions' in "
    "the rule.",
    requires=(SESSION_POLICIES,),
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for policy, rule in session_rules(inventory):
        evidence = {"use_persistent_cookie": rule.use_persistent_cookie}
        resource = session_rule(inventory, policy, rule)
        yield pass_or_fail(
            resource,
            not rule.use_persistent_cookie,
            f"{rule.name} uses session cookies only.",
            f"Okta global session rule {policy.name} / {rule.name} keeps sessions in a "
            "persistent cookie: turn persistent cookies off.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
