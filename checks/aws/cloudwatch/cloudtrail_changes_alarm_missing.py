"""No alarm on CloudTrail configuration changes."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.alarm_coverage import AlarmSpec, api_call, evaluate_alarm
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import CLOUDTRAIL_TRAILS, METRIC_ALARMS, METRIC_FILTERS
from scanner.models.enums import Category, Severity

TRAIL_EVENTS = ("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging")

META = CheckMeta(
    id="aws.cloudwatch.cloudtrail_changes_alarm_missing",
    title="No alarm on CloudTrail configuration changes",
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation="Add a metric filter matching "
    f"{', '.join(TRAIL_EVENTS)} on the trail's log group and an alarm with a notification "
    "action on its metric.",
    requires=(CLOUDTRAIL_TRAILS, METRIC_FILTERS, METRIC_ALARMS),
)

SPEC = AlarmSpec(
    control="cloudtrail-changes-alarm",
    what="CloudTrail configuration changes",
    must_match=tuple(api_call("cloudtrail.amazonaws.com", name) for name in TRAIL_EVENTS),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    return evaluate_alarm(inventory, SPEC)


CHECK = Check(META, AwsInventory, evaluate)
