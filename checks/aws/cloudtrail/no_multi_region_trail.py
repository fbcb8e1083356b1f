"""No trail records management events in every region."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.resources import account_control
from checks.aws.trails import any_region_collected, unique_trails
from scanner.check import Check, CheckContext, CheckMeta, CheckResult, error, fail, passed
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import CLOUDTRAIL_TRAILS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.cloudtrail.no_multi_region_trail",
    title="No multi-region trail logging management events",
    severity=Severity.HIGH,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation="Create a multi-region trail that logs read and write management events, "
    "and keep it logging.",
    requires=(CLOUDTRAIL_TRAILS,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    # A multi-region trail is listed in every region, so one region read is enough to see it.
    if not any_region_collected(inventory):
        return
    resource = account_control(inventory, "cloudtrail", "multi-region-trail")
    trails = unique_trails(inventory)
    good = [t for t in trails if t.multi_region and t.logs_management_events]
    if good:
        yield passed(
            resource,
            f"Trail {good[0].name} logs read and write management events in every region.",
            evidence={"trails": [t.arn for t in good]},
        )
        return
    unknown = [t for t in trails if t.multi_region and t.is_logging is None]
    evidence = {
        "multi_region_trails": [t.arn for t in trails if t.multi_region],
        "logging": [t.arn for t in trails if t.multi_region and t.is_logging],
        "management_read_and_write": [
            t.arn for t in trails if t.multi_region and t.management_read and t.management_write
        ],
    }
    if unknown:
        yield error(
            resource,
            f"Not evaluated: the status of trail {unknown[0].name} (owned by account "
            f"{unknown[0].owner_account}) could not be read.",
            evidence={**evidence, "unreadable": [t.arn for t in unknown]},
        )
        return
    yield fail(
        resource,
        "No multi-region trail is logging read and write management events; create one or "
        "fix the existing trail's status and event selectors.",
        evidence=evidence,
    )


CHECK = Check(META, AwsInventory, evaluate)
