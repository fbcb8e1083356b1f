"""Buckets without default encryption, or with SSE-S3 where the configuration asks for KMS."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import bucket, not_evaluated
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.s3.bucket_unencrypted",
    title="S3 bucket without the required default encryption",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    soc2=("CC6.1",),
    remediation=(
        "Set default encryption on the bucket: SSE-KMS with a customer-managed key "
        "(aws s3api put-bucket-encryption), or at least SSE-S3 when KMS is not required."
    ),
    requires=(data.S3_BUCKETS,),
    description="SSE-S3 (AES256) fails only when `aws.s3_require_kms` is set.",
)

KMS_ALGORITHMS = frozenset({"aws:kms", "aws:kms:dsse"})


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    require_kms = ctx.config.aws.s3_require_kms
    for b in inventory.s3_buckets:
        unknown = b.unknown_of(data.S3_ENCRYPTION)
        if unknown:
            yield not_evaluated(bucket(b), unknown, b.region)
            continue
        algorithm = b.encryption_algorithm
        evidence = {
            "sse_algorithm": algorithm,
            "kms_key": b.encryption_key,
            "kms_required": require_kms,
        }
        if algorithm is None:
            yield fail(
                bucket(b),
                f"Bucket {b.name} has no default encryption; configure SSE-KMS or SSE-S3.",
                evidence=evidence,
                region=b.region,
            )
        elif require_kms and algorithm not in KMS_ALGORITHMS:
            yield fail(
                bucket(b),
                f"Bucket {b.name} encrypts with {algorithm} but policy requires SSE-KMS; "
                "switch its default encryption to a KMS key.",
                evidence=evidence,
                region=b.region,
            )
        else:
            yield passed(
                bucket(b),
                f"Bucket {b.name} encrypts new objects by default ({algorithm}).",
                evidence=evidence,
                region=b.region,
            )


CHECK = Check(META, AwsInventory, evaluate)
