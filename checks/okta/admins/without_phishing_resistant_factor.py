"""Admins who can sign in without a phishing-resistant factor."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import ADMIN_ROLES, FACTORS, GROUP_ROLES, USERS, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.admins.without_phishing_resistant_factor",
    title="Okta admin without a phishing-resistant factor",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Have the admin enrol a FIDO2/WebAuthn security key or Okta FastPass, and "
    "require phishing-resistant assurance for the Admin Console.",
    requires=(USERS, FACTORS, ADMIN_ROLES, GROUP_ROLES),
    description="Phishing-resistant factor types are configurable: "
    "okta.thresholds.phishing_resistant_factor_types (default webauthn, u2f, signed_nonce).",
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if resources.missing(inventory, FACTORS):
        return
    strong = set(ctx.config.okta.thresholds.phishing_resistant_factor_types)
    for user_id, roles in sorted(inventory.roles_by_user().items()):
        user = inventory.user(user_id)
        if user is None or not user.active:
            continue
        active = sorted({f.factor_type for f in inventory.factors_of(user_id) if f.active})
        resistant = sorted(set(active) & strong)
        evidence = {
            "roles": sorted(roles),
            "active_factor_types": active,
            "phishing_resistant_factor_types": resistant,
        }
        yield pass_or_fail(
            resources.user(inventory, user),
            bool(resistant),
            f"Admin {user.login} has a phishing-resistant factor ({', '.join(resistant)}).",
            f"Okta admin {user.login} ({', '.join(sorted(roles))}) has no phishing-resistant "
            "factor: enrol a FIDO2 key or Okta FastPass.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
