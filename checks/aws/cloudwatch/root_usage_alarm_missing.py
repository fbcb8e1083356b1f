"""No alarm on use of the root user."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.alarm_coverage import ORDINARY_EVENT, AlarmSpec, api_call, evaluate_alarm
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import CLOUDTRAIL_TRAILS, METRIC_ALARMS, METRIC_FILTERS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.cloudwatch.root_usage_alarm_missing",
    title="No alarm on root user activity",
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation='Add a metric filter { $.userIdentity.type = "Root" && '
    '$.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" } on the trail\'s '
    "log group and an alarm with a notification action on its metric.",
    requires=(CLOUDTRAIL_TRAILS, METRIC_FILTERS, METRIC_ALARMS),
)

_ROOT = {"type": "Root", "arn": "arn:aws:iam::111122223333:root", "accountId": "111122223333"}
SPEC = AlarmSpec(
    control="root-usage-alarm",
    what="root user activity",
    must_match=(
        api_call("iam.amazonaws.com", "CreateAccessKey", userIdentity=_ROOT),
        api_call(
            "signin.amazonaws.com",
            "ConsoleLogin",
            userIdentity=_ROOT,
            eventType="AwsConsoleSignIn",
            additionalEventData={"MFAUsed": "Yes"},
            responseElements={"ConsoleLogin": "Success"},
        ),
    ),
    must_not_match=(ORDINARY_EVENT,),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    return evaluate_alarm(inventory, SPEC)


CHECK = Check(META, AwsInventory, evaluate)
