"""Enabled member users who have not signed in for a long time, or never since creation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from checks.azuread.resources import user as user_resource
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.azuread import SIGN_IN_ACTIVITY, USERS, AzureAdInventory, AzureUser
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="azuread.users.stale_sign_in",
    title="Enabled user with no recent sign-in",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.2",),
    remediation="Confirm with the user's manager whether the account is still needed; disable "
    "it if not (and review it in your leaver process).",
    requires=(USERS, SIGN_IN_ACTIVITY),
)


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def verdict(user: AzureUser, now: datetime, stale_days: int, grace_days: int) -> tuple[bool, str]:
    """(stale, why) for one user; shared with the guest check."""
    last = user.last_activity
    if last is not None:
        idle = (now - last).days
        if idle >= stale_days:
            return True, f"last signed in {idle} days ago ({_day(last)})"
        return False, f"signed in {idle} days ago"
    if user.created is None:
        return True, "has never signed in (creation date unknown)"
    age = (now - user.created).days
    if now - user.created > timedelta(days=grace_days):
        return True, f"has never signed in since it was created {age} days ago"
    return False, f"was created {age} days ago and has not signed in yet"


def evidence_for(user: AzureUser) -> dict[str, str | bool | None]:
    return {
        "last_sign_in": _day(user.last_sign_in),
        "last_non_interactive_sign_in": _day(user.last_non_interactive_sign_in),
        "last_successful_sign_in": _day(user.last_successful_sign_in),
        "created": _day(user.created),
        "account_enabled": user.account_enabled,
    }


def evaluate(inventory: AzureAdInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    limits = ctx.config.azuread.thresholds
    for user in inventory.users:
        if user.is_guest or not user.account_enabled:
            continue
        stale, why = verdict(
            user, ctx.now, limits.stale_sign_in_days, limits.never_signed_in_grace_days
        )
        name = user.user_principal_name
        if stale:
            yield fail(
                user_resource(user),
                f"Enabled user {name} {why}.",
                evidence={**evidence_for(user), "threshold_days": limits.stale_sign_in_days},
            )
        else:
            yield passed(user_resource(user), f"{name} {why}.", evidence=evidence_for(user))


CHECK = Check(META, AzureAdInventory, evaluate)
