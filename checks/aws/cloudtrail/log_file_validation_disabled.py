"""A trail without log file integrity validation."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.trails import owned_trails, trail_resource
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, pass_or_fail
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import CLOUDTRAIL_TRAILS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.cloudtrail.log_file_validation_disabled",
    title="CloudTrail log file validation off",
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation="Enable log file validation on the trail so tampering with delivered logs "
    "can be detected.",
    requires=(CLOUDTRAIL_TRAILS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for trail in owned_trails(inventory):
        evidence = {"log_file_validation": trail.log_file_validation}
        yield pass_or_fail(
            trail_resource(trail),
            trail.log_file_validation,
            f"Trail {trail.name} validates its log files.",
            f"Trail {trail.name} has log file validation off; enable it.",
            evidence=evidence,
            region=trail.home_region,
        )


CHECK = Check(META, AwsInventory, evaluate)
