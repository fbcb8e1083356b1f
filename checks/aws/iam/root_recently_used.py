"""The root user signed in or used a key recently."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from checks.aws.credential_report import report_evidence
from checks.aws.resources import root_account
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import CREDENTIAL_REPORT
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.iam.root_recently_used",
    title="Root user used recently",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation=(
        "Stop using the root user for daily work; use named IAM or SSO identities and keep "
        "root for the few tasks that require it."
    ),
    requires=(CREDENTIAL_REPORT,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    if not inventory.collected(CREDENTIAL_REPORT):
        return
    resource = root_account(inventory)
    row = inventory.root_report_row
    if row is None:
        yield error(
            resource,
            "Not evaluated: the credential report has no <root_account> row, so root's last "
            "use is unknown.",
        )
        return
    window = ctx.config.aws.thresholds.root_recent_use_days
    since = ctx.now - timedelta(days=window)
    uses = {"password": row.password_last_used}
    uses.update({f"access_key_{k.slot}": k.last_used for k in row.access_keys})
    recent = {how: when for how, when in uses.items() if when is not None and when >= since}
    evidence = {
        "window_days": window,
        **report_evidence(row),
        **{f"{how}_last_used": when.isoformat() if when else None for how, when in uses.items()},
    }
    if recent:
        last = max(recent.values())
        yield fail(
            resource,
            f"The root user was used on {last.date().isoformat()}, within the last {window} days.",
            evidence=evidence,
        )
    else:
        yield passed(
            resource, f"The root user was not used in the last {window} days.", evidence=evidence
        )


CHECK = Check(META, AwsInventory, evaluate)
