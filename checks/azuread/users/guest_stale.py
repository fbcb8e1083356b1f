"""Guests who never accepted or used their invitation, or have not signed in for long."""

from __future__ import annotations

from collections.abc import Iterator

from checks.azuread.resources import user as user_resource
from checks.azuread.users.stale_sign_in import evidence_for, verdict
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.azuread import SIGN_IN_ACTIVITY, USERS, AzureAdInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="azuread.users.guest_stale",
    title="Guest user never signed in or stale",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.2",),
    remediation="Remove guests who no longer need access (an access review on guests does "
    "this regularly), and expire unaccepted invitations.",
    requires=(USERS, SIGN_IN_ACTIVITY),
)


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    limits = ctx.config.azuread.thresholds
    for user in inventory.users:
        if not user.is_guest or not user.account_enabled:
            continue
        stale, why = verdict(
            user, ctx.now, limits.guest_stale_days, limits.never_signed_in_grace_days
        )
        evidence = {
            **evidence_for(user),
            "external_user_state": user.external_user_state,
        }
        name = user.user_principal_name
        if stale:
            yield fail(
                user_resource(user),
                f"Guest {name} {why}.",
                evidence={**evidence, "threshold_days": limits.guest_stale_days},
            )
        else:
            yield passed(user_resource(user), f"Guest {name} {why}.", evidence=evidence)


CHECK = Check(META, AzureAdInventory, evaluate)
