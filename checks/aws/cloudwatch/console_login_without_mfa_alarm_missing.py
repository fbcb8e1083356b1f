"""No alarm on console sign-in without MFA."""

from __future__ import annotations

from collections.abc import Iterator

from checks.aws.alarm_coverage import ORDINARY_EVENT, AlarmSpec, api_call, evaluate_alarm
from scanner.check import Check, CheckContext, CheckMeta, CheckResult
from scanner.inventory.aws import AwsInventory
from scanner.inventory.aws.monitoring import CLOUDTRAIL_TRAILS, METRIC_ALARMS, METRIC_FILTERS
from scanner.models.enums import Category, Severity

META = CheckMeta(
    id="aws.cloudwatch.console_login_without_mfa_alarm_missing",
    title="No alarm on console sign-in without MFA",
    severity=Severity.MEDIUM,
    category=Category.LOGGING,
    soc2=("CC7.2",),
    remediation='Add a metric filter { ($.eventName = "ConsoleLogin") && '
    '($.additionalEventData.MFAUsed != "Yes") } on the trail\'s log group and an alarm with a '
    "notification action on its metric.",
    requires=(CLOUDTRAIL_TRAILS, METRIC_FILTERS, METRIC_ALARMS),
)


def _login(mfa: str) -> dict[str, object]:
    return dict(
        api_call(
            "signin.amazonaws.com",
            "ConsoleLogin",
            eventType="AwsConsoleSignIn",
            additionalEventData={"MFAUsed": mfa, "LoginTo": "https://console.aws.amazon.com/"},
            responseElements={"ConsoleLogin": "Success"},
        )
    )


SPEC = AlarmSpec(
    control="console-login-without-mfa-alarm",
    what="console sign-in without MFA",
    must_match=(_login("No"),),
    must_not_match=(ORDINARY_EVENT, _login("Yes")),
)


def evaluate(inventory: AwsInventory, ctx: CheckContext) -> Iterator[CheckResult]:
    return evaluate_alarm(inventory, SPEC)


CHECK = Check(META, AwsInventory, evaluate)
