"""What a credential-report verdict rests on: the report's age, and the users gone since.

IAM reuses a credential report for four hours (GenerateCredentialReport makes a new one only
when the last is older), so a key rotated or an MFA device added minutes ago can still read as
missing. The collector re-reads such users from IAM (providers/aws/collectors/iam_refresh.py).
Every verdict carries the report's GeneratedTime; a fail from a stale report that could not be
re-read says so; a user the authorization details no longer list was deleted after the
report and is not judged.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import JsonValue

from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import AUTHORIZATION_DETAILS, CredentialReportUser

FRESH = timedelta(minutes=15)
"""Younger than this, the report was generated for this scan: no caveat."""


def report_evidence(user: CredentialReportUser) -> dict[str, JsonValue]:
    generated = user.report_generated
    evidence: dict[str, JsonValue] = {
        "credential_report_generated": generated.isoformat() if generated else None
    }
    if user.refreshed:
        evidence["state_read_after_report"] = True
    return evidence


def as_of(user: CredentialReportUser, now: datetime) -> str:
    """A caveat for a fail message when the report predates the scan by more than FRESH."""
    generated = user.report_generated
    if generated is None or user.refreshed or now - generated <= FRESH:
        return ""
    hours = (now - generated).total_seconds() / 3600
    return (
        f" (per the credential report generated {generated.strftime('%Y-%m-%d %H:%M')} UTC, "
        f"{hours:.1f} h before this scan: a change made since then is not in it yet)"
    )


def removed_since_report(inventory: AwsInventory, user: CredentialReportUser) -> bool:
    """The report lists the user but IAM, read after it, does not: deleted since."""
    if not inventory.collected(AUTHORIZATION_DETAILS):
        return False
    return user.arn not in {u.arn for u in inventory.authorization.users}
