"""Bucket policies that do not deny requests made without TLS (aws:SecureTransport)."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import bucket, not_evaluated
from checks.aws.s3.access import tls_denial
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws import storage as data
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.s3.bucket_allows_non_tls",
    title="S3 bucket policy does not deny non-TLS requests",
    severity=Severity.MEDIUM,
    category=Category.ENCRYPTION,
    soc2=("CC6.7",),
    remediation=(
        'Add a bucket policy statement: Effect Deny, Principal "*", Action "s3:*", Resource the '
        'bucket and "bucket/*", Condition {"Bool": {"aws:SecureTransport": "false"}}.'
    ),
    requires=(data.S3_BUCKETS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for b in inventory.s3_buckets:
        unknown = b.unknown_of(data.S3_POLICY)
        if unknown:
            yield not_evaluated(bucket(b), unknown, b.region)
            continue
        denial = tls_denial(b.policy, b.arn) if b.policy else None
        evidence = {"has_bucket_policy": b.policy is not None, "denying_statement": denial}
        yield pass_or_fail(
            bucket(b),
            denial is not None,
            f"Bucket {b.name} denies requests without TLS ({denial}).",
            f"Bucket {b.name} accepts plain-HTTP requests: add a policy statement denying "
            "s3:* when aws:SecureTransport is false.",
            evidence=evidence,
            region=b.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
