"""A log group kept forever, or for less than the configured minimum."""

from __future__ import annotations

from collections.abc import Iterator

from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import LOG_GROUPS
from scanner.models.enums import Category, Severity
from scanner.models.findings import Resource

META = CheckMeta(
    id="aws.logs.log_group_retention_too_short",
    title="Log group retention missing or too short",
    severity=Severity.MEDIUM,
    category=Category.RETENTION,
    soc2=("C1.2", "CC7.2"),
    remediation="Set the log group's retention to at least the required minimum, and never "
    "leave it at 'never expire'.",
    requires=(LOG_GROUPS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    minimum = ctx.config.aws.thresholds.log_retention_min_days
    for group in inventory.log_groups:
        resource = Resource(uid=group.arn, type="AWS::Logs::LogGroup", name=group.name)
        evidence = {"retention_days": group.retention_days, "minimum_days": minimum}
        if group.retention_days is None:
            yield fail(
                resource,
                f"Log group {group.name} never expires its events; set a retention of at "
                f"least {minimum} days.",
                evidence=evidence,
                region=group.region,
            )
        elif group.retention_days < minimum:
            yield fail(
                resource,
                f"Log group {group.name} keeps events {group.retention_days} days, less than "
                f"the required {minimum}; raise its retention.",
                evidence=evidence,
                region=group.region,
            )
        else:
            yield passed(
                resource,
                f"Log group {group.name} keeps events {group.retention_days} days.",
                evidence=evidence,
                region=group.region,
            )


CHECK = Check(META, AwsInventory, evaluate)
