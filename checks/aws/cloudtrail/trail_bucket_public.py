"""The S3 bucket a trail writes to is public."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import JsonValue

from checks.aws.s3.public_policy import public_statements
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, fail, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import CLOUDTRAIL_BUCKETS, TrailBucket
from scanner.models.enums import Category, Severity
from scanner.models.findings import Resource

META = CheckMeta(
    id="aws.cloudtrail.trail_bucket_public",
    title="CloudTrail bucket publicly accessible",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    soc2=("CC6.1",),
    remediation="Remove public grants and public policy statements from the trail's bucket "
    "and turn on S3 Block Public Access for it.",
    requires=(CLOUDTRAIL_BUCKETS,),
)


def _unique(buckets: tuple[TrailBucket, ...]) -> dict[str, TrailBucket]:
    seen: dict[str, TrailBucket] = {}
    for bucket in buckets:
        seen.setdefault(bucket.name, bucket)
    return seen


def _public_statements(bucket: TrailBucket) -> list[str]:
    """By S3's meaning of public; S3's own verdict (GetBucketPolicyStatus) is a second
    opinion, and its saying public where posture found nothing is evidence, not a pass."""
    found = public_statements(bucket.policy) if bucket.policy else []
    if bucket.policy_public and not found:
        found = ["GetBucketPolicyStatus: IsPublic"]
    return found


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for name, bucket in sorted(_unique(inventory.trail_buckets).items()):
        resource = Resource(
            uid=f"arn:{inventory.partition}:s3:::{name}", type="AWS::S3::Bucket", name=name
        )
        trails = sorted({t for b in inventory.trail_buckets if b.name == name for t in b.trails})
        if not bucket.exists:
            yield fail(
                resource,
                f"Trail bucket {name} does not exist, so logs are lost and anyone could create "
                "it to receive them; point the trail at a bucket you own.",
                evidence={"trails": trails, "exists": False},
                region=bucket.region,
            )
            continue
        if bucket.unreadable:
            yield error(
                resource,
                f"Not evaluated: bucket {name} of trail(s) {', '.join(trails)} could not be "
                f"read; needs {bucket.unreadable}.",
                evidence={"trails": trails, "missing": bucket.unreadable},
                region=bucket.region,
            )
            continue
        statements = _public_statements(bucket)
        evidence: dict[str, JsonValue] = {
            "trails": list[JsonValue](trails),
            "policy_public": bucket.policy_public,
            "public_policy_statements": list[JsonValue](statements),
            "acl_public_grants": list(bucket.acl_public_grants),
            "restrict_public_buckets": bucket.restrict_public_buckets
            or bucket.account_restrict_public_buckets,
            "ignore_public_acls": bucket.ignore_public_acls or bucket.account_ignore_public_acls,
        }
        reasons = [
            why
            for why, public in (
                ("its bucket policy", bool(statements) and not bucket.public_policy_restricted),
                ("its ACL", bucket.public_via_acl),
            )
            if public
        ]
        if bucket.account_block_unreadable:
            evidence["account_block"] = f"unknown: {bucket.account_block_unreadable}"
        yield pass_or_fail(
            resource,
            not reasons,
            f"Trail bucket {name} is not public.",
            f"Trail bucket {name} is public through {' and '.join(reasons)}"
            + (
                " (an unread account-wide block may mask it)"
                if bucket.account_block_unreadable
                else ""
            )
            + "; remove the public access and enable Block Public Access.",
            evidence=evidence,
            region=bucket.region,
        )


CHECK = Check(META, AwsInventory, evaluate)
