"""Active access keys older than the rotation threshold."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from checks.aws.credential_report import as_of, removed_since_report, report_evidence
from checks.aws.resources import iam_user
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import AUTHORIZATION_DETAILS, CREDENTIAL_REPORT
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.iam.access_key_too_old",
    title="Access key not rotated within the allowed age",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Create a new key, move its users over, then deactivate and delete the old one.",
    requires=(CREDENTIAL_REPORT,),
    optional=(AUTHORIZATION_DETAILS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    max_age = ctx.config.aws.thresholds.access_key_max_age_days
    for user in inventory.credential_report:
        if removed_since_report(inventory, user):
            continue
        for key in user.active_keys:
            if key.created is None:
                continue
            age = (ctx.now - key.created).days
            evidence = {
                "key_slot": key.slot,
                "created": key.created.isoformat(),
                "age_days": age,
                "max_age_days": max_age,
                **report_evidence(user),
            }
            yield pass_or_fail(
                iam_user(user),
                ctx.now - key.created <= timedelta(days=max_age),
                f"Access key {key.slot} of {user.name} is {age} days old.",
                f"Access key {key.slot} of {user.name} is {age} days old "
                f"(limit {max_age}); rotate it{as_of(user, ctx.now)}.",
                evidence=evidence,
                sub_key=key.sub_key,
            )


CHECK = Check(META, AwsInventory, evaluate)
