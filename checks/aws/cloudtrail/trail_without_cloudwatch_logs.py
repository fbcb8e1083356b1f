"""A trail that does not deliver to CloudWatch Logs, so nothing can alert on its events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from checks.aws.trails import owned_trails, trail_resource
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import CLOUDTRAIL_TRAILS
from scanner.models.enums import Category, Severity

RECENT_DELIVERY = timedelta(days=1)

META = CheckMeta(
    id="aws.cloudtrail.trail_without_cloudwatch_logs",
    title="CloudTrail not delivering to CloudWatch Logs",
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation="Send the trail to a CloudWatch Logs log group (with a role it can write "
    "with) so metric filters and alarms can watch its events.",
    requires=(CLOUDTRAIL_TRAILS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    for trail in owned_trails(inventory):
        delivered = trail.latest_cloudwatch_delivery
        evidence = {
            "cloudwatch_log_group_arn": trail.cloudwatch_log_group_arn,
            "latest_delivery": delivered.isoformat() if delivered else None,
            "latest_delivery_error": trail.latest_cloudwatch_delivery_error,
        }
        resource = trail_resource(trail)
        if not trail.cloudwatch_log_group_arn:
            yield fail(
                resource,
                f"Trail {trail.name} does not deliver to CloudWatch Logs; configure a log group.",
                evidence=evidence,
                region=trail.home_region,
            )
        elif trail.latest_cloudwatch_delivery_error and not (
            # The error field keeps the last error even after delivery recovered.
            delivered and ctx.now - delivered < RECENT_DELIVERY
        ):
            yield fail(
                resource,
                f"Trail {trail.name} fails to deliver to CloudWatch Logs "
                f"({trail.latest_cloudwatch_delivery_error}); fix its role or log group.",
                evidence=evidence,
                region=trail.home_region,
            )
        else:
            yield passed(
                resource,
                f"Trail {trail.name} delivers to CloudWatch Logs.",
                evidence=evidence,
                region=trail.home_region,
            )


CHECK = Check(META, AwsInventory, evaluate)
