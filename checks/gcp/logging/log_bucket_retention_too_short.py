"""Cloud Logging buckets keeping logs for less than the minimum, or not locked."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import log_bucket
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.gcp import LOG_BUCKETS, GcpInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.logging.log_bucket_retention_too_short",
    title="Log bucket retention shorter than required, or not locked",
    severity=Severity.MEDIUM,
    category=Category.RETENTION,
    soc2=("C1.2",),
    remediation=(
        "Set the log bucket's retention to at least the required days and lock it "
        "(gcloud logging buckets update BUCKET --retention-days=N --locked)."
    ),
    requires=(LOG_BUCKETS,),
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    minimum = ctx.config.gcp.thresholds.log_retention_min_days
    for bucket in inventory.log_buckets:
        if bucket.lifecycle_state not in ("ACTIVE", "LIFECYCLE_STATE_UNSPECIFIED"):
            continue
        problems = []
        if bucket.retention_days < minimum:
            problems.append(f"keeps logs {bucket.retention_days} days (minimum {minimum})")
        if not bucket.locked:
            problems.append("is not locked")
        evidence = {
            "retention_days": bucket.retention_days,
            "min_retention_days": minimum,
            "locked": bucket.locked,
        }
        yield pass_or_fail(
            log_bucket(bucket),
            not problems,
            f"Log bucket {bucket.bucket_id} keeps logs {bucket.retention_days} days, locked.",
            f"Log bucket {bucket.bucket_id} in {inventory.account} {' and '.join(problems)}; "
            "raise its retention and lock it.",
            evidence=evidence,
            region=bucket.location,
        )


CHECK = Check(META, GcpInventory, evaluate)
