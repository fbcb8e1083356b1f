"""Cloud Storage buckets receiving log sinks without a retention policy."""

from __future__ import annotations

from collections.abc import Iterator

from checks.gcp.resources import bucket
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.gcp import LOG_SINKS, SINK_DESTINATIONS, GcpInventory
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="gcp.logging.sink_bucket_without_retention",
    title="Log sink writes to a Cloud Storage bucket without a retention policy",
    severity=Severity.MEDIUM,
    category=Category.RETENTION,
    soc2=("C1.2",),
    remediation=(
        "Set a retention policy on the bucket (and lock it once agreed) plus a lifecycle rule "
        "that deletes logs after the retention period."
    ),
    requires=(LOG_SINKS, SINK_DESTINATIONS),
)


def evaluate(inventory: GcpInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    senders: dict[str, list[str]] = {}
    for sink in inventory.log_sinks:
        if sink.storage_bucket and not sink.disabled:
            senders.setdefault(sink.storage_bucket, []).append(sink.name)
    for destination in inventory.sink_destinations:
        evidence = {
            "sinks": sorted(senders.get(destination.name, [])),
            "retention_period_seconds": destination.retention_period_seconds,
            "retention_locked": destination.retention_locked,
        }
        if destination.retention_period_seconds:
            days = destination.retention_period_seconds // 86400
            yield passed(
                bucket(destination.name),
                f"Log destination bucket {destination.name} retains objects {days} days.",
                evidence=evidence,
            )
        else:
            yield fail(
                bucket(destination.name),
                f"Bucket {destination.name} receives logs from {inventory.account} but has no "
                "retention policy; logs can be deleted at will.",
                evidence=evidence,
            )


CHECK = Check(META, GcpInventory, evaluate)
