"""Buckets with no enabled lifecycle rule that expires objects: data is kept forever."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import bucket, not_evaluated
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.s3.bucket_without_lifecycle",
    title="S3 bucket without a lifecycle rule expiring objects",
    severity=Severity.LOW,
    category=Category.RETENTION,
    soc2=("C1.2",),
    remediation=(
        "Add an enabled lifecycle rule that expires objects (and noncurrent versions) once "
        "your retention schedule no longer requires them."
    ),
    requires=(data.S3_BUCKETS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for b in inventory.s3_buckets:
        unknown = b.unknown_of(data.S3_LIFECYCLE)
        if unknown:
            yield not_evaluated(bucket(b), unknown, b.region)
            continue
        expiring = [r.id or "(unnamed)" for r in b.lifecycle_rules if r.expires_objects]
        evidence = {
            "lifecycle_rules": len(b.lifecycle_rules),
            "enabled_rules": sum(r.enabled for r in b.lifecycle_rules),
            "expiring_rules": expiring,
        }
        if expiring:
            yield passed(
                bucket(b),
                f"Bucket {b.name} expires objects by lifecycle rule {expiring[0]}.",
                evidence=evidence,
                region=b.region,
            )
        else:
            why = (
                "no lifecycle rule"
                if not b.lifecycle_rules
                else "no enabled lifecycle rule that expires objects"
            )
            yield fail(
                bucket(b),
                f"Bucket {b.name} has {why}, so objects are kept forever; add an "
                "expiration rule matching your retention schedule.",
                evidence=evidence,
                region=b.region,
            )


CHECK = Check(META, AwsInventory, evaluate)
