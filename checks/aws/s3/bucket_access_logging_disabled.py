"""Buckets without server access logging: no record of who read or changed objects."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import bucket, not_evaluated
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.s3.bucket_access_logging_disabled",
    title="S3 bucket server access logging off",
    severity=Severity.LOW,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation=(
        "Enable server access logging to a dedicated log bucket (or CloudTrail S3 data events) "
        "so object access can be investigated."
    ),
    requires=(data.S3_BUCKETS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for b in inventory.s3_buckets:
        unknown = b.unknown_of(data.S3_LOGGING)
        if unknown:
            yield not_evaluated(bucket(b), unknown, b.region)
            continue
        evidence = {"logging_target_bucket": b.logging_target}
        yield pass_or_fail(
            bucket(b),
            bool(b.logging_target),
            f"Bucket {b.name} logs access to {b.logging_target}.",
            f"Bucket {b.name} has server access logging off; enable it to a log bucket.",
            evidence=evidence,
            region=b.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
