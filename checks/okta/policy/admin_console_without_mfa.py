"""Admin Console authentication policy rules that allow a single factor."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta.policy._factors import requires_two_factor_types
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
        evidence: dict[str, object] = {
            "access": rule.access,
            "factor_mode": rule.factor_mode,
            "verification_type": rule.verification_type,
            "phishing_resistant": rule.phishing_resistant,
        }
        resource = access_rule(inventory, policy, rule)
        single_factor = rule.access == "ALLOW" and not requires_two_factor_types(rule)
        if rule.verification_type == "AUTH_METHOD_CHAIN":
            evidence["chains"] = [
                " -> ".join("|".join(f"{m.key}:{m.method}" for m in s.methods) for s in c.steps)
                for c in rule.chains
            ]
            how = "through an authentication method chain with a single factor type"
        elif rule.factor_mode == "1FA":
            how = "with one factor (1FA)"
        else:
            how = "without requiring a second factor"
        verdict = "denies access" if rule.access != "ALLOW" else "requires MFA"
        yield pass_or_fail(
            resource,
            not single_factor,
            f"Admin Console rule {rule.name!r} {verdict}.",
            f"Admin Console rule {rule.name!r} lets admins in {how}: require 2FA.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
