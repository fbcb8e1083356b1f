"""Admin Console authentication policy rules that allow a single factor."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta.policy._select import access_rule, admin_console_rules
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import APP_ACCESS_POLICIES, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.policy.admin_console_without_mfa",
    title="Okta Admin Console reachable without MFA",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="In the Okta Admin Console authentication policy, make every allowing rule "
    "require two factors (ideally phishing-resistant), or deny access.",
    requires=(APP_ACCESS_POLICIES,),
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for policy, rule in admin_console_rules(inventory):
        evidence = {
            "access": rule.access,
            "factor_mode": rule.factor_mode,
            "verification_type": rule.verification_type,
            "phishing_resistant": rule.phishing_resistant,
        }
        resource = access_rule(inventory, policy, rule)
        single_factor = rule.access == "ALLOW" and (
            rule.factor_mode == "1FA"
            or (rule.factor_mode is None and rule.verification_type != "AUTH_METHOD_CHAIN")
        )
        how = "with one factor (1FA)" if rule.factor_mode else "without requiring a second factor"
        verdict = "denies access" if rule.access != "ALLOW" else "requires MFA"
        yield pass_or_fail(
            resource,
            not single_factor,
            f"Admin Console rule {rule.name!r} {verdict}.",
            f"Admin Console rule {rule.name!r} lets admins in {how}: require 2FA.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
