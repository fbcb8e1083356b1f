"""Active users with no active MFA factor."""

from __future__ import annotations

from collections.abc import Iterator

from checks.okta import resources
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.okta import FACTORS, USERS, OktaInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="okta.users.active_without_mfa",
    title="Active Okta user without an active MFA factor",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Require enrolment in a strong authenticator (Okta Verify, FIDO2) in the "
    "authenticator enrolment policy, and have the user enrol.",
    requires=(USERS, FACTORS),
    description="Security questions and email do not count as a second factor (configurable: "
    "okta.thresholds.mfa_ignored_factor_types).",
)


def evaluate(inventory: OktaInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if resources.missing(inventory, FACTORS):
        return
    ignored = set(ctx.config.okta.thresholds.mfa_ignored_factor_types)
    for user in inventory.directory_users:
        if not user.active:
            continue
        active = sorted(
            {f.factor_type for f in inventory.factors_of(user.uid) if f.active} - ignored
        )
        evidence = {"status": user.status, "active_factor_types": list(active)}
        yield pass_or_fail(
            resources.user(inventory, user),
            bool(active),
            f"{user.login} has an active MFA factor ({', '.join(active)}).",
            f"Okta user {user.login} is {user.status} with no active MFA factor: "
            "have them enrol one.",
            evidence=evidence,
        )


CHECK = Check(META, OktaInventory, evaluate)
