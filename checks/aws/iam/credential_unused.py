"""Passwords and access keys left unused: stale identities nobody would miss."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from checks.aws.credential_report import as_of, removed_since_report, report_evidence
from checks.aws.resources import iam_user
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import (
    AUTHORIZATION_DETAILS,
    CREDENTIAL_REPORT,
    CredentialReportUser,
)
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.iam.credential_unused",
    title="Password or access key unused for too long (stale identity)",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.2",),
    remediation=(
        "Disable the unused password or deactivate the key; remove the user if nobody needs it."
    ),
    requires=(CREDENTIAL_REPORT,),
    optional=(AUTHORIZATION_DETAILS,),
)


def _credentials(
    user: CredentialReportUser,
) -> Iterator[tuple[str, str, datetime | None, datetime | None]]:
    """(label, sub_key, last_used, issued) for each live credential of a user."""
    if user.password_enabled:
        yield (
            "password",
            "password",
            user.password_last_used,
            (user.password_last_changed or user.created),
        )
    for key in user.active_keys:
        yield f"access key {key.slot}", key.sub_key, key.last_used, key.created or user.created


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    days = ctx.config.aws.thresholds.stale_credential_days
    limit = timedelta(days=days)
    for user in inventory.credential_report:
        if removed_since_report(inventory, user):
            continue
        for label, sub_key, last_used, issued in _credentials(user):
            evidence = {
                "credential_kind": label,
                "last_used": last_used.isoformat() if last_used else None,
                "issued": issued.isoformat() if issued else None,
                "threshold_days": days,
                **report_evidence(user),
            }
            if last_used is not None and ctx.now - last_used > limit:
                message = (
                    f"The {label} of {user.name} was last used "
                    f"{(ctx.now - last_used).days} days ago{as_of(user, ctx.now)}."
                )
                yield fail(iam_user(user), message, evidence=evidence, sub_key=sub_key)
            elif last_used is None and issued is not None and ctx.now - issued > limit:
                message = (
                    f"The {label} of {user.name} has never been used in the "
                    f"{(ctx.now - issued).days} days since it was issued{as_of(user, ctx.now)}."
                )
                yield fail(iam_user(user), message, evidence=evidence, sub_key=sub_key)
            else:
                yield passed(
                    iam_user(user),
                    f"The {label} of {user.name} is in use or new.",
                    evidence=evidence,
                    sub_key=sub_key,
                )


CHECK = Check(META, AwsInventory, evaluate)
