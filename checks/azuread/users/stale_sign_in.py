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


def _attempts_note(user: AzureUser, after: datetime | None) -> str:
    """Sign-in attempts later than the last success, which may have failed (a spray, say)."""
    attempt = user.last_sign_in_attempt
    if attempt is None or (after is not None and attempt <= after):
        return ""
    return f"; sign-in attempts as late as {_day(attempt)} may have failed and do not count"


def verdict(user: AzureUser, now: datetime, stale_days: int, grace_days: int) -> tuple[bool, str]:
    """(stale, why) for one user; shared with the guest check. Only a successful sign-in is
    activity: the other signInActivity stamps record failed attempts too."""
    last = user.last_successful_sign_in
    if last is not None:
        idle = (now - last).days
        if idle >= stale_days:
            note = _attempts_note(user, last)
            return True, f"last signed in {idle} days ago ({_day(last)}){note}"
        return False, f"signed in {idle} days ago"
    attempted = user.last_sign_in_attempt is not None
    never = "has no successful sign-in on record" if attempted else "has never signed in"
    note = _attempts_note(user, None)
    if user.created is None:
        return True, f"{never} (creation date unknown){note}"
    age = (now - user.created).days
    if now - user.created > timedelta(days=grace_days):
        return True, f"{never} since it was created {age} days ago{note}"
    return False, f"was created {age} days ago and has not signed in yet{note}"


def evidence_for(user: AzureUser) -> dict[str, str | bool | None]:
    return {
        "last_sign_in": _day(user.last_sign_in),
        "last_non_interactive_sign_in": _day(user.last_non_interactive_sign_in),
        "last_successful_sign_in": _day(user.last_successful_sign_in),
        "created": _day(user.created),
        "account_enabled": user.account_enabled,
        # What the verdict rests on: the two other stamps count failed attempts too.
        "judged_by": (
            "lastSuccessfulSignInDateTime"
            if user.last_successful_sign_in is not None
            else "createdDateTime"
        ),
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
