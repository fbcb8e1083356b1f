"""No alarm on unauthorised API calls."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.alarm_coverage import AlarmSpec, api_call, evaluate_alarm
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import CLOUDTRAIL_TRAILS, METRIC_ALARMS, METRIC_FILTERS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.cloudwatch.unauthorized_api_calls_alarm_missing",
    title="No alarm on unauthorised API calls",
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation='Add a metric filter { ($.errorCode = "*UnauthorizedOperation") || '
    '($.errorCode = "AccessDenied*") } on the trail\'s log group and an alarm with a '
    "notification action on its metric.",
    requires=(CLOUDTRAIL_TRAILS, METRIC_FILTERS, METRIC_ALARMS),
)

SPEC = AlarmSpec(
    control="unauthorized-api-calls-alarm",
    what="unauthorised API calls",
    must_match=(
        api_call("ec2.amazonaws.com", "RunInstances", errorCode="Client.UnauthorizedOperation"),
        api_call("s3.amazonaws.com", "GetObject", errorCode="AccessDenied"),
        api_call("kms.amazonaws.com", "Decrypt", errorCode="AccessDeniedException"),
    ),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    return evaluate_alarm(inventory, SPEC)


CHECK = Check(META, AwsInventory, evaluate)
