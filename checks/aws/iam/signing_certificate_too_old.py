"""Active X.509 signing certificates older than the rotation threshold.

A signing certificate is a long-lived credential like an access key, so it is held to the
same age limit (`access_key_max_age_days`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from checks.aws.credential_report import as_of, removed_since_report, report_evidence
from checks.aws.resources import iam_user
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.identity import AUTHORIZATION_DETAILS, CREDENTIAL_REPORT
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.iam.signing_certificate_too_old",
    title="Signing certificate not rotated within the allowed age",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Upload a new signing certificate, move its users over, then deactivate and "
    "delete the old one; delete certificates nothing uses.",
    requires=(CREDENTIAL_REPORT,),
    optional=(AUTHORIZATION_DETAILS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    max_age = ctx.config.aws.thresholds.access_key_max_age_days
    for user in inventory.credential_report:
        if removed_since_report(inventory, user):
            continue
        for cert in user.active_certificates:
            if cert.created is None:
                yield error(
                    iam_user(user),
                    f"Not evaluated: the credential report gives no date for signing "
                    f"certificate {cert.slot} of {user.name}.",
                    evidence={"certificate_slot": cert.slot, **report_evidence(user)},
                    sub_key=cert.sub_key,
                )
                continue
            age = (ctx.now - cert.created).days
            yield pass_or_fail(
                iam_user(user),
                ctx.now - cert.created <= timedelta(days=max_age),
                f"Signing certificate {cert.slot} of {user.name} is {age} days old.",
                f"Signing certificate {cert.slot} of {user.name} is {age} days old "
                f"(limit {max_age}); rotate it{as_of(user, ctx.now)}.",
                evidence={
                    "certificate_slot": cert.slot,
                    "created": cert.created.isoformat(),
                    "age_days": age,
                    "max_age_days": max_age,
                    **report_evidence(user),
                },
                sub_key=cert.sub_key,
            )


CHECK = Check(META, AwsInventory, evaluate)
