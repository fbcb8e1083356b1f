"""Buckets without versioning: an overwrite or delete cannot be undone."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import bucket, not_evaluated
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.s3.bucket_versioning_disabled",
    title="S3 bucket versioning off",
    severity=Severity.LOW,
    category=Category.RETENTION,
    soc2=("A1.2",),
    remediation=(
        "Enable versioning on the bucket (with a lifecycle rule expiring old versions) so "
        "overwritten or deleted objects can be recovered."
    ),
    requires=(data.S3_BUCKETS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for b in inventory.s3_buckets:
        unknown = b.unknown_of(data.S3_VERSIONING)
        if unknown:
            yield not_evaluated(bucket(b), unknown, b.region)
            continue
        evidence = {"versioning": b.versioning or "Disabled", "mfa_delete": b.mfa_delete}
        state = "suspended" if b.versioning == "Suspended" else "never enabled"
        yield pass_or_fail(
            bucket(b),
            b.versioning == "Enabled",
            f"Bucket {b.name} has versioning on.",
            f"Bucket {b.name} has versioning {state}; enable it so objects can be recovered.",
            evidence=evidence,
            region=b.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
